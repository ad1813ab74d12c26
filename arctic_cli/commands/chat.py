"""`arctic chat` (and bare `arctic` on a terminal): the prompt_toolkit REPL around `ChatSession`.

Input history persists in ARCTIC_HOME/chat_history. Esc then Enter inserts a newline; a line
opening with triple quotes starts a block that ends at the next triple quotes. Answers stream as
they come; Ctrl-C during an answer stops it (the turn is forgotten) and returns to the prompt,
Ctrl-C at the prompt clears the line, Ctrl-D or /exit leaves with status 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arctic_cli import output
from arctic_cli.commands.logs import NoLogOpt, log_flag
from arctic_cli.commands.options import (
    ApiKeyOpt,
    CompileOpt,
    DeviceOpt,
    EndpointOpt,
    MaxTokensOpt,
    ModelOpt,
    QuantOpt,
    RemoteModelOpt,
    SeedOpt,
    TemperatureOpt,
    resolve_settings,
)
from arctic_cli.errors import ArcticError, UsageError

if TYPE_CHECKING:
    from arctic_cli.chat import ChatSession, Shown

PROMPT = "arctic> "
MORE = "...     "


def _prompt_session(history_path: Any) -> Any:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("escape", "enter")
    def _newline(event: Any) -> None:
        event.current_buffer.insert_text("\n")

    try:
        history_path.parent.mkdir(parents=True, exist_ok=True)
        history: Any = FileHistory(str(history_path))
    except OSError as e:
        output.warn(f"input history not kept: {e}")
        history = InMemoryHistory()
    return PromptSession(history=history, key_bindings=bindings)


def show(shown: Shown) -> None:
    if not shown.text:
        return
    if shown.kind == "error":
        output.err().print(f"error: {shown.text}", markup=False, style="red")
    elif shown.kind == "code" and sys.stdout.isatty():
        from rich.syntax import Syntax

        output.out().print(Syntax(shown.text, shown.language or "text", background_color="default"))
    else:
        output.out().print(shown.text, markup=False, highlight=False)


def answer(session: ChatSession, text: str) -> None:
    """Stream one answer; Ctrl-C stops it and the turn is dropped."""
    try:
        dropped = session.fit(text)
    except ArcticError as e:
        show_error(e)
        return
    if dropped:
        output.note(
            f"(dropped the {dropped} oldest turn{'s' if dropped > 1 else ''} to fit the context window)"
        )
    stream = session.reply(text)
    wrote = ""
    try:
        for chunk in stream:
            wrote += chunk
            sys.stdout.write(chunk)
            sys.stdout.flush()
    except KeyboardInterrupt:
        stream.close()
        sys.stdout.write("\n" if wrote and not wrote.endswith("\n") else "")
        output.note("(cancelled)")
        return
    except ArcticError as e:
        sys.stdout.write("\n" if wrote and not wrote.endswith("\n") else "")
        show_error(e)
        return
    sys.stdout.write("\n" if not wrote.endswith("\n") else "")
    sys.stdout.flush()


def show_error(e: ArcticError) -> None:
    output.err().print(
        f"error: {e.message}" + (f"\nhint: {e.hint}" if e.hint else ""), markup=False, style="red"
    )


def repl(session: ChatSession, read: Callable[[str], str]) -> None:
    """The loop: `read(prompt)` returns a line, raises EOFError (Ctrl-D) or KeyboardInterrupt."""
    from arctic_cli.chat import BLOCK, Collector

    collector = Collector()
    while True:
        try:
            line = read(MORE if collector.open else PROMPT)
        except KeyboardInterrupt:
            collector = Collector()  # Ctrl-C at the prompt clears the line (and an open block)
            continue
        except EOFError:
            return
        in_block = collector.open or line.lstrip().startswith(BLOCK)  # a block is never a command
        text = collector.feed(line)
        if text is None or not text.strip():
            continue
        if text.lstrip().startswith("/") and not in_block:
            try:
                shown = session.command(text)
            except KeyboardInterrupt:
                output.note("(cancelled)")
                continue
            if shown.exit:
                return
            show(shown)
            continue
        answer(session, text)


def chat(
    system: Annotated[str | None, typer.Option("--system", "-s", help="System prompt.")] = None,
    model: ModelOpt = None,
    endpoint: EndpointOpt = None,
    device: DeviceOpt = None,
    quant: QuantOpt = None,
    compile: CompileOpt = False,
    temperature: TemperatureOpt = None,
    max_tokens: MaxTokensOpt = None,
    seed: SeedOpt = None,
    api_key: ApiKeyOpt = None,
    remote_model: RemoteModelOpt = None,
    no_log: NoLogOpt = False,
) -> None:
    """Talk with the model in an interactive session (/help lists the slash commands)."""
    if not sys.stdin.isatty():
        raise UsageError(
            "arctic chat needs a terminal", hint='for piped input use arctic ask "..."'
        )
    flags = dict(
        model=model, endpoint=endpoint, device=device, quant=quant, temperature=temperature,
        max_tokens=max_tokens, api_key=api_key, remote_model=remote_model, log=log_flag(no_log),
        compile=compile or None,
    )  # fmt: skip
    settings = resolve_settings(**flags)

    from arctic_cli import backends
    from arctic_cli.chat import ChatSession
    from arctic_cli.settings import arctic_home

    session = ChatSession(
        settings=settings,
        load=lambda s: backends.open_backend(s, progress=True),
        params=backends.GenParams(
            max_tokens=settings.max_tokens, temperature=settings.temperature, seed=seed
        ),
        system=system,
        flags=flags,
    )
    backend = session.backend  # load once, up front, with its progress indicator
    output.note(
        f"{backend.name} (context window {backend.context_window} tokens). /help for commands, Ctrl-D to quit."
    )
    prompt = _prompt_session(arctic_home() / "chat_history")
    repl(session, lambda text: prompt.prompt(text))
