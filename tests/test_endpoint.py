"""`EndpointBackend` against small scripted HTTP servers on loopback: wire format, retries, errors.

Each stub is a few Starlette routes served by uvicorn on a free port, so the client goes through
real sockets, real SSE framing and real status codes. No network beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from arctic_cli.backends import GenParams, Usage, complete  # noqa: E402
from arctic_cli.endpoint import DEFAULT_CONTEXT_WINDOW, EndpointBackend  # noqa: E402
from arctic_cli.errors import RuntimeFailure  # noqa: E402
from arctic_cli.server.run import ServerThread  # noqa: E402

ASK = [{"role": "user", "content": "hello there"}]
MODELS = {
    "object": "list",
    "data": [{"id": "arctic-big", "object": "model", "max_model_len": 4096 * 8}],
}


def chunk(content: str | None = None, finish: str | None = None, **extra: object) -> str:
    delta = {} if content is None else {"content": content}
    event = {
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps({**event, **extra})}\n\n"


def sse(*events: str) -> StreamingResponse:
    async def body() -> Iterator[str]:  # type: ignore[misc]
        for e in events:
            yield e

    return StreamingResponse(body(), media_type="text/event-stream")


class Stub:
    """Routes answering with scripted responses; records what the client sent."""

    def __init__(
        self, chat: Callable[[int], Response], models: Callable[[], Response] | None = None
    ):
        self.chat, self.models = chat, models or (lambda: JSONResponse(MODELS))
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []

    async def _chat(self, request: Request) -> Response:
        self.requests.append(json.loads(await request.body()))
        self.headers.append(dict(request.headers))
        return self.chat(len(self.requests))

    async def _models(self, request: Request) -> Response:
        return self.models()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/models", self._models),
            ]
        )


@pytest.fixture
def stub() -> Iterator[Callable[..., tuple[Stub, str]]]:
    """`stub(chat, models=None)` → (the stub, its base URL); every server is stopped afterwards."""
    servers: list[ServerThread] = []

    def start(
        chat: Callable[[int], Response], models: Callable[[], Response] | None = None
    ) -> tuple[Stub, str]:
        s = Stub(chat, models)
        server = ServerThread(s.app())
        servers.append(server)
        return s, server.__enter__()

    yield start
    for server in servers:
        server.stop()


def fast(
    url: str, api_key: str | None = None, model: str | None = None, retries: int = 3
) -> EndpointBackend:
    """A client with small timeouts and no waiting between retries."""
    return EndpointBackend(
        url, api_key, model, connect_timeout=2, read_timeout=5, retries=retries, backoff=0
    )


def test_streams_deltas_and_reads_the_usage_chunk(stub) -> None:  # type: ignore[no-untyped-def]
    usage_event = f"data: {json.dumps({'choices': [], 'usage': {'prompt_tokens': 11, 'completion_tokens': 2}})}\n\n"
    s, url = stub(
        lambda n: sse(
            chunk(""),
            chunk("SELECT"),
            chunk(" 1"),
            chunk(None, "length"),
            usage_event,
            "data: [DONE]\n\n",
        )
    )
    client = fast(url, api_key="k-123")
    usage = Usage()
    assert list(client.stream(ASK, GenParams(max_tokens=7, seed=5, stop=("\n\n",)), usage)) == [
        "SELECT",
        " 1",
    ]
    assert (usage.prompt_tokens, usage.completion_tokens, usage.finish_reason) == (11, 2, "length")
    sent = s.requests[0]
    assert sent["model"] == "arctic-big" and sent["messages"] == ASK
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}
    assert (sent["max_tokens"], sent["seed"], sent["stop"]) == (7, 5, ["\n\n"])
    assert "top_k" not in sent and "repetition_penalty" not in sent  # OpenAI itself rejects them
    assert s.headers[0]["authorization"] == "Bearer k-123"
    assert client.context_window == 4096 * 8


def test_without_usage_the_counts_are_estimates(stub) -> None:  # type: ignore[no-untyped-def]
    _, url = stub(lambda n: sse(chunk("a"), chunk("b"), chunk("c", "stop"), "data: [DONE]\n\n"))
    client = fast(url)
    result = complete(client, ASK, GenParams())
    assert result.text == "abc"
    assert result.usage.completion_tokens == 3  # one per delta
    assert result.usage.prompt_tokens == client.count_tokens(ASK) > 0


def test_a_plain_json_reply_is_accepted(stub) -> None:  # type: ignore[no-untyped-def]
    body = {
        "choices": [{"message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1},
    }
    _, url = stub(lambda n: JSONResponse(body))
    result = complete(fast(url, model="m"), ASK, GenParams())
    assert (result.text, result.usage.prompt_tokens, result.usage.completion_tokens) == ("hi", 3, 1)


def test_context_window_defaults_when_the_server_does_not_say(stub) -> None:  # type: ignore[no-untyped-def]
    _, url = stub(lambda n: sse(), models=lambda: JSONResponse({"data": [{"id": "x"}]}))
    assert fast(url).context_window == DEFAULT_CONTEXT_WINDOW


def test_retries_5xx_and_429_then_succeeds(stub) -> None:  # type: ignore[no-untyped-def]
    def chat(n: int) -> Response:
        if n == 1:
            return JSONResponse({"error": {"message": "busy"}}, 503)
        if n == 2:
            return JSONResponse(
                {"error": {"message": "slow down"}}, 429, headers={"Retry-After": "0"}
            )
        return sse(chunk("ok"), "data: [DONE]\n\n")

    s, url = stub(chat)
    assert complete(fast(url, model="m", retries=2), ASK, GenParams()).text == "ok"
    assert len(s.requests) == 3


def test_gives_up_after_the_retries_with_the_servers_message(stub) -> None:  # type: ignore[no-untyped-def]
    s, url = stub(lambda n: JSONResponse({"object": "error", "message": "CUDA out of memory"}, 500))
    with pytest.raises(RuntimeFailure) as failure:
        complete(fast(url, model="m", retries=2), ASK, GenParams())
    assert len(s.requests) == 3
    assert failure.value.message == f"{url} answered HTTP 500: CUDA out of memory"


def test_client_errors_are_not_retried(stub) -> None:  # type: ignore[no-untyped-def]
    s, url = stub(lambda n: JSONResponse({"detail": "model 'm' does not exist"}, 400))
    with pytest.raises(RuntimeFailure, match="HTTP 400: model 'm' does not exist"):
        complete(fast(url, model="m"), ASK, GenParams())
    assert len(s.requests) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_hint_at_the_key_and_never_show_it(stub, status: int) -> None:  # type: ignore[no-untyped-def]
    # a careless server that echoes the key back: arctic still never shows it
    _, url = stub(
        lambda n: JSONResponse({"error": {"message": "invalid api key sk-very-secret"}}, status)
    )
    client = fast(url, api_key="sk-very-secret", model="m")
    with pytest.raises(RuntimeFailure) as failure:
        complete(client, ASK, GenParams())
    assert failure.value.message.endswith(f"(HTTP {status}): invalid api key ***")
    assert failure.value.hint == "check --api-key / ARCTIC_API_KEY"
    assert (
        "sk-very-secret"
        not in f"{failure.value.message}{failure.value.hint}{client!r}{vars(failure.value)}"
    )


def test_a_wrong_base_url_hints_at_v1(stub) -> None:  # type: ignore[no-untyped-def]
    _, url = stub(lambda n: sse())
    root = url.removesuffix("/v1")
    with pytest.raises(RuntimeFailure) as failure:
        fast(root).name  # noqa: B018 - asks /models
    assert "HTTP 404" in failure.value.message
    assert "should end in /v1" in (failure.value.hint or "")


def test_non_json_replies_are_a_clear_failure(stub) -> None:  # type: ignore[no-untyped-def]
    _, url = stub(
        lambda n: PlainTextResponse("<html>proxy login</html>"),
        models=lambda: PlainTextResponse("<html>proxy login</html>"),
    )
    with pytest.raises(RuntimeFailure, match="did not answer in JSON"):
        fast(url).name  # noqa: B018
    with pytest.raises(RuntimeFailure, match="did not answer in JSON"):
        complete(fast(url, model="m"), ASK, GenParams())


def test_an_error_event_mid_stream_is_reported(stub) -> None:  # type: ignore[no-untyped-def]
    error = f"data: {json.dumps({'error': {'message': 'engine died', 'type': 'server_error'}})}\n\n"
    _, url = stub(lambda n: sse(chunk("par"), error, "data: [DONE]\n\n"))
    pieces: list[str] = []
    with pytest.raises(RuntimeFailure, match="engine died"):
        for piece in fast(url, model="m").stream(ASK, GenParams(), Usage()):
            pieces.append(piece)
    assert pieces == ["par"]


def test_an_empty_model_list_asks_for_remote_model(stub) -> None:  # type: ignore[no-untyped-def]
    _, url = stub(lambda n: sse(), models=lambda: JSONResponse({"object": "list", "data": []}))
    with pytest.raises(RuntimeFailure) as failure:
        fast(url).name  # noqa: B018
    assert failure.value.hint == "name one with --remote-model"


def test_read_timeout(stub) -> None:  # type: ignore[no-untyped-def]
    async def slow(request: Request) -> Response:
        await asyncio.sleep(1.0)
        return JSONResponse(MODELS)

    app = Starlette(routes=[Route("/v1/models", slow)])
    with ServerThread(app) as url:
        client = EndpointBackend(url, read_timeout=0.2, retries=0)
        with pytest.raises(RuntimeFailure, match="sent no reply within 0.2s"):
            client.name  # noqa: B018


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dead_endpoint_fails_fast_and_clearly() -> None:
    client = EndpointBackend(
        f"http://127.0.0.1:{free_port()}/v1",
        "sk-secret",
        "m",
        connect_timeout=1,
        retries=1,
        backoff=0,
    )
    with pytest.raises(RuntimeFailure) as failure:
        complete(client, ASK, GenParams())
    assert failure.value.message.startswith("cannot connect to http://127.0.0.1:")
    assert "Connection refused" in failure.value.message
    assert "--endpoint" in (failure.value.hint or "")
    assert "sk-secret" not in str(vars(failure.value))


def test_dns_failure_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    client = EndpointBackend(
        "http://arctic-gpu-box.internal:8000/v1", model="m", retries=3, backoff=0
    )
    with pytest.raises(RuntimeFailure) as failure:
        complete(client, ASK, GenParams())
    assert (
        failure.value.message == "cannot resolve the host of http://arctic-gpu-box.internal:8000/v1"
    )


def test_credentials_in_the_url_are_not_echoed() -> None:
    client = EndpointBackend(f"http://user:pa55@127.0.0.1:{free_port()}/v1", model="m", retries=0)
    with pytest.raises(RuntimeFailure) as failure:
        complete(client, ASK, GenParams())
    assert "pa55" not in failure.value.message and "pa55" not in repr(client)


def test_constraints_are_local_only() -> None:
    assert EndpointBackend.supports_constraints is False
