"""`arctic bench`: prefill and decode speed, memory and achieved weight bandwidth of one model.

Method (docs/performance.md): a fixed random prompt, a warm-up prefill + decode, then `repeats`
runs of (prefill of `prompt_tokens` with a fresh KV cache, then `new_tokens` greedy decode steps);
every figure is the median over the runs. Decode speed counts only the steps after the first
token, so it does not include the prefill.

  prefill_tok_s           prompt_tokens / prefill seconds
  ttft_s                  prefill + choosing the first token
  decode_tok_s            decode steps / their seconds
  peak_rss_mb             the process's peak resident memory (MiB), loading included
  weights_mb              bytes of the model's parameters and buffers (MiB)
  active_bytes_per_token  weight bytes one decode step reads: everything except the experts, plus
                          top-k of E experts per MoE layer and one embedding row
  achieved_gb_s           active_bytes_per_token x decode_tok_s / 1e9
On CUDA also peak_cuda_mb (torch.cuda.max_memory_allocated).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import torch
from torch import nn

from arctic_cli.errors import UsageError


def _bytes(module: nn.Module) -> int:
    from arctic_cli.engine.quant import weights_bytes

    return weights_bytes(module)


def active_bytes_per_token(model: Any) -> int:
    """Weight bytes read by one batch-1 decode step (routed experts only)."""
    from arctic_cli.engine.model import MoE

    total = _bytes(model)
    embed = model.model.embed_tokens.weight
    tied = model.lm_head.weight is embed if hasattr(model.lm_head, "weight") else False
    if not tied:  # one row of the embedding is read, not the table
        total -= embed.numel() * embed.element_size() - embed.shape[1] * embed.element_size()
    for layer in model.model.layers:
        moe = layer.block_sparse_moe
        if isinstance(moe, MoE):
            experts = _bytes(moe.experts)
            total -= experts - experts * moe.top_k // len(moe.experts)
    return total


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def _one_run(model: Any, prompt: torch.Tensor, new_tokens: int) -> tuple[float, float, float]:
    """(prefill seconds, ttft seconds, decode seconds for new_tokens - 1 steps)."""
    device = prompt.device
    cache = model.new_cache(1, prompt.shape[1] + new_tokens)
    _sync(device)
    start = time.perf_counter()
    logits = model(prompt, cache=cache, pos=0, last_only=True)[0, -1]  # [V]
    _sync(device)
    prefill = time.perf_counter() - start
    token = int(torch.argmax(logits).item())  # the host sync a real generation also pays
    ttft = time.perf_counter() - start
    pos = prompt.shape[1]
    start = time.perf_counter()
    for step in range(new_tokens - 1):
        ids = torch.tensor([[token]], device=device)  # [1, 1]
        logits = model(ids, cache=cache, pos=pos + step, last_only=True)[0, -1]
        token = int(torch.argmax(logits).item())
    return prefill, ttft, time.perf_counter() - start


def measure(
    model: Any, prompt_tokens: int = 128, new_tokens: int = 32, repeats: int = 3, seed: int = 0
) -> dict[str, float]:
    """Benchmark an already loaded model (see the module docstring for the fields)."""
    window = int(model.config.max_position_embeddings)
    if prompt_tokens < 1 or new_tokens < 2 or repeats < 1:
        raise UsageError("need --prompt-tokens >= 1, --new-tokens >= 2 and --repeats >= 1")
    if prompt_tokens + new_tokens > window:
        raise UsageError(f"prompt + new tokens ({prompt_tokens + new_tokens}) exceed the model's "
                         f"context window ({window})", hint="lower --prompt-tokens or --new-tokens")  # fmt: skip
    gen = torch.Generator().manual_seed(seed)
    prompt = torch.randint(0, model.config.vocab_size, (1, prompt_tokens), generator=gen)
    prompt = prompt.to(model.device)
    runs = []
    with torch.inference_mode():
        _one_run(model, prompt, min(new_tokens, 4))  # warm-up: allocator, kernels, caches
        for _ in range(repeats):
            runs.append(_one_run(model, prompt, new_tokens))
    prefill = statistics.median(r[0] for r in runs)
    ttft = statistics.median(r[1] for r in runs)
    decode = statistics.median(r[2] for r in runs)
    decode_tok_s = (new_tokens - 1) / decode
    active = active_bytes_per_token(model)
    result = {
        "prefill_tok_s": round(prompt_tokens / prefill, 2),
        "decode_tok_s": round(decode_tok_s, 2),
        "ttft_s": round(ttft, 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "weights_mb": round(_bytes(model) / 2**20, 1),
        "active_bytes_per_token": active,
        "achieved_gb_s": round(active * decode_tok_s / 1e9, 2),
    }
    if model.device.type == "cuda":
        result["peak_cuda_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return result


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def run(
    model_dir: Path,
    device: str = "cpu",
    quant: str | None = None,
    dtype: Any = None,
    prompt_tokens: int = 128,
    new_tokens: int = 32,
    repeats: int = 3,
    threads: int | None = None,
    compile: bool = False,
) -> dict[str, Any]:
    """Load `model_dir` (quantized on load when asked) and measure it.

    Adds "load_s", "quant", "threads", "device", and with `compile` "compile_s" (the compilation
    of the decode step, which load_s includes).
    """
    from arctic_cli.engine.loader import load_model

    if threads is not None:
        if threads < 1:
            raise UsageError("--threads must be at least 1")
        torch.set_num_threads(threads)
    start = time.perf_counter()
    model = load_model(model_dir, device=device, dtype=dtype, quant=quant, compile=compile)
    load_s = time.perf_counter() - start
    result: dict[str, Any] = measure(model, prompt_tokens, new_tokens, repeats)
    q = (model.config.quantization or {}).get("mode", "none")
    extra = {"compile_s": round(model.compiled_step.compile_s, 2)} if compile else {}
    return {**result, "load_s": round(load_s, 2), "quant": q, "threads": torch.get_num_threads(),
            "device": str(model.device), **extra}  # fmt: skip
