"""Question templates for the SQL data generator: one function per family, several paraphrases each.

A family takes (rng, schema) and returns `Draft(question, sql, check)` or None when the schema has
nothing it can ask about. `check` says what a kept gold result must look like: "rows" (non-empty),
"nonzero" (first cell neither 0 nor NULL) or "any". Literal values are taken from the filled rows.
Gold SQL has one canonical shape (upper-case keywords, one line, joins aliased T1, T2, T3) because
a small model learns one consistent target far faster than many equivalent ones.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from arctic_cli.train.schemas import DATE_KINDS, NUM_KINDS, Column, Schema, Table, literal, q


@dataclass
class Draft:
    question: str
    sql: str
    check: str = "rows"


Family = Callable[[random.Random, Schema], "Draft | None"]
CATEGORICAL = ("enum", "city", "country")
FILTERABLE = ("enum", "city", "country", "label", "person", "last", "first")


def cols(t: Table, kinds: tuple[str, ...] | frozenset[str], *, nullable: bool | None = None) -> list[Column]:
    return [c for c in t.columns if c.kind in kinds and not c.pk and c.ref is None
            and (nullable is None or c.nullable == nullable)]


def values(t: Table, c: Column) -> list[object]:
    i = t.columns.index(c)
    return [r[i] for r in t.rows if r[i] is not None]


def pick(rng: random.Random, items: list):  # type: ignore[no-untyped-def]
    return rng.choice(items) if items else None


def qc(t: Table, c: Column, alias: str = "") -> str:
    return f"{alias}.{q(c.name)}" if alias else q(c.name)


def say(rng: random.Random, templates: tuple[str, ...], **kw: object) -> str:
    return rng.choice(templates).format(**kw)


def _table_with(rng: random.Random, s: Schema, kinds, **kw) -> tuple[Table, Column] | None:  # type: ignore[no-untyped-def]
    options = [(t, c) for t in s.tables for c in cols(t, kinds, **kw)]
    return pick(rng, options)


def _out(t: Table, avoid: Column | None = None) -> Column:
    lab = t.label()
    if lab is avoid:
        other = [c for c in t.columns if c is not avoid and not c.pk and c.ref is None]
        return other[0] if other else t.pk
    return lab


def _shown(rng: random.Random, t: Table, avoid: Column | None = None) -> tuple[str, str]:
    """What a filter question shows: (its words, its SELECT list). One column, or in a third of
    questions two ("Show their first name and last name", as people ask for a row's name)."""
    a = _out(t, avoid)
    if a.kind in ("first", "last"):  # a person's name is asked for whole
        pair = [c for c in t.columns if c.kind in ("first", "last") and c is not avoid]
        if len(pair) == 2 and rng.random() < 0.7:
            first, last = sorted(pair, key=lambda c: c.kind)
            return f"{first.phrase} and {last.phrase}", f"{q(first.name)}, {q(last.name)}"
    others = [c for c in t.columns if c not in (a, avoid) and not c.pk and c.ref is None]
    if others and rng.random() < 0.33:
        b = rng.choice(others)
        return f"{a.phrase} and {b.phrase}", f"{q(a.name)}, {q(b.name)}"
    return a.phrase, q(a.name)


def count_all(rng: random.Random, s: Schema) -> Draft:
    t = rng.choice(s.tables)
    qs: tuple[str, ...] = ("How many {P} are there?", "Count the {P}.", "What is the total number of {P}?",
          "How many {P} do we have?", "Number of {P}?", "How many records are in the {P} table?")
    return Draft(say(rng, qs, P=t.plural), f"SELECT COUNT(*) FROM {q(t.name)}", "any")


def list_cols(rng: random.Random, s: Schema) -> Draft:
    t = rng.choice(s.tables)
    a = _out(t)
    others = [c for c in t.columns if c is not a and not c.pk and c.ref is None]
    if others and rng.random() < 0.5:
        b = rng.choice(others)
        qs: tuple[str, ...] = ("Show the {a} and {b} of every {S}.", "List each {S}'s {a} and {b}.",
              "What are the {a} and {b} of all {P}?")
        return Draft(say(rng, qs, a=a.phrase, b=b.phrase, S=t.singular, P=t.plural),
                     f"SELECT {q(a.name)}, {q(b.name)} FROM {q(t.name)}")
    qs = ("List the {a} of all {P}.", "Show every {S}'s {a}.", "What is the {a} of each {S}?",
          "Give me the {a} for all {P}.")
    return Draft(say(rng, qs, a=a.phrase, S=t.singular, P=t.plural), f"SELECT {q(a.name)} FROM {q(t.name)}")


def filter_eq(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, FILTERABLE)
    if not found:
        return None
    t, c = found
    v = rng.choice(values(t, c) or [None])
    if v is None:
        return None
    out, shown = _shown(rng, t, c)
    where = f"{q(c.name)} = {literal(v)}"
    if rng.random() < 0.45:  # the value alone names the column: a listed value (`--db`) links it
        return _by_value(rng, t, c, v, out, shown, where)
    if rng.random() < 0.4:
        qs: tuple[str, ...] = ("How many {P} have {c} {v}?", "Count the {P} whose {c} is '{v}'.",
              "How many {P} are there with {c} = '{v}'?")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, v=v),
                     f"SELECT COUNT(*) FROM {q(t.name)} WHERE {where}", "nonzero")
    qs = ("List the {o} of {P} whose {c} is '{v}'.", "Show the {o} of every {S} with {c} {v}.",
          "Which {P} have {c} '{v}'? Give their {o}.", "Find the {o} of the {P} where {c} = '{v}'.")
    return Draft(say(rng, qs, o=out, P=t.plural, S=t.singular, c=c.phrase, v=v),
                 f"SELECT {shown} FROM {q(t.name)} WHERE {where}")


