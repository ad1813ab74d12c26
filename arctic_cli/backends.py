"""One generation interface, two implementations: the local engine and an OpenAI-compatible endpoint.

Task modules (sql, codegen, chat) talk only to `Backend`: chat messages in, text chunks out. A
`GenParams` carries the sampling settings; `constraint` is the local engine's token-level hook
(schema-constrained SQL decoding) and is ignored, with one note, by remote backends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}


@dataclass
class GenParams:
    max_tokens: int = 512
    temperature: float = 0.0
    top_k: int = 0
    top_p: float = 1.0
    repetition_penalty: float = 1.0
    seed: int | None = None
    stop: Sequence[str] = ()
    constraint: Any = None  # local engine only: see arctic_cli/sql/constrain.py
    beams: int = 1  # local engine only: > 1 is a beam search (deterministic; see engine/generate.py)


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    finish_reason: str = "stop"  # "stop" | "length"


@dataclass
class Completion:
    text: str
    usage: Usage = field(default_factory=Usage)


class Backend(Protocol):
    """What every task needs from a model."""

    name: str  # reported as "model" in JSON outputs and the history log
    context_window: int  # tokens (prompt + completion)

    def count_tokens(self, messages: list[Message]) -> int:
        """Tokens the rendered chat prompt takes (an estimate for remote backends)."""
        ...

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        """Yield the answer's text in chunks; fill `usage` as it goes (complete once exhausted)."""
        ...


def complete(backend: Backend, messages: list[Message], params: GenParams) -> Completion:
    """Run one generation to the end and return its text and usage."""
    usage = Usage()
    start = time.perf_counter()
    text = "".join(backend.stream(messages, params, usage))
    usage.seconds = time.perf_counter() - start
    return Completion(text, usage)


SQL_HINTS_KEY = "arctic_sql_hints"  # config.json: the model expects `linking.hints` in SQL prompts


class LocalBackend:
    """The local engine as a `Backend`: chat template -> generate_tokens -> incremental text.

    `params.constraint`, when set, is called as `logits_hook(generated_ids, logits) -> logits`
    before each token is chosen (`self.tokenizer` is there for hooks that need the vocabulary).
    """

    supports_constraints = True  # GenParams.constraint and GenParams.beams are honoured

    def __init__(
        self,
        model_dir: str | Path,
        device: str = "auto",
        dtype: Any = None,
        quant: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        warn: Callable[[str], None] | None = None,
        compile: bool = False,
    ):
        from arctic_cli.engine import load_model
        from arctic_cli.engine.config import read_generation_config
        from arctic_cli.engine.tokenizer import load_tokenizer

        self.model_dir = Path(model_dir)
        generation = read_generation_config(self.model_dir)  # a bad file fails before the slow load
        self.max_new_tokens = generation.max_new_tokens  # the checkpoint's default answer length
        self.model = load_model(
            self.model_dir, device=device, dtype=dtype, quant=quant, progress=progress,
            compile=compile,
        )
        self.tokenizer = load_tokenizer(
            self.model_dir, eos_ids=(*self.model.config.eos_ids, *generation.eos_ids), warn=warn
        )
        self.name = self.model_dir.name
        self.context_window = int(self.model.config.max_position_embeddings)
        # trained by `arctic train` with the SQL prompt's hint line (arctic_cli/sql/linking.py)
        self.sql_hints = self.model.config.extra.get(SQL_HINTS_KEY) is True

    def count_tokens(self, messages: list[Message]) -> int:
        return len(self.tokenizer.encode_chat(messages))

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        from arctic_cli.engine.generate import generate_tokens, room_to_generate
        from arctic_cli.engine.tokenizer import StopStrings

        prompt = self.tokenizer.encode_chat(messages)
        budget = room_to_generate(self.model, len(prompt), params.max_tokens)
        usage.prompt_tokens, usage.completion_tokens, usage.finish_reason = len(prompt), 0, "length"
        decoder = self.tokenizer.incremental_decoder()
        stops = StopStrings(params.stop)
        tokens: Iterable[int]
        if params.beams > 1:  # the best hypothesis, yielded once the search is over
            from arctic_cli.engine.generate import beam_search

            tokens = beam_search(
                self.model, prompt, beams=params.beams, max_new_tokens=budget,
                stop_ids=self.tokenizer.stop_ids, logits_hook=params.constraint,
            )[0].ids  # fmt: skip
        else:
            tokens = generate_tokens(
                self.model, prompt, max_new_tokens=budget, temperature=params.temperature,
                top_k=params.top_k, top_p=params.top_p, seed=params.seed,
                stop_ids=self.tokenizer.stop_ids, repetition_penalty=params.repetition_penalty,
                logits_hook=params.constraint,
            )  # fmt: skip
        for token in tokens:
            usage.completion_tokens += 1
            text = stops.feed(decoder.push(token))
            if text:
                yield text
            if stops.stopped:
                usage.finish_reason = "stop"
                return
        if usage.completion_tokens < budget:
            usage.finish_reason = "stop"  # a stop id ended it
        tail = stops.feed(decoder.flush())
        tail += stops.flush()
        if stops.stopped:
            usage.finish_reason = "stop"
        if tail:
            yield tail


