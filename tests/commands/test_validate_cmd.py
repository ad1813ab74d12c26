"""`arctic validate`: the same validator for hand-written SQL, its JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHOP = str(EXAMPLES / "shop.sql")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ARCTIC_DIALECT", raising=False)


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["validate", *args], input=input)


def test_valid_sql_prints_pretty_sql() -> None:
    result = run("select name from customers where id = 1", "--schema", SHOP)
    assert result.exit_code == 0
    assert result.stdout == "SELECT\n  name\nFROM customers\nWHERE\n  id = 1\n"


def test_json_shape_valid_and_invalid() -> None:
    ok = run(
        "select name from customers", "--db", str(EXAMPLES / "shop.sqlite"), "--format", "json"
    )
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {
        "sql": "SELECT\n  name\nFROM customers",
        "dialect": "sqlite",
        "valid": True,
        "errors": [],
    }
    bad = run("select nme from custmers", "--schema", SHOP, "-f", "json")
    assert bad.exit_code == 3
    assert json.loads(bad.stdout) == {
        "sql": "select nme from custmers", "dialect": "sqlite", "valid": False,
        "errors": [{"kind": "unknown_table", "message": "unknown table custmers", "line": 1, "col": 17, "suggestion": "customers"}],
    }  # fmt: skip


def test_invalid_prints_errors_on_stderr_and_exits_3() -> None:
    result = run("SELECT id FROM customers, orders", "--schema", SHOP)
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "ambiguous_column: line 1, col 8: column id is ambiguous: it is in customers, orders (did you mean customers.id or orders.id?)",
        "error: the SQL is invalid (1 error)",
    ]


def test_reads_a_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text("-- monthly orders\nSELECT COUNT(*) FROM orders;\n")
    assert (
        run(str(path), "--schema", SHOP).stdout
        == "/* monthly orders */\nSELECT\n  COUNT(*)\nFROM orders\n"
    )
    assert run("-", "--schema", SHOP, input="SELECT 1 FROM products").exit_code == 0


def test_read_only_and_allow_write() -> None:
    assert run("DELETE FROM orders WHERE id = 3", "--schema", SHOP).exit_code == 3
    assert run("DELETE FROM orders WHERE id = 3", "--schema", SHOP, "--allow-write").exit_code == 0
    never = run("DROP TABLE orders", "--schema", SHOP, "--allow-write", "-f", "json")
    assert never.exit_code == 3
    assert json.loads(never.stdout)["errors"] == [
        {"kind": "read_only", "message": "DROP is never allowed (it changes the database)"}
    ]


def test_transpile_and_unsupported() -> None:
    result = run(
        "SELECT strftime('%Y', order_date) FROM orders",
        "--schema",
        SHOP,
        "--to",
        "duckdb",
        "-f",
        "json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (
        data["dialect"] == "duckdb"
        and "STRFTIME(CAST(order_date AS TIMESTAMP), '%Y')" in data["sql"]
    )


def test_unsupported_transpile_exits_3(tmp_path: Path) -> None:
    ddl = tmp_path / "sales.sql"
    ddl.write_text("CREATE TABLE sales (region TEXT, quarter TEXT, amount INT);")
    sql = "SELECT * FROM sales PIVOT(SUM(amount) FOR quarter IN ('Q1', 'Q2'))"
    result = run(sql, "--schema", str(ddl), "--dialect", "snowflake", "--to", "mysql", "-f", "json")
    assert result.exit_code == 3
    (error,) = json.loads(result.stdout)["errors"]
    assert error["kind"] == "unsupported" and "PIVOT" in error["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--schema", SHOP], "error: empty SQL"),
        (["missing.sql", "--schema", SHOP], "error: SQL file missing.sql does not exist"),
        (["SELECT 1"], "error: give either --schema FILE or --db PATH"),
        (["SELECT 1", "--db", SHOP], "is not a SQLite or DuckDB database"),
        ([str(EXAMPLES), "--schema", SHOP], f"error: {EXAMPLES} is a directory"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[0]
