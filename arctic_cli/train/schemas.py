"""Random relational schemas for the SQL data generator: naming styles, DDL and a filled SQLite db.

`random_schema(rng)` picks a business domain from `domains.DOMAINS`, a connected set of 1-8 of its
entities, and one naming style (snake_case/PascalCase/camelCase, singular/plural tables, prefixes,
abbreviations, key naming), then `fill(schema, rng)` makes plausible rows (parents before
children, foreign keys pointing at existing parents, some NULLs in nullable columns).
Natural-language phrases for tables and columns keep the canonical words, so questions say
"stock quantity" while the column may be `StockQty`: that mapping is what the model must learn.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass, field

from arctic_cli.train import domains as D

# Identifiers that must be quoted in SQLite (a table called `order` is common in real schemas).
_RESERVED_WORDS = (
    "order group transaction index table check default references limit from where select values "
    "case when end to in is as by on primary unique foreign desc asc all distinct join cross natural "
    "left right full inner outer union except intersect not null and or between like exists having "
    "offset collate escape glob set update delete insert into create drop alter add column constraint "
    "trigger view begin commit rollback else then if key plan query"
)
RESERVED = frozenset(_RESERVED_WORDS.split())
ABBREV = {
    "customer": "cust", "quantity": "qty", "number": "num", "amount": "amt", "department": "dept",
    "employee": "emp", "product": "prod", "category": "cat", "transaction": "txn", "organization": "org",
    "warehouse": "wh", "description": "descr", "price": "prc", "identifier": "id", "address": "addr",
    "shipment": "shp", "appointment": "appt", "prescription": "rx", "patient": "pt", "doctor": "dr",
    "date": "dt", "subscription": "sub", "invoice": "inv", "student": "stu", "manager": "mgr",
    "total": "tot", "count": "cnt", "average": "avg", "payment": "pmt", "vehicle": "veh",
}
# Yes/no columns real schemas add to almost any table, and how they name them: `is_remote`,
# `remote_flag`, `REMOTE_FLG`, `remote_ind`, `remote_yn`, `isRemote`, or the bare word. The question
# says only the adjective ("How many remote employees are there?"), whatever the convention.
FLAG_WORDS = tuple(
    """
    active archived verified approved certified confidential deleted discontinued domestic
    enabled expired featured hazardous internal international locked obsolete overdue premium
    preferred private public recurring refundable remote reviewed seasonal suspended taxable
    tenured urgent visible billable exempt blocked frozen imported insured licensed published
    registered reimbursable subsidized fragile returned cancelled closed settled disputed
    escalated promoted retired certified_organic handicap_accessible pet_friendly
    """.split()  # noqa: SIM905
)
FLAG_NAMING = ((("{w}",), 2), (("is", "{w}"), 3), (("{w}", "flag"), 2), (("{w}", "flg"), 1),
               (("{w}", "ind"), 1), (("{w}", "yn"), 1))
FLAG_SHARE = 0.35  # tables that get one extra yes/no column
# Dates of an event that may not have happened yet (NULL until then): `closed_on`, `shipped_at`,
# `return_dt`, `DateApproved`. A question says the event ("Which orders haven't shipped yet?").
EVENT_VERBS = tuple(
    """
    approved closed cancelled shipped returned paid resolved completed delivered signed archived
    verified reviewed processed published settled received invoiced confirmed activated renewed
    """.split()  # noqa: SIM905
)
EVENT_NAMING = ((("{w}", "on"), 3), (("{w}", "at"), 2), (("{w}", "date"), 2), (("{w}", "dt"), 1), (("date", "{w}"), 1))
EVENT_SHARE = 0.3  # tables that get one extra event date
TEXT_KINDS = frozenset({"label", "person", "first", "last", "email", "phone", "city", "country", "enum", "code"})
NUM_KINDS = frozenset({"money", "int", "real", "year"})
DATE_KINDS = frozenset({"date", "datetime"})


@dataclass
class Style:
    case: str           # snake | pascal | camel | upper
    plural: bool        # plural table names
    prefix: str         # "" | "tbl_" | "t_" | domain short prefix
    abbreviate: bool    # cust/qty/amt ...
    pk: str             # id | table_id | tableid
    varchar: bool       # VARCHAR(n) instead of TEXT
    inline_fk: bool     # REFERENCES on the column vs a FOREIGN KEY clause
    one_line: bool      # whole CREATE TABLE on one line
    squeeze: bool = False  # legacy abbreviations: long words lose their vowels (patient -> ptnt)
    codes: str = "lower"  # how enum values are stored: lower ('lost'), upper ('LOST'), title ('Lost')


@dataclass
class Column:
    name: str
    phrase: str           # canonical words, e.g. "stock quantity"
    kind: str             # see domains.py
    arg: str = ""         # pool name, enum values, range or code prefix
    sqltype: str = "TEXT"
    nullable: bool = False
    pk: bool = False
    ref: Table | None = None


@dataclass
class Table:
    entity: str
    name: str
    singular: str         # "order item"
    plural: str           # "order items"
    columns: list[Column] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)

    @property
    def pk(self) -> Column:
        return self.columns[0]

    def label(self) -> Column:
        """The column a person would name a row by (name, title, email ...), else the key."""
        for kinds in (("label", "person"), ("first", "last", "code", "email")):
            for c in self.columns:
                if c.kind in kinds:
                    return c
        return self.pk

    def fks(self) -> list[Column]:
        return [c for c in self.columns if c.ref is not None]


@dataclass
class Schema:
    domain: str
    style: Style
    tables: list[Table]

    def ddl(self) -> str:
        return "\n".join(_create_table(t, self.style) for t in self.tables)

    def inserts(self) -> str:
        lines = []
        for t in self.tables:
            cols = ", ".join(q(c.name) for c in t.columns)
            for row in t.rows:
                lines.append(f"INSERT INTO {q(t.name)} ({cols}) VALUES ({', '.join(map(literal, row))});")
        return "\n".join(lines)

    def db_sql(self) -> str:
        return self.ddl() + "\n" + self.inserts()

    def children(self, parent: Table) -> list[tuple[Table, Column]]:
        return [(t, c) for t in self.tables for c in t.fks() if c.ref is parent]


def q(name: str) -> str:
    """Quote an identifier only when SQLite needs it."""
    return f'"{name}"' if name.lower() in RESERVED or not re.fullmatch(r"[A-Za-z_]\w*", name) else name


def literal(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return repr(v)


def pluralize(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def squeeze(word: str) -> str:
    """`master` -> `mstr`, `quantity` -> `qnty`: the first letter and up to three more consonants."""
    if len(word) <= 5:
        return word
    rest = [ch for ch in word[1:] if ch not in "aeiou"]
    return word[0] + "".join(rest[:3])


def style_words(words: list[str], style: Style) -> str:
    if style.abbreviate:
        words = [ABBREV.get(w, w) for w in words]
    if style.squeeze:
        words = [w if w == "id" else squeeze(w) for w in words]
    if style.case == "pascal":
        return "".join(w.capitalize() for w in words)
    if style.case == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style.case == "upper":
        return "_".join(words).upper()
    return "_".join(words)


def named(word: str, conventions: tuple[tuple[tuple[str, ...], int], ...], rng: random.Random) -> list[str]:
    """A column's name words under one of weighted naming conventions: `remote` -> [is, remote]
    (FLAG_NAMING), `closed` -> [closed, on] (EVENT_NAMING)."""
    shape = rng.choices([n for n, _ in conventions], [w for _, w in conventions])[0]
    return [p for part in shape for p in part.format(w=word).split("_")]


def event_of(words: list[str]) -> str:
    """The event a date column records, if its name says one: [closed, on] -> "closed"."""
    verb = next((w for w in words if w.endswith("ed") or w in ("paid", "sold", "sent")), "")
    return verb if len(words) > 1 else ""


def random_style(rng: random.Random, domain: str) -> Style:
    case = rng.choices(("snake", "pascal", "camel", "upper"), (5, 3, 2, 1))[0]
    prefix = rng.choices(("", "tbl_", "t_", domain[:3] + "_"), (7, 1, 1, 1))[0]
    if prefix == "tbl_" and case in ("pascal", "camel") and rng.random() < 0.6:
        prefix = "tbl"  # Hungarian-style `tblStudent`
    return Style(
        case=case, plural=rng.random() < 0.55, prefix=prefix, abbreviate=rng.random() < 0.3,
        pk=rng.choices(("id", "table_id", "tableid"), (4, 5, 1))[0], varchar=rng.random() < 0.35,
        inline_fk=rng.random() < 0.6, one_line=rng.random() < 0.5, squeeze=rng.random() < 0.12,
        codes=rng.choices(("lower", "upper", "title"), (6, 2, 2))[0],
    )


def _pick_entities(rng: random.Random, ents: dict[str, D.Entity], k: int) -> list[str]:
    """A connected subset of k entities (grown along references in both directions)."""
    chosen = [rng.choice(sorted(ents))]
    while len(chosen) < k:
        near = sorted({p.rstrip("?") for c in chosen for p in ents[c].parents}
                      | {e.name for e in ents.values() if any(p.rstrip("?") in chosen for p in e.parents)})
        near = [n for n in near if n in ents and n not in chosen]
        pool = near or [n for n in sorted(ents) if n not in chosen]
        chosen.append(rng.choice(pool))
    return chosen


def _sqltype(kind: str, arg: str, style: Style, rng: random.Random) -> str:
    if kind in TEXT_KINDS:
        return f"VARCHAR({rng.choice((20, 50, 100, 255))})" if style.varchar else "TEXT"
    return {
        "money": rng.choice(("DECIMAL(10,2)", "REAL", "NUMERIC(12,2)")),
        "int": rng.choice(("INTEGER", "INT")), "year": "INTEGER",
        "real": rng.choice(("REAL", "FLOAT", "DOUBLE")),
        "date": "DATE", "datetime": rng.choice(("TIMESTAMP", "DATETIME")),
        "bool": rng.choice(("BOOLEAN", "INTEGER")),
    }[kind]


# Renaming vocabulary. With 13 domains a model can memorise "a sales schema has customers and
# orders" and ignore the schema it is shown; renaming entities and columns to unrelated words (in
# the DDL and, consistently, in the questions) forces it to copy names from the prompt instead.
ENTITY_NOUNS = tuple(
    ["account", "agent", "asset", "batch", "branch", "broker", "budget", "campaign", "carrier", "case", "claim", "client", "clinic", "contract", "contractor", "course", "crew", "deal", "dealer", "delivery", "device", "donor", "driver", "event", "facility", "fund", "grant", "guest", "item", "job", "journal", "lead", "lease", "ledger", "license", "listing", "loan", "member", "merchant", "meter", "mission", "office", "outlet", "owner", "package", "panel", "parcel", "partner", "permit", "pilot", "policy", "portfolio", "position", "program", "quote", "rebate", "region", "release", "request", "reseller", "resource", "route", "sample", "sensor", "server", "session", "site", "sponsor", "squad", "station", "store", "subscriber", "supplier", "survey", "task", "team", "tenant", "terminal", "ticket", "tour", "trainee", "trip", "unit", "vendor", "venue", "visit", "volunteer", "voucher", "wallet", "worker", "zone", "artist", "player", "match", "league", "album", "track", "shelf", "locker", "bin", "fleet", "crop", "field", "harvest", "farm"]
)
COLUMN_NOUNS = tuple(
    ["label", "title", "code", "status", "stage", "tier", "grade", "level", "score", "rating", "rank", "weight", "height", "width", "length", "volume", "capacity", "balance", "cost", "fee", "rate", "margin", "budget", "revenue", "spend", "limit", "quota", "discount", "bonus", "duration", "distance", "speed", "region", "zone", "city", "country", "channel", "source", "medium", "segment", "kind", "type", "category", "color", "size", "brand", "model", "version", "priority", "severity", "note", "summary", "owner", "contact", "phone", "email", "started", "ended", "opened", "closed", "due", "expires", "renewed", "issued", "shipped", "booked", "signed"]
)


# More names from many walks of business life, so no small set of nouns can be memorised.
ENTITY_NOUNS += tuple(
    """
    abstract adapter advisor agreement allocation allowance alert applicant archive area
    assembly assignment attendee audit author award badge barcode beacon beneficiary bid bill
    booking borrower bundle buyer cabinet calendar candidate cargo cart catalog certificate
    charge charter checkpoint circuit citation collection commission complaint component
    consignment consultant container coupon courier coverage credit customer cycle dataset
    debtor delegate deposit depot destination diagnosis dispatch district document dossier
    draft enrollment entry equipment estimate exhibit expense export feature feedback fixture
    flight forecast freight garage gateway gift holding household incident installment
    instrument inventory investor invoice issue itinerary kiosk label lab lecture lender
    lesson letter lineup lot machine manifest measurement milestone module mortgage notice
    nurse objective offer opening operator order_line outage parish patron payee payout
    pension permit_holder pharmacy plant pledge pool premium prescription producer prospect
    provider purchase ranch receipt recipe record referral refund registration remittance
    rental repair report reservation review reward roster sale schedule scholarship seller
    shift shipment signup skill slot specimen sprint statement stock subscription substation
    supply tariff tax teacher tender territory testimonial timesheet token trade transfer
    treatment tutor upgrade usage valuation vessel warranty webinar withdrawal workshop
    """.split()  # noqa: SIM905
)
COLUMN_NOUNS += tuple(
    """
    amount price total quantity count number reference serial alias handle nickname motto
    slogan remark comment reason outcome result verdict method mode format language currency
    timezone locale address street postcode latitude longitude floor room seat gate lane aisle
    batch lot term period quarter month year week shift hours minutes days age tenure salary
    wage tax fare toll deposit credit debit points miles units pages views clicks visits likes
    shares downloads
    """.split()  # noqa: SIM905
)
QUALIFIERS = (
    """
    monthly annual total unit net gross base list retail billing shipping primary secondary
    last first max min home work legal display internal external original current previous
    planned actual expected estimated approved average daily weekly local global sales
    purchase service contract
    """.split()  # noqa: SIM905
)

_ONSETS = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pl", "r", "s",
           "sk", "st", "t", "tr", "v", "w", "z")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ea")
_CODAS = ("", "", "", "n", "r", "l", "s", "x", "nd", "st", "m", "k")


def coined(rng: random.Random) -> str:
    """A made-up word (`drovil`, `kestan`): a name the model cannot have memorised, only copied."""
    syllables = rng.choice((2, 2, 3))
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)


def column_rename(rng: random.Random) -> str:
    """An unrelated column concept: a noun, a qualified noun (`billing_zone`) or a made-up word."""
    r = rng.random()
    if r < 0.15:
        return coined(rng)
    noun = rng.choice(COLUMN_NOUNS)
    return f"{rng.choice(QUALIFIERS)}_{noun}" if r < 0.45 else noun


# SQL keywords sqlglot will not take as a bare table or column name.
_NOT_NAMES = frozenset({"case", "grant", "limit"})
ENTITY_NOUNS = tuple(w for w in ENTITY_NOUNS if w not in _NOT_NAMES)
COLUMN_NOUNS = tuple(w for w in COLUMN_NOUNS if w not in _NOT_NAMES)


def _renames(rng: random.Random, ents: dict[str, D.Entity]) -> dict[str, str]:
    """Entity -> new snake_case name for about 70% of the schemas (no two entities share a name)."""
    if rng.random() < 0.3:
        return {}
    taken = set(ents)
    out: dict[str, str] = {}
    for name in ents:
        if rng.random() < 0.7:
            new = coined(rng) if rng.random() < 0.15 else rng.choice(ENTITY_NOUNS)
            if rng.random() < 0.25:
                new = f"{rng.choice(ENTITY_NOUNS + tuple(QUALIFIERS))}_{new}"
            if new not in taken:
                taken.add(new)
                out[name] = new
    return out


def random_schema(rng: random.Random, domain: str | None = None, n_tables: int | None = None) -> Schema:
    domain = domain or rng.choice(sorted(D.DOMAINS))
    ents = {e.name: e for e in D.DOMAINS[domain]}
    renames = _renames(rng, ents)
    k = n_tables or rng.choices(range(1, 9), (2, 4, 5, 5, 4, 3, 2, 1))[0]
    names = _pick_entities(rng, ents, min(k, len(ents)))
    style = random_style(rng, domain)
    # parents first so foreign keys always point at earlier tables (and fill order is trivial)
    order: list[str] = []

    def visit(n: str, seen: tuple[str, ...] = ()) -> None:
        for p in ents[n].parents:
            p = p.rstrip("?")
            if p in names and p not in order and p not in seen:
                visit(p, seen + (n,))
        if n not in order:
            order.append(n)

    for n in names:
        visit(n)
    tables: dict[str, Table] = {}
    for n in order:
        tables[n] = _make_table(ents[n], tables, style, rng, renames)
    return Schema(domain, style, list(tables.values()))


def _make_table(
    ent: D.Entity, made: dict[str, Table], style: Style, rng: random.Random, renames: dict[str, str] | None = None
) -> Table:
    renames = renames or {}
    words = renames.get(ent.name, ent.name).split("_")
    last = pluralize(words[-1]) if style.plural else words[-1]
    name = style.prefix + style_words(words[:-1] + [last], style)
    t = Table(ent.name, name, " ".join(words), " ".join(words[:-1] + [pluralize(words[-1])]))
    pk_words = {"id": ["id"], "table_id": words + ["id"], "tableid": words + ["id"]}[style.pk]
    pk_name = style_words(pk_words, style)
    if style.pk == "tableid" and style.case in ("pascal", "camel"):
        pk_name = pk_name[:-2] + "ID"
    t.columns.append(Column(pk_name, "id", "int", "1-999999", "INTEGER", pk=True))
    for p in ent.parents:
        nullable, p = p.endswith("?"), p.rstrip("?")
        if p in made:
            ref = made[p]
            parent = renames.get(p, p)
            fk = style_words(parent.split("_") + ["id"], style)
            t.columns.append(Column(fk, parent.replace("_", " "), "fk", "", "INTEGER", nullable, ref=ref))
    for spec in ent.columns:
        nullable = spec.endswith("?")
        cname, kind, *rest = spec.rstrip("?").split(":")
        arg, concept = ":".join(rest), cname
        if renames and rng.random() < 0.4:  # renamed schemas also get some unrelated column names
            cname = column_rename(rng)
        words = cname.split("_")
        if kind == "bool" and rng.random() < 0.6:
            words = named(cname.removeprefix("is_"), FLAG_NAMING, rng)
        if kind == "enum":
            arg = "|".join(_cased(v, style.codes) for v in arg.split("|"))
        if kind in DATE_KINDS and nullable and cname == concept:  # (a renamed `expected_speed` is no event)
            arg = event_of(cname.split("_"))
        col = Column(style_words(words, style), cname.replace("_", " "), kind, arg,
                     _sqltype(kind, arg, style, rng), nullable)
        if all(c.name.lower() != col.name.lower() for c in t.columns):
            t.columns.append(col)
    if rng.random() < EVENT_SHARE:
        verb = rng.choice(EVENT_VERBS)
        words = named(verb, EVENT_NAMING, rng)
        col = Column(style_words(words, style), " ".join(words), "date", verb, "DATE", nullable=True)
        if all(c.name.lower() != col.name.lower() and event_of(c.phrase.split()) != verb for c in t.columns):
            t.columns.append(col)
    if rng.random() < FLAG_SHARE:
        word = rng.choice(FLAG_WORDS)
        col = Column(style_words(named(word, FLAG_NAMING, rng), style), word.replace("_", " "), "bool", "",
                     _sqltype("bool", "", style, rng))
        if all(c.name.lower() != col.name.lower() and c.phrase != col.phrase for c in t.columns):
            t.columns.append(col)
    return t


def _cased(value: str, codes: str) -> str:
    return value.upper() if codes == "upper" else value.title() if codes == "title" else value


def _create_table(t: Table, style: Style) -> str:
    parts = []
    for c in t.columns:
        s = f"{q(c.name)} {c.sqltype}"
        if c.pk:
            s += " PRIMARY KEY"
        elif not c.nullable and c.ref is None and style.varchar:
            s += " NOT NULL"
        if c.ref is not None and style.inline_fk:
            s += f" REFERENCES {q(c.ref.name)}({q(c.ref.pk.name)})"
        parts.append(s)
    if not style.inline_fk:
        parts += [f"FOREIGN KEY ({q(c.name)}) REFERENCES {q(c.ref.name)}({q(c.ref.pk.name)})"
                  for c in t.fks() if c.ref is not None]
    if style.one_line:
        return f"CREATE TABLE {q(t.name)} ({', '.join(parts)});"
    return f"CREATE TABLE {q(t.name)} (\n  " + ",\n  ".join(parts) + "\n);"


# ---- values ---------------------------------------------------------------------------------


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def value(c: Column, rng: random.Random, i: int) -> object:
    k, a = c.kind, c.arg
    if k == "label":
        base = rng.choice(D.POOLS[a])
        return base if rng.random() < 0.5 else f"{rng.choice(D.MODIFIERS)} {base}"
    if k == "person":
        return f"{rng.choice(D.FIRST_NAMES)} {rng.choice(D.LAST_NAMES)}"
    if k == "first":
        return rng.choice(D.FIRST_NAMES)
    if k == "last":
        return rng.choice(D.LAST_NAMES)
    if k == "email":
        return f"{rng.choice(D.FIRST_NAMES).lower()}.{rng.choice(D.LAST_NAMES).lower()}{i}@example.com"
    if k == "phone":
        return f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    if k == "city":
        return rng.choice(D.CITIES)
    if k == "country":
        return rng.choice(D.COUNTRIES)
    if k == "enum":
        return rng.choice(a.split("|"))
    if k == "code":
        return f"{a}-{1000 + i * 7 + rng.randint(0, 6)}"
    if k == "money":
        return round(rng.uniform(5, 2000) * rng.choice((1, 1, 10)), 2)
    if k == "int":
        lo, hi = map(int, a.split("-"))
        return rng.randint(lo, hi)
    if k == "real":
        low, high = map(float, a.split("-"))
        return round(rng.uniform(low, high), 2)
    if k == "year":
        return rng.randint(1950, 2024)
    if k == "date":
        return _date(rng)
    if k == "datetime":
        return f"{_date(rng)} {rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}:00"
    if k == "bool":
        return rng.randint(0, 1)
    raise ValueError(f"unknown column kind {k!r}")


def fill(schema: Schema, rng: random.Random) -> None:
    for t in schema.tables:
        n = rng.randint(6, 18) if schema.children(t) else rng.randint(8, 30)
        start = rng.choice((1, 1, 100, 1000))
        t.rows = []
        for i in range(n):
            row: list[object] = []
            for c in t.columns:
                if c.pk:
                    row.append(start + i)
                elif c.ref is not None:
                    pick = rng.choice(c.ref.rows)[0] if c.ref.rows else None
                    row.append(None if c.nullable and rng.random() < 0.2 else pick)
                elif c.nullable and rng.random() < 0.25:
                    row.append(None)
                else:
                    row.append(value(c, rng, i))
            t.rows.append(tuple(row))


def to_sqlite(schema: Schema) -> sqlite3.Connection:
    """An in-memory database with the schema and its rows."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.ddl())
    for t in schema.tables:
        marks = ", ".join("?" * len(t.columns))
        conn.executemany(f"INSERT INTO {q(t.name)} VALUES ({marks})", t.rows)
    return conn
