"""arctic's own client (`EndpointBackend`) against `arctic serve`'s app, over loopback HTTP."""

from __future__ import annotations

import time

import pytest
from scripted_backend import ScriptedBackend

from arctic_cli.backends import GenParams, Usage, complete
from arctic_cli.endpoint import EndpointBackend
from arctic_cli.errors import RuntimeFailure

QUESTION = [{"role": "user", "content": "alpha beta gamma"}]


def test_plain_round_trip(server: str, backend: ScriptedBackend) -> None:
    client = EndpointBackend(server)
    assert (client.name, client.context_window) == ("scripted", 64)
    result = complete(client, QUESTION, GenParams(max_tokens=4, temperature=0.5, seed=3, top_k=5))
    assert result.text == "".join(
        backend.stream(QUESTION, GenParams(max_tokens=4, temperature=0.5, seed=3), Usage())
    )
    # the server's own counts, not the client's estimates
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (4, 4)
    assert result.usage.finish_reason == "length"
    sent = backend.params[0]
    assert (sent.max_tokens, sent.temperature, sent.seed, sent.top_k) == (4, 0.5, 3, 5)


def test_streamed_chunks_arrive_one_token_at_a_time(server: str) -> None:
    usage = Usage()
    pieces = list(
        EndpointBackend(server).stream(QUESTION, GenParams(max_tokens=5, stop=("gamma",)), usage)
    )
    assert pieces == ["alpha ", "beta "]
    assert usage.finish_reason == "stop"


def test_remote_model_name_is_sent_as_given(server: str) -> None:
    client = EndpointBackend(server, None, "my-arctic")
    assert client.name == "my-arctic"
    assert complete(client, QUESTION, GenParams(max_tokens=1)).text == "alpha "


def test_api_key_on_and_off(serve, backend: ScriptedBackend) -> None:  # type: ignore[no-untyped-def]
    with serve(backend, api_key="s3cret") as url:
        assert (
            complete(EndpointBackend(url, "s3cret"), QUESTION, GenParams(max_tokens=2)).text
            == "alpha beta "
        )
        for key in (None, "wrong-key"):
            client = EndpointBackend(url, key, "scripted")
            with pytest.raises(RuntimeFailure) as failure:
                complete(client, QUESTION, GenParams(max_tokens=2))
            assert "HTTP 401" in failure.value.message
            assert "--api-key" in (failure.value.hint or "")
            shown = f"{failure.value.message} {failure.value.hint} {client!r}"
            assert "s3cret" not in shown and "wrong-key" not in shown
    assert backend.generated == 2


def test_bad_request_shows_the_servers_message(server: str) -> None:
    client = EndpointBackend(server, retries=0)
    with pytest.raises(RuntimeFailure) as failure:
        complete(client, [{"role": "user", "content": " ".join(["w"] * 80)}], GenParams())
    assert "HTTP 400" in failure.value.message
    assert "context window is 64" in failure.value.message


def test_stopping_the_client_early_stops_the_server(serve) -> None:  # type: ignore[no-untyped-def]
    backend = ScriptedBackend(delay=0.01, context_window=10_000)
    with serve(backend) as url:
        pieces = EndpointBackend(url).stream(QUESTION, GenParams(max_tokens=5000), Usage())
        assert [next(pieces) for _ in range(3)] == ["alpha ", "beta ", "gamma "]
        pieces.close()  # closes the HTTP response: the server sees the client go
        for _ in range(500):
            if backend.active == 0:
                break
            time.sleep(0.01)
        assert backend.active == 0
        assert backend.generated < 1000


def test_a_real_tiny_model_answers_the_same_over_http(serve, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    from arctic_cli import backends, settings
    from arctic_cli.engine.checkpoint import write_random_checkpoint

    write_random_checkpoint(tmp_path / "tiny")
    local = backends.open_backend(
        settings.resolve({"model": str(tmp_path / "tiny"), "device": "cpu"}, env={}), progress=False
    )
    ask = [
        {"role": "system", "content": "answer in SQL"},
        {"role": "user", "content": "SELECT the name"},
    ]
    greedy, sampled = (
        GenParams(max_tokens=12),
        GenParams(max_tokens=12, temperature=0.9, top_p=0.9, seed=4),
    )
    expected = [complete(local, ask, p) for p in (greedy, sampled)]
    with serve(local) as url:
        remote = EndpointBackend(url)
        assert (remote.name, remote.context_window) == ("tiny", local.context_window)
        got = [complete(remote, ask, p) for p in (greedy, sampled)]
    for want, have in zip(expected, got, strict=True):
        assert have.text == want.text
        assert (have.usage.prompt_tokens, have.usage.completion_tokens) == (
            want.usage.prompt_tokens,
            want.usage.completion_tokens,
        )
        assert have.usage.finish_reason == want.usage.finish_reason
