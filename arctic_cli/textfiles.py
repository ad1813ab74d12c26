"""Reading the text files users pass (schemas, SQL, prompts, context files, suites): one set of errors.

Every failure is a UsageError (exit 2) naming what the file was for: missing, a directory,
unreadable, binary (a NUL byte) or not UTF-8. A UTF-8 byte-order mark is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from arctic_cli.errors import UsageError


def read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist", hint="check the path") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path} is a directory", hint="pass a text file") from None
    except OSError as e:
        raise UsageError(f"cannot read {what} {path}: {e.strerror}", hint="check its permissions") from None


def decode(data: bytes, path: Path, what: str, hint: str = "pass a text file") -> str:
    return _text(data, f"{what} {path}", hint)


def _text(data: bytes, name: str, hint: str) -> str:
    """`data` as text (a UTF-8 byte-order mark dropped), or a UsageError naming `name`: binary (a
    NUL byte) or not UTF-8."""
    if b"\x00" in data[:8192]:
        raise UsageError(f"{name} is a binary file", hint=hint)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(
            f"{name} is not UTF-8 text (byte {e.start})", hint="convert it to UTF-8: iconv -f LATIN1 -t UTF-8"
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in `text`: what bytes that are not UTF-8 (argv, a JSON `\\udce9`)
    become in Python, and what no tokenizer or SQL parser accepts; None for proper text."""
    found = _SURROGATE.search(text)
    return found[0] if found else None


def read_stdin() -> str:
    """Piped stdin as text, by the rules of files; read as bytes, since the text layer would
    smuggle bytes that are not UTF-8 in as surrogates."""
    import sys

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text-only stream (an embedding program)
        return sys.stdin.read()
    return _text(buffer.read(), "stdin", hint="pipe a text file, not a binary one")


def read_text(path: Path, what: str, hint: str = "pass a text file") -> str:
    """A user's text file, or a UsageError saying why it cannot be used."""
    return decode(read_bytes(path, what), path, what, hint)


def packaged_prompt(name: str) -> str:
    """A prompt template shipped with arctic (`prompts/<name>`): package `arctic_cli.prompts` once
    installed; in a source checkout used through PYTHONPATH, the repository's prompts/ folder."""
    from importlib.resources import files

    try:
        return files("arctic_cli.prompts").joinpath(name).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        return (Path(__file__).resolve().parent.parent / "prompts" / name).read_text(encoding="utf-8")
