"""The wheel ships every package, the prompt templates and the built-in model."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def declared_packages() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(data["tool"]["setuptools"]["packages"])


def test_every_package_is_declared() -> None:
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "arctic_cli").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    found.add("arctic_cli.prompts")  # mapped from the top-level prompts/ folder
    assert found == declared_packages()


def test_prompts_resolve_from_the_installed_package() -> None:
    from importlib.resources import files

    names = {p.name for p in files("arctic_cli.prompts").iterdir()}
    on_disk = {p.name for p in (ROOT / "prompts").iterdir() if p.suffix in (".txt", ".md")}
    assert on_disk <= names


@pytest.mark.slow
def test_wheel_contains_prompts_and_models(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("arctic_cli-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for prompt in (ROOT / "prompts").iterdir():
        if prompt.suffix in (".txt", ".md"):
            assert f"arctic_cli/prompts/{prompt.name}" in names
    for model_file in (ROOT / "arctic_cli" / "models").rglob("*"):
        if model_file.is_file() and model_file.suffix in (".json", ".safetensors"):
            assert model_file.relative_to(ROOT).as_posix() in names
    assert "arctic_cli/cli.py" in names


def test_a_source_checkout_on_pythonpath_finds_the_prompts(tmp_path: Path) -> None:
    """Without installing (PYTHONPATH=repo, no site-packages: no editable install's mapping of
    `arctic_cli.prompts` to prompts/), the templates come from the repository's prompts/."""
    code = (
        "from arctic_cli.sql.prompt import load_template\n"
        "from arctic_cli.codegen.task import render_prompt\n"
        "print(load_template('sql.txt'), end='')\n"
        "assert render_prompt('parse dates', 'python')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True,
        env={"PYTHONPATH": str(ROOT)}, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (ROOT / "prompts" / "sql.txt").read_text(encoding="utf-8")
