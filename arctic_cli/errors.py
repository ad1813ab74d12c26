"""The one project exception: a message, a hint and the contract's exit code.

Every known failure raises an `ArcticError` (or a subclass naming its exit code); `cli.main()`
prints it as `error: ...` / `hint: ...` on stderr and exits with `exit_code`. Exit codes are the
contract in docs/contracts.md: 1 runtime failure, 2 bad usage or input, 3 no valid result.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_INTERRUPTED = 130


class ArcticError(Exception):
    """A failure the user can act on. Never carries a traceback to the terminal."""

    exit_code: int = EXIT_RUNTIME

    def __init__(self, message: str, hint: str | None = None, *, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(ArcticError):
    """Bad usage or bad input (exit 2): a missing file, an empty question, an unknown setting."""

    exit_code = EXIT_USAGE


class RuntimeFailure(ArcticError):
    """The command could not run (exit 1): a model that fails to load, an unreachable endpoint."""

    exit_code = EXIT_RUNTIME


class InvalidResult(ArcticError):
    """The command ran but its result is still invalid (exit 3)."""

    exit_code = EXIT_INVALID
