"""Settings precedence (flag > env > config file > default), validation and `arctic config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arctic_cli import settings
from arctic_cli.cli import app
from arctic_cli.errors import UsageError

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARCTIC_HOME", str(tmp_path))
    for s in settings.SETTINGS.values():
        monkeypatch.delenv(s.env, raising=False)
    return tmp_path


def test_defaults() -> None:
    resolved = settings.resolve()
    assert resolved.model == "default"
    assert resolved["model"].source == "default"
    assert resolved.temperature == 0.0
    assert resolved.endpoint is None


def test_precedence_flag_over_env_over_file_over_default(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "config.toml").write_text('temperature = 0.3\nmax_tokens = 64\nquant = "int8"\n')
    monkeypatch.setenv("ARCTIC_TEMPERATURE", "0.6")
    monkeypatch.setenv("ARCTIC_MAX_TOKENS", "32")
    resolved = settings.resolve({"temperature": 0.9, "max_tokens": None})
    assert (resolved.temperature, resolved["temperature"].source) == (0.9, "flag")
    assert (resolved.max_tokens, resolved["max_tokens"].source) == (32, "env")
    assert (resolved.quant, resolved["quant"].source) == ("int8", "config")
    assert (resolved.device, resolved["device"].source) == ("auto", "default")


def test_bad_env_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_QUANT", "int3")
    with pytest.raises(UsageError) as exc:
        settings.resolve()
    assert "ARCTIC_QUANT" in exc.value.message
    assert exc.value.exit_code == 2


def test_broken_config_file_is_a_usage_error(home: Path) -> None:
    (home / "config.toml").write_text("temperature = = 1\n")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "config.toml is not valid TOML" in result.stderr
    assert "hint: fix it by hand or delete it" in result.stderr


def test_config_set_then_show_json(home: Path) -> None:
    result = runner.invoke(app, ["config", "set", "max-tokens", "99"])
    assert result.exit_code == 0, result.output
    assert (home / "config.toml").read_text().splitlines()[-1] == "max_tokens = 99"
    result = runner.invoke(app, ["config", "show", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["settings"]["max_tokens"] == {"value": 99, "source": "config", "env": "ARCTIC_MAX_TOKENS"}
    assert data["config_path"] == str(home / "config.toml")


def test_config_round_trips_strings_with_quotes(home: Path) -> None:
    settings.set_value("model", 'C:\\models\\my "arctic"')
    assert settings.resolve().model == 'C:\\models\\my "arctic"'


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("nope", "1", "valid keys: model, endpoint"),
        ("temperature", "hot", "expected a number"),
        ("quant", "int3", "expected one of none, int8, int4"),
        ("endpoint", "localhost:8000", "expected an http:// or https:// URL"),
        ("dialect", "postgresql", "unknown SQL dialect"),
        ("max_tokens", "0", "above 0"),
    ],
)
def test_config_set_rejects_bad_keys_and_values(home: Path, key: str, value: str, needle: str) -> None:
    with pytest.raises(UsageError) as exc:
        settings.set_value(key, value)
    assert needle in f"{exc.value.message} {exc.value.hint}"
    assert not (home / "config.toml").exists()


def test_config_set_cli_exit_code_and_message(home: Path) -> None:
    result = runner.invoke(app, ["config", "set", "nope", "1"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown setting 'nope' (arctic config set)\n"
        "hint: valid keys: model, endpoint, device, quant, compile, temperature, max_tokens, dialect, log, "
        "api_key, remote_model\n"
    )


def test_config_unset_and_path(home: Path) -> None:
    settings.set_value("dialect", "postgres")
    assert settings.resolve().dialect == "postgres"
    assert settings.unset_value("dialect") is True
    assert settings.resolve()["dialect"].source == "default"
    assert settings.unset_value("dialect") is False
    result = runner.invoke(app, ["config", "path"])
    assert result.stdout.strip() == str(home / "config.toml")


def test_api_key_is_never_shown(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCTIC_API_KEY", "sk-secret-123")
    result = runner.invoke(app, ["config", "show", "--format", "json"])
    assert "sk-secret-123" not in result.output
    assert json.loads(result.stdout)["settings"]["api_key"]["value"] == "***"
    result = runner.invoke(app, ["config", "show"])
    assert "sk-secret-123" not in result.output


def test_unknown_key_in_config_file_is_reported(home: Path) -> None:
    (home / "config.toml").write_text('colour = "blue"\n')
    with pytest.raises(UsageError) as exc:
        settings.resolve()
    assert "colour" in exc.value.message
