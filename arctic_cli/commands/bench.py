"""`arctic bench`: prefill/decode speed, memory and weight bandwidth of a local model."""

from __future__ import annotations

from typing import Annotated

import typer

from arctic_cli import output
from arctic_cli.commands.options import (
    CompileOpt,
    DeviceOpt,
    Format,
    FormatOpt,
    ModelOpt,
    QuantOpt,
    resolve_settings,
)

FIELDS = (
    ("prefill_tok_s", "prefill tok/s"), ("decode_tok_s", "decode tok/s"), ("ttft_s", "time to first token s"),
    ("peak_rss_mb", "peak RSS MiB"), ("peak_cuda_mb", "peak CUDA MiB"), ("weights_mb", "weights MiB"),
    ("active_bytes_per_token", "active bytes/token"), ("achieved_gb_s", "achieved GB/s"),
)  # fmt: skip


def bench(
    model: ModelOpt = None,
    quant: QuantOpt = None,
    device: DeviceOpt = None,
    prompt_tokens: Annotated[
        int, typer.Option("--prompt-tokens", help="Prompt length for prefill.")
    ] = 128,
    new_tokens: Annotated[
        int, typer.Option("--new-tokens", help="Greedy tokens generated per run.")
    ] = 32,
    repeats: Annotated[
        int, typer.Option("--repeats", help="Measured runs (the median is reported).")
    ] = 3,
    threads: Annotated[
        int | None, typer.Option("--threads", help="CPU threads (default: torch's).")
    ] = None,
    compile: CompileOpt = False,
    fmt: FormatOpt = Format.text,
) -> None:
    """Benchmark a local model after a warm-up: medians of repeated prefill + greedy decode runs."""
    from arctic_cli.backends import resolve_model_dir
    from arctic_cli.engine import bench as engine_bench

    settings = resolve_settings(model=model, quant=quant, device=device, compile=compile or None)
    model_dir = resolve_model_dir(settings.model)
    q = None if settings.quant in (None, "none") else settings.quant
    result = engine_bench.run(model_dir, device=settings.device, quant=q, prompt_tokens=prompt_tokens,
                              new_tokens=new_tokens, repeats=repeats, threads=threads,
                              compile=bool(settings.compile))  # fmt: skip
    if fmt is Format.json:
        output.print_json(result)
        return
    how = f"{result['quant']}, {result['device']}, {result['threads']} threads"
    if result.get("compile_s") is not None:
        how += f", compiled in {result['compile_s']} s"
    lines = [f"{model_dir} ({how})"]
    lines += [f"  {label:<24} {result[key]}" for key, label in FIELDS if key in result]
    output.print_text("\n".join(lines))
