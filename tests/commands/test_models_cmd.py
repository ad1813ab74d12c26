"""`arctic models` and `--model NAME` lookups in ARCTIC_HOME/models."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli import backends
from arctic_cli.cli import app
from arctic_cli.errors import UsageError

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_checkpoint: Path) -> Path:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    monkeypatch.delenv("ARCTIC_MODEL", raising=False)
    shutil.copytree(tiny_checkpoint, tmp_path / "models" / "tiny")
    (tmp_path / "models" / "not-a-model").mkdir()
    return tmp_path


def test_json_lists_kept_models_with_contract_keys(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "builtin_model_dir", lambda: None)
    result = runner.invoke(app, ["models", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["models"]  # the folder without a checkpoint is skipped
    assert set(entry) == {"name", "path", "default", "architecture", "parameters", "size_bytes", "quant"}
    assert entry["name"] == "tiny"
    assert entry["architecture"] == "ArcticForCausalLM"
    assert entry["quant"] == "none"
    assert entry["default"] is False

    from safetensors import safe_open

    total = 0
    with safe_open(str(home / "models" / "tiny" / "model.safetensors"), "pt") as f:
        for key in f.keys():  # noqa: SIM118 - safe_open is not a dict
            total += math.prod(f.get_slice(key).get_shape())
    assert entry["parameters"] == total


def test_the_configured_model_is_marked_default(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "builtin_model_dir", lambda: None)
    result = runner.invoke(app, ["models", "--format", "json", "--model", "tiny"])
    assert [m["default"] for m in json.loads(result.stdout)["models"]] == [True]


def test_builtin_model_is_listed_first_when_installed(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "builtin_model_dir", lambda: home / "models" / "tiny")
    models = json.loads(runner.invoke(app, ["models", "--format", "json"]).stdout)["models"]
    assert models[0]["name"] == "default" and models[0]["default"] is True


def test_model_name_resolves_in_arctic_home(home: Path) -> None:
    assert backends.resolve_model_dir("tiny") == home / "models" / "tiny"
    with pytest.raises(UsageError) as exc:
        backends.resolve_model_dir("nope")
    assert "neither a directory nor a model in" in exc.value.message


def test_int4_parameters_count_two_per_packed_byte(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arctic_cli.engine.quant_io import quantize_checkpoint
    from arctic_cli.models.catalog import describe

    src = home / "models" / "tiny"
    quantize_checkpoint(src, home / "q4", "int4", 32)
    plain, q4 = describe("a", src, False), describe("b", home / "q4", False)
    assert plain is not None and q4 is not None and q4.quant == "int4"
    # layers the int4 kernel cannot take stay float, so the count must match exactly either way
    assert q4.parameters == plain.parameters
