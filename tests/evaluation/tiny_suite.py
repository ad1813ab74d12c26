"""A tiny evaluation suite (one SQLite db, four questions) shared by the evaluation tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def make_suite(tmp_path: Path, items: list[dict]) -> Path:
    db = tmp_path / "shop.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);"
        "INSERT INTO customers VALUES (1, 'Ann', 'Oslo'), (2, 'Bo', 'Lima'), (3, 'Cy', NULL);"
    )
    conn.commit()
    conn.close()
    suite = tmp_path / "suite.jsonl"
    suite.write_text("".join(json.dumps({"db": "shop.sqlite", **i}) + "\n" for i in items), encoding="utf-8")
    return suite


ITEMS = [
    {"question": "How many customers?", "gold": "SELECT COUNT(*) FROM customers", "difficulty": "easy"},
    {"question": "Names by id", "gold": "SELECT name FROM customers ORDER BY id", "difficulty": "medium"},
    {"question": "Cities", "gold": "SELECT name, city FROM customers WHERE city IS NOT NULL", "difficulty": "hard"},
    {"question": "Who has no city?", "gold": "SELECT name FROM customers WHERE city IS NULL", "difficulty": "hard"},
]
