"""`arctic bench` figures on the checkpoint llama.cpp was measured on, beside llama.cpp's numbers.

Config (docs/performance-notes.md): hidden 1024, 16 heads / 4 KV heads, 32 experts top-2, expert
width 704, 4 layers, parallel residual MLP, vocab 8192 (317 M parameters), random weights.
float32, int8 and int4 (group 64) are loaded in one process and measured interleaved with
`arctic_cli.engine.bench.measure` (256-token prompt, 32 generated tokens, as llama-bench ran),
medians over --repeats rounds. Also prints each quantization's logits cosine to a float64
reference (the issue's accuracy targets) and its weight bytes relative to bfloat16.

    python benchmarks/compare_llamacpp.py [--threads 2] [--repeats 5] [--compile]

With --compile each quantization is also loaded with the compiled decode step (engine/compiled.py)
and measured in the same rounds; its compilation time is printed once.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

import torch
from common import LLAMA_CPP_CONFIG, checkpoint, load_note, setup_threads

from arctic_cli.engine import bench, load_model
from arctic_cli.engine.compiled import compile_decode
from arctic_cli.engine.quant import weights_bytes

# llama-bench on this machine, 2 threads, 256-token prompt / 32 generated (performance-notes.md)
LLAMA_CPP = {
    "f32": ("2,200-2,320", "230-288"),
    "int8": ("2,626", "697"),
    "int4": ("3,704", "1,122"),
}
LLAMA_NAMES = {"f32": "F32", "int8": "Q8_0", "int4": "Q4_0"}


def accuracy(path: Any, models: dict[str, Any]) -> dict[str, float]:
    ids = torch.randint(0, 8192, (1, 64), generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        ref = load_model(path, dtype=torch.float64)(ids).flatten()
        return {
            k: torch.nn.functional.cosine_similarity(m(ids).double().flatten(), ref, dim=0).item()
            for k, m in models.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--group-size", type=int, default=64)
    parser.add_argument("--compile", action="store_true", help="also measure the compiled step")
    args = parser.parse_args()
    setup_threads(args.threads)
    path = checkpoint("arctic-llamacpp", LLAMA_CPP_CONFIG)
    models = {"f32": load_model(path)}
    bf16_bytes = weights_bytes(models["f32"]) // 2
    from arctic_cli.engine.quant import quantize_model

    for q in ("int8", "int4"):
        models[q] = quantize_model(load_model(path), q, args.group_size)
    if args.compile:
        for k in list(models):
            m = quantize_model(load_model(path), k, args.group_size) if k != "f32" else load_model(path)
            models[f"{k} compiled"] = compile_decode(m)
            print(f"# {k}: decode step compiled in {m.compiled_step.compile_s:.1f} s")
    cos = accuracy(path, models)
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in models}
    for m in models.values():  # warm-up round
        bench.measure(m, 256, 32, repeats=1)
    for _ in range(args.repeats):
        for k, m in models.items():
            runs[k].append(bench.measure(m, 256, 32, repeats=1))
    print(f"# {torch.get_num_threads()} threads, torch {torch.__version__}; {load_note()}")
    head = ("", "prefill tok/s", "decode tok/s", "ttft s", "GB/s", "bytes/bf16", "cosine",
            "llama.cpp", "prefill", "decode")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for k in models:
        base = k.split()[0]
        med = {f: statistics.median(r[f] for r in runs[k]) for f in runs[k][0]}
        row = (k, f"{med['prefill_tok_s']:.0f}", f"{med['decode_tok_s']:.1f}",
               f"{med['ttft_s']:.3f}", f"{med['achieved_gb_s']:.1f}",
               f"{weights_bytes(models[k]) / bf16_bytes:.3f}", f"{cos[k]:.5f}",
               LLAMA_NAMES[base], *LLAMA_CPP[base])  # fmt: skip
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
