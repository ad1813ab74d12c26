"""The ASGI app behind `arctic serve`: an OpenAI-compatible API over one `Backend`.

Routes: `GET /v1/models`, `POST /v1/chat/completions` (plain, or `"stream": true` server-sent
events ending in `data: [DONE]`), `GET /health`. Generation runs on the `ModelWorker` thread, so the
event loop keeps answering (health checks, refusals, disconnect notices) while a model computes.
A streamed answer whose client goes away is cancelled: Starlette stops the response when the ASGI
server reports the disconnect, and the response cancels its job on the way out. A plain request
(and any request still waiting for its first token) polls for the disconnect instead. Either way
the worker stops between two tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from arctic_cli.backends import Backend
from arctic_cli.errors import ArcticError, UsageError
from arctic_cli.server.schema import BadRequest, ChatRequest, error_body, parse_chat_request
from arctic_cli.server.worker import Event, Job, ModelWorker, PromptTooLong

MAX_BODY_BYTES = 1 << 20  # 1 MiB: far above any prompt that fits the context window
POLL_SECONDS = 0.25  # how often a waiting plain request checks that its client is still there


class _ClientGone(Exception):
    pass


def create_app(
    backend: Backend,
    *,
    api_key: str | None = None,
    max_tokens: int = 512,
    temperature: float = 0.0,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Starlette:
    """The app serving `backend`. `max_tokens`/`temperature` apply when a request leaves them out."""
    worker = ModelWorker(backend)
    created = int(time.time())

    def authorize(request: Request) -> None:
        if api_key is None:
            return
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), api_key.encode()
        ):
            raise BadRequest(
                "missing or wrong API key: send 'Authorization: Bearer <key>'",
                status=401,
                code="invalid_api_key",
                type="authentication_error",
            )

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "model": backend.name, "queued": worker.queued})

    async def models(request: Request) -> Response:
        try:
            authorize(request)
        except BadRequest as e:
            return _refusal(e)
        card = {
            "id": backend.name,
            "object": "model",
            "created": created,
            "owned_by": "arctic",
            "max_model_len": backend.context_window,
        }
        return JSONResponse({"object": "list", "data": [card]})

    async def chat(request: Request) -> Response:
        try:
            authorize(request)
            req = parse_chat_request(
                await _read_body(request, max_body_bytes), max_tokens, temperature
            )
            job = worker.submit(req.messages, req.params)
            try:
                first = await _next_event(job, request)  # waits for its turn and the prefill
            except BaseException:
                job.cancel()
                raise
            if first[0] in ("error", "cancelled"):
                raise _as_bad_request(first[1])
        except BadRequest as e:
            return _refusal(e)
        except (_ClientGone, ClientDisconnect):
            return Response(status_code=499)  # nobody reads it; nginx's "client closed request"
        reply = _Reply(backend.name, req)
        if req.stream:
            return _Stream(
                job,
                _sse(reply, job, first),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return await _plain(reply, job, first, request)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = f"{request.method} {request.url.path}: {getattr(exc, 'detail', 'internal error')}"
        return JSONResponse(
            error_body(message, "invalid_request_error" if status < 500 else "server_error"), status
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            worker.close()

    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/chat/completions", chat, methods=["POST"]),
        ],
        exception_handlers={HTTPException: http_error, Exception: http_error},
        lifespan=lifespan,
    )
    app.state.worker = worker  # run.py cancels its jobs when a shutdown begins
    return app


class _Stream(StreamingResponse):
    """A streamed answer that cancels its job however the response ends (even mid-`send`)."""

    def __init__(self, job: Job, content: AsyncIterator[str], **kwargs: Any):
        super().__init__(content, **kwargs)
        self.job = job

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.job.cancel()


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 past `limit` bytes (before reading it when Content-Length says so)."""
    too_big = BadRequest(
        f"the request body is over {limit} bytes", status=413, code="request_too_large"
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("invalid Content-Length header")
        if int(declared) > limit:
            raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _as_bad_request(error: BaseException | str) -> BadRequest:
    """A generation failure as an HTTP error: the caller's fault is 400, ours is 500."""
    if isinstance(error, str):  # a cancellation's reason (the server is shutting down)
        return BadRequest(error, status=503, type="server_error")
    if isinstance(error, PromptTooLong):
        return BadRequest(error.message, "messages", code="context_length_exceeded")
    if isinstance(error, UsageError):
        return BadRequest(error.message)
    message = (
        error.message if isinstance(error, ArcticError) else f"{type(error).__name__}: {error}"
    )
    return BadRequest(f"generation failed: {message}", status=500, type="server_error")


async def _next_event(job: Job, request: Request) -> Event:
    """The job's next event; gives up (and cancels the job) once the client has disconnected.

    Checks for the disconnect at most every POLL_SECONDS, whether or not tokens are flowing.
    """
    while True:
        now = time.monotonic()
        if now - job.checked >= POLL_SECONDS:
            job.checked = now
            if await request.is_disconnected():
                job.cancel()
                raise _ClientGone()
        with contextlib.suppress(asyncio.TimeoutError):
            return await asyncio.wait_for(job.events.get(), POLL_SECONDS)


class _Reply:
    """The OpenAI response objects for one request."""

    def __init__(self, model: str, req: ChatRequest):
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())
        self.model = model
        self.req = req

    def _base(self, obj: str) -> dict[str, Any]:
        return {"id": self.id, "object": obj, "created": self.created, "model": self.model}

    def usage(self, job: Job) -> dict[str, int]:
        u = job.usage
        return {
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "total_tokens": u.prompt_tokens + u.completion_tokens,
        }

    def completion(self, text: str, job: Job) -> dict[str, Any]:
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": job.usage.finish_reason,
        }
        return {**self._base("chat.completion"), "choices": [choice], "usage": self.usage(job)}

    def chunk(self, delta: dict[str, str], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return _event({**self._base("chat.completion.chunk"), "choices": [choice]})

    def last_chunks(self, job: Job) -> str:
        """The finish_reason chunk (carrying usage too), and OpenAI's usage-only chunk if asked."""
        final = {**self._base("chat.completion.chunk"), "usage": self.usage(job)}
        final["choices"] = [{"index": 0, "delta": {}, "finish_reason": job.usage.finish_reason}]
        text = _event(final)
        if self.req.include_usage:
            text += _event(
                {**self._base("chat.completion.chunk"), "choices": [], "usage": self.usage(job)}
            )
        return text


def _event(obj: dict[str, Any]) -> str:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


async def _sse(reply: _Reply, job: Job, event: Event) -> AsyncIterator[str]:
    """The server-sent events of one streamed answer; cancels the job however it ends."""
    try:
        yield reply.chunk({"role": "assistant", "content": ""})
        while True:
            kind, value = event
            if kind == "text":
                yield reply.chunk({"content": value})
            elif kind == "done":
                yield reply.last_chunks(job)
                break
            else:  # a failure after the answer began: tell the client in-band, as vLLM does
                error = _as_bad_request(value)
                yield _event(error_body(error.message, error.type, error.param, error.code))
                break
            event = await job.events.get()
        yield "data: [DONE]\n\n"
    finally:
        job.cancel()  # the client went away (or we finished): no more tokens for this job


async def _plain(reply: _Reply, job: Job, event: Event, request: Request) -> Response:
    """Collect the whole answer into one `chat.completion` object."""
    pieces: list[str] = []
    try:
        while event[0] == "text":
            pieces.append(event[1])
            event = await _next_event(job, request)
    except _ClientGone:
        return Response(status_code=499)
    finally:
        job.cancel()
    if event[0] in ("error", "cancelled"):
        return _refusal(_as_bad_request(event[1]))
    return JSONResponse(reply.completion("".join(pieces), job))


def _refusal(error: BadRequest) -> JSONResponse:
    return JSONResponse(
        error_body(error.message, error.type, error.param, error.code), error.status
    )
