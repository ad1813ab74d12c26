"""Every validation rule: syntax, statements, tables, columns, read-only, transpiling, error shape."""

from __future__ import annotations

import pytest

from arctic_cli.sql.schema import Schema, parse_ddl
from arctic_cli.sql.validate import validate


def kinds(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.kind for e in result.errors]


def test_valid_join_is_pretty_printed(shop: Schema) -> None:
    sql = "select c.name, count(o.id) from customers c left join orders o on o.customer_id = c.id group by c.name"
    result = validate(sql, shop, "sqlite")
    assert result.valid and result.errors == []
    assert result.sql.splitlines()[0] == "SELECT"
    assert "LEFT JOIN orders AS o" in result.sql
    assert result.to_dict() == {"sql": result.sql, "dialect": "sqlite", "valid": True, "errors": []}


def test_syntax_error_has_line_col_and_text(shop: Schema) -> None:
    result = validate("SELECT name\nFROM customers\nWHERE (", shop, "sqlite")
    assert kinds(result) == ["syntax"]
    error = result.errors[0]
    assert (error.line, error.col) == (3, 7)
    assert "'('" in error.message
    assert result.sql == "SELECT name\nFROM customers\nWHERE ("


def test_absurd_nesting_is_a_syntax_error_not_a_crash(shop: Schema) -> None:
    sql = "SELECT " + "COUNT(" * 400 + "id" + ")" * 400 + " FROM customers"
    v = validate(sql, shop, "sqlite")
    assert not v.valid and v.errors[0].kind == "syntax" and "nests too deeply" in v.errors[0].message


def test_long_run_of_bare_joins_is_refused_before_parsing(shop: Schema) -> None:
    """sqlglot's parse time doubles with each JOIN lacking ON: 30 of them would hang the validator."""
    sql = "SELECT name FROM customers" + " JOIN orders" * 30
    v = validate(sql, shop, "sqlite")
    assert not v.valid and "without ON or USING" in v.errors[0].message
    chained = "SELECT c.name FROM customers c" + " JOIN orders o ON o.customer_id = c.id" * 12
    assert validate(chained, shop, "sqlite").errors[0].kind != "syntax"  # joins with ON are fine
    assert validate("SELECT 'join join join join join join join join join' FROM customers", shop, "sqlite").valid


def test_sqlglot_internal_failure_is_a_syntax_error(shop: Schema) -> None:
    v = validate("SELECT VAR_MAP(1) FROM customers", shop, "sqlite")  # sqlglot raises IndexError
    assert not v.valid and v.errors[0].kind == "syntax" and "cannot parse" in v.errors[0].message


def test_unterminated_string_is_a_syntax_error(shop: Schema) -> None:
    result = validate("SELECT 'abc FROM customers", shop, "sqlite")
    assert kinds(result) == ["syntax"]
    assert "unterminated" in result.errors[0].message


@pytest.mark.parametrize("sql", ["", "  ;  ", "-- only a comment"])
def test_no_statement(shop: Schema, sql: str) -> None:
    result = validate(sql, shop, "sqlite")
    assert kinds(result) == ["syntax"]
    assert result.errors[0].message == "no SQL statement found"


def test_exactly_one_statement(shop: Schema) -> None:
    result = validate("SELECT 1; SELECT 2", shop, "sqlite")
    assert kinds(result) == ["multiple_statements"]
    assert result.errors[0].message == "expected exactly one statement, found 2"
    assert validate("SELECT 1;", shop, "sqlite").valid  # a trailing semicolon is one statement


@pytest.mark.parametrize(
    ("sql", "line", "col"),
    [
        ("SELECT * FROM custmers", 1, 15),
        ("SELECT name FROM customers WHERE id IN (SELECT customer_id FROM ordrs)", 1, 65),
        ("WITH x AS (SELECT * FROM custmers) SELECT * FROM x", 1, 26),
        ("SELECT * FROM orders o JOIN\n  custmers c ON c.id = o.customer_id", 2, 3),
    ],
)
def test_unknown_table_in_every_scope(shop: Schema, sql: str, line: int, col: int) -> None:
    result = validate(sql, shop, "sqlite")
    assert kinds(result) == ["unknown_table"]
    error = result.errors[0].to_dict()
    assert error["line"] == line and error["col"] == col
    assert error["suggestion"] in ("customers", "orders")


def test_cte_names_are_not_unknown_tables(shop: Schema) -> None:
    sql = "WITH big AS (SELECT customer_id FROM orders) SELECT customer_id FROM big"
    assert validate(sql, shop, "sqlite").valid


