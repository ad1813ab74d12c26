"""The history log: every ask, code, sql and chat exchange in SQLite at `ARCTIC_HOME/history.db`.

`record()` is the only writer. It never fails the command that calls it: a broken, locked or
unwritable database costs one warning on stderr (once per process) and the exchange goes unlogged.
Logging is off when the resolved settings say `log = false` (`--no-log`, `ARCTIC_LOG=0`, or
`arctic config set log false`). `recent()` is the reader behind `arctic logs`.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DB_NAME = "history.db"
_SCHEMA_VERSION = 1
_COLUMNS = (
    "id", "time", "command", "model", "prompt", "response", "prompt_tokens",
    "completion_tokens", "seconds", "schema_hash", "sql", "valid",
)  # fmt: skip
_CREATE = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,               -- UTC, ISO 8601 with a trailing Z
    command TEXT NOT NULL,            -- ask | code | sql | chat
    model TEXT,
    prompt TEXT NOT NULL,
    response TEXT NOT NULL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    seconds REAL,
    schema_hash TEXT,                 -- sql only: arctic_cli.sql.prompt.schema_hash()
    sql TEXT,                         -- sql only: the final statement
    valid INTEGER                     -- sql and code: 1 valid, 0 invalid
)
"""

_warned = False


def db_path(home: Path | None = None) -> Path:
    if home is None:
        from arctic_cli.settings import arctic_home

        home = arctic_home()
    return home / DB_NAME


def _warn_once(message: str) -> None:
    global _warned
    if _warned:
        return
    _warned = True
    from arctic_cli.output import warn

    try:
        warn(f"{message} (history not recorded; turn logging off with --no-log)")
    except Exception:  # a warning must never be what fails the command
        sys.stderr.write(f"warning: {message}\n")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=2.0)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        conn.execute(_CREATE)
        conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        conn.commit()
    elif version > _SCHEMA_VERSION:
        conn.close()
        raise sqlite3.DatabaseError(f"{path} was written by a newer arctic (schema {version})")
    return conn


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(
    settings: Any,
    *,
    command: str,
    prompt: str,
    response: str,
    model: str | None = None,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    seconds: float | None = None,
    schema_hash: str | None = None,
    sql: str | None = None,
    valid: bool | None = None,
    home: Path | None = None,
) -> int | None:
    """Log one exchange; returns its id, or None when logging is off or the database failed.

    `settings` is the command's resolved settings (only `.log` is read). Never raises.
    """
    if not getattr(settings, "log", True):
        return None
    row = (
        _now(), command, model, prompt, response, prompt_tokens, completion_tokens,
        None if seconds is None else round(float(seconds), 3), schema_hash, sql,
        None if valid is None else int(bool(valid)),
    )  # fmt: skip
    try:
        path = db_path(home)
        conn = _connect(path)
        try:
            with conn:
                cur = conn.execute(
                    f"INSERT INTO exchanges ({', '.join(_COLUMNS[1:])}) "
                    f"VALUES ({', '.join('?' * len(row))})",
                    row,
                )
            return cur.lastrowid
        finally:
            conn.close()
    except Exception as e:  # sqlite3.Error, OSError, a broken home: never fail the command
        _warn_once(f"cannot write the history log: {e}")
        return None


def _entry(row: sqlite3.Row) -> dict[str, Any]:
    entry = {key: row[key] for key in _COLUMNS}
    if entry["valid"] is not None:
        entry["valid"] = bool(entry["valid"])
    return entry


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def recent(
    limit: int = 10, search: str | None = None, home: Path | None = None
) -> list[dict[str, Any]]:
    """The latest exchanges, newest first (`limit` 0 = all); `search` matches prompt, response or sql.

    A missing database is an empty history. Raises sqlite3.Error for a database that cannot be read.
    """
    path = db_path(home)
    if not path.exists():
        return []
    conn = _connect(path)
    conn.row_factory = sqlite3.Row
    try:
        query = f"SELECT {', '.join(_COLUMNS)} FROM exchanges"
        args: list[Any] = []
        if search:
            query += " WHERE " + " OR ".join(
                f"{col} LIKE ? ESCAPE '\\'" for col in ("prompt", "response", "sql")
            )
            args += [_like(search)] * 3
        query += " ORDER BY id DESC"
        if limit > 0:
            query += " LIMIT ?"
            args.append(limit)
        return [_entry(row) for row in conn.execute(query, args)]
    finally:
        conn.close()
