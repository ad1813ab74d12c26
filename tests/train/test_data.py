"""The training data generator: determinism, gold SQL that runs, coverage, prompt parity, hold-out."""

from __future__ import annotations

import ast
import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from arctic_cli.train import data, questions, tasks
from arctic_cli.train.holdout import HELDOUT_DIR, REALDEV_DIR, HoldoutGuard

N = 600


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    return list(data.generate_examples(N, seed=11))


def test_same_seed_same_examples_and_other_seed_differs() -> None:
    a = list(data.generate_examples(120, seed=5))
    b = list(data.generate_examples(120, seed=5))
    c = list(data.generate_examples(120, seed=6))
    assert a == b
    assert [x["messages"] for x in a] != [x["messages"] for x in c]


def test_every_sql_gold_runs_on_its_database_and_answers(examples: list[dict]) -> None:
    sql = [e for e in examples if e["kind"] == "sql"]
    assert len(sql) > 0.7 * N
    for ex in sql:
        conn = sqlite3.connect(":memory:")
        conn.executescript(ex["db_sql"])
        rows = conn.execute(ex["gold"]).fetchall()
        conn.close()
        counts_nulls = ex["family"] == "null" and ex["gold"].startswith("SELECT COUNT(")
        if not counts_nulls:  # "how many have no X" may be 0; everything else has an answer
            assert rows, ex["gold"]
            if ex["gold"].startswith("SELECT COUNT("):
                assert rows[0][0] > 0, ex["gold"]


def test_every_family_and_kind_appears(examples: list[dict]) -> None:
    families = Counter(e["family"] for e in examples if e["kind"] == "sql")
    assert set(families) == set(questions.FAMILIES), set(questions.FAMILIES) - set(families)
    kinds = Counter(e["kind"] for e in examples)
    assert 0.05 * N < kinds["code"] < 0.16 * N and 0.05 * N < kinds["instruct"] < 0.16 * N
    assert len({e["domain"] for e in examples if e["kind"] == "sql"}) >= 10


def test_naming_styles_appear(examples: list[dict]) -> None:
    names = {m for e in examples if e["kind"] == "sql" for m in re.findall(r'CREATE TABLE "?(\w+)', e["schema"])}
    assert any(re.fullmatch(r"[a-z]+(_[a-z]+)+", n) for n in names)  # snake_case
    assert any(re.fullmatch(r"([A-Z][a-z]+){2,}", n) for n in names)  # PascalCase
    assert any(re.fullmatch(r"[a-z]+([A-Z][a-z]+)+", n) for n in names)  # camelCase
    assert any(re.fullmatch(r"[A-Z]+(_[A-Z]+)*", n) for n in names)  # UPPER
    assert any(n.lower().startswith("tbl_") for n in names)
    assert any(n.lower().endswith("s") for n in names) and any(not n.lower().endswith("s") for n in names)
    columns = " ".join(e["schema"] for e in examples if e["kind"] == "sql").lower()
    assert "qty" in columns or "amt" in columns or "cust" in columns  # abbreviations


def test_yes_no_columns_are_named_as_real_schemas_name_them(examples: list[dict]) -> None:
    flags = [e for e in examples if e["kind"] == "sql" and e["family"] == "flag"]
    assert len(flags) >= 15
    where = [re.search(r"WHERE \"?(\w+)\"? = [01]$", e["gold"]) for e in flags]
    names = {m[1].lower() for m in where if m}
    assert any(n.startswith("is") for n in names)
    assert any(n.endswith(("flag", "flg", "ind", "yn")) for n in names)
    assert any(not n.startswith("is") and not n.endswith(("flag", "flg", "ind", "yn")) for n in names)
    for e in flags:  # the question says the adjective, never the convention's extra words
        assert not re.search(r"\b(flg|yn|ind)\b", e["question"].lower()), e["question"]
    tbl = {m for e in examples if e["kind"] == "sql" for m in re.findall(r"CREATE TABLE (tbl[A-Z]\w+)", e["schema"])}
    assert tbl  # Hungarian-style `tblStudent` as well as `tbl_students`


