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
    from roicli.daytable import DayTable
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
    table: LongTable | DayTable,
    kpis: Mapping[str, Kpi],
    period: Period,
    coverage: Mapping[str, Coverage] | None = None,
) -> PeriodData:
    """Aggregate the day table (or a table of rows, summed per day first) to one value per KPI
    and period, and per group and period.

    ``coverage`` (per KPI, ratios included) says which periods are complete; by default, what
    the table's own days cover.

    Each configured KPI's day cells are picked in turn and reduced with NumPy over small integer
    keys: the period, and the (group, period) cell. Nothing depends on the order of the rows:
    sums are exact, and ``last`` takes the latest day, the largest value of that day breaking a
    tie (see ``_KpiCells.reduce``). Nothing runs in Python per row.
    """
    from roicli.daytable import DayTable, needs, of_rows

    if not isinstance(table, DayTable):
        table = of_rows(table, needs(kpis))
    counts = table.kpi_rows()
    rows = {name: int(n) for name, n in zip(table.kpi_names, counts.tolist(), strict=True) if n}
    present = [name for name in rows if name in kpis]
    calendar = _calendar(table.days, period)
    reduced: dict[tuple[str, Aggregation], _Reduced] = {}

    def reduce(name: str, aggregation: Aggregation) -> _Reduced:
        if (name, aggregation) not in reduced:
            picked = _KpiCells.pick(table, table.kpi_names.index(name), calendar)
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
class _KpiCells:
    """One KPI's day cells, with their period offsets and (group, period) keys."""

    table: DayTable
    code: int
    cells: npt.NDArray[np.intp]  # the KPI's cells in the table
    offset: npt.NDArray[np.int64]  # each cell's period ordinal − the calendar's first
    calendar: _Calendar

    @classmethod
    def pick(cls, table: DayTable, code: int, calendar: _Calendar) -> _KpiCells:
        """The cells of the KPI with this code."""
        import numpy as np

        cells = np.flatnonzero(table.kpi == code)
        return cls(table, code, cells, calendar.offset(table.days[cells]), calendar)

    def reduce(self, aggregation: Aggregation) -> _Reduced:
        """The KPI's values per period, and per group and period."""
        import numpy as np

        span = self.calendar.span
        if aggregation in _BY_VALUE:
            periods, total, cells, grouped = self._from_rows(aggregation)
        else:
            group = self.table.group[self.cells].astype(np.int64)
            periods, total = self._reduce(self.offset, span, aggregation)
            cells, grouped = self._reduce(
                group * span + self.offset, span * _width(self), aggregation
            )
        group, within = np.divmod(cells, span)
        first = self.calendar.first
        names = self.table.group_names
        groups: dict[str, dict[int, float]] = {}
        for g, o, value in zip(group.tolist(), within.tolist(), grouped.tolist(), strict=True):
            groups.setdefault(names[g], {})[o + first] = value
        return dict(zip((periods + first).tolist(), total.tolist(), strict=True)), groups

    def _reduce(
        self, key: npt.NDArray[np.int64], size: int, aggregation: Aggregation
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The keys present, ascending, and the aggregation of the cells of each.

        ``last`` is the latest day's value; when several rows share that day (several groups in
        the total, or several rows of one group), the largest of them: a rule that does not
        depend on the order of the rows.
        """
        import numpy as np

        cells = self.table.cells
        at = self.cells
        count = np.bincount(key, weights=cells.count[at], minlength=size).astype(np.float64)
        present = np.flatnonzero(count).astype(np.int64)
        if aggregation is Aggregation.COUNT:
            return present, count[present]
        if aggregation in (Aggregation.SUM, Aggregation.MEAN):
            sums = self._sums(key, size)[present]
            return present, sums if aggregation is Aggregation.SUM else sums / count[present]
        if aggregation is Aggregation.NPS:
            points = np.bincount(key, weights=cells.nps[at], minlength=size)
            return present, points[present] / count[present]
        if aggregation is Aggregation.MIN:
            low = np.full(size, np.inf)
            np.minimum.at(low, key, cells.low[at])
            return present, low[present]
        high = np.full(size, -np.inf)
        if aggregation is Aggregation.MAX:
            np.maximum.at(high, key, cells.high[at])
            return present, high[present]
        day = cells.days[at]  # LAST
        latest = np.full(size, np.iinfo(np.int64).min)
        np.maximum.at(latest, key, day)
        on = day == latest[key]
        np.maximum.at(high, key[on], cells.high[at][on])
        return present, high[present]

    def _sums(self, key: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.float64]:
        """Each key's exact sum, correctly rounded (``exactsum``)."""
        import numpy as np

        from roicli import exactsum

        limbs = np.zeros((size, exactsum.LIMBS), dtype=np.int64)
        np.add.at(limbs, key, self.table.cells.limbs[self.cells])
        extra = self._extra(key)
        used = np.flatnonzero(limbs.any(axis=1))
        sums = np.zeros(size)
        for at, row in zip(used.tolist(), limbs[used].tolist(), strict=True):
            sums[at] = exactsum.total(row, extra.pop(at, 0))
        for at, remainder in extra.items():
            sums[at] = exactsum.total([0] * exactsum.LIMBS, remainder)
        return sums

    def _extra(self, key: npt.NDArray[np.int64]) -> dict[int, int]:
        """The remainders below the sums' grid (rare), per key."""
        found: dict[int, int] = {}
        table = self.table
        if not table.extra:
            return found
        days, groups = table.cells.days[self.cells].tolist(), table.group[self.cells].tolist()
        where = {(d, g): int(k) for d, g, k in zip(days, groups, key.tolist(), strict=True)}
        for day, kpi, group, remainder in table.extra:
            if kpi == self.code and (day, group) in where:
                at = where[(day, group)]
                found[at] = found.get(at, 0) + remainder
        return found

    def _from_rows(
        self, aggregation: Aggregation
    ) -> tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.float64],
        npt.NDArray[np.int64],
        npt.NDArray[np.float64],
    ]:
        """Medians and distinct counts, from the KPI's kept rows."""
        import numpy as np

        kept = self.table.kept
        mine = kept.kpi == self.code
        # Often the only KPI whose rows are kept: then its rows are taken as they are.
        rows: slice | npt.NDArray[np.intp] = slice(None) if mine.all() else np.flatnonzero(mine)
        values = kept.values[rows]
        if len(values) != int(self.table.cells.count[self.cells].sum()):
            raise ValueError(f"the rows of {self.table.kpi_names[self.code]} were not kept")
        offset = self.calendar.offset(kept.days[rows])
        by_value = np.argsort(values)  # shared by the totals and the groups
        periods, total = _reduce(offset, values, by_value, aggregation)
        offset += kept.group[rows].astype(np.int64) * self.calendar.span
        cells, grouped = _reduce(offset, values, by_value, aggregation)
        return periods, total, cells, grouped


