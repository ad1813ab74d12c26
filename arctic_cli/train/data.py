"""Training data for the built-in model: chat examples, reproducible from a seed.

About 80% text-to-SQL (random schema from `schemas`, filled SQLite db in memory, a question from
`questions.FAMILIES`, gold SQL kept only if it runs and its result looks like the question
implies), 10% small Python functions and 10% instruction-following formats (`tasks`).

The SQL user message is rendered by the same code `arctic sql` uses at inference
(`arctic_cli.sql.prompt.render` with `prompts/sql.txt`, schema parsed from the DDL like
`--schema FILE`, and for VALUES_SHARE of the schemas frequent column values read from the example's
database like `--db FILE`); the assistant answer is only the query in a ```sql block. Examples of one schema
come out close together (3-8 per schema): shuffle when batching.

    from arctic_cli.train.data import generate_examples, write_jsonl
    for ex in generate_examples(1000, seed=0): ...   # {"messages", "kind", ...}
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arctic_cli.errors import ArcticError
from arctic_cli.train import questions, schemas, tasks
from arctic_cli.train.holdout import HoldoutGuard

if TYPE_CHECKING:
    from arctic_cli.sql.linking import Links

SHARES = {"sql": 0.8, "code": 0.1, "instruct": 0.1}
DIALECT = "sqlite"
REPAIR_SHARE = 0.15  # SQL examples that are a repair conversation (a wrong query, its errors, the fix)
VALUES_SHARE = 0.25  # schemas whose prompt lists column values (as `arctic sql --values`)
DB_SHARE = 0.75  # schemas asked about as with `--db` (hints quote stored values), else `--schema`


@lru_cache(maxsize=1)
def _template() -> str:
    from arctic_cli.sql import prompt

    return prompt.load_template("sql.txt")


@lru_cache(maxsize=1)
def _repair_template() -> str:
    from arctic_cli.sql import prompt

    return prompt.load_template("sql_repair.txt")


def _parsed(schema_ddl_text: str, dialect: str) -> Any:
    from arctic_cli.sql.schema import Schema, parse_ddl

    return Schema(parse_ddl(schema_ddl_text, dialect), dialect)


def prompt_renderer(schema_ddl_text: str, dialect: str = DIALECT) -> Callable[[str], str]:
    """question -> the user message `arctic sql QUESTION --schema FILE` sends for this DDL.

    The DDL is parsed once (sqlglot, like `--schema`) and reused for every question on it.
    """
    return _renderer(_parsed(schema_ddl_text, dialect), dialect)


def _renderer(
    schema: Any, dialect: str, values: bool = False, conn: sqlite3.Connection | None = None
) -> Callable[..., str]:
    """(question, known links) -> the user message, with the hint line `arctic sql` adds for
    models we train (`conn`: the example's database, as with `--db`; without it, as from a
    --schema file)."""
    from arctic_cli.sql import linking, prompt
    from arctic_cli.sql.schema import stored_texts

    template = _template()
    texts = (stored_texts(schema.tables, conn, sqlite3.Error) or None) if conn is not None else None

    def render(question: str, known: Links | None = None) -> str:
        hint = linking.hints(question, schema, texts, known)
        return prompt.render(question, schema, dialect, template, values, hint)[0]["content"]

    return render


GOLD_HINT = 0.8  # chance that each table and column of the gold query is put in the hint line
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _rng_of(*texts: str) -> random.Random:
    """A generator seeded by the texts: draws that leave the example stream as it was."""
    return random.Random(zlib.crc32("\n".join(texts).encode()))


def _gold_links(rng: random.Random, sql: str, schema: Any) -> Links:
    """Most of the gold query's own tables and columns, as links for the hint line: in generated
    questions the words name the schema plainly, so hints found only from them would tell a model
    nothing it had not read; with these it learns that the line names what the answer uses (and,
    as GOLD_HINT < 1 and the question's own links stay, not all of it and not only that)."""
    from arctic_cli.sql.linking import Links

    used = {w.lower() for w in _NAME.findall(sql)}

    def kept(name: str) -> bool:
        return name.strip('"`[]').lower() in used and rng.random() < GOLD_HINT

    tables = {t.name.lower(): 1.0 for t in schema.tables if kept(t.name)}
    columns = {c.name.lower(): 1.0 for t in schema.tables for c in t.columns if kept(c.name)}
    return Links(tables, columns)


def _corrupt(rng: random.Random, sql: str, schema: schemas.Schema) -> str | None:
    """A plausible wrong version of `sql`: a table or column misnamed, or the statement cut short.

    Misnamings are the mistakes a model makes on an unfamiliar schema: the concept's words in
    another naming style (`stock_quantity` for `StockQty`), singular for plural, a column of
    another table, or an unrelated noun.
    """
    r = rng.random()
    if r < 0.12:  # cut short: an open paren or quote is already a syntax error, else end on WHERE
        head = sql[: rng.randint(len(sql) // 2, len(sql) - 1)].rstrip()
        return head if "(" in head or "'" in head else head + " WHERE"
    tables = [t for t in schema.tables if re.search(rf"\b{re.escape(schemas.q(t.name))}\b", sql)]
    if not tables:
        return None
    t = rng.choice(tables)
    if r < 0.4:
        old = schemas.q(t.name)
        choices = [t.singular.replace(" ", "_"), t.plural.replace(" ", "_"), t.name.lower(),
                   t.name.rstrip("s") if t.name.endswith("s") else t.name + "s"]  # fmt: skip
    else:
        used = [c for c in t.columns if re.search(rf"\b{re.escape(schemas.q(c.name))}\b", sql)]
        if not used:
            return None
        c = rng.choice(used)
        old = schemas.q(c.name)
        others = [o.name for o2 in schema.tables if o2 is not t for o in o2.columns if not o.pk]
        choices = [c.phrase.replace(" ", "_"), "".join(w.capitalize() for w in c.phrase.split()),
                   rng.choice(schemas.COLUMN_NOUNS), *(rng.sample(others, 1) if others else [])]  # fmt: skip
    new = rng.choice([x for x in choices if x and x.lower() != old.strip('"').lower()] or [""])
    if not new or not re.fullmatch(r"[A-Za-z_]\w*", new):
        return None
    return re.sub(rf"\b{re.escape(old)}\b", new, sql, count=1)


def repair_messages(
    rng: random.Random, first: list[dict[str, str]], gold: str, question: str, schema: schemas.Schema,
    parsed: Any,
) -> list[dict[str, str]] | None:
    """`first` (the request), a corrupted answer, the validator's real errors, and the gold fix."""
    from arctic_cli.sql import prompt
    from arctic_cli.sql.validate import validate

    wrong = _corrupt(rng, gold, schema)
    if wrong is None:
        return None
    errors = validate(wrong, parsed, DIALECT).errors
    if not errors:
        return None
    answer = f"```sql\n{wrong}\n```"
    listed = [str(e) for e in errors]
    messages = prompt.render_repair(first, answer, listed, question, DIALECT, _repair_template())
    return [*messages, {"role": "assistant", "content": f"```sql\n{gold}\n```"}]


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
    try:
        conn = schemas.to_sqlite(schema)
    except sqlite3.Error:  # two names abbreviated to the same identifier: skip the schema
        return []
    db_sql = schema.db_sql()
    try:
        parsed = _parsed(ddl, DIALECT)
    except ArcticError:  # a generated name sqlglot will not parse: skip the schema, never crash a run
        return []
    # like `arctic sql --db` with a local model: frequent column values in the prompt, read by
    # the same code from the example's database; the rest as from a --schema file (none)
    values = rng.random() < VALUES_SHARE
    if values:
        from arctic_cli.sql.schema import sample_values

        sample_values(parsed.tables, conn, DIALECT, sqlite3.Error)
    render = _renderer(parsed, DIALECT, values, conn if rng.random() < DB_SHARE else None)
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
        known = _gold_links(_rng_of(question, draft.sql), draft.sql, parsed)
        first = [{"role": "user", "content": render(question, known)}]
        messages = None
        if rng.random() < REPAIR_SHARE:
            messages = repair_messages(rng, first, draft.sql, question, schema, parsed)
        messages = messages or [*first, {"role": "assistant", "content": f"```sql\n{draft.sql}\n```"}]
        out.append({
            "messages": messages,
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
