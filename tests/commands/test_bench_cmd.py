"""`arctic bench`: the contract's JSON keys on a tiny model, quantized and not, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.cli import app
from arctic_cli.engine.checkpoint import write_random_checkpoint

KEYS = {"prefill_tok_s", "decode_tok_s", "ttft_s", "peak_rss_mb", "weights_mb",
        "active_bytes_per_token", "achieved_gb_s"}  # fmt: skip


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ARCTIC_QUANT", raising=False)
    monkeypatch.delenv("ARCTIC_MODEL", raising=False)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_checkpoint(tmp_path_factory.mktemp("b"), hidden_size=128,
                                   intermediate_size=128, vocab_size=512)  # fmt: skip


def run(*args: str):  # type: ignore[no-untyped-def]
    small = ["--prompt-tokens", "8", "--new-tokens", "4", "--repeats", "1", "--device", "cpu"]
    return CliRunner().invoke(app, ["bench", *small, *args])


@pytest.mark.parametrize("quant", ["none", "int8", "int4"])
def test_json_has_the_contract_keys(model_dir: Path, quant: str) -> None:
    result = run("--model", str(model_dir), "--quant", quant, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert data["quant"] == quant and data["device"] == "cpu"
    assert data["prefill_tok_s"] > 0 and data["decode_tok_s"] > 0 and data["ttft_s"] > 0
    assert data["peak_rss_mb"] > data["weights_mb"] > 0
    # 2 of 4 experts per MoE layer: a decode step reads less than all the weights
    assert 0 < data["active_bytes_per_token"] < data["weights_mb"] * 2**20
    expected = data["active_bytes_per_token"] * data["decode_tok_s"] / 1e9
    assert data["achieved_gb_s"] == pytest.approx(expected, abs=0.01)


def test_int8_weights_are_smaller(model_dir: Path) -> None:
    plain = json.loads(run("--model", str(model_dir), "--format", "json").stdout)
    int8 = json.loads(run("--model", str(model_dir), "--quant", "int8", "--format", "json").stdout)
    assert int8["weights_mb"] < 0.5 * plain["weights_mb"]
    assert int8["active_bytes_per_token"] < 0.5 * plain["active_bytes_per_token"]


def test_text_output(model_dir: Path) -> None:
    result = run("--model", str(model_dir))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{model_dir} (none, cpu, ")
    assert [line.split()[0] for line in lines[1:3]] == ["prefill", "decode"]


def test_prompt_longer_than_context_exit_2(model_dir: Path) -> None:
    result = run("--model", str(model_dir), "--prompt-tokens", "5000")
    assert result.exit_code == 2
    assert "context window" in result.stderr


def test_missing_model_exit_2(tmp_path: Path) -> None:
    result = run("--model", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "error:" in result.stderr


def test_compile_reports_its_cost(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("--model", str(model_dir), "--compile", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= KEYS and 0 < data["compile_s"] <= data["load_s"]
    monkeypatch.setenv("ARCTIC_COMPILE", "1")  # the setting, as every other command reads it
    text = run("--model", str(model_dir))
    assert text.exit_code == 0 and "compiled in" in text.stdout
    plain = json.loads(run("--model", str(model_dir), "--format", "json").stdout)
    assert "compile_s" in plain  # still compiled: the environment says so
    monkeypatch.setenv("ARCTIC_COMPILE", "0")
    assert "compile_s" not in json.loads(run("--model", str(model_dir), "--format", "json").stdout)
