"""Quantization accuracy: logits of int8 / int4 models against a float64 reference.

For each mode: cosine similarity of all logits of a prompt, the share of positions whose argmax
(greedy next token) agrees with the reference, and the same cosine with only the weights
quantized in a float64 model (no bfloat16 activations), to separate weight error from
activation rounding. With random weights MoE routing flips under tiny perturbations, so random
checkpoints understate what a trained model keeps; run it on a trained one too (--model DIR).

    python benchmarks/accuracy.py [--model DIR] [--threads 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch
from common import LLAMA_CPP_CONFIG, checkpoint, setup_threads

from arctic_cli.engine import load_model
from arctic_cli.engine import quant as Q

TEXT = (
    "SELECT c.name, SUM(o.total) AS revenue FROM customers c JOIN orders o ON o.customer_id = c.id "
    "WHERE o.created_at >= '2024-01-01' GROUP BY c.name ORDER BY revenue DESC LIMIT 10; "
    "The query lists the ten customers with the highest revenue since the start of 2024."
)


def prompt_ids(path: Path, vocab: int) -> torch.Tensor:
    try:
        from arctic_cli.engine.tokenizer import load_tokenizer

        ids = load_tokenizer(path).encode(TEXT)
    except Exception:  # no tokenizer: fixed random ids
        ids = torch.randint(0, vocab, (64,), generator=torch.Generator().manual_seed(1)).tolist()
    return torch.tensor([ids])


def weights_only(path: Path, mode: str, group: int) -> Any:
    """A float64 model whose projections hold the dequantized weights."""
    model = load_model(path, dtype=torch.float64)
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, torch.nn.Linear) and not name.endswith("gate"):
                n, k = module.weight.shape
                if Q.can_quantize(n, k, mode, group):
                    t = Q.quantize_tensor(module.weight.float(), mode, group)
                    module.weight.copy_(Q.dequantize(t, group).double())
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    setup_threads(args.threads)
    path = args.model or checkpoint("arctic-llamacpp", LLAMA_CPP_CONFIG)
    ref_model = load_model(path, dtype=torch.float64)
    ids = prompt_ids(path, ref_model.config.vocab_size)
    cos = torch.nn.functional.cosine_similarity
    print(f"# {path}: {ids.shape[1]} prompt tokens")
    print("| mode | cosine | top-1 agreement | cosine, weights only (float64) |")
    print("|---|---|---|---|")
    with torch.inference_mode():
        ref = ref_model(ids)[0]  # [T, V]
        for mode, group in (("f32", 0), ("int8", 0), ("int4", 32), ("int4", 64), ("int4", 128)):
            if mode == "f32":
                got, wo = load_model(path)(ids)[0], ref
            else:
                got = Q.quantize_model(load_model(path), mode, group or 64)(ids)[0]
                wo = weights_only(path, mode, group or 64)(ids)[0]
            c = cos(got.double().flatten(), ref.flatten(), dim=0).item()
            agree = (got.argmax(-1) == ref.argmax(-1)).double().mean().item()
            c_wo = cos(wo.double().flatten(), ref.flatten(), dim=0).item()
            label = f"{mode} g{group}" if mode == "int4" else mode
            print(f"| {label} | {c:.5f} | {agree:.3f} | {c_wo:.5f} |")


if __name__ == "__main__":
    main()