def test_event_dates_are_asked_as_the_event(examples: list[dict]) -> None:
    import random

    from arctic_cli.train import schemas
    from arctic_cli.train.schemas import event_of

    assert event_of(["closed", "on"]) == "closed" and event_of(["paid", "date"]) == "paid"
    assert event_of(["birth", "date"]) == "" and event_of(["closed"]) == ""
    rng = random.Random(1)
    events = {c.arg for _ in range(1500) for t in schemas.random_schema(rng).tables for c in t.columns
              if c.kind in schemas.DATE_KINDS and c.arg}
    assert events and events <= set(schemas.EVENT_VERBS) | {"sold", "discharged"}  # never `speed`
    pending = [e for e in examples if e["kind"] == "sql" and re.search(r"\b(yet|already|been)\b", e["question"])]
    assert len(pending) >= 5
    for e in pending:  # "Which loans haven't been returned yet?" -> `WHERE return... IS NULL`
        assert re.search(r"WHERE \S+ IS (NOT )?NULL$", e["gold"]), e
        assert ("NOT NULL" in e["gold"]) == ("yet" not in e["question"] and " not " not in e["question"]), e


def test_a_year_bound_is_the_years_edge(examples: list[dict]) -> None:
    bounded = 0
    for e in examples:
        m = re.search(r" (before|after|since) (\d{4})\b(?!-)", e.get("question", ""))
        if e["kind"] != "sql" or not m or "BETWEEN" in e["gold"]:
            continue
        bounded += 1
        y = int(m[2])
        edge = {"before": (f"< '{y}-01-01'", f"< {y}"), "after": (f">= '{y + 1}-01-01'", f"> {y}"),
                "since": (f">= '{y}-01-01'", f">= {y}")}[m[1]]
        assert e["gold"].endswith(edge), e
    assert bounded >= 2


def test_coded_values_are_asked_in_plain_words() -> None:
    import random

    from arctic_cli.train import schemas

    rng = random.Random(3)
    said: list[bool] = []
    for _ in range(400):
        s = schemas.random_schema(rng)
        if s.style.codes != "upper":
            continue
        schemas.fill(s, rng)
        enums = [(t, c) for t in s.tables for c in t.columns if c.kind == "enum"]
        for t, c in enums:
            assert all(v.isupper() for v in questions.values(t, c))  # stored as codes: 'LOST'
        if enums:
            draft = questions._by_value(rng, *enums[0], "LOST", "x", "x", "x = 'LOST'")
            assert "'LOST'" in draft.sql
            said.append("lost" in draft.question)
    assert len(said) >= 20 and sum(said) > 0.6 * len(said)  # mostly asked as "lost"


def _without_hints(messages: list[dict]) -> list[dict]:
    first = messages[0]
    return [{**first, "content": re.sub(r"\nHints: [^\n]*", "", first["content"], count=1)}]


def test_sql_prompt_is_exactly_what_arctic_sql_sends(examples: list[dict], tmp_path: Path) -> None:
    """The user message is what `arctic sql` sends (from the --schema file, or from the --db with
    values listed or not), plus the hint line that a model we trained gets (checked below)."""
    from arctic_cli.sql import prompt, schema
    from arctic_cli.sql.extract import extract_sql

    template = prompt.load_template("sql.txt")
    sql = [e for e in examples if e["kind"] == "sql"][:100]
    listed: dict[str, bool] = {}  # per schema: the choice to list values is made per schema
    for i, ex in enumerate(sql):
        ddl = tmp_path / f"s{i}.sql"
        ddl.write_text(ex["schema"], encoding="utf-8")
        loaded = schema.load([ddl], None, "sqlite")  # the `arctic sql --schema FILE` path
        plain = prompt.render(ex["question"], loaded, "sqlite", template)
        conn = sqlite3.connect(":memory:")
        conn.executescript(ex["db_sql"])
        schema.sample_values(loaded.tables, conn, "sqlite", sqlite3.Error)  # what `--db` reads
        conn.close()
        with_values = prompt.render(ex["question"], loaded, "sqlite", template, values=True)
        assert _without_hints(ex["messages"]) in (plain, with_values)
        listed[ex["schema"]] = listed.get(ex["schema"], False) or _without_hints(ex["messages"]) == with_values != plain
        answer = ex["messages"][-1]["content"]
        assert answer == f"```sql\n{ex['gold']}\n```"
        assert extract_sql(answer).rstrip(";") == ex["gold"]
    assert 0.1 * len(listed) < sum(listed.values()) < 0.5 * len(listed)  # data.VALUES_SHARE of them


