"""The OpenAI-compatible app over real HTTP on loopback (raw httpx, not arctic's own client)."""

from __future__ import annotations

import itertools
import json
import threading
import time

import httpx
import pytest
from scripted_backend import ScriptedBackend

from arctic_cli.errors import RuntimeFailure, UsageError

HELLO = {"messages": [{"role": "user", "content": "alpha beta gamma"}], "max_tokens": 5}


def sse_events(lines: list[str]) -> list[str]:
    return [line[len("data: ") :] for line in lines if line.startswith("data: ")]


def stream_request(url: str, body: dict) -> tuple[list[dict], str]:
    """Every JSON event of a streamed answer, and the last data line (should be [DONE])."""
    with httpx.stream("POST", f"{url}/chat/completions", json=body, timeout=10) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        data = sse_events(list(r.iter_lines()))
    return [json.loads(d) for d in data[:-1]], data[-1]


def wait_idle(backend: ScriptedBackend) -> None:
    for _ in range(500):
        if backend.active == 0:
            return
        time.sleep(0.01)
    raise AssertionError("the generation never stopped")


def test_models_and_health(server: str) -> None:
    models = httpx.get(f"{server}/models").json()
    assert models["object"] == "list"
    assert [(m["id"], m["max_model_len"]) for m in models["data"]] == [("scripted", 64)]
    health = httpx.get(server.removesuffix("/v1") + "/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_plain_completion(server: str) -> None:
    r = httpx.post(f"{server}/chat/completions", json=HELLO)
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion"
    assert body["model"] == "scripted"
    choice = body["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "alpha beta gamma alpha beta "}
    assert choice["finish_reason"] == "length"
    assert body["usage"] == {"prompt_tokens": 4, "completion_tokens": 5, "total_tokens": 9}


def test_streamed_completion(server: str) -> None:
    events, last = stream_request(server, {**HELLO, "stream": True})
    assert last == "[DONE]"
    assert events[0]["choices"][0]["delta"]["role"] == "assistant"
    assert all(e["object"] == "chat.completion.chunk" for e in events)
    assert len({e["id"] for e in events}) == 1
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
    assert text == "alpha beta gamma alpha beta "
    assert events[-1]["choices"][0]["finish_reason"] == "length"
    assert events[-1]["usage"]["completion_tokens"] == 5


def test_stream_include_usage_adds_openai_usage_chunk(server: str) -> None:
    body = {**HELLO, "stream": True, "stream_options": {"include_usage": True}}
    events, last = stream_request(server, body)
    assert last == "[DONE]"
    assert events[-1]["choices"] == []
    assert events[-1]["usage"] == {"prompt_tokens": 4, "completion_tokens": 5, "total_tokens": 9}


def test_sampling_settings_reach_the_backend(server: str, backend: ScriptedBackend) -> None:
    body = {
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "a b c d e f"},
        ],
        "max_tokens": 6,
        "temperature": 0.7,
        "top_p": 0.9,
        "seed": 7,
        "stop": ["zzz"],
    }
    first = httpx.post(f"{server}/chat/completions", json=body).json()
    again = httpx.post(f"{server}/chat/completions", json=body).json()
    other = httpx.post(f"{server}/chat/completions", json={**body, "seed": 8}).json()
    p = backend.params[0]
    assert (p.max_tokens, p.temperature, p.top_p, p.seed, tuple(p.stop)) == (
        6,
        0.7,
        0.9,
        7,
        ("zzz",),
    )
    content = [x["choices"][0]["message"]["content"] for x in (first, again, other)]
    assert content[0] == content[1] != content[2]


def test_stop_string_ends_the_answer(server: str) -> None:
    body = {**HELLO, "max_tokens": 20, "stop": "gamma"}
    choice = httpx.post(f"{server}/chat/completions", json=body).json()["choices"][0]
    assert choice == {
        "index": 0,
        "message": {"role": "assistant", "content": "alpha beta "},
        "finish_reason": "stop",
    }


