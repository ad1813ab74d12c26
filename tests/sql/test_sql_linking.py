"""Schema linking (sql/linking.py): which names a question's words point at."""

from __future__ import annotations

import pytest

from arctic_cli.sql.linking import hints, link, name_words, quoted, stem, word_matches
from arctic_cli.sql.schema import Schema, parse_ddl

DDL = """
CREATE TABLE Accounts (AccountId INTEGER PRIMARY KEY, CompanyName TEXT, BillingCountry TEXT);
CREATE TABLE Invoices (InvoiceId INTEGER PRIMARY KEY, AccountId INTEGER REFERENCES Accounts,
                       InvoiceNumber TEXT, Status TEXT CHECK (Status IN ('open', 'paid')));
CREATE TABLE pt_mstr (mrn TEXT PRIMARY KEY, pt_fname TEXT, pt_lname TEXT);
CREATE TABLE dept (dept_cd TEXT PRIMARY KEY, dept_desc TEXT, flr INTEGER);
CREATE TABLE LV_REQ (REQ_ID INTEGER PRIMARY KEY, APPR_STAT TEXT);
"""


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema(parse_ddl(DDL, "sqlite"), "sqlite")


@pytest.mark.parametrize(
    ("word", "want"),
    [("invoices", "invoice"), ("categories", "category"), ("boxes", "box"), ("status", "status"),
     ("plans", "plan"), ("address", "address"), ("gas", "gas")],
)  # fmt: skip
def test_stem(word: str, want: str) -> None:
    assert stem(word) == want


def test_name_words_split_every_naming_style() -> None:
    assert name_words("BillingCountry") == ["billing", "country"]
    assert name_words("pt_fname") == ["pt", "fname"]
    assert name_words("EMAIL_ADDR") == ["email", "addr"]
    assert name_words('"OrderItems"') == ["order", "item"]
    assert name_words("HTTPStatus") == ["http", "status"]


@pytest.mark.parametrize(
    ("part", "word", "ok"),
    [("dept", "department", True), ("flr", "floor", True), ("lv", "leave", True),
     ("chrg", "charge", True), ("billing", "billed", True), ("status", "status", True),
     ("qty", "quantity", True), ("mgr", "manager", True), ("pt", "patient", True),
     ("country", "count", False), ("pt", "plate", False), ("cat", "contact", False),
     ("qty", "city", False)],
)  # fmt: skip
def test_word_matches(part: str, word: str, ok: bool) -> None:
    assert word_matches(part, word) is ok


def test_tables_and_columns_the_question_names(schema: Schema) -> None:
    links = link("List the company names of all accounts billed in Germany.", schema)
    assert "accounts" in links.tables
    assert {"companyname", "billingcountry"} <= set(links.columns)
    assert links.columns["companyname"] > links.columns["billingcountry"]  # "company name"
    assert "accountid" not in links.columns  # "accounts" names the table, not its key


def test_abbreviations_initials_phrases_and_values(schema: Schema) -> None:
    assert "mrn" in link("What is the medical record number of Grace Lee?", schema).columns
    floor = link("Which departments are on floor 4 or higher?", schema)
    assert "dept" in floor.tables and "flr" in floor.columns
    assert "lv_req" in link("How many leave requests are pending?", schema).tables
    assert "invoicenumber" in link("List the invoice numbers.", schema).columns
    assert "status" in link("How many invoices are still open?", schema).columns  # a CHECK value


def test_a_question_about_counts_does_not_link_country(schema: Schema) -> None:
    assert "billingcountry" not in link("Count the invoices.", schema).columns


def test_a_name_run_together_links_its_table() -> None:
    ddl = "CREATE TABLE Policies (PolicyId INTEGER PRIMARY KEY); CREATE TABLE PolicyHolders (HolderId INTEGER PRIMARY KEY);"
    links = link("How many policyholders do we have?", Schema(parse_ddl(ddl, "sqlite"), "sqlite"))
    assert links.tables["policyholders"] > links.tables.get("policies", 0)


def test_number_shortenings_and_a_column_named_as_its_table() -> None:
    ddl = """CREATE TABLE ITM_MSTR (ITM_NO TEXT PRIMARY KEY, ITM_DESC TEXT, CARD_NR TEXT);
    CREATE TABLE title (title_id INTEGER PRIMARY KEY, title TEXT, author TEXT);"""
    schema = Schema(parse_ddl(ddl, "sqlite"), "sqlite")
    links = link("Give the item numbers and card numbers of all items.", schema)
    assert {"itm_no", "card_nr"} <= set(links.columns)
    assert "itm_no" not in link("Which items have no description?", schema).columns  # "no": a no
    assert "title" in link("List the titles written by Andy Weir.", schema).columns
    assert "title_id" not in link("List the titles written by Andy Weir.", schema).columns


def test_quoted_values_match_words_whatever_their_case_or_number() -> None:
    stored = ["DVD", "LOST", "Press Shop", "on", "A", "2024", "It's here", "x" * 50]
    assert quoted("How many DVDs are in the catalog?", stored) == ["'DVD'"]
    assert quoted("How many items are marked as lost?", stored) == ["'LOST'"]
    assert quoted("List the machines in the press shop.", stored) == ["'Press Shop'"]
    assert quoted("Is it's here on a 2024 shelf?", stored) == ["'It''s here'"]  # not 'on', 'A', '2024'
    assert quoted("Which shops press on?", stored) == []  # the words, in order


def test_hints_rank_the_named_tables_with_their_columns_and_quoted_values(schema: Schema) -> None:
    texts = {("Accounts", "CompanyName"): ["Acme Corp", "Globex"], ("Accounts", "BillingCountry"): ["Germany"]}
    line = hints("List the company names of all accounts billed in Germany.", schema, texts)
    assert line == "Accounts(CompanyName, BillingCountry = 'Germany')"  # "company name" first
    # no database: the values a CHECK lists
    assert hints("How many invoices are still open?", schema) == "Invoices(Status = 'open')"
    assert hints("What is the weather like?", schema) == ""
    many = hints("Show invoice numbers, accounts, floors, leave requests and patients.", schema)
    assert len(many.split("; ")) == 3  # of five named tables, the three it names most
