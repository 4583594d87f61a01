"""Each table every renderer shows, declared once: its columns, in order, with the label, the
kind of value and where it is shown. A column added here appears in every output that shows
its tier; the renderers only format a kind their own way (a terminal bar, a workbook number
format, a CSV plain number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum
from typing import Any

from roicli.enums import Lang, Reliability, Verdict
from roicli.i18n import (
    fmt_before_after,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_ratio,
    fmt_share,
    t,
    term,
)
from roicli.messages import localize
from roicli.model import ObjectiveResult, RoiFigures, Smart
from roicli.render.view import benefit_text, range_text, shows_progress
from roicli.rounding import value_decimals


class Kind(StrEnum):
    """What a column holds, which says how to write it."""

    TEXT = "text"
    NUMBER = "number"  # a KPI value
    MONEY = "money"
    SHARE = "share"  # a fraction shown as a percentage (0.755 → 75.5 %)
    POINTS = "points"  # a percentage in points (12.3 → 12.3 %)
    RATIO = "ratio"
    MONTHS = "months"
    COUNT = "count"
    WHOLE = "whole"  # a figure written as a whole number by convention (an NPS: 36, not 36.36)
    DATE = "date"
    TERM = "term"  # a closed-set value: isolation, level
    STATUS = "status"
    SMART = "smart"
    MESSAGE = "message"  # a translatable message
    BEFORE_AFTER = "before_after"  # an objective's pre/post comparison, in words
    BENEFIT = "benefit"  # money, or why there is none
    RANGE = "range"  # a benefit's interval, in words (exports use its two bounds as MONEY)


class Tier(IntEnum):
    """Where a column is shown: a narrow terminal shows CORE, reports add REPORT, exports all."""

    CORE = 1
    REPORT = 2
    EXPORT = 3


@dataclass(frozen=True)
class Column:
    """One column: its label key, its kind, how to read it from a row, where it is shown."""

    key: str
    kind: Kind
    value: Callable[[Any], Any]
    tier: Tier = Tier.CORE

    def shown(self, tier: Tier) -> bool:
        """Whether an output of this tier shows the column."""
        return self.tier <= tier


def for_objective(column: Column, objective: ObjectiveResult) -> Column:
    """The column as an objective's row shows it: its KPI's values whole when they are NPS."""
    if column.kind is Kind.NUMBER and value_decimals(objective.aggregation) == 0:
        return replace(column, kind=Kind.WHOLE)
    return column


def _kpi(objective: ObjectiveResult) -> str | None:
    label = objective.kpi_label or objective.kpi
    return f"{label} ({objective.group})" if label and objective.group else label


def _progress(objective: ObjectiveResult) -> float | None:
    return objective.progress if shows_progress(objective) else None


def _bound(objective: ObjectiveResult, side: str) -> float | None:
    found = objective.benefit_range
    return None if found is None else float(getattr(found, side))


def _reliable(objective: ObjectiveResult) -> Reliability | None:
    found = objective.benefit_range
    if found is None:
        return None
    return Reliability.RELIABLE if found.reliable else Reliability.ROUGH


def _pre_post(field: str) -> Callable[[ObjectiveResult], float | None]:
    def value(objective: ObjectiveResult) -> float | None:
        found: float | None = getattr(objective.pre_post, field, None)
        return found

    return value


# Status and benefit come right after the id: what a reader looks for first, and what a
# workbook keeps beside the frozen id column.
OBJECTIVE_COLUMNS: tuple[Column, ...] = (
    Column("col.id", Kind.TEXT, lambda o: o.id),
    Column("col.status", Kind.STATUS, lambda o: o.status),
    Column("col.benefit", Kind.BENEFIT, lambda o: o),
    Column("col.benefit_range", Kind.RANGE, lambda o: o),
    Column("col.progress", Kind.SHARE, _progress),
    Column("col.current", Kind.NUMBER, lambda o: o.current),
    Column("col.target", Kind.NUMBER, lambda o: o.target),
    Column("col.kpi", Kind.TEXT, _kpi),
    Column("col.isolation", Kind.TERM, lambda o: o.isolation),
    Column("col.smart", Kind.SMART, lambda o: o.smart),
    Column("col.baseline", Kind.NUMBER, lambda o: o.baseline, Tier.REPORT),
    Column("col.projected", Kind.NUMBER, lambda o: o.projected, Tier.REPORT),
    Column("col.before_after", Kind.BEFORE_AFTER, lambda o: o.pre_post, Tier.REPORT),
    Column("col.deadline", Kind.DATE, lambda o: o.deadline, Tier.REPORT),
    Column("col.objective", Kind.TEXT, lambda o: o.title, Tier.REPORT),
    Column("col.level", Kind.TERM, lambda o: o.level, Tier.EXPORT),
    Column("col.owner", Kind.TEXT, lambda o: o.owner, Tier.EXPORT),
    Column("col.business_goal", Kind.TEXT, lambda o: o.business_goal, Tier.EXPORT),
    Column("col.unit", Kind.TEXT, lambda o: o.unit, Tier.EXPORT),
    Column("col.current_period", Kind.TEXT, lambda o: o.current_period, Tier.EXPORT),
    Column("col.before_mean", Kind.NUMBER, _pre_post("before_mean"), Tier.EXPORT),
    Column("col.after_mean", Kind.NUMBER, _pre_post("after_mean"), Tier.EXPORT),
    Column("col.change_pct", Kind.POINTS, _pre_post("change_pct"), Tier.EXPORT),
    Column("col.status_reason", Kind.MESSAGE, lambda o: o.status_reason, Tier.EXPORT),
    Column("col.periods_counted", Kind.COUNT, lambda o: o.periods_counted, Tier.EXPORT),
    Column("col.data_to", Kind.DATE, lambda o: o.data_to, Tier.EXPORT),
    Column("col.benefit_low", Kind.MONEY, lambda o: _bound(o, "low"), Tier.EXPORT),
    Column("col.benefit_high", Kind.MONEY, lambda o: _bound(o, "high"), Tier.EXPORT),
    Column("col.range_reliable", Kind.TERM, lambda o: _reliable(o), Tier.EXPORT),
)
# The kinds that only words can show: exports give their numbers in columns of their own.
WORDS_ONLY = frozenset({Kind.BEFORE_AFTER, Kind.RANGE})

FIGURE_ROWS: tuple[Column, ...] = (
    Column("col.costs", Kind.MONEY, lambda f: f.costs),
    Column("col.benefits", Kind.MONEY, lambda f: f.benefits),
    Column("col.net_benefit", Kind.MONEY, lambda f: f.net_benefit),
    Column("col.roi_pct", Kind.POINTS, lambda f: f.roi_pct),
    Column("col.bcr", Kind.RATIO, lambda f: f.bcr),
    Column("col.payback", Kind.MONTHS, lambda f: f.payback_months),
    Column("col.break_even", Kind.RATIO, lambda f: f.break_even_factor, Tier.REPORT),
    Column("col.basis", Kind.TERM, lambda f: f.basis),
    Column("col.note", Kind.MESSAGE, lambda f: f.note, Tier.REPORT),
)


# An objective's forecast before launch, in KPI units a month as the KPI moves.
FORECAST_COLUMNS: tuple[Column, ...] = (
    Column("col.id", Kind.TEXT, lambda o: o.id),
    Column("col.kpi", Kind.TEXT, lambda o: o.kpi_label),
    Column("col.forecast_change", Kind.NUMBER, lambda o: o.change),
    Column("col.monthly_benefit", Kind.MONEY, lambda o: o.monthly_benefit),
    Column("col.first_year_benefit", Kind.MONEY, lambda o: o.first_year),
    Column("col.break_even_change", Kind.NUMBER, lambda o: o.break_even),
)


def columns(table: tuple[Column, ...], tier: Tier) -> list[Column]:
    """The columns an output of this tier shows, in order."""
    return [column for column in table if column.shown(tier)]


def figure_values(figures: RoiFigures, tier: Tier) -> list[tuple[Column, Any]]:
    """(row, value) of each figure an output of this tier shows."""
    return [(row, row.value(figures)) for row in columns(FIGURE_ROWS, tier)]


NUMERIC_KINDS = frozenset(
    {Kind.NUMBER, Kind.MONEY, Kind.SHARE, Kind.POINTS, Kind.RATIO, Kind.MONTHS, Kind.COUNT}
    | {Kind.WHOLE, Kind.BENEFIT, Kind.BEFORE_AFTER, Kind.RANGE}
)
VERDICT_MARKS = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗"}


def smart_marks(smart: Smart) -> str:
    """S✓ M✓ A! R✓ T✗: each SMART letter with its verdict's mark."""
    return " ".join(
        f"{letter}{VERDICT_MARKS[finding.verdict]}"
        for letter, (_, finding) in zip("SMART", smart.items(), strict=True)
    )


