"""One model, one thread: generation jobs run one at a time, in arrival order, off the event loop.

The server has one loaded model and must never interleave two answers, so every request becomes a
`Job` on a FIFO queue served by a single daemon thread (the same thread every time, which also keeps
torch's thread-local state consistent across the steps of a generator). The thread hands events back
to the asyncio loop that submitted the job: `("text", str)` for each chunk, then `("done", Usage)`,
`("error", exception)` or `("cancelled", reason)`. Cancellation (a client that went away, a shutdown) is checked between
tokens, so a cancelled generation stops after at most one more token.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from arctic_cli.backends import Backend, GenParams, Message, Usage
from arctic_cli.errors import UsageError

Event = tuple[
    str, Any
]  # ("text", str) | ("done", Usage) | ("error", BaseException) | ("cancelled", str)
SHUTTING_DOWN = "the server is shutting down"


class PromptTooLong(UsageError):
    """The prompt leaves no room for an answer in the model's context window."""


@dataclass(eq=False)  # identity semantics: jobs live in a set
class Job:
    messages: list[Message]
    params: GenParams
    loop: asyncio.AbstractEventLoop
    events: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    usage: Usage = field(default_factory=Usage)
    cancelled: threading.Event = field(default_factory=threading.Event)
    chunks: int = 0  # text chunks generated so far (one per token for the local engine)
    checked: float = 0.0  # when the request last checked its client is still connected
    reason: str = ""

    def cancel(self, reason: str = "the client went away") -> None:
        if not self.cancelled.is_set():
            self.reason = reason
            self.cancelled.set()

    def push(self, event: Event) -> None:
        """Called on the worker thread: hand one event to the job's event loop."""
        try:
            self.loop.call_soon_threadsafe(self.events.put_nowait, event)
        except RuntimeError:  # the loop is closed: the server shut down, nobody is listening
            self.cancel()


class ModelWorker:
    """The single thread that owns the model and runs `Job`s in FIFO order."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending: set[Job] = set()
        self.completed = 0  # jobs run to the end (tests and /health read it)

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="arctic-model", daemon=True
                )
                self._thread.start()

    def submit(self, messages: list[Message], params: GenParams) -> Job:
        """Queue one generation; call from the event loop that will read its events."""
        self.start()
        job = Job(messages, params, asyncio.get_running_loop())
        with self._lock:
            self._pending.add(job)
        self._jobs.put(job)
        return job

    @property
    def queued(self) -> int:
        return self._jobs.qsize()

    def cancel_all(self, reason: str = SHUTTING_DOWN) -> None:
        """Cancel every job, running or waiting: each ends with ("cancelled", reason)."""
        with self._lock:
            for job in self._pending:
                job.cancel(reason)

    def close(self, timeout: float = 5.0) -> None:
        """Cancel every job and stop the thread."""
        self.cancel_all()
        with self._lock:
            thread, self._thread = self._thread, None
        self._jobs.put(None)
        if thread is not None:
            thread.join(timeout)

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self._run(job)
            finally:
                with self._lock:
                    self._pending.discard(job)

    def _run(self, job: Job) -> None:
        if job.cancelled.is_set():  # cancelled while it waited its turn
            job.push(("cancelled", job.reason))
            return
        try:
            self._fit(job)
            pieces = self.backend.stream(job.messages, job.params, job.usage)
            try:
                for piece in pieces:
                    job.chunks += 1
                    job.push(("text", piece))
                    if job.cancelled.is_set():
                        break  # between tokens: the next one is never computed
            finally:
                close = getattr(pieces, "close", None)
                if close is not None:
                    close()
            if job.cancelled.is_set():
                job.push(("cancelled", job.reason))
                return
            self.completed += 1
            job.push(("done", job.usage))
        except BaseException as e:  # handed to the request, which turns it into an HTTP error
            job.push(("error", e))

    def _fit(self, job: Job) -> None:
        """Check the prompt fits the context window; shrink max_tokens to the room left."""
        prompt = self.backend.count_tokens(job.messages)
        room = self.backend.context_window - prompt
        if room <= 0:
            raise PromptTooLong(
                f"the prompt takes {prompt} tokens; the context window is "
                f"{self.backend.context_window}",
                hint="shorten the messages",
            )
        job.params.max_tokens = min(job.params.max_tokens, room)
