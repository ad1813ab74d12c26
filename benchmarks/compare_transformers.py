"""Our engine vs transformers' MixtralForCausalLM on identical weights, in one process.

Config: Arctic without the parallel residual branch (= Mixtral), float32, hidden 1024, 16 heads /
4 KV heads, 32 experts top-2, expert width 704, 4 layers, vocab 8192. transformers runs each of its
experts implementations (eager, grouped_mm, batched_mm: switched through
`config._experts_implementation`, which its experts modules read at every forward) with SDPA
attention and a DynamicCache. Measured interleaved, medians of --repeats rounds:

  decode: greedy tokens after a 16-token prompt (tok/s)     prefill: one 256-token forward (s)

    python benchmarks/compare_transformers.py [--threads 2] [--repeats 5] [--new-tokens 32]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import torch
from common import MIXTRAL_CONFIG, checkpoint, interleaved, load_note, median, setup_threads, timed


def mixtral_from(path: Any) -> Any:
    """transformers' Mixtral holding the checkpoint's weights (experts stacked as it stores them)."""
    from safetensors.torch import load_file
    from transformers import MixtralConfig, MixtralForCausalLM

    from arctic_cli.engine.config import read_config

    c = read_config(path)
    config = MixtralConfig(
        vocab_size=c.vocab_size, hidden_size=c.hidden_size, intermediate_size=c.intermediate_size,
        num_hidden_layers=c.num_hidden_layers, num_attention_heads=c.num_attention_heads,
        num_key_value_heads=c.num_key_value_heads, num_local_experts=c.num_local_experts,
        num_experts_per_tok=c.num_experts_per_tok, rms_norm_eps=c.rms_norm_eps,
        rope_theta=c.rope_theta, max_position_embeddings=c.max_position_embeddings,
        tie_word_embeddings=False, sliding_window=None,  # type: ignore[call-arg]
    )  # fmt: skip
    config._attn_implementation = "sdpa"
    w = load_file(str(path / "model.safetensors"))
    mapped = {n: t for n, t in w.items() if ".block_sparse_moe." not in n}
    for i in range(c.num_hidden_layers):
        p, experts = f"model.layers.{i}.block_sparse_moe", range(c.num_local_experts)
        mapped[f"model.layers.{i}.mlp.gate.weight"] = w[f"{p}.gate.weight"]
        mapped[f"model.layers.{i}.mlp.experts.gate_up_proj"] = torch.stack(
            [torch.cat([w[f"{p}.experts.{e}.w1.weight"], w[f"{p}.experts.{e}.w3.weight"]])
             for e in experts])  # fmt: skip
        mapped[f"model.layers.{i}.mlp.experts.down_proj"] = torch.stack(
            [w[f"{p}.experts.{e}.w2.weight"] for e in experts]
        )
    model = MixtralForCausalLM(config).eval()
    model.load_state_dict(mapped, strict=True)
    return model


def hf_decode(model: Any, impl: str, prompt: torch.Tensor, new_tokens: int) -> float:
    from transformers import DynamicCache

    model.config._experts_implementation = impl
    cache = DynamicCache(config=model.config)
    out = model(prompt, cache=cache, use_cache=True)
    token = out.logits[:, -1:].argmax(-1)
    start = time.perf_counter()
    for _ in range(new_tokens):
        out = model(token, cache=cache, use_cache=True)
        token = out.logits[:, -1:].argmax(-1)
        int(token)  # the host sync a generation loop pays
    return time.perf_counter() - start


def ours_decode(model: Any, prompt: torch.Tensor, new_tokens: int) -> float:
    cache = model.new_cache(1, prompt.shape[1] + new_tokens + 1)
    token = int(model(prompt, cache=cache, last_only=True)[0, -1].argmax())
    pos = prompt.shape[1]
    start = time.perf_counter()
    for step in range(new_tokens):
        logits = model(torch.tensor([[token]]), cache=cache, pos=pos + step, last_only=True)
        token = int(logits[0, -1].argmax())
    return time.perf_counter() - start


def hf_prefill(model: Any, impl: str, prompt: torch.Tensor) -> float:
    model.config._experts_implementation = impl
    return timed(lambda: model(prompt, use_cache=False, logits_to_keep=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--prefill-tokens", type=int, default=256)
    parser.add_argument("--impls", default="eager,grouped_mm,batched_mm")
    args = parser.parse_args()
    setup_threads(args.threads)

    from arctic_cli.engine import load_model

    path = checkpoint("mixtral-1024-32e-4l", MIXTRAL_CONFIG)
    ours, hf = load_model(path), mixtral_from(path)
    gen = torch.Generator().manual_seed(0)
    short = torch.randint(0, 8192, (1, 16), generator=gen)
    long = torch.randint(0, 8192, (1, args.prefill_tokens), generator=gen)
    impls = args.impls.split(",")
    with torch.inference_mode():
        ref = hf(long).logits[0, -1]
        got = ours(long)[0, -1]
        cos = torch.nn.functional.cosine_similarity(ref, got, dim=0).item()
        decode: dict[str, Any] = {"ours": lambda: ours_decode(ours, short, args.new_tokens)}
        prefill: dict[str, Any] = {"ours": lambda: timed(lambda: ours(long, last_only=True))}
        for impl in impls:
            decode[impl] = lambda i=impl: hf_decode(hf, i, short, args.new_tokens)
            prefill[impl] = lambda i=impl: hf_prefill(hf, i, long)
        d = interleaved(decode, args.repeats)
        p = interleaved(prefill, args.repeats)
    tok_s = {k: args.new_tokens / median(v) for k, v in d.items()}
    pre_s = {k: median(v) for k, v in p.items()}
    print(f"# {torch.get_num_threads()} threads, torch {torch.__version__}; {load_note()}")
    print(f"# logits cosine ours vs transformers (last of {args.prefill_tokens}): {cos:.6f}")
    print(f"{'engine':<12} {'decode tok/s':>12} {'prefill s':>10}")
    for k in decode:
        print(f"{k:<12} {tok_s[k]:>12.1f} {pre_s[k]:>10.3f}")
    best_d = max(impls, key=lambda k: tok_s[k])
    best_p = min(impls, key=lambda k: pre_s[k])
    print(f"decode: ours / best transformers ({best_d}) = {tok_s['ours'] / tok_s[best_d]:.2f}x")
    print(f"prefill: best transformers ({best_p}) / ours = {pre_s[best_p] / pre_s['ours']:.2f}x")


if __name__ == "__main__":
    main()
