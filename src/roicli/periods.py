"""Calendar periods (ISO weeks, months, quarters) and the aggregation of the long frame to them.

A period is identified by its pandas ordinal (months since 1970-01 for months, and so on), so
gaps stay gaps and a least-squares line can be fitted against the ordinal directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from roicli.enums import Aggregation, Period

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from roicli.config import Kpi

_FREQ = {Period.WEEK: "W-SUN", Period.MONTH: "M", Period.QUARTER: "Q"}


def _pd_period(ordinal: int, period: Period) -> pd.Period:
    import pandas as pd

    return pd.Period(ordinal=ordinal, freq=_FREQ[period])


def period_of(day: date, period: Period) -> int:
    """The ordinal of the period that contains a day."""
    import pandas as pd

    return int(pd.Period(day, freq=_FREQ[period]).ordinal)


@cache  # called for every point of every series: a pandas Period costs microseconds
def period_start(ordinal: int, period: Period) -> date:
    """The first day of a period."""
    day: date = _pd_period(ordinal, period).start_time.date()
    return day


@cache
def period_end(ordinal: int, period: Period) -> date:
    """The last day of a period."""
    day: date = _pd_period(ordinal, period).end_time.date()
    return day


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
    from roicli.periodspec import month_end

    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, month_end(year, month_index + 1).day))


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
    """Every KPI aggregated to periods, for all groups together and for each group."""

    period: Period
    totals: Mapping[str, Series]
    by_group: Mapping[tuple[str, str], Series]
    rows: Mapping[str, int]

    def series(self, kpi: str, group: str | None = None) -> Series:
        """The series of a KPI over all groups, or for one group (empty when absent)."""
        if group is None:
            return self.totals.get(kpi, Series())
        return self.by_group.get((kpi, group), Series())

    def groups(self, kpi: str) -> list[str]:
        """The non-empty groups a KPI has data for."""
        return sorted(g for k, g in self.by_group if k == kpi and g)


def aggregate(frame: pd.DataFrame, kpis: Mapping[str, Kpi], period: Period) -> PeriodData:
    """Aggregate the long frame (date, kpi, group, value) to one value per KPI and period.

    The rows are put in KPI order once (a radix sort of small integer codes, which keeps file
    order within a KPI); each configured KPI is then a contiguous slice that pandas' grouped
    kernels reduce by integer keys, per period and per (group, period). Categorical kpi and
    group columns are used as they are. Nothing runs in Python per row or per group.
    """
    import numpy as np

    kpi_code, kpi_names = _codes(frame["kpi"])
    counts = np.bincount(kpi_code, minlength=len(kpi_names))
    rows = {name: int(n) for name, n in zip(kpi_names, counts, strict=True) if n}
    present = {name: position for position, name in enumerate(n for n in rows if n in kpis)}
    slot = np.full(len(kpi_names), len(present), dtype=np.int16 if len(present) < 2**15 else int)
    slot[[kpi_names.index(name) for name in present]] = list(present.values())
    row_slot = slot[kpi_code]
    del kpi_code  # row-sized temporaries go as soon as they are used: big exports need the room
    bounds = [0, *np.cumsum(np.bincount(row_slot, minlength=len(present) + 1)).tolist()]
    order = np.argsort(row_slot, kind="stable")[: bounds[len(present)]]
    del row_slot
    group_code, group_names = _codes(frame["group"])
    ordinal = _ordinals(frame["date"], period)[order]
    first = int(ordinal.min()) if len(ordinal) else 0
    span = int(ordinal.max()) - first + 1 if len(ordinal) else 1
    cell = group_code[order].astype(np.int64)  # in place from here: 10M-row arrays add up
    cell *= span
    cell += ordinal
    cell -= first
    sorted_rows = _KpiRows(
        values=frame["value"].to_numpy(dtype="float64")[order],
        ordinal=ordinal,
        cell=cell,
        dates=frame["date"],
        order=order,
        first=first,
        span=span,
        group_names=group_names,
    )
    reduced: dict[tuple[str, Aggregation], _Reduced] = {}

    def reduce(name: str, aggregation: Aggregation) -> _Reduced:
        if (name, aggregation) not in reduced:
            part = slice(bounds[present[name]], bounds[present[name] + 1])
            reduced[(name, aggregation)] = sorted_rows.reduce(part, aggregation)
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
    return PeriodData(period=period, totals=totals, by_group=by_group, rows=rows)


_Reduced = tuple[dict[int, float], dict[str, dict[int, float]]]  # per period; per group, period


@dataclass(frozen=True)
class _KpiRows:
    """The configured KPIs' rows in KPI order, each row's period and its (group, period) cell."""

    values: npt.NDArray[np.float64]
    ordinal: npt.NDArray[np.int64]
    cell: npt.NDArray[np.int64]  # group code × span + (ordinal − first)
    dates: pd.Series  # in the frame's order; ``order`` maps these rows to it
    order: npt.NDArray[np.intp]
    first: int
    span: int
    group_names: list[str]

    def reduce(self, part: slice, aggregation: Aggregation) -> _Reduced:
        """One KPI's values per period, and per group and period (NaN where none counts)."""
        import numpy as np

        values, ordinal, cell = self.values[part], self.ordinal[part], self.cell[part]
        if aggregation is Aggregation.LAST:  # the latest date wins; file order breaks ties
            by_date = np.argsort(self.dates.to_numpy()[self.order[part]], kind="stable")
            values, ordinal, cell = values[by_date], ordinal[by_date], cell[by_date]
        total = _reduce(ordinal, values, aggregation)
        grouped = _reduce(cell, values, aggregation)
        group, offset = np.divmod(grouped.index.to_numpy(), self.span)
        groups: dict[str, dict[int, float]] = {}
        for g, o, value in zip(group.tolist(), offset.tolist(), grouped.tolist(), strict=True):
            groups.setdefault(self.group_names[g], {})[o + self.first] = value
        return dict(zip(total.index.tolist(), total.tolist(), strict=True)), groups


