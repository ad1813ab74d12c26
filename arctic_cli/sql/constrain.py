"""Schema-constrained decoding: a logits hook that keeps the model's SQL inside the schema.

The local engine calls `hook(generated_ids, logits) -> logits` before choosing each token. Inside
the SQL part of the answer (after a ```sql fence, or from a leading SELECT/WITH), every word the
model writes must fit the schema and the query where it stands (see `Checker`): clauses in order
(SELECT, FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT) at each query level, tables after
FROM/JOIN, the qualified table's columns after `alias.`, and unqualified columns from the tables
the query reads. Names must be spelled as the schema spells them and SQL words in upper or lower
case, so a confused model cannot wander into `AcCounTs`; functions come from a list of common
portable ones (pass --no-constrain to let a strong model use dialect-only ones), less, on a SQLite
schema, the functions and words SQLite cannot compile (`VARIANCE`, `INTERVAL`: see sql/validate.py,
`sqlite_lacks`).
A string literal must be a value the question mentions (a run of its words), a value the schema
lists for some column (`Column.values`), either wrapped in LIKE's `%`, or a date/number-like
string (`'2024-03-01'`): a small model copies values badly (`country = 'Ireland'` for a question
about Germany), and a value nobody mentioned cannot be right. `col = '...'` on a column whose
values are all listed takes one of them, as spelled (the ones the question names, if it names
any); and a column of strings is not compared to a bare number. Comments are left alone; quoted
identifiers are checked like bare words.
Among the allowed tokens, those spelling a table or column the question names (sql/linking.py:
"leave requests" -> `LV_REQ`, "company names" -> `CompanyName`) get `LINK_BONUS` added to their
logits: a nudge for a small model that links questions to names badly, not a rule.
The `top_k` most likely tokens are checked first (a full vocabulary scan in Python costs more than
a decode step), so inside SQL sampling is also cut to those `top_k`; only when none of them is
allowed are the next 16x, then the whole vocabulary, scanned. When no token at all can continue,
the answer stops there (only the stop tokens are left) and validation + repair take over.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from arctic_cli.sql.schema import Schema

_WORD_START = re.compile(r"[A-Za-z_]")
# The words a read-only query is made of: a curated list, not sqlglot's hundreds of DDL/DML
# keywords (VOLATILE ...), which a confused small model would otherwise wander into.
_KEYWORDS = frozenset(
    """select from where and or not in is null like ilike glob between by on as join left right
    inner outer cross full natural using group order having limit offset fetch next rows row only
    top distinct case when then else end union all except intersect exists any some asc desc nulls
    first last over partition filter within window range preceding following unbounded current
    true false with recursive cast integer int bigint smallint real float double decimal numeric
    text varchar char boolean date time datetime timestamp interval year month day hour minute
    second qualify escape current_date current_time current_timestamp""".split()  # noqa: SIM905
)
# Functions must be called (`(` follows). Common, portable ones only: aggregates, windows,
# strings, dates, numbers, conditionals.
_FUNCTIONS = frozenset(
    """count sum avg min max total group_concat string_agg listagg array_agg median stddev variance
    row_number rank dense_rank ntile lag lead first_value last_value
    coalesce ifnull nullif iif if iff greatest least abs round floor ceil ceiling sign mod power
    sqrt exp ln log length char_length lower upper trim ltrim rtrim substr substring replace instr
    concat printf format strftime julianday date_trunc date_part extract to_date to_char dateadd
    datediff date_diff date_add now unixepoch typeof""".split()  # noqa: SIM905
)
_SQL_WORDS = sorted(_KEYWORDS | _FUNCTIONS)
MAX_DEPTH = 8  # parentheses a generated query may nest
MAX_BARE_JOINS = 3  # JOINs in a row without ON/USING
MAX_DIGITS = 15  # in a number (each side of its point)
MAX_NEW_NAME = 32  # characters of a name AS/WITH gives: a confused model grows `AS Trffff...`
MAX_TABLE_ALIAS = 16  # ... and of a table's alias (`FROM claims AS ToliverPlaimateruclaim...`)
# Added to the logits of tokens that spell a name the question links to (sql/linking.py), scaled
# by the link's strength: chosen on a fresh generated suite (docs/decisions.md, "Schema linking").
LINK_BONUS = 3.0
# When the model keeps asking to stop where the query is incomplete, forcing it on only grows
# junk up to max_tokens: after this many refusals it may stop and validation reports the rest.
MAX_REFUSED_ENDS = 4
# Where an expression starts (after these words or characters) only these keywords may begin it
# (besides names, functions, numbers and strings): `SELECT preceding` or `WHERE collate` is junk.
_EXPR_AFTER = frozenset(
    "select where and or on by having when then else distinct , ( = < > ! + - / % | between like".split()  # noqa: SIM905
)
_EXPR_KEYWORDS = frozenset(
    """distinct not case exists null true false cast all any some select with interval date time
    timestamp current_date current_time current_timestamp""".split()  # noqa: SIM905
)
_DATE_PARTS = frozenset("year month day hour minute second".split())  # noqa: SIM905 (EXTRACT(x FROM)
# Words that end an operand (like a name, a number or `)` do): a keyword or `(` must come next.
_OPERAND_WORDS = frozenset(
    """null true false end asc desc current_date current_time current_timestamp first last
    preceding following row""".split()  # noqa: SIM905
)
# After an operand only these words may come (SELECT only after the `)` that closes a CTE).
_AFTER_OPERAND = frozenset(
    """as from where and or not is in like ilike glob between escape asc desc nulls join left right
    inner outer cross full natural on using group order having limit offset union except intersect
    when then else end over filter within qualify window rows range fetch preceding following
    select""".split()  # noqa: SIM905
)
_AFTER_TABLE = frozenset(
    """as join left right inner outer cross full natural on using where group order having limit
    offset union except intersect qualify window""".split()  # noqa: SIM905
)
_NO_ARGS = frozenset(
    "now row_number rank dense_rank unixepoch".split()  # noqa: SIM905
)
# keywords that only the listed words may follow (as upper or lower case): GROUP BY, CROSS JOIN
_FOLLOWED_BY = {
    "group": ("by",), "order": ("by",), "partition": ("by",),
    "cross": ("apply", "join"), "inner": ("join",), "outer": ("apply", "join"), "full": ("join", "outer"),
    "left": ("join", "outer"), "right": ("join", "outer"), "natural": ("full", "inner", "join", "left", "right"),
}  # fmt: skip
_NEXT_WORDS = {kw: sorted({w.upper() for w in ws} | set(ws)) for kw, ws in _FOLLOWED_BY.items()}
# Where an expression starts these begin a literal (`DATE '2024-01-01'`) or a call: `'` or `(` next
_LITERAL_TYPES = frozenset({"date", "time", "timestamp", "interval"})
_FROM_INSIDE = frozenset({"extract", "substring", "trim"})  # `EXTRACT(YEAR FROM d)`
_ORDER_INSIDE = frozenset({"over", "string_agg", "group_concat", "array_agg", "listagg", "group"})
_WINDOW_WORDS = frozenset(
    {"partition", "rows", "range", "preceding", "following", "unbounded", "current"}
)
_AGGREGATES = frozenset(
    "count sum avg min max total group_concat string_agg listagg array_agg".split()  # noqa: SIM905
)
# Functions of one argument in every dialect: a comma in their parentheses is a lost model's
_ONE_ARG = frozenset(  # (`CHAR_LENGTH(CHAR_LENGTH(x, y, ...`)
    """sum avg total median stddev variance first_value last_value abs sign sqrt exp ln floor ceil
    ceiling length char_length lower upper typeof""".split()  # noqa: SIM905
)
# Window functions that exist only with OVER (`ROW_NUMBER()` alone: "misuse of window function")
_WINDOW_ONLY = frozenset("row_number rank dense_rank ntile lag lead first_value last_value".split())  # noqa: SIM905
_PUNCTUATION = frozenset("(),.*=<>!+-/%|;'\"`")  # outside strings, besides letters, digits, spaces
_OPERATOR_PAIRS = frozenset({"<=", "<>", ">=", "!=", "||", "::"})  # a second operator character
_FREE_AFTER = frozenset({"as", "with", "recursive"})  # the next word names something new
# Words a new name (after AS/WITH) may not be unless quoted: `AS FROM` is junk
_RESERVED = frozenset(
    """select from where group order by having limit offset join on using as union except intersect
    and or not in is null like between case when then else end distinct all inner left right outer
    cross full natural with""".split()  # noqa: SIM905
)
# A SELECT list's items are values, not conditions: outside parentheses and CASE these are a lost
# model's (`SELECT COUNT(*) < 'cs' AND rank > 12`); no hand-written or generated gold query has one
_NOT_IN_SELECT_ITEM = frozenset({"and", "or", "not", "between", "like", "ilike", "glob", "in", "is"})
_QUANTIFIERS = frozenset({"all", "any", "some"})  # `x > ALL (SELECT ...)`; ALL also in UNION ALL
# Comparisons by word: never a second in a row (`x IS 4 IS 5`), nor after IS [NOT] (`IS NOT IN`)
_COMPARING = frozenset({"between", "like", "ilike", "glob", "in", "is"})
_TABLE_AFTER = frozenset({"from", "join"})  # the next word is a table (or a CTE)
# The clause each keyword opens in a query (a frame's `stage`): they come in this order.
_CLAUSES = {
    "select": 1, "from": 2, "where": 3, "group": 4, "having": 5, "qualify": 5, "order": 6,
    "limit": 7, "offset": 8,
}  # fmt: skip
_FROM_WORDS = frozenset("join on using left right inner outer cross full natural".split())  # noqa: SIM905
_SET_OPS = frozenset({"union", "except", "intersect"})
# A query cannot stop right after these words or characters: something must follow.
_OPEN_ENDED = (
    _EXPR_AFTER
    | _FREE_AFTER
    | _TABLE_AFTER
    | _FROM_WORDS
    | _SET_OPS
    | frozenset(
        """not is in ilike glob group order limit offset all any some distinct case exists cast
        interval escape over partition filter within window nulls . : *""".split()  # noqa: SIM905
    )
)
# `o`, `c1`, `T12`: implicit aliases right after a table
_SHORT_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,2}|[Tt]\d+")
_EARLY_ALIAS = re.compile(r"[Tt]\d{1,2}|[A-Za-z]{1,2}")  # `T1.`, `pl.` before `FROM t AS T1`
_SIMPLE = re.compile(r"(\s*)([A-Za-z0-9_$]+)")  # a token that is (space +) one word piece
_BARE = re.compile(r"[^\W\d]\w*")  # a name that needs no quotes


def _case_fold(dialect: str) -> Callable[[str], str] | None:
    """How `dialect` reads a bare name's case, as the validator (sqlglot) does: Postgres lowers
    it, Snowflake and Oracle raise it; None where case does not matter or is kept."""
    if not dialect:
        return None
    from sqlglot.dialects.dialect import Dialect, NormalizationStrategy

    strategy = Dialect.get_or_raise(dialect).NORMALIZATION_STRATEGY
    return {NormalizationStrategy.LOWERCASE: str.lower, NormalizationStrategy.UPPERCASE: str.upper}.get(strategy)


class Decoder(Protocol):
    def decode(self, ids: Iterable[int]) -> str: ...


def _plain(name: str) -> str:
    return name.strip('"`[]')


def _spellings(word: str) -> set[str]:
    return {word.lower(), word.upper()}


@dataclass
class Vocabulary:
    """Every allowed spelling (sorted), the tables, each table's columns, functions, qualifiers."""

    words: list[str]
    tables: set[str]
    columns: dict[str, list[str]]  # table -> its columns, sorted
    qualifiers: list[str] = field(default_factory=list)  # before `.table`: schemas, `main`
    functions: set[str] = field(default_factory=set)  # words that are only a function: need `(`
    neighbours: dict[str, set[str]] = field(default_factory=dict)  # table -> tables a FK links


