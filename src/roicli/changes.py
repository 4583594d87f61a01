"""Since last report: what moved between two runs, worked out from their JSON reports (pure).

Both reports are the JSON contract (`render/json.py`), as written by this or an earlier roicli
(keys may be added, never renamed). A report that does not hold what the comparison reads is a
``pydantic.ValidationError``; the caller says where it came from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from roicli.enums import Status, Verdict
from roicli.model import (
    Changes,
    Delta,
    FindingChange,
    NewPeriods,
    ProgramChange,
    Revision,
    RunRoi,
    StatusChange,
)

# Two values of a period are the same figure when they agree to the JSON's 10 significant digits.
SAME_VALUE = 1e-9


class _Read(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class _Finding(_Read):
    status: Verdict


class _Rule(_Finding):
    check: str


class _Objective(_Read):
    id: str
    status: Status
    smart: dict[str, _Finding] = {}


class _Figures(_Read):
    roi_pct: float | None = None
    benefits: float | None = None


class ReportProgram(_Figures):
    """What the comparison reads of a programme."""

    name: str
    objectives: tuple[_Objective, ...] = ()
    rules: tuple[_Rule, ...] = ()


class _Point(_Read):
    period: str
    value: float | None = None
    complete: bool = True


class _Kpi(_Read):
    name: str
    label: str | None = None
    periods: tuple[_Point, ...] = ()


class Report(_Read):
    """What the comparison reads of a JSON report."""

    roicli_version: str
    as_of: date
    period: str | None = None
    programs: tuple[ReportProgram, ...]
    portfolio: _Figures | None = None
    kpis: tuple[_Kpi, ...] = ()


def read_report(document: Mapping[str, Any]) -> Report:
    """The parts of a JSON report the comparison needs; a ValidationError when they are not
    there or not of the right type."""
    return Report.model_validate(document)


def compare(
    previous: Mapping[str, Any], current: Mapping[str, Any], *, compared_with: str | None = None
) -> Changes:
    """What moved from the ``previous`` report to the ``current`` one: ROI and benefits per
    programme, objectives' statuses, SMART failures and Phillips findings that appeared or
    were resolved, new complete periods and revised ones (a complete period whose value
    changed: the export was revised)."""
    before, after = read_report(previous), read_report(current)
    same_periods = before.period == after.period
    return Changes(
        previous_as_of=before.as_of,
        previous_version=before.roicli_version,
        compared_with=compared_with,
        programs=tuple(_program_changes(before, after)),
        portfolio=_portfolio_change(before, after),
        statuses=tuple(_status_changes(before, after)),
        findings=(*_smart_changes(before, after), *_rule_changes(before, after)),
        new_periods=tuple(_new_periods(before, after)) if same_periods else (),
        revisions=tuple(_revisions(before, after)) if same_periods else (),
    )


def first_run() -> Changes:
    """The changes of a first recorded run: nothing to compare with."""
    return Changes(previous_as_of=None)


def run_roi(document: Mapping[str, Any]) -> RunRoi:
    """A report's as-of date and each programme's ROI % to date."""
    report = read_report(document)
    return RunRoi(report.as_of, tuple((p.name, p.roi_pct) for p in report.programs))


def _program_changes(before: Report, after: Report) -> Iterable[ProgramChange]:
    previous = {program.name: program for program in before.programs}
    for program in after.programs:
        old = previous.get(program.name, _Figures())
        yield ProgramChange(
            program.name,
            Delta(old.roi_pct, program.roi_pct),
            Delta(old.benefits, program.benefits),
        )


def _portfolio_change(before: Report, after: Report) -> ProgramChange | None:
    if before.portfolio is None or after.portfolio is None:
        return None
    old, new = before.portfolio, after.portfolio
    return ProgramChange("", Delta(old.roi_pct, new.roi_pct), Delta(old.benefits, new.benefits))


def _objectives(report: Report) -> dict[tuple[str, str], _Objective]:
    return {(p.name, o.id): o for p in report.programs for o in p.objectives}


def _status_changes(before: Report, after: Report) -> Iterable[StatusChange]:
    old, new = _objectives(before), _objectives(after)
    for key, objective in new.items():
        was = old[key].status if key in old else None
        if was is not objective.status:
            yield StatusChange(*key, was, objective.status)
    for key, objective in old.items():
        if key not in new:
            yield StatusChange(*key, objective.status, None)


def _smart_failures(report: Report) -> dict[tuple[str, str, str], Verdict]:
    return {
        (program, objective.id, criterion): finding.status
        for (program, _), objective in _objectives(report).items()
        for criterion, finding in objective.smart.items()
        if finding.status is Verdict.FAIL
    }


def _smart_changes(before: Report, after: Report) -> Iterable[FindingChange]:
    old, new = _smart_failures(before), _smart_failures(after)
    for (program, objective, criterion), verdict in new.items():
        if (program, objective, criterion) not in old:
            yield FindingChange(program, objective, criterion, verdict, resolved=False)
    for (program, objective, criterion), verdict in old.items():
        if (program, objective, criterion) not in new:
            yield FindingChange(program, objective, criterion, verdict, resolved=True)


def _rule_findings(report: Report) -> dict[tuple[str, str], Verdict]:
    """Each programme's rules that do not pass, by rule id (the worst verdict of each)."""
    found: dict[tuple[str, str], Verdict] = {}
    for program in report.programs:
        for rule in program.rules:
            if rule.status is Verdict.PASS:
                continue
            key = (program.name, rule.check)
            if found.get(key) is not Verdict.FAIL:
                found[key] = rule.status
    return found


def _rule_changes(before: Report, after: Report) -> Iterable[FindingChange]:
    old, new = _rule_findings(before), _rule_findings(after)
    for (program, check), verdict in new.items():
        if (program, check) not in old:
            yield FindingChange(program, None, check, verdict, resolved=False)
    for (program, check), verdict in old.items():
        if (program, check) not in new:
            yield FindingChange(program, None, check, verdict, resolved=True)


def _complete(kpi: _Kpi) -> dict[str, float | None]:
    return {point.period: point.value for point in kpi.periods if point.complete}


def _new_periods(before: Report, after: Report) -> Iterable[NewPeriods]:
    old = {kpi.name: _complete(kpi) for kpi in before.kpis}
    for kpi in after.kpis:
        known = old.get(kpi.name, {})
        added = tuple(period for period in _complete(kpi) if period not in known)
        if added:
            yield NewPeriods(kpi.name, kpi.label or kpi.name, added)


def _revisions(before: Report, after: Report) -> Iterable[Revision]:
    old = {kpi.name: _complete(kpi) for kpi in before.kpis}
    for kpi in after.kpis:
        known = old.get(kpi.name, {})
        for period, value in _complete(kpi).items():
            if period in known and not _same(known[period], value):
                yield Revision(kpi.name, kpi.label or kpi.name, period, Delta(known[period], value))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=SAME_VALUE, abs_tol=SAME_VALUE)
