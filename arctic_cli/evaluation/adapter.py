"""The one bridge from the evaluation to `arctic sql`: a `predict(question, db)` over `generate_sql`.

It asks exactly what `arctic sql QUESTION --db DB` asks (same schema loader, prompt template,
validation and repair loop), so the suite measures the product, not a side path. Schemas are
loaded once per database file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from arctic_cli.evaluation.sql_eval import Predict
from arctic_cli.sql import BEAMS, MAX_REPAIRS


def sql_predictor(
    backend: Any,
    params: Any,
    *,
    max_repairs: int = MAX_REPAIRS,
    samples: int = 1,
    beams: int = BEAMS,
    constrain: bool = True,
    values: bool = False,
    timeout: float = 30.0,
) -> Predict:
    """`predict(question, db_path) -> (sql, valid, attempts)` running the `arctic sql` pipeline."""
    from arctic_cli.sql import schema as schema_mod
    from arctic_cli.sql.prompt import load_template
    from arctic_cli.sql.task import Request, executor_for, generate_sql

    template = load_template("sql.txt")
    schemas: dict[Path, Any] = {}

    def predict(question: str, db: Path) -> tuple[str, bool, int]:
        if db not in schemas:
            schemas[db] = schema_mod.load(None, db)
        loaded = schemas[db]
        req = Request(
            question, loaded, loaded.dialect, max_repairs=max_repairs, samples=samples,
            beams=beams, constrain=constrain, values=values, template=template,
        )  # fmt: skip
        # like `arctic sql --db`: the database is consulted only to vote between samples
        executor = executor_for(loaded, timeout, 100) if samples > 1 else None
        result = generate_sql(req, backend, params, executor=executor)
        return result.sql, result.valid, result.attempts

    return predict
