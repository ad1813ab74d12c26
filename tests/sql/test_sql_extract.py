"""Finding the SQL in a model's answer."""

from __future__ import annotations

import pytest

from arctic_cli.sql.extract import extract_sql


@pytest.mark.parametrize(
    ("answer", "sql"),
    [
        ("```sql\nSELECT 1;\n```", "SELECT 1"),
        (
            "Here you go:\n\n```sql\nSELECT name\nFROM customers;\n```\nThis lists names.",
            "SELECT name\nFROM customers",
        ),
        ("```\nSELECT 2\n```", "SELECT 2"),
        ("```python\nprint(1)\n```\n```sql\nSELECT 3\n```", "SELECT 3"),
        ("```sql\nSELECT 4 FROM t WHERE", "SELECT 4 FROM t WHERE"),  # cut off by max_tokens
        ("SELECT 5;", "SELECT 5"),
        (
            "The query is:\nSELECT a FROM t WHERE b = ';' ; and that is all",
            "SELECT a FROM t WHERE b = ';'",
        ),
        ("SQL: WITH x AS (SELECT 1) SELECT * FROM x", "WITH x AS (SELECT 1) SELECT * FROM x"),
        (
            "select name\nfrom customers\n\nThis query returns the names.",
            "select name\nfrom customers",
        ),
        ("", ""),
    ],
)
def test_extract(answer: str, sql: str) -> None:
    assert extract_sql(answer) == sql


def test_no_statement_keeps_prose_but_drops_fences() -> None:
    assert extract_sql("```sql\n```sql\n```sql") == ""
    assert extract_sql("I cannot answer that.") == "I cannot answer that."
