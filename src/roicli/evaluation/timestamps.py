"""Timestamps as survey and LMS tools write them; one format decided per column.

A column's format is the first of ``FORMATS`` that reads every one of its cells, so that
``1/9/2020`` is read like the column's ``12/13/2019`` (month first), never day first by chance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from roicli.errors import DataError, Location, shorten

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
# strptime formats, month-first before day-first: the order decides a column both could read.
FORMATS = (
    "%m/%d/%Y %H:%M:%S",  # Google Forms, English sheet: 12/13/2019 12:02:32
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",  # Microsoft Forms, English: 3/4/2024 9:05:11 AM
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",  # Google Forms, French sheet (Horodateur): 13/12/2019 12:02:32
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y %B %d %H:%M",  # Moodle legacy log: 2017 June 8 11:04
    "%A, %B %d, %Y, %I:%M %p",  # Moodle worksheet: Monday, February 7, 2022, 10:45 PM
    "%d %B %Y, %I:%M %p",  # Moodle gradebook: 7 February 2022, 10:45 PM
    "%d %B %Y, %H:%M",
)


def parse_column(
    cells: Sequence[object], *, path: Path, rows: Sequence[int], column: str
) -> list[dt.datetime | None]:
    """Each cell as a naive date-time (None when empty); an unreadable one is a DataError."""
    texts = [_text(cell) for cell in cells]
    result: list[dt.datetime | None] = [
        cell if isinstance(cell, dt.datetime) else None for cell in cells
    ]
    pending = [i for i, text in enumerate(texts) if text and result[i] is None]
    if not pending:
        return result
    if all(_ISO.fullmatch(texts[i]) for i in pending):
        for i in pending:
            result[i] = _naive(dt.datetime.fromisoformat(texts[i]))
        return result
    for form in FORMATS:
        parsed = [_strptime(texts[i], form) for i in pending]
        if all(value is not None for value in parsed):
            for i, value in zip(pending, parsed, strict=True):
                result[i] = value
            return result
    unread = [i for i in pending if not any(_strptime(texts[i], form) for form in FORMATS)]
    first = unread[0] if unread else pending[-1]
    problem = "as a date and time" if unread else "in the same format as the column's first dates"
    raise DataError(
        f"cannot read {shorten(texts[first])!r} {problem}",
        location=Location(path, row=rows[first], column=column),
        fix="check the timestamp column, or set timestamp: to another column",
    )


def _text(cell: object) -> str:
    if cell is None or isinstance(cell, dt.datetime):
        return ""
    return str(cell).strip()


def _strptime(text: str, form: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, form)
    except ValueError:
        return None


def _naive(value: dt.datetime) -> dt.datetime:
    """A zoned time in UTC without its zone, so that all compare; a naive one as it is."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)
