"""Which days a KPI's data cover, judged by the data's own granularity (pure).

A monthly export with one row dated the 1st (or the last day) of each month covers whole
months; a weekly one, whole weeks; anything else covers the days from its first to its last
row. A period is complete for a KPI only when these days hold all of it: a period the data
cover in part, at the start of a source or at its end, is never used for a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from roicli.periodspec import month_end

if TYPE_CHECKING:
    from roicli.daytable import DayTable
    from roicli.longtable import LongTable

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DENSE_SHARE = 0.5  # daily data hold a row on at least half the days they span


class Granularity(StrEnum):
    """How often a KPI's rows are dated."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    EVENTS = "events"  # rows on scattered days (campaigns, survey answers): whole months


@dataclass(frozen=True)
class Coverage:
    """The first and last day a KPI's data cover, and the granularity that says so."""

    first: date
    last: date
    granularity: Granularity

    def holds(self, start: date, end: date) -> bool:
        """Whether the data cover every day from ``start`` to ``end``."""
        return self.first <= start and end <= self.last

    def until(self, day: date) -> Coverage:
        """The same coverage, ending no later than ``day``."""
        return Coverage(self.first, min(self.last, day), self.granularity)


def granularity(days: list[date]) -> Granularity:
    """Month when every row is dated the 1st, or every row the last day of its month, or two or
    more months each hold one day, always the same day of the month (a monthly export dated the
    15th); week when two or more days are all a whole number of weeks apart; events when the
    rows fall on fewer than half the days of their span (sends, answers: their months are
    whole, nothing is missing on the other days); day otherwise."""
    if all(day.day == 1 for day in days) or all(day == month_end_of(day) for day in days):
        return Granularity.MONTH
    months = {(day.year, day.month) for day in days}
    if len(days) >= 2 and len(months) == len(days) and len({day.day for day in days}) == 1:
        return Granularity.MONTH
    if len(days) >= 2 and all((day - days[0]).days % 7 == 0 for day in days):
        return Granularity.WEEK
    if len(days) < DENSE_SHARE * ((days[-1] - days[0]).days + 1):
        return Granularity.EVENTS
    return Granularity.DAY


def month_end_of(day: date) -> date:
    """The last day of a day's month."""
    return month_end(day.year, day.month)


def coverage_of(days: list[date]) -> Coverage:
    """The days covered by rows on these distinct, sorted days."""
    kind = granularity(days)
    first, last = days[0], days[-1]
    if kind in (Granularity.MONTH, Granularity.EVENTS):
        return Coverage(first.replace(day=1), month_end_of(last), kind)
    if kind is Granularity.WEEK:
        return Coverage(first, last + timedelta(days=6), kind)
    return Coverage(first, last, kind)


def intersect(left: Coverage, right: Coverage) -> Coverage | None:
    """The days both cover (a ratio's two parts), or None when they share none."""
    first, last = max(left.first, right.first), min(left.last, right.last)
    if first > last:
        return None
    kind = left.granularity if left.granularity == right.granularity else Granularity.DAY
    return Coverage(first, last, kind)


def kpi_coverage(table: LongTable | DayTable) -> dict[str, Coverage]:
    """Each KPI's coverage, from the distinct days it has rows on (no sort of the rows)."""
    import numpy as np

    if not len(table):
        return {}
    day = table.days.view(np.int64)
    first_day = int(day.min())
    span = int(day.max()) - first_day + 1
    present = np.zeros(len(table.kpi_names) * span, dtype=np.bool_)
    present[table.kpi.astype(np.int64) * span + (day - first_day)] = True
    found: dict[str, Coverage] = {}
    for code, name in enumerate(table.kpi_names):
        offsets = np.flatnonzero(present[code * span : (code + 1) * span])
        if len(offsets):
            days = [date.fromordinal(_EPOCH_ORDINAL + first_day + int(o)) for o in offsets]
            found[name] = coverage_of(days)
    return found


def ratio_coverage(
    coverage: Mapping[str, Coverage], numerator: str, denominator: str
) -> Coverage | None:
    """A ratio KPI's coverage: the days both its parts cover."""
    if numerator not in coverage or denominator not in coverage:
        return None
    return intersect(coverage[numerator], coverage[denominator])
