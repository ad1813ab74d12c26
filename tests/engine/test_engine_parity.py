"""Logits parity of the engine against independent references on tiny random checkpoints.

Arctic without the parallel residual branch is Mixtral, so transformers' MixtralForCausalLM on the
same weights is the reference. The residual branch and `moe_layer_frequency` are checked against a
float64 re-derivation of the formulas in docs/arctic-architecture.md written here from scratch.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from arctic_cli.engine.checkpoint import write_random_checkpoint
from arctic_cli.engine.config import read_config
from arctic_cli.engine.loader import load_model


def _weights(path: Path) -> dict[str, torch.Tensor]:
    tensors: dict[str, torch.Tensor] = {}
    for file in sorted(path.glob("*.safetensors")):
        tensors.update(load_file(str(file)))
    return tensors


def _mixtral(path: Path, top_k: int):
    """transformers' Mixtral with the checkpoint's weights mapped into its fused expert layout."""
    from transformers import MixtralConfig, MixtralForCausalLM

    c = read_config(path)
    config = MixtralConfig(
        vocab_size=c.vocab_size, hidden_size=c.hidden_size, intermediate_size=c.intermediate_size,
        num_hidden_layers=c.num_hidden_layers, num_attention_heads=c.num_attention_heads,
        num_key_value_heads=c.num_key_value_heads, num_local_experts=c.num_local_experts,
        num_experts_per_tok=top_k, rms_norm_eps=c.rms_norm_eps, rope_theta=c.rope_theta,
        max_position_embeddings=c.max_position_embeddings, tie_word_embeddings=False,
        sliding_window=None,
    )  # fmt: skip
    config._attn_implementation = "eager"
    ref = MixtralForCausalLM(config).eval()
    w = _weights(path)
    mapped = {}
    for name, tensor in w.items():
        if ".block_sparse_moe." not in name:
            mapped[name] = tensor
    for i in range(c.num_hidden_layers):
        p = f"model.layers.{i}.block_sparse_moe"
        mapped[f"model.layers.{i}.mlp.gate.weight"] = w[f"{p}.gate.weight"]
        experts = range(c.num_local_experts)
        mapped[f"model.layers.{i}.mlp.experts.gate_up_proj"] = torch.stack(
            [
                torch.cat([w[f"{p}.experts.{e}.w1.weight"], w[f"{p}.experts.{e}.w3.weight"]])
                for e in experts
            ]
        )
        mapped[f"model.layers.{i}.mlp.experts.down_proj"] = torch.stack(
            [w[f"{p}.experts.{e}.w2.weight"] for e in experts]
        )
    missing, unexpected = ref.load_state_dict(mapped, strict=True)
    assert not missing and not unexpected
    return ref


def _no_renorm_for_top1(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mixtral renormalises even one routing weight to 1.0; Arctic keeps softmax's p when k == 1."""
    from transformers.models.mixtral import modeling_mixtral as mm

    def forward(self, hidden_states):
        hidden_states = hidden_states.reshape(-1, self.hidden_dim)
        logits = torch.nn.functional.linear(hidden_states, self.weight)
        probs = torch.softmax(logits.float(), dim=-1)
        top, idx = torch.topk(probs, self.top_k, dim=-1)
        if self.top_k > 1:
            top = top / top.sum(dim=-1, keepdim=True)
        return logits, top, idx

    monkeypatch.setattr(mm.MixtralTopKRouter, "forward", forward)


@pytest.mark.parametrize(
    ("kv_heads", "top_k", "shards"),
    [(2, 2, 1), (4, 2, 2), (2, 1, 2), (4, 1, 1)],  # GQA / MHA x top-2 / top-1 x single / sharded
)
def test_matches_mixtral_without_parallel_residual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kv_heads: int, top_k: int, shards: int
) -> None:
    path = write_random_checkpoint(
        tmp_path, seed=kv_heads + top_k, shards=shards, parallel_attn_mlp_res=False,
        num_key_value_heads=kv_heads, num_experts_per_tok=top_k, rope_theta=500.0,
    )  # fmt: skip
    if top_k == 1:
        _no_renorm_for_top1(monkeypatch)
    model = load_model(path)
    ref = _mixtral(path, top_k)
    ids = torch.randint(
        0, model.config.vocab_size, (2, 24), generator=torch.Generator().manual_seed(1)
    )
    with torch.no_grad():
        ours = model(ids)
        theirs = ref(ids).logits.float()
    assert ours.shape == (2, 24, model.config.vocab_size) and ours.dtype == torch.float32
    assert (ours - theirs).abs().max().item() < 1e-4
    # The prompt must actually route tokens to different experts for this to mean anything.
    gate = model.model.layers[0].block_sparse_moe
    _, chosen = gate.route(
        model.model.layers[0].post_attention_layernorm(model.model.embed_tokens(ids)).view(-1, 64)
    )
    assert len(chosen.unique()) > 1


