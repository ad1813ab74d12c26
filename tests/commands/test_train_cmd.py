"""`arctic train` rejects bad input before doing any work (the training itself: tests/train)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.cli import app


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (["--steps", "0"], "must be positive"),
        (["--lr", "-1"], "must be positive"),
        (["--device", "tpu"], "unknown device 'tpu'"),
        (["--init-from", "/nonexistent"], "holds no model.safetensors"),
    ],
)
def test_bad_input_exits_2_without_creating_the_run(tmp_path: Path, flags: list[str], needle: str) -> None:
    run = tmp_path / "run"
    result = CliRunner().invoke(app, ["train", str(run), *flags])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and needle in result.stderr
    assert not run.exists()
