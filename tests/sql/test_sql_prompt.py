"""Prompt rendering, templates, and selecting tables when the schema overflows the context."""

from __future__ import annotations

from pathlib import Path

import pytest

from arctic_cli.errors import UsageError
from arctic_cli.sql import prompt
from arctic_cli.sql.schema import Column, ForeignKey, Schema, Table


def test_render_names_dialect_schema_and_question(shop: Schema) -> None:
    (message,) = prompt.render("How many orders?", shop, "sqlite", prompt.load_template("sql.txt"))
    assert message["role"] == "user"
    text = message["content"]
    assert "How many orders?" in text and "sqlite" in text
    assert (
        "orders(id INTEGER PK, customer_id INTEGER -> customers.id, order_date DATE, status TEXT)"
        in text
    )
    assert "{" not in text.replace("{question}", "")  # every placeholder was filled


def test_values_are_listed_only_when_asked(shop_db: Path) -> None:
    from arctic_cli.sql import schema as schema_mod

    live = schema_mod.load(db=shop_db)
    schema_mod.read_values(live)
    template = prompt.load_template("sql.txt")
    (shown,) = prompt.render("How many orders?", live, "sqlite", template, values=True)
    line = next(x for x in shown["content"].splitlines() if x.startswith("orders("))
    assert line.startswith("orders(id INTEGER PK, customer_id INTEGER -> customers.id, order_date DATE, status TEXT = '")
    assert set(line.split(" = ")[1].rstrip(")").split("|")) == {"'pending'", "'shipped'", "'delivered'", "'cancelled'"}
    (hidden,) = prompt.render("How many orders?", live, "sqlite", template)
    assert " = '" not in hidden["content"]
    before = prompt.schema_hash(live)
    for table in live.tables:  # the history log's fingerprint follows the schema, not the data
        for col in table.columns:
            col.values = ("'changed'",)
    assert prompt.schema_hash(live) == before


def test_ddl_check_lists_are_values_too(shop: Schema) -> None:
    (message,) = prompt.render("q", shop, "sqlite", prompt.load_template("sql.txt"), values=True)
    assert "status TEXT = 'pending'|'shipped'|'delivered'|'cancelled')" in message["content"]


def test_template_override_file(tmp_path: Path, shop: Schema) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("Q={question} D={dialect} {keep braces}\n{schema}")
    (message,) = prompt.render("q?", shop, "duckdb", prompt.load_template("sql.txt", path))
    assert message["content"].startswith("Q=q? D=duckdb {keep braces}\ncustomers(")
    with pytest.raises(UsageError, match="prompt file .*missing.txt does not exist"):
        prompt.load_template("sql.txt", tmp_path / "missing.txt")


def test_repair_turn_lists_the_errors() -> None:
    first = [{"role": "user", "content": "question"}]
    messages = prompt.render_repair(
        first,
        "SELECT nme",
        ["unknown column nme"],
        "q",
        "sqlite",
        prompt.load_template("sql_repair.txt"),
    )
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"] == "SELECT nme"
    assert "- unknown column nme" in messages[2]["content"]


def _big_schema() -> Schema:
    def table(name: str, *cols: str, fk: tuple[str, str] | None = None) -> Table:
        t = Table(name, [Column("id", "INT", True), *(Column(c, "TEXT") for c in cols)])
        if fk:
            t.foreign_keys.append(ForeignKey([fk[0]], fk[1], ["id"]))
        return t

    fillers = [table(f"audit_log_{i}", "payload", "created_at") for i in range(30)]
    return Schema(
        [table("customers", "name", "email"), *fillers, table("orders", "customer_id", "status", fk=("customer_id", "customers")),
         table("invoices", "order_id", "amount", fk=("order_id", "orders"))],
        "sqlite",
    )  # fmt: skip


def _measure(schema: Schema) -> int:
    return len(prompt.render_schema(schema).split())


def test_fit_keeps_whole_schema_when_it_fits() -> None:
    schema = _big_schema()
    fit = prompt.fit_schema(schema, "anything", _measure, budget=10_000)
    assert fit.schema is schema and fit.dropped == []


def test_fit_selects_matching_tables_and_fk_neighbours() -> None:
    schema = _big_schema()
    fit = prompt.fit_schema(schema, "What is the status of each order?", _measure, budget=40)
    names = [t.name for t in fit.schema.tables]
    assert (
        "orders" in names and "customers" in names and "invoices" in names
    )  # match + both FK directions
    assert not any(n.startswith("audit_log") for n in names)
    assert len(fit.dropped) == 30 and _measure(fit.schema) <= 40


def test_fit_fails_when_nothing_fits() -> None:
    with pytest.raises(UsageError, match="even with one table of the schema"):
        prompt.fit_schema(_big_schema(), "orders", _measure, budget=2)


def test_fit_blames_a_question_too_long_for_any_schema() -> None:
    question = "how many orders " * 100
    with pytest.raises(UsageError, match="the question is longer") as exc:
        prompt.fit_schema(_big_schema(), question, lambda s: _measure(s) + len(question.split()), 250)
    assert exc.value.hint == "shorten the question"


def test_schema_hash_follows_the_schema(shop: Schema) -> None:
    same = prompt.schema_hash(shop)
    assert len(same) == 16 and same == prompt.schema_hash(shop.subset(shop.tables))
    assert prompt.schema_hash(shop.subset(shop.tables[:2])) != same


def test_fit_finds_abbreviated_tables_through_schema_linking() -> None:
    """`LV_REQ` for "leave requests" (sql/linking.py): plain word overlap found nothing here."""
    fillers = [Table(f"AUDIT_{i}", [Column("PAYLOAD", "TEXT")]) for i in range(30)]
    leave = Table("LV_REQ", [Column("REQ_ID", "INT", True), Column("APPR_STAT", "TEXT")])
    schema = Schema([*fillers, leave], "sqlite")
    fit = prompt.fit_schema(schema, "How many leave requests are pending?", _measure, budget=12)
    assert [t.name for t in fit.schema.tables] == ["LV_REQ"]
