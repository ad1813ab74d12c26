"""Pull the SQL statement out of a model's answer: a fenced block, or a bare statement in prose."""

from __future__ import annotations

import re

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)
_START = re.compile(r"(?im)^\s*(?:sql\s*:\s*)?((?:WITH|SELECT|INSERT|UPDATE|DELETE|VALUES)\b.*)")
_SQL_LANGS = {
    "",
    "sql",
    "sqlite",
    "postgres",
    "postgresql",
    "mysql",
    "duckdb",
    "snowflake",
    "tsql",
    "bigquery",
}


def _until_statement_end(text: str) -> str:
    """Text up to the first `;` outside quotes, or up to a blank line followed by prose."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"', "`"):
            quote = ch
        elif ch == ";":
            return text[:i]
    paragraphs = re.split(r"\n\s*\n", text, maxsplit=1)
    return paragraphs[0]


def extract_sql(answer: str) -> str:
    """The statement in `answer` without its trailing semicolon ("" when there is none).

    A fenced block labelled sql (or unlabelled) wins; an unterminated fence (generation cut off)
    counts up to the end. Otherwise the first line starting with WITH/SELECT/... begins the statement.
    """
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(answer)]
    for lang, body in blocks:
        if lang in _SQL_LANGS and body.strip():
            return body.strip().rstrip(";").strip()
    match = _START.search(answer)
    if match:
        start = answer[match.start(1) :]
        return _until_statement_end(start).strip().rstrip(";").strip()
    # no recognisable statement: keep the text (it is still "the best attempt") minus fence lines
    lines = [line for line in answer.splitlines() if not line.lstrip().startswith("```")]
    return "\n".join(lines).strip().rstrip(";").strip()
