"""The ``--fail-on`` conditions: which of them hold for an analysis (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from roicli.enums import FailOn, Status, Verdict
from roicli.model import Analysis

_OFF_TRACK = frozenset({Status.OFF_TRACK, Status.MISSED})  # a missed deadline is off track too


def failed_conditions(analysis: Analysis, conditions: Iterable[FailOn]) -> list[str]:
    """One line per condition that holds, naming what triggered it; empty when none does."""
    lines = []
    for condition in conditions:
        if condition is FailOn.SMART:
            names = [o.id for _, o in analysis.objectives() if o.smart.worst is Verdict.FAIL]
            if names:
                lines.append(f"smart: {', '.join(names)} fail a SMART criterion")
        elif condition is FailOn.OFF_TRACK:
            names = [o.id for _, o in analysis.objectives() if o.status in _OFF_TRACK]
            if names:
                lines.append(f"off-track: {', '.join(names)}")
        elif condition is FailOn.STALE_DATA:
            stale = [f"{s.kpi} (data to {s.data_to.isoformat()})" for s in analysis.stale]
            if stale:
                lines.append(f"stale-data: {', '.join(stale)}")
        else:
            names = [
                p.name
                for p in analysis.programs
                if p.figures.roi_pct is not None and p.figures.roi_pct < 0
            ]
            if names:
                lines.append(f"negative-roi: {', '.join(names)}")
    return lines