def vocabulary(schema: Schema) -> Vocabulary:
    """The words a query on `schema` may use (names as the schema spells them)."""
    lacking: frozenset[str] = frozenset()
    if schema.dialect == "sqlite":  # what the engine lacks, the validator rejects: never offer it
        from arctic_cli.sql.validate import sqlite_lacks

        lacking = sqlite_lacks(_FUNCTIONS)
    keywords = {w for k in _KEYWORDS - lacking for w in _spellings(k)}
    functions = {w for f in _FUNCTIONS - lacking for w in _spellings(f)}
    tables: set[str] = set()
    columns: dict[str, set[str]] = {}
    # `main.orders`: SQLite's and DuckDB's default schema; elsewhere no such schema exists
    qualifiers = {"main", "MAIN"} if schema.dialect in ("sqlite", "duckdb") else set()
    links: list[tuple[str, str]] = []
    for table in schema.tables:
        name = _plain(table.name)
        tables.add(name)
        if table.db:
            qualifiers.add(_plain(table.db))
        columns.setdefault(name, set()).update(_plain(c.name) for c in table.columns)
        links += [(name, _plain(fk.ref_table.split(".")[-1])) for fk in table.foreign_keys]
    neighbours: dict[str, set[str]] = {t: set() for t in tables}
    for a, b in links:
        if b in tables:
            neighbours[a].add(b)
            neighbours[b].add(a)
    names = tables | qualifiers | {c for cols in columns.values() for c in cols}
    return Vocabulary(
        sorted(keywords | functions | names),
        tables,
        {t: sorted(c) for t, c in columns.items()},
        sorted(qualifiers),
        functions - keywords - names,
        neighbours,
    )


@dataclass
class Frame:
    """One parenthesis level; a query frame (`stage` > 0) tracks its clauses and FROM tables."""

    stage: int = 0  # 0: no SELECT at this level (yet); else the clause it is in (_CLAUSES)
    tables: list[str] = field(default_factory=list)  # read by FROM/JOIN; "" = columns unknown (CTE)
    loose: set[str] = field(default_factory=set)  # unqualified columns named before its FROM
    ctes: bool = False  # a WITH opened here: `, name AS (` defines another CTE
    early: set[str] = field(default_factory=set)  # aliases its SELECT list used before its FROM
    join_open: bool = False  # a JOIN still waits for its ON/USING
    natural: bool = False  # NATURAL was read and its JOIN not yet: that JOIN takes no ON
    opener: str = ""  # the word before its `(` (lower case): `count`, `over`, `in`, ...
    derived: bool = False  # opened where a table goes: `FROM (SELECT ...) AS x`
    joined: bool = False  # its FROM clause has a JOIN: no `, table` after it
    compared: bool = False  # a comparison (`a = b`) is open: no second one (`a = b = c`) before
    # AND/OR, a comma or another keyword
    between: bool = False  # BETWEEN waits for its AND: no comma (`x BETWEEN 1, 2`)
    shadowed: dict[str, str] = field(default_factory=dict)  # aliases it redefined: their outer table
    ordering: bool = False  # an ORDER BY inside these parentheses (OVER, WITHIN GROUP): ASC may come
    named: set[str] = field(default_factory=set)  # aliases defined at this level: not a second time
    qualified: set[str] = field(default_factory=set)  # tables its SELECT list qualified by name
    items: int = 0  # its SELECT list's items so far: what `GROUP BY 2` may point at
    star: bool = False  # a `*` in its SELECT list (or a product): positions are not counted
    cases: int = 0  # CASEs open when its `(` opened: its `)` may not close one opened inside

    def copy(self) -> Frame:
        return replace(
            self,
            tables=list(self.tables),
            loose=set(self.loose),
            early=set(self.early),
            shadowed=dict(self.shadowed),
            named=set(self.named),
            qualified=set(self.qualified),
        )


@dataclass
class LexState:
    """Where a SQL text stands: inside a string/quoted name/comment, the word being typed, context."""

    # "" | "'" | "'?" (a quote in a string: its end or `''`) | '"' | "`" (quoted name) |
    # "`?" (a backtick) | "-" (comment) | "end" (```)
    mode: str = ""
    word: str = ""  # the word in progress, as typed
    prev: str = ""  # the last complete word or punctuation character
    prev2: str = ""  # the one before it (`orders AS o`: o names orders)
    reserved: bool = False  # prev is a reserved word, unquoted: `ORDER` is the keyword even
    # where a table is named "ORDER" (which a query must then quote); set with each word, so
    # stale after punctuation, which never names anything
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> its table ("" if not a table)
    qualifier: str | None = None  # the word before a `.` while the word after it is typed
    frames: list[Frame] = field(default_factory=lambda: [Frame()])  # one per open parenthesis + 1
    pending: set[str] = field(default_factory=set)  # aliases used (`T1.`) but not yet defined
    used: dict[str, set[str]] = field(default_factory=dict)  # pending alias -> columns named on it
    bare_joins: int = 0  # JOINs since the last ON/USING
    cases: int = 0  # CASEs not yet closed by END
    operand: bool = False  # the last thing was an operand (name, number, string, `)`)
    after_table: bool = False  # the last word was a table read by FROM/JOIN (or its alias)
    typed: bool = False  # the last word was DATE/TIME/... where an expression starts
    ctes: set[str] = field(default_factory=set)  # names WITH defined: tables for FROM
    literal: str = ""  # the string literal being typed, unescaped (mode "'" and "'?")
    compared: str = ""  # the column the literal is compared to (`status = '...'`)
    closed: bool = False  # after `;`: only the end may follow
    over: bool = False  # a window-only function's `)` just closed: OVER must follow
    ok: bool = True  # False once a word broke the rules

    @property
    def depth(self) -> int:
        """Open parentheses."""
        return len(self.frames) - 1

    def copy(self) -> LexState:
        return replace(
            self,
            aliases=dict(self.aliases),
            frames=[f.copy() for f in self.frames],
            pending=set(self.pending),
            used={k: set(v) for k, v in self.used.items()},
            ctes=set(self.ctes),
        )


def _has_prefix(words: list[str], part: str) -> bool:
    i = bisect.bisect_left(words, part)
    return i < len(words) and words[i].startswith(part)


