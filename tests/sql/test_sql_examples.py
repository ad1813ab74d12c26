"""The committed example databases match their DDL and data files, and the README's question works."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("name", ["shop", "library"])
def test_committed_database_matches_its_sources(tmp_path: Path, name: str) -> None:
    spec = importlib.util.spec_from_file_location("examples_build", EXAMPLES / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for suffix in (".sql", "_data.sql"):
        (tmp_path / f"{name}{suffix}").write_bytes((EXAMPLES / f"{name}{suffix}").read_bytes())
    fresh = build.build(name, tmp_path)
    assert _dump(fresh) == _dump(EXAMPLES / f"{name}.sqlite")


def test_readme_question_has_a_valid_answer() -> None:
    from arctic_cli.sql import schema
    from arctic_cli.sql.execute import execute
    from arctic_cli.sql.validate import validate

    shop = schema.load([EXAMPLES / "shop.sql"])
    sql = (
        "SELECT c.name, COUNT(o.id) AS orders FROM customers AS c "
        "LEFT JOIN orders AS o ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY orders DESC, c.name"
    )
    result = validate(sql, shop, "sqlite")
    assert result.valid
    rows = execute(EXAMPLES / "shop.sqlite", "sqlite", result.sql).rows
    assert rows[:3] == [["Ada Lovelace", 3], ["Grace Hopper", 3], ["Donald Knuth", 2]]
    assert rows[-1] == ["Niklaus Wirth", 0]
