"""`arctic eval sql SUITE.jsonl`: execution accuracy, valid-SQL rate and latency of `arctic sql`.

The scoring lives in `arctic_cli.evaluation.sql_eval`; this module parses flags, opens the model
once, shows progress on stderr and prints the per-difficulty table (or one JSON object).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from arctic_cli import output
from arctic_cli.commands.base import ArcticTyper
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
from arctic_cli.sql import BEAMS, MAX_REPAIRS

app = ArcticTyper(help="Evaluate the model on a suite of questions.", no_args_is_help=True)


def render_summary(summary: dict[str, dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    for col in ("difficulty", "n", "exec acc", "valid SQL", "latency mean", "latency p50"):
        table.add_column(col, justify="left" if col == "difficulty" else "right")
    for name, s in summary.items():
        table.add_row(
            name, str(s["n"]), f"{100 * s['execution_accuracy']:.1f}%", f"{100 * s['valid_rate']:.1f}%",
            f"{s['latency_mean_s']:.2f} s", f"{s['latency_p50_s']:.2f} s",
        )  # fmt: skip
    output.out().print(table)


def write_report(path: Path, report: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write the report {path}: {e.strerror}", hint="check the path") from None
    output.note(f"wrote {path}")


@app.command("sql")
def sql(
    suite: Annotated[Path, typer.Argument(help='JSONL suite: {"db", "question", "gold", "difficulty"} per line.', show_default=False)],
    report: Annotated[Path | None, typer.Option("--report", help="Also write a JSON report (summary + every item) here.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N questions.")] = None,
    max_repairs: Annotated[int, typer.Option("--max-repairs", min=0, help="Repair attempts after the first, as in `arctic sql`.")] = MAX_REPAIRS,
    samples: Annotated[int, typer.Option("--samples", min=1, help="Sample K queries per question and vote, as in `arctic sql`.")] = 1,
    beams: Annotated[int, typer.Option("--beams", min=1, help="Local model: beam width, as in `arctic sql`.")] = BEAMS,
    constrain: Annotated[bool, typer.Option("--constrain/--no-constrain", help="Local model: schema-constrained decoding, as in `arctic sql`.")] = True,
    values: Annotated[bool, typer.Option("--values", help="Column values in the prompt, as `arctic sql --values`.")] = False,
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
) -> None:
    """Run `arctic sql` on every question of SUITE and score it by executing the queries."""
    from arctic_cli.evaluation.sql_eval import evaluate_sql, load_suite

    total = len(load_suite(suite)[:limit])  # bad suites fail here, before a model loads
    settings = resolve_settings(
        model=model, endpoint=endpoint, device=device, quant=quant, temperature=temperature,
        max_tokens=max_tokens, api_key=api_key, remote_model=remote_model,
    )  # fmt: skip
    from arctic_cli import backends
    from arctic_cli.commands.sql import quiet_sqlglot
    from arctic_cli.evaluation.adapter import sql_predictor

    quiet_sqlglot()
    backend = backends.open_backend(settings, progress=True)
    params = backends.gen_params(settings, backend, seed)
    predict = sql_predictor(
        backend, params, max_repairs=max_repairs, samples=samples, beams=beams, constrain=constrain,
        values=values,
    )  # fmt: skip
    done = [0, 0]

    with output.err().status(f"evaluating 0/{total}…") as status:

        def on_item(r: Any) -> None:
            done[0] += 1
            done[1] += int(r.correct)
            status.update(f"evaluating {done[0]}/{total} ({done[1]} correct)…")

        result = evaluate_sql(suite, predict, limit=limit, on_item=on_item)
    data = result.to_json() | {"model": backend.name}
    if report is not None:
        write_report(report, data)
    if fmt is Format.json:
        output.print_json({"suite": data["suite"], "model": data["model"], "summary": data["summary"]})
    else:
        render_summary(data["summary"])
