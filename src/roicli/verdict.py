"""Whether each programme pays, and the few actions that matter most (pure).

The verdict is what a manager reads first: one outlook per programme, with the ROI to date and
its interval from the evidence, the ROI objective if one was set, how much of the benefit is
measured and how much estimated, and how fresh the data are; its opt-in multi-year figures and,
while pending, its forecast before launch; then at most three actions drawn
from stale data, missed or off-track objectives, SMART failures and Phillips' rules, in that
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from roicli.enums import ActionKind, Isolation, Outlook, Status, Verdict
from roicli.model import Action, ProgramResult, ProgramVerdict, Staleness

MAX_ACTIONS = 3


def program_verdict(program: ProgramResult, stale: Sequence[Staleness]) -> ProgramVerdict:
    """The outlook of one programme."""
    figures = program.figures
    estimated = sum(
        o.benefit or 0.0 for o in program.objectives if o.isolation is Isolation.ESTIMATES
    )
    kpis = {o.kpi for o in program.objectives if o.kpi and o.money is not None}
    data_to = [o.data_to for o in program.objectives if o.kpi in kpis and o.data_to]
    found = program.range
    interval = found.roi_pct if found is not None else None
    return ProgramVerdict(
        name=program.name,
        outlook=_outlook(program),
        roi_pct=figures.roi_pct,
        low_pct=interval.low if interval else None,
        high_pct=interval.high if interval else None,
        first_year_roi_pct=program.first_year.roi_pct,
        payback_months=figures.payback_months,
        measured=figures.benefits - estimated,
        estimated=estimated,
        measurable_from=program.measurable_from,
        data_to=min(data_to) if data_to else None,
        stale=any(s.kpi in kpis for s in stale),
        rough=found is not None and not found.reliable,
        roi_objective=program.roi_objective,
        objective_status=program.roi_objective_status,
        p_objective=found.p_objective if found is not None else None,
        multi_year=program.multi_year,
        forecast=program.forecast.figures if program.forecast is not None else None,
    )


def _outlook(program: ProgramResult) -> Outlook:
    if program.pending:
        if program.measurable_from is not None:
            return Outlook.TOO_EARLY
        # while pending, multi-year figures exist only from benefits as stated, not measured
        return Outlook.NO_MONEY if program.multi_year is None else Outlook.PROJECTED
    figures = program.figures
    if figures.roi_pct is None:  # no costs: any benefit is a gain
        return Outlook.PAYING_BACK if figures.benefits >= 0 else Outlook.LOSS
    if figures.roi_pct >= 0:
        return Outlook.PAYING_BACK
    first_year = program.first_year.roi_pct
    return Outlook.NOT_YET if first_year is not None and first_year >= 0 else Outlook.LOSS


def actions(
    programs: Sequence[ProgramResult], stale: Sequence[Staleness], *, limit: int = MAX_ACTIONS
) -> tuple[Action, ...]:
    """The most useful actions, most urgent first."""
    by_day: dict[date, list[str]] = {}
    for item in stale:
        by_day.setdefault(item.data_to, []).append(item.label)
    found = [
        Action(ActionKind.STALE, ", ".join(labels), None, day) for day, labels in by_day.items()
    ]
    objectives = [o for program in programs for o in program.objectives]
    found += [
        Action(ActionKind.MISSED, o.id, o.status_reason, o.deadline)
        for o in objectives
        if o.status is Status.MISSED and o.money is not None
    ]
    found += [
        Action(ActionKind.OFF_TRACK, o.id, o.status_reason)
        for o in objectives
        if o.status is Status.OFF_TRACK
    ]
    for o in objectives:
        failed = [f for _, f in o.smart.items() if f.verdict is Verdict.FAIL and f.fix]
        if failed:
            found.append(Action(ActionKind.SMART, o.id, failed[0].fix))
    found += [
        Action(ActionKind.RULE, program.name, rule.fix)
        for program in programs
        for rule in program.rules
        if rule.verdict is Verdict.WARN and rule.fix
    ]
    found += [
        Action(ActionKind.MISSED, o.id, o.status_reason, o.deadline)
        for o in objectives
        if o.status is Status.MISSED and o.money is None
    ]
    return tuple(found[:limit])
