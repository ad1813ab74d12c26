"""The Arctic runtime: model, loading, quantization, generation. Imports neither typer nor rich.

Public API (see docs/contracts.md): `load_model(path, device, dtype, quant, progress, compile)` and
`generate_tokens(model, prompt_ids, ...)`; tokenizer and chat helpers live in
`arctic_cli.engine.tokenizer`, random test checkpoints in `arctic_cli.engine.checkpoint`.
Attributes are imported lazily so that importing this package does not import torch.
"""

from __future__ import annotations

from typing import Any

__all__ = ["generate_tokens", "load_model"]


def __getattr__(name: str) -> Any:
    if name == "load_model":
        from arctic_cli.engine.loader import load_model

        return load_model
    if name == "generate_tokens":
        from arctic_cli.engine.generate import generate_tokens

        return generate_tokens
    raise AttributeError(f"module 'arctic_cli.engine' has no attribute {name!r}")
