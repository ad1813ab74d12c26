"""Settings with one precedence: command-line flag > environment > config file > default.

`ARCTIC_HOME` (default: the platform's per-user config directory) holds `config.toml` and the
history database. Every setting is declared once in `SETTINGS`: its environment variable, its
default and the parser that validates a raw string (from the environment, the config file or
`arctic config set`). Nothing heavy is imported here: this module is on the CLI's start-up path.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arctic_cli.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

BUILTIN_MODEL = "default"


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = str(raw).strip().lower()
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value

    parse.choices = choices  # type: ignore[attr-defined]
    return parse


def _float_range(lo: float, hi: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ValueError("expected a number") from None
        if not lo <= value <= hi:
            raise ValueError(f"expected a number from {lo:g} to {hi:g}")
        return value

    return parse


def _positive_int(raw: str) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError("expected a whole number") from None
    if value <= 0:
        raise ValueError("expected a whole number above 0")
    return value


def _bool(raw: str) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _text(raw: str) -> str:
    value = str(raw).strip()
    if not value:
        raise ValueError("expected a non-empty value")
    return value


def _url(raw: str) -> str:
    value = _text(raw)
    if not value.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// URL such as http://localhost:8000/v1")
    return value.rstrip("/")


def _dialect(raw: str) -> str:
    value = _text(raw).lower()
    from sqlglot.dialects.dialect import Dialect  # lazy: sqlglot is not a start-up import

    known = sorted(k for k in Dialect.classes if k)
    if value not in known:
        raise ValueError(f"unknown SQL dialect; known: {', '.join(known)}")
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: Any
    parse: Callable[[str], Any]
    help: str


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("model", "ARCTIC_MODEL", BUILTIN_MODEL, _text, "model name or checkpoint directory"),
        Setting("endpoint", "ARCTIC_ENDPOINT", None, _url, "OpenAI-compatible base URL (remote model)"),
        Setting("device", "ARCTIC_DEVICE", "auto", _choice("auto", "cpu", "cuda"), "where the local model runs"),
        Setting("quant", "ARCTIC_QUANT", "none", _choice("none", "int8", "int4"), "weight quantization on load"),
        Setting("compile", "ARCTIC_COMPILE", False, _bool, "compile the local decode step (torch.compile)"),
        Setting("temperature", "ARCTIC_TEMPERATURE", 0.0, _float_range(0.0, 5.0), "sampling temperature (0 = greedy)"),
        Setting("max_tokens", "ARCTIC_MAX_TOKENS", 512, _positive_int, "most tokens generated per answer"),
        Setting("dialect", "ARCTIC_DIALECT", "sqlite", _dialect, "default SQL dialect"),
        Setting("log", "ARCTIC_LOG", True, _bool, "keep a history log of exchanges"),
        Setting("api_key", "ARCTIC_API_KEY", None, _text, "bearer token for --endpoint (never shown)"),
        Setting("remote_model", "ARCTIC_REMOTE_MODEL", None, _text, "model name to ask the endpoint for"),
    )
}


def arctic_home() -> Path:
    """The folder holding config.toml and the history database."""
    env = os.environ.get("ARCTIC_HOME")
    if env:
        return Path(env).expanduser()
    import typer  # already imported by the CLI; get_app_dir is the platform's per-user config dir

    return Path(typer.get_app_dir("arctic"))


def config_path() -> Path:
    return arctic_home() / "config.toml"


def _check(key: str, raw: Any, where: str) -> Any:
    setting = SETTINGS[key]
    try:
        return setting.parse(raw)
    except ValueError as e:
        raise UsageError(
            f"invalid value {raw!r} for {key} ({where}): {e}",
            hint="see `arctic config show` for the current settings",
        ) from None


def _unknown_key(key: str, where: str) -> UsageError:
    return UsageError(
        f"unknown setting {key!r} ({where})",
        hint=f"valid keys: {', '.join(SETTINGS)}",
    )


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's raw values (empty when there is none)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}", hint="check its permissions") from None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(
            f"{path} is not valid TOML: {e}", hint="fix it by hand or delete it"
        ) from None
    for key in data:
        if key not in SETTINGS:
            raise _unknown_key(key, str(path))
    return data


@dataclass(frozen=True)
class Value:
    value: Any
    source: str  # "flag" | "env" | "config" | "default"


SECRET_KEYS = frozenset({"api_key"})


def shown(key: str, value: Any) -> Any:
    """A value fit for display: secrets are masked, never echoed."""
    if key in SECRET_KEYS and value:
        return "***"
    return value


class Settings(Mapping[str, Value]):
    """Resolved settings: `settings.model`, or `settings["model"].source` for where it came from."""

    def __init__(self, values: dict[str, Value]):
        self._values = values

    def __getitem__(self, key: str) -> Value:
        return self._values[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key].value
        except KeyError:
            raise AttributeError(key) from None


def resolve(flags: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting. `flags` maps keys to values given on the command line (None = not given)."""
    flags = flags or {}
    env = os.environ if env is None else env
    file_values: dict[str, Any] | None = None
    values: dict[str, Value] = {}
    for key, setting in SETTINGS.items():
        if flags.get(key) is not None:
            values[key] = Value(_check(key, flags[key], "command line"), "flag")
        elif env.get(setting.env):
            values[key] = Value(_check(key, env[setting.env], setting.env), "env")
        else:
            if file_values is None:
                file_values = read_config_file()
            if key in file_values:
                values[key] = Value(_check(key, file_values[key], "config file"), "config")
            else:
                values[key] = Value(setting.default, "default")
    return Settings(values)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value))  # JSON string escapes are valid TOML basic strings


def write_config_file(data: Mapping[str, Any], path: Path | None = None) -> Path:
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# arctic settings: edit by hand or with `arctic config set KEY VALUE`"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in data.items()]
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a config file
    return path


def set_value(key: str, raw: str) -> Any:
    """Validate and store one setting in the config file; returns the parsed value."""
    key = key.replace("-", "_")
    if key not in SETTINGS:
        raise _unknown_key(key, "arctic config set")
    value = _check(key, raw, "arctic config set")
    data = read_config_file()
    data[key] = value
    write_config_file(data)
    return value


def unset_value(key: str) -> bool:
    """Remove one setting from the config file; returns whether it was there."""
    key = key.replace("-", "_")
    if key not in SETTINGS:
        raise _unknown_key(key, "arctic config unset")
    data = read_config_file()
    if key not in data:
        return False
    del data[key]
    write_config_file(data)
    return True
