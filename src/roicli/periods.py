"""Calendar periods (ISO weeks, months, quarters) and the aggregation of the long table to them.

A period is identified by its ordinal, numbered as pandas numbers its periods (months since
1970-01, quarters since 1970-Q1, weeks ending on Sunday with the one holding 1970-01-01 as 1), so
gaps stay gaps and a least-squares line can be fitted against the ordinal directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from roicli.coverage import Coverage, kpi_coverage, ratio_coverage
from roicli.enums import Aggregation, Period
from roicli.periodspec import month_end

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from roicli.config import Kpi
    from roicli.longtable import LongTable

_EPOCH = date(1970, 1, 1)  # a Thursday: its week, Monday 1969-12-29 to Sunday, is week 1


def period_of(day: date, period: Period) -> int:
    """The ordinal of the period that contains a day."""
    if period is Period.WEEK:
        return ((day - _EPOCH).days + 3) // 7 + 1
    months = (day.year - 1970) * 12 + day.month - 1
    return months if period is Period.MONTH else months // 3


@cache  # called for every point of every series
def period_start(ordinal: int, period: Period) -> date:
    """The first day of a period."""
    if period is Period.WEEK:
        return _EPOCH + timedelta(days=(ordinal - 1) * 7 - 3)
    year, month = divmod(ordinal if period is Period.MONTH else ordinal * 3, 12)
    return date(1970 + year, month + 1, 1)


@cache
def period_end(ordinal: int, period: Period) -> date:
    """The last day of a period."""
    start = period_start(ordinal, period)
    if period is Period.WEEK:
        return start + timedelta(days=6)
    last_month = start.month if period is Period.MONTH else start.month + 2
    return month_end(start.year, last_month)


@cache
def period_label(ordinal: int, period: Period) -> str:
    """``2026-01``, ``2026-Q1`` or the ISO week ``2026-W03``."""
    start = period_start(ordinal, period)
    if period is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period is Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the last day of a shorter month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, month_end(year, month_index + 1).day))


def whole_periods(first_day: date, last_day: date, period: Period) -> range:
    """The periods that lie wholly between two days (inclusive): a 3-month window counted in
    weeks takes only the weeks inside it; a month's baseline in weeks takes no day outside it."""
    first = period_of(first_day, period)
    if period_start(first, period) < first_day:
        first += 1
    last = period_of(last_day, period)
    if period_end(last, period) > last_day:
        last -= 1
    return range(first, max(first, last + 1))


def last_complete_period(as_of: date, period: Period) -> int:
    """The latest period whose last day is on or before the as-of date."""
    current = period_of(as_of, period)
    return current if period_end(current, period) <= as_of else current - 1


@dataclass(frozen=True)
class Series:
    """A KPI's period values (ordinal → value); absent ordinals are gaps, never zeros."""

    values: Mapping[int, float] = field(default_factory=dict)

    def ordinals(self) -> list[int]:
        """The periods that have a value, in order."""
        return sorted(self.values)

    def between(self, first: int, last: int) -> list[tuple[int, float]]:
        """(ordinal, value) pairs for first ≤ ordinal ≤ last, in order."""
        return [(o, self.values[o]) for o in self.ordinals() if first <= o <= last]

    def until(self, last: int) -> list[tuple[int, float]]:
        """(ordinal, value) pairs up to and including ``last``, in order."""
        return [(o, self.values[o]) for o in self.ordinals() if o <= last]

    def __bool__(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True)
