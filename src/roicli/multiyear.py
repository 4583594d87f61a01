"""Opt-in value over several years, pure: benefits and costs per year, present values, NPV,
the ROI on total costs (Phillips) and on the initial investment, and the payback in years, on
net savings as they come and at their present value (the discounted payback).

Year 0 is the initial investment (one-off costs without a year); benefits and later costs
fall at the end of their year, so year t is discounted by (1 + r)^t.
"""

from __future__ import annotations

from collections.abc import Sequence

from roicli.config import CostItem, MultiYear, Program
from roicli.model import MultiYearFigures, YearFigures
from roicli.stats import percent, ratio


def cost_year(cost: CostItem) -> int | None:
    """The year a cost falls in: its year, 0 (the initial investment) for a one-off cost, and
    None for a recurring one (every year of the horizon)."""
    if cost.recurring:
        return None
    return 0 if cost.year is None else cost.year


def in_first_year(cost: CostItem) -> bool:
    """Whether Phillips' one-year figures count a cost: the initial investment, year 1's
    costs and one year of each recurring cost; later years belong to the multi-year figures."""
    year = cost_year(cost)
    return year is None or year <= 1


def cost_schedule(costs: Sequence[tuple[CostItem, float]], years: int) -> tuple[float, ...]:
    """Each year's costs, year 0 to ``years``: one-off ones in their year, recurring ones in
    every year from 1."""
    schedule = [0.0] * (years + 1)
    for cost, amount in costs:
        year = cost_year(cost)
        for when in range(1, years + 1) if year is None else (year,):
            schedule[when] += amount
    return tuple(schedule)


def benefit_schedule(horizon: MultiYear, first_year: float | None) -> tuple[float, ...] | None:
    """Each year's benefits, year 1 first: as stated, or the first-year benefit × each year's
    persistence; None when they rest on a first-year figure that does not exist yet."""
    if horizon.benefits_by_year is not None:
        return tuple(horizon.benefits_by_year)
    assert horizon.persistence is not None
    if first_year is None:
        return None
    return tuple(first_year * share for share in horizon.persistence)


def discount_factor(rate: float, year: int) -> float:
    """1 / (1 + r)^t: what money at the end of year t is worth today."""
    return 1 / (1 + rate) ** year


def payback_years(initial: float, net_savings: Sequence[float]) -> float | None:
    """Years until the net savings (benefits − costs of years 1, 2, …) add up to the initial
    investment, linear within the year it is reached; None if not within the horizon."""
    covered = 0.0
    for year, saved in enumerate(net_savings):
        if covered >= initial:
            return float(year)
        if saved > 0 and covered + saved >= initial:
            return year + (initial - covered) / saved
        covered += saved
    return None


def multi_year_figures(
    horizon: MultiYear, benefits: Sequence[float], costs: Sequence[float]
) -> MultiYearFigures:
    """The figures over the horizon from benefits (years 1 …) and costs (years 0 …)."""
    rate = horizon.discount_rate
    rows = []
    cumulative = -costs[0]
    for year, spent in enumerate(costs):
        gained = benefits[year - 1] if year else 0.0
        if year:
            cumulative += gained - spent
        factor = discount_factor(rate, year)
        rows.append(
            YearFigures(year, gained, spent, factor, gained * factor, spent * factor, cumulative)
        )
    initial = costs[0]
    pv_benefits = sum(row.pv_benefits for row in rows)
    pv_costs = sum(row.pv_costs for row in rows)
    total_benefits = sum(benefits)
    total_costs = sum(costs)
    later = total_costs - initial
    pv_later = pv_costs - initial
    return MultiYearFigures(
        years=horizon.years,
        discount_rate=rate,
        roi_on=horizon.roi_on,
        stated=horizon.benefits_by_year is not None,
        rows=tuple(rows),
        benefits=total_benefits,
        costs=total_costs,
        initial=initial,
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        npv=pv_benefits - pv_costs,
        roi_total_costs=percent(pv_benefits - pv_costs, pv_costs),
        roi_total_costs_undiscounted=percent(total_benefits - total_costs, total_costs),
        roi_initial=percent(pv_benefits - pv_later, initial),
        roi_initial_undiscounted=percent(total_benefits - later, initial),
        bcr=ratio(pv_benefits, pv_costs),
        payback_years=payback_years(initial, [row.benefits - row.costs for row in rows[1:]]),
        discounted_payback_years=payback_years(
            initial, [row.pv_benefits - row.pv_costs for row in rows[1:]]
        ),
    )


def program_multi_year(
    program: Program, amounts: Sequence[float], first_year: float | None
) -> MultiYearFigures | None:
    """A programme's multi-year figures from its cost items' amounts and its first-year
    benefit; None without a multi_year: block, or while persistence has no first year."""
    horizon = program.multi_year
    if horizon is None:
        return None
    benefits = benefit_schedule(horizon, first_year)
    if benefits is None:
        return None
    costs = cost_schedule(list(zip(program.costs, amounts, strict=True)), horizon.years)
    return multi_year_figures(horizon, benefits, costs)
