"""Language names: canonical names, aliases, fence tags and file extensions for `arctic code`."""

from __future__ import annotations

from pathlib import Path

# canonical name -> (aliases accepted by --lang and in fence tags, file extensions)
LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "python": (("py", "python3"), (".py", ".pyw")),
    "sql": ((), (".sql",)),
    "json": ((), (".json",)),
    "javascript": (("js", "node"), (".js", ".mjs", ".cjs")),
    "typescript": (("ts",), (".ts", ".tsx")),
    "bash": (("sh", "shell", "zsh"), (".sh", ".bash")),
    "rust": (("rs",), (".rs",)),
    "go": (("golang",), (".go",)),
    "java": ((), (".java",)),
    "c": ((), (".c", ".h")),
    "cpp": (("c++", "cxx"), (".cpp", ".cc", ".cxx", ".hpp")),
    "ruby": (("rb",), (".rb",)),
    "html": ((), (".html", ".htm")),
    "css": ((), (".css",)),
    "yaml": (("yml",), (".yaml", ".yml")),
    "toml": ((), (".toml",)),
}

DEFAULT = "python"


def normalize(name: str) -> str:
    """The canonical name for a --lang value or fence tag; unknown names pass through lower-cased."""
    key = name.strip().lower()
    for canonical, (aliases, _) in LANGUAGES.items():
        if key == canonical or key in aliases:
            return canonical
    return key


def from_path(path: str | Path) -> str | None:
    """The language a file name's extension implies, or None when it says nothing we know."""
    suffix = Path(path).suffix.lower()
    for canonical, (_, extensions) in LANGUAGES.items():
        if suffix in extensions:
            return canonical
    return None


def fence_tags(language: str) -> set[str]:
    """Fence info strings that mark a block as `language` (```py, ```python3 ...)."""
    aliases, _ = LANGUAGES.get(language, ((), ()))
    return {language, *aliases}
