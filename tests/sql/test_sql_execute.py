"""Read-only execution: results, the row limit, the timeout, and writes that must fail."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from arctic_cli.sql.execute import ExecutionError, execute


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rows_and_columns(shop_db: Path) -> None:
    result = execute(
        shop_db,
        "sqlite",
        "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY customer_id",
    )
    assert result.columns == ["customer_id", "n"]
    assert result.rows == [[1, 3], [2, 1], [3, 3], [4, 1], [5, 1], [6, 2], [7, 1]]
    assert not result.truncated


def test_limit_is_applied_and_reported(shop_db: Path) -> None:
    result = execute(shop_db, "sqlite", "SELECT id FROM orders ORDER BY id", limit=5)
    assert result.rows == [[1], [2], [3], [4], [5]] and result.truncated
    exact = execute(shop_db, "sqlite", "SELECT id FROM orders", limit=12)
    assert len(exact.rows) == 12 and not exact.truncated


def test_timeout_aborts_a_runaway_query(shop_db: Path) -> None:
    forever = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
    )
    with pytest.raises(ExecutionError, match="longer than the 0.2 s timeout"):
        execute(shop_db, "sqlite", forever, timeout=0.2)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM orders",
        "UPDATE customers SET name = 'x'",
        "INSERT INTO products VALUES (99, 'x', 'y', 1.0)",
        "DROP TABLE order_items",
        "CREATE TABLE t (a INT)",
        "PRAGMA user_version = 7",
        "WITH gone AS (SELECT 1) DELETE FROM orders",
    ],
)
def test_writes_fail_and_leave_the_file_byte_identical(shop_db: Path, sql: str) -> None:
    before = digest(shop_db)
    with pytest.raises(ExecutionError, match="readonly|read-only|query_only|attempt to write"):
        execute(shop_db, "sqlite", sql)
    assert digest(shop_db) == before
    assert sorted(p.name for p in shop_db.parent.iterdir()) == [
        "shop.sqlite"
    ]  # no journal or WAL left


def test_runtime_errors_are_execution_errors(shop_db: Path) -> None:
    with pytest.raises(ExecutionError, match="no such function"):
        execute(shop_db, "sqlite", "SELECT no_such_function(id) FROM orders")


def test_blobs_become_hex(shop_db: Path) -> None:
    assert execute(shop_db, "sqlite", "SELECT x'00ff' AS b").rows == [["00ff"]]
