"""`arctic serve`: the local model behind an OpenAI-compatible HTTP API (see docs/distributed.md)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from arctic_cli import output
from arctic_cli.commands.options import (
    CompileOpt,
    DeviceOpt,
    MaxTokensOpt,
    ModelOpt,
    QuantOpt,
    TemperatureOpt,
    resolve_settings,
)
from arctic_cli.errors import EXIT_INTERRUPTED, RuntimeFailure

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class LogLevel(str, Enum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0 = any free port).")
    ] = 8000,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar="ARCTIC_SERVE_API_KEY",
            show_default=False,
            help="Require 'Authorization: Bearer KEY' from clients.",
        ),
    ] = None,
    model: ModelOpt = None,
    device: DeviceOpt = None,
    quant: QuantOpt = None,
    compile: CompileOpt = False,
    temperature: TemperatureOpt = None,
    max_tokens: MaxTokensOpt = None,
    log_level: Annotated[
        LogLevel, typer.Option("--log-level", help="uvicorn's log level; info adds an access log.")
    ] = LogLevel.warning,
) -> None:
    """Serve the local model over an OpenAI-compatible API (/v1/chat/completions, /v1/models)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise RuntimeFailure(
            "arctic serve needs starlette and uvicorn", hint="pip install 'arctic-cli[serve]'"
        ) from None
    from arctic_cli import backends
    from arctic_cli.server.app import create_app
    from arctic_cli.server.run import bind, url_of
    from arctic_cli.server.run import serve as run_server

    settings = _local(
        resolve_settings(
            model=model, device=device, quant=quant, temperature=temperature, max_tokens=max_tokens,
            compile=compile or None,
        )
    )
    sock = bind(host, port)  # before the (slow) load: a taken port fails at once
    try:
        backend = backends.open_backend(settings, progress=True)
        defaults = backends.gen_params(settings, backend)  # for requests that leave them out
        app = create_app(
            backend, api_key=api_key, max_tokens=defaults.max_tokens, temperature=defaults.temperature
        )
    except BaseException:
        sock.close()
        raise
    if host not in LOOPBACK and not api_key:
        output.warn(
            f"listening on {host} without --api-key: anyone who can reach this port can use the model"
        )
    output.note(f"serving {backend.name} at {url_of(sock)} (Ctrl-C to stop)")
    try:
        run_server(app, sock, log_level=log_level.value)
    except KeyboardInterrupt:  # Ctrl-C after uvicorn's graceful shutdown: quiet, exit 130
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _local(settings):  # type: ignore[no-untyped-def]
    """The same settings without an endpoint: `serve` always runs the local engine."""
    from arctic_cli.settings import Settings, Value

    if settings.endpoint is None:
        return settings
    output.warn(
        f"ignoring the endpoint from {settings['endpoint'].source}: arctic serve runs the local model"
    )
    return Settings({**dict(settings.items()), "endpoint": Value(None, "default")})
