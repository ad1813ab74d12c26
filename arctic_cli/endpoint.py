"""`EndpointBackend`: the `Backend` protocol over an OpenAI-compatible HTTP API (`--endpoint`).

The full 480B Arctic lives behind vLLM (or any other OpenAI-compatible server, `arctic serve`
included); this client speaks `/v1/chat/completions` with `stream: true` and reads the server-sent
events until `data: [DONE]`. Decisions:

- httpx with separate connect and read timeouts. Retries with exponential backoff happen only on
  429, 5xx and failed connections, and only before the first token arrived: a retry after that
  would repeat text the caller already has.
- Every failure is one `RuntimeFailure` line with a hint, never a traceback; the API key is never
  part of an error, a log line or a repr.
- Token counts are estimates (about four characters a token) unless the server reports `usage`.
- Schema-constrained decoding is a local-engine hook: `supports_constraints` is False and
  `GenParams.constraint` is ignored here (callers say so once).
"""

from __future__ import annotations

import json
import math
import socket
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from arctic_cli.backends import GenParams, Message, Usage
from arctic_cli.errors import RuntimeFailure

if TYPE_CHECKING:
    import httpx

DEFAULT_CONTEXT_WINDOW = 4096  # when the server does not report max_model_len
CHARS_PER_TOKEN = 4  # the usual rough estimate for English text and code
MESSAGE_OVERHEAD = 4  # role markers and separators a chat template adds per message
MAX_RETRY_AFTER = 30.0  # seconds: never sleep longer than this for one Retry-After
KEY_HINT = "check --api-key / ARCTIC_API_KEY"


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters a token); an estimate, not a tokenizer."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def display_url(url: str) -> str:
    """The URL fit for messages: any user:password@ part is dropped."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


class _Retryable(Exception):
    """Internal: the request may be tried again (carries the failure to raise if it may not)."""

    def __init__(self, failure: RuntimeFailure, wait: float | None = None):
        super().__init__(failure.message)
        self.failure = failure
        self.wait = wait


class EndpointBackend:
    """An OpenAI-compatible chat-completions server as a `Backend`."""

    supports_constraints = False  # schema-constrained decoding is local-only

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        model: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 300.0,
        retries: int = 3,
        backoff: float = 0.5,
    ):
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key  # private: never shown in errors, logs or repr
        self._model = model
        self._context_window: int | None = None
        self._models: list[dict[str, Any]] | None = None
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self._client: httpx.Client | None = None

    def __repr__(self) -> str:
        return f"EndpointBackend({display_url(self.base_url)!r}, model={self._model!r})"

    # -- the Backend protocol ---------------------------------------------------------------

    @property
    def name(self) -> str:
        """The model asked for: --remote-model, else the first one the server lists."""
        if self._model is None:
            models = self._list_models()
            if not models:
                raise RuntimeFailure(
                    f"{self._where()} lists no models", hint="name one with --remote-model"
                )
            self._model = str(models[0]["id"])
        return self._model

    @name.setter
    def name(self, value: str) -> None:
        self._model = value

    @property
    def context_window(self) -> int:
        """max_model_len as the server reports it in /models, else DEFAULT_CONTEXT_WINDOW."""
        if self._context_window is None:
            self._context_window = self._reported_context() or DEFAULT_CONTEXT_WINDOW
        return self._context_window

    @context_window.setter
    def context_window(self, value: int) -> None:
        self._context_window = value

    def count_tokens(self, messages: list[Message]) -> int:
        """An estimate: the server's tokenizer is not available here."""
        return sum(estimate_tokens(m.get("content", "")) + MESSAGE_OVERHEAD for m in messages)

    def stream(
        self, messages: list[Message], params: GenParams, usage: Usage
    ) -> Generator[str, None, None]:
        """POST /chat/completions with stream=true; yield the text deltas as they arrive."""
        try:
            yield from self._stream(messages, params, usage)
        except RuntimeFailure as e:
            raise self._scrub(e) from None

    def _stream(self, messages: list[Message], params: GenParams, usage: Usage) -> Iterator[str]:
        payload = self._payload(messages, params)
        usage.prompt_tokens = self.count_tokens(messages)
        usage.completion_tokens = 0
        usage.finish_reason = "stop"
        reported = False
        chunks = 0
        url = f"{self.base_url}/chat/completions"
        response = self._send("POST", url, payload)
        httpx = _httpx()
        try:
            if "text/event-stream" not in response.headers.get("content-type", ""):
                # a server that ignored stream=true: one JSON completion
                text, finish, counts = _parse_completion(self._json(response.read()), self._where())
                _fill(usage, finish, counts)
                if text:
                    yield text
                return
            for data in _sse_data(response.iter_lines()):
                if data == "[DONE]":
                    break
                text, finish, counts = _parse_chunk(self._json(data.encode()), self._where())
                reported = reported or counts is not None
                _fill(usage, finish, counts)
                if text:
                    chunks += 1
                    if not reported:
                        usage.completion_tokens = chunks  # estimate: ~one token per delta
                    yield text
        except httpx.TimeoutException:
            raise RuntimeFailure(
                f"{self._where()} went silent for {self.read_timeout:g}s mid-answer",
                hint="the server may be overloaded; try again later",
            ) from None
        except httpx.TransportError as e:
            raise RuntimeFailure(
                f"the connection to {self._where()} broke mid-answer ({_reason(e)})",
                hint="the server may have stopped; try again",
            ) from None
        finally:
            response.close()  # also when the caller stops early: the server sees it go

    # -- helpers ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _where(self) -> str:
        return display_url(self.base_url)

    def _scrub(self, failure: RuntimeFailure) -> RuntimeFailure:
        """The failure with the API key masked, should a server have echoed it back."""
        if self._api_key and self._api_key in f"{failure.message}{failure.hint}":
            failure.message = failure.message.replace(self._api_key, "***")
            failure.hint = (failure.hint or "").replace(self._api_key, "***") or None
            failure.args = (failure.message,)
        return failure

    def _http(self) -> httpx.Client:
        if self._client is None:
            httpx = _httpx()
            timeout = httpx.Timeout(
                self.read_timeout, connect=self.connect_timeout, pool=self.connect_timeout
            )
            headers = {"Accept": "application/json, text/event-stream"}
            if self._api_key:
                headers["Authorization"] = f"Bearer {self._api_key}"
            self._client = httpx.Client(timeout=timeout, headers=headers, follow_redirects=True)
        return self._client

    def _payload(self, messages: list[Message], params: GenParams) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self.name,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if params.seed is not None:
            payload["seed"] = params.seed
        if params.stop:
            payload["stop"] = list(params.stop)
        # not in OpenAI's own API (it rejects them): sent only when asked for; vLLM, llama.cpp
        # and `arctic serve` understand both
        if params.top_k:
            payload["top_k"] = params.top_k
        if params.repetition_penalty != 1.0:
            payload["repetition_penalty"] = params.repetition_penalty
        return payload

    def _send(self, method: str, url: str, payload: dict[str, Any] | None = None) -> httpx.Response:
        """Send with retries; return a 2xx response whose body is not read yet."""
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(method, url, payload)
            except _Retryable as r:
                if attempt == self.retries:
                    raise r.failure from None
                wait = r.wait if r.wait is not None else self.backoff * 2**attempt
                time.sleep(min(wait, MAX_RETRY_AFTER))
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, method: str, url: str, payload: dict[str, Any] | None) -> httpx.Response:
        httpx = _httpx()
        client = self._http()
        try:
            request = client.build_request(method, url, json=payload)
            response = client.send(request, stream=True)
        except httpx.ConnectTimeout:
            raise _Retryable(
                RuntimeFailure(
                    f"timed out connecting to {self._where()} after {self.connect_timeout:g}s",
                    hint="check that the server is up and reachable (firewall, host, port)",
                )
            ) from None
        except httpx.ConnectError as e:
            if _is_dns_failure(e):
                raise RuntimeFailure(
                    f"cannot resolve the host of {self._where()}",
                    hint="check the host name in --endpoint / ARCTIC_ENDPOINT",
                ) from None
            raise _Retryable(
                RuntimeFailure(
                    f"cannot connect to {self._where()} ({_reason(e)})",
                    hint="is the server running? check --endpoint / ARCTIC_ENDPOINT",
                )
            ) from None
        except httpx.TimeoutException:
            raise RuntimeFailure(
                f"{self._where()} sent no reply within {self.read_timeout:g}s",
                hint="the server may be overloaded; try again later",
            ) from None
        except httpx.TransportError as e:
            raise RuntimeFailure(
                f"the request to {self._where()} failed ({_reason(e)})",
                hint="check --endpoint / ARCTIC_ENDPOINT",
            ) from None
        if response.status_code < 400:
            return response
        try:
            body = response.read()
        except httpx.HTTPError:
            body = b""
        finally:
            response.close()
        raise self._http_failure(response, body)

    def _http_failure(self, response: httpx.Response, body: bytes) -> Exception:
        status = response.status_code
        message = _server_message(body)
        said = f": {message}" if message else ""
        if status in (401, 403):
            return RuntimeFailure(
                f"{self._where()} refused the request (HTTP {status}){said}", hint=KEY_HINT
            )
        if status == 404:
            return RuntimeFailure(
                f"{response.request.url.path} not found on {self._where()} (HTTP 404){said}",
                hint="the base URL should end in /v1, e.g. http://host:8000/v1; "
                "check --remote-model against the server's models",
            )
        failure = RuntimeFailure(
            f"{self._where()} answered HTTP {status}{said}",
            hint="the server is busy or failing; try again later"
            if status == 429 or status >= 500
            else "the server rejected the request",
        )
        if status == 429 or status >= 500:
            return _Retryable(failure, _retry_after(response))
        return failure

    def _json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            snippet = raw[:80].decode("utf-8", "replace").strip()
            raise RuntimeFailure(
                f"{self._where()} did not answer in JSON (got {snippet!r})",
                hint="is --endpoint an OpenAI-compatible API? the base URL should end in /v1",
            ) from None

    def _list_models(self) -> list[dict[str, Any]]:
        try:
            return self._fetch_models()
        except RuntimeFailure as e:
            raise self._scrub(e) from None

    def _fetch_models(self) -> list[dict[str, Any]]:
        if self._models is None:
            url = f"{self.base_url}/models"
            response = self._send("GET", url)
            try:
                body = self._json(response.read())
            except _httpx().TransportError as e:
                raise RuntimeFailure(
                    f"reading {self._where()}/models failed ({_reason(e)})"
                ) from None
            finally:
                response.close()
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise RuntimeFailure(
                    f"{self._where()}/models is not an OpenAI model list",
                    hint="is --endpoint an OpenAI-compatible API? the base URL should end in /v1",
                )
            self._models = [m for m in data if isinstance(m, dict) and "id" in m]
        return self._models

    def _reported_context(self) -> int | None:
        for m in self._list_models():
            if m["id"] == self.name:
                for key in ("max_model_len", "context_length", "context_window"):
                    value = m.get(key)
                    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                        return value
                meta = m.get("meta")  # llama.cpp's server reports the context it was started with
                if isinstance(meta, dict) and isinstance(meta.get("n_ctx"), int):
                    return int(meta["n_ctx"])
        return None


