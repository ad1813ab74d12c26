"""Training data for the built-in model: chat examples, reproducible from a seed.

About 80% text-to-SQL (random schema from `schemas`, filled SQLite db in memory, a question from
`questions.FAMILIES`, gold SQL kept only if it runs and its result looks like the question
implies), 10% small Python functions and 10% instruction-following formats (`tasks`).

The SQL user message is rendered by the same code `arctic sql` uses at inference
(`arctic_cli.sql.prompt.render` with `prompts/sql.txt`, schema parsed from the DDL like
`--schema FILE`); the assistant answer is only the query in a ```sql block. Examples of one schema
come out close together (3-8 per schema): shuffle when batching.

    from arctic_cli.train.data import generate_examples, write_jsonl
    for ex in generate_examples(1000, seed=0): ...   # {"messages", "kind", ...}
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from arctic_cli.errors import ArcticError
from arctic_cli.train import questions, schemas, tasks
from arctic_cli.train.holdout import HoldoutGuard

SHARES = {"sql": 0.8, "code": 0.1, "instruct": 0.1}
DIALECT = "sqlite"


@lru_cache(maxsize=1)
def _template() -> str:
    from arctic_cli.sql import prompt

    return prompt.load_template("sql.txt")


def prompt_renderer(schema_ddl_text: str, dialect: str = DIALECT) -> Callable[[str], str]:
    """question -> the user message `arctic sql QUESTION --schema FILE` sends for this DDL.

    The DDL is parsed once (sqlglot, like `--schema`) and reused for every question on it.
    """
    from arctic_cli.sql import prompt
    from arctic_cli.sql.schema import Schema, parse_ddl

    schema = Schema(parse_ddl(schema_ddl_text, dialect), dialect)
    template = _template()
    return lambda question: prompt.render(question, schema, dialect, template)[0]["content"]


def render_sql_prompt(schema_ddl_text: str, question: str, dialect: str = DIALECT) -> str:
    """The user message `arctic sql QUESTION --schema FILE` sends for this DDL and question."""
    return prompt_renderer(schema_ddl_text, dialect)(question)


def _kept(conn: sqlite3.Connection, draft: questions.Draft) -> bool:
    try:
        rows = conn.execute(draft.sql).fetchmany(1000)
    except sqlite3.Error:
        return False
    if draft.check == "rows":
        return bool(rows)
    if draft.check == "nonzero":
        return bool(rows) and rows[0][0] not in (0, None)
    return True


def _surface(rng: random.Random, question: str) -> str:
    """Light surface noise so the model does not rely on exact casing and punctuation."""
    r = rng.random()
    if r < 0.1:
        return question[0].lower() + question[1:]
    if r < 0.2 and question.endswith(("?", ".")):
        return question[:-1]
    return question


def sql_examples(rng: random.Random, guard: HoldoutGuard) -> list[dict[str, Any]]:
    """3-8 kept examples from one fresh random schema (fewer if questions fail their checks)."""
    schema = schemas.random_schema(rng)
    ddl = schema.ddl()
    if guard.schema_collides(ddl):
        return []
    schemas.fill(schema, rng)
    conn = schemas.to_sqlite(schema)
    db_sql = schema.db_sql()
    try:
        render = prompt_renderer(ddl, DIALECT)
    except ArcticError:  # a generated name sqlglot will not parse: skip the schema, never crash a run
        return []
    names = sorted(questions.FAMILIES)
    weights = [questions.WEIGHTS.get(f, 1.0) for f in names]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    want = rng.randint(3, 8)
    for _ in range(want * 3):
        if len(out) >= want:
            break
        family = rng.choices(names, weights)[0]
        draft = questions.FAMILIES[family](rng, schema)
        if draft is None or draft.sql in seen or not _kept(conn, draft):
            continue
        question = _surface(rng, draft.question)
        if guard.question_collides(question):
            continue
        seen.add(draft.sql)
        out.append({
            "messages": [
                {"role": "user", "content": render(question)},
                {"role": "assistant", "content": f"```sql\n{draft.sql}\n```"},
            ],
            "kind": "sql", "family": family, "domain": schema.domain, "question": question,
            "gold": draft.sql, "schema": ddl, "db_sql": db_sql, "dialect": DIALECT,
        })  # fmt: skip
    conn.close()
    return out


def _chat(kind: str, request: str, answer: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": request}, {"role": "assistant", "content": answer}], "kind": kind}


def generate_examples(n: int, seed: int, shares: dict[str, float] | None = None) -> Iterator[dict[str, Any]]:
    """`n` examples, the same ones for the same seed (and the same held-out suite)."""
    rng = random.Random(seed)
    shares = shares or SHARES
    kinds, weights = list(shares), list(shares.values())
    guard = HoldoutGuard.load()
    pending: list[dict[str, Any]] = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        if kind == "code":
            yield _chat("code", *tasks.code_task(rng))
        elif kind == "instruct":
            yield _chat("instruct", *tasks.instruct_task(rng))
        else:
            while not pending:
                pending = sql_examples(rng, guard)
                rng.shuffle(pending)
            yield pending.pop()


def write_jsonl(path: Path | str, n: int, seed: int, *, with_db: bool = False) -> dict[str, Any]:
    """Write `n` examples to `path` (one JSON object a line); returns counts and the rate.

    `db_sql` (the DDL plus INSERTs that rebuild each example's database) is dropped unless
    `with_db`, since the trainer only needs `messages` and it is most of the bytes.
    """
    kinds: Counter[str] = Counter()
    families: Counter[str] = Counter()
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        for ex in generate_examples(n, seed):
            kinds[ex["kind"]] += 1
            if ex["kind"] == "sql":
                families[ex["family"]] += 1
            if not with_db:
                ex = {k: v for k, v in ex.items() if k != "db_sql"}
            f.write(json.dumps(ex, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - start
    return {"examples": n, "seconds": seconds, "per_second": n / seconds if seconds else 0.0,
            "kinds": dict(kinds), "families": dict(families)}
