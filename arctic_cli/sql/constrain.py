"""Schema-constrained decoding: a logits hook that keeps the model's identifiers inside the schema.

The local engine calls `hook(generated_ids, logits) -> logits` before choosing each token. Inside
the SQL part of the answer (after a ```sql fence, or from a leading SELECT/WITH), every word the
model writes must be a table, column or schema name, an SQL keyword or function, a number, or an
alias it introduced (any word right after AS, WITH or a table name is taken as a new alias).
String literals, quoted identifiers and comments are left alone. Only the `top_k` most likely
tokens are checked (a full vocabulary scan in Python would cost more than a decode step), so
inside SQL sampling is also cut to those `top_k`; when none of them is allowed the logits pass
unchanged and validation + repair catch the mistake.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from arctic_cli.sql.schema import Schema

_WORD_START = re.compile(r"[A-Za-z_]")
_EXTRA = [
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "like",
    "between",
    "by",
    "on",
    "as",
    "join",
    "left",
    "right",
    "inner",
    "outer",
    "cross",
    "full",
    "group",
    "order",
    "having",
    "limit",
    "offset",
    "distinct",
    "case",
    "when",
    "then",
    "else",
    "end",
    "union",
    "all",
    "except",
    "intersect",
    "exists",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "over",
    "partition",
    "filter",
    "true",
    "false",
    "main",
    "with",
    "recursive",
    "cast",
    "integer",
    "int",
    "real",
    "text",
    "date",
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "julianday",
    "printf",
    "instr",
    "trim",
    "abs",
    "typeof",
    "datetime",
    "time",
]
_FREE_AFTER = frozenset({"as", "with"})  # the next word names something new


class Decoder(Protocol):
    def decode(self, ids: Iterable[int]) -> str: ...


def _plain(name: str) -> str:
    return name.strip('"`[]').lower()


def vocabulary(schema: Schema, dialect: str) -> tuple[list[str], set[str]]:
    """(every allowed word, sorted, lower case; the table names) for `schema` in `dialect`."""
    from sqlglot.dialects.dialect import Dialect

    d = Dialect.get_or_raise(dialect)
    words = {k.lower() for k in d.tokenizer_class.KEYWORDS if re.fullmatch(r"[A-Za-z_]+", k)}
    words |= {k.lower() for k in d.parser_class.FUNCTIONS if re.fullmatch(r"[A-Za-z_0-9]+", k)}
    words |= set(_EXTRA)
    tables: set[str] = set()
    for table in schema.tables:
        tables.add(_plain(table.name))
        if table.db:
            words.add(_plain(table.db))
        words |= {_plain(c.name) for c in table.columns}
    words |= tables
    return sorted(words), tables


@dataclass
class LexState:
    """Where a SQL text stands: inside a string/quoted name/comment, the word being typed, context."""

    mode: str = ""  # "" | "'" | '"' | "-" (line comment)
    word: str = ""  # the word in progress (lower case)
    prev: str = ""  # the last complete word or punctuation character
    aliases: set[str] = field(default_factory=set)
    ok: bool = True  # False once a word broke the rules


class Checker:
    """Feeds text to a `LexState`, checking each word against the allowed vocabulary."""

    def __init__(self, words: list[str], tables: set[str]):
        self.words = words
        self.known = set(words)
        self.tables = tables

    def _free(self, state: LexState) -> bool:
        return state.prev in _FREE_AFTER or state.prev in self.tables

    def _is_prefix(self, part: str) -> bool:
        i = bisect.bisect_left(self.words, part)
        return i < len(self.words) and self.words[i].startswith(part)

    def _finish_word(self, state: LexState) -> None:
        word = state.word
        state.word = ""
        if not word:
            return
        if word[0].isdigit() or word in self.known or word in state.aliases:
            pass
        elif self._free(state):
            state.aliases.add(word)
        else:
            state.ok = False
        state.prev = word

    def feed(self, state: LexState, text: str) -> LexState:
        for ch in text:
            if not state.ok:
                return state
            if state.mode == "-":
                state.mode = "" if ch == "\n" else "-"
            elif state.mode:
                if ch == state.mode:
                    state.mode = ""
                    state.prev = "name"
            elif ch.isalnum() or ch == "_" or ch == "$":
                if state.word or _WORD_START.match(ch) or ch.isdigit():
                    state.word += ch.lower()
            else:
                self._finish_word(state)
                if ch in ("'", '"', "`"):
                    state.mode = ch
                elif ch == "-" and state.prev == "-":
                    state.mode = "-"
                elif not ch.isspace():
                    state.prev = ch
        return state

    def partial_ok(self, state: LexState) -> bool:
        """Whether the word in progress can still become an allowed word."""
        if not state.ok:
            return False
        part = state.word
        if not part or state.mode or part[0].isdigit() or self._free(state):
            return True
        return self._is_prefix(part) or any(a.startswith(part) for a in state.aliases)


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
        words, tables = vocabulary(schema, dialect)
        self.prefix = prefix  # answer text already there before the generated ids (a prefill)
        self.checker = Checker(words, tables)
        self.tokenizer = tokenizer
        self.stop_ids: frozenset[int] | None = getattr(tokenizer, "stop_ids", None)
        self.top_k = top_k
        self._pieces: dict[int, str] = {}
        self.calls = 0
        self.masked = 0  # steps where the most likely token was not allowed

    def piece(self, token_id: int) -> str:
        text = self._pieces.get(token_id)
        if text is None:
            text = self._pieces[token_id] = self.tokenizer.decode([token_id])
        return text

    def allowed(self, state: LexState, token_id: int) -> bool:
        piece = self.piece(token_id)
        if not piece:  # a special token: only a stop token may end the SQL
            return self.stop_ids is None or token_id in self.stop_ids
        after = self.checker.feed(replace(state, aliases=set(state.aliases)), piece)
        return self.checker.partial_ok(after)

    def __call__(self, generated_ids: list[int], logits: Any) -> Any:
        import torch

        self.calls += 1
        region = sql_region(self.prefix + self.tokenizer.decode(generated_ids))
        if region is None:
            return logits
        state = self.checker.feed(LexState(), region)
        if not state.ok:
            return logits  # already off the rails: leave it to validation
        top = torch.topk(logits, min(self.top_k, logits.shape[-1]))
        candidates = top.indices.tolist()
        keep = [i for i in candidates if self.allowed(state, i)]
        if not keep:
            return logits  # nothing allowed among the likely tokens: leave it to validation
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
