"""Period references written in the config: ``2025-10``, ``2025-Q4``, ``2025-W40``, ``2025``
or a date. Each one stands for a calendar interval of days."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")

# The days a config or --as-of may name: the years the data readers accept (ingest.cells). Every
# computation (a 60-month benefit window, a 1,200-month horizon) then stays far inside ``date``.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)


@dataclass(frozen=True)
class PeriodRef:
    """A calendar interval named in the config, from ``start`` to ``end`` inclusive."""

    text: str
    start: date
    end: date


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def check_day(day: date) -> date:
    """The day itself when it lies between FIRST_DAY and LAST_DAY; ValueError otherwise."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {day} (check the year)"
        )
    return day


def parse_period_ref(value: Any) -> PeriodRef:
    """Parse a month, quarter, ISO week, year or single date; raise ValueError otherwise."""
    if isinstance(value, date):
        return PeriodRef(value.isoformat(), value, value)
    text = str(value).strip()
    try:
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            return PeriodRef(f"{year}-{month:02d}", date(year, month, 1), month_end(year, month))
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * quarter - 2
            return PeriodRef(f"{year}-Q{quarter}", date(year, first, 1), month_end(year, first + 2))
        if match := _WEEK.match(text):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return PeriodRef(text.upper(), monday, monday + timedelta(days=6))
        if match := _YEAR.match(text):
            year = int(match[1])
            return PeriodRef(text, date(year, 1, 1), date(year, 12, 31))
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return PeriodRef(day.isoformat(), day, day)
    raise ValueError(
        f"expected a period like 2025-10, 2025-Q4, 2025-W40 or a date like 2025-10-31, got {text!r}"
    )
