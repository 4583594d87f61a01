"""The run history: each report's JSON, inputs' SHA-256 and as-of date in a SQLite file.

One row per (config file name, as-of date): a rerun replaces its row, so cron retries are
idempotent. The schema is versioned with ``PRAGMA user_version`` and migrated forward inside the
writing transaction; a file from a newer roicli is refused before anything is written to it.
Writers take the lock at once (``BEGIN IMMEDIATE``) and wait for one another up to
BUSY_TIMEOUT seconds. Every problem is a HistoryError, one line: the report never fails on it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from roicli.errors import RoicliError
from roicli.paths import shown_path

SCHEMA_VERSION = 1
BUSY_TIMEOUT = 30.0  # seconds a run waits for another one writing the history
FOLDER = ".roicli"
FILE_NAME = "history.sqlite"

_SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    config TEXT NOT NULL,
    as_of TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    roicli_version TEXT NOT NULL,
    config_sha256 TEXT NOT NULL,
    report TEXT NOT NULL,
    UNIQUE (config, as_of)
);
CREATE TABLE IF NOT EXISTS inputs (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
);
"""
# MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_SCHEMA_1,)
assert len(MIGRATIONS) == SCHEMA_VERSION


class HistoryError(RoicliError):
    """The history cannot be read or written: why, in one line, naming the file. A report
    only warns about it; the `history` command stops on it (exit 2)."""


@dataclass(frozen=True)
class Run:
    """One recorded run."""

    as_of: date
    recorded_at: str
    roicli_version: str
    config_sha256: str
    inputs: tuple[tuple[str, str], ...]  # (path, SHA-256) of each input file
    report_text: str

    def report(self) -> dict[str, Any]:
        """The run's JSON report."""
        data: dict[str, Any] = json.loads(self.report_text)
        return data


def default_path(config: Path) -> Path:
    """The history beside a config file: ``.roicli/history.sqlite`` in its folder."""
    return config.parent / FOLDER / FILE_NAME


def read_runs(path: Path, config: str) -> list[Run]:
    """The config's recorded runs, oldest as-of first; none when the file does not exist."""
    if not path.exists():
        return []
    with _reading(path) as connection:
        if _user_version(connection) == 0:
            return []
        rows = connection.execute(
            "SELECT id, as_of, recorded_at, roicli_version, config_sha256, report FROM runs "
            "WHERE config = ? ORDER BY as_of",
            (config,),
        ).fetchall()
        inputs: dict[int, list[tuple[str, str]]] = {}
        for run_id, input_path, sha256 in connection.execute(
            "SELECT inputs.run_id, inputs.path, inputs.sha256 FROM inputs "
            "JOIN runs ON runs.id = inputs.run_id WHERE runs.config = ? ORDER BY inputs.rowid",
            (config,),
        ):
            inputs.setdefault(run_id, []).append((input_path, sha256))
    return [
        Run(
            as_of=_day(path, as_of),
            recorded_at=recorded_at,
            roicli_version=version,
            config_sha256=config_sha256,
            inputs=tuple(inputs.get(run_id, ())),
            report_text=report,
        )
        for run_id, as_of, recorded_at, version, config_sha256, report in rows
    ]


def record_run(
    path: Path,
    *,
    config: str,
    as_of: date,
    roicli_version: str,
    config_sha256: str,
    inputs: Sequence[tuple[str, str]],
    report_text: str,
) -> None:
    """Record a run, replacing the config's run of the same as-of date, in one transaction."""
    recorded_at = datetime.now(UTC).isoformat(timespec="seconds")

    def write(connection: sqlite3.Connection) -> None:
        connection.execute(
            "DELETE FROM runs WHERE config = ? AND as_of = ?", (config, as_of.isoformat())
        )
        cursor = connection.execute(
            "INSERT INTO runs (config, as_of, recorded_at, roicli_version, config_sha256, report)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (config, as_of.isoformat(), recorded_at, roicli_version, config_sha256, report_text),
        )
        connection.executemany(
            "INSERT OR REPLACE INTO inputs (run_id, path, sha256) VALUES (?, ?, ?)",
            [(cursor.lastrowid, input_path, sha256) for input_path, sha256 in inputs],
        )

    _write(path, write)


def prune(path: Path, config: str, keep: int) -> int:
    """Keep the config's ``keep`` latest runs (by as-of date); how many were removed."""
    if not path.exists():
        return 0
    removed = 0

    def write(connection: sqlite3.Connection) -> None:
        nonlocal removed
        removed = connection.execute(
            "DELETE FROM runs WHERE config = ? AND id NOT IN "
            "(SELECT id FROM runs WHERE config = ? ORDER BY as_of DESC LIMIT ?)",
            (config, config, keep),
        ).rowcount

    _write(path, write)
    return removed


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT, isolation_level=None, uri=uri)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (it never creates nor changes the file); SQLite errors as a
    HistoryError."""
    with _errors(path, "cannot read"):
        # Read-write where allowed, though nothing is written: a run killed while writing
        # leaves a journal that only such a connection can roll back.
        mode = "rw" if os.access(path, os.W_OK) else "ro"
        uri = f"{path.resolve().as_uri()}?mode={mode}"
        with closing(_connect(uri, uri=True)) as connection:
            _check_version(path, connection)
            yield connection


def _write(path: Path, write: Callable[[sqlite3.Connection], None]) -> None:
    """Run ``write`` in one immediate transaction, after migrating the schema forward."""
    with _errors(path, "cannot write"):
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(_connect(str(path))) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                _check_version(path, connection)
                _migrate(connection)
                write(connection)
            except BaseException:
                connection.rollback()
                raise
            connection.commit()


def _check_version(path: Path, connection: sqlite3.Connection) -> None:
    version = _user_version(connection)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{shown_path(path)}: written by a newer roicli (history schema {version}; this "
            f"roicli knows up to {SCHEMA_VERSION}), left as it is (upgrade roicli, or use "
            "--history with another file)"
        )


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION, one step at a time, inside the open transaction."""
    version = _user_version(connection)
    for step in range(version, SCHEMA_VERSION):
        for statement in filter(str.strip, MIGRATIONS[step].split(";")):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {step + 1}")


def _user_version(connection: sqlite3.Connection) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def _day(path: Path, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HistoryError(f"{shown_path(path)}: a run has a bad as-of date {text!r}") from None


@contextmanager
def _errors(path: Path, doing: str) -> Iterator[None]:
    """SQLite and file-system errors as one HistoryError line naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise HistoryError(f"{shown_path(path)}: {doing} the history: {exc}") from exc
    except OSError as exc:
        raise HistoryError(
            f"{shown_path(path)}: {doing} the history: {exc.strerror or exc}"
        ) from exc
