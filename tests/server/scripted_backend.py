"""A deterministic `Backend` for the server tests (not a model: a test double with a known answer).

It answers with the words of the last message, one word a "token", cycling, at a fixed pace. With
temperature > 0 it shuffles the words with `seed`, so a test can see that sampling settings and the
seed reach the backend. It counts what it generated and how many generations ran at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator

from arctic_cli.backends import GenParams, Message, Usage


class ScriptedBackend:
    supports_constraints = False

    def __init__(
        self, delay: float = 0.0, context_window: int = 64, fail: BaseException | None = None
    ):
        self.name = "scripted"
        self.context_window = context_window
        self.delay = delay  # seconds per token
        self.fail = fail  # raised after the first token when set
        self.generated = 0  # tokens produced over all requests
        self.params: list[GenParams] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def count_tokens(self, messages: list[Message]) -> int:
        return sum(len(m["content"].split()) + 1 for m in messages)

    def stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        self.params.append(params)
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            usage.prompt_tokens = self.count_tokens(messages)
            usage.completion_tokens = 0
            usage.finish_reason = "length"
            words = messages[-1]["content"].split() or ["empty"]
            if params.temperature > 0:
                random.Random(params.seed).shuffle(words)
            text = ""
            for i in range(params.max_tokens):
                if self.delay:
                    time.sleep(self.delay)
                piece = words[i % len(words)] + " "
                self.generated += 1
                usage.completion_tokens += 1
                if any(s in text + piece for s in params.stop):
                    usage.finish_reason = "stop"
                    return
                text += piece
                yield piece
                if self.fail is not None:
                    raise self.fail
        finally:
            with self._lock:
                self.active -= 1
