"""Batch-1 GEMV bandwidth of this machine: the ceiling for decode speed (docs/performance-notes.md).

48 distinct 1408x1024 matrices per kind (working set far above a 32 MB L3), one GEMV each per
pass, passes interleaved across kinds, median pass time -> weight bytes streamed per second.
Kinds: float32 F.linear (MKL), float32 torch.mv, float32 through oneDNN (engine/fastpath.py, what
the float model uses), bfloat16 F.linear, int8 (torch._weight_int8pack_mm,
bf16 activations) and int4 group 64 (torch._weight_int4pack_mm_for_cpu) through the project's
Int8Linear / Int4Linear modules, so the figure includes their per-call casts.

    python benchmarks/gemv_bandwidth.py [--threads 2] [--repeats 7]
"""

from __future__ import annotations

import argparse
from typing import Any

import torch
import torch.nn.functional as F
from common import interleaved, load_note, median, setup_threads, timed
from torch import nn

from arctic_cli.engine import quant as Q
from arctic_cli.engine.fastpath import accelerate

N, K, COUNT = 1408, 1024, 48


def kinds() -> dict[str, tuple[list[Any], int]]:
    """name -> (callables each doing one GEMV on its own matrix, weight bytes per matrix)."""
    gen = torch.Generator().manual_seed(0)
    ws = [torch.randn(N, K, generator=gen) / K**0.5 for _ in range(COUNT)]
    x32, xbf = torch.randn(1, K), torch.randn(1, K).bfloat16()
    cpu = torch.device("cpu")
    out: dict[str, tuple[list[Any], int]] = {}
    out["f32 F.linear"] = ([lambda w=w: F.linear(x32, w) for w in ws], N * K * 4)
    out["f32 torch.mv"] = ([lambda w=w: torch.mv(w, x32[0]) for w in ws], N * K * 4)
    fast = [accelerate(nn.Linear(K, N, bias=False)) for _ in range(COUNT)]
    for layer, w in zip(fast, ws, strict=True):
        layer.weight = nn.Parameter(w, requires_grad=False)
    out["f32 oneDNN (FastLinear)"] = ([lambda m=m: m(x32) for m in fast], N * K * 4)
    bf = [w.bfloat16() for w in ws]
    out["bf16 F.linear"] = ([lambda w=w: F.linear(xbf, w) for w in bf], N * K * 2)
    i8 = [Q.Int8Linear(Q.quantize_int8(w), cpu) for w in ws]
    out["int8 (Int8Linear)"] = ([lambda m=m: m(x32) for m in i8], Q.weights_bytes(i8[0]))
    i4 = [Q.Int4Linear(Q.quantize_int4(w, 64), 64, cpu) for w in ws]
    out["int4 g64 (Int4Linear)"] = ([lambda m=m: m(x32) for m in i4], Q.weights_bytes(i4[0]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    setup_threads(args.threads)
    table = kinds()

    def one_pass(fns: list[Any]) -> float:
        return timed(lambda: [f() for f in fns])

    with torch.inference_mode():
        times = interleaved(
            {k: (lambda fns=fns: one_pass(fns)) for k, (fns, _) in table.items()}, args.repeats
        )
    print(f"# {args.threads} threads, {COUNT} matrices {N}x{K}; {load_note()}")
    print(f"{'kind':<26} {'us/GEMV':>8} {'GB/s':>7} {'Gparam/s':>9}")
    for k, (_, nbytes) in table.items():
        t = median(times[k]) / COUNT
        print(f"{k:<26} {t * 1e6:>8.1f} {nbytes / t / 1e9:>7.1f} {N * K / t / 1e9:>9.1f}")


if __name__ == "__main__":
    main()
