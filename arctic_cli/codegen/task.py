"""`arctic code` as a function: prompt, generate, extract, check syntax, and repair on errors.

The loop sends the task (plus context files), extracts the code block, checks its syntax
(codegen.syntax; never executes it) and, while it is invalid and repairs remain, replays the last
answer with the errors and asks for a corrected version. The best attempt (fewest errors, latest on
ties) is the result, valid or not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from string import Template
from typing import Any

from arctic_cli.backends import Backend, GenParams, Message, Usage
from arctic_cli.chat import check_fits, fitted
from arctic_cli.codegen.extract import extract_code
from arctic_cli.codegen.syntax import Error, check
from arctic_cli.errors import UsageError


@dataclass
class CodeResult:
    task: str
    language: str
    code: str
    valid: bool | None  # None: the language's syntax is not checked
    errors: list[Error]
    attempts: int
    model: str
    answer: str = ""  # the raw answer the code came from
    usage: Usage = field(default_factory=Usage)  # summed over all attempts
    out_of_room: bool = False  # repairs stopped early: the repair prompt no longer fit the window

    def to_json(self) -> dict[str, Any]:
        keys = ("task", "language", "code", "valid", "errors", "attempts", "model")
        return {key: getattr(self, key) for key in keys}


def _template(name: str) -> Template:
    from arctic_cli.textfiles import packaged_prompt

    return Template(packaged_prompt(name))


def render_prompt(task: str, language: str, context: Sequence[tuple[str, str]] = ()) -> str:
    """The first user message: the task and the context files as (name, text) pairs."""
    parts = [f"\nContext file {name}:\n```\n{text.rstrip()}\n```\n" for name, text in context]
    return _template("code.txt").substitute(
        language=language, task=task.strip(), context="".join(parts)
    )


def render_repair(language: str, errors: Sequence[Error]) -> str:
    lines = []
    for e in errors:
        where = (
            f"line {e['line']}" + (f", column {e['col']}" if e.get("col") else "")
            if e.get("line")
            else ""
        )
        lines.append(f"- {where + ': ' if where else ''}{e['message']}")
    return _template("code_repair.txt").substitute(language=language, errors="\n".join(lines))


def _score(errors: list[Error] | None) -> int:
    return 0 if errors is None else len(errors)


def generate_code(
    backend: Backend,
    task: str,
    language: str,
    params: GenParams,
    *,
    context: Sequence[tuple[str, str]] = (),
    max_repairs: int = 2,
    dialect: str = "sqlite",
    on_attempt: Callable[[int], None] | None = None,
) -> CodeResult:
    """Generate code for `task` in `language`, repairing syntax errors up to `max_repairs` times."""
    first: list[Message] = [{"role": "user", "content": render_prompt(task, language, context)}]
    total = Usage()
    best: CodeResult | None = None
    attempts = 0
    out_of_room = False
    messages = first
    for attempt in range(1, max_repairs + 2):
        try:
            prompt_tokens = check_fits(backend, messages)
        except UsageError:
            if attempt == 1:
                raise
            out_of_room = True  # the repair conversation no longer fits: keep the best so far
            break
        if on_attempt:
            on_attempt(attempt)
        attempts = attempt
        usage = Usage()
        start = time.perf_counter()
        answer = "".join(backend.stream(messages, fitted(params, backend, prompt_tokens), usage))
        total.seconds += time.perf_counter() - start
        total.prompt_tokens += usage.prompt_tokens or prompt_tokens
        total.completion_tokens += usage.completion_tokens
        code = extract_code(answer, language)
        errors = check(code, language, dialect=dialect)
        result = CodeResult(task, language, code, None if errors is None else not errors,
                            errors or [], attempt, backend.name, answer)  # fmt: skip
        if best is None or _score(errors) <= len(best.errors):
            best = result
        if not errors:
            break
        messages = [*first, {"role": "assistant", "content": answer},
                    {"role": "user", "content": render_repair(language, errors)}]  # fmt: skip
    assert best is not None
    best.attempts = attempts
    best.out_of_room = out_of_room
    best.usage = total
    return best
