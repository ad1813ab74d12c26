"""One generation interface, two implementations: the local engine and an OpenAI-compatible endpoint.

Task modules (sql, codegen, chat) talk only to `Backend`: chat messages in, text chunks out. A
`GenParams` carries the sampling settings; `constraint` is the local engine's token-level hook
(schema-constrained SQL decoding) and is ignored, with one note, by remote backends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
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
