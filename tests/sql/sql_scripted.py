"""A scripted stand-in for a model in the text-to-SQL tests (a test double, not a model)."""

from __future__ import annotations

from collections.abc import Iterator

from arctic_cli.backends import GenParams, Message, Usage


class Scripted:
    """A test double for a model: answers from a list, in order, and records every request."""

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
        usage.completion_tokens = len(answer.split())
        yield answer