def _by_value(rng: random.Random, t: Table, c: Column, v: object, out: str, shown: str, where: str) -> Draft:
    """A filter question that says the value but not the column: "How many invoices are open?"."""
    said = str(v).replace("_", " ") if rng.random() < 0.7 else str(v)
    if c.kind == "enum" and not said.islower() and rng.random() < 0.8:
        said = said.lower()  # 'LOST' is asked as "lost"
    if c.kind == "enum":
        counts: tuple[str, ...] = ("How many {P} are {v}?", "How many {v} {P} are there?", "Count the {v} {P}.",
                                   "How many {P} are marked as {v}?", "How many {P} are currently {v}?")
        lists: tuple[str, ...] = ("List the {o} of the {v} {P}.", "Which {P} are {v}? Show their {o}.",
                                  "Show the {o} of all {v} {P}.", "Which {P} are marked {v}? Give their {o}.")
    elif c.kind in ("city", "country"):
        counts = ("How many {P} are in {v}?", "How many {P} are based in {v}?")
        lists = ("List the {o} of {P} in {v}.", "Which {P} are in {v}? Give their {o}.")
    elif c.kind in ("first", "last"):
        counts = ("How many {P} are named {v}?",)
        lists = ("List the {o} of {P} named {v}.", "Show the {o} of every {S} called {v}.")
    else:  # label, person: the row's own name
        counts = ("How many {P} are called {v}?",)
        lists = ("What is the {o} of {v}?", "Show the {o} of the {S} {v}.", "Give me the {o} of {S} {v}.")
    if rng.random() < 0.35:
        return Draft(say(rng, counts, P=t.plural, v=said), f"SELECT COUNT(*) FROM {q(t.name)} WHERE {where}",
                     "nonzero")
    return Draft(say(rng, lists, o=out, P=t.plural, S=t.singular, v=said),
                 f"SELECT {shown} FROM {q(t.name)} WHERE {where}")


def flag(rng: random.Random, s: Schema) -> Draft | None:
    """Yes/no columns: "Which products are active?" -> `WHERE is_active = 1`."""
    found = _table_with(rng, s, ("bool",))
    if not found:
        return None
    t, c = found
    word = c.phrase.removeprefix("is ")
    out, shown = _shown(rng, t, c)
    yes = rng.random() < 0.7
    where = f"{q(c.name)} = {1 if yes else 0}"
    if rng.random() < 0.6:
        qs: tuple[str, ...] = (
            ("Which {P} are {w}? Show their {o}.", "List the {o} of {w} {P}.", "Show the {o} of the {P} that are {w}.",
             "Which {P} are flagged {w}? Give their {o}.", "List the {o} of {P} marked as {w}.")
            if yes else
            ("Which {P} are not {w}? Show their {o}.", "List the {o} of {P} that are not {w}.",
             "Which {P} are no longer {w}? Give their {o}.")
        )
        return Draft(say(rng, qs, P=t.plural, w=word, o=out), f"SELECT {shown} FROM {q(t.name)} WHERE {where}")
    qs = (("How many {w} {P} are there?", "How many {P} are {w}?", "Count the {w} {P}.", "How many {w} {P} do we have?",
           "How many {P} are flagged as {w}?", "How many {P} are marked {w}?")
          if yes else ("How many {P} are not {w}?", "Count the {P} that are not {w}.", "How many {P} are no longer {w}?"))
    return Draft(say(rng, qs, P=t.plural, w=word), f"SELECT COUNT(*) FROM {q(t.name)} WHERE {where}", "nonzero")


