"""`arctic sql` as a function: prompt, generate, extract, validate, repair, optionally execute and vote.

One chain is: generate an answer, extract its SQL, validate it (and run it when an executor is
given: runtime errors are `execution` errors and get repaired too); while it is invalid and repairs
remain, replay the answer with the exact errors and ask again. The best attempt (fewest errors,
latest on ties) is the chain's result. With `samples > 1`, several chains are sampled and the most
common result wins: grouped by execution result when a database is given, else by normalized SQL.
A single greedy chain on the local engine answers by beam search (`Request.beams`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arctic_cli.backends import Backend, GenParams, Message, Usage
from arctic_cli.sql import BEAMS, MAX_REPAIRS, prompt
from arctic_cli.sql.execute import ExecResult, ExecutionError
from arctic_cli.sql.extract import extract_sql
from arctic_cli.sql.schema import Schema
from arctic_cli.sql.validate import SqlError, Validation, validate

Executor = Callable[[str], ExecResult]  # runs one validated statement (raises ExecutionError)
SAMPLING_TEMPERATURE = 0.7  # used for --samples when the temperature setting is 0 (greedy)


@dataclass
class Attempt:
    answer: str  # the model's raw answer
    sql: str  # what extract_sql found in it
    validation: Validation
    result: ExecResult | None = None

    @property
    def errors(self) -> list[SqlError]:
        return self.validation.errors


@dataclass
class SqlResult:
    question: str
    sql: str
    dialect: str
    valid: bool
    errors: list[SqlError]
    attempts: int  # model calls made, repairs and samples included
    model: str
    result: ExecResult | None = None
    history: list[Attempt] = field(default_factory=list)  # every attempt, in order
    dropped_tables: list[str] = field(default_factory=list)  # left out of the prompt to fit
    usage: Usage = field(default_factory=Usage)  # summed over all attempts
    constraint: Any = None  # the SchemaConstraint used (its .calls / .masked counters), if any

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question, "sql": self.sql, "dialect": self.dialect, "valid": self.valid,
            "errors": [e.to_dict() for e in self.errors], "attempts": self.attempts, "model": self.model,
        }  # fmt: skip
        if self.result is not None:
            out["columns"] = self.result.columns
            out["rows"] = self.result.rows
        return out


@dataclass
class Request:
    question: str
    schema: Schema
    dialect: str  # the schema's (and the model's) dialect
    to: str | None = None  # transpile the final query to this dialect
    allow_write: bool = False
    max_repairs: int = MAX_REPAIRS
    samples: int = 1
    beams: int = BEAMS  # local engine, greedy settings, one sample: a beam search this wide
    constrain: bool = False  # schema-constrained decoding (local engine only)
    values: bool = False  # list the schema's column values in the prompt (`--values`)
    template: str | None = None  # the first prompt (None: prompts/sql.txt)
    repair_template: str | None = None  # None: prompts/sql_repair.txt


def fit_prompt(
    req: Request, backend: Backend, params: GenParams
) -> tuple[list[Message], list[str]]:
    """The first messages, with the schema cut to the relevant tables if it overflows the context."""
    template = req.template or prompt.load_template("sql.txt")
    reserve = min(params.max_tokens, backend.context_window // 2)  # room left for the answer
    budget = backend.context_window - reserve

    hinted = getattr(backend, "sql_hints", False)  # a model trained with the hint line gets one
    if hinted:
        from arctic_cli.sql.linking import hints
        from arctic_cli.sql.schema import read_texts

        texts = read_texts(req.schema) or None  # what a --db holds; a --schema's CHECK lists else

    def render(schema: Schema) -> list[Message]:
        hint = hints(req.question, schema, texts) if hinted else ""
        return prompt.render(req.question, schema, req.dialect, template, req.values, hint)

    fit = prompt.fit_schema(req.schema, req.question, lambda s: backend.count_tokens(render(s)), budget)
    return render(fit.schema), fit.dropped


def _score(attempt: Attempt) -> tuple[int, int]:
    """Lower is better: a statement that parses beats one that does not, then fewer errors."""
    unparsed = any(e.kind == "syntax" for e in attempt.errors)
    return (int(unparsed), len(attempt.errors))


def _check(req: Request, answer: str, executor: Executor | None) -> Attempt:
    sql = extract_sql(answer)
    # validate in the model's dialect; transpile (req.to) only what is valid there
    validation = validate(sql, req.schema, req.dialect, allow_write=req.allow_write, to=req.to)
    attempt = Attempt(answer, sql, validation)
    if validation.valid and executor is not None:
        try:  # run the statement as written in the database's own dialect
            attempt.result = executor(validation.tree.sql(dialect=req.dialect))
        except ExecutionError as e:
            validation.valid = False
            validation.errors.append(SqlError("execution", f"the database rejected the query: {e}"))
    return attempt


def run_chain(
    req: Request,
    backend: Backend,
    messages: list[Message],
    params: GenParams,
    executor: Executor | None,
    usage: Usage,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> tuple[Attempt, list[Attempt]]:
    """One generate-validate-repair chain: (best attempt, every attempt)."""
    repair = req.repair_template or prompt.load_template("sql_repair.txt")
    history: list[Attempt] = []
    best: Attempt | None = None
    for _ in range(req.max_repairs + 1):
        prompt_tokens = backend.count_tokens(messages)
        room = backend.context_window - prompt_tokens
        if room <= 0 and best is not None:
            break  # the repair conversation outgrew the context: keep the best attempt so far
        count = Usage()
        fitted = replace(params, max_tokens=max(1, min(params.max_tokens, room)))
        start = time.perf_counter()
        answer = "".join(backend.stream(messages, fitted, count))
        usage.seconds += time.perf_counter() - start
        usage.prompt_tokens += count.prompt_tokens
        usage.completion_tokens += count.completion_tokens
        attempt = _check(req, answer, executor)
        history.append(attempt)
        if on_attempt:
            on_attempt(attempt)
        if best is None or _score(attempt) <= _score(best):  # ties: the later, repaired attempt
            best = attempt
        if attempt.validation.valid:
            return attempt, history
        errors = [str(e) for e in attempt.errors]
        messages = prompt.render_repair(messages, answer, errors, req.question, req.dialect, repair)
    assert best is not None
    return best, history


def _vote_key(attempt: Attempt) -> Any:
    if (
        attempt.result is not None
    ):  # same values (in any row order, whatever the column names) = same answer
        return ("rows", tuple(sorted(map(repr, attempt.result.rows))))
    return " ".join(attempt.validation.sql.lower().split())


def vote(candidates: list[Attempt]) -> Attempt:
    """The first candidate of the most common answer among the valid ones (else the best one)."""
    valid = [c for c in candidates if c.validation.valid]
    if not valid:
        return min(candidates, key=_score)
    counts = Counter(_vote_key(c) for c in valid)
    top = max(counts.values())
    return next(c for c in valid if counts[_vote_key(c)] == top)


def generate_sql(
    req: Request,
    backend: Backend,
    params: GenParams,
    *,
    executor: Executor | None = None,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> SqlResult:
    """Answer `req.question` with a validated query (see the module docstring for the loop)."""
    if req.values:
        from arctic_cli.sql.schema import read_values

        read_values(req.schema)
    messages, dropped = fit_prompt(req, backend, params)
    if req.constrain and params.constraint is None:
        from arctic_cli.sql.constrain import for_backend

        params = replace(
            params, constraint=for_backend(backend, req.schema, req.dialect, req.question)
        )
    if req.beams > 1 and req.samples == 1 and params.temperature == 0 and params.beams == 1:
        params = replace(params, beams=req.beams)  # only a local backend reads it
    usage = Usage()
    history: list[Attempt] = []
    candidates: list[Attempt] = []
    for i in range(max(1, req.samples)):
        chain_params = params
        if req.samples > 1:
            seed = None if params.seed is None else params.seed + i
            chain_params = replace(
                params, seed=seed, temperature=params.temperature or SAMPLING_TEMPERATURE
            )
        best, chain = run_chain(req, backend, messages, chain_params, executor, usage, on_attempt)
        candidates.append(best)
        history += chain
    chosen = vote(candidates)
    v = chosen.validation
    return SqlResult(
        req.question, v.sql if v.valid else chosen.sql, v.dialect if v.valid else req.dialect, v.valid,
        v.errors, len(history), backend.name, chosen.result, history, dropped, usage, params.constraint,
    )  # fmt: skip


def executor_for(schema: Schema, timeout: float, limit: int) -> Executor | None:
    """A read-only executor for the schema's database (None when the schema came from DDL)."""
    from arctic_cli.sql.execute import execute

    if schema.db_path is None or schema.db_kind is None:
        return None
    path: Path = schema.db_path
    kind: str = schema.db_kind
    return lambda sql: execute(path, kind, sql, timeout=timeout, limit=limit)
