"""The Arctic dense-MoE transformer in plain PyTorch (spec: docs/arctic-architecture.md).

Parameter names equal the checkpoint's tensor names, so `state_dict()` keys map 1:1 onto the
safetensors files. Every projection is a bias-free `nn.Linear` (experts included, one module per
expert) so a quantizer can swap Linear modules without touching this file.

Shape letters used in the comments:
  B batch, T tokens in this call, S key positions (cached + new), N = B*T flattened tokens,
  H hidden size, Q query heads, G key/value heads, D head dim, E experts, K experts per token,
  I MLP width, V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from arctic_cli.engine.config import ArcticConfig


class RMSNorm(nn.Module):
    """x * rsqrt(mean(x^2) + eps) in float32, cast back, times the weight (no 1 + w offset)."""

    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x32.to(x.dtype)


def rotary_tables(
    positions: torch.Tensor, head_dim: int, theta: float, dtype: torch.dtype
) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin for the rotate-half layout over the whole head dim: each [T, D]."""
    exponents = (
        torch.arange(0, head_dim, 2, device=positions.device, dtype=torch.float32) / head_dim
    )
    inv_freq = 1.0 / (theta**exponents)  # [D/2]
    freqs = positions.float()[:, None] * inv_freq[None, :]  # [T, D/2]
    angles = torch.cat((freqs, freqs), dim=-1)  # [T, D]
    return angles.cos().to(dtype), angles.sin().to(dtype)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x [B, heads, T, D] rotated by position: x*cos + rotate_half(x)*sin."""
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)  # [B, heads, T, D]
    return x * cos + rotated * sin


@dataclass
class KVCache:
    """Keys and values of every layer, allocated once per generation: each [B, G, S_max, D]."""

    keys: list[torch.Tensor]
    values: list[torch.Tensor]

    @classmethod
    def allocate(
        cls,
        config: ArcticConfig,
        batch: int,
        max_len: int,
        device: torch.device,
        dtype: torch.dtype,
    ) -> KVCache:
        shape = (batch, config.num_key_value_heads, max_len, config.dim_per_head)
        n = config.num_hidden_layers
        return cls(
            [torch.zeros(shape, device=device, dtype=dtype) for _ in range(n)],
            [torch.zeros(shape, device=device, dtype=dtype) for _ in range(n)],
        )

    @property
    def max_len(self) -> int:
        return self.keys[0].shape[2]

    def select(self, rows: torch.Tensor) -> KVCache:
        """A new cache whose batch row i is a copy of row rows[i] of this one (beam search)."""
        return KVCache(
            [k.index_select(0, rows) for k in self.keys],
            [v.index_select(0, rows) for v in self.values],
        )

    def reorder_(self, rows: torch.Tensor, length: int) -> None:
        """In place: batch row i takes row rows[i]'s first `length` positions (beam search;
        the positions past `length` are not written yet, so only the prefix is copied)."""
        for cache in (*self.keys, *self.values):
            cache[:, :, :length] = cache[rows, :, :length]


class Attention(nn.Module):
    """Grouped-query attention with rotary embeddings and an optional KV cache."""

    def __init__(self, config: ArcticConfig) -> None:
        super().__init__()
        h, d = config.hidden_size, config.dim_per_head
        self.n_heads, self.n_kv, self.head_dim = (
            config.num_attention_heads,
            config.num_key_value_heads,
            d,
        )
        self.q_proj = nn.Linear(h, self.n_heads * d, bias=False)
        self.k_proj = nn.Linear(h, self.n_kv * d, bias=False)
        self.v_proj = nn.Linear(h, self.n_kv * d, bias=False)
        self.o_proj = nn.Linear(self.n_heads * d, h, bias=False)
        self.qkv_weight: torch.Tensor | None = None  # fastpath.fuse: [q; k; v], the three are views

    def project(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """q, k, v of x [B, T, H]: one matmul when fused (fastpath.fuse), else three."""
        if self.qkv_weight is not None and x.dtype == self.qkv_weight.dtype:
            from arctic_cli.engine.fastpath import linear

            nq, nk = self.n_heads * self.head_dim, self.n_kv * self.head_dim
            q, k, v = linear(x, self.qkv_weight).split([nq, nk, nk], dim=-1)
            return q, k, v
        return self.q_proj(x), self.k_proj(x), self.v_proj(x)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        cache: tuple[torch.Tensor, torch.Tensor] | None = None,
        pos: int | torch.Tensor = 0,
    ) -> torch.Tensor:
        """pos: where x's tokens start; a [1] tensor in the compiled decode step (compiled.py)."""
        b, t, _ = x.shape
        q, k, v = self.project(x)
        q = q.reshape(b, t, self.n_heads, self.head_dim).transpose(1, 2)  # [B, Q, T, D]
        k = k.reshape(b, t, self.n_kv, self.head_dim).transpose(1, 2)  # [B, G, T, D]
        v = v.reshape(b, t, self.n_kv, self.head_dim).transpose(1, 2)  # [B, G, T, D]
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        mask, causal = None, False
        if isinstance(pos, torch.Tensor):  # the compiled decode step: one token, static shapes
            assert cache is not None and t == 1
            cache_k, cache_v = cache  # each [B, G, S_max, D]
            cache_k.index_copy_(2, pos, k)
            cache_v.index_copy_(2, pos, v)
            k, v = cache_k, cache_v  # the whole cache, positions past pos masked out
            mask = (torch.arange(cache_k.shape[2], device=x.device) <= pos)[None]  # [1, S_max]
        else:
            if cache is not None:
                cache_k, cache_v = cache  # each [B, G, S_max, D]
                cache_k[:, :, pos : pos + t] = k
                cache_v[:, :, pos : pos + t] = v
                k, v = cache_k[:, :, : pos + t], cache_v[:, :, : pos + t]  # [B, G, S, D]
            causal = t > 1 and pos == 0
            if t > 1 and pos > 0:  # a chunk after cached tokens: query i sees keys <= pos + i
                s = pos + t
                mask = torch.ones(t, s, dtype=torch.bool, device=x.device).tril(diagonal=pos)  # [T, S]
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, is_causal=causal, enable_gqa=self.n_kv != self.n_heads
        )  # [B, Q, T, D]
        out = out.transpose(1, 2).reshape(b, t, self.n_heads * self.head_dim)  # [B, T, Q*D]
        return self.o_proj(out)  # [B, T, H]


