"""Prompts for text-to-SQL: the compact schema rendering, the templates, and fitting the context.

Templates live in `prompts/` (package `arctic_cli.prompts`): `sql.txt` asks for a query,
`sql_repair.txt` feeds validation errors back. Placeholders are `{question}`, `{schema}`,
`{dialect}` and (repair) `{errors}`; they are replaced literally, so templates may contain braces.
Column values (`Column.values`) are listed only when the caller asks (`values=True`, `arctic sql
--values`): they are table contents, and the built-in model does worse with them.
When the whole schema does not fit the context budget, `fit_schema` keeps the tables the question
mentions plus their foreign-key neighbours, and the caller says so on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from arctic_cli.errors import UsageError
from arctic_cli.sql.schema import Schema, Table

Message = dict[str, str]


def load_template(name: str, override: Path | None = None) -> str:
    """A template's text: `override` (a user's file) or the packaged `prompts/<name>`."""
    from arctic_cli import textfiles

    if override is not None:
        return textfiles.read_text(override, "prompt file")
    return textfiles.packaged_prompt(name)


def fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def render_table(table: Table, values: bool = False) -> str:
    """`orders(id INTEGER PK, customer_id INTEGER -> customers.id, status TEXT = 'open'|'paid')`.

    With `values`, a column with known values lists them after `=` (`|...` when it holds
    others too).
    """
    refs: dict[str, str] = {}
    for fk in table.foreign_keys:
        for i, name in enumerate(fk.columns):
            target = fk.ref_columns[i] if i < len(fk.ref_columns) else "?"
            refs[name] = f"{fk.ref_table}.{target}"
    parts = []
    for col in table.columns:
        text = col.name + (f" {col.type}" if col.type else "")
        if col.primary_key:
            text += " PK"
        if col.name in refs:
            text += f" -> {refs[col.name]}"
        if values and col.values:
            text += " = " + "|".join(col.values) + ("|..." if col.more_values else "")
        parts.append(text)
    return f"{table.qualified}({', '.join(parts)})"


def render_schema(schema: Schema, values: bool = False) -> str:
    return "\n".join(render_table(t, values) for t in schema.tables)


def render(
    question: str,
    schema: Schema,
    dialect: str,
    template: str,
    values: bool = False,
    hints: str = "",
) -> list[Message]:
    """The first request: one user message with the schema, the dialect and the question, and
    after the question the `hints` line (`linking.hints`: the schema items it names), if any."""
    asked = f"{question}\nHints: {hints}" if hints else question
    text = fill(template, question=asked, schema=render_schema(schema, values), dialect=dialect)
    return [{"role": "user", "content": text.strip()}]


def render_repair(
    messages: Sequence[Message],
    answer: str,
    errors: Sequence[str],
    question: str,
    dialect: str,
    template: str,
) -> list[Message]:
    """The conversation so far, the model's answer, and a user turn listing the exact errors."""
    listed = "\n".join(f"- {e}" for e in errors)
    text = fill(template, question=question, errors=listed, dialect=dialect)
    return [
        *messages,
        {"role": "assistant", "content": answer},
        {"role": "user", "content": text.strip()},
    ]


def _relevance(question: str, schema: Schema) -> dict[int, float]:
    """id(table) -> how strongly the question names it (twice) or its columns (sql/linking.py)."""
    from arctic_cli.sql.linking import link

    links = link(question, schema)
    return {
        id(t): 2 * links.tables.get(t.name.lower(), 0.0)
        + sum(links.columns.get(c.name.lower(), 0.0) for c in t.columns)
        for t in schema.tables
    }


def _neighbours(schema: Schema, table: Table) -> list[Table]:
    by_name = {t.name.lower(): t for t in schema.tables} | {
        t.qualified.lower(): t for t in schema.tables
    }
    out = [
        by_name[fk.ref_table.lower()]
        for fk in table.foreign_keys
        if fk.ref_table.lower() in by_name
    ]
    names = {table.name.lower(), table.qualified.lower()}
    out += [t for t in schema.tables if any(fk.ref_table.lower() in names for fk in t.foreign_keys)]
    return out


@dataclass
class Fit:
    schema: Schema
    dropped: list[str]  # qualified names of the tables left out


def fit_schema(schema: Schema, question: str, measure: Callable[[Schema], int], budget: int) -> Fit:
    """The whole schema if `measure(schema) <= budget`, else the most relevant tables that fit.

    Tables are ranked by `_relevance`; each chosen table pulls in its foreign-key neighbours (they
    are what joins need) while room remains. Raises a UsageError when not even one table fits.
    """
    if measure(schema) <= budget:
        return Fit(schema, [])
    relevance = _relevance(question, schema)
    ranked = sorted(schema.tables, key=lambda t: -relevance[id(t)])
    chosen: list[Table] = []

    def try_add(table: Table) -> bool:
        if any(t is table for t in chosen):
            return True
        if measure(schema.subset([*chosen, table])) > budget:
            return False
        chosen.append(table)
        return True

    for table in ranked:
        if relevance[id(table)] == 0 and chosen:
            break
        if try_add(table):
            for other in _neighbours(schema, table):
                try_add(other)
    if not chosen and measure(schema.subset([])) > budget:
        raise UsageError(
            "the question is longer than the model's context window leaves room for",
            hint="shorten the question",
        )
    if not chosen:
        raise UsageError(
            "the prompt is longer than the model's context window, even with one table of the schema",
            hint="use a model with a longer context or a smaller --schema",
        )
    order = {id(t): i for i, t in enumerate(schema.tables)}
    chosen.sort(key=lambda t: order[id(t)])
    dropped = [t.qualified for t in schema.tables if not any(t is c for c in chosen)]
    return Fit(schema.subset(chosen), dropped)


def schema_hash(schema: Schema) -> str:
    """A short fingerprint of the schema as the model sees it (for the history log)."""
    import hashlib

    return hashlib.sha256(f"{schema.dialect}\n{render_schema(schema)}".encode()).hexdigest()[:16]
