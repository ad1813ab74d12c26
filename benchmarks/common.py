"""Shared helpers for the benchmark scripts: checkpoints, thread setup and interleaved timing.

Benchmarks are not tests (docs/style.md): they print numbers, and every comparison is measured
side by side in one process, interleaved (A, B, C, A, B, C, ...), reporting medians.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE = Path(os.environ.get("ARCTIC_BENCH_CACHE", Path(tempfile.gettempdir()) / "arctic-bench"))

# The Arctic checkpoint llama.cpp was measured on (docs/performance-notes.md).
LLAMA_CPP_CONFIG: dict[str, Any] = {
    "hidden_size": 1024, "num_attention_heads": 16, "num_key_value_heads": 4,
    "num_local_experts": 32, "num_experts_per_tok": 2, "intermediate_size": 704,
    "num_hidden_layers": 4, "parallel_attn_mlp_res": True, "vocab_size": 8192,
    "max_position_embeddings": 4096,
}  # fmt: skip
# The same network without the residual branch: exactly Mixtral.
MIXTRAL_CONFIG: dict[str, Any] = {**LLAMA_CPP_CONFIG, "parallel_attn_mlp_res": False}


def checkpoint(name: str, config: dict[str, Any], seed: int = 0) -> Path:
    """A random float32 checkpoint for `config`, written once and reused from CACHE/name."""
    from arctic_cli.engine.checkpoint import write_random_checkpoint

    path = CACHE / name
    if not (path / "config.json").is_file():
        write_random_checkpoint(path, seed=seed, **config)
    return path


def setup_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)


def interleaved(cases: dict[str, Callable[[], float]], repeats: int) -> dict[str, list[float]]:
    """Run every case once per round (after one warm-up round); each case returns seconds."""
    for fn in cases.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            times[name].append(fn())
    return times


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def load_note() -> str:
    """The machine's load when the numbers were taken (other jobs share these 2 cores)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"
