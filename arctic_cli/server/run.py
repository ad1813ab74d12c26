"""Running the app with uvicorn: in the foreground (`arctic serve`) or on a thread (tests, embedding).

The listening socket is bound by us, before the model loads, so a taken port fails at once with a
clear message, and port 0 (any free port) reports the port actually chosen. uvicorn handles SIGINT
and SIGTERM: it stops accepting, lets running requests finish for a few seconds, runs the app's
shutdown (which cancels queued generations), then re-raises the signal; `serve()` turns SIGTERM
into a normal return and lets SIGINT surface as KeyboardInterrupt (exit 130 in `cli.main`).
"""

from __future__ import annotations

import errno
import signal
import socket
import threading
from typing import Any

from arctic_cli.errors import RuntimeFailure, UsageError

GRACE_SECONDS = 5  # how long running requests may finish after a shutdown signal


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0 = any free one); RuntimeFailure if it is taken."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as e:
        raise UsageError(
            f"cannot use --host {host!r}: {e.strerror}", hint="try 127.0.0.1 or 0.0.0.0"
        ) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as e:
        sock.close()
        hint = (
            "pick another with --port"
            if e.errno == errno.EADDRINUSE
            else "ports below 1024 need privileges"
        )
        raise RuntimeFailure(f"cannot listen on {host}:{port}: {e.strerror}", hint=hint) from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The base URL clients use for a bound socket, e.g. http://127.0.0.1:8000/v1."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/v1"


def _server(app: Any, log_level: str) -> Any:
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=log_level in ("info", "debug", "trace"),
        lifespan="on",
        timeout_graceful_shutdown=GRACE_SECONDS,
        server_header=False,
    )
    return _server_class()(config)


def _server_class():  # type: ignore[no-untyped-def]
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # end the running answers first (between two tokens), so the graceful wait is
            # short and never has to cancel a request mid-stream
            worker = getattr(getattr(self.config.app, "state", None), "worker", None)
            if worker is not None:
                worker.cancel_all()
            await super().shutdown(sockets)

    return Server


def serve(app: Any, sock: socket.socket, log_level: str = "warning") -> None:
    """Serve until SIGINT (raises KeyboardInterrupt) or SIGTERM (returns)."""
    server = _server(app, log_level)
    terminated: list[int] = []
    # uvicorn re-raises the signal it caught after a graceful shutdown, through the handler that
    # was installed before it started: ours makes that SIGTERM a quiet, successful exit
    previous = signal.signal(signal.SIGTERM, lambda sig, frame: terminated.append(sig))
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    if not server.started and not terminated:
        raise RuntimeFailure(
            "the server failed to start", hint="rerun with ARCTIC_DEBUG=1 and see the log above"
        )


class ServerThread:
    """The app served on a background thread: `with ServerThread(app) as base_url: ...`."""

    def __init__(
        self, app: Any, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"
    ):
        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.server = _server(app, log_level)
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.sock]},
            name="arctic-serve",
            daemon=True,
        )

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeFailure("the server thread died during start-up")
            self.thread.join(0.01)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()