class PeriodData:
    """Every KPI aggregated to periods, for all groups together and for each group.

    ``series`` holds the complete periods only, those the KPI's data cover in full; ``shown``
    adds the partial ones, for display.
    """

    period: Period
    totals: Mapping[str, Series]
    by_group: Mapping[tuple[str, str], Series]
    rows: Mapping[str, int]
    coverage: Mapping[str, Coverage] = field(default_factory=dict)

    def shown(self, kpi: str, group: str | None = None) -> Series:
        """Every period of a KPI with data, partial ones included (empty when absent)."""
        if group is None:
            return self.totals.get(kpi, Series())
        return self.by_group.get((kpi, group), Series())

    def series(self, kpi: str, group: str | None = None) -> Series:
        """The complete periods of a KPI over all groups, or for one group."""
        every = self.shown(kpi, group)
        return Series({o: v for o, v in every.values.items() if self.complete(kpi, o)})

    def complete(self, kpi: str, ordinal: int) -> bool:
        """Whether the KPI's data cover the whole period."""
        found = self.coverage.get(kpi)
        period = self.period
        return found is not None and found.holds(
            period_start(ordinal, period), period_end(ordinal, period)
        )

    def groups(self, kpi: str) -> list[str]:
        """The non-empty groups a KPI has data for."""
        return list(self._groups.get(kpi, ()))

    @cached_property
    def _groups(self) -> dict[str, tuple[str, ...]]:
        """Each KPI's non-empty groups, sorted: found once, not once per objective."""
        found: dict[str, list[str]] = {}
        for kpi, group in self.by_group:
            if group:
                found.setdefault(kpi, []).append(group)
        return {kpi: tuple(sorted(groups)) for kpi, groups in found.items()}


def aggregate(
    table: LongTable,
    kpis: Mapping[str, Kpi],
    period: Period,
    coverage: Mapping[str, Coverage] | None = None,
) -> PeriodData:
    """Aggregate the long table to one value per KPI and period, and per group and period.

    ``coverage`` (per KPI, ratios included) says which periods are complete; by default, what
    the table's own days cover.

    Each configured KPI's rows are picked in turn (one comparison of the KPI codes, which keeps
    file order) and reduced with NumPy over small integer keys: the period, and the (group,
    period) cell. One KPI at a time, a ten-million-row table needs memory for one KPI's rows
    only. Nothing runs in Python per row or per group.
    """
    counts = table.kpi_rows()
    rows = {name: int(n) for name, n in zip(table.kpi_names, counts.tolist(), strict=True) if n}
    present = [name for name in rows if name in kpis]
    calendar = _calendar(table.days, period)
    reduced: dict[tuple[str, Aggregation], _Reduced] = {}

    def reduce(name: str, aggregation: Aggregation) -> _Reduced:
        if (name, aggregation) not in reduced:
            picked = _KpiRows.pick(table, table.kpi_names.index(name), calendar)
            reduced[(name, aggregation)] = picked.reduce(aggregation)
        return reduced[(name, aggregation)]

    totals: dict[str, Series] = {}
    by_group: dict[tuple[str, str], Series] = {}
    for name in present:
        aggregation = kpis[name].aggregation
        if aggregation is not Aggregation.RATIO:
            total, groups = reduce(name, aggregation)
            totals[name] = _series(total)
            by_group.update({(name, group): _series(cells) for group, cells in groups.items()})
    for key, definition in kpis.items():
        ratio = definition.ratio
        if ratio is None or ratio.numerator not in present or ratio.denominator not in present:
            continue
        scale = 100.0 if (definition.unit or "").strip() == "%" else 1.0
        num_total, num_groups = reduce(ratio.numerator, Aggregation.SUM)
        den_total, den_groups = reduce(ratio.denominator, Aggregation.SUM)
        totals[key] = _series(_divide(num_total, den_total, scale))
        for group in sorted(num_groups.keys() & den_groups.keys()):
            divided = _divide(num_groups[group], den_groups[group], scale)
            if divided:
                by_group[(key, group)] = _series(divided)
    if coverage is None:
        coverage = with_ratios(kpi_coverage(table), kpis)
    return PeriodData(period, totals, by_group, rows, coverage)


