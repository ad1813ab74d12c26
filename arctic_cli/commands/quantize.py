"""`arctic quantize SRC DST --quant int8|int4`: write a quantized copy that loads without re-quantizing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from arctic_cli import output
from arctic_cli.commands.options import Format, FormatOpt
from arctic_cli.errors import UsageError


def quantize(
    src: Annotated[str, typer.Argument(help="Checkpoint directory (or model name, or 'default').")],
    dst: Annotated[
        Path,
        typer.Argument(help="New directory for the quantized model (must not exist or be empty)."),
    ],
    quant: Annotated[str, typer.Option("--quant", help="int8 (per-channel) or int4 (group-wise).")],
    group_size: Annotated[
        int, typer.Option("--group-size", help="int4 group size: 32, 64 or 128.")
    ] = 64,
    fmt: FormatOpt = Format.text,
) -> None:
    """Quantize a checkpoint ahead of time (safetensors; mode and group size go into config.json)."""
    from arctic_cli.backends import resolve_model_dir

    if quant not in ("int8", "int4"):
        raise UsageError(
            f"--quant must be int8 or int4, got {quant!r}",
            hint="arctic quantize SRC DST --quant int8",
        )
    if group_size not in (32, 64, 128):
        raise UsageError(
            f"--group-size must be 32, 64 or 128, got {group_size}", hint="64 is the default"
        )
    source = resolve_model_dir(src)
    if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise UsageError(
            f"{dst} already exists and is not empty",
            hint="pick a new directory; nothing is overwritten",
        )
    from arctic_cli.engine.quant_io import quantize_checkpoint

    result = quantize_checkpoint(source, dst, quant, group_size)
    summary = {"source": str(source), "path": str(dst), **result,
               "ratio": round(result["bytes"] / max(1, result["source_bytes"]), 4)}  # fmt: skip
    if fmt is Format.json:
        output.print_json(summary)
        return
    g = f", group {group_size}" if quant == "int4" else ""
    output.print_text(f"wrote {dst} ({quant}{g}): {result['bytes'] / 2**20:.1f} MiB, "
                      f"{summary['ratio']:.2f}x of {result['source_bytes'] / 2**20:.1f} MiB")  # fmt: skip
