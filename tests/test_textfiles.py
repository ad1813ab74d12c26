"""One reader for the text files users pass: each failure is exit 2 with a message naming the file's role."""

from __future__ import annotations

from pathlib import Path

import pytest

from arctic_cli.errors import UsageError
from arctic_cli.textfiles import read_text


def test_reads_utf8_and_drops_a_bom(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("\ufeffhéllo".encode())
    assert read_text(f, "context file") == "héllo"


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda p: None, "context file {p} does not exist"),
        (lambda p: p.mkdir(), "context file {p} is a directory"),
        (lambda p: p.write_bytes(b"PK\x03\x04\x00\x00"), "context file {p} is a binary file"),
        (lambda p: p.write_bytes(b"\xff\xfe\xfa"), "context file {p} is not UTF-8 text (byte 0)"),
    ],
)
def test_bad_files_are_usage_errors(tmp_path: Path, setup, needle: str) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "f"
    setup(p)
    with pytest.raises(UsageError) as exc:
        read_text(p, "context file")
    assert exc.value.message == needle.format(p=p)
    assert exc.value.exit_code == 2


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "f"
    p.write_text("x")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)  # root can read a chmod 000 file
    with pytest.raises(UsageError) as exc:
        read_text(p, "context file")
    assert exc.value.message == f"cannot read context file {p}: Permission denied"


@pytest.mark.parametrize(
    ("data", "rc", "needle"),
    [
        (b"SELECT id FROM orders", 0, ""),
        (b"\xef\xbb\xbfSELECT id FROM orders", 0, ""),  # a BOM is dropped
        (b"SELECT 'caf\xe9' FROM orders", 2, "error: stdin is not UTF-8 text (byte 11)"),
        (b"\x7fELF\x02\x01\x00\x00binary", 2, "error: stdin is a binary file"),
    ],
)
def test_piped_stdin_follows_the_rules_of_files(tmp_path: Path, data: bytes, rc: int, needle: str) -> None:
    """Through a real pipe (CliRunner's stdin is strict UTF-8 and hid this): Python's text layer
    turned bad bytes into surrogates, and the tokenizer then failed with an internal error."""
    import subprocess
    import sys

    shop = Path(__file__).resolve().parents[1] / "examples" / "shop.sql"
    result = subprocess.run(
        [sys.executable, "-m", "arctic_cli", "validate", "-", "--schema", str(shop)],
        input=data, capture_output=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "ARCTIC_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == rc, result.stderr
    assert result.stderr.decode().startswith(needle)
