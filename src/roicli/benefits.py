"""Turning isolated improvements and estimates into money, on a stated basis (pure).

Money is counted month by month whatever the display period: ``value_per_unit`` is money per
unit for additive KPIs (a sum or a count: one more lead) and per unit per month for levels and
rates (a mean, a ratio, a median: one point of conversion held for a month). A gain is credited
at attribution × confidence; a loss is counted in full, since neither how much of it the
training caused nor how sure we are of that may shrink a loss (the conservative side).
"""

from __future__ import annotations

from collections.abc import Sequence

from roicli.enums import EstimatePeriod, Isolation, Level
from roicli.model import EstimateRow, Money, ObjectiveResult

MONTHS_PER_YEAR = 12
PROVISIONAL_MONTHS = 3  # fewer counted months make the first-year figure an early guess
SENSITIVITY_FACTORS = {"conservative": 0.5, "base": 1.0, "optimistic": 1.5}
UNCONVERTED_LEVELS = frozenset({Level.REACTION, Level.LEARNING})  # Phillips: never money


def credited_share(total_improvement: float, attribution: float, confidence: float) -> float:
    """The share of an objective's improvement counted: a × c for a gain, all of a loss."""
    return attribution * confidence if total_improvement > 0 else 1.0


def month_benefit(improvement: float, value_per_unit: float, share: float) -> float:
    """d_t × value per unit × the credited share."""
    return improvement * value_per_unit * share


def measured_money(
    month_benefits: Sequence[float], window_months: int, *, annualised: bool = False
) -> Money | None:
    """To date: the counted months' sum; first year: their mean × the benefit window, stated
    as annualised when the lead asked for it (then not flagged provisional: it says so)."""
    months = len(month_benefits)
    if not months:
        return None
    to_date = sum(month_benefits)
    monthly = to_date / months
    return Money(
        to_date=to_date,
        monthly=monthly,
        first_year=monthly * window_months,
        months=months,
        provisional=months < PROVISIONAL_MONTHS and not annualised,
        annualised=annualised,
    )


def annual_value(given: float, period: EstimatePeriod, margin: float | None) -> float:
    """An estimate's annual figure: the value × its periods in a year (12 a month, 52 a week,
    1 a year, a one-off once) × the margin, when one applies (a sales gain at its margin)."""
    return given * period.per_year * (1.0 if margin is None else margin)


def adjusted_estimate(annual_value: float, contribution: float, confidence: float | None) -> float:
    """annual value × contribution × confidence; no confidence counts zero (Phillips)."""
    if confidence is None:
        return 0.0
    return annual_value * contribution * confidence


def estimates_money(annual: float, months_elapsed: int, window_months: int) -> Money | None:
    """Annual estimates accrue month by month: annual × months / 12 to date, at most the
    window; the first year is annual × window / 12 (the annual value for a 12-month window)."""
    if months_elapsed <= 0:
        return None
    months = min(months_elapsed, window_months)
    monthly = annual / MONTHS_PER_YEAR
    return Money(
        to_date=monthly * months,
        monthly=monthly,
        first_year=monthly * window_months,
        months=months,
        provisional=False,  # the participants' annual figure does not rest on months counted
    )


def estimates_adjustment(rows: Sequence[EstimateRow]) -> float | None:
    """The benefit-weighted share of the rows' annual values that is counted."""
    annual = sum(row.annual_value for row in rows)
    return sum(row.adjusted for row in rows) / annual if annual else None


def scaled(share: float, factor: float) -> float:
    """A share scaled for sensitivity, capped at 1."""
    return min(1.0, share * factor)


def benefit_at(objective: ObjectiveResult, factor: float) -> float:
    """An objective's benefit to date with attribution and confidence scaled by ``factor``.

    A loss is the same in every scenario, so conservative ≤ base ≤ optimistic always holds.
    """
    if objective.benefit is None or objective.money is None:
        return 0.0
    if objective.isolation is Isolation.ESTIMATES:
        annual = sum(_scaled_estimate(row, factor) for row in objective.estimates)
        return annual / MONTHS_PER_YEAR * objective.money.months
    assert objective.attribution is not None
    assert objective.confidence is not None
    assert objective.value_per_unit is not None
    improvement = sum(row.improvement for row in objective.improvements)
    if improvement <= 0:
        return objective.benefit
    share = scaled(objective.attribution, factor) * scaled(objective.confidence, factor)
    return month_benefit(improvement, objective.value_per_unit, share)


def _scaled_estimate(row: EstimateRow, factor: float) -> float:
    confidence = None if row.confidence is None else scaled(row.confidence, factor)
    return adjusted_estimate(row.annual_value, scaled(row.contribution, factor), confidence)