def test_defaults_come_from_the_server_settings(serve, backend: ScriptedBackend) -> None:  # type: ignore[no-untyped-def]
    with serve(backend, max_tokens=3, temperature=0.5) as url:
        httpx.post(f"{url}/chat/completions", json={"messages": HELLO["messages"]})
    assert (backend.params[0].max_tokens, backend.params[0].temperature) == (3, 0.5)


def test_max_tokens_shrinks_to_the_room_left(server: str, backend: ScriptedBackend) -> None:
    body = {"messages": [{"role": "user", "content": " ".join(["w"] * 58)}], "max_tokens": 100}
    r = httpx.post(f"{server}/chat/completions", json=body)
    assert r.status_code == 200
    assert backend.params[-1].max_tokens == 64 - 59
    assert r.json()["usage"]["completion_tokens"] == 5


def test_prompt_longer_than_the_context_is_400(server: str) -> None:
    body = {"messages": [{"role": "user", "content": " ".join(["w"] * 80)}]}
    r = httpx.post(f"{server}/chat/completions", json=body)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "context_length_exceeded"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (b'{"max_tokens": 5}', "messages"),
        (b'{"messages": "hi"}', "messages"),
        (b'{"messages": []}', "messages"),
        (b'{"messages": ["hi"]}', "messages[0]"),
        (b'{"messages": [{"role": "robot", "content": "hi"}]}', "messages[0].role"),
        (b'{"messages": [{"role": "user", "content": 5}]}', "messages[0].content"),
        (b'{"messages": [{"role": "user"}]}', "messages[0].content"),
        (b'{"messages": [{"role": "user", "content": "caf\\udce9"}]}', "messages[0].content"),
        (b'{"messages": [{"role": "system", "content": null}, {"role": "user", "content": "hi"}]}',
         "messages[0].content"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": "5"}', "max_tokens"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 0}', "max_tokens"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": true}', "max_tokens"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}', "temperature"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "top_p": 0}', "top_p"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "seed": 1.5}', "seed"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "stream": "yes"}', "stream"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "stop": 5}', "stop"),
        (b'{"messages": [{"role": "user", "content": "hi"}], "n": 2}', "n"),
    ],
)
def test_bad_requests_are_400_and_the_server_keeps_going(
    server: str, body: bytes, param: str | None
) -> None:
    r = httpx.post(
        f"{server}/chat/completions", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert error["message"]
    assert httpx.post(f"{server}/chat/completions", json=HELLO).status_code == 200


def test_oversized_bodies_are_413(serve, backend: ScriptedBackend) -> None:  # type: ignore[no-untyped-def]
    big = json.dumps({"messages": [{"role": "user", "content": "x" * 5000}]}).encode()
    with serve(backend, max_body_bytes=4096) as url:
        declared = httpx.post(f"{url}/chat/completions", content=big)
        chunked = httpx.post(f"{url}/chat/completions", content=iter([big[:3000], big[3000:]]))
        assert httpx.post(f"{url}/chat/completions", json=HELLO).status_code == 200
    for r in (declared, chunked):
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "request_too_large"
    assert backend.generated == 5


def test_api_key(serve, backend: ScriptedBackend) -> None:  # type: ignore[no-untyped-def]
    with serve(backend, api_key="s3cret") as url:
        chat = f"{url}/chat/completions"
        missing = httpx.post(chat, json=HELLO)
        wrong = httpx.post(chat, json=HELLO, headers={"Authorization": "Bearer nope"})
        basic = httpx.post(chat, json=HELLO, headers={"Authorization": "Basic s3cret"})
        models = httpx.get(f"{url}/models")
        right = httpx.post(chat, json=HELLO, headers={"Authorization": "Bearer s3cret"})
        health = httpx.get(url.removesuffix("/v1") + "/health")
    for r in (missing, wrong, basic, models):
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "invalid_api_key"
        assert "s3cret" not in r.text
    assert right.status_code == 200 and health.status_code == 200
    assert backend.generated == 5


def test_unknown_routes_and_methods_get_json_errors(server: str) -> None:
    missing = httpx.get(f"{server}/completions")
    wrong_method = httpx.get(f"{server}/chat/completions")
    assert (missing.status_code, wrong_method.status_code) == (404, 405)
    assert missing.json()["error"]["message"]


def test_backend_failures_are_json_errors(serve) -> None:  # type: ignore[no-untyped-def]
    bad_input = ScriptedBackend(fail=UsageError("prompt has no text"))
    broken = ScriptedBackend(fail=RuntimeFailure("out of memory"))
    with serve(bad_input) as url:
        r = httpx.post(f"{url}/chat/completions", json=HELLO)
        assert (r.status_code, r.json()["error"]["message"]) == (400, "prompt has no text")
    with serve(broken) as url:
        r = httpx.post(f"{url}/chat/completions", json=HELLO)
        assert r.status_code == 500 and "out of memory" in r.json()["error"]["message"]
        events, last = stream_request(url, {**HELLO, "stream": True})
        assert last == "[DONE]"
        assert "out of memory" in events[-1]["error"]["message"]
        assert events[-2]["choices"][0]["delta"]["content"] == "alpha "


def test_client_disconnect_mid_stream_stops_generation(serve) -> None:  # type: ignore[no-untyped-def]
    backend = ScriptedBackend(delay=0.01, context_window=10_000)
    body = {**HELLO, "max_tokens": 5000, "stream": True}
    with serve(backend) as url:
        with httpx.stream("POST", f"{url}/chat/completions", json=body) as r:
            received = [
                line for line in itertools.islice(r.iter_lines(), 8) if line.startswith("data: ")
            ]
        assert len(received) >= 3
        wait_idle(backend)
        stopped_at = backend.generated
        assert stopped_at < 1000  # of the 5000 asked for
        # the model is free again for the next client
        assert httpx.post(f"{url}/chat/completions", json=HELLO).status_code == 200
    assert backend.generated == stopped_at + 5


def test_client_giving_up_on_a_plain_request_stops_generation(serve) -> None:  # type: ignore[no-untyped-def]
    backend = ScriptedBackend(delay=0.01, context_window=10_000)
    with serve(backend) as url:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{url}/chat/completions", json={**HELLO, "max_tokens": 5000}, timeout=0.3)
        wait_idle(backend)
        assert backend.generated < 1000


def test_concurrent_requests_are_queued_not_interleaved(serve) -> None:  # type: ignore[no-untyped-def]
    backend = ScriptedBackend(delay=0.002)
    results: dict[int, str] = {}

    def ask(i: int, url: str) -> None:
        words = " ".join(f"w{i}x{j}" for j in range(3))
        body = {
            "messages": [{"role": "user", "content": words}],
            "max_tokens": 9,
            "stream": i % 2 == 0,
        }
        if body["stream"]:
            events, _ = stream_request(url, body)
            results[i] = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
        else:
            r = httpx.post(f"{url}/chat/completions", json=body, timeout=10)
            results[i] = r.json()["choices"][0]["message"]["content"]

    with serve(backend) as url:
        threads = [threading.Thread(target=ask, args=(i, url)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert backend.max_active == 1
    for i in range(4):
        assert results[i] == " ".join(f"w{i}x{j % 3}" for j in range(9)) + " "


def test_an_assistant_turn_may_have_null_content(server: str) -> None:
    turns = [{"role": "user", "content": "a"}, {"role": "assistant", "content": None},
             {"role": "user", "content": "b"}]  # fmt: skip
    assert httpx.post(f"{server}/chat/completions", json={"messages": turns, "max_tokens": 2}).status_code == 200