def compare(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, NUM_KINDS - {"year"} | {"year"})
    if not found:
        return None
    t, c = found
    vs = sorted(values(t, c))  # type: ignore[type-var]
    if len(vs) < 3:
        return None
    v = vs[len(vs) // 2]
    out, shown = _shown(rng, t)
    op, words = rng.choice(((">", ("greater than", "more than", "above")), ("<", ("less than", "below", "under")),
                            (">=", ("at least",)), ("<=", ("at most", "no more than"))))
    if rng.random() < 0.25:
        lo, hi = vs[len(vs) // 4], vs[(3 * len(vs)) // 4]
        qs: tuple[str, ...] = ("Which {P} have a {c} between {lo} and {hi}? Show their {o}.",
              "List the {o} of {P} with {c} between {lo} and {hi}.")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, lo=lo, hi=hi, o=out),
                     f"SELECT {shown} FROM {q(t.name)} WHERE {q(c.name)} BETWEEN {lo} AND {hi}")
    if c.kind == "year" and rng.random() < 0.5:  # "published before 1960"
        op, w = rng.choice((("<", "before"), (">", "after"), (">=", "since")))
        qs = ("Which {P} have a {c} {w} {v}? Show their {o}.", "List the {o} of {P} with a {c} {w} {v}.")
        if q(c.name) not in shown.split(", ") and rng.random() < 0.5:  # the year shown too
            shown = f"{shown}, {q(c.name)}"
            qs = ("List the {o} and {c} of {P} with a {c} {w} {v}.", "Which {P} have a {c} {w} {v}? Show their {o} and {c}.")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, w=w, v=v, o=out),
                     f"SELECT {shown} FROM {q(t.name)} WHERE {q(c.name)} {op} {v}")
    qs = ("Which {P} have a {c} {w} {v}? Show their {o}.", "List the {o} of {P} whose {c} is {w} {v}.",
          "Find {P} with {c} {w} {v} (their {o}).")
    return Draft(say(rng, qs, P=t.plural, c=c.phrase, w=rng.choice(words), v=v, o=out),
                 f"SELECT {shown} FROM {q(t.name)} WHERE {q(c.name)} {op} {v}")


def null_check(rng: random.Random, s: Schema) -> Draft | None:
    options = [(t, c) for t in s.tables for c in t.columns if c.nullable and not c.pk]
    found = pick(rng, options)
    if not found:
        return None
    t, c = found
    out, shown = _shown(rng, t, c)
    if c.kind in DATE_KINDS and c.arg and rng.random() < 0.6:
        return _pending(rng, t, c, out, shown)
    r = rng.random()
    if r < 0.4:
        qs: tuple[str, ...] = ("How many {P} have no {c}?", "Count the {P} without a {c}.", "How many {P} are missing a {c}?")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase), f"SELECT COUNT(*) FROM {q(t.name)} WHERE {q(c.name)} IS NULL", "any")
    if r < 0.7:
        qs = ("List the {o} of {P} that have no {c}.", "Which {P} have an empty {c}? Show their {o}.",
              "Which {P} have no {c} recorded? Show their {o}.", "Which {P} have no {c} on file? Give their {o}.")
        return Draft(say(rng, qs, o=out, P=t.plural, c=c.phrase),
                     f"SELECT {shown} FROM {q(t.name)} WHERE {q(c.name)} IS NULL")
    qs = ("List the {o} of {P} that have a {c}.", "Which {P} have a {c} recorded? Show their {o}.")
    return Draft(say(rng, qs, o=out, P=t.plural, c=c.phrase),
                 f"SELECT {shown} FROM {q(t.name)} WHERE {q(c.name)} IS NOT NULL")


