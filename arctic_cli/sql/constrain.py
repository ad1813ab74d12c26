"""Schema-constrained decoding: a logits hook that keeps the model's identifiers inside the schema.

The local engine calls `hook(generated_ids, logits) -> logits` before choosing each token. Inside
the SQL part of the answer (after a ```sql fence, or from a leading SELECT/WITH), every word the
model writes must fit the schema where it stands (see `Checker`: tables after FROM/JOIN, the
qualified table's columns after `alias.`, new aliases after AS/WITH or a table, SQL words and
the schema's names elsewhere). Names must be spelled as the schema spells them and SQL words in
upper or lower case, so a confused model cannot wander into `AcCounTs`; functions come from a
list of common portable ones (pass --no-constrain to let a strong model use dialect-only ones).
String literals and comments are left alone; quoted identifiers are checked like bare words.
The `top_k` most likely tokens are checked first (a full vocabulary scan in Python costs more than
a decode step), so inside SQL sampling is also cut to those `top_k`; only when none of them is
allowed are the next 16x, then the whole vocabulary, scanned. When no token at all can continue,
the logits pass unchanged and validation + repair catch the mistake.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    second qualify escape collate""".split()  # noqa: SIM905
)
# Functions must be called (`(` follows). Common, portable ones only: aggregates, windows,
# strings, dates, numbers, conditionals.
_FUNCTIONS = frozenset(
    """count sum avg min max total group_concat string_agg listagg array_agg median stddev variance
    row_number rank dense_rank ntile lag lead first_value last_value
    coalesce ifnull nullif iif if iff greatest least abs round floor ceil ceiling sign mod power
    sqrt exp ln log length char_length lower upper trim ltrim rtrim substr substring replace instr
    concat printf format strftime julianday date_trunc date_part extract to_date to_char dateadd
    datediff date_diff date_add now current_date current_timestamp unixepoch typeof""".split()  # noqa: SIM905
)
MAX_DEPTH = 8  # parentheses a generated query may nest
MAX_BARE_JOINS = 3  # JOINs in a row without ON/USING
# When the model keeps asking to stop where the query is incomplete, forcing it on only grows
# junk up to max_tokens: after this many refusals it may stop and validation reports the rest.
MAX_REFUSED_ENDS = 4
# Where an expression starts (after these words or characters) only these keywords may begin it
# (besides names, functions, numbers and strings): `SELECT preceding` or `WHERE collate` is junk.
_EXPR_AFTER = frozenset(
    "select where and or on by having when then else , ( = < > ! + - / % | between like".split()  # noqa: SIM905
)
_EXPR_KEYWORDS = frozenset(
    """distinct not case exists null true false cast all any some select with interval date time
    timestamp current_date current_time current_timestamp unbounded current partition order rows
    range year month day hour minute second""".split()  # noqa: SIM905
)
_AGGREGATES = frozenset(
    "count sum avg min max total group_concat string_agg listagg array_agg".split()  # noqa: SIM905
)
_DISTINCT = ["DISTINCT", "distinct"]
_PUNCTUATION = frozenset("(),.*=<>!+-/%|;'\"`")  # outside strings, besides letters, digits, spaces
_FREE_AFTER = frozenset({"as", "with"})  # the next word names something new
_TABLE_AFTER = frozenset({"from", "join"})  # the next word is a table (or a CTE)
# `o`, `c1`, `T12`: implicit aliases right after a table
_SHORT_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,2}|[Tt]\d+")
_EARLY_ALIAS = re.compile(r"[A-Za-z]{1,2}\d*")  # `T1.`, `pl.` before `FROM t AS T1`
_SIMPLE = re.compile(r"(\s*)([A-Za-z0-9_$]+)")  # a token that is (space +) one word piece


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


def vocabulary(schema: Schema) -> Vocabulary:
    """The words a query on `schema` may use (names as the schema spells them)."""
    keywords = {w for k in _KEYWORDS for w in _spellings(k)}
    functions = {w for f in _FUNCTIONS for w in _spellings(f)}
    tables: set[str] = set()
    columns: dict[str, set[str]] = {}
    qualifiers = {"main", "MAIN"}
    for table in schema.tables:
        name = _plain(table.name)
        tables.add(name)
        if table.db:
            qualifiers.add(_plain(table.db))
        columns.setdefault(name, set()).update(_plain(c.name) for c in table.columns)
    names = tables | qualifiers | {c for cols in columns.values() for c in cols}
    return Vocabulary(
        sorted(keywords | functions | names),
        tables,
        {t: sorted(c) for t, c in columns.items()},
        sorted(qualifiers),
        functions - keywords - names,
    )


