"""The conversation behind `arctic chat`, kept apart from the terminal so it can be tested alone.

`ChatSession` holds the settings, the model (loaded once, on first use), the system prompt, the
memory (user/assistant turns sent with each question) and the transcript (everything shown, for
`/save`). `fit()` drops the oldest turns until the prompt leaves room for an answer; `reply()`
streams an answer and commits the turn only when the answer completed, so a Ctrl-C leaves the
memory as it was. `command()` runs one slash command and returns what to show.
The prompt_toolkit loop lives in `arctic_cli/commands/chat.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arctic_cli import history
from arctic_cli.backends import Backend, GenParams, Message, Usage
from arctic_cli.errors import ArcticError, UsageError

BLOCK = '"""'


def check_fits(backend: Backend, messages: list[Message]) -> int:
    """The prompt's token count; raises UsageError (exit 2) when it leaves no room to answer."""
    tokens = backend.count_tokens(messages)
    if tokens >= backend.context_window:
        raise UsageError(
            f"the prompt takes {tokens} tokens but the model's context window is {backend.context_window}",
            hint="shorten the prompt (or the piped input / context files)",
        )
    return tokens


def fitted(params: GenParams, backend: Backend, prompt_tokens: int) -> GenParams:
    """`params` with max_tokens cut to what the context window still holds."""
    room = max(1, backend.context_window - prompt_tokens)
    return replace(params, max_tokens=min(params.max_tokens, room))


class Collector:
    """Multi-line input: a line opening with triple quotes starts a block that ends at the next."""

    def __init__(self) -> None:
        self.lines: list[str] | None = None

    @property
    def open(self) -> bool:
        return self.lines is not None

    def feed(self, line: str) -> str | None:
        """The complete input once there is one, else None (more lines needed)."""
        if self.lines is None:
            if not line.lstrip().startswith(BLOCK):
                return line
            rest = line.lstrip()[len(BLOCK) :]
            if rest.rstrip().endswith(BLOCK) and rest.strip():  # """one line"""
                return rest.rstrip()[: -len(BLOCK)]
            self.lines = [rest] if rest.strip() else []
            return None
        if line.rstrip().endswith(BLOCK):
            self.lines.append(line.rstrip()[: -len(BLOCK)])
            text, self.lines = "\n".join(self.lines), None
            return text.strip("\n")
        self.lines.append(line)
        return None


@dataclass
class Shown:
    """What a slash command wants the terminal to show."""

    text: str = ""
    kind: str = "info"  # info | error | markdown | code
    exit: bool = False
    language: str = ""  # for kind == "code"


SETTABLE = {
    "temperature": "sampling temperature, 0 = greedy",
    "max_tokens": "most tokens per answer",
    "top_k": "sample among the k likeliest tokens (0 = off)",
    "top_p": "nucleus sampling mass (1 = off)",
    "seed": "random seed for sampling (none = random)",
}