def test_unknown_column_with_suggestion(shop: Schema) -> None:
    result = validate("SELECT nme FROM customers", shop, "sqlite")
    assert [e.to_dict() for e in result.errors] == [
        {
            "kind": "unknown_column",
            "message": "unknown column nme (not in customers)",
            "line": 1,
            "col": 8,
            "suggestion": "name",
        }
    ]


def test_unknown_qualified_column(shop: Schema) -> None:
    result = validate("SELECT c.emial FROM customers AS c", shop, "sqlite")
    assert kinds(result) == ["unknown_column"]
    assert result.errors[0].suggestion == "email"
    assert (result.errors[0].line, result.errors[0].col) == (1, 8)


def test_unknown_column_in_subquery(shop: Schema) -> None:
    result = validate(
        "SELECT name FROM customers WHERE id IN (SELECT custid FROM orders)", shop, "sqlite"
    )
    assert kinds(result) == ["unknown_column"]
    assert result.errors[0].suggestion == "customer_id"


def test_ambiguous_column(shop: Schema) -> None:
    result = validate(
        "SELECT id FROM customers JOIN orders ON orders.customer_id = customers.id", shop, "sqlite"
    )
    assert kinds(result) == ["ambiguous_column"]
    assert result.errors[0].suggestion == "customers.id or orders.id"


def test_unknown_alias(shop: Schema) -> None:
    result = validate("SELECT x.name FROM customers AS c", shop, "sqlite")
    assert kinds(result) == ["unknown_table"]
    assert "x" in result.errors[0].message


def test_select_alias_in_order_by_is_fine(shop: Schema) -> None:
    assert validate("SELECT name AS n FROM customers ORDER BY n", shop, "sqlite").valid


@pytest.mark.parametrize(
    ("sql", "fragment"),
    [
        ("DELETE FROM orders", "DELETE"),
        ("UPDATE orders SET status = 'x'", "UPDATE"),
        ("INSERT INTO orders (id) VALUES (99)", "INSERT"),
        (
            "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone",
            "DELETE (inside the query)",
        ),
        ("SELECT * INTO backup FROM orders", "SELECT ... INTO"),
        ("SELECT * FROM orders FOR UPDATE", "FOR UPDATE"),
        ("PRAGMA writable_schema = 1", "PRAGMA"),
        ("ATTACH DATABASE 'other.db' AS other", "ATTACH"),
        ("DROP TABLE orders", "DROP"),
        ("CREATE TABLE t (a INT)", "CREATE"),
        ("ALTER TABLE orders ADD COLUMN x INT", "ALTER"),
        ("VACUUM", "VACUUM"),
    ],
)
def test_read_only_rules(shop: Schema, sql: str, fragment: str) -> None:
    result = validate(sql, shop, "sqlite")
    assert not result.valid
    assert "read_only" in kinds(result)
    assert any(fragment in e.message for e in result.errors if e.kind == "read_only")


def test_allow_write_accepts_dml_but_never_ddl(shop: Schema) -> None:
    assert validate("DELETE FROM orders WHERE id = 1", shop, "sqlite", allow_write=True).valid
    assert validate("SELECT * FROM orders FOR UPDATE", shop, "postgres", allow_write=True).valid
    for ddl in ("DROP TABLE orders", "CREATE TABLE t (a INT)", "SELECT * INTO t FROM orders"):
        result = validate(ddl, shop, "sqlite", allow_write=True)
        assert kinds(result) == ["read_only"], ddl
        assert "never allowed" in result.errors[0].message


def test_allow_write_still_checks_tables(shop: Schema) -> None:
    result = validate("DELETE FROM ordrs", shop, "sqlite", allow_write=True)
    assert kinds(result) == ["unknown_table"]


def test_transpile_to_postgres(shop: Schema) -> None:
    sql = "SELECT strftime('%Y', order_date) AS y, COUNT(*) FROM orders GROUP BY y"
    result = validate(sql, shop, "sqlite", to="postgres")
    assert result.valid and result.dialect == "postgres"
    assert "TO_CHAR(CAST(order_date AS TIMESTAMP), 'YYYY')" in result.sql


def test_transpile_unsupported_is_an_error_not_a_silent_rewrite() -> None:
    schema = Schema(
        parse_ddl("CREATE TABLE sales (region TEXT, quarter TEXT, amount INT)", "snowflake"),
        "snowflake",
    )
    sql = "SELECT * FROM sales PIVOT(SUM(amount) FOR quarter IN ('Q1', 'Q2'))"
    assert validate(sql, schema, "snowflake").valid
    result = validate(sql, schema, "snowflake", to="mysql")
    assert kinds(result) == ["unsupported"]
    assert "PIVOT" in result.errors[0].message
    assert result.sql == sql and result.dialect == "snowflake"


