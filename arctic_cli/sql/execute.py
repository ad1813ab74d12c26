"""Run a validated query against a SQLite or DuckDB file, read-only, with a timeout and a row limit.

The database is opened read-only twice over: SQLite through a `mode=ro` URI plus
`PRAGMA query_only = ON` (a write fails even if validation missed it), DuckDB with
`read_only=True` and no access outside the file (no `read_csv('/etc/passwd')`, no `COPY ... TO`);
a query that passes the read-only rules but reads a view over files is run again with file access.
The timeout is a SQLite progress handler that aborts the statement; DuckDB gets `interrupt()`
from a timer thread.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arctic_cli.sql.schema import connect_duckdb, connect_sqlite


class ExecutionError(Exception):
    """The database rejected or aborted the query (an `execution` error, not a crash)."""


@dataclass
class ExecResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool  # more rows existed than the limit
    seconds: float


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)  # dates, decimals, UUIDs from DuckDB


def _run_sqlite(
    path: Path, sql: str, timeout: float, limit: int
) -> tuple[list[str], list[Any], bool]:
    conn = connect_sqlite(path)
    deadline = time.monotonic() + timeout
    # called every N virtual-machine instructions; a non-zero return aborts the statement
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limit + 1)
    except sqlite3.OperationalError as e:
        if str(e) == "interrupted":
            raise ExecutionError(f"the query ran longer than the {timeout:g} s timeout") from None
        raise ExecutionError(str(e)) from None
    except sqlite3.Error as e:
        raise ExecutionError(str(e)) from None
    finally:
        conn.close()
    return columns, rows, len(rows) > limit


class _FileAccess(ExecutionError):
    """DuckDB refused a file: the statement, or a view it reads, wants one."""


def _run_duckdb(
    path: Path, sql: str, timeout: float, limit: int
) -> tuple[list[str], list[Any], bool]:
    try:
        return _duckdb_query(connect_duckdb(path), sql, timeout, limit)
    except _FileAccess:
        from arctic_cli.sql.validate import validate

        if not validate(sql, None, "duckdb").valid:
            raise  # the statement itself reads a file (`read_csv(...)`) or is no query
        # the file is read by one of the database's own views (`CREATE VIEW sales AS SELECT *
        # FROM read_csv(...)`): run the query with the access its owner gave those views
        return _duckdb_query(connect_duckdb(path, files=True), sql, timeout, limit)


def _duckdb_query(conn: Any, sql: str, timeout: float, limit: int) -> tuple[list[str], list[Any], bool]:
    import duckdb

    timer = threading.Timer(timeout, conn.interrupt)
    timer.start()
    try:
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limit + 1)
    except Exception as e:  # duckdb.Error subclasses, including the interrupt
        if not timer.is_alive():
            raise ExecutionError(f"the query ran longer than the {timeout:g} s timeout") from None
        error = _FileAccess if isinstance(e, duckdb.PermissionException) else ExecutionError
        raise error(str(e).split("\n")[0]) from None
    finally:
        timer.cancel()
        conn.close()
    return columns, rows, len(rows) > limit


def execute(
    path: Path, kind: str, sql: str, *, timeout: float = 30.0, limit: int = 100
) -> ExecResult:
    """Run `sql` on the database at `path` ("sqlite" or "duckdb"); at most `limit` rows come back."""
    start = time.perf_counter()
    run = _run_sqlite if kind == "sqlite" else _run_duckdb
    columns, rows, truncated = run(path, sql, timeout, limit)
    rows = [[_jsonable(v) for v in row] for row in rows[:limit]]
    return ExecResult(columns, rows, truncated, time.perf_counter() - start)