@dataclass
class ChatSession:
    settings: Any
    load: Callable[[Any], Backend]  # settings -> backend; called once per model
    params: GenParams
    system: str | None = None
    flags: dict[str, Any] = field(default_factory=dict)  # the command-line flags, for /model
    memory: list[Message] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (who, Markdown text)
    schema: Any = None  # an arctic_cli.sql.schema.Schema once /schema or /db loaded one
    _backend: Backend | None = None
    _max_tokens_set: bool = field(default=False, init=False)  # by `/set max_tokens`: a model's
    # own default no longer applies
    _max_tokens: int = field(default=0, init=False)  # from the settings: for a model with no default

    def __post_init__(self) -> None:
        self._max_tokens = self.params.max_tokens

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._use_backend(self.load(self.settings), self.settings)
        assert self._backend is not None
        return self._backend

    def _use_backend(self, backend: Backend, settings: Any) -> None:
        """Switch to `backend`; max_tokens follows its model's default unless someone set it."""
        from arctic_cli.backends import model_max_tokens

        self._backend, self.settings = backend, settings
        if not self._max_tokens_set:
            max_tokens = model_max_tokens(settings, backend) or self._max_tokens
            self.params = replace(self.params, max_tokens=max_tokens)

    def messages(self, text: str) -> list[Message]:
        system: list[Message] = [{"role": "system", "content": self.system}] if self.system else []
        return [*system, *self.memory, {"role": "user", "content": text}]

    def fit(self, text: str) -> int:
        """Drop the oldest turns until the prompt leaves room to answer; returns how many dropped."""
        backend = self.backend
        reserve = min(self.params.max_tokens, backend.context_window // 2)
        dropped = 0
        while (
            self.memory
            and backend.count_tokens(self.messages(text)) + reserve > backend.context_window
        ):
            del self.memory[:2]  # one user/assistant turn
            dropped += 1
        check_fits(backend, self.messages(text))
        return dropped

    def reply(self, text: str) -> Generator[str, None, None]:
        """Stream the answer to `text`; the turn joins memory, transcript and history once complete."""
        messages = self.messages(text)
        backend = self.backend
        usage = Usage()
        params = fitted(self.params, backend, check_fits(backend, messages))
        start = time.perf_counter()
        chunks: list[str] = []
        for chunk in backend.stream(messages, params, usage):
            chunks.append(chunk)
            yield chunk
        answer = "".join(chunks)
        self.memory += [{"role": "user", "content": text}, {"role": "assistant", "content": answer}]
        self.transcript += [("You", text), (backend.name, answer)]
        history.record(
            self.settings, command="chat", model=backend.name, prompt=text, response=answer,
            prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            seconds=time.perf_counter() - start,
        )  # fmt: skip

    # --- slash commands -------------------------------------------------------------------------

    def command(self, line: str) -> Shown:
        """Run one slash command line (`/name args`)."""
        name, _, arg = line.strip()[1:].partition(" ")
        handler = COMMANDS.get(name.lower())
        if handler is None:
            return Shown(f"unknown command /{name}; /help lists them", "error")
        try:
            return handler[0](self, arg.strip())
        except ArcticError as e:
            return Shown(e.message + (f" ({e.hint})" if e.hint else ""), "error")

    def cmd_help(self, arg: str) -> Shown:
        width = max(len(usage) for _, usage, _ in COMMANDS.values())
        lines = [f"{usage.ljust(width)}  {text}" for _, usage, text in COMMANDS.values()]
        lines.append('Multi-line input: Esc then Enter for a new line, or a """ block.')
        return Shown("\n".join(lines))

    def cmd_exit(self, arg: str) -> Shown:
        return Shown(exit=True)

    def cmd_reset(self, arg: str) -> Shown:
        turns = len(self.memory) // 2
        self.memory.clear()
        return Shown(f"conversation cleared ({turns} turns forgotten)")

    def cmd_system(self, arg: str) -> Shown:
        if not arg:
            return Shown(
                f"system prompt: {self.system}"
                if self.system
                else "no system prompt (/system TEXT sets one)"
            )
        self.system = arg
        return Shown("system prompt set")

    def cmd_set(self, arg: str) -> Shown:
        key, _, raw = arg.partition(" ")
        key = key.replace("-", "_").lower()
        if key not in SETTABLE or not raw.strip():
            current = ", ".join(f"{k}={getattr(self.params, k)}" for k in SETTABLE)
            return Shown(
                f"usage: /set KEY VALUE with KEY one of {', '.join(SETTABLE)} (now {current})",
                "error",
            )
        self.params = replace(self.params, **{key: _parse_param(key, raw.strip())})
        self._max_tokens_set |= key == "max_tokens"
        return Shown(f"{key} = {getattr(self.params, key)}")

    def cmd_model(self, arg: str) -> Shown:
        if not arg:
            return Shown(f"model: {self.backend.name}")
        from arctic_cli import settings as settings_mod

        key = "remote_model" if self.settings.endpoint else "model"  # a remote server names its own
        new_settings = settings_mod.resolve({**self.flags, key: arg})
        backend = self.load(new_settings)  # a failed load raises and keeps the old one
        self._use_backend(backend, new_settings)
        return Shown(f"model: {backend.name} (context window {backend.context_window} tokens)")

    def cmd_save(self, arg: str) -> Shown:
        force = arg.endswith(" --force")
        name = arg[: -len(" --force")].strip() if force else arg
        if not name:
            return Shown("usage: /save FILE [--force]", "error")
        path = Path(name).expanduser()
        if path.exists() and not force:
            return Shown(f"{path} exists; /save {name} --force overwrites it", "error")
        try:
            path.write_text(self.markdown(), encoding="utf-8")
        except OSError as e:
            return Shown(f"cannot write {path}: {e.strerror}", "error")
        return Shown(f"saved {len(self.transcript)} messages to {path}")

    def cmd_code(self, arg: str) -> Shown:
        if not arg:
            return Shown("usage: /code TASK", "error")
        from arctic_cli.codegen import languages
        from arctic_cli.codegen.task import generate_code

        result = generate_code(
            self.backend, arg, languages.DEFAULT, self.params, dialect=self.settings.dialect
        )
        history.record(
            self.settings, command="code", model=result.model, prompt=arg, response=result.code,
            prompt_tokens=result.usage.prompt_tokens, completion_tokens=result.usage.completion_tokens,
            seconds=result.usage.seconds, valid=result.valid,
        )  # fmt: skip
        fence = f"```{result.language}\n{result.code}```"
        self.transcript += [("You", f"/code {arg}"), (result.model, fence)]
        shown = Shown(result.code, "code", language=result.language)
        if result.valid is False:
            problems = "; ".join(e["message"] for e in result.errors)
            shown.text += f"\n# still invalid after {_attempts(result.attempts)}: {problems}"
        return shown

    def cmd_schema(self, arg: str) -> Shown:
        if not arg:
            return Shown("usage: /schema FILE (DDL)", "error")
        from arctic_cli.sql.schema import is_database, load

        path = Path(arg).expanduser()
        if path.is_file():
            with path.open("rb") as f:
                if is_database(f.read(16)):  # what the user meant is clear: read its catalog
                    return self.cmd_db(arg)
        return self._use_schema(load([path], None, self.settings.dialect))

    def cmd_db(self, arg: str) -> Shown:
        if not arg:
            return Shown("usage: /db PATH (SQLite or DuckDB)", "error")
        from arctic_cli.sql.schema import load

        return self._use_schema(load(None, Path(arg).expanduser(), self.settings.dialect))

    def _use_schema(self, schema: Any) -> Shown:
        self.schema = schema
        names = ", ".join(t.qualified for t in schema.tables)
        return Shown(
            f"schema from {schema.source} ({schema.dialect}): {len(schema.tables)} tables: {names}"
        )

    def cmd_sql(self, arg: str) -> Shown:
        if not arg:
            return Shown("usage: /sql QUESTION", "error")
        if self.schema is None:
            return Shown("no schema loaded: /schema FILE or /db PATH first", "error")
        from arctic_cli.sql.prompt import schema_hash
        from arctic_cli.sql.task import Request, generate_sql

        start = time.perf_counter()
        request = Request(arg, self.schema, self.schema.dialect)
        result = generate_sql(request, self.backend, self.params)
        history.record(
            self.settings, command="sql", model=result.model, prompt=arg, response=result.sql,
            prompt_tokens=result.usage.prompt_tokens, completion_tokens=result.usage.completion_tokens,
            seconds=time.perf_counter() - start,
            schema_hash=schema_hash(self.schema),
            sql=result.sql, valid=result.valid,
        )  # fmt: skip
        self.transcript += [
            ("You", f"/sql {arg}"),
            (result.model, f"```sql\n{result.sql.strip()}\n```"),
        ]
        shown = Shown(result.sql.strip(), "code", language="sql")
        if not result.valid:
            problems = "; ".join(str(e) for e in result.errors)
            shown.text += f"\n-- still invalid after {_attempts(result.attempts)}: {problems}"
        return shown

    def markdown(self) -> str:
        """The transcript as Markdown (what /save writes)."""
        parts = ["# arctic chat\n"]
        if self.system:
            parts.append(f"**System:** {self.system}\n")
        parts += [f"## {who}\n\n{text.strip()}\n" for who, text in self.transcript]
        return "\n".join(parts)


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _parse_param(key: str, raw: str) -> Any:
    from arctic_cli.settings import SETTINGS

    try:
        if key in SETTINGS:
            return SETTINGS[key].parse(raw)
        if key == "seed":
            return None if raw.lower() == "none" else int(raw)
        if key == "top_k":
            value = int(raw)
            if value < 0:
                raise ValueError("expected 0 or more")
            return value
        top_p = float(raw)
        if not 0.0 < top_p <= 1.0:
            raise ValueError("expected a number above 0 and at most 1")
        return top_p
    except ValueError as e:
        raise UsageError(f"invalid value {raw!r} for {key}: {e}") from None


# name -> (handler, usage, help); /help prints them in this order
COMMANDS: dict[str, tuple[Callable[[ChatSession, str], Shown], str, str]] = {
    "sql": (
        ChatSession.cmd_sql,
        "/sql QUESTION",
        "write a validated SQL query against the loaded schema",
    ),
    "schema": (ChatSession.cmd_schema, "/schema FILE", "load a schema from a DDL file"),
    "db": (ChatSession.cmd_db, "/db PATH", "load the schema of a SQLite or DuckDB database"),
    "code": (ChatSession.cmd_code, "/code TASK", "generate Python code for TASK (syntax-checked)"),
    "system": (ChatSession.cmd_system, "/system TEXT", "set the system prompt (no TEXT: show it)"),
    "model": (
        ChatSession.cmd_model,
        "/model NAME_OR_DIR",
        "switch to another model (loads it now)",
    ),
    "set": (ChatSession.cmd_set, "/set KEY VALUE", "change " + ", ".join(SETTABLE)),
    "reset": (ChatSession.cmd_reset, "/reset", "forget the conversation so far"),
    "save": (ChatSession.cmd_save, "/save FILE", "write the transcript as Markdown"),
    "help": (ChatSession.cmd_help, "/help", "list these commands"),
    "exit": (ChatSession.cmd_exit, "/exit", "leave (Ctrl-D too)"),
}
