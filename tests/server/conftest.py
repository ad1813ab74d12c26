"""Fixtures: the ASGI app around a scripted backend, served by uvicorn on a loopback thread."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from scripted_backend import ScriptedBackend  # noqa: E402

from arctic_cli.server.app import create_app  # noqa: E402
from arctic_cli.server.run import ServerThread  # noqa: E402


@contextlib.contextmanager
def serving(backend: ScriptedBackend, **kwargs: object) -> Iterator[str]:
    """Serve `backend` on a free loopback port; yields the base URL; always stops the server."""
    app = create_app(backend, **kwargs)  # type: ignore[arg-type]
    with ServerThread(app) as url:
        yield url
    assert not any(t.name in ("arctic-serve", "arctic-model") for t in threading.enumerate())


@pytest.fixture
def backend() -> ScriptedBackend:
    return ScriptedBackend()


@pytest.fixture
def server(backend: ScriptedBackend) -> Iterator[str]:
    with serving(backend) as url:
        yield url


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    """`with serve(backend, api_key=...) as url:` for tests that need their own settings."""
    return serving