@dataclass
class LexState:
    """Where a SQL text stands: inside a string/quoted name/comment, the word being typed, context."""

    # "" | "'" | '"' | "`" (quoted name) | "`?" (a backtick) | "-" (comment) | "end" (```)
    mode: str = ""
    word: str = ""  # the word in progress, as typed
    prev: str = ""  # the last complete word or punctuation character
    prev2: str = ""  # the one before it (`orders AS o`: o names orders)
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> its table ("" if not a table)
    qualifier: str | None = None  # the word before a `.` while the word after it is typed
    depth: int = 0  # open parentheses
    pending: set[str] = field(default_factory=set)  # aliases used (`T1.`) but not yet defined
    bare_joins: int = 0  # JOINs since the last ON/USING
    seen_from: bool = False  # a FROM was written (before it, `name.` may be an alias made later)
    ok: bool = True  # False once a word broke the rules

    def copy(self) -> LexState:
        return replace(self, aliases=dict(self.aliases), pending=set(self.pending))


def _has_prefix(words: list[str], part: str) -> bool:
    i = bisect.bisect_left(words, part)
    return i < len(words) and words[i].startswith(part)


class Checker:
    """Feeds text to a `LexState`, checking each word against the schema.

    Rules: after FROM/JOIN comes a table (or a CTE); after `x.` comes a column of x's table
    when x is a known table or alias, else a column of some table; after AS or WITH any name
    is a new alias; right after a table a short word (`o`, `t1`) is its alias; a word followed
    by `.` may be an alias defined later (`SELECT T1.name FROM customers AS T1`); a function
    must be called; everything else must be an SQL word, a table, a column or an alias made.
    Parentheses stay balanced and at most MAX_DEPTH deep.
    """

    def __init__(self, vocab: Vocabulary, dialect: str = ""):
        self.punctuation = _PUNCTUATION | (
            {":"} if dialect in ("postgres", "duckdb", "snowflake", "redshift") else set()
        )  # `::` casts
        self.words = vocab.words
        self.known = set(vocab.words)
        self.tables = vocab.tables
        self.columns = vocab.columns
        self.all_columns = sorted({c for cols in vocab.columns.values() for c in cols})
        self.sorted_tables = sorted(vocab.tables)
        self.qualifiers = vocab.qualifiers
        self.functions = vocab.functions
        self.names = vocab.tables | set(self.all_columns) | set(vocab.qualifiers)
        starters = {w for k in _EXPR_KEYWORDS - {"distinct"} for w in _spellings(k)}
        self.expr_words = sorted(  # what may start an expression (DISTINCT: see _may_start)
            w for w in vocab.words if w in self.names or w in starters or w.lower() not in _KEYWORDS
        )

    def _table_of(self, state: LexState, name: str) -> str | None:
        if name in state.aliases:
            return state.aliases[name] or None
        return name if name in self.tables else None

    def _may_start(self, state: LexState, word: str) -> bool:
        """A keyword where an expression starts must be one that can start it."""
        lower = word.lower()
        if state.prev.lower() not in _EXPR_AFTER or lower not in _KEYWORDS or word in self.names:
            return True
        if lower == "distinct":  # SELECT DISTINCT, COUNT(DISTINCT x), not sign(DISTINCT
            return state.prev.lower() == "select" or (
                state.prev == "(" and state.prev2.lower() in _AGGREGATES
            )
        return lower in _EXPR_KEYWORDS

    def _finish_word(self, state: LexState, next_char: str) -> None:
        word = state.word
        state.word = ""
        if not word:
            return
        qualifier, state.qualifier = state.qualifier, None
        prev = state.prev.lower()
        if word[0].isdigit():
            state.ok = qualifier is None  # `T1.4` is no column
        elif qualifier is not None:
            table = self._table_of(state, qualifier)
            if table:
                state.ok = word in self.columns[table]
            else:  # an alias not defined yet, or a CTE's / subquery's output column
                state.ok = word in self.all_columns
        elif prev in _FREE_AFTER:
            named = self._table_of(state, state.prev2) if prev == "as" else None
            state.aliases[word] = named or ""
            state.pending.discard(word)
        elif prev in _TABLE_AFTER:
            state.ok = (
                word in self.tables
                or word in state.aliases
                or (next_char == "." and word in self.qualifiers)
            )
        elif word in state.aliases:
            if word in state.pending and state.prev in self.tables:  # `FROM customers c` defines c
                state.aliases[word] = state.prev
                state.pending.discard(word)
        elif word in self.known:
            state.ok = (next_char == "(" or word not in self.functions) and self._may_start(
                state, word
            )
        elif state.prev in self.tables and _SHORT_ALIAS.fullmatch(word):
            state.aliases[word] = state.prev
        elif next_char == "." and (not state.seen_from or _EARLY_ALIAS.fullmatch(word)):
            state.aliases[word] = ""  # used before its FROM defines it
            state.pending.add(word)
        else:
            state.ok = False
        lower = word.lower()
        if lower == "from":
            state.seen_from = True
        elif lower == "join":
            state.bare_joins += 1  # `a JOIN b JOIN c ...` with no ON: junk (and slow to parse)
            state.ok = state.ok and state.bare_joins <= MAX_BARE_JOINS
        elif lower in ("on", "using"):
            state.bare_joins = 0
        state.prev2, state.prev = state.prev, word

    def feed(self, state: LexState, text: str) -> LexState:
        for ch in text:
            if not state.ok or state.mode == "end":  # after the closing fence nothing is SQL
                return state
            if state.mode == "-":
                state.mode = "" if ch == "\n" else "-"
            elif state.mode == "`?":  # ``: the closing fence; `x: a backtick-quoted name
                if ch == "`":
                    state.mode = "end"
                    state.ok = state.depth == 0 and not state.pending
                    return state
                state.mode = "`"
                state.word = ch
            elif state.mode == "'":
                if ch == "'":
                    state.mode = ""
                    state.prev2, state.prev = state.prev, "'"
            elif state.mode:  # a quoted name: checked like a bare word
                if ch == state.mode:
                    state.mode = ""
                    state.ok = bool(state.word)  # "" names nothing
                    self._finish_word(state, "")
                else:
                    state.word += ch
            elif ch.isalnum() or ch == "_" or ch == "$":
                if state.word or _WORD_START.match(ch) or ch.isdigit():
                    state.word += ch
            else:
                self._after_word(state, ch)
        return state

    def _after_word(self, state: LexState, ch: str) -> None:
        numeric = state.word[:1].isdigit()
        self._finish_word(state, ch)
        if not state.ok:
            return
        if ch == "'":
            state.mode = ch
            state.ok = state.prev.lower() not in _TABLE_AFTER  # FROM 'text' is no table
        elif ch == '"':
            state.mode = ch
        elif ch == "`":
            state.mode = "`?"
        elif ch == "-" and state.prev == "-":
            state.mode = "-"
        elif ch == "." and not numeric and (state.prev[:1].isalpha() or state.prev[:1] == "_"):
            state.qualifier = state.prev
        elif ch == "(" or ch == ")":
            state.depth += 1 if ch == "(" else -1
            state.ok = 0 <= state.depth <= MAX_DEPTH  # no stray `)`, no runaway `f(f(f(`
            state.qualifier = None
            state.prev2, state.prev = state.prev, ch
        elif not ch.isspace():
            state.ok = ch in self.punctuation
            state.qualifier = None
            state.prev2, state.prev = state.prev, ch

    def can_end(self, state: LexState) -> bool:
        """Whether the SQL may stop here: every word complete and allowed, parentheses closed."""
        if state.mode == "end":
            return state.ok and not state.pending
        done = self.feed(state.copy(), "\n")
        return done.ok and done.mode in ("", "-") and done.depth == 0 and not done.pending

    def partial_ok(self, state: LexState) -> bool:
        """Whether the word in progress can still become an allowed word."""
        return state.ok and self.part_ok(state, state.word)

    def part_ok(self, state: LexState, part: str) -> bool:
        """Whether `part`, typed as the word in progress in `state`, can still become allowed."""
        if state.mode in ("'", "-", "`?", "end") or not part or part[0].isdigit():
            return True
        prev = state.prev.lower()
        if prev in _FREE_AFTER:
            return True
        if state.qualifier is not None:
            table = self._table_of(state, state.qualifier)
            if table:
                return _has_prefix(self.columns[table], part)
            return _has_prefix(self.all_columns, part)
        aliases = any(a.startswith(part) for a in state.aliases)
        if prev in _TABLE_AFTER:
            return (
                aliases
                or _has_prefix(self.sorted_tables, part)
                or _has_prefix(self.qualifiers, part)
            )
        if state.mode == "" and state.prev in self.tables and _SHORT_ALIAS.fullmatch(part):
            return True  # `FROM orders o`
        if state.mode == "" and _EARLY_ALIAS.fullmatch(part):
            return True  # may be an alias used before its FROM (`T1.`): a `.` must follow
        if aliases or not _has_prefix(self.words, part):
            return aliases
        if prev in _EXPR_AFTER:  # only what may start an expression here
            return _has_prefix(self.expr_words, part) or (
                _has_prefix(_DISTINCT, part) and self._may_start(state, "distinct")
            )
        return True


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
        self, schema: Schema, tokenizer: Decoder, dialect: str, top_k: int = 64, prefix: str = ""
    ):
        self.prefix = prefix  # answer text already there before the generated ids (a prefill)
        self.checker = Checker(vocabulary(schema), dialect)
        self.tokenizer = tokenizer
        self.stop_ids: frozenset[int] | None = getattr(tokenizer, "stop_ids", None)
        self.top_k = top_k
        self._pieces: dict[int, str] = {}
        self.calls = 0
        self.masked = 0  # steps where the most likely token was not allowed
        self._refused_ends = 0  # this answer: times the model wanted to stop and was kept going
        self._last_len = -1

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
        if finished is not None and state.mode == "":
            m = _SIMPLE.fullmatch(piece)
            if m:
                if not m.group(1):  # continues the word in progress (or starts one after `(`, `.`)
                    return self._fresh_ok(state, state.word + m.group(2))
                return finished.ok and self._fresh_ok(finished, m.group(2))
        after = self.checker.feed(state.copy(), piece)
        return self.checker.partial_ok(after)

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

    def __call__(self, generated_ids: list[int], logits: Any) -> Any:
        import torch

        self.calls += 1
        if len(generated_ids) <= self._last_len:  # a new answer (a repair attempt)
            self._refused_ends = 0
        self._last_len = len(generated_ids)
        region = sql_region(self.prefix + self.tokenizer.decode(generated_ids))
        if region is None:
            return logits
        state = self.checker.feed(LexState(), region)
        if not state.ok:
            return logits  # already off the rails: leave it to validation
        finished = self.checker.feed(state.copy(), " ")
        vocab = logits.shape[-1]
        keep: list[int] = []
        seen = 0
        for k in (self.top_k, self.top_k * 16, vocab):  # widen only when nothing likely is allowed
            k = min(k, vocab)
            candidates = torch.topk(logits, k).indices.tolist()
            keep = [i for i in candidates[seen:] if self.allowed(state, i, finished)]
            seen = k
            if keep or k == vocab:
                break
        if not keep:
            return logits  # no token at all can continue the SQL: leave it to validation
        if keep[0] != candidates[0] and self._is_end(candidates[0]):
            self._refused_ends += 1
            if self._refused_ends > MAX_REFUSED_ENDS:  # stuck: let it stop, validation reports it
                return logits
        if keep[0] != candidates[0]:
            self.masked += 1  # the model's favourite was outside the schema
        out = torch.full_like(logits, float("-inf"))
        index = torch.tensor(keep, dtype=torch.long, device=logits.device)
        out[index] = logits[index]
        return out


def for_backend(backend: Any, schema: Schema, dialect: str) -> SchemaConstraint | None:
    """A constraint for backends that run the model locally (they expose a tokenizer)."""
    tokenizer = getattr(backend, "tokenizer", None)
    if not getattr(backend, "supports_constraints", False) or tokenizer is None:
        return None
    return SchemaConstraint(schema, tokenizer, dialect)
