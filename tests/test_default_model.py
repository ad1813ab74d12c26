"""The built-in model ships in the package, loads, and answers the README's main command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.backends import builtin_model_dir
from arctic_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    for var in ("ARCTIC_MODEL", "ARCTIC_ENDPOINT", "ARCTIC_QUANT", "ARCTIC_DEVICE"):
        monkeypatch.delenv(var, raising=False)


def test_builtin_model_is_installed_and_listed() -> None:
    path = builtin_model_dir()
    assert path is not None, "arctic_cli/models/default/ is missing"
    config = json.loads((path / "config.json").read_text())
    assert config["model_type"] == "arctic"
    assert config["parallel_attn_mlp_res"] is True and config["num_experts_per_tok"] == 2
    from arctic_cli.engine.config import read_generation_config

    # answers up to 512 tokens: twice its longest trained one (137), to a power of two
    assert read_generation_config(path).max_new_tokens == 512
    size = sum(f.stat().st_size for f in path.iterdir())
    assert size < 30 * 2**20  # the shipped files stay small
    models = json.loads(CliRunner().invoke(app, ["models", "--format", "json"]).stdout)["models"]
    assert models[0]["name"] == "default" and models[0]["default"] is True
    assert models[0]["architecture"] == "ArcticForCausalLM"


def test_readme_main_command_answers_with_sql() -> None:
    readme = (ROOT / "README.md").read_text()
    assert 'arctic sql "How many orders did each customer place?" --schema examples/shop.sql' in readme
    result = CliRunner().invoke(
        app,
        ["sql", "How many orders did each customer place?", "--schema", str(ROOT / "examples" / "shop.sql"),
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code in (0, 3), result.stderr
    answer = json.loads(result.stdout)
    assert answer["model"] == "default"
    assert answer["sql"].upper().startswith("SELECT")
    assert answer["valid"] is (result.exit_code == 0)
