"""A test double for the `Backend` protocol: it replies with scripted answers, in order.

Not a model: tests use it to check what reaches the backend (messages, parameters) and what the
commands make of known answers. Tokens are counted as words plus two per message. `delay` slows
each chunk down so a test can interrupt a generation midway.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from arctic_cli.backends import GenParams, Message, Usage


class ScriptedAnswers:
    def __init__(
        self,
        answers: list[str],
        context_window: int = 4096,
        delay: float = 0.0,
        name: str = "scripted",
    ):
        self.name = name
        self.answers = list(answers)
        self.context_window = context_window
        self.delay = delay
        self.calls: list[tuple[list[Message], GenParams]] = []

    def count_tokens(self, messages: list[Message]) -> int:
        return sum(len(m["content"].split()) + 2 for m in messages)

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        self.calls.append(([dict(m) for m in messages], params))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        usage.prompt_tokens = self.count_tokens(messages)
        for i, word in enumerate(answer.split(" ")):
            if self.delay:
                time.sleep(self.delay)
            usage.completion_tokens += 1
            yield word if i == 0 else " " + word
