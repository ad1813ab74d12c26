"""The training data generator: determinism, gold SQL that runs, coverage, prompt parity, hold-out."""

from __future__ import annotations

import ast
import json
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


def test_sql_prompt_is_exactly_what_arctic_sql_sends(examples: list[dict], tmp_path: Path) -> None:
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
        assert ex["messages"][:1] in (plain, with_values)
        listed[ex["schema"]] = listed.get(ex["schema"], False) or ex["messages"][:1] == with_values != plain
        answer = ex["messages"][-1]["content"]
        assert answer == f"```sql\n{ex['gold']}\n```"
        assert extract_sql(answer).rstrip(";") == ex["gold"]
    assert 0.1 * len(listed) < sum(listed.values()) < 0.5 * len(listed)  # data.VALUES_SHARE of them


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
