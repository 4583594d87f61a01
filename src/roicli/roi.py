"""Phillips ROI, pure: fully-loaded costs, isolated improvements, benefits and figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roicli.config import Program
from roicli.enums import Isolation
from roicli.messages import Msg
from roicli.model import CostLine, EstimateRow, ObjectiveResult, RoiFigures
from roicli.stats import Line, ratio

SENSITIVITY_FACTORS = {"conservative": 0.5, "base": 1.0, "optimistic": 1.5}


def cost_lines(program: Program) -> tuple[CostLine, ...]:
    """Every cost item with its amount: amount, hours × rate, or per participant × participants."""
    lines = []
    for cost in program.costs:
        if cost.amount is not None:
            amount, basis = cost.amount, Msg("basis.fixed")
        elif cost.hours is not None and cost.rate is not None:
            amount = cost.hours * cost.rate
            basis = Msg("basis.hours", hours=cost.hours, rate=cost.rate)
        else:
            assert cost.per_participant is not None
            assert program.participants is not None
            amount = cost.per_participant * program.participants
            basis = Msg(
                "basis.participants", amount=cost.per_participant, participants=program.participants
            )
        lines.append(CostLine(cost.item, cost.category, amount, basis))
    return tuple(lines)


@dataclass(frozen=True)
class Reference:
    """What a period's value is compared with, by isolation method."""

    isolation: Isolation
    baseline: float
    trend: Line | None = None
    control: dict[int, float] | None = None
    control_baseline: float | None = None


def improvements(
    values: Sequence[tuple[int, float]], reference: Reference, sign: int
) -> list[tuple[int, float, float, float]]:
    """(ordinal, v_t, reference_t, d_t) for each counted period.

    baseline: d = s·(v − b); trend: d = s·(v − ŷ); control: d = s·((v − b) − (u − b_u)),
    where periods with no control value are skipped.
    """
    rows = []
    for ordinal, value in values:
        if reference.isolation is Isolation.TREND:
            assert reference.trend is not None
            compared = reference.trend.at(ordinal)
        elif reference.isolation is Isolation.CONTROL:
            assert reference.control is not None
            assert reference.control_baseline is not None
            if ordinal not in reference.control:
                continue
            control_change = reference.control[ordinal] - reference.control_baseline
            compared = reference.baseline + control_change
        else:
            compared = reference.baseline
        rows.append((ordinal, value, compared, sign * (value - compared)))
    return rows


def period_benefit(
    improvement: float, value_per_unit: float, attribution: float, confidence: float
) -> float:
    """d_t × value per unit × attribution × confidence."""
    return improvement * value_per_unit * attribution * confidence


def adjusted_estimate(annual_value: float, contribution: float, confidence: float | None) -> float:
    """annual value × contribution × confidence; no confidence counts zero (Phillips)."""
    if confidence is None:
        return 0.0
    return annual_value * contribution * confidence


def scaled(share: float, factor: float) -> float:
    """A share scaled for sensitivity, capped at 1."""
    return min(1.0, share * factor)


def benefit_at(objective: ObjectiveResult, factor: float) -> float:
    """An objective's benefit with attribution and confidence scaled by ``factor``."""
    if objective.isolation is Isolation.ESTIMATES:
        return sum(_scaled_estimate(row, factor) for row in objective.estimates)
    if objective.benefit is None or objective.value_per_unit is None:
        return 0.0
    total = sum(row.improvement for row in objective.improvements)
    return period_benefit(
        total,
        objective.value_per_unit,
        scaled(objective.attribution, factor),
        scaled(objective.confidence, factor),
    )


def _scaled_estimate(row: EstimateRow, factor: float) -> float:
    confidence = None if row.confidence is None else scaled(row.confidence, factor)
    return adjusted_estimate(row.annual_value, scaled(row.contribution, factor), confidence)


def roi_figures(costs: float, benefits: float, months_counted: int) -> RoiFigures:
    """Net, ROI %, BCR, payback and break-even factor; None where a figure does not exist."""
    net = benefits - costs
    if costs == 0:
        return RoiFigures(
            costs,
            benefits,
            net,
            None,
            None,
            None,
            _break_even(costs, benefits),
            Msg("note.no_costs"),
        )
    payback = None
    note: Msg | None = None
    if benefits > 0 and months_counted > 0:
        monthly = ratio(benefits, months_counted)
        payback = None if monthly is None else ratio(costs, monthly)
    elif benefits <= 0:
        note = Msg("note.no_payback")
    roi = roi_pct(costs, benefits)
    if roi is None:
        note = Msg("note.roi_overflow")
    return RoiFigures(
        costs=costs,
        benefits=benefits,
        net_benefit=net,
        roi_pct=roi,
        bcr=ratio(benefits, costs),
        payback_months=payback,
        break_even_factor=_break_even(costs, benefits),
        note=note,
    )


def _break_even(costs: float, benefits: float) -> float | None:
    return ratio(costs, benefits) if benefits > 0 else None


def roi_pct(costs: float, benefits: float) -> float | None:
    """(B − C) / C × 100, or None when C is 0."""
    share = ratio(benefits - costs, costs)
    return None if share is None else share * 100


def total(values: Iterable[float | None]) -> float:
    """Sum, counting missing values as nothing."""
    return sum(value for value in values if value is not None)
