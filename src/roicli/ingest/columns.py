"""Which of a table's columns the config maps, and the error when one is not there."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from roicli.config import Source
from roicli.enums import Layout
from roicli.errors import DataError, Location, shorten
from roicli.ingest.kpimatch import name_key

_LISTED = 20  # columns shown in an error before "… and N more"


@dataclass(frozen=True)
class Mapped:
    """The header names that play each role; ``values`` maps value columns to KPI keys.

    For a long layout ``values`` holds the one value column (its KPI comes from the kpi column).
    """

    date: str
    kpi: str | None
    group: str | None
    values: Mapping[str, str | None]
    unmatched: tuple[str, ...]


def wanted(source: Source) -> list[str]:
    """The column names the config asks for, in order: date, kpi, value, group."""
    columns = source.columns
    return [name for name in (columns.date, columns.kpi, columns.value, columns.group) if name]


def map_columns(
    names: Sequence[str],
    source: Source,
    lookup: Mapping[str, str],
    *,
    path: Path,
    header_at: str | None,
) -> Mapped:
    """Find the configured columns among a header's names (case-insensitive)."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name_key(name), name)
    columns = source.columns
    found: dict[str, str | None] = {}
    for role in ("date", "kpi", "value", "group"):
        asked = getattr(columns, role)
        if asked is None:
            found[role] = None
            continue
        if name_key(asked) not in by_key:
            raise missing_column(path, role, asked, names, header_at=header_at)
        found[role] = by_key[name_key(asked)]
    if source.layout is Layout.DATES_IN_COLUMNS:
        from roicli.ingest.layouts import date_headers  # it builds on this module

        dated = date_headers(names, source, path=path)
        return Mapped("", found["kpi"], found["group"], dict.fromkeys(dated), ())
    date = found["date"]
    assert date is not None  # the date column is required by the config model
    if source.layout is Layout.LONG:
        value = found["value"]
        assert value is not None  # required for a long layout by the config model
        return Mapped(date, found["kpi"], found["group"], {value: None}, ())
    taken = {date, found["group"]}
    values: dict[str, str | None] = {}
    unmatched: list[str] = []
    for name in names:
        if name in taken or not name.strip() or name in values:
            continue
        key = lookup.get(name_key(name))
        if key is None:
            unmatched.append(name)
            continue
        if key in values.values():
            other = next(column for column, kpi in values.items() if kpi == key)
            raise DataError(
                f"columns {shorten(other)!r} and {shorten(name)!r} both stand for KPI {key!r}",
                location=Location(path),
                fix=f"keep only one of these names in kpis.{key} (key, label, aliases)",
            )
        values[name] = key
    return Mapped(date, None, found["group"], values, tuple(unmatched))


def missing_column(
    path: Path, role: str, asked: str, names: Sequence[str], *, header_at: str | None
) -> DataError:
    """A mapped column is absent: list what is there and suggest the closest name.

    ``header_at`` says where the header was looked for ("line 3", "row 2"), if anywhere.
    """
    shown = [name for name in names if name.strip()]
    close = difflib.get_close_matches(asked, shown, n=1, cutoff=0.6)
    if not close:
        keys = {name_key(name): name for name in shown}
        near = difflib.get_close_matches(name_key(asked), list(keys), n=1, cutoff=0.6)
        close = [keys[near[0]]] if near else []
    hint = f" (did you mean {shorten(close[0])!r}?)" if close else ""
    listed = ", ".join(repr(shorten(name)) for name in shown[:_LISTED])
    if len(shown) > _LISTED:
        listed += f", … and {len(shown) - _LISTED} more"
    where = f"the header on {header_at} has" if header_at else "the columns are"
    available = f"; {where}: {listed}" if shown else "; no header row was found"
    return DataError(
        f"column {shorten(asked)!r} (columns.{role}) not found{hint}{available}",
        location=Location(path),
        fix=f"set columns.{role} to one of the file's columns"
        + (", or skip_rows to the lines before the header" if header_at else ""),
    )


def unique_names(names: Sequence[str]) -> list[str]:
    """Header names made unique the way spreadsheets do (``Name``, ``Name.1``)."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}.{count}")
    return result
