"""Phillips ROI, pure: fully-loaded costs and the level-5 figures on one basis."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from roicli.config import Program
from roicli.enums import Basis
from roicli.messages import Msg
from roicli.model import CostLine, RoiFigures
from roicli.stats import percent, ratio


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


def roi_figures(costs: float, benefits: float, monthly: float, basis: Basis) -> RoiFigures:
    """Net, ROI %, BCR, payback (costs ÷ the monthly benefit) and break-even factor.

    With no costs every ratio is None; a figure that does not exist is None with the reason.
    """
    net = benefits - costs
    if costs == 0:
        return RoiFigures(costs, benefits, net, None, None, None, None, Msg("note.no_costs"), basis)
    note: Msg | None = None
    payback = ratio(costs, monthly) if monthly > 0 else None
    if benefits <= 0:
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
        break_even_factor=ratio(costs, benefits) if benefits > 0 else None,
        note=note,
        basis=basis,
    )


def per_participant(figures: RoiFigures, participants: int | None) -> RoiFigures:
    """The figures with costs, benefits and net benefit ÷ participants, on their own basis;
    none without participants, and no benefit per participant while pending."""
    if not participants:
        return figures
    measured = figures.net_benefit is not None
    return replace(
        figures,
        costs_per_participant=figures.costs / participants,
        benefits_per_participant=figures.benefits / participants if measured else None,
        net_per_participant=(
            figures.net_benefit / participants if figures.net_benefit is not None else None
        ),
    )


def pending_figures(costs: float, basis: Basis) -> RoiFigures:
    """A programme that cannot be measured yet: its costs, no benefit and no ratio."""
    return RoiFigures(costs, 0.0, None, None, None, None, None, Msg("note.pending"), basis)


def roi_pct(costs: float, benefits: float) -> float | None:
    """(B − C) / C × 100, or None when C is 0 or the figure overflows."""
    return percent(benefits - costs, costs)


def total(values: Iterable[float | None]) -> float:
    """Sum, counting missing values as nothing."""
    return sum(value for value in values if value is not None)