def _with_prefix(words: list[str], part: str) -> Iterable[str]:
    i = bisect.bisect_left(words, part)
    while i < len(words) and words[i].startswith(part):
        yield words[i]
        i += 1


# Date-, time- and number-like literals: their shapes, `d` standing for a digit (a literal so far
# must begin one of them; `'2024-01-044.44.4'` is junk a lost model grows to max_tokens).
_LITERAL_SHAPES = tuple(
    date + time
    for date in ("dddd-dd-dd", "dddd/dd/dd", "dd/dd/dddd", "d/dd/dddd", "dd/d/dddd", "d/d/dddd")
    for time in ("", " dd:dd", " dd:dd:dd", "Tdd:dd:dd", " dd:dd:dd.ddd", " dd:dd:dd.dddddd",
                 "Tdd:dd:dd.ddd", "Tdd:dd:ddZ", "Tdd:dd:dd+dd:dd")  # fmt: skip
) + ("dddd-dd", "dd:dd", "dd:dd:dd")
_NUMBER_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{0,8})?")


def _date_or_number(text: str, final: bool) -> bool:
    """Whether a literal is (or, not `final`, can still become) a date, time or number."""
    if _NUMBER_TEXT.fullmatch(text):
        return not (final and text.endswith("."))
    if text == "-":
        return not final
    if text.endswith("%") and len(text) > 1:  # `LIKE '2024-03%'`
        text = text[:-1]
        final = False
    shape = re.sub(r"[0-9]", "d", text)
    return any(s == shape if final else s.startswith(shape) for s in _LITERAL_SHAPES)


# Bare numbers a query may write besides the question's: flags, `* 1.0`, `* 100`, small counts and
# `LIMIT 10` (a real model's default for "top customers"), `ROUND(x, 2)`, `DECIMAL(10, 2)`,
# `VARCHAR(255)`, hours, days, seconds
NUMBERS = frozenset(
    {float(n) for n in range(11)}
    | {12.0, 20.0, 24.0, 25.0, 30.0, 50.0, 60.0, 100.0, 255.0, 365.0, 1000.0, 3600.0, 86400.0}
)
_COUNTING = "zero one two three four five six seven eight nine ten eleven twelve"
_NUMBER_WORDS = {w: float(n) for n, w in enumerate(_COUNTING.split())} | {
    "twice": 2.0, "dozen": 12.0, "twenty": 20.0, "fifty": 50.0, "hundred": 100.0, "half": 0.5,
    "thousand": 1e3, "million": 1e6, "billion": 1e9,
}
_QUESTION_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_SCALE = re.compile(r" ?(k|thousand|mm|m|million|bn|billion)\b")


