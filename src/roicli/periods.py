"""Calendar periods (ISO weeks, months, quarters) and the aggregation of the long frame to them.

A period is identified by its pandas ordinal (months since 1970-01 for months, and so on), so
gaps stay gaps and a least-squares line can be fitted against the ordinal directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from roicli.enums import Aggregation, Period

if TYPE_CHECKING:
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


def period_start(ordinal: int, period: Period) -> date:
    """The first day of a period."""
    day: date = _pd_period(ordinal, period).start_time.date()
    return day


def period_end(ordinal: int, period: Period) -> date:
    """The last day of a period."""
    day: date = _pd_period(ordinal, period).end_time.date()
    return day


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
    """Aggregate the long frame (date, kpi, group, value) to one value per KPI and period."""

    work = frame.assign(
        ordinal=frame["date"].dt.to_period(_FREQ[period]).array.asi8,
        kpi=frame["kpi"].astype(str),
        group=frame["group"].astype(str),
    )
    rows = {str(k): int(n) for k, n in work.groupby("kpi", observed=True).size().items()}
    totals: dict[str, Series] = {}
    by_group: dict[tuple[str, str], Series] = {}
    sums_total: dict[str, pd.Series] = {}
    sums_group: dict[str, pd.Series] = {}
    for key, part in work.groupby("kpi", sort=True, observed=True):
        kpi_key = str(key)
        definition = kpis.get(kpi_key)
        if definition is None:
            continue
        sums_total[kpi_key] = part.groupby("ordinal")["value"].sum()
        sums_group[kpi_key] = part.groupby(["group", "ordinal"])["value"].sum()
        if definition.aggregation is Aggregation.RATIO:
            continue
        totals[kpi_key] = _to_series(_reduce(part, ["ordinal"], definition.aggregation))
        grouped = _reduce(part, ["group", "ordinal"], definition.aggregation)
        for group_name, values in grouped.groupby(level="group", sort=True):
            by_group[(kpi_key, str(group_name))] = _to_series(values.droplevel("group"))
    for kpi_key, definition in kpis.items():
        if definition.ratio is None:
            continue
        scale = 100.0 if (definition.unit or "").strip() == "%" else 1.0
        num, den = definition.ratio.numerator, definition.ratio.denominator
        if num in sums_total and den in sums_total:
            totals[kpi_key] = _to_series(_divide(sums_total[num], sums_total[den], scale))
            ratio = _divide(sums_group[num], sums_group[den], scale)
            for group_name, values in ratio.groupby(level="group", sort=True):
                by_group[(kpi_key, str(group_name))] = _to_series(values.droplevel("group"))
    return PeriodData(period=period, totals=totals, by_group=by_group, rows=rows)


def _reduce(part: pd.DataFrame, keys: list[str], aggregation: Aggregation) -> pd.Series:
    values = part.groupby(keys, sort=True)["value"]
    if aggregation is Aggregation.NPS:
        # NPS = % promoters (9-10) minus % detractors (0-6), in points.
        score = (part["value"] >= 9).astype(float) * 100 - (part["value"] <= 6).astype(float) * 100
        return part.assign(value=score).groupby(keys, sort=True)["value"].mean()
    if aggregation is Aggregation.LAST:
        return part.sort_values("date", kind="stable").groupby(keys, sort=True)["value"].last()
    if aggregation is Aggregation.COUNT:
        return values.count().astype(float)
    if aggregation is Aggregation.NUNIQUE:
        return values.nunique().astype(float)
    return values.agg(aggregation.value)


def _divide(numerator: pd.Series, denominator: pd.Series, scale: float) -> pd.Series:
    joined = numerator.to_frame("num").join(denominator.to_frame("den"), how="inner")
    joined = joined[joined["den"] != 0]
    return joined["num"] / joined["den"] * scale


def _to_series(values: pd.Series) -> Series:
    pairs = zip(values.index.tolist(), values.tolist(), strict=True)
    return Series({int(o): float(v) for o, v in pairs if math.isfinite(v)})