def _hinted(ex: dict) -> list[tuple[str, list[str]]]:
    """The hint line's tables, each with its columns (values dropped)."""
    line = re.search(r"\nHints: ([^\n]*)", ex["messages"][0]["content"])
    out = []
    for part in line[1].split("; ") if line else []:
        name, _, inner = part.partition("(")
        out.append((name, [re.sub(r" = .*", "", c) for c in inner.rstrip(")").split(", ") if c]))
    return out


def test_the_hint_line_names_schema_items_and_mostly_the_answers_own(examples: list[dict]) -> None:
    """Hints are computed as `arctic sql` computes them (linking.hints) plus most of the gold
    query's names: the model learns to trust the line, and not to copy all of it."""
    from arctic_cli.sql import schema
    from arctic_cli.sql.linking import MAX_HINT_TABLES

    sql = [e for e in examples if e["kind"] == "sql"][:300]
    first_table_used = 0
    for ex in sql:
        loaded = schema.Schema(schema.parse_ddl(ex["schema"], "sqlite"), "sqlite")
        columns = {t.name: {c.name for c in t.columns} for t in loaded.tables}
        hinted = _hinted(ex)
        assert 0 < len(hinted) <= MAX_HINT_TABLES
        for table, cols in hinted:
            assert set(cols) <= columns[table], (table, cols)
        first_table_used += hinted[0][0].lower() in re.findall(r"\w+", ex["gold"].lower())
    assert first_table_used > 0.8 * len(sql)


def test_gold_links_are_most_of_the_answers_own_names_and_rank_first() -> None:
    from arctic_cli.sql import schema
    from arctic_cli.sql.linking import hints
    from arctic_cli.train import data

    ddl = "CREATE TABLE Bids (BidId INTEGER PRIMARY KEY, Name TEXT); CREATE TABLE Frcs (FrcsId INTEGER PRIMARY KEY, Cost REAL, BidId INTEGER REFERENCES Bids(BidId));"
    loaded = schema.Schema(schema.parse_ddl(ddl, "sqlite"), "sqlite")
    gold = "SELECT T1.Cost FROM Frcs AS T1 JOIN Bids AS T2 ON T1.BidId = T2.BidId"
    rng = random.Random(0)
    drawn = [data._gold_links(rng, gold, loaded) for _ in range(400)]
    assert all(set(d.tables) <= {"frcs", "bids"} and set(d.columns) <= {"cost", "bidid"} for d in drawn)
    share = sum(len(d.tables) + len(d.columns) for d in drawn) / (4 * len(drawn))
    assert abs(share - data.GOLD_HINT) < 0.05
    from arctic_cli.sql.linking import Links

    assert hints("Show everything.", loaded) == ""
    known = Links({"frcs": 1.0}, {"cost": 1.0})
    assert hints("Show everything.", loaded, known=known) == "Frcs(Cost)"
    assert hints("List the bid names.", loaded, known=known) == "Bids(Name); Frcs(Cost)"  # 3 = 3: schema order


def test_hints_quote_values_the_question_says(examples: list[dict]) -> None:
    """Most filters on a stored string (`= 'Berlin'`) are quoted in the hint line (as `--db` gives)."""
    filtered = [e for e in examples if e["kind"] == "sql" and re.search(r"= '[A-Za-z][^']*'", e["gold"])]
    quoted = [e for e in filtered if re.search(r"Hints: .* = '", e["messages"][0]["content"])]
    assert len(filtered) >= 20 and len(quoted) > 0.4 * len(filtered)


