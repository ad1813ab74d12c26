"""No false alarms: every gold query of the hand-written suites (held-out, realdev) validates (DDL
and catalog)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.validate import validate

EVALS = Path(__file__).resolve().parents[2] / "evals"


@pytest.mark.parametrize("name", ["heldout", "realdev"])
def test_every_gold_query_is_valid(name: str) -> None:
    suite = EVALS / name
    if not (suite / "suite.jsonl").exists():
        pytest.skip(f"{name} suite not present")
    items = [
        json.loads(line)
        for line in (suite / "suite.jsonl").read_text().splitlines()
        if line.strip()
    ]
    assert items
    schemas: dict[str, list[schema_mod.Schema]] = {}
    for item in items:
        db = item["db"]
        if db not in schemas:
            ddl = suite / db.replace(".sqlite", ".sql")
            schemas[db] = [schema_mod.load([ddl]), schema_mod.load(db=suite / db)]
        for schema in schemas[db]:
            result = validate(item["gold"], schema, "sqlite")
            assert result.valid, (item["gold"], schema.source, [str(e) for e in result.errors])