class MLP(nn.Module):
    """SwiGLU: w2(silu(w1 x) * w3 x); w1 = gate, w3 = up, w2 = down."""

    def __init__(self, hidden: int, width: int) -> None:
        super().__init__()
        self.w1 = nn.Linear(hidden, width, bias=False)
        self.w2 = nn.Linear(width, hidden, bias=False)
        self.w3 = nn.Linear(hidden, width, bias=False)
        self.w13_weight: torch.Tensor | None = None  # fastpath.fuse: [w1; w3], the two are views

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.w13_weight is not None and x.dtype == self.w13_weight.dtype:
            from arctic_cli.engine.fastpath import linear

            gate, up = linear(x, self.w13_weight).chunk(2, dim=-1)
            return self.w2(F.silu(gate) * up)
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class DenseBlock(nn.Module):
    """The FFN of a non-MoE layer; kept under `block_sparse_moe.mlp` to match the checkpoint."""

    def __init__(self, config: ArcticConfig) -> None:
        super().__init__()
        self.mlp = MLP(config.hidden_size, config.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.mlp(x)


class MoE(nn.Module):
    """Router + experts. Only routed experts run; never a Python loop over all experts."""

    def __init__(self, config: ArcticConfig) -> None:
        super().__init__()
        self.top_k = config.num_experts_per_tok
        self.gate = nn.Linear(config.hidden_size, config.num_local_experts, bias=False)
        self.experts = nn.ModuleList(
            MLP(config.hidden_size, config.intermediate_size)
            for _ in range(config.num_local_experts)
        )
        self.stack: Any = None  # compiled.ExpertStack: every expert's weights in one tensor

    def route(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x [N, H] -> (weights [N, K] in x's dtype, expert ids [N, K])."""
        probs = F.softmax(self.gate(x).float(), dim=-1)  # [N, E], over ALL experts in float32
        weights, ids = torch.topk(probs, self.top_k, dim=-1)  # [N, K]
        if self.top_k > 1:
            weights = weights / weights.sum(dim=-1, keepdim=True)
        return weights.to(x.dtype), ids

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        x = x.reshape(-1, shape[-1])  # [N, H]
        weights, ids = self.route(x)
        out = (
            self._one_token(x, weights, ids) if x.shape[0] == 1 else self._grouped(x, weights, ids)
        )
        return out.view(shape)  # [B, T, H]

    def _one_token(self, x: torch.Tensor, weights: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """Decode: the K routed experts, read on the host with one sync."""
        if self.stack is not None and torch.compiler.is_compiling():
            return self.stack(x, weights, ids)  # the compiled step: indexed without leaving the graph
        chosen = ids[0].tolist()  # the only device->host copy of this layer
        out = weights[0, 0] * self.experts[chosen[0]](x)  # [1, H]
        for k in range(1, len(chosen)):
            out = out + weights[0, k] * self.experts[chosen[k]](x)
        return out

    def _grouped(self, x: torch.Tensor, weights: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """Prefill: sort (token, expert) pairs by expert, one matmul per hit expert, add back."""
        flat_ids = ids.reshape(-1)  # [N*K]
        order = torch.argsort(flat_ids, stable=True)  # [N*K], pairs grouped by expert
        token_of = order // self.top_k  # [N*K], the token each sorted pair belongs to
        counts = torch.bincount(flat_ids, minlength=len(self.experts)).tolist()  # one sync
        xs = x[token_of]  # [N*K, H], activations (not weights) gathered in expert order
        pair_weights = weights.reshape(-1)[order]  # [N*K]
        ys = torch.empty_like(xs)  # [N*K, H]
        start = 0
        for expert, count in ((e, c) for e, c in enumerate(counts) if c):
            end = start + count
            ys[start:end] = self.experts[expert](xs[start:end])
            start = end
        ys = ys * pair_weights[:, None]  # [N*K, H]
        return torch.zeros_like(x).index_add_(0, token_of, ys)  # [N, H]


class ArcticLayer(nn.Module):
    """One decoder layer with Arctic's wiring (parallel residual MLP on MoE layers when enabled)."""

    def __init__(self, config: ArcticConfig, index: int) -> None:
        super().__init__()
        h, eps = config.hidden_size, config.rms_norm_eps
        self.input_layernorm = RMSNorm(h, eps)
        self.self_attn = Attention(config)
        self.post_attention_layernorm = RMSNorm(h, eps)
        self.is_moe = config.is_moe_layer(index)
        self.block_sparse_moe: nn.Module = MoE(config) if self.is_moe else DenseBlock(config)
        self.parallel = config.has_residual_branch(index)
        if self.parallel:
            self.residual_layernorm = RMSNorm(h, eps)
            self.residual_mlp = MLP(h, h)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        cache: tuple[torch.Tensor, torch.Tensor] | None = None,
        pos: int | torch.Tensor = 0,
    ) -> torch.Tensor:
        h = x + self.self_attn(self.input_layernorm(x), cos, sin, cache, pos)  # [B, T, H]
        if self.parallel:
            # The MoE reads the layer input x (not h), so it can run alongside attention.
            moe = self.block_sparse_moe(self.post_attention_layernorm(x))
            return h + self.residual_mlp(self.residual_layernorm(h)) + moe
        return h + self.block_sparse_moe(self.post_attention_layernorm(h))


class ArcticBody(nn.Module):
    """Embeddings, decoder layers and the final norm: the checkpoint's `model.` prefix."""

    def __init__(self, config: ArcticConfig) -> None:
        super().__init__()
        shape = (config.vocab_size, config.hidden_size)
        placeholder = torch.empty(shape)  # on the default device: meta while a checkpoint loads
        if placeholder.is_meta:  # skip the random init: on meta, Embedding's normal_ imports
            self.embed_tokens = nn.Embedding.from_pretrained(placeholder, freeze=False)  # dynamo (~1 s)
        else:
            self.embed_tokens = nn.Embedding(*shape)
        self.layers = nn.ModuleList(ArcticLayer(config, i) for i in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)


class ArcticForCausalLM(nn.Module):
    """The whole model. `model(ids)` is the full causal forward; generation passes a KVCache."""

    def __init__(self, config: ArcticConfig) -> None:
        super().__init__()
        self.config = config
        self.model = ArcticBody(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.compiled_step: Any = None  # compiled.CompiledStep, set by compiled.compile_decode

    @property
    def device(self) -> torch.device:
        return self.model.embed_tokens.weight.device  # embeddings are never quantized

    @property
    def dtype(self) -> torch.dtype:
        return self.model.embed_tokens.weight.dtype

    def new_cache(self, batch: int, max_len: int) -> KVCache:
        return KVCache.allocate(self.config, batch, max_len, self.device, self.dtype)

    def forward(
        self,
        input_ids: torch.Tensor,
        cache: KVCache | None = None,
        pos: int = 0,
        last_only: bool = False,
    ) -> torch.Tensor:
        """input_ids [B, T] -> float32 logits [B, T, V] ([B, 1, V] with last_only).

        With a cache, the tokens sit at positions pos .. pos+T-1 and their keys/values are stored.
        One-token steps go through the compiled decode step when there is one (compiled.py).
        """
        t = input_ids.shape[1]
        if cache is not None and pos + t > cache.max_len:
            raise ValueError(f"KV cache holds {cache.max_len} positions, asked for {pos + t}")
        if self.compiled_step is not None and cache is not None and input_ids.shape == (1, 1):
            return self.compiled_step(input_ids, cache, pos)
        return self.run(input_ids, cache, pos, last_only)

    def run(
        self,
        input_ids: torch.Tensor,
        cache: KVCache | None,
        pos: int | torch.Tensor,
        last_only: bool,
    ) -> torch.Tensor:
        """The forward pass itself; pos is a [1] tensor in the compiled decode step."""
        t = input_ids.shape[1]
        x = self.model.embed_tokens(input_ids)  # [B, T, H]
        if isinstance(pos, torch.Tensor):
            positions = pos  # [1]
        else:
            positions = torch.arange(pos, pos + t, device=input_ids.device)  # [T]
        cos, sin = rotary_tables(
            positions, self.config.dim_per_head, self.config.rope_theta, x.dtype
        )
        for i, layer in enumerate(self.model.layers):
            layer_cache = (cache.keys[i], cache.values[i]) if cache is not None else None
            x = layer(x, cos, sin, layer_cache, pos)
        if last_only:
            x = x[:, -1:]  # [B, 1, H]
        return self.lm_head(self.model.norm(x)).float()  # [B, T, V]
