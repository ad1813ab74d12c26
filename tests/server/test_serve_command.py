"""`arctic serve` as a real process: start-up line, requests, SIGINT/SIGTERM, a taken port.

The process runs the real CLI with `backends.open_backend` swapped for the scripted backend (the
engine's own end-to-end serving is tested where the engine lives), so these tests check the
command's wiring: binding, the URL it prints, the exit codes and the absence of tracebacks.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).parent
LAUNCH = f"""
import sys
sys.path.insert(0, {str(HERE)!r})
from scripted_backend import ScriptedBackend
import arctic_cli.backends as backends

def open_backend(settings, progress=False):
    assert settings.endpoint is None, "serve must run the local model"
    return ScriptedBackend(delay=0.01, context_window=100000)

backends.open_backend = open_backend
from arctic_cli.cli import main
main(sys.argv[1:])
"""


def start(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environ = {**os.environ, "ARCTIC_HOME": str(tmp_path), "NO_COLOR": "1", **(env or {})}
    environ.pop("ARCTIC_ENDPOINT", None) if env is None or "ARCTIC_ENDPOINT" not in env else None
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environ,
    )


def url_of(proc: subprocess.Popen[str]) -> tuple[str, list[str]]:
    """Read stderr up to the 'serving ... at URL' line; returns the URL and the lines before."""
    seen = []
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        found = re.search(r"serving scripted at (http://127\.0\.0\.1:\d+/v1)", line)
        if found:
            return found.group(1), seen
    raise AssertionError(f"no URL line; stderr: {''.join(seen)}")


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_serves_then_exits_quietly_on_signals(tmp_path: Path, sig: int, code: int) -> None:
    proc = start(tmp_path, "--port", "0", env={"ARCTIC_ENDPOINT": "http://elsewhere:8000/v1"})
    try:
        url, before = url_of(proc)
        body = {"messages": [{"role": "user", "content": "one two"}], "max_tokens": 3}
        reply = httpx.post(f"{url}/chat/completions", json=body, timeout=10).json()
        assert reply["choices"][0]["message"]["content"] == "one two one "
        # a long streamed answer in flight when the signal comes
        streaming = threading.Event()

        def long_stream() -> None:
            with httpx.stream(
                "POST",
                f"{url}/chat/completions",
                json={**body, "max_tokens": 100000, "stream": True},
                timeout=30,
            ) as r:
                for _ in r.iter_lines():
                    streaming.set()

        reader = threading.Thread(target=long_stream, daemon=True)
        reader.start()
        assert streaming.wait(10)
        proc.send_signal(sig)
        rc, out, err = finish(proc)
        reader.join(30)
    finally:
        proc.kill()
    assert rc == code
    assert out == ""
    assert "Traceback" not in err and "error" not in err.lower()
    assert "ignoring the endpoint from env" in "".join(before)


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        rc, out, err = finish(start(tmp_path, "--port", str(port)))
    assert rc == 1
    assert err.splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use",
        "hint: pick another with --port",
    ]


def test_api_key_from_the_environment(tmp_path: Path) -> None:
    proc = start(tmp_path, "--port", "0", env={"ARCTIC_SERVE_API_KEY": "k-42"})
    try:
        url, _ = url_of(proc)
        assert httpx.get(f"{url}/models").status_code == 401
        assert (
            httpx.get(f"{url}/models", headers={"Authorization": "Bearer k-42"}).status_code == 200
        )
        proc.send_signal(signal.SIGTERM)
        rc, _, err = finish(proc)
    finally:
        proc.kill()
    assert rc == 0 and "k-42" not in err


def test_without_the_serve_extra_it_says_what_to_install(tmp_path: Path) -> None:
    blocked = "import sys; sys.modules['uvicorn'] = None\n" + LAUNCH
    proc = subprocess.run(
        [sys.executable, "-c", blocked, "serve"],
        capture_output=True,
        text=True,
        env={**os.environ, "ARCTIC_HOME": str(tmp_path)},
        timeout=30,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "error: arctic serve needs starlette and uvicorn",
        "hint: pip install 'arctic-cli[serve]'",
    ]


def test_requests_without_max_tokens_get_the_models_default(tmp_path: Path, monkeypatch, backend) -> None:
    """In process: `serve` hands the app the checkpoint's max_new_tokens unless told otherwise."""
    from typer.testing import CliRunner

    import arctic_cli.backends as backends
    import arctic_cli.server.app as server_app
    import arctic_cli.server.run as server_run
    from arctic_cli.cli import app

    backend.max_new_tokens = 96  # type: ignore[attr-defined] # what LocalBackend reads from generation_config.json
    given: list[int] = []
    monkeypatch.setattr(backends, "open_backend", lambda settings, progress=False: backend)
    monkeypatch.setattr(server_app, "create_app", lambda b, **kw: given.append(kw["max_tokens"]))
    sockets: list[socket.socket] = []
    monkeypatch.setattr(server_run, "bind", lambda host, port: sockets.append(socket.socket()) or sockets[-1])
    monkeypatch.setattr(server_run, "url_of", lambda sock: "http://127.0.0.1:1/v1")
    monkeypatch.setattr(server_run, "serve", lambda app, sock, log_level: None)
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    monkeypatch.delenv("ARCTIC_MAX_TOKENS", raising=False)
    for args, expected in (([], 96), (["--max-tokens", "40"], 40)):
        result = CliRunner().invoke(app, ["serve", *args])
        assert result.exit_code == 0, result.output
        assert given[-1] == expected
    for sock in sockets:  # (the real server closes its socket when it stops)
        sock.close()