def _codes(column: pd.Series) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Integer codes of a text column, numbered in the order of the sorted texts, and the texts.

    Numbering by text makes the grouped reductions meet their keys in the same order as when
    grouping by the text itself (pandas picks its summation kernel by that order).
    """
    import numpy as np
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype) and not column.hasnans:
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
    names = [str(name) for name in uniques]
    ranked = sorted(range(len(names)), key=names.__getitem__)
    renumber = np.empty(len(names), dtype=np.int32)
    renumber[ranked] = np.arange(len(names))
    return renumber[codes], [names[i] for i in ranked]


def _ordinals(dates: pd.Series, period: Period) -> npt.NDArray[np.int64]:
    """Each date's period ordinal, numbered as pandas numbers its periods.

    Worked out once per calendar day in the data's range, then looked up per row.
    """
    import numpy as np

    days = dates.to_numpy(dtype="datetime64[D]", copy=True).view(np.int64)
    if not len(days):
        return days
    first = int(days.min())
    calendar = np.arange(first, int(days.max()) + 1)
    days -= first
    if period is Period.WEEK:  # weeks end on Sunday; day 0, 1970-01-01, was a Thursday
        table = (calendar + 3) // 7 + 1
    else:
        table = calendar.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        table = table if period is Period.MONTH else table // 3
    return table[days]


def _reduce(
    key: npt.NDArray[np.int64], values: npt.NDArray[np.float64], aggregation: Aggregation
) -> pd.Series:
    """The aggregation of the values with the same key, indexed by key."""
    import numpy as np
    import pandas as pd

    if aggregation is Aggregation.NPS:
        # NPS = % promoters (9-10) minus % detractors (0-6), in points.
        values = np.where(values >= 9, 100.0, 0.0) - np.where(values <= 6, 100.0, 0.0)
    grouped = pd.Series(values).groupby(key, sort=True)
    if aggregation in (Aggregation.NPS, Aggregation.MEAN):
        return grouped.mean()
    if aggregation is Aggregation.LAST:
        return grouped.last()
    if aggregation is Aggregation.COUNT:
        return grouped.count().astype(float)
    if aggregation is Aggregation.NUNIQUE:
        return grouped.nunique().astype(float)
    return grouped.agg(aggregation.value)


def _divide(
    numerator: Mapping[int, float], denominator: Mapping[int, float], scale: float
) -> dict[int, float]:
    """numerator / denominator × scale per period; no value where the denominator is 0."""
    common = sorted(numerator.keys() & denominator.keys())
    return {o: numerator[o] / denominator[o] * scale for o in common if denominator[o] != 0}


def _series(values: Mapping[int, float]) -> Series:
    return Series({int(o): float(v) for o, v in values.items() if math.isfinite(v)})
