"""A source read from several files: what a (date, KPI, group) found in two of them does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

from roicli.daytable import DayTable, merge, unified
from roicli.enums import Overlap
from roicli.errors import DataError, Location, shorten


def overlaid(files: Sequence[tuple[Path, DayTable]], overlap: Overlap) -> DayTable:
    """The day tables of a source's files (in name order) as one.

    Within a file, rows of the same day, KPI and group are summed up as usual (participant-level
    rows); between files, ``overlap`` decides: ``sum`` adds them up, ``latest`` keeps the later
    file's cells (and kept rows) for such a key, ``error`` stops at the first.
    """
    if len(files) == 1:
        return files[0][1]
    if overlap is Overlap.SUM:
        return merge([table for _, table in files])
    found = files[0][1]
    for position, (path, table) in enumerate(files[1:], start=1):
        before, after = unified([found, table])
        common = np.intersect1d(before.keys(), after.keys(), assume_unique=True)
        if overlap is Overlap.LATEST:
            before = before.without(common)
        elif len(common):
            raise _clash(files[:position], path, after, int(common[0]))
        found = merge([before, after])
    return found


def _clash(
    earlier: Sequence[tuple[Path, DayTable]], path: Path, table: DayTable, key: int
) -> DataError:
    """The error for a key of ``table`` that an earlier file holds too, naming that file."""
    day, kpi, group = table.describe(key)
    first = next(other for other, found in earlier if (day, kpi, group) in _named_keys(found, day))
    where = f"{day.isoformat()}, KPI {kpi!r}" + (f", group {shorten(group)!r}" if group else "")
    return DataError(
        f"{where} is also in {Location(first)}: roicli counts nothing twice",
        location=Location(path),
        fix="set overlap: latest in the source to keep the later file's rows, or overlap: sum "
        "to add them up",
    )


def _named_keys(table: DayTable, day: date) -> set[tuple[date, str, str]]:
    """The (day, KPI, group) of a table's cells on one day, by name."""
    on = table.days == np.datetime64(day, "D")
    return {
        (day, table.kpi_names[k], table.group_names[g])
        for k, g in zip(table.kpi[on].tolist(), table.group[on].tolist(), strict=True)
    }
