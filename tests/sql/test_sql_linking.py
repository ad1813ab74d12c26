"""Schema linking (sql/linking.py): which names a question's words point at."""

from __future__ import annotations

import pytest

from arctic_cli.sql.linking import link, name_words, stem, word_matches
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
