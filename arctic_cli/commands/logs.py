"""`arctic logs`: the history of ask, code, sql and chat exchanges, newest first."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from arctic_cli import output
from arctic_cli.commands.options import Format, FormatOpt
from arctic_cli.errors import RuntimeFailure

NoLogOpt = Annotated[
    bool,
    typer.Option(
        "--no-log", help="Do not record this exchange in the history log [env: ARCTIC_LOG=0]."
    ),
]


def log_flag(no_log: bool) -> bool | None:
    """The `log` setting a command's --no-log flag gives (None: not given, use env/config)."""
    return False if no_log else None


def _render(entry: dict[str, Any]) -> str:
    head = f"#{entry['id']}  {entry['time']}  {entry['command']}  {entry['model'] or '-'}"
    extras = []
    if entry["prompt_tokens"] is not None or entry["completion_tokens"] is not None:
        extras.append(f"{entry['prompt_tokens'] or 0}+{entry['completion_tokens'] or 0} tokens")
    if entry["seconds"] is not None:
        extras.append(f"{entry['seconds']:.2f}s")
    if entry["valid"] is not None:
        extras.append("valid" if entry["valid"] else "invalid")
    if extras:
        head += "  (" + ", ".join(extras) + ")"
    prompt = "\n".join("> " + line for line in entry["prompt"].splitlines() or [""])
    body = entry["sql"] if entry["sql"] else entry["response"]
    return f"{head}\n{prompt}\n{body.rstrip()}\n"


def logs(
    count: Annotated[
        int, typer.Option("-n", "--count", min=0, help="How many exchanges to show (0 = all).")
    ] = 10,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-q", help="Only exchanges whose prompt, response or SQL contains TEXT."
        ),
    ] = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Show the history log (newest first)."""
    import sqlite3

    from arctic_cli import history

    try:
        entries = history.recent(count, search)
    except (sqlite3.Error, OSError) as e:
        raise RuntimeFailure(
            f"cannot read the history log {history.db_path()}: {e}",
            hint="move the file away to start a new log",
        ) from None
    if fmt is Format.json:
        output.print_json(entries)
        return
    if not entries:
        output.note(
            "no history yet" if not search else f"nothing in the history matches {search!r}"
        )
        return
    output.print_text("\n".join(_render(e) for e in entries))
