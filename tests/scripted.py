"""A scripted stand-in for a model (a test double, not a model), shared by the task and command tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from arctic_cli.backends import GenParams, Message, Usage


class Scripted:
    """Answers from a list, in order, streamed word by word; records every request; a token per word."""

    name = "scripted"

    def __init__(self, answers: list[str], context_window: int = 4096) -> None:
        self.answers = list(answers)
        self.context_window = context_window
        self.calls: list[tuple[list[Message], GenParams]] = []

    def count_tokens(self, messages: list[Message]) -> int:
        return sum(len(m["content"].split()) + 2 for m in messages)

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        self.calls.append((messages, params))
        answer = self.answers.pop(0)
        usage.prompt_tokens = self.count_tokens(messages)
        for piece in re.findall(r"\S+\s*|\s+", answer):  # pieces join back to the exact answer
            usage.completion_tokens += 1
            yield piece
