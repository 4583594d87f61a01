"""The one exception family of roicli: every user mistake is a RoicliError.

Each error knows where it happened (file, YAML line or data row/column, field) so the CLI can
print a single line that says what, where and how to fix it, then exit with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roicli.paths import shown_path

QUOTED_LIMIT = 60  # characters of a cell or a header name quoted in a message


def shorten(text: str, limit: int = QUOTED_LIMIT) -> str:
    """Text cut to ``limit`` characters, ending in "…" when cut: a 1 MB cell quoted in a message
    must not make a 1 MB error line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Location:
    """Where an error happened: a file, and a line (YAML) or a row and column (data)."""

    path: Path | str | None = None
    line: int | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        path = shown_path(self.path) if isinstance(self.path, Path) else self.path
        parts = [path] if path is not None else []
        if self.line is not None:
            parts.append(str(self.line))
        text = ":".join(parts)
        if self.row is not None:
            text += f", row {self.row}"
        if self.column is not None:
            text += f", column {shorten(self.column)!r}"
        return text


class RoicliError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.field = field
        self.fix = fix

    def __str__(self) -> str:
        prefix = str(self.location) if self.location else ""
        if self.field:
            prefix = f"{prefix}: {self.field}" if prefix else self.field
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.fix:
            text += f" ({self.fix})"
        return text


class ConfigError(RoicliError):
    """The configuration file is missing, malformed or inconsistent."""


class DataError(RoicliError):
    """A data source cannot be read, or holds values roicli cannot trust."""


class UsageError(RoicliError):
    """The command line asks for something impossible (bad option combination, unsafe path)."""
