"""Build the example SQLite databases from their DDL and data files.

    python examples/build.py

For each NAME in DATABASES: NAME.sql (the schema, also used with `--schema`) and NAME_data.sql
(INSERTs) become NAME.sqlite, rebuilt from scratch. The .sqlite files are committed so the README's
`--db` commands work without this step.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATABASES = ("shop", "library")


def build(name: str, folder: Path = HERE) -> Path:
    target = folder / f"{name}.sqlite"
    tmp = target.with_suffix(".sqlite.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript((folder / f"{name}.sql").read_text(encoding="utf-8"))
        conn.executescript((folder / f"{name}_data.sql").read_text(encoding="utf-8"))
        conn.commit()
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise SystemExit(f"{name}: rows break foreign keys: {problems}")
        conn.execute("VACUUM")
    finally:
        conn.close()
    tmp.replace(target)
    return target


if __name__ == "__main__":
    for db in DATABASES:
        path = build(db)
        print(f"built {path.relative_to(HERE.parent)}")
