"""The ``--fail-on`` conditions: which of them hold for an analysis, and what triggers each
(pure; the words are the CLI's, in the report's language)."""

from __future__ import annotations

from collections.abc import Iterable

from roicli.enums import FailOn, RoiObjectiveStatus, Status, Verdict
from roicli.model import Analysis

_OFF_TRACK = frozenset({Status.OFF_TRACK, Status.MISSED})  # a missed deadline is off track too


def failed_conditions(
    analysis: Analysis, conditions: Iterable[FailOn]
) -> list[tuple[FailOn, list[str]]]:
    """Each condition that holds with what triggered it; empty when none does."""
    found = []
    for condition in conditions:
        subjects = _subjects(analysis, condition)
        if subjects:
            found.append((condition, subjects))
    return found


def _subjects(analysis: Analysis, condition: FailOn) -> list[str]:
    objectives = [objective for _, objective in analysis.objectives()]
    if condition is FailOn.SMART:
        return [o.id for o in objectives if o.smart.worst is Verdict.FAIL]
    if condition is FailOn.OFF_TRACK:
        return [o.id for o in objectives if o.status in _OFF_TRACK]
    if condition is FailOn.STALE_DATA:
        return [stale.kpi for stale in analysis.stale]
    if condition is FailOn.ROI_OBJECTIVE:
        return [
            p.name
            for p in analysis.programs
            if p.roi_objective_status is RoiObjectiveStatus.NOT_MET
        ]
    return [
        p.name for p in analysis.programs if p.figures.roi_pct is not None and p.figures.roi_pct < 0
    ]