def _pending(rng: random.Random, t: Table, c: Column, out: str, shown: str) -> Draft:
    """An event date asked as the event: "Which loans haven't been returned yet?" -> IS NULL."""
    verb, name = c.arg, q(c.name)
    if rng.random() < 0.7:
        counts: tuple[str, ...] = ("How many {P} haven't been {v} yet?", "How many {P} are still not {v}?",
                                   "Count the {P} that have not been {v}.", "How many {P} are not {v} yet?")
        lists: tuple[str, ...] = ("Which {P} haven't been {v} yet? Show their {o}.", "List the {o} of {P} not yet {v}.",
                                  "Which {P} are still waiting to be {v}? Give their {o}.")
        where = f"{name} IS NULL"
    else:
        counts = ("How many {P} have been {v}?", "How many {P} were {v} already?")
        lists = ("Which {P} have been {v}? Show their {o}.", "List the {o} of {P} that were {v}.")
        where = f"{name} IS NOT NULL"
    if rng.random() < 0.45:
        return Draft(say(rng, counts, P=t.plural, v=verb), f"SELECT COUNT(*) FROM {q(t.name)} WHERE {where}", "any")
    return Draft(say(rng, lists, P=t.plural, v=verb, o=out), f"SELECT {shown} FROM {q(t.name)} WHERE {where}")