def cell_text(column: Column, value: Any, currency: str, lang: Lang) -> str:
    """A cell in words, the way the language writes its kind (Babel for every number)."""
    kind = column.kind
    if kind is Kind.BENEFIT:
        return benefit_text(value, currency, lang)
    if kind is Kind.RANGE:
        return range_text(value, currency, lang)
    if kind is Kind.BEFORE_AFTER:
        if value is None:
            return t("na", lang)
        return fmt_before_after(value.before_mean, value.after_mean, value.change_pct, lang)
    if kind is Kind.SMART:
        return smart_marks(value)
    if value is None:
        return "" if kind in (Kind.TEXT, Kind.TERM, Kind.MESSAGE) else t("na", lang)
    formats: dict[Kind, Callable[[Any], str]] = {
        Kind.TEXT: str,
        Kind.NUMBER: lambda v: fmt_number(v, lang),
        Kind.MONEY: lambda v: fmt_money(v, currency, lang),
        Kind.SHARE: lambda v: fmt_share(v, lang),
        Kind.POINTS: lambda v: fmt_percent(v, lang),
        Kind.RATIO: lambda v: fmt_ratio(v, lang),
        Kind.MONTHS: lambda v: fmt_number(v, lang, 1),
        Kind.COUNT: lambda v: fmt_number(v, lang, 0),
        Kind.WHOLE: lambda v: fmt_number(v, lang, 0),
        Kind.DATE: lambda v: fmt_date(v, lang),
        Kind.TERM: lambda v: term(v, lang),
        Kind.STATUS: lambda v: term(v, lang),
        Kind.MESSAGE: lambda v: localize(v, lang) or "",
    }
    return formats[kind](value)
