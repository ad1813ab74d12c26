"""`arctic train` rejects bad input before doing any work (the training itself: tests/train)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.cli import app
from arctic_cli.commands.train import _shape
from arctic_cli.train.trainer import SIZES

BUILTIN = Path(__file__).resolve().parents[2] / "arctic_cli" / "models" / "default"


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (["--steps", "0"], "must be positive"),
        (["--lr", "-1"], "must be positive"),
        (["--device", "tpu"], "unknown device 'tpu'"),
        (["--init-from", "/nonexistent"], "holds no model.safetensors"),
        (["--tokenizer-from", "/nonexistent"], "holds no tokenizer.json"),
        (["--size", "huge"], "unknown size 'huge'"),
        (["--init-from", str(BUILTIN), "--size", "medium"], "--size applies to fresh weights"),
        (["--workers", "-1"], "--workers must be 0 or more"),
        (["--minutes", "0"], "--minutes positive"),
    ],
)
def test_bad_input_exits_2_without_creating_the_run(tmp_path: Path, flags: list[str], needle: str) -> None:
    run = tmp_path / "run"
    result = CliRunner().invoke(app, ["train", str(run), *flags])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and needle in result.stderr
    assert not run.exists()


def test_a_file_as_run_folder_or_a_taken_name_exits_2_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    data = tmp_path / "shop.sqlite"
    data.write_bytes(b"precious")
    result = CliRunner().invoke(app, ["train", str(data)])
    assert result.exit_code == 2 and "is a file, not a run folder" in result.stderr
    assert data.read_bytes() == b"precious"
    mine = tmp_path / "home" / "models" / "mine"
    mine.mkdir(parents=True)
    (mine / "config.json").write_text("{}")
    run = tmp_path / "run"
    result = CliRunner().invoke(app, ["train", str(run), "--name", "mine"])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (mine / "config.json").read_text() == "{}" and not run.exists()
    result = CliRunner().invoke(app, ["train", str(run), "--name", "../mine"])
    assert result.exit_code == 2 and "not a plain name" in result.stderr


def test_sizes_and_a_fine_tune_keeps_its_base_models_shape(tmp_path: Path) -> None:
    assert _shape(None, None) == SIZES["small"] and _shape(None, "medium")["hidden_size"] == 320
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text('{"hidden_size": 320, "num_hidden_layers": 6}')
    shape = _shape(base, None)
    assert shape["hidden_size"] == 320 and shape["num_hidden_layers"] == 6
    assert shape["num_local_experts"] == SIZES["small"]["num_local_experts"]  # not in its config


@pytest.mark.slow
def test_a_run_logged_to_a_file_prints_a_line_per_evaluation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a terminal (a GPU job's log, CI) the progress bar draws only at the end: each
    evaluation is also a plain line on stderr, and stdout is the exported model's path."""
    from arctic_cli.train import trainer
    from arctic_cli.train.data import generate_examples

    tiny = {**SIZES["small"], "hidden_size": 64, "intermediate_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_local_experts": 4}  # fmt: skip
    monkeypatch.setitem(SIZES, "small", tiny)
    monkeypatch.setattr(trainer, "_eval_examples", lambda cfg: list(generate_examples(8, seed=1)))
    run = tmp_path / "run"
    flags = ["--examples", "60", "--steps", "2", "--batch-tokens", "2048", "--vocab-size", "400", "--threads", "2"]
    result = CliRunner().invoke(app, ["train", str(run), *flags])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^step 2/2  loss \d+\.\d{3}  eval \d+\.\d{3}  \d+ tok/s$", result.stderr, re.M)
    assert result.stdout.strip() == str(run / "model")
