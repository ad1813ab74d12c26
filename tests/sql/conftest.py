"""Fixtures for the text-to-SQL tests: the example schema and a private copy of its database."""

from __future__ import annotations

from pathlib import Path

import pytest

from arctic_cli.sql import schema as schema_mod

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def shop() -> schema_mod.Schema:
    return schema_mod.load([EXAMPLES / "shop.sql"])


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    """A private copy of the example database (tests compare its bytes before and after)."""
    target = tmp_path / "shop.sqlite"
    target.write_bytes((EXAMPLES / "shop.sqlite").read_bytes())
    return target
