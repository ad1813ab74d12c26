"""Schema linking: which tables and columns a question's words name.

A name is split into words (snake_case, camelCase, PascalCase, UPPER_CASE) and each word is
matched against the question's words, stemmed (`invoices` -> `invoice`):

  exact         `status` ~ "status"
  prefix        `dept` ~ "department", `sal` ~ "salary" (3+ letters of the question's word)
  shared start  `billing` ~ "billed" (the first 4 of 5+ letters)
  dropped       `dept` ~ "department" (3+ letters, same first two), `flr` ~ "floor",
                `qty` ~ "quantity" (same first letter, then consonants only), `lv` ~ "leave" and
                `pt` ~ "patient" (two letters: the word's first consonants): the name's letters,
                in order, within the word, as legacy schemas shorten words
  initials      `mrn` ~ "medical record number" (consecutive question words)
  shortening    `ITM_NO` ~ "item number" (`no`, `nr`: number)
  phrase        `PlanName` ~ "plan name" (all the name's words, in order)
  compound      `PolicyHolders` ~ "policyholders" (the name's words run together)
  value         `Status` ~ "still open" (a listed value of the column, `Column.values`)

A column's words that only repeat its table's name (`AccountId` of `Accounts`) link nothing: the
question saying "accounts" names the table, not that column, unless the column is named as its
table (`title` of `title`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from arctic_cli.sql.schema import Column, Schema, Texts

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])|([A-Z]+)([A-Z][a-z])")
_STOP = frozenset(
    """a an and are as at be by did do does each for from had has have how in is it its list me
    of on or show that the their them there these they this those to was were what which who whose
    with all any give many much no not""".split()  # noqa: SIM905
)
# Shortenings no letter rule finds (`ITM_NO` ~ "item number"); the question's "no" is a stop word
_SHORT_FOR = {"no": "number", "nr": "number"}


def stem(word: str) -> str:
    """Singular of a plural noun, roughly: categories -> category, boxes -> box, plans -> plan."""
    word = word.lower()
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_words(name: str) -> list[str]:
    """`BillingCountry` -> [billing, country]; `pt_fname` -> [pt, fname]; `EMAIL_ADDR` -> [email, addr]."""
    text = _CAMEL.sub(lambda m: f"{m[1]} {m[2]}" if m[1] else f"{m[3]} {m[4]}", name.strip('"`[]'))
    return [stem(w) for w in _WORD.findall(text.replace("_", " "))]


def _subsequence(part: str, word: str) -> bool:
    rest = iter(word)
    return all(ch in rest for ch in part)


def word_matches(part: str, word: str) -> bool:
    """Whether a name's word `part` can stand for the question's (stemmed) word `word`."""
    if part == word:
        return True
    if len(part) >= 3 and word.startswith(part):  # the name cuts the word short: `sal` ~ "salary"
        return True
    if len(part) >= 5 and len(word) >= 5 and part[:4] == word[:4]:  # `billing` ~ "billed"
        return not part.startswith(word)  # but `country` is no "count"
    if len(part) < 2 or part[0] != word[0] or not _subsequence(part, word):
        return False
    # letters dropped from the word: `dept` ~ "department" (same start), `qty` ~ "quantity" and
    # `lv` ~ "leave" (consonants only); `cat` is no "contact"
    if set(part[1:]) & set("aeiou"):
        return part[:2] == word[:2] and len(part) >= 3
    if len(part) == 2:  # `pt` ~ "patient", not "plate": the word's own first consonants
        return (word[0] + "".join(ch for ch in word[1:] if ch not in "aeiou")).startswith(part)
    return True


@dataclass(frozen=True)
class Links:
    """Question-to-schema links: lower-cased table and column names with their scores (> 0)."""

    tables: dict[str, float]
    columns: dict[str, float]


def link(question: str, schema: Schema) -> Links:
    raw = [w.lower() for w in _WORD.findall(question)]
    asked = [stem(w) for w in raw if w not in _STOP]
    initials = {"".join(w[0] for w in raw[i : i + n]) for n in (2, 3, 4) for i in range(len(raw))}

    def score(words: list[str]) -> float:
        hits = 0.0
        for part in words:
            part = _SHORT_FOR.get(part, part)
            if part in _STOP:
                continue
            if any(word_matches(part, w) for w in asked) or len(part) >= 3 and part in initials:
                hits += 1
        return hits

    spoken = " " + " ".join(raw) + " "
    stems = " " + " ".join(stem(w) for w in raw) + " "
    entities = {w for table in schema.tables for w in name_words(table.name)}
    tables: dict[str, float] = {}
    columns: dict[str, float] = {}
    joined = set(asked)  # "policyholders" -> PolicyHolders: the name's words run together

    def compound(words: list[str]) -> float:
        return float(len(words) > 1 and "".join(words) in joined)

    for table in schema.tables:
        s = score(name_words(table.name)) + compound(name_words(table.name))
        if s:
            tables[table.name.lower()] = s
        own = name_words(table.name)
        for column in table.columns:
            # `InvoiceId` names the invoices table (or a key to it), not something asked about;
            # a column named as its table (`title` of `title`) is asked about by that name
            words = name_words(column.name)
            c = score([w for w in words if w not in entities] or (words if words == own else []))
            if len(words) > 1 and f" {' '.join(words)} " in stems:  # "plan name" -> PlanName
                c += 1
            c += compound(words)
            c += any(_mentioned(v, spoken) for v in column.values)  # "still open" -> Status
            if c:
                key = column.name.lower()
                columns[key] = max(columns.get(key, 0.0), c)
    return Links(tables, columns)


def _mentioned(literal: str, spoken: str) -> bool:
    """Whether a listed value (an SQL literal: `'in_transit'`, `1`) is said in the question."""
    words = _WORD.findall(literal.strip("'").lower())
    return bool(words) and not literal[:1].isdigit() and f" {' '.join(words)} " in spoken


MAX_HINT_TABLES = 3  # tables named in a hint line, most relevant first
MAX_HINT_COLUMNS = 4  # columns named per table, most strongly linked first
MAX_HINT_VALUES = 2  # quoted values shown per column
HINT_VALUE_CHARS = 40  # longer stored strings (free text) are never matched


def quoted(question: str, stored: Iterable[str]) -> list[str]:
    """The stored strings the question says, word for word but for case and plurals, as SQL
    literals: "How many DVD titles" quotes 'DVD', "marked as lost" 'LOST', "in the Press Shop"
    'Press Shop'. One-word values that are too short, numbers or stop words are not matched."""
    said = " " + " ".join(stem(w) for w in _WORD.findall(question.lower())) + " "
    out: list[str] = []
    for value in stored:
        if not isinstance(value, str) or len(value) > HINT_VALUE_CHARS:
            continue
        words = [stem(w) for w in _WORD.findall(value.lower())]
        if not words or len(words) == 1 and (len(words[0]) < 2 or words[0].isdigit() or words[0] in _STOP):
            continue
        if f" {' '.join(words)} " in said:
            literal = "'" + value.replace("'", "''") + "'"
            if literal not in out:
                out.append(literal)
    return out


def _listed(column: Column) -> list[str]:
    """A column's listed string values (`CHECK ... IN` or sampled), unquoted."""
    return [v[1:-1].replace("''", "'") for v in column.values if v.startswith("'")]


