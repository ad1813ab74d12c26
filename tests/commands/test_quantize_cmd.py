"""`arctic quantize SRC DST`: what it writes, what it prints, and the inputs it refuses (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli.cli import app
from arctic_cli.engine.checkpoint import write_random_checkpoint


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_checkpoint(tmp_path_factory.mktemp("src"), hidden_size=128,
                                   intermediate_size=128, vocab_size=512)  # fmt: skip


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["quantize", *args])


def test_writes_a_quantized_directory(src: Path, tmp_path: Path) -> None:
    dst = tmp_path / "int4"
    result = run(str(src), str(dst), "--quant", "int4", "--group-size", "32", "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["mode"] == "int4" and summary["group_size"] == 32 and summary["path"] == str(dst)
    assert 0 < summary["ratio"] < 0.5
    config = json.loads((dst / "config.json").read_text())
    assert config["quantization"] == {"mode": "int4", "group_size": 32}
    assert config["hidden_size"] == 128
    assert sorted(p.name for p in dst.iterdir()) == [
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]  # fmt: skip


def test_text_summary(src: Path, tmp_path: Path) -> None:
    result = run(str(src), str(tmp_path / "q8"), "--quant", "int8")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {tmp_path / 'q8'} (int8): ")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--quant", "int3"], "--quant must be int8 or int4"),
        (["--quant", "none"], "--quant must be int8 or int4"),
        (["--quant", "int4", "--group-size", "100"], "--group-size must be 32, 64 or 128"),
    ],
)
def test_bad_options_exit_2(src: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    result = run(str(src), str(tmp_path / "out"), *extra)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {message}" or message in result.stderr
    assert not (tmp_path / "out").exists()


def test_refuses_non_empty_destination(src: Path, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("keep me")
    result = run(str(src), str(tmp_path / "busy"), "--quant", "int8")
    assert result.exit_code == 2
    assert "already exists and is not empty" in result.stderr
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"]


def test_refuses_already_quantized_source(src: Path, tmp_path: Path) -> None:
    assert run(str(src), str(tmp_path / "q"), "--quant", "int8").exit_code == 0
    result = run(str(tmp_path / "q"), str(tmp_path / "qq"), "--quant", "int4")
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'q'} is already quantized (int8)" in result.stderr
    assert "hint:" in result.stderr


def test_missing_source_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope"), str(tmp_path / "out"), "--quant", "int8")
    assert result.exit_code == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr
