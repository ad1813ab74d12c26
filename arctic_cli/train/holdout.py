"""Hold-out discipline: the data generator must never emit the held-out suite's schemas or questions.

The held-out suite (evals/heldout/) is written by hand and never produced by the generator, but
the generator's vocabulary shares domains with it (everyone has an `employees` table), so this
guard checks every generated schema and question against it. A generated table collides with a
held-out table when their normalized names match and their normalized column sets overlap by 60%
or more (Jaccard); a question collides when its normalized text equals a held-out question.
The hand-written tuning suite (evals/realdev/) is guarded the same way: decisions tuned on it
should not be tuned on the generator's own data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

HELDOUT_DIR = Path(__file__).resolve().parents[2] / "evals" / "heldout"
REALDEV_DIR = HELDOUT_DIR.parent / "realdev"
_CREATE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)[\"`\]]?\s*\((.*?)\);", re.I | re.S)
_CONSTRAINT = re.compile(r"^(PRIMARY|FOREIGN|UNIQUE|CHECK|CONSTRAINT)\b", re.I)


def norm_name(name: str) -> str:
    """`tbl_OrderItems`, `tblOrderItems` -> `orderitem`: no prefix, case, underscores or plural s."""
    n = re.sub(r"^(tbl|t)_|^tbl(?-i:(?=[A-Z]))", "", name, flags=re.I).replace("_", "").lower()
    if n.endswith("ies"):
        return n[:-3] + "y"
    return n[:-1] if n.endswith("s") and not n.endswith("ss") else n


def norm_question(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def tables_of_ddl(ddl: str) -> dict[str, frozenset[str]]:
    """{normalized table name: normalized column names} for every CREATE TABLE in `ddl`."""
    out: dict[str, frozenset[str]] = {}
    for name, body in _CREATE.findall(ddl):
        cols = set()
        for part in re.split(r",(?![^()]*\))", body):
            part = part.strip()
            if part and not _CONSTRAINT.match(part):
                cols.add(norm_name(part.split()[0].strip("\"`[]")))
        out[norm_name(name)] = frozenset(cols)
    return out


@dataclass
class HoldoutGuard:
    tables: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    questions: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, *folders: Path) -> HoldoutGuard:
        """The guard for the suites in `folders` (held-out and realdev by default; empty when
        they are not there, e.g. in a wheel)."""
        guard = cls()
        for folder in folders or (HELDOUT_DIR, REALDEV_DIR):
            for sql in sorted(folder.glob("*.sql")):
                guard.tables += tables_of_ddl(sql.read_text(encoding="utf-8")).items()
            suite = folder / "suite.jsonl"
            if suite.exists():
                for line in suite.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        guard.questions.add(norm_question(json.loads(line)["question"]))
        return guard

    def schema_collides(self, ddl: str) -> bool:
        for name, cols in tables_of_ddl(ddl).items():
            for held_name, held_cols in self.tables:
                if name == held_name and len(cols & held_cols) >= 0.6 * len(cols | held_cols):
                    return True
        return False

    def question_collides(self, question: str) -> bool:
        return norm_question(question) in self.questions