def _reference_logits(path: Path, ids: torch.Tensor) -> torch.Tensor:
    """Arctic's forward pass in float64, token by token where it keeps the formulas obvious."""
    c = read_config(path)
    w = {k: v.double() for k, v in _weights(path).items()}
    heads, kv, d = (
        c.num_attention_heads,
        c.num_key_value_heads,
        c.hidden_size // c.num_attention_heads,
    )

    def norm(x, weight):
        return weight * (x / torch.sqrt((x * x).mean(-1, keepdim=True) + c.rms_norm_eps))

    def swiglu(x, p):
        gate = x @ w[f"{p}.w1.weight"].T
        return (gate * torch.sigmoid(gate) * (x @ w[f"{p}.w3.weight"].T)) @ w[f"{p}.w2.weight"].T

    def rope(x):  # x [T, heads, d]; pair j with j + d/2
        t = x.shape[0]
        j = torch.arange(d // 2, dtype=torch.float64)
        angle = torch.arange(t, dtype=torch.float64)[:, None] * c.rope_theta ** (
            -2 * j / d
        )  # [T, d/2]
        cos, sin = torch.cos(angle)[:, None, :], torch.sin(angle)[:, None, :]
        a, b = x[..., : d // 2], x[..., d // 2 :]
        return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)

    def attention(x, p):
        t = x.shape[0]
        q = rope((x @ w[f"{p}.q_proj.weight"].T).view(t, heads, d))
        k = rope((x @ w[f"{p}.k_proj.weight"].T).view(t, kv, d))
        v = (x @ w[f"{p}.v_proj.weight"].T).view(t, kv, d)
        out = torch.zeros(t, heads, d, dtype=torch.float64)
        for h in range(heads):
            g = h // (heads // kv)
            scores = q[:, h] @ k[:, g].T / math.sqrt(d)  # [T, T]
            scores = scores.masked_fill(torch.ones(t, t).triu(1).bool(), float("-inf"))
            out[:, h] = torch.softmax(scores, dim=-1) @ v[:, g]
        return out.reshape(t, heads * d) @ w[f"{p}.o_proj.weight"].T

    def moe(x, p):
        out = torch.zeros_like(x)
        for n in range(x.shape[0]):
            probs = torch.softmax(x[n] @ w[f"{p}.gate.weight"].T, dim=-1)
            top = torch.topk(probs, c.num_experts_per_tok)
            weights = top.values / top.values.sum() if c.num_experts_per_tok > 1 else top.values
            for weight, e in zip(weights, top.indices.tolist(), strict=True):
                out[n] += weight * swiglu(x[n], f"{p}.experts.{e}")
        return out

    logits = []
    for row in ids:
        x = w["model.embed_tokens.weight"][row]
        for i in range(c.num_hidden_layers):
            p = f"model.layers.{i}"
            h = x + attention(norm(x, w[f"{p}.input_layernorm.weight"]), f"{p}.self_attn")
            is_moe = (i + 1) % c.moe_layer_frequency == 0
            if is_moe and c.parallel_attn_mlp_res:
                r = swiglu(norm(h, w[f"{p}.residual_layernorm.weight"]), f"{p}.residual_mlp")
                m = moe(norm(x, w[f"{p}.post_attention_layernorm.weight"]), f"{p}.block_sparse_moe")
                x = h + r + m
            elif is_moe:
                x = h + moe(
                    norm(h, w[f"{p}.post_attention_layernorm.weight"]), f"{p}.block_sparse_moe"
                )
            else:
                x = h + swiglu(
                    norm(h, w[f"{p}.post_attention_layernorm.weight"]), f"{p}.block_sparse_moe.mlp"
                )
        logits.append(norm(x, w["model.norm.weight"]) @ w["lm_head.weight"].T)
    return torch.stack(logits)


@pytest.mark.parametrize(
    ("parallel", "frequency", "top_k", "kv_heads"),
    [(True, 1, 2, 2), (True, 2, 2, 4), (True, 1, 1, 4), (False, 2, 2, 2)],
)
def test_matches_float64_reference(
    tmp_path: Path, parallel: bool, frequency: int, top_k: int, kv_heads: int
) -> None:
    path = write_random_checkpoint(
        tmp_path, seed=7, parallel_attn_mlp_res=parallel, moe_layer_frequency=frequency,
        num_experts_per_tok=top_k, num_key_value_heads=kv_heads, num_hidden_layers=3,
    )  # fmt: skip
    names = set(_weights(path))
    assert ("model.layers.0.residual_mlp.w1.weight" in names) == (parallel and frequency == 1)
    assert ("model.layers.0.block_sparse_moe.mlp.w1.weight" in names) == (frequency == 2)
    ids = torch.randint(0, 320, (2, 12), generator=torch.Generator().manual_seed(3))
    expected = _reference_logits(path, ids)
    with torch.no_grad():
        exact = load_model(path, dtype=torch.float64)(ids)
        single = load_model(path)(ids)
    assert (exact.double() - expected).abs().max().item() < 1e-5  # float32 logits of float64 math
    assert (single.double() - expected).abs().max().item() < 1e-3


def test_released_configuration_builds_on_meta() -> None:
    """The full-size released config builds (no memory: meta device) with the expected sizes."""
    from arctic_cli.engine.config import ArcticConfig
    from arctic_cli.engine.model import ArcticForCausalLM

    config = ArcticConfig(rope_theta=10000.0)
    with torch.device("meta"):
        model = ArcticForCausalLM(config)
    params = sum(p.numel() for p in model.parameters())
    assert 478e9 < params < 480e9
    expert = model.model.layers[34].block_sparse_moe.experts[127]
    assert tuple(expert.w1.weight.shape) == (4864, 7168)
    assert tuple(model.model.layers[0].self_attn.k_proj.weight.shape) == (8 * 128, 7168)
    assert tuple(model.model.layers[0].residual_mlp.w2.weight.shape) == (7168, 7168)