def builtin_model_dir() -> Path | None:
    from importlib.resources import files

    try:
        root = files("arctic_cli.models") / "default"
    except ModuleNotFoundError:
        return None
    path = Path(str(root))
    return path if (path / "config.json").is_file() else None


def gen_params(settings: Any, backend: Backend, seed: int | None = None) -> GenParams:
    """The generation settings a command starts from: `settings` (flag > env > config file), and,
    where none of those set max_tokens, the model's own default (its generation_config.json)."""
    max_tokens = model_max_tokens(settings, backend) or settings.max_tokens
    return GenParams(max_tokens=max_tokens, temperature=settings.temperature, seed=seed)


def model_max_tokens(settings: Any, backend: Backend) -> int | None:
    """The backend's own answer length (a checkpoint's `max_new_tokens`) where `settings` leave
    max_tokens at arctic's default; None where it has none or the user chose."""
    model_default = getattr(backend, "max_new_tokens", None)
    if model_default and settings["max_tokens"].source == "default":
        return int(model_default)
    return None


def resolve_model_dir(model: str) -> Path:
    """`default` -> the built-in checkpoint; anything else is a checkpoint directory."""
    from arctic_cli.errors import RuntimeFailure, UsageError

    if model == "default":
        path = builtin_model_dir()
        if path is None:
            raise RuntimeFailure(
                "the built-in model is not installed in this build",
                hint="pass --model DIR (a checkpoint directory) or --endpoint URL",
            )
        return path
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    from arctic_cli.settings import arctic_home

    hint = "pass --model DIR with a Hugging Face style checkpoint (see `arctic models`), or --endpoint URL"
    if Path(model).name != model:  # a path, never a name
        raise UsageError(f"model directory {model} does not exist", hint=hint)
    models = arctic_home() / "models"  # `--model NAME`: a checkpoint kept in ARCTIC_HOME/models
    if (models / model).is_dir():
        return models / model
    raise UsageError(f"model {model!r} is neither a directory nor a model in {models}", hint=hint)


def _set_threads() -> None:
    """torch defaults to one thread per physical core; respect a tighter CPU affinity (containers)."""
    import os

    import torch

    if "OMP_NUM_THREADS" in os.environ or not hasattr(os, "sched_getaffinity"):
        return
    allowed = len(os.sched_getaffinity(0))
    if allowed < torch.get_num_threads():
        torch.set_num_threads(max(1, allowed))


class _LoadBar:
    """A rich progress bar on stderr that appears only once a load has taken over ~0.5 s."""

    def __init__(self, label: str, delay: float = 0.5):
        self.label, self.delay = label, delay
        self.start = time.perf_counter()
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if time.perf_counter() - self.start < self.delay or done >= total:
                return
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

            from arctic_cli.output import err

            self.progress = Progress(
                "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                TimeRemainingColumn(), console=err(), transient=True,
            )  # fmt: skip
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def open_backend(settings: Any, progress: bool = True) -> Backend:
    """The backend the settings ask for: `--endpoint URL`, else the local model `--model`."""
    from arctic_cli.errors import RuntimeFailure

    if settings.endpoint:
        try:
            from arctic_cli.endpoint import EndpointBackend
        except ImportError:
            raise RuntimeFailure("endpoint support is not available",
                                 hint="run a local model with --model DIR") from None  # fmt: skip
        return EndpointBackend(settings.endpoint, settings.api_key, settings.remote_model)
    model_dir = resolve_model_dir(settings.model)
    from arctic_cli.output import err, warn

    _set_threads()
    # a bar only on a terminal: in a pipe or a log it would leave a stray line on stderr
    bar = _LoadBar(f"loading {model_dir.name}") if progress and err().is_terminal else None
    quant = None if settings.quant in (None, "none") else settings.quant
    try:
        return LocalBackend(model_dir, device=settings.device, quant=quant, progress=bar, warn=warn,
                            compile=bool(settings.compile))  # fmt: skip
    except MemoryError:
        raise RuntimeFailure(f"out of memory while loading {model_dir}",
                             hint="try --quant int8 or int4, or a smaller model") from None  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
