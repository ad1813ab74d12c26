"""No false alarms: every gold query of the held-out evaluation suite validates (DDL and catalog)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.validate import validate

SUITE = Path(__file__).resolve().parents[2] / "evals" / "heldout"


@pytest.mark.skipif(not (SUITE / "suite.jsonl").exists(), reason="held-out suite not present")
def test_every_gold_query_is_valid() -> None:
    items = [
        json.loads(line)
        for line in (SUITE / "suite.jsonl").read_text().splitlines()
        if line.strip()
    ]
    assert items
    schemas: dict[str, list[schema_mod.Schema]] = {}
    for item in items:
        db = item["db"]
        if db not in schemas:
            ddl = SUITE / db.replace(".sqlite", ".sql")
            schemas[db] = [schema_mod.load([ddl]), schema_mod.load(db=SUITE / db)]
        for schema in schemas[db]:
            result = validate(item["gold"], schema, "sqlite")
            assert result.valid, (item["gold"], schema.source, [str(e) for e in result.errors])