@pytest.mark.parametrize(
    ("sql", "dialect", "refused"),
    [
        ("SELECT * FROM read_text('/etc/hostname')", "duckdb", "read_text()"),
        ("SELECT * FROM read_csv('/etc/passwd')", "duckdb", "read_csv()"),
        ("SELECT o.id FROM orders o JOIN glob('/root/*') g ON true", "duckdb", "glob()"),
        ("SELECT * FROM read_parquet('s3://bucket/x.parquet')", "duckdb", "read_parquet()"),
        ("SELECT * FROM pragma_table_info('orders')", "sqlite", "pragma_table_info()"),
        ("SELECT * FROM range(3)", "duckdb", None),
        ("SELECT * FROM generate_series(1, 3)", "postgres", None),
        ("SELECT value FROM json_each('[1, 2]')", "sqlite", None),
        ("SELECT x FROM UNNEST([1, 2]) AS x", "bigquery", None),
    ],
)
def test_table_functions_other_than_generators_are_refused(sql: str, dialect: str, refused: str | None) -> None:
    result = validate(sql, None, dialect)
    if refused is None:
        assert result.valid, result.errors
    else:
        assert kinds(result) == ["read_only"] and f"table function {refused}" in result.errors[0].message


def test_schema_none_checks_syntax_and_read_only_only() -> None:
    assert validate("SELECT anything FROM anywhere", None, "sqlite").valid
    assert kinds(validate("DROP TABLE x", None, "sqlite")) == ["read_only"]


def test_quoted_and_schema_qualified_names() -> None:
    ddl = 'CREATE TABLE sales."Order Items" ("Qty" INT, order_id INT); CREATE TABLE sales.orders (id INT)'
    schema = Schema(parse_ddl(ddl, "postgres"), "postgres")
    ok = 'SELECT i."Qty" FROM sales."Order Items" AS i JOIN sales.orders AS o ON o.id = i.order_id'
    assert validate(ok, schema, "postgres").valid
    # Postgres folds unquoted names to lower case: Qty is not "Qty"
    result = validate('SELECT Qty FROM sales."Order Items"', schema, "postgres")
    assert kinds(result) == ["unknown_column"]
    assert kinds(validate("SELECT * FROM sales.order_items", schema, "postgres")) == [
        "unknown_table"
    ]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT COUNT(*) FROM orders WHERE COUNT(*) > 2", "misuse of aggregate: COUNT()"),
        ("SELECT customer_id FROM orders GROUP BY COUNT(*)", "aggregate functions are not allowed in the GROUP BY"),
        ("SELECT FIRST_VALUE(id) FROM orders", "misuse of window function FIRST_VALUE()"),
        ("SELECT VARIANCE(price) FROM products", "no such function: VARIANCE"),
        ("SELECT id FROM orders WHERE order_date > DATE('now') - INTERVAL '3 days'", 'near "\'3\'": syntax error'),
    ],
)
def test_sqlite_compiles_what_sqlglot_lets_through(shop: Schema, sql: str, reason: str) -> None:
    result = validate(sql, shop, "sqlite")
    assert kinds(result) == ["execution"] and result.errors[0].message.startswith(f"SQLite rejects the query: {reason}")
    # other dialects have no engine here to ask: sqlglot's checks alone, which let it through
    assert validate(sql, Schema(shop.tables, "postgres"), "postgres").valid


def test_sqlite_check_runs_nothing_and_lets_valid_sql_through(shop: Schema) -> None:
    assert validate("SELECT * FROM orders WHERE id = ?", shop, "sqlite").valid  # a parameter is fine
    assert validate("SELECT ABS(-9223372036854775807 - 1) FROM orders", shop, "sqlite").valid  # fails only when run
    ok = "SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id HAVING COUNT(*) > 2"
    assert validate(ok, shop, "sqlite").valid


def test_sqlite_check_with_schema_qualified_and_unbuildable_schemas() -> None:
    ddl = "CREATE TABLE sales.orders (id INT, total REAL); CREATE TABLE main.notes (id INT)"
    schema = Schema(parse_ddl(ddl, "sqlite"), "sqlite")
    assert validate("SELECT o.id FROM sales.orders AS o JOIN main.notes AS n ON n.id = o.id", schema, "sqlite").valid
    assert kinds(validate("SELECT id FROM sales.orders WHERE SUM(total) > 1", schema, "sqlite")) == ["execution"]
    # two tables SQLite cannot tell apart (names differ only in case): the check is skipped, not failed
    twins = Schema(parse_ddl('CREATE TABLE "T" (a INT); CREATE TABLE "t" (b INT)', "sqlite"), "sqlite")
    assert validate('SELECT a FROM "T"', twins, "sqlite").valid
