"""`arctic code TASK`: generate code, check its syntax (never run it), repair, print or write it."""

from __future__ import annotations

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
from arctic_cli.errors import EXIT_INVALID, UsageError


def pick_language(lang: str | None, output_path: Path | None) -> str:
    """--lang wins; else --output's extension; else Python."""
    from arctic_cli.codegen import languages

    if lang is not None:
        if not lang.strip():
            raise UsageError("empty --lang", hint="e.g. --lang python")
        return languages.normalize(lang)
    if output_path is not None:
        return languages.from_path(output_path) or languages.DEFAULT
    return languages.DEFAULT


def _report(valid: bool | None, language: str, attempts: int, errors: list[dict]) -> None:
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    if valid is None:
        output.note(f"{language}: syntax not checked ({tries})")
    elif valid:
        output.note(f"valid {language} ({tries})")
    else:
        output.warn(f"the {language} code is still invalid after {tries}:")
        for e in errors:
            where = f"line {e['line']}: " if e.get("line") else ""
            output.err().print(f"  {where}{e['message']}", markup=False)


def code(
    task: Annotated[str, typer.Argument(help="What the code should do.", show_default=False)],
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="Language (default python, or --output's extension)."),
    ] = None,
    file: Annotated[
        list[Path] | None, typer.Option("--file", help="A context file for the model (repeatable).")
    ] = None,
    output_path: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the code to this file.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --output if it exists.")
    ] = False,
    max_repairs: Annotated[
        int, typer.Option("--max-repairs", min=0, help="Repair rounds after a syntax error.")
    ] = 2,
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
    """Generate code for TASK; exit 0 when its syntax is valid, 3 when still invalid after repairs."""
    settings = resolve_settings(
        model=model, endpoint=endpoint, device=device, quant=quant, temperature=temperature,
        max_tokens=max_tokens, api_key=api_key, remote_model=remote_model, log=log_flag(no_log),
    )  # fmt: skip
    if not task.strip():
        raise UsageError(
            "empty task", hint='arctic code "parse a CSV file and print the row count"'
        )
    language = pick_language(lang, output_path)
    if output_path is not None:  # refuse before generating, not after
        if output_path.exists() and not force:
            raise UsageError(f"{output_path} already exists", hint="pass --force to overwrite it")
        if not output_path.parent.is_dir():
            raise UsageError(
                f"no folder {output_path.parent} for {output_path}", hint="create it first"
            )
    context = [(str(p), textfiles.read_text(p, "context file")) for p in file or []]

    from arctic_cli import backends, history
    from arctic_cli.codegen.task import generate_code

    backend = backends.open_backend(settings, progress=True)
    params = backends.gen_params(settings, backend, seed)
    with output.err().status("generating code…") as status:
        result = generate_code(
            backend, task, language, params, context=context, max_repairs=max_repairs,
            dialect=settings.dialect, on_attempt=lambda n: status.update(f"generating code (attempt {n})…"),
        )  # fmt: skip
    history.record(
        settings, command="code", model=result.model, prompt=task, response=result.code,
        prompt_tokens=result.usage.prompt_tokens, completion_tokens=result.usage.completion_tokens,
        seconds=result.usage.seconds, valid=result.valid,
    )  # fmt: skip
    _report(result.valid, language, result.attempts, result.errors)
    if result.out_of_room:
        output.note(
            "repairs stopped early: the repair prompt no longer fits the model's context window"
        )
    written = output_path is not None and result.valid is not False
    if written:
        assert output_path is not None
        try:
            output_path.write_text(result.code, encoding="utf-8")
        except OSError as e:
            raise UsageError(
                f"cannot write {output_path}: {e.strerror}", hint="check the path"
            ) from None
        output.note(f"wrote {output_path}")
    elif output_path is not None:
        output.note(f"{output_path} not written: the code is invalid")
    if fmt is Format.json:
        output.print_json(result.to_json())
    elif not written:
        output.print_text(result.code)
    if result.valid is False:
        raise typer.Exit(EXIT_INVALID)