def date_range(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, DATE_KINDS)
    if not found:
        return None
    t, c = found
    vs = sorted(str(v)[:10] for v in values(t, c))
    if len(vs) < 2:
        return None
    out, col = _out(t), q(c.name)
    r = rng.random()
    if r < 0.4:
        y = int(rng.choice(vs)[:4])
        qs: tuple[str, ...] = ("How many {P} have a {c} in {y}?", "Count the {P} with {c} during {y}.")
        if rng.random() < 0.5:
            return Draft(say(rng, qs, P=t.plural, c=c.phrase, y=y),
                         f"SELECT COUNT(*) FROM {q(t.name)} WHERE {col} >= '{y}-01-01' AND {col} < '{y + 1}-01-01'", "nonzero")
        qs = ("List the {o} of {P} whose {c} is in {y}.", "Which {P} have a {c} in {y}? Show their {o}.")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, y=y, o=out.phrase),
                     f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {col} >= '{y}-01-01' AND {col} < '{y + 1}-01-01'")
    d = vs[len(vs) // 2]
    if r < 0.55:  # a year as the bound: "hired before 2010", "joined since 2022"
        y = int(d[:4])
        bound, w = rng.choice(((f"< '{y}-01-01'", "before"), (f">= '{y + 1}-01-01'", "after"), (f">= '{y}-01-01'", "since")))
        qs = ("List the {o} of {P} with a {c} {w} {y}.", "Which {P} have a {c} {w} {y}? Show their {o}.",
              "How many {P} have a {c} {w} {y}?")
        question = say(rng, qs, o=out.phrase, P=t.plural, c=c.phrase, w=w, y=y)
        shown = "COUNT(*)" if question.startswith("How many") else q(out.name)
        return Draft(question, f"SELECT {shown} FROM {q(t.name)} WHERE {col} {bound}", "nonzero" if shown == "COUNT(*)" else "rows")
    if r < 0.7:
        op, w = rng.choice((("<", "before"), (">", "after")))
        qs = ("List the {o} of {P} with a {c} {w} {d}.", "Which {P} have {c} {w} {d}? Give their {o}.")
        return Draft(say(rng, qs, o=out.phrase, P=t.plural, c=c.phrase, w=w, d=d),
                     f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {col} {op} '{d}'")
    lo, hi = vs[len(vs) // 4], vs[(3 * len(vs)) // 4]
    if lo == hi or c.kind != "date":
        return None
    qs = ("List the {o} of {P} with {c} between {lo} and {hi}.", "Show {P} whose {c} falls between {lo} and {hi} (their {o}).")
    return Draft(say(rng, qs, o=out.phrase, P=t.plural, c=c.phrase, lo=lo, hi=hi),
                 f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {col} BETWEEN '{lo}' AND '{hi}'")


def distinct(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, CATEGORICAL + ("label", "year"))
    if not found:
        return None
    t, c = found
    if rng.random() < 0.4:
        qs: tuple[str, ...] = ("How many different {c} values are there among {P}?", "How many distinct {c} values do the {P} have?")
        return Draft(say(rng, qs, c=c.phrase, P=t.plural), f"SELECT COUNT(DISTINCT {q(c.name)}) FROM {q(t.name)}", "nonzero")
    qs = ("What are the different {c} values of {P}?", "List the distinct {c} values of all {P}.",
          "Which {c} values appear in the {P} table?", "Show each distinct {c} of {P}.")
    return Draft(say(rng, qs, c=c.phrase, P=t.plural), f"SELECT DISTINCT {q(c.name)} FROM {q(t.name)}")


def agg_phrase(word: str, phrase: str) -> str:
    """"total" + "total amount" is "total amount", not "total total amount"."""
    return phrase if phrase.split()[0] == word else f"{word} {phrase}"


AGGS = (("AVG", ("average", "mean")), ("SUM", ("total",)), ("MAX", ("highest", "maximum", "largest")),
        ("MIN", ("lowest", "minimum", "smallest")))


def aggregate(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, frozenset({"money", "int", "real"}))
    if not found:
        return None
    t, c = found
    fn, words = rng.choice(AGGS)
    w = rng.choice(words)
    f = pick(rng, [x for x in cols(t, CATEGORICAL) if values(t, x)])
    if f is not None and rng.random() < 0.4:
        v = rng.choice(values(t, f))
        qs: tuple[str, ...] = ("What is the {wc} of {P} whose {f} is '{v}'?", "For {P} with {f} {v}, what is the {wc}?")
        return Draft(say(rng, qs, wc=agg_phrase(w, c.phrase), P=t.plural, f=f.phrase, v=v),
                     f"SELECT {fn}({q(c.name)}) FROM {q(t.name)} WHERE {q(f.name)} = {literal(v)}", "nonzero")
    qs = ("What is the {wc} of all {P}?", "What is the {wc} across {P}?", "Give the {wc} of the {P}.")
    return Draft(say(rng, qs, wc=agg_phrase(w, c.phrase), P=t.plural), f"SELECT {fn}({q(c.name)}) FROM {q(t.name)}", "nonzero")


def group_by(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, CATEGORICAL)
    if not found:
        return None
    t, g = found
    nums = cols(t, frozenset({"money", "int", "real"}))
    if nums and rng.random() < 0.5:
        c = rng.choice(nums)
        fn, words = rng.choice(AGGS)
        qs: tuple[str, ...] = ("What is the {wc} for each {g}?", "Show the {wc} of {P} per {g}.", "For every {g}, give the {wc}.")
        return Draft(say(rng, qs, wc=agg_phrase(rng.choice(words), c.phrase), g=g.phrase, P=t.plural),
                     f"SELECT {q(g.name)}, {fn}({q(c.name)}) FROM {q(t.name)} GROUP BY {q(g.name)}")
    qs = ("How many {P} are there for each {g}?", "Count the {P} per {g}.", "Show the number of {P} by {g}.")
    return Draft(say(rng, qs, P=t.plural, g=g.phrase),
                 f"SELECT {q(g.name)}, COUNT(*) FROM {q(t.name)} GROUP BY {q(g.name)}")


def having(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, CATEGORICAL)
    if not found:
        return None
    t, g = found
    counts = sorted(Counter(values(t, g)).values())
    n = max(1, counts[len(counts) // 2] - 1) if len(counts) > 1 else 0
    if not n or counts[-1] <= n:
        return None
    qs: tuple[str, ...] = ("Which {g} values have more than {n} {P}?", "List the {g} values shared by more than {n} {P}.",
          "Show each {g} with over {n} {P}.")
    return Draft(say(rng, qs, g=g.phrase, n=n, P=t.plural),
                 f"SELECT {q(g.name)} FROM {q(t.name)} GROUP BY {q(g.name)} HAVING COUNT(*) > {n}")


def order_limit(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, frozenset({"money", "int", "real", "date", "datetime"}), nullable=False)
    if not found:
        return None
    t, c = found
    out = _out(t, c)
    desc = rng.random() < 0.6
    order = f"ORDER BY {q(c.name)} {'DESC' if desc else 'ASC'}"
    r = rng.random()
    if r < 0.35:
        qs: tuple[str, ...] = ("Which {S} has the {w} {c}?", "Give the {o} of the {S} with the {w} {c}.")
        w = ("highest" if desc else "lowest") if c.kind not in DATE_KINDS else ("latest" if desc else "earliest")
        return Draft(say(rng, qs, S=t.singular, w=w, c=c.phrase, o=out.phrase),
                     f"SELECT {q(out.name)} FROM {q(t.name)} {order} LIMIT 1")
    if r < 0.7:
        k = rng.randint(2, 5)
        w = "top" if desc else "bottom"
        qs = ("What are the {w} {k} {P} by {c}? Show their {o}.", "List the {o} of the {w} {k} {P} by {c}.")
        return Draft(say(rng, qs, w=w, k=k, P=t.plural, c=c.phrase, o=out.phrase),
                     f"SELECT {q(out.name)} FROM {q(t.name)} {order} LIMIT {k}")
    if c.kind in DATE_KINDS:
        w = "from latest to earliest" if desc else "from earliest to latest"
    else:
        w = "from highest to lowest" if desc else "from lowest to highest"
    qs = ("List the {o} and {c} of all {P}, sorted by {c} {w}.", "Show {P} ({o}, {c}) ordered by {c} {w}.")
    return Draft(say(rng, qs, o=out.phrase, c=c.phrase, P=t.plural, w=w),
                 f"SELECT {q(out.name)}, {q(c.name)} FROM {q(t.name)} {order}")


def scalar_subquery(rng: random.Random, s: Schema) -> Draft | None:
    found = _table_with(rng, s, frozenset({"money", "int", "real"}))
    if not found:
        return None
    t, c = found
    out = _out(t, c)
    if rng.random() < 0.6:
        w, op = rng.choice((("above", ">"), ("below", "<")))
        qs: tuple[str, ...] = ("Which {P} have a {c} {w} the average? Show their {o}.", "List the {o} of {P} whose {c} is {w} average.")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, w=w, o=out.phrase),
                     f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {q(c.name)} {op} (SELECT AVG({q(c.name)}) FROM {q(t.name)})")
    fn, w = rng.choice((("MAX", "maximum"), ("MIN", "minimum")))
    qs = ("List every {S} whose {c} equals the {w} {c} (their {o}).", "Show the {o} of all {P} that have the {w} {c}.")
    return Draft(say(rng, qs, S=t.singular, P=t.plural, c=c.phrase, w=w, o=out.phrase),
                 f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {q(c.name)} = (SELECT {fn}({q(c.name)}) FROM {q(t.name)})")


# ---- joins along foreign keys -----------------------------------------------------------------


def _chain(rng: random.Random, s: Schema, hops: int) -> list[tuple[Table, Column | None]] | None:
    """A path child -> parent -> ... of `hops` foreign keys: [(child, fk), (parent, fk), ..., (top, None)]."""
    starts = [t for t in s.tables if t.fks()]
    rng.shuffle(starts)
    for t in starts:
        path: list[tuple[Table, Column | None]] = []
        cur: Table = t
        for _ in range(hops):
            fks = cur.fks()
            if not fks:
                break
            fk = rng.choice(fks)
            path.append((cur, fk))
            assert fk.ref is not None
            cur = fk.ref
        if len(path) == hops:
            return path + [(cur, None)]
    return None


def _from_join(path: list[tuple[Table, Column | None]]) -> str:
    sql = f"FROM {q(path[0][0].name)} AS T1"
    for i in range(1, len(path)):
        fk = path[i - 1][1]
        t = path[i][0]
        assert fk is not None
        sql += f" JOIN {q(t.name)} AS T{i + 1} ON T{i}.{q(fk.name)} = T{i + 1}.{q(t.pk.name)}"
    return sql


def join(rng: random.Random, s: Schema, hops: int = 1) -> Draft | None:
    path = _chain(rng, s, hops)
    if not path:
        return None
    child, top = path[0][0], path[-1][0]
    ta = f"T{len(path)}"
    f = pick(rng, [c for c in cols(top, FILTERABLE) if values(top, c)])
    co = _out(child)
    via = " of its ".join(p[0].singular for p in reversed(path[1:]))  # "customer of its order"
    a_via = ("an " if via[0] in "aeiou" else "a ") + via
    r = rng.random()
    if f is not None and r < 0.55:
        v = rng.choice(values(top, f))
        where = f"WHERE {ta}.{q(f.name)} = {literal(v)}"
        if rng.random() < 0.5:
            qs: tuple[str, ...] = ("How many {C} belong to {aT} with {f} '{v}'?", "Count the {C} whose {T} has {f} {v}.")
            return Draft(say(rng, qs, C=child.plural, T=via, aT=a_via, f=f.phrase, v=v),
                         f"SELECT COUNT(*) {_from_join(path)} {where}", "nonzero")
        qs = ("List the {o} of {C} whose {T} has {f} '{v}'.", "Show the {o} of every {c} linked to {aT} with {f} {v}.")
        return Draft(say(rng, qs, o=co.phrase, C=child.plural, c=child.singular, T=via, aT=a_via, f=f.phrase, v=v),
                     f"SELECT T1.{q(co.name)} {_from_join(path)} {where}")
    tl = _out(top)
    if hops == 1 and r < 0.8:
        qs = ("How many {C} does each {T} have? Show the {T} {l} and the count.", "Count the {C} for each {T} {l}.")
        return Draft(say(rng, qs, C=child.plural, T=top.singular, l=tl.phrase),
                     f"SELECT {ta}.{q(tl.name)}, COUNT(*) {_from_join(path)} GROUP BY {ta}.{q(tl.name)}")
    qs = ("List each {c}'s {o} together with the {l} of its {T}.", "Show the {o} of every {c} and the {l} of the related {T}.")
    return Draft(say(rng, qs, c=child.singular, o=co.phrase, l=tl.phrase, T=via),
                 f"SELECT T1.{q(co.name)}, {ta}.{q(tl.name)} {_from_join(path)}")


def not_in(rng: random.Random, s: Schema) -> Draft | None:
    pairs = [(p, c, fk) for p in s.tables for c, fk in s.children(p)]
    found = pick(rng, pairs)
    if not found:
        return None
    p, c, fk = found
    lab = _out(p)
    qs: tuple[str, ...] = ("Which {P} have no {C}? Show their {l}.", "List the {l} of {P} without any {C}.",
          "Find {P} that do not appear in {C} (their {l}).")
    sub = f"SELECT {q(fk.name)} FROM {q(c.name)} WHERE {q(fk.name)} IS NOT NULL"
    return Draft(say(rng, qs, P=p.plural, C=c.plural, l=lab.phrase),
                 f"SELECT {q(lab.name)} FROM {q(p.name)} WHERE {q(p.pk.name)} NOT IN ({sub})")


def join_agg(rng: random.Random, s: Schema) -> Draft | None:
    """A child's number summed (averaged ...) per parent: "What is the total amount per customer?"."""
    path = _chain(rng, s, 1)
    if not path:
        return None
    child, top = path[0][0], path[-1][0]
    nums = cols(child, frozenset({"money", "int", "real"}))
    if not nums:
        return None
    c, tl = rng.choice(nums), _out(top)
    fn, words = rng.choice(AGGS[:2] if rng.random() < 0.8 else AGGS)
    wc = agg_phrase(rng.choice(words), c.phrase)
    group = f"GROUP BY T2.{q(tl.name)}"
    if rng.random() < 0.35:  # the parent with the largest / smallest total
        desc = rng.random() < 0.7
        w = "highest" if desc else "lowest"
        qs: tuple[str, ...] = ("Which {T} has the {w} {wc} of {C}?", "Which {T} {l} has the {w} {wc}?")
        return Draft(say(rng, qs, T=top.singular, w=w, wc=wc, C=child.plural, l=tl.phrase),
                     f"SELECT T2.{q(tl.name)} {_from_join(path)} {group} ORDER BY {fn}(T1.{q(c.name)}) "
                     f"{'DESC' if desc else 'ASC'} LIMIT 1")
    qs = ("What is the {wc} of {C} per {T}? Show the {T} {l} and the {wc}.", "For each {T}, what is the {wc} of its {C}?",
          "Show each {T} {l} with the {wc} of its {C}.")
    return Draft(say(rng, qs, wc=wc, C=child.plural, T=top.singular, l=tl.phrase),
                 f"SELECT T2.{q(tl.name)}, {fn}(T1.{q(c.name)}) {_from_join(path)} {group}")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def month_range(rng: random.Random, s: Schema) -> Draft | None:
    """A calendar month: "List the orders placed in March 2024." (half-open range on the date)."""
    found = _table_with(rng, s, DATE_KINDS)
    if not found:
        return None
    t, c = found
    day = str(rng.choice(values(t, c) or [""]))[:10]
    if len(day) < 10:
        return None
    y, m = int(day[:4]), int(day[5:7])
    nxt = f"{y + 1}-01-01" if m == 12 else f"{y}-{m + 1:02d}-01"
    where = f"{q(c.name)} >= '{y}-{m:02d}-01' AND {q(c.name)} < '{nxt}'"
    out = _out(t, c)
    if rng.random() < 0.35:
        qs: tuple[str, ...] = ("How many {P} have a {c} in {M} {y}?", "Count the {P} with {c} in {M} {y}.")
        return Draft(say(rng, qs, P=t.plural, c=c.phrase, M=MONTHS[m - 1], y=y),
                     f"SELECT COUNT(*) FROM {q(t.name)} WHERE {where}", "nonzero")
    qs = ("List the {o} of {P} with a {c} in {M} {y}.", "Which {P} have their {c} in {M} {y}? Show their {o}.")
    return Draft(say(rng, qs, o=out.phrase, P=t.plural, c=c.phrase, M=MONTHS[m - 1], y=y),
                 f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {where}")


def two_filters(rng: random.Random, s: Schema) -> Draft | None:
    """Two conditions on one table: a value and a comparison, or a full name split in two columns."""
    t = rng.choice(s.tables)
    first, last = cols(t, ("first",)), cols(t, ("last",))
    out = _out(t)
    if first and last and rng.random() < 0.5:
        i = rng.randrange(len(t.rows))
        fi, li = t.columns.index(first[0]), t.columns.index(last[0])
        fv, lv = t.rows[i][fi], t.rows[i][li]
        if fv is None or lv is None:
            return None
        other = pick(rng, [c for c in t.columns if c not in (first[0], last[0]) and not c.pk and c.ref is None])
        o = other or t.pk
        qs: tuple[str, ...] = ("What is the {o} of {f} {l}?", "Show the {o} of the {S} named {f} {l}.")
        return Draft(say(rng, qs, o=o.phrase, f=fv, l=lv, S=t.singular),
                     f"SELECT {q(o.name)} FROM {q(t.name)} WHERE {q(first[0].name)} = {literal(fv)} "
                     f"AND {q(last[0].name)} = {literal(lv)}")
    eq = pick(rng, [c for c in cols(t, CATEGORICAL) if values(t, c)])
    num = pick(rng, cols(t, frozenset({"money", "int", "real"})))
    if eq is None or num is None:
        return None
    v = rng.choice(values(t, eq))
    ns = sorted(values(t, num))  # type: ignore[type-var]
    if len(ns) < 3:
        return None
    n = ns[len(ns) // 2]
    op, w = rng.choice(((">", "above"), ("<", "below"), (">", "more than")))
    said = str(v).replace("_", " ")
    qs = ("Which {v} {P} have a {c} {w} {n}? Show their {o}.", "List the {o} of {P} with {e} {v} and {c} {w} {n}.")
    return Draft(say(rng, qs, v=said, P=t.plural, c=num.phrase, w=w, n=n, o=out.phrase, e=eq.phrase),
                 f"SELECT {q(out.name)} FROM {q(t.name)} WHERE {q(eq.name)} = {literal(v)} AND {q(num.name)} {op} {n}")


FAMILIES: dict[str, Family] = {
    "count": count_all, "list": list_cols, "filter": filter_eq, "compare": compare, "null": null_check,
    "date": date_range, "distinct": distinct, "aggregate": aggregate, "group_by": group_by,
    "having": having, "order_limit": order_limit, "subquery": scalar_subquery,
    "join1": lambda r, s: join(r, s, 1), "join2": lambda r, s: join(r, s, 2),
    "join3": lambda r, s: join(r, s, 3), "not_in": not_in, "flag": flag, "join_agg": join_agg,
    "month": month_range, "two_filters": two_filters,
}
# multi-hop joins need deep schemas and fail more often: asked more often to stay represented
WEIGHTS = {"join2": 2.5, "join3": 6.0, "not_in": 1.5, "null": 1.3}
