"""The generate-validate-repair loop and --samples voting, driven by a scripted backend."""

from __future__ import annotations

from pathlib import Path

from scripted import Scripted  # type: ignore[import-not-found]

from arctic_cli.backends import GenParams
from arctic_cli.sql import schema as schema_mod
from arctic_cli.sql.task import Request, executor_for, generate_sql

RIGHT = "SELECT c.name, COUNT(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name"


def test_repair_loop_feeds_the_exact_errors_back(shop: schema_mod.Schema) -> None:
    backend = Scripted(["```sql\nSELECT nme FROM customers\n```", f"```sql\n{RIGHT}\n```"])
    result = generate_sql(
        Request("How many orders per customer?", shop, "sqlite"), backend, GenParams()
    )
    assert result.valid and result.attempts == 2 and result.errors == []
    assert result.sql.startswith("SELECT\n  c.name,\n  COUNT(o.id) AS orders")
    repair_messages = backend.calls[1][0]
    assert [m["role"] for m in repair_messages] == ["user", "assistant", "user"]
    assert (
        "line 1, col 8: unknown column nme (not in customers) (did you mean name?)"
        in repair_messages[2]["content"]
    )
    assert [a.validation.valid for a in result.history] == [False, True]


def test_gives_up_after_max_repairs_with_the_best_attempt(shop: schema_mod.Schema) -> None:
    answers = [
        "SELECT nme, emial FROM custmers",
        "SELECT nme FROM customers",
        "SELECT nme FROM customers",
    ]
    backend = Scripted(answers)
    result = generate_sql(Request("q", shop, "sqlite", max_repairs=2), backend, GenParams())
    assert not result.valid and result.attempts == 3 and len(backend.calls) == 3
    assert result.sql == "SELECT nme FROM customers"  # the fewest errors, the latest on ties
    assert [e.kind for e in result.errors] == ["unknown_column"]
    zero = generate_sql(
        Request("q", shop, "sqlite", max_repairs=0),
        Scripted(["SELECT nme FROM customers"]),
        GenParams(),
    )
    assert zero.attempts == 1 and not zero.valid


def test_execution_errors_are_repaired(shop_db: Path) -> None:
    schema = schema_mod.load(db=shop_db)
    # it compiles (validation passes) and fails only when it runs
    backend = Scripted(["SELECT ABS(-9223372036854775807 - 1) FROM orders", "SELECT COUNT(*) AS n FROM orders"])
    result = generate_sql(
        Request("q", schema, "sqlite"), backend, GenParams(), executor=executor_for(schema, 5, 10)
    )
    assert result.valid and result.attempts == 2
    assert result.result is not None and result.result.rows == [[12]]
    assert "- the database rejected the query: integer overflow" in backend.calls[1][0][2]["content"]


def test_what_sqlite_will_not_compile_is_repaired_without_running_it(shop: schema_mod.Schema) -> None:
    backend = Scripted(["SELECT COUNT(*) FROM orders WHERE COUNT(*) > 2", "SELECT COUNT(*) FROM orders"])
    result = generate_sql(Request("q", shop, "sqlite"), backend, GenParams())
    assert result.valid and result.attempts == 2
    assert "- SQLite rejects the query: misuse of aggregate: COUNT()" in backend.calls[1][0][2]["content"]


def test_json_shape(shop: schema_mod.Schema) -> None:
    result = generate_sql(
        Request("q", shop, "sqlite", to="postgres"), Scripted([RIGHT]), GenParams()
    )
    assert list(result.to_json()) == [
        "question",
        "sql",
        "dialect",
        "valid",
        "errors",
        "attempts",
        "model",
    ]
    assert result.to_json()["dialect"] == "postgres" and result.to_json()["model"] == "scripted"


def test_samples_vote_on_execution_results(shop_db: Path) -> None:
    schema = schema_mod.load(db=shop_db)
    answers = [
        "SELECT COUNT(*) FROM customers",  # 8
        "SELECT COUNT(id) FROM orders",  # 12
        "SELECT COUNT(*) FROM orders",  # 12: same result, different SQL
        "SELECT COUNT(*) FROM nowhere",  # invalid, ignored
    ]
    backend = Scripted(answers)
    req = Request("How many orders?", schema, "sqlite", samples=4, max_repairs=0)
    result = generate_sql(req, backend, GenParams(seed=7), executor=executor_for(schema, 5, 10))
    assert result.valid and result.sql == "SELECT\n  COUNT(id)\nFROM orders"
    assert result.result is not None and result.result.rows == [[12]]
    assert result.attempts == 4
    params = [p for _, p in backend.calls]
    assert [p.seed for p in params] == [7, 8, 9, 10]
    assert all(p.temperature > 0 for p in params)  # greedy samples would all be the same