def hints(question: str, schema: Schema, texts: Texts | None = None, known: Links | None = None) -> str:
    """The schema items the question names, for the prompt's hint line:
    `ITM_MSTR(STD_COST, ITM_DESC = 'Floor Lamp FX500'); MACH(MACH_DESC)`.

    Tables are ranked like `prompt.fit_schema` ranks them (a named table counts twice, then each
    named column) plus one per column holding a value the question quotes (`texts`: what the
    database stores, `schema.stored_texts`; without it, the columns' listed values); "" when
    nothing is named. `known`: links the caller has besides the question's words, added to
    theirs (training adds the gold query's names, so that a model learns to trust the line).
    """
    links = link(question, schema)
    if known is not None:
        links = Links(_plus(links.tables, known.tables), _plus(links.columns, known.columns))
    ranked: list[tuple[float, int, str]] = []
    for i, table in enumerate(schema.tables):
        named: list[tuple[float, int, str]] = []
        for j, column in enumerate(table.columns):
            score = links.columns.get(column.name.lower(), 0.0)
            stored = texts.get((table.qualified, column.name), ()) if texts else _listed(column)
            said = quoted(question, stored)
            if said:
                score += 1
            if score:
                shown = column.name + (" = " + " | ".join(said[:MAX_HINT_VALUES]) if said else "")
                named.append((-score, j, shown))
        relevance = 2 * links.tables.get(table.name.lower(), 0.0) + sum(-s for s, _, _ in named)
        if relevance:
            inner = ", ".join(shown for _, _, shown in sorted(named)[:MAX_HINT_COLUMNS])
            ranked.append((-relevance, i, f"{table.qualified}({inner})" if inner else table.qualified))
    return "; ".join(text for _, _, text in sorted(ranked)[:MAX_HINT_TABLES])


def _plus(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0.0) + b.get(k, 0.0) for k in a.keys() | b.keys()}