def _width(cells: _KpiCells) -> int:
    """How many groups the keys may number."""
    return max(len(cells.table.group_names), 1)


def _key_type(size: int) -> type[np.integer[Any]]:
    """The smallest type for keys below ``size``: NumPy radix-sorts 8- and 16-bit keys."""
    import numpy as np

    if size <= 1 << 8:
        return np.uint8
    return np.uint16 if size <= 1 << 16 else np.int64


def _reduce(
    key: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    by_value: npt.NDArray[np.intp],
    aggregation: Aggregation,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The keys (≥ 0) present, ascending, and the median or distinct count of each, from the
    rows sorted by value (``by_value``), so the same whatever the rows' order."""
    import numpy as np

    counts = np.bincount(key)
    present = np.flatnonzero(counts)
    small = key[by_value].astype(_key_type(len(counts)))
    ranked = by_value[np.argsort(small, kind="stable")]
    del small
    ordered, keys = values[ranked], key[ranked]
    del ranked
    ends = np.cumsum(counts)[present]
    size = counts[present]
    starts = ends - size
    if aggregation is Aggregation.MEDIAN:
        middle: npt.NDArray[np.float64] = ordered[starts + (size - 1) // 2]
        middle = middle + ordered[starts + size // 2]
        return present, middle / 2
    new = np.ones(len(ordered), dtype=np.float64)  # NUNIQUE
    new[1:] = (keys[1:] != keys[:-1]) | (ordered[1:] != ordered[:-1])
    distinct = np.bincount(keys, weights=new, minlength=len(counts))
    return present, distinct.astype(np.float64, copy=False)[present]


_BY_VALUE = frozenset({Aggregation.MEDIAN, Aggregation.NUNIQUE})


def _divide(
    numerator: Mapping[int, float], denominator: Mapping[int, float], scale: float
) -> dict[int, float]:
    """numerator / denominator × scale per period; no value where the denominator is 0."""
    common = sorted(numerator.keys() & denominator.keys())
    return {o: numerator[o] / denominator[o] * scale for o in common if denominator[o] != 0}


def _series(values: Mapping[int, float]) -> Series:
    return Series({int(o): float(v) for o, v in values.items() if math.isfinite(v)})
