"""Output discipline: results on stdout, everything else (progress, notes, errors) on stderr.

Rich decides colour by itself: none when the stream is not a terminal or `NO_COLOR` is set.
Consoles are created lazily so that importing this module costs nothing.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


@lru_cache(maxsize=1)
def _consoles(stdout_id: int, stderr_id: int) -> tuple[Console, Console]:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=True), Console(
        file=sys.stderr, highlight=False, soft_wrap=True
    )


def out() -> Console:
    """The console for results (stdout)."""
    return _consoles(id(sys.stdout), id(sys.stderr))[0]


def err() -> Console:
    """The console for diagnostics, progress and errors (stderr)."""
    return _consoles(id(sys.stdout), id(sys.stderr))[1]


def note(message: str) -> None:
    """A one-line diagnostic on stderr (never markup-interpreted)."""
    err().print(message, markup=False, style="dim")


def warn(message: str) -> None:
    err().print(f"warning: {message}", markup=False, style="yellow")


def print_json(obj: Any) -> None:
    """Exactly one JSON object on stdout, as the --format json contract asks."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def print_text(text: str) -> None:
    """Plain result text on stdout, unstyled, so pipes get exactly what was generated."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
