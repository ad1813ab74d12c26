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
  phrase        `PlanName` ~ "plan name" (all the name's words, in order)
  value         `Status` ~ "still open" (a listed value of the column, `Column.values`)

A column's words that only repeat its table's name (`AccountId` of `Accounts`) link nothing: the
question saying "accounts" names the table, not that column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arctic_cli.sql.schema import Schema

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])|([A-Z]+)([A-Z][a-z])")
_STOP = frozenset(
    """a an and are as at be by did do does each for from had has have how in is it its list me
    of on or show that the their them there these they this those to was were what which who whose
    with all any give many much""".split()  # noqa: SIM905
)


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
    for table in schema.tables:
        s = score(name_words(table.name))
        if s:
            tables[table.name.lower()] = s
        for column in table.columns:
            # `InvoiceId` names the invoices table (or a key to it), not something asked about
            words = name_words(column.name)
            c = score([w for w in words if w not in entities])
            if len(words) > 1 and f" {' '.join(words)} " in stems:  # "plan name" -> PlanName
                c += 1
            c += any(_mentioned(v, spoken) for v in column.values)  # "still open" -> Status
            if c:
                key = column.name.lower()
                columns[key] = max(columns.get(key, 0.0), c)
    return Links(tables, columns)


def _mentioned(literal: str, spoken: str) -> bool:
    """Whether a listed value (an SQL literal: `'in_transit'`, `1`) is said in the question."""
    words = _WORD.findall(literal.strip("'").lower())
    return bool(words) and not literal[:1].isdigit() and f" {' '.join(words)} " in spoken