def _httpx():  # type: ignore[no-untyped-def]
    import httpx  # lazy: not needed unless an endpoint is used

    return httpx


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The payloads of the `data:` fields of a server-sent event stream (one line each)."""
    for line in lines:
        if line.startswith("data:"):
            yield line[5:].strip()


def _fill(usage: Usage, finish: str | None, counts: tuple[int, int] | None) -> None:
    if finish is not None:
        usage.finish_reason = "length" if finish == "length" else "stop"
    if counts is not None:
        usage.prompt_tokens, usage.completion_tokens = counts


def _counts(body: dict[str, Any]) -> tuple[int, int] | None:
    u = body.get("usage")
    if isinstance(u, dict):
        p, c = u.get("prompt_tokens"), u.get("completion_tokens")
        if isinstance(p, int) and isinstance(c, int):
            return p, c
    return None


def _error_in(body: Any, where: str) -> None:
    """Raise the server's in-band error (vLLM and llama.cpp send some mid-stream)."""
    if isinstance(body, dict) and "error" in body and body["error"]:
        message = _server_message(json.dumps(body).encode()) or "unknown error"
        raise RuntimeFailure(f"{where} reported an error: {message}", hint="see the server's log")


def _parse_chunk(event: Any, where: str) -> tuple[str, str | None, tuple[int, int] | None]:
    """(text delta, finish_reason, usage counts) of one `chat.completion.chunk`."""
    _error_in(event, where)
    if not isinstance(event, dict):
        raise RuntimeFailure(f"{where} sent an unexpected event: {str(event)[:80]!r}")
    text, finish = "", None
    choices = event.get("choices") or []
    if choices and isinstance(choices[0], dict):
        delta = choices[0].get("delta") or {}
        text = (delta.get("content") or "") if isinstance(delta, dict) else ""
        finish = choices[0].get("finish_reason")
    return str(text), finish, _counts(event)


