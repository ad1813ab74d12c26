"""`arctic ask PROMPT`: one instruction, one answer; piped stdin is added as context."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from arctic_cli import output, textfiles
from arctic_cli.commands.logs import NoLogOpt, log_flag
from arctic_cli.commands.options import (
    ApiKeyOpt,
    DeviceOpt,
    EndpointOpt,
    Format,
    FormatOpt,
    MaxTokensOpt,
    ModelOpt,
    QuantOpt,
    RemoteModelOpt,
    SeedOpt,
    TemperatureOpt,
    resolve_settings,
)
from arctic_cli.errors import UsageError


def read_stdin() -> str:
    """Piped stdin's text ("" on a terminal). Binary input is bad input (exit 2)."""
    if sys.stdin is None or sys.stdin.isatty():
        return ""
    from arctic_cli import textfiles

    return textfiles.read_stdin()


def build_prompt(prompt: str | None, piped: str) -> str:
    """The user message: the piped context first, then the instruction (either may be absent)."""
    parts = [p.strip("\n") for p in (piped, prompt or "") if p.strip()]
    if not parts:
        raise UsageError("empty prompt", hint='arctic ask "your question" (or pipe text into it)')
    return "\n\n".join(parts)


def system_prompt(system: str | None, system_file: Path | None) -> str | None:
    if system is not None and system_file is not None:
        raise UsageError("--system and --system-file both given", hint="pass one of them")
    if system_file is not None:
        return textfiles.read_text(system_file, "system file").strip() or None
    if system is None:
        return None
    return system.strip() or None


def show_stream(chunks: Iterable[str], markdown: bool) -> str:
    """Write chunks as they arrive: live Markdown on a terminal, raw text otherwise. Returns the text."""
    text = ""
    if not markdown:
        for chunk in chunks:
            text += chunk
            sys.stdout.write(chunk)
            sys.stdout.flush()
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return text
    from rich.live import Live
    from rich.markdown import Markdown

    with Live(
        Markdown(""), console=output.out(), refresh_per_second=8, vertical_overflow="visible"
    ) as live:
        for chunk in chunks:
            text += chunk
            live.update(Markdown(text))
    return text


def ask(
    prompt: Annotated[
        str | None, typer.Argument(help="The instruction or question.", show_default=False)
    ] = None,
    system: Annotated[str | None, typer.Option("--system", "-s", help="System prompt.")] = None,
    system_file: Annotated[
        Path | None, typer.Option("--system-file", help="Read the system prompt from a file.")
    ] = None,
    no_stream: Annotated[
        bool, typer.Option("--no-stream", help="Wait for the whole answer before printing it.")
    ] = False,
    fmt: FormatOpt = Format.text,
    model: ModelOpt = None,
    endpoint: EndpointOpt = None,
    device: DeviceOpt = None,
    quant: QuantOpt = None,
    temperature: TemperatureOpt = None,
    max_tokens: MaxTokensOpt = None,
    seed: SeedOpt = None,
    api_key: ApiKeyOpt = None,
    remote_model: RemoteModelOpt = None,
    no_log: NoLogOpt = False,
) -> None:
    """Ask the model anything; piped stdin is added as context (git diff | arctic ask "commit message")."""
    settings = resolve_settings(
        model=model, endpoint=endpoint, device=device, quant=quant, temperature=temperature,
        max_tokens=max_tokens, api_key=api_key, remote_model=remote_model, log=log_flag(no_log),
    )  # fmt: skip
    system_text = system_prompt(system, system_file)
    text = build_prompt(prompt, read_stdin())
    messages = [{"role": "system", "content": system_text}] if system_text else []
    messages.append({"role": "user", "content": text})

    from arctic_cli import backends, history
    from arctic_cli.chat import check_fits, fitted

    backend = backends.open_backend(settings, progress=True)
    prompt_tokens = check_fits(backend, messages)
    params = backends.gen_params(settings, backend, seed)
    usage = backends.Usage()
    start = time.perf_counter()
    chunks = backend.stream(messages, fitted(params, backend, prompt_tokens), usage)
    terminal = output.stdout_is_terminal()
    if fmt is Format.text and not no_stream:
        response = show_stream(chunks, markdown=terminal)
    else:
        response = "".join(chunks)
    seconds = time.perf_counter() - start
    prompt_tokens = usage.prompt_tokens or prompt_tokens
    history.record(
        settings, command="ask", model=backend.name, prompt=text, response=response,
        prompt_tokens=prompt_tokens, completion_tokens=usage.completion_tokens, seconds=seconds,
    )  # fmt: skip
    if fmt is Format.json:
        output.print_json({
            "prompt": text, "response": response, "model": backend.name, "prompt_tokens": prompt_tokens,
            "completion_tokens": usage.completion_tokens, "seconds": round(seconds, 3),
        })  # fmt: skip
    elif no_stream:
        show_stream([response], markdown=terminal)
