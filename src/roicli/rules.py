"""Phillips' conservative rules, checked per programme (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from roicli.config import Program, Thresholds
from roicli.enums import CostCategory, Isolation, Verdict
from roicli.messages import Msg
from roicli.model import Finding, ObjectiveResult

SHORT_PROGRAMME_MONTHS = 6
ESTIMATES_WINDOW_MONTHS = 12


def phillips_rules(
    program: Program, objectives: Sequence[ObjectiveResult], thresholds: Thresholds
) -> tuple[Finding, ...]:
    """Every conservative rule that does not hold, as warnings; one pass finding if all hold."""
    findings = [
        *_fully_loaded(program),
        *_benefit_window(program),
        *_estimates_confidence(objectives),
        *_intangibles(program),
        *_isolated(objectives),
        *_extreme_values(objectives, thresholds),
    ]
    if not findings:
        return (Finding("phillips.all", Verdict.PASS, Msg("phillips.all")),)
    return tuple(findings)


def _fully_loaded(program: Program) -> list[Finding]:
    if any(cost.category is CostCategory.PARTICIPANT_TIME for cost in program.costs):
        return []
    return [
        Finding(
            "phillips.fully_loaded",
            Verdict.WARN,
            Msg("phillips.fully_loaded"),
            Msg("phillips.fully_loaded.fix"),
        )
    ]


def _benefit_window(program: Program) -> list[Finding]:
    short = program.end is None or (program.end - program.start).days <= SHORT_PROGRAMME_MONTHS * 31
    if short and program.benefit_window_months > ESTIMATES_WINDOW_MONTHS:
        return [
            Finding(
                "phillips.benefit_window",
                Verdict.WARN,
                Msg("phillips.benefit_window", months=program.benefit_window_months),
                Msg("phillips.benefit_window.fix"),
            )
        ]
    return []


def _estimates_confidence(objectives: Sequence[ObjectiveResult]) -> list[Finding]:
    findings = []
    for objective in objectives:
        missing = [row.row for row in objective.estimates if row.confidence is None]
        if missing:
            rows = ", ".join(str(row) for row in missing)
            findings.append(
                Finding(
                    "phillips.estimates_confidence",
                    Verdict.WARN,
                    Msg(
                        "phillips.estimates_confidence",
                        objective=objective.id,
                        count=len(missing),
                        rows=rows,
                    ),
                    Msg("phillips.estimates_confidence.fix"),
                )
            )
    return findings


def _intangibles(program: Program) -> list[Finding]:
    valued = [item.name for item in program.intangibles if item.value is not None]
    if not valued:
        return []
    return [
        Finding(
            "phillips.intangibles_money",
            Verdict.WARN,
            Msg("phillips.intangibles_money", names=", ".join(valued)),
            Msg("phillips.intangibles_money.fix"),
        )
    ]


def _isolated(objectives: Sequence[ObjectiveResult]) -> list[Finding]:
    return [
        Finding(
            "phillips.isolation",
            Verdict.WARN,
            Msg("phillips.isolation", objective=o.id),
            Msg("phillips.isolation.fix"),
        )
        for o in objectives
        if o.isolation is Isolation.BASELINE and o.attribution >= 1 and o.value_per_unit is not None
    ]


def _extreme_values(objectives: Sequence[ObjectiveResult], thresholds: Thresholds) -> list[Finding]:
    """Periods whose improvement stands far from the others' (robust z of d_t) and carry most
    of the benefit: a spike in the data, not a sustained effect."""
    findings = []
    for objective in objectives:
        rows = [row for row in objective.improvements if row.benefit is not None]
        total = sum(row.benefit for row in rows if row.benefit is not None)
        if len(rows) < 4 or total <= 0:
            continue
        median = statistics.median(row.improvement for row in rows)
        mad = statistics.median(abs(row.improvement - median) for row in rows)
        if mad == 0:
            continue
        extreme = [
            row
            for row in rows
            if 0.6745 * abs(row.improvement - median) / mad > thresholds.outlier_z
        ]
        share = sum(row.benefit for row in extreme if row.benefit is not None) / total
        if extreme and share > thresholds.outlier_benefit_share:
            periods = ", ".join(row.period for row in extreme)
            findings.append(
                Finding(
                    "phillips.extreme_values",
                    Verdict.WARN,
                    Msg(
                        "phillips.extreme_values",
                        objective=objective.id,
                        periods=periods,
                        share=share,
                    ),
                    Msg("phillips.extreme_values.fix"),
                )
            )
    return findings
