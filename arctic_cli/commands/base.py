"""`ArcticTyper`: a Typer app whose commands all go through the one error path.

Every command registered on it is wrapped so that an `ArcticError` prints `error: ...` / `hint: ...`
on stderr and exits with the contract's code — the same in `arctic` itself and in
`typer.testing.CliRunner`, so tests see exactly what users see. `ARCTIC_DEBUG=1` re-raises.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from arctic_cli.errors import ArcticError

F = TypeVar("F", bound=Callable[..., Any])


def report(error: ArcticError) -> None:
    """Print a project error the one way: `error: ...` and `hint: ...` on stderr."""
    sys.stderr.write(f"error: {error.message}\n")
    if error.hint:
        sys.stderr.write(f"hint: {error.hint}\n")
    sys.stderr.flush()


def handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArcticError as e:
            if os.environ.get("ARCTIC_DEBUG") == "1":
                raise
            report(e)
            raise typer.Exit(e.exit_code) from None

    return wrapper  # type: ignore[return-value]


class ArcticTyper(typer.Typer):
    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().command(*args, **kwargs)

        def decorator(func: F) -> F:
            register(handle_errors(func))
            return func

        return decorator

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        register = super().callback(*args, **kwargs)

        def decorator(func: F) -> F:
            register(handle_errors(func))
            return func

        return decorator
