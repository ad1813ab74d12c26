"""`arctic train`: train a small Arctic-architecture model from generated data (the built-in model's recipe)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from arctic_cli import output
from arctic_cli.errors import UsageError


def _shape(init_from: Path | None, size: str | None) -> dict[str, object]:
    """The model's shape: a named size, or for a fine-tune the shape of the model it starts from."""
    import json

    from arctic_cli.train.trainer import DEFAULT_MODEL, SIZES

    if init_from is None:
        return dict(SIZES[size or "small"])
    try:
        config = json.loads((init_from / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {init_from / 'config.json'}: {e}", hint="pass a folder written by `arctic train`") from None
    return {key: config.get(key, value) for key, value in DEFAULT_MODEL.items()}


def train(
    out: Annotated[Path, typer.Argument(help="Run folder: data, tokenizer, checkpoints, log and the exported model/.")],
    examples: Annotated[int, typer.Option(help="Generated training examples.")] = 40000,
    steps: Annotated[int, typer.Option(help="Optimizer steps.")] = 1500,
    batch_tokens: Annotated[int, typer.Option(help="Padded tokens per step.")] = 8192,
    lr: Annotated[float, typer.Option(help="Peak learning rate (AdamW, warmup + cosine).")] = 2e-3,
    vocab_size: Annotated[int, typer.Option(help="BPE vocabulary size.")] = 4096,
    seed: Annotated[int, typer.Option(help="Seed for data, initialisation and batch order.")] = 0,
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    threads: Annotated[int | None, typer.Option(help="CPU threads (default: torch's choice).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue from the run folder's checkpoint if there is one.")] = True,
    name: Annotated[str | None, typer.Option(help="Also install the result as ARCTIC_HOME/models/NAME (use with --model NAME).")] = None,
    init_from: Annotated[Path | None, typer.Option(help="Fine-tune: start from this exported model's weights and tokenizer.")] = None,
    tokenizer_from: Annotated[Path | None, typer.Option(help="Fresh weights, but this exported model's tokenizer.")] = None,
    size: Annotated[str | None, typer.Option(help="Model size: small (13 M parameters, the default) or medium (27 M, for a GPU).")] = None,
    workers: Annotated[int, typer.Option(help="Processes that generate the data while training runs (0: all of it first, here).")] = 0,
    minutes: Annotated[float | None, typer.Option(help="Train for this long: the schedule follows the clock, --steps caps it.")] = None,
) -> None:
    """Train a small Arctic (dense + residual MoE, top-2) on generated text-to-SQL, code and instruction data."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a run folder", hint="pass a new or existing run folder")
    if min(examples, steps, batch_tokens, vocab_size) <= 0 or lr <= 0:
        raise UsageError("--examples, --steps, --batch-tokens, --vocab-size and --lr must be positive")
    if init_from is not None and not (init_from / "model.safetensors").is_file():
        raise UsageError(f"{init_from} holds no model.safetensors", hint="pass a folder written by `arctic train` (its model/)")
    if tokenizer_from is not None and not (tokenizer_from / "tokenizer.json").is_file():
        raise UsageError(f"{tokenizer_from} holds no tokenizer.json", hint="pass a folder written by `arctic train` (its model/)")
    from arctic_cli.train.trainer import SIZES

    if size is not None and size not in SIZES:
        raise UsageError(f"unknown size {size!r}", hint=f"use one of: {', '.join(SIZES)}")
    if init_from is not None and size is not None:
        raise UsageError("--size applies to fresh weights", hint="a fine-tune keeps the shape of --init-from")
    if name:  # checked before hours of training, and never replaced: it may be someone's model
        from arctic_cli.settings import arctic_home

        installed = arctic_home() / "models" / name
        if Path(name).name != name or name in (".", ".."):
            raise UsageError(f"--name {name!r} is not a plain name", hint="use letters, digits, - and _")
        if installed.exists():
            raise UsageError(f"{installed} already exists", hint="pick another --name, or remove that folder first")
    if workers < 0 or (minutes is not None and minutes <= 0):
        raise UsageError("--workers must be 0 or more and --minutes positive")
    if device not in ("cpu", "cuda"):
        raise UsageError(f"unknown device {device!r}", hint="use --device cpu or --device cuda")
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise UsageError("--device cuda was asked for but no CUDA device is available", hint="use --device cpu")
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from arctic_cli.train.trainer import Progress as Step
    from arctic_cli.train.trainer import TrainConfig
    from arctic_cli.train.trainer import train as run_training

    cfg = TrainConfig(out_dir=out, examples=examples, steps=steps, batch_tokens=batch_tokens, lr=lr,
                      vocab_size=vocab_size, seed=seed, device=device, bf16=True, threads=threads,
                      init_from=init_from, tokenizer_from=tokenizer_from, workers=workers,
                      time_budget=minutes * 60 if minutes else None, model=_shape(init_from, size))  # fmt: skip
    bar = Progress(
        TextColumn("training"), BarColumn(), MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.3f}  eval {task.fields[eval]}  {task.fields[tps]:.0f} tok/s"),
        TimeRemainingColumn(), console=output.err(),
    )  # fmt: skip
    made = f"with {workers} worker processes" if workers else "first"
    output.note(f"preparing {examples} examples ({made}) and the tokenizer in {out} ...")
    with bar:
        task = bar.add_task("train", total=steps, loss=float("nan"), eval="-", tps=0.0)

        def on_progress(p: Step) -> None:
            if p.eval_loss is not None:
                bar.update(task, eval=f"{p.eval_loss:.3f}")
                if not bar.console.is_terminal:  # a log (a GPU job, CI): the bar only draws at the end
                    output.note(f"step {p.step}/{p.steps}  loss {p.loss:.3f}  eval {p.eval_loss:.3f}  "
                                f"{p.tokens_per_s:.0f} tok/s")  # fmt: skip
            bar.update(task, completed=p.step, total=p.steps, loss=p.loss, tps=p.tokens_per_s)

        model_dir = run_training(cfg, on_progress, resume=resume)
    if name:
        shutil.copytree(model_dir, installed)
        output.note(f"installed as {installed}: use --model {name}")
    output.print_text(str(model_dir))
