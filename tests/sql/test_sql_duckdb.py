"""DuckDB databases (the optional extra): catalog, validation, read-only execution, timeout."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.execute import ExecutionError, execute
from arctic_cli.sql.validate import validate

duckdb = pytest.importorskip("duckdb")


@pytest.fixture
def duck(tmp_path: Path) -> Path:
    path = tmp_path / "shop.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute("CREATE SCHEMA sales")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR)")
    conn.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), "
        "total DECIMAL(10,2), placed DATE)"
    )
    conn.execute("CREATE TABLE sales.targets (region VARCHAR, amount DECIMAL(10,2))")
    conn.execute("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Alan')")
    conn.execute("CREATE VIEW names AS SELECT name FROM customers")
    conn.execute("INSERT INTO orders VALUES (1, 1, 9.5, '2024-01-01'), (2, 1, 3, '2024-02-01')")
    conn.close()
    return path


def test_catalog(duck: Path) -> None:
    schema = schema_mod.load(db=duck)
    assert schema.dialect == "duckdb" and schema.db_kind == "duckdb"
    assert [t.qualified for t in schema.tables] == ["customers", "names", "orders", "sales.targets"]
    orders = schema.tables[2]
    schema_mod.read_values(schema)
    assert [c.name for c in orders.columns if c.primary_key] == ["id"]
    assert schema.tables[0].columns[1].values == ("'Ada'", "'Alan'")  # read like SQLite's
    view = next(t for t in schema.tables if t.name == "names")
    assert view.columns[0].values == ()  # views are not read (one may run a costly query)
    assert [(f.columns, f.ref_table, f.ref_columns) for f in orders.foreign_keys] == [
        (["customer_id"], "customers", ["id"])
    ]
    assert validate("SELECT region FROM sales.targets", schema, "duckdb").valid
    assert not validate("SELECT region FROM targets_x", schema, "duckdb").valid


def test_execute_read_only_with_timeout(duck: Path) -> None:
    before = hashlib.sha256(duck.read_bytes()).hexdigest()
    sql = "SELECT c.name, SUM(o.total) AS total, MIN(o.placed) AS first FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name"
    result = execute(duck, "duckdb", sql)
    assert result.columns == ["name", "total", "first"]
    assert result.rows == [["Ada", "12.50", "2024-01-01"]]
    with pytest.raises(ExecutionError, match="read-only"):
        execute(duck, "duckdb", "DELETE FROM customers")
    with pytest.raises(ExecutionError, match="timeout"):
        execute(
            duck, "duckdb", "SELECT COUNT(*) FROM range(100000000000) a, range(10) b", timeout=0.2
        )
    assert hashlib.sha256(duck.read_bytes()).hexdigest() == before


def test_execution_cannot_reach_files_outside_the_database(duck: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    with pytest.raises(ExecutionError, match="disabled by configuration"):
        execute(duck, "duckdb", f"SELECT content FROM read_text('{secret}')")
    with pytest.raises(ExecutionError, match="disabled by configuration"):
        execute(duck, "duckdb", f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'")
    assert not (tmp_path / "out.csv").exists()
    with pytest.raises(ExecutionError):
        execute(duck, "duckdb", "SET enable_external_access = true")
    assert execute(duck, "duckdb", "SELECT COUNT(*) FROM customers").rows == [[2]]


def test_the_databases_own_views_over_files_still_run(tmp_path: Path) -> None:
    """File access is off for the query, not for what the database's owner defined: a view over a
    CSV file answers; the same read written in the query is refused."""
    csv = tmp_path / "sales.csv"
    csv.write_text("id,amount\n1,2.5\n2,3.5\n")
    path = tmp_path / "lake.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute(f"CREATE VIEW sales AS SELECT * FROM read_csv('{csv}')")
    conn.close()
    assert execute(path, "duckdb", "SELECT SUM(amount) FROM sales").rows == [[6.0]]
    with pytest.raises(ExecutionError, match="disabled by configuration"):
        execute(path, "duckdb", f"SELECT SUM(amount) FROM read_csv('{csv}')")