def _numbers_in(question: str) -> tuple[set[float], set[str]]:
    """The numbers a question says (`1,200`, `$15.50`, `15%` as 15 and 0.15, `three`, `2.5
    million`, `50k`), and next to each whole one the one below and above (`at least 3` may be
    written `> 2`); and its numbers as written (`15.50`)."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", question.lower())
    out: set[float] = set()
    said: set[str] = set()
    for m in _QUESTION_NUMBER.finditer(text):
        n = float(m.group())
        out.add(n)
        said.add(m.group())
        after = text[m.end() :]
        if after.startswith("%"):
            out.add(n / 100)
        scale = _SCALE.match(after)
        if scale:
            out.add(n * _SCALES[scale.group(1)])
    out.update(v for w, v in _NUMBER_WORDS.items() if re.search(rf"\b{w}\b", text))
    out.update(n + d for n in list(out) if n == int(n) for d in (-1, 1))
    return out, said


def _number_texts(n: float) -> tuple[str, ...]:
    """How a query may write `n`: `4`, `4.0`; `0.15`."""
    if n == int(n):
        return (str(int(n)), f"{int(n)}.0")
    return (repr(n),)


MIN_MENTION = 3  # shorter listed values ('A', 'IP') are not looked for in the question


def _spoken(value: str) -> str:
    """How a question says a value: `in_transit` -> "in transit" (words, lower case)."""
    return " ".join(re.findall(r"[a-z0-9]+", value.lower()))


_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’"
MAX_SPAN = 6  # words of the question one literal may copy


class Literals:
    """The strings a query may quote: runs of the question's words and the schema's listed values.

    A column whose every listed value is a string (`textual`) is never compared to a bare number,
    and `col = '...'` on a column whose values are all listed (`closed`) takes one of them.
    """

    def __init__(self, question: str, schema: Schema):
        found: set[str] = set()
        closed: dict[str, set[str]] = {}
        open_: set[str] = set()  # column names whose values (in some table) are not all listed
        other: set[str] = set()  # column names (in some table) not listed or not all strings
        for table in schema.tables:
            for col in table.columns:
                strings = [v[1:-1].replace("''", "'") for v in col.values if v.startswith("'")]
                found.update(strings)
                name = _plain(col.name)
                if not strings or len(strings) < len(col.values):
                    other.add(name)
                if name in other or col.more_values:
                    open_.add(name)
                closed.setdefault(name, set()).update(strings)  # exact: `=` is case-sensitive
        self.closed = {n: sorted(v) for n, v in closed.items() if n not in open_}
        self.textual = set(closed) - other
        asked = " " + " ".join(re.findall(r"\w+", question.lower())) + " "
        for name, values in self.closed.items():  # `status = '...'` where the question named one
            named = [v for v in values if len(v) >= MIN_MENTION and f" {_spoken(v)} " in asked]
            self.closed[name] = named or values  # ("still open" names 'open')
        words = [w.strip(_EDGE_PUNCTUATION) for w in question.split()]
        for seq in (words, [re.sub(r"['’]s$", "", w) for w in words]):  # "McDonald's", "Kovac's"
            for i in range(len(seq)):
                for j in range(i + 1, min(i + MAX_SPAN, len(seq)) + 1):
                    span = " ".join(w for w in seq[i:j] if w)
                    if span:
                        found.add(span)
        self.known = {f.lower() for f in found}  # any case: the question may say "coronary
        self.sorted = sorted(self.known)  # artery disease" for the value 'Coronary artery disease'
        numbers, said = _numbers_in(question)
        numbers |= NUMBERS
        for table in schema.tables:
            for col in table.columns:
                numbers.update(float(v) for v in col.values if _NUMBER_TEXT.fullmatch(v))
        self.number_values = numbers
        self.number_texts = sorted({t for n in numbers for t in _number_texts(n)} | said)

    def number_ok(self, text: str, final: bool) -> bool:
        """Whether a bare number as written so far (`45`, `4.`, `4.5`; `final`: complete) is
        one the question says, a listed value, or a common constant (NUMBERS)."""
        if final:  # (digits, or digits.digits: the checker passes nothing else)
            return float(text) in self.number_values
        return _has_prefix(self.number_texts, text)

    def ok(self, text: str, final: bool, column: str = "") -> bool:
        """Whether `text` (a literal's content, unescaped) is allowed: complete (`final`) or so
        far; `column` is the column it is compared to with `=` (if any)."""
        values = self.closed.get(column)
        if values is not None:  # `status = '...'`: one of the status values, as spelled
            return text in values if final else _has_prefix(values, text)
        if not text or (text[0].isdigit() or text[0] == "-") and _date_or_number(text, final):
            return True
        text = text.lower()
        body = text[1:] if text.startswith("%") else text
        if body.endswith("%") and (not body[:-1] or body[:-1] in self.known):
            return True  # `'%son%'`, `'Ann%'`, `'%'`
        if final:
            return not body or body in self.known
        return not body or _has_prefix(self.sorted, body)


class Checker:
    """Feeds text to a `LexState`, checking each word against the schema and the query so far.

    Words: after FROM/JOIN comes a table (or a CTE), and the first table must hold (or link to)
    a column the SELECT list named; after `x.` comes a column of x's table when x is a known table
    or alias, else a column of some table; after AS or WITH any name is a new alias; right after
    a table a short word (`o`, `t1`) is its alias; in a SELECT list a word followed by `.` may be
    an alias defined later (`SELECT T1.name FROM customers AS T1`), which must then name a table
    holding the columns used on it; once a query has its FROM, unqualified columns must belong to
    the tables it reads (or an enclosing query's); a function must be called; numbers are digits.
    Structure: at each level clauses come in order, JOIN/ON only in FROM, BY only after GROUP,
    ORDER or PARTITION, WHEN/THEN/ELSE/END only inside CASE; where an expression starts, no `,`,
    `)` or operator; parentheses stay balanced and at most MAX_DEPTH deep; the SQL may end only
    where the query is complete (see `complete`).
    """

    def __init__(self, vocab: Vocabulary, dialect: str = "", literals: Literals | None = None):
        self.literals = literals  # None: any string literal
        self.punctuation = _PUNCTUATION | (
            {":"} if dialect in ("postgres", "duckdb", "snowflake", "redshift") else set()
        )  # `::` casts
        self.words = vocab.words
        self.known = set(vocab.words)
        self.tables = vocab.tables
        self.columns = vocab.columns
        self.column_sets = {t: frozenset(c) for t, c in vocab.columns.items()}
        self.all_columns = sorted({c for cols in vocab.columns.values() for c in cols})
        self.all_column_set = frozenset(self.all_columns)
        self.sorted_tables = sorted(vocab.tables)
        self.qualifiers = vocab.qualifiers
        self.functions = vocab.functions
        self.names = vocab.tables | set(self.all_columns) | set(vocab.qualifiers)
        # names only a quoted identifier can spell: `"Unit Price"`, and where the dialect folds
        # bare names, a different case (Postgres reads `createdAt` as createdat: `"createdAt"`)
        fold = _case_fold(dialect)
        self.quote_only = frozenset(
            n for n in self.names if not _BARE.fullmatch(n) or (fold is not None and fold(n) != n)
        )
        self.keyword_words = sorted(w for w in vocab.words if w.lower() in _AFTER_OPERAND)
        self.reach = {  # columns of a table and of the tables its foreign keys link
            t: frozenset().union(self.column_sets[t], *(self.column_sets[n] for n in vocab.neighbours.get(t, ())))
            for t in vocab.tables
        }  # fmt: skip
        self._scope_columns = lru_cache(maxsize=256)(self._union_columns)
        self._one_holds = lru_cache(maxsize=256)(self._any_table_holds)

    def _any_table_holds(self, columns: frozenset[str]) -> bool:
        return any(columns <= cols for cols in self.column_sets.values())

    def _union_columns(self, tables: frozenset[str]) -> frozenset[str]:
        return frozenset().union(*(self.column_sets.get(t, ()) for t in tables))

    # -- where a word stands ---------------------------------------------------------------

    def _table_of(self, state: LexState, name: str) -> str | None:
        if name in state.aliases:
            return state.aliases[name] or None
        return name if name in self.tables else None

    @staticmethod
    def _query(state: LexState) -> int | None:
        """The innermost query frame (an aggregate's parentheses belong to their query)."""
        for i in range(len(state.frames) - 1, -1, -1):
            if state.frames[i].stage > 0:
                return i
        return None

    def _scope(self, state: LexState, upto: int) -> frozenset[str] | None:
        """The tables whose columns frame `upto` may name unqualified (None: any column)."""
        tables: set[str] = set()
        for i, frame in enumerate(state.frames[: upto + 1]):
            if frame.stage == 1 and i < upto:
                return None  # a subquery in a SELECT list: the outer FROM is not written yet
            if "" in frame.tables:
                return None  # a CTE or a derived table: its columns are not known here
            tables.update(frame.tables)
        return frozenset(tables)

    def _covered(self, state: LexState, i: int) -> bool:
        """The columns frame i's SELECT list named come from the tables in scope, and the tables
        it qualified by name (`SELECT orders.id`) are among them."""
        frame = state.frames[i]
        if not frame.loose and not frame.qualified:
            return True
        scope = self._scope(state, i)
        return scope is None or (frame.loose <= self._scope_columns(scope) and frame.qualified <= scope)

    def _may_qualify(self, state: LexState, qualifier: str) -> bool:
        """A table's name qualifies a column after its query's FROM only if that query (or one
        around it) reads the table: `FROM title WHERE patron.patron_id > 1` is "no such column".
        (In the SELECT list, before FROM, `_covered` checks it when the FROM clause ends.)"""
        if qualifier in state.aliases or qualifier not in self.tables:
            return True
        q = self._query(state)
        if q is None or state.frames[q].stage < 2:
            return True
        scope = self._scope(state, q)
        return scope is None or qualifier in scope

    @staticmethod
    def _table_slot(prev: str, before: str, frame: Frame) -> bool:
        """Whether a table goes after the word `prev` (itself after `before`) in `frame`."""
        prev = prev.lower()
        if prev == "from":  # `IS DISTINCT FROM x`, `EXTRACT(YEAR FROM x)`: an expression
            return frame.stage > 0 and before.lower() != "distinct"
        return prev == "join" or (prev == "," and frame.stage == 2)

    def _table_position(self, state: LexState) -> bool:
        return self._table_slot(state.prev, state.prev2, state.frames[-1])

    def _schema_qualified_table(self, state: LexState, word: str) -> bool:
        """`orders` in `FROM main.orders` (the qualifier stood where a table goes)."""
        q = state.qualifier
        return (
            q is not None
            and q in self.qualifiers
            and word in self.tables
            and self._table_slot(state.prev2, "", state.frames[-1])
        )

    def _number_ok(self, state: LexState, digits: str, final: bool = False) -> bool:
        """A run of digits as written so far (`final`: the number ends after it): no leading
        zero (but after a point), at most MAX_DIGITS, no arithmetic between two numbers
        (`20-019-019...` is a lost model's junk; one literal says the same), and with a question,
        a number it allows (Literals.number_ok)."""
        if state.prev == ".":  # the digits after a point: `4.5`
            whole = f"{state.prev2}.{digits}"
            return len(digits) <= MAX_DIGITS and (
                self.literals is None or self.literals.number_ok(whole, final)
            )
        frame = state.frames[-1]
        if frame.stage in (4, 6) and state.prev.lower() in ("by", ",") and not frame.star:
            return digits.isdigit() and 1 <= int(digits) <= frame.items  # `GROUP BY 2`: an item
        constant = state.prev in ("+", "-", "*", "/", "%") and state.prev2[:1].isdigit()
        return (
            len(digits) <= MAX_DIGITS
            and not constant
            and (digits == "0" or digits[0] != "0")
            and (self.literals is None or self.literals.number_ok(digits, final))
        )

    def _prev_name(self, state: LexState) -> bool:
        """The last word named a table, column or qualifier (not `ORDER`, a table's name only
        when quoted)."""
        return state.prev in self.names and not state.reserved

    def _prev_table(self, state: LexState) -> bool:
        return state.prev in self.tables and not state.reserved

    def _after_in(self, state: LexState) -> bool:
        """The last word was the keyword IN (not a column so named)."""
        return state.prev.lower() == "in" and not self._prev_name(state)

    @staticmethod
    def _aliasable(state: LexState) -> bool:
        """The table just read may get an alias: its query did not qualify columns by its name
        (`SELECT log.code ... FROM log AS l`: the name no longer qualifies, "no such column")."""
        return state.prev not in state.frames[-1].qualified

    def _unaliased(self, state: LexState) -> bool:
        """The table just read has no alias yet: `FROM t AS x`, not `FROM t x AS y`."""
        return state.prev == ")" or self._prev_table(state) or state.prev in state.ctes

    def _max_name(self, state: LexState) -> int:
        """How long the new name may be: a table's alias is short."""
        after = state.prev2
        table = state.prev.lower() == "as" and (after in self.tables or after in state.ctes)
        return MAX_TABLE_ALIAS if table else MAX_NEW_NAME

    @staticmethod
    def _names_new(state: LexState) -> bool:
        """The next word names something new: after AS/WITH, or `, name AS (` among CTEs."""
        prev, frame = state.prev.lower(), state.frames[-1]
        return prev in _FREE_AFTER or (prev == "," and frame.stage == 0 and frame.ctes)

    def _wants(self, state: LexState) -> list[str]:
        """The only words that may come next (sorted; none: no such rule): BY after GROUP, ORDER
        or PARTITION, JOIN after CROSS, ... (the keywords, not columns so named)."""
        if self._prev_name(state):
            return []
        return _NEXT_WORDS.get(state.prev.lower(), [])

    def _expression_position(self, state: LexState) -> bool:
        """Not where a name must come (after FROM/JOIN/AS/WITH/BY)."""
        return not (self._names_new(state) or self._wants(state) or self._table_position(state))

    def _table_fits(self, state: LexState, table: str) -> bool:
        """A query's first table holds (or links to) a column its SELECT list named; no table is
        read more than twice (a self-join reads one twice, a lost model on and on)."""
        frame = state.frames[-1]
        if frame.tables.count(table) >= 2:
            return False
        if frame.tables or not frame.loose:
            return True
        if self._one_holds(frozenset(frame.loose)):  # one table holds them all:
            return bool(frame.loose & self.column_sets[table])  # start from one that holds some
        return bool(frame.loose & self.reach[table])

    def _from_done(self, state: LexState, i: int) -> bool:
        """Frame i may leave its FROM clause: every JOIN has its ON, every alias its SELECT list
        used is defined, and the columns it named unqualified come from the tables read."""
        frame = state.frames[i]
        return not frame.join_open and not frame.early & state.pending and self._covered(state, i)

    def _alias_fits(self, state: LexState, alias: str, table: str | None) -> bool:
        """An alias used before its FROM names a table that holds the columns used on it."""
        used = state.used.get(alias)
        return not used or table is None or used <= self.column_sets[table]

    def _early_ok(self, state: LexState) -> bool:
        """`x.` may name an alias not made yet: only in a SELECT list (before its FROM)."""
        q = self._query(state)
        return q is None or state.frames[q].stage < 2

    @staticmethod
    def _select_item(state: LexState) -> bool:
        """Directly in a SELECT list's item: not inside its parentheses or a CASE."""
        return state.frames[-1].stage == 1 and state.cases == 0

    def _row_by_row(self, state: LexState) -> bool:
        """In a clause that looks at one row at a time (a JOIN's ON, WHERE, GROUP BY)."""
        q = self._query(state)
        return q is not None and state.frames[q].stage in (2, 3, 4)

    @staticmethod
    def _in_aggregate(state: LexState) -> bool:
        """Inside an aggregate's parentheses (up to the query they belong to)."""
        for frame in reversed(state.frames):
            if frame.stage > 0:
                return False
            if frame.opener in _AGGREGATES:
                return True
        return False

    def _is_name(self, word: str, quoted: bool) -> bool:
        """`word` names a table, column or qualifier: a reserved word, or a name only quotes
        spell, only when quoted."""
        return word in self.names and (quoted or (word.lower() not in _RESERVED and word not in self.quote_only))

    def _may_start(self, state: LexState, word: str, quoted: bool) -> bool:
        """A keyword where an expression starts must be one that can start it."""
        lower = word.lower()
        name = self._is_name(word, quoted)
        if lower in _WINDOW_WORDS and not name:
            return state.frames[-1].opener == "over"  # OVER (PARTITION BY .. ROWS ..)
        if state.prev.lower() not in _EXPR_AFTER or lower not in _KEYWORDS or name:
            return True
        if lower == "order":
            return state.prev == "(" and state.frames[-1].opener in _ORDER_INSIDE
        if lower in _DATE_PARTS:  # EXTRACT(YEAR FROM d)
            return state.prev == "(" and state.prev2.lower() == "extract"
        if lower == "distinct":  # SELECT DISTINCT, COUNT(DISTINCT x), not sign(DISTINCT
            return state.prev.lower() == "select" or (
                state.prev == "(" and state.prev2.lower() in _AGGREGATES
            )
        return lower in _EXPR_KEYWORDS

    def _clause_ok(self, state: LexState, kw: str, next_char: str | None) -> bool:
        """Structure: the clause keyword `kw` (lower case) may come here."""
        frame, prev = state.frames[-1], state.prev.lower()
        stage = frame.stage
        leaving_from = stage != 2 or self._from_done(state, len(state.frames) - 1)
        if kw in _NOT_IN_SELECT_ITEM and self._select_item(state):
            return False
        if kw in _QUANTIFIERS and not (kw == "all" and prev == "union"):
            return (  # `> ALL (`, where the dialect quantifies (SQLite does not: no ANY here)
                state.prev in ("=", "<", ">") and next_char in (None, "(", " ") and "any" in self.known
            )
        if kw == "select":
            return stage == 0 and (
                state.prev in ("", "(")
                or (state.prev == ")" and frame.ctes)  # `WITH x AS (...) SELECT`
                or prev in ("union", "all", "except", "intersect", "distinct")
            )
        if kw == "with":
            return stage == 0 and state.prev in ("", "(")
        if kw == "from":
            return stage == 1 or prev == "distinct" or (stage == 0 and frame.opener in _FROM_INSIDE)
        if kw == "as":  # a column's name, a table's alias, CAST(x AS t), WITH x AS (
            return state.prev2.lower() != "as" and (  # not `x AS a AS b`
                stage == 1
                or (state.after_table and self._unaliased(state) and self._aliasable(state))
                or frame.opener == "cast"
                or (stage == 0 and frame.ctes)
            )
        if kw == "where":
            return stage == 2 and leaving_from
        if kw == "group":
            return (stage in (2, 3) and leaving_from) or (stage == 0 and prev == "within")
        if kw in ("having", "qualify"):
            return 2 <= stage <= 4 + (kw == "qualify") and leaving_from
        if kw == "order":  # (ORDER BY, LIMIT, UNION: only after a FROM, `SELECT 3 ORDER BY 3`)
            return (2 <= stage <= 5 and leaving_from) or (
                stage == 0 and frame.opener in _ORDER_INSIDE
            )
        if kw == "limit":
            return 2 <= stage <= 6 and leaving_from
        if kw == "window":  # a clause of named windows (`WINDOW w AS (...)`), after FROM ... HAVING
            return 2 <= stage <= 5 and leaving_from
        if kw == "offset":
            return stage == 7
        if kw == "over":  # a window follows a call: `SUM(x) OVER (...)`, not `x IS NULL OVER`
            return state.prev == ")"
        if kw == "by":
            return prev in ("group", "order", "partition")
        if kw in ("asc", "desc", "nulls"):  # only where things are ordered: `CHAR_LENGTH(x ASC)` is junk
            return stage == _CLAUSES["order"] or frame.ordering
        if kw in _SET_OPS:
            return stage >= 2 and leaving_from
        if kw in _COMPARING and (prev == "is" or (prev == "not" and state.prev2.lower() == "is")):
            return False  # `x IS NOT IN (`
        if kw in _COMPARING and frame.compared:
            return False  # `a > 4 BETWEEN ...`, `x IS 4 IS 5` (see _punctuation)
        if kw in ("left", "right") and next_char in (None, "("):
            if not state.operand:
                return True  # LEFT(text, n)
            if next_char == "(":
                return False  # `20 LEFT(`: a call right after an operand (LEFT JOIN: below)
        if kw in ("on", "using"):
            return stage == 2 and frame.join_open
        if kw in _FROM_WORDS:
            return stage == 2 and not frame.join_open
        if kw in ("when", "then", "else", "end"):
            return state.cases > 0
        return True

    # -- judging a word --------------------------------------------------------------------

    def _judge(
        self, state: LexState, word: str, next_char: str | None, quoted: bool = False
    ) -> bool:
        """Whether `word`, completed where `state` stands, is allowed (next_char None: any)."""
        if state.over:
            return not quoted and word.lower() == "over"
        if self._after_in(state):
            return False  # `x IN 5`, `NOT IN name`: IN takes a parenthesised list or subquery
        qualifier = state.qualifier
        if qualifier is not None:
            if (
                qualifier in self.qualifiers
                and qualifier not in state.aliases
                and qualifier not in self.tables
            ):
                return word in self.tables  # `main.orders`
            table = self._table_of(state, qualifier)
            if not self._may_qualify(state, qualifier) or (not quoted and word in self.quote_only):
                return False
            return word in (self.column_sets[table] if table else self.all_column_set)
        prev = state.prev.lower()
        wants = self._wants(state)
        if wants:
            return not quoted and word in wants
        if state.prev == "." and not word[0].isdigit():
            return False  # after a number's point (`4.zi`): its digits
        if word[0].isdigit():  # `3_x` is no number, `x 3` no expression, `FROM 4` no table
            return (
                word.isdigit()
                and self._number_ok(state, word, next_char not in (None, "."))
                and not state.operand
                and self._expression_position(state)
            )
        if self._names_new(state):
            return (
                next_char != "."
                and (quoted or word.lower() not in _RESERVED)
                and len(word) <= self._max_name(state)
                and word not in state.frames[-1].named  # `JOIN claims AS T3` twice
                and self._alias_fits(
                    state, word, self._table_of(state, state.prev2) if prev == "as" else None
                )
            )
        if self._table_position(state):
            if word in state.ctes:
                return True
            if word in self.tables and self._is_name(word, quoted):  # `FROM ORDER`: no table
                return self._table_fits(state, word)
            return next_char in (None, ".") and word in self.qualifiers
        if word in state.aliases:
            if word in state.pending and self._prev_table(state):  # `FROM customers c` defines c
                return self._alias_fits(state, word, state.prev)
            if state.depth and self._prev_table(state) and _SHORT_ALIAS.fullmatch(word):
                return word not in state.frames[-1].named  # defined again, in a subquery:
                # `... IN (SELECT i.x FROM item i` (once)
            if state.operand:
                return False
            if word in state.pending or state.aliases[word]:  # a table's alias qualifies a column
                return next_char in (None, ".")
            return True
        if word in self.known:
            return self._known_ok(state, word, next_char, quoted)
        if self._prev_table(state) and _SHORT_ALIAS.fullmatch(word):
            return word not in state.frames[-1].named and self._aliasable(state)
        return (
            next_char in (None, ".")
            and not state.operand
            and self._early_ok(state)
            and bool(_EARLY_ALIAS.fullmatch(word))
        )

    def _column_ref(self, word: str, next_char: str | None) -> bool:
        """Whether a vocabulary word stands for a column (not a table, nor a call: `COUNT(`)."""
        if word not in self.all_column_set or next_char == "(":
            return False
        if word in self.tables:  # a table that has a column so named: the column, unless `.`
            return next_char not in (None, ".")
        return next_char is not None or word.lower() not in _FUNCTIONS

    def _known_ok(self, state: LexState, word: str, next_char: str | None, quoted: bool) -> bool:
        """A vocabulary word (SQL word, function, table, column) in an expression or clause."""
        if state.over:
            return not quoted and word.lower() == "over"
        if next_char not in (None, "(") and word in self.functions:
            return False
        if not quoted and word in self.quote_only and next_char != "(":
            return False  # bare `createdAt` is another name in Postgres; `"createdAt"` is the column
        if not self._may_start(state, word, quoted):
            return False
        lower = word.lower()
        if state.operand and (quoted or lower not in _AFTER_OPERAND):
            return False  # two operands in a row: `SELECT a b`, `WHERE x = 1 name`, `x SOME`
        if state.operand and lower == "select" and state.prev != ")":
            return False
        if state.after_table and lower not in _AFTER_TABLE:
            return False  # `FROM t glob`, `JOIN t DISTINCT`
        if word in self.functions and len(state.frames) > MAX_DEPTH:
            return False  # its `(` would nest too deep
        if state.prev == "(" and state.frames[-1].opener == lower and next_char in (None, "("):
            return False  # a function called on its own result at once: `LENGTH(LENGTH(`
        call = next_char == "(" or word not in self.all_column_set  # (a column may be `Count`)
        if lower in _AGGREGATES and call and (self._in_aggregate(state) or self._row_by_row(state)):
            return False  # SUM(MAX(x)) is no SQL, nor `WHERE COUNT(*) > 2` or `GROUP BY SUM(x)`
        if (
            word in self.tables
            and word not in self.all_column_set
            and self._is_name(word, quoted)
            and next_char not in (None, ".")
        ):
            return False  # a table in an expression only qualifies a column: `orders.id`
        if not quoted and lower in _KEYWORDS:
            return self._clause_ok(state, lower, next_char)
        if self._column_ref(word, next_char):
            q = self._query(state)
            if q is not None and state.frames[q].stage >= 2:
                scope = self._scope(state, q)
                return scope is None or word in self._scope_columns(scope)
        return True

    def _finish_word(self, state: LexState, next_char: str, quoted: bool = False) -> None:
        word = state.word
        state.word = ""
        if not word:
            return
        was_table = state.after_table
        table_pos = self._table_position(state) or self._schema_qualified_table(state, word)
        state.ok = not state.typed and self._judge(state, word, next_char, quoted)
        state.over = False
        lower = word.lower()
        state.typed = (
            state.prev.lower() in _EXPR_AFTER
            and (lower in _LITERAL_TYPES or lower == "cast")  # `CAST(`, not `MAX(CAST)`
            and word not in self.names
            and not quoted
        )
        if state.ok:
            self._apply(state, word, next_char, quoted)
        state.after_table = next_char != "." and (  # `FROM orders`, `orders o`, `orders AS o`
            table_pos or (was_table and (lower == "as" or quoted or lower not in _KEYWORDS))
        )
        state.operand = next_char != "(" and (
            quoted
            or word[0].isdigit()
            or state.qualifier is not None
            or lower not in _KEYWORDS
            or self._is_name(word, quoted)
            or lower in _OPERAND_WORDS
        )
        state.qualifier = None
        state.prev2, state.prev = state.prev, word
        state.reserved = not quoted and lower in _RESERVED

    def _apply(self, state: LexState, word: str, next_char: str, quoted: bool) -> None:
        """What an accepted word changes: aliases, tables read, clauses, CASE depth."""
        qualifier = state.qualifier
        frame = state.frames[-1]
        prev = state.prev.lower()
        if word[0].isdigit():
            return
        if qualifier is not None:
            q = self._query(state)
            named_table = qualifier in self.tables and qualifier not in state.aliases
            if named_table and q is not None and state.frames[q].stage < 2:
                state.frames[q].qualified.add(qualifier)  # `SELECT orders.id`: no alias for orders
            if qualifier in state.pending:
                state.used.setdefault(qualifier, set()).add(word)
            elif self._schema_qualified_table(state, word):
                frame.tables.append(word)
            return
        if self._names_new(state):
            named = self._table_of(state, state.prev2) if prev == "as" else None
            self._define(state, word, named or "")
            frame.named.add(word)
            state.pending.discard(word)
            if prev != "as":
                state.ctes.add(word)  # `WITH name AS (`, `, name AS (`
            return
        if self._table_position(state):
            if word in state.ctes:
                frame.tables.append("")  # a CTE: its columns are not known here
            elif next_char != ".":  # (not `main` in `FROM main.orders`)
                frame.tables.append(word)
            return
        if word in state.aliases:
            if word in state.pending and self._prev_table(state):
                state.aliases[word] = state.prev
                state.pending.discard(word)
                frame.named.add(word)
            elif state.depth and self._prev_table(state):
                self._define(state, word, state.prev)
                frame.named.add(word)
        elif word in self.known:
            self._apply_known(state, word, next_char, quoted)
        elif self._prev_table(state) and _SHORT_ALIAS.fullmatch(word):
            state.aliases[word] = state.prev
            frame.named.add(word)
        else:  # used before its FROM defines it
            state.aliases[word] = ""
            state.pending.add(word)
            q = self._query(state)
            state.frames[-1 if q is None else q].early.add(word)

    @staticmethod
    def _define(state: LexState, alias: str, table: str) -> None:
        """`alias` names `table` (or a column, a CTE: ""); an alias defined again inside
        parentheses names its outer table again once they close."""
        old = state.aliases.get(alias)
        if old is not None and alias not in state.pending and state.depth:
            state.frames[-1].shadowed.setdefault(alias, old)
        state.aliases[alias] = table

    def _apply_known(self, state: LexState, word: str, next_char: str, quoted: bool) -> None:
        lower = word.lower()
        frame = state.frames[-1]
        if quoted or lower not in _KEYWORDS:
            q = self._query(state)
            if self._column_ref(word, next_char) and q is not None and state.frames[q].stage < 2:
                state.frames[q].loose.add(word)
            return
        if lower in _COMPARING:  # a comparison by word (_clause_ok refuses a second in a row)
            frame.compared = True
        elif lower not in _OPERAND_WORDS:  # AND, OR, WHEN, a clause: a new comparison may come
            frame.compared = False
        if lower == "between":
            frame.between = True
        elif lower == "and":
            frame.between = False
        if lower == "select":
            frame.stage, frame.items = 1, 1
        elif lower == "with":
            frame.ctes = True
        elif lower in _CLAUSES and frame.stage > 0:
            frame.stage = max(frame.stage, _CLAUSES[lower])  # (FROM in EXTRACT: no new clause)
        elif lower == "order":  # OVER (ORDER BY ...), WITHIN GROUP (ORDER BY ...)
            frame.ordering = True
        elif lower in _SET_OPS:
            state.frames[-1] = Frame()
        elif lower == "case":
            state.cases += 1
        elif lower == "end":
            state.cases -= 1
        elif lower == "natural":
            frame.natural = True
        elif lower == "join":
            state.bare_joins += 1  # `a CROSS JOIN b CROSS JOIN c ...`: junk (and slow to parse)
            state.ok = state.bare_joins <= MAX_BARE_JOINS
            frame.join_open = state.prev.lower() != "cross" and not frame.natural
            frame.joined, frame.natural = True, False
        elif lower in ("on", "using"):
            state.bare_joins = 0
            frame.join_open = False

    # -- characters ------------------------------------------------------------------------

    def feed(self, state: LexState, text: str) -> LexState:
        for ch in text:
            if not state.ok or state.mode == "end":  # after the closing fence nothing is SQL
                return state
            if state.mode == "'?":
                if ch == "'":  # `''`: a quote inside the string
                    self._string_char(state, ch)
                    continue
                self._string_end(state)
                if not state.ok:
                    return state
            if state.closed and state.mode != "`?" and not ch.isspace() and ch != "`":
                state.ok = False  # after `;` only the end
            elif state.mode == "-":
                state.mode = "" if ch == "\n" else "-"
            elif state.mode == "`?":  # ``: the closing fence; `x: a backtick-quoted name
                if ch == "`":
                    state.mode = "end"
                    state.ok = self.complete(state)
                    return state
                state.mode = "`"
                state.word = ch
                state.ok = not state.closed
            elif state.mode == "'":
                if ch == "'":
                    state.mode = "'?"  # the end, unless another quote follows
                else:
                    self._string_char(state, ch)
            elif state.mode:  # a quoted name: checked like a bare word
                if ch == state.mode:
                    state.mode = ""
                    state.ok = bool(state.word)  # "" names nothing
                    self._finish_word(state, "", quoted=True)
                else:
                    state.word += ch
            elif ch.isalnum() or ch == "_" or ch == "$":
                if state.word or _WORD_START.match(ch) or ch.isdigit():
                    state.word += ch
            else:
                self._after_word(state, ch)
        return state

    def _string_char(self, state: LexState, ch: str) -> None:
        state.mode = "'"
        state.literal += ch
        state.ok = self.literals is None or self.literals.ok(state.literal, False, state.compared)

    def _string_end(self, state: LexState) -> None:
        state.ok = self.literals is None or self.literals.ok(state.literal, True, state.compared)
        state.mode, state.literal, state.compared = "", "", ""
        state.operand = True
        state.prev2, state.prev = state.prev, "'"

    def _after_word(self, state: LexState, ch: str) -> None:
        numeric = state.word[:1].isdigit()
        if state.qualifier is not None and not state.word and ch not in '*"`':
            state.ok = False  # `T1.` must go on with a column (or `*`), not `T1. x`
            return
        if state.qualifier is not None and ch == "*":
            state.qualifier = None  # `T1.*`
        self._finish_word(state, ch)
        if state.over and not ch.isspace():
            state.ok = False  # `ROW_NUMBER(),`: OVER must follow
        if not state.ok or ch.isspace():
            return
        if self._after_in(state) and ch != "(":
            state.ok = False
            return
        prev = state.prev.lower()
        if prev in _TABLE_AFTER or prev in _FREE_AFTER:  # a name must come: `FROM (`, `AS "x"`
            state.ok = ch in '("`'
        elif prev in _EXPR_AFTER and ch not in "('\"`-":  # an expression must start
            state.ok = (
                (
                    ch == "*"
                    and (
                        prev in ("select", ",") or (prev == "(" and state.prev2.lower() == "count")
                    )
                )
                or (ch == ")" and state.prev == "(" and state.prev2.lower() in _NO_ARGS)
                or state.prev + ch in _OPERATOR_PAIRS
            )
        elif state.operand and ch in "('\"":
            state.ok = False  # an operand right after an operand: `x 'a'`, `x (`
        elif state.after_table:
            state.ok = ch in ",);`"  # `FROM orders =` is junk
        elif state.typed:
            # `DATE '2024-01-01'`, `date(x)`, `CAST(`; not `GROUP BY date` nor `CAST'1'`
            state.ok = ch in ("(" if state.prev.lower() == "cast" else "'(")
        state.after_table = state.typed = False
        if not state.ok:
            return
        state.operand = ch == ")"
        if ch == "'" or ch == '"':
            state.mode = ch
            if ch == "'" and state.prev == "=":
                state.compared = state.prev2
        elif ch == "`":
            state.mode = "`?"
        elif ch == "-" and state.prev == "-":
            state.mode = "-"
        elif ch == ".":
            if numeric:
                state.ok = state.prev2 != "." and (  # `4.5`, not `4.4.94`
                    self.literals is None or self.literals.number_ok(state.prev + ".", False)
                )
                state.prev2, state.prev = state.prev, ch
            elif state.prev[:1].isalpha() or state.prev[:1] == "_":
                state.qualifier = state.prev
            else:
                state.ok = False  # `).x`, `'a'.x`
        elif ch == "(":
            derived = self._table_position(state)
            if derived:
                state.frames[-1].tables.append("")  # a derived table: its columns are not known
            state.frames.append(Frame(opener=state.prev.lower(), derived=derived, cases=state.cases))
            state.ok = len(state.frames) - 1 <= MAX_DEPTH  # no runaway `f(f(f(`
            state.prev2, state.prev = state.prev, ch
        elif ch == ")":
            closing = len(state.frames) - 1
            stage = state.frames[closing].stage if closing > 0 else -1
            state.ok = (
                closing > 0  # no stray `)`, no subquery that reads no table, no CASE left open
                and (stage == 0 or (stage > 2 or self._from_done(state, closing)) and stage != 1)
                and state.frames[closing].cases == state.cases
            )
            if state.ok:
                popped = state.frames.pop()
                state.aliases.update(popped.shadowed)
                state.after_table = popped.derived
                state.over = popped.opener in _WINDOW_ONLY
            state.prev2, state.prev = state.prev, ch
        elif ch == ";":
            state.ok = self.complete(state)
            state.closed = True
        else:
            self._punctuation(state, ch)

    def _punctuation(self, state: LexState, ch: str) -> None:
        """An operator or a comma (the other characters are handled above)."""
        frame = state.frames[-1]
        if frame.stage == 1:
            frame.items += ch == ","
            frame.star = frame.star or ch == "*"
        if ch == ",":  # not in `ON a = b, c`, `WHERE x = 1, 2`, `HAVING ...,`, `BETWEEN 1, 2`,
            state.ok = not (  # nor `FROM a JOIN b ON ..., c` (comma and JOIN mixed)
                frame.stage == 2 and (frame.join_open or frame.joined)
                or frame.stage in (3, 5)
                or frame.between
                or frame.opener in _ONE_ARG
            )
            frame.compared = False
        elif state.prev2.lower() == "as" and ch != ")":
            state.ok = False  # `x AS name =`, `AS name -`: a name AS gives ends its item
        elif ch in "=<>!" and state.prev + ch not in _OPERATOR_PAIRS:  # a comparison starts:
            state.ok = not frame.compared  # not a second one in a row (`a < b < c`, `x = 'a' = 'b'`)
            state.ok = state.ok and not self._select_item(state)  # nor a SELECT item (`COUNT(*) < 3`)
            frame.compared = True
        elif ch in "+-*/%" and state.prev == "'" and state.prev2.lower() not in _LITERAL_TYPES:
            state.ok = False  # arithmetic on a string (`'claire' -0`); DATE '...' + ... may
        # `GROUP =`, `CROSS ,`: such a keyword's next word comes first
        state.ok = state.ok and ch in self.punctuation and not self._wants(state)
        state.prev2, state.prev = state.prev, ch

    # -- ending ----------------------------------------------------------------------------

    def complete(self, state: LexState) -> bool:
        """Whether the query written so far is whole: a SELECT that reads a table, every
        parenthesis, CASE and alias closed, nothing dangling, its columns in scope."""
        return (
            state.ok
            and len(state.frames) == 1
            and state.frames[0].stage >= 2  # it reads a table
            and not state.pending
            and state.cases == 0
            and not state.word
            and not state.typed
            and not state.over
            and state.qualifier is None
            and (
                state.prev.lower() not in _OPEN_ENDED
                or self._prev_name(state)
                or state.prev in state.aliases
            )
            and (state.frames[0].stage != 2 or self._from_done(state, 0))
            and self._covered(state, 0)
        )

    def can_end(self, state: LexState) -> bool:
        """Whether the SQL may stop here: every word complete and allowed, the query whole."""
        if state.mode == "end":
            return state.ok
        done = self.feed(state.copy(), "\n")
        return done.ok and done.mode in ("", "-") and self.complete(done)

    def partial_ok(self, state: LexState) -> bool:
        """Whether the word in progress can still become an allowed word (after a quote in a
        string: whether the string may end there, or go on after `''`)."""
        if state.mode == "'?" and self.literals is not None:
            text, column = state.literal, state.compared
            return state.ok and (
                self.literals.ok(text, True, column) or self.literals.ok(text + "'", False, column)
            )
        return state.ok and self.part_ok(state, state.word)

    def part_ok(self, state: LexState, part: str) -> bool:
        """Whether `part`, typed as the word in progress in `state`, can still become allowed."""
        if state.mode in ("'", "'?", "-", "`?", "end") or not part:
            return True
        if state.typed:  # after `WHERE d > DATE` a string or `(`, no word
            return False
        if part[0].isdigit():
            return (
                state.qualifier is None
                and part.isdigit()
                and self._number_ok(state, part)
                and not state.operand
                and self._expression_position(state)
                and not self.text_compared(state)
            )
        quoted = state.mode != ""
        if state.prev == "." and state.qualifier is None:
            return False  # after a number's point only digits (above)
        if state.qualifier is not None:
            q = state.qualifier
            if q in self.qualifiers and q not in state.aliases and q not in self.tables:
                return self._can_spell(self.sorted_tables, part, quoted)
            table = self._table_of(state, q)
            if not self._may_qualify(state, q):
                return False
            return self._can_spell(self.columns[table] if table else self.all_columns, part, quoted)
        wants = self._wants(state)
        if wants:
            return not quoted and _has_prefix(wants, part)
        if self._names_new(state):
            return len(part) <= self._max_name(state)
        if self._table_position(state):
            return (
                any(c.startswith(part) for c in state.ctes)
                or any(self._table_fits(state, t) for t in self._spelled(self.sorted_tables, part, quoted))
                or self._can_spell(self.qualifiers, part, quoted)
            )
        if not quoted and self._prev_table(state) and _SHORT_ALIAS.fullmatch(part):
            return True  # `FROM orders o`
        if self._prev_table(state) and any(a.startswith(part) for a in state.pending):
            return True  # `FROM customers c` defines c
        if state.operand:  # after an operand only a keyword
            return (
                not quoted
                and _has_prefix(self.keyword_words, part)
                and self._completes(state, part)
            )
        if not quoted and _EARLY_ALIAS.fullmatch(part) and self._early_ok(state):
            return True  # may be an alias used before its FROM (`T1.`): a `.` must follow
        if any(a.startswith(part) for a in state.aliases):
            return True
        return self._completes(state, part)

    def _spelled(self, words: list[str], part: str, quoted: bool) -> Iterable[str]:
        """The words of sorted `words` that start with `part` and can be written as typed: bare
        or quoted (a bare `Unit` never becomes "Unit Price")."""
        found = _with_prefix(words, part)
        if quoted or not self.quote_only:
            return found
        return (w for w in found if w not in self.quote_only)

    def _can_spell(self, words: list[str], part: str, quoted: bool) -> bool:
        return next(iter(self._spelled(words, part, quoted)), None) is not None

    def text_compared(self, state: LexState) -> bool:
        """`region = 0` where region holds only strings: a number cannot be the other side."""
        return (
            self.literals is not None
            and state.prev == "="
            and state.prev2 in self.literals.textual
        )

    def _completes(self, state: LexState, part: str) -> bool:
        """Some vocabulary word starting with `part` is allowed here."""
        quoted = state.mode != ""
        return any(self._known_ok(state, w, None, quoted) for w in self._spelled(self.words, part, quoted))


def sql_region(text: str) -> str | None:
    """The SQL being written at the end of `text`, or None where nothing should be constrained."""
    fence = text.find("```")
    if fence >= 0:
        newline = text.find("\n", fence)
        if newline < 0:
            return None  # still on the fence line (```sql)
        body = text[newline + 1 :]
        return None if "```" in body else body
    stripped = text.lstrip()
    if (
        re.match(r"(?i)(select|with)\b", stripped)
        and ";" not in stripped
        and "\n\n" not in stripped
    ):
        return stripped
    return None


class SchemaConstraint:
    """The logits hook. Build it once per question; it is called once per generated token."""

    def __init__(
        self,
        schema: Schema,
        tokenizer: Decoder,
        dialect: str,
        top_k: int = 64,
        prefix: str = "",
        question: str | None = None,
    ):
        self.prefix = prefix  # answer text already there before the generated ids (a prefill)
        literals = Literals(question, schema) if question is not None else None
        self.linked: list[str] = []  # lower-cased names the question links to (sql/linking.py)
        self.link_weight: dict[str, float] = {}
        if question is not None:
            from arctic_cli.sql.linking import link

            links = link(question, schema)
            # every linked table alike; columns by how many question words name them
            top = max(links.columns.values(), default=1.0)
            weights = {_plain(n).lower(): 1.0 for n in links.tables}
            for name, score in links.columns.items():
                key = _plain(name).lower()
                weights[key] = max(weights.get(key, 0.0), score / top)
            self.link_weight = weights
            self.linked = sorted(weights)
        self.checker = Checker(vocabulary(schema), dialect, literals)
        self.tokenizer = tokenizer
        self.stop_ids: frozenset[int] | None = getattr(tokenizer, "stop_ids", None)
        self.top_k = top_k
        self._pieces: dict[int, str] = {}
        self.calls = 0
        self.masked = 0  # steps where the most likely token was not allowed
        # times the model wanted to stop and was kept going, along each answer's path (keyed by
        # its ids: beam search asks about several answers at once)
        self._refused_ends: dict[tuple[int, ...], int] = {}

    def piece(self, token_id: int) -> str:
        text = self._pieces.get(token_id)
        if text is None:
            text = self._pieces[token_id] = self.tokenizer.decode([token_id])
        return text

    def allowed(self, state: LexState, token_id: int, finished: LexState | None = None) -> bool:
        """Whether the SQL in `state` may go on with this token.

        `finished` is `state` after a space (its word in progress completed): a token that is
        only (space +) word characters is then checked by one prefix lookup, without feeding.
        """
        piece = self.piece(token_id)
        if not piece:  # a special token: only a stop token, and only where the SQL may end
            return self._is_stop(token_id) and self.checker.can_end(state)
        if piece.isspace() and state.mode == "" and self.checker.text_compared(state):
            return False  # `status =` + ` ` leads only to a digit (` 0` is ` ` + `0`); ` '` is one token
        return self._text_ok(state, piece, finished)

    def _text_ok(self, state: LexState, text: str, finished: LexState | None) -> bool:
        """Whether the SQL in `state` may go on with `text` (see `allowed` for `finished`)."""
        if finished is not None and state.mode == "":
            m = _SIMPLE.fullmatch(text)
            if m:
                if not m.group(1):  # continues the word in progress (or starts one after `(`, `.`)
                    return self._fresh_ok(state, state.word + m.group(2))
                return finished.ok and self._fresh_ok(finished, m.group(2))
        return self.checker.partial_ok(self.checker.feed(state.copy(), text))

    def _viable(self, state: LexState, ids: list[int], finished: LexState) -> list[int]:
        """`ids` less those whose first characters (the first two after a space) already break
        the SQL: a wide scan checks only what can still be allowed. Exact, because a text the
        checker refuses stays refused whatever follows it."""
        verdict: dict[str, bool] = {}
        out = []
        for i in ids:
            piece = self.piece(i)
            if not piece:
                out.append(i)  # a special token: `allowed` decides
                continue
            head = piece[:2] if piece[0] == " " else piece[0]
            ok = verdict.get(head)
            if ok is None:
                ok = verdict[head] = self._text_ok(state, head, finished)
            if ok:
                out.append(i)
        return out

    def _is_stop(self, token_id: int) -> bool:
        return self.stop_ids is None or token_id in self.stop_ids

    def _is_end(self, token_id: int) -> bool:
        """A stop token or a piece of the closing fence."""
        piece = self.piece(token_id)
        return "`" in piece if piece else self._is_stop(token_id)

    def _fresh_ok(self, state: LexState, part: str) -> bool:
        if part[0].isdigit() or _WORD_START.match(part):
            return self.checker.part_ok(state, part)
        return self.checker.partial_ok(self.checker.feed(state.copy(), part))  # `$x`: the slow way

    def _stop(self, logits: Any) -> Any:
        """Only the stop tokens (junk grown to max_tokens costs seconds and repairs nothing)."""
        if not self.stop_ids:
            return logits
        return self._only(logits, sorted(self.stop_ids))

    def __call__(self, generated_ids: list[int], logits: Any) -> Any:
        import torch

        self.calls += 1
        if not generated_ids:  # a new answer (a repair attempt, another sample)
            self._refused_ends.clear()
        path = tuple(generated_ids)
        refused = self._refused_ends.get(path[:-1], 0) if path else 0
        text = self.prefix + self.tokenizer.decode(generated_ids)
        region = sql_region(text)
        if region is None:
            fence = text.find("```")
            if fence >= 0 and "\n" not in text[fence:] and self.stop_ids:
                logits[sorted(self.stop_ids)] = float("-inf")  # an opened fence goes on to its query
            return logits
        state = self.checker.feed(LexState(), region)
        if not state.ok:
            return self._stop(logits)  # already off the rails: stop, validation reports it
        finished = self.checker.feed(state.copy(), " ")
        vocab = logits.shape[-1]
        keep: list[int] = []
        seen = 0
        for k in (self.top_k, self.top_k * 16, vocab):  # widen only when nothing likely is allowed
            k = min(k, vocab)
            candidates = torch.topk(logits, k).indices.tolist()
            wider = candidates[seen:] if seen == 0 else self._viable(state, candidates[seen:], finished)
            keep = [i for i in wider if self.allowed(state, i, finished)]
            seen = k
            if keep or k == vocab:
                break
        if not keep:
            return self._stop(logits)  # no token can continue the SQL: stop, as above
        if keep[0] != candidates[0] and self._is_end(candidates[0]):
            refused += 1
            if refused > MAX_REFUSED_ENDS:  # stuck: let it stop, validation reports it
                ends = [i for i in candidates if self._is_end(i)]  # (only stop: free logits
                return self._only(logits, ends) if ends else self._stop(logits)  # grew `SELECT 'x'`)
        if refused:  # (a path missing from the dict has refused nothing)
            self._refused_ends[path] = refused
        if keep[0] != candidates[0]:
            self.masked += 1  # the model's favourite was outside the schema
        out = self._only(logits, keep)
        if self.linked and state.mode == "":  # outside strings and quoted names
            for i in keep:
                weight = self._link(state, finished, i)
                if weight:
                    out[i] += LINK_BONUS * weight
        return out

    def _link(self, state: LexState, finished: LexState, token_id: int) -> float:
        """How strongly the question links the name this token starts or goes on spelling."""
        m = _SIMPLE.fullmatch(self.piece(token_id))
        if not m:
            return 0.0
        where = finished if m.group(1) else state  # a leading space ends the word in progress
        if self.checker._names_new(where) or (not where.word and where.after_table):
            return 0.0  # an alias is being named, not a table or column
        word = (m.group(2) if m.group(1) else state.word + m.group(2)).lower()
        if len(word) < 2 or _has_prefix(_SQL_WORDS, word):
            return 0.0
        return max((self.link_weight[n] for n in _with_prefix(self.linked, word)), default=0.0)

    @staticmethod
    def _only(logits: Any, ids: list[int]) -> Any:
        import torch

        out = torch.full_like(logits, float("-inf"))
        index = torch.tensor(ids, dtype=torch.long, device=logits.device)
        out[index] = logits[index]
        return out


def for_backend(
    backend: Any, schema: Schema, dialect: str, question: str | None = None
) -> SchemaConstraint | None:
    """A constraint for backends that run the model locally (they expose a tokenizer); with a
    `question`, string literals and numbers must come from it or from the schema's listed values
    (numbers: or be a common constant)."""
    tokenizer = getattr(backend, "tokenizer", None)
    if not getattr(backend, "supports_constraints", False) or tokenizer is None:
        return None
    if question is not None:
        from arctic_cli.sql.schema import read_values

        read_values(schema)  # the literals a `--db` query may quote
    return SchemaConstraint(schema, tokenizer, dialect, question=question)