def with_ratios(coverage: Mapping[str, Coverage], kpis: Mapping[str, Kpi]) -> dict[str, Coverage]:
    """The coverage of each KPI with data, a ratio's being what both its parts cover."""
    found = dict(coverage)
    for key, definition in kpis.items():
        if definition.ratio is not None:
            ratio = definition.ratio
            both = ratio_coverage(coverage, ratio.numerator, ratio.denominator)
            if both is not None:
                found[key] = both
    return found


_Reduced = tuple[dict[int, float], dict[str, dict[int, float]]]  # per period; per group, period


@dataclass(frozen=True)
class _Calendar:
    """Every day of the data's range with its period, as an offset from the first period."""

    first_day: int  # days since 1970-01-01
    offsets: npt.NDArray[np.int64]  # per day from the first: its period ordinal − first
    first: int  # the first period's ordinal
    span: int  # periods from the first to the last

    def offset(self, days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
        """Each day's period offset."""
        import numpy as np

        found: npt.NDArray[np.int64] = self.offsets[days.view(np.int64) - self.first_day]
        return found


def _calendar(days: npt.NDArray[np.datetime64], period: Period) -> _Calendar:
    """The calendar of the days' range; each day's ordinal as ``period_of`` numbers it."""
    import numpy as np

    day = days.view(np.int64)
    first_day = int(day.min()) if len(day) else 0
    calendar = np.arange(first_day, int(day.max()) + 1 if len(day) else 1)
    if period is Period.WEEK:  # weeks end on Sunday; day 0, 1970-01-01, was a Thursday
        ordinal = (calendar + 3) // 7 + 1
    else:
        ordinal = calendar.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        ordinal = ordinal if period is Period.MONTH else ordinal // 3
    first = int(ordinal[0])
    ordinal -= first
    return _Calendar(first_day, ordinal, first, int(ordinal[-1]) + 1)


@dataclass(frozen=True)
class _KpiRows:
    """One KPI's rows in file order: values, dates, period offsets and (group, period) cells."""

    values: npt.NDArray[np.float64]
    days: npt.NDArray[np.datetime64]
    offset: npt.NDArray[np.int64]  # the row's period ordinal − the calendar's first
    cell: npt.NDArray[np.int64]  # group code × span + offset
    calendar: _Calendar
    group_names: tuple[str, ...]

    @classmethod
    def pick(cls, table: LongTable, code: int, calendar: _Calendar) -> _KpiRows:
        """The rows of the KPI with this code."""
        import numpy as np

        rows = np.flatnonzero(table.kpi == code)
        days = table.days[rows]
        offset = calendar.offset(days)
        cell = table.group[rows].astype(np.int64)
        cell *= calendar.span
        cell += offset
        values = table.values[rows]
        return cls(values, days, offset, cell, calendar, table.group_names)

    def reduce(self, aggregation: Aggregation) -> _Reduced:
        """The KPI's values per period, and per group and period."""
        import numpy as np

        values, offset, cell = self.values, self.offset, self.cell
        if aggregation is Aggregation.LAST:  # the latest date wins; file order breaks ties
            by_date = np.argsort(self.days, kind="stable")
            values, offset, cell = values[by_date], offset[by_date], cell[by_date]
        periods, total = _reduce(offset, values, aggregation)
        cells, grouped = _reduce(cell, values, aggregation)
        group, within = np.divmod(cells, self.calendar.span)
        first = self.calendar.first
        groups: dict[str, dict[int, float]] = {}
        for g, o, value in zip(group.tolist(), within.tolist(), grouped.tolist(), strict=True):
            groups.setdefault(self.group_names[g], {})[o + first] = value
        return dict(zip((periods + first).tolist(), total.tolist(), strict=True)), groups


def _key_type(size: int) -> type[np.integer[Any]]:
    """The smallest type for keys below ``size``: NumPy radix-sorts 8- and 16-bit keys."""
    import numpy as np

    if size <= 1 << 8:
        return np.uint8
    return np.uint16 if size <= 1 << 16 else np.int64


def _reduce(
    key: npt.NDArray[np.int64], values: npt.NDArray[np.float64], aggregation: Aggregation
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The keys (≥ 0) present, ascending, and the aggregation of the values of each."""
    import numpy as np

    counts = np.bincount(key)
    present = np.flatnonzero(counts)
    if aggregation is Aggregation.COUNT:
        return present, counts[present].astype(np.float64)
    if aggregation in (Aggregation.SUM, Aggregation.MEAN, Aggregation.NPS):
        if aggregation is Aggregation.NPS:
            # NPS = % promoters (9-10) minus % detractors (0-6), in points.
            values = np.where(values >= 9, 100.0, 0.0) - np.where(values <= 6, 100.0, 0.0)
        sums = _sums(key, values, counts)[present]
        return present, sums if aggregation is Aggregation.SUM else sums / counts[present]
    return present, _order_statistic(key, values, counts, present, aggregation)


def _sums(
    key: npt.NDArray[np.int64], values: npt.NDArray[np.float64], counts: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """Sums per key, added up as distances to a whole number near each key's mean.

    Whole numbers (counts, sessions, leads) add up exactly; values clustered around their
    mean lose far less to rounding than in one running total of millions of rows.
    """
    import numpy as np

    size = len(counts)
    rough = np.bincount(key, weights=values, minlength=size)
    pivot = np.rint(rough / np.maximum(counts, 1))
    sums = np.bincount(key, weights=values - pivot[key], minlength=size)
    sums += counts * pivot
    return sums.astype(np.float64, copy=False)


def _order_statistic(
    key: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    counts: npt.NDArray[np.intp],
    present: npt.NDArray[np.intp],
    aggregation: Aggregation,
) -> npt.NDArray[np.float64]:
    """Median, minimum, maximum, distinct count or last value of each key present.

    Rows are sorted by key, stably, so that a key's last row is its last in the given order;
    for the median and the distinct count, by value within each key.
    """
    import numpy as np

    by_value = np.argsort(values) if aggregation in _BY_VALUE else None
    keys = key if by_value is None else key[by_value]
    ranked = np.argsort(keys.astype(_key_type(len(counts))), kind="stable")
    if by_value is not None:
        ranked = by_value[ranked]
    ordered, keys = values[ranked], key[ranked]
    ends = np.cumsum(counts)[present]
    size = counts[present]
    starts = ends - size
    if aggregation is Aggregation.MEDIAN:
        middle: npt.NDArray[np.float64] = ordered[starts + (size - 1) // 2]
        middle = middle + ordered[starts + size // 2]
        return middle / 2
    if aggregation is Aggregation.NUNIQUE:
        new = np.ones(len(ordered), dtype=np.float64)
        new[1:] = (keys[1:] != keys[:-1]) | (ordered[1:] != ordered[:-1])
        distinct = np.bincount(keys, weights=new, minlength=len(counts))
        return distinct.astype(np.float64, copy=False)[present]
    if aggregation in (Aggregation.MIN, Aggregation.MAX):
        extreme = np.minimum if aggregation is Aggregation.MIN else np.maximum
        return extreme.reduceat(ordered, starts).astype(np.float64, copy=False)
    return ordered[ends - 1]  # LAST


_BY_VALUE = frozenset({Aggregation.MEDIAN, Aggregation.NUNIQUE})


def _divide(
    numerator: Mapping[int, float], denominator: Mapping[int, float], scale: float
) -> dict[int, float]:
    """numerator / denominator × scale per period; no value where the denominator is 0."""
    common = sorted(numerator.keys() & denominator.keys())
    return {o: numerator[o] / denominator[o] * scale for o in common if denominator[o] != 0}


def _series(values: Mapping[int, float]) -> Series:
    return Series({int(o): float(v) for o, v in values.items() if math.isfinite(v)})