def test_samples_vote_on_normalized_sql_without_a_database(shop: schema_mod.Schema) -> None:
    answers = [
        "SELECT name FROM customers",
        "select  name\nfrom CUSTOMERS",
        "SELECT email FROM customers",
    ]
    result = generate_sql(
        Request("q", shop, "sqlite", samples=3, max_repairs=0), Scripted(answers), GenParams()
    )
    assert result.sql == "SELECT\n  name\nFROM customers"


def test_large_schema_is_cut_and_reported(shop: schema_mod.Schema) -> None:
    backend = Scripted([RIGHT], context_window=160)  # the whole prompt would take 116 "tokens"
    result = generate_sql(
        Request("How many orders did each customer place?", shop, "sqlite"),
        backend,
        GenParams(max_tokens=60),
    )
    assert result.dropped_tables == ["products", "order_items"]
    prompt_text = backend.calls[0][0][0]["content"]
    assert "\ncustomers(" in prompt_text and "\norders(" in prompt_text
    assert "products(" not in prompt_text and "order_items(" not in prompt_text
    assert result.valid  # validation still uses the whole schema


def test_repairs_stop_when_the_conversation_outgrows_the_context(shop: schema_mod.Schema) -> None:
    long_wrong = "SELECT nme FROM customers -- " + "padding " * 60
    backend = Scripted([long_wrong, long_wrong, RIGHT], context_window=200)
    result = generate_sql(Request("q", shop, "sqlite"), backend, GenParams(max_tokens=50))
    assert len(backend.calls) == 1 and result.attempts == 1 and not result.valid
    assert backend.calls[0][1].max_tokens == 50


def test_a_statement_that_parses_beats_a_later_one_that_does_not(shop: schema_mod.Schema) -> None:
    answers = ["SELECT nme FROM customers", "SELECT FROM WHERE", "no sql here"]
    result = generate_sql(Request("q", shop, "sqlite", max_repairs=2), Scripted(answers), GenParams())
    assert not result.valid and result.attempts == 3
    assert result.sql == "SELECT nme FROM customers"
    assert [e.kind for e in result.errors] == ["unknown_column"]


def test_column_values_reach_the_prompt_only_when_asked(shop_db: Path) -> None:
    schema = schema_mod.load(db=shop_db)

    def prompt_of(values: bool) -> str:
        backend = Scripted([RIGHT])
        generate_sql(Request("q", schema, "sqlite", values=values), backend, GenParams())
        return backend.calls[0][0][0]["content"]

    assert "status TEXT = '" in prompt_of(True)
    assert "status TEXT = '" not in prompt_of(False)


def test_the_hint_line_reaches_only_a_model_trained_with_it(shop_db: Path) -> None:
    schema = schema_mod.load(db=shop_db)
    question = "How many orders from London customers were cancelled?"

    def prompt_of(hinted: bool) -> str:
        backend = Scripted([RIGHT])
        backend.sql_hints = hinted  # type: ignore[attr-defined]
        generate_sql(Request(question, schema, "sqlite"), backend, GenParams())
        return backend.calls[0][0][0]["content"]

    hinted = prompt_of(True)
    assert f"Question: {question}\nHints: " in hinted
    hint = hinted.split("Hints: ")[1].splitlines()[0]
    assert "customers(city = 'London')" in hint and "status = 'cancelled'" in hint  # stored values
    assert "Hints:" not in prompt_of(False)


def test_one_greedy_chain_asks_for_a_beam_search(shop: schema_mod.Schema) -> None:
    from arctic_cli.sql import BEAMS

    def beams_asked(req: Request, params: GenParams) -> list[int]:
        backend = Scripted([f"```sql\n{RIGHT}\n```"] * max(1, req.samples))
        generate_sql(req, backend, params)
        return [p.beams for _, p in backend.calls]

    assert BEAMS > 1 and beams_asked(Request("q", shop, "sqlite"), GenParams()) == [BEAMS]
    assert beams_asked(Request("q", shop, "sqlite", beams=1), GenParams()) == [1]
    # sampling is asked for: no beam search (it would answer every sample alike)
    assert beams_asked(Request("q", shop, "sqlite"), GenParams(temperature=0.7)) == [1]
    assert beams_asked(Request("q", shop, "sqlite", samples=3), GenParams(seed=1)) == [1, 1, 1]