def _parse_completion(body: Any, where: str) -> tuple[str, str | None, tuple[int, int] | None]:
    """(text, finish_reason, usage counts) of one non-streamed `chat.completion`."""
    _error_in(body, where)
    try:
        choice = body["choices"][0]
        text = choice["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        raise RuntimeFailure(
            f"{where} sent a reply without choices[0].message.content",
            hint="is --endpoint an OpenAI-compatible API?",
        ) from None
    return str(text), choice.get("finish_reason"), _counts(body)


def _server_message(body: bytes) -> str:
    """The human part of an error body: OpenAI, vLLM, llama.cpp and FastAPI shapes."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = body.decode("utf-8", "replace").strip()
        return " ".join(text.split())[:200]
    if isinstance(data, dict):
        for candidate in (data.get("error"), data.get("message"), data.get("detail")):
            if isinstance(candidate, dict):
                candidate = candidate.get("message")
            if isinstance(candidate, str) and candidate.strip():
                return " ".join(candidate.split())[:200]
    return ""


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _is_dns_failure(error: BaseException) -> bool:
    seen: BaseException | None = error
    for _ in range(8):  # walk the cause chain: httpx wraps httpcore wraps socket.gaierror
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(error).lower()
    return any(
        s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo")
    )


def _reason(error: BaseException) -> str:
    """The OS's words for a transport failure, e.g. 'Connection refused'."""
    text = str(error) or type(error).__name__
    if "] " in text and text.startswith("["):
        text = text.split("] ", 1)[1]  # drop "[Errno 111] "
    return text