def test_repair_examples_replay_the_validators_real_errors(examples: list[dict]) -> None:
    """A repair example is the conversation `arctic sql` has after an invalid answer, ending in the gold fix."""
    from arctic_cli.sql import prompt, schema
    from arctic_cli.sql.extract import extract_sql
    from arctic_cli.sql.validate import validate

    repairs = [e for e in examples if e["kind"] == "sql" and len(e["messages"]) == 4]
    sql_count = sum(e["kind"] == "sql" for e in examples)
    assert 0.05 * sql_count < len(repairs) < 0.3 * sql_count
    for ex in repairs[:20]:
        loaded = schema.Schema(schema.parse_ddl(ex["schema"], "sqlite"), "sqlite")
        first, wrong_answer, feedback, fix = ex["messages"]
        wrong = extract_sql(wrong_answer["content"])
        errors = [str(e) for e in validate(wrong, loaded, "sqlite").errors]
        assert errors and wrong != ex["gold"]
        expected = prompt.render_repair(
            [first], wrong_answer["content"], errors, ex["question"], "sqlite",
            prompt.load_template("sql_repair.txt"),
        )  # fmt: skip
        assert [first, wrong_answer, feedback] == expected
        assert fix == {"role": "assistant", "content": f"```sql\n{ex['gold']}\n```"}
        assert validate(ex["gold"], loaded, "sqlite").valid


@pytest.mark.parametrize("index", range(len(tasks.CODE)))
def test_code_templates_are_correct(index: int) -> None:
    desc, names, code, cases = tasks.CODE[index]
    scope: dict = {}
    exec(code.format(f="fn", k=3), scope)  # noqa: S102 - our own template, checked here
    for args, expected in cases:
        assert scope["fn"](*args) == expected, (desc, args)


def test_code_prompts_are_mostly_what_arctic_code_sends(examples: list[dict]) -> None:
    from arctic_cli.codegen.task import render_prompt

    requests = [e["messages"][0]["content"] for e in examples if e["kind"] == "code"]
    rendered = [r for r in requests if r == render_prompt(r.split("Task: ")[-1].split("\n")[0], "python")]
    assert 0.5 * len(requests) < len(rendered) < len(requests)


def test_code_and_instruct_answers_follow_their_format(examples: list[dict]) -> None:
    for ex in examples:
        request, answer = ex["messages"][0]["content"], ex["messages"][1]["content"]
        if ex["kind"] == "code":
            assert answer.startswith("```python\n") and answer.endswith("\n```")
            ast.parse(answer[10:-4])
            name = re.search(r"`?(\w+)`?(?:\(\))? (?:that|which|in Python)|named (\w+)", request)
            assert name and f"def {name.group(1) or name.group(2)}(" in answer
        elif ex["kind"] == "instruct":
            if "JSON" in request:
                keys = re.findall(r'"(\w+)"', request)
                assert list(json.loads(answer)) == keys
            elif "bullet" in request:
                n = int(re.search(r"\d+", request).group(0))  # type: ignore[union-attr]
                assert answer.count("\n") + 1 == n and all(line.startswith("- ") for line in answer.splitlines())
            else:
                assert answer.count(". ") == 0 and answer.endswith(".")  # one sentence


def test_holdout_guard_catches_the_heldout_schemas_and_questions(examples: list[dict]) -> None:
    guard = HoldoutGuard.load()
    assert len(guard.tables) >= 45 and len(guard.questions) >= 170
    for folder in (HELDOUT_DIR, REALDEV_DIR):  # the tuning suite is guarded too
        for sql_file in sorted(folder.glob("*.sql")):
            assert guard.schema_collides(sql_file.read_text(encoding="utf-8")), sql_file
        first = json.loads((folder / "suite.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert guard.question_collides(first["question"].upper())
    for ex in examples:
        if ex["kind"] == "sql":
            assert not guard.schema_collides(ex["schema"]) and not guard.question_collides(ex["question"])


def test_holdout_names_drop_table_prefixes() -> None:
    from arctic_cli.train.holdout import norm_name

    assert norm_name("tblStudents") == norm_name("tbl_students") == norm_name("Student") == "student"
    assert norm_name("tblock") == "tblock"  # a word, not a prefix


def test_write_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    stats = data.write_jsonl(path, 50, seed=2)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 50 == stats["examples"] and sum(stats["kinds"].values()) == 50
    assert all("db_sql" not in x and x["messages"][-1]["role"] == "assistant" for x in lines)
    assert lines == [{k: v for k, v in e.items() if k != "db_sql"} for e in data.generate_examples(50, seed=2)]
