"""The JSON contract of SPEC §7: keys may be added, never renamed.

Money is rounded half-up to cents, other figures to 6 decimals; null where a figure does not
exist. The same Analysis always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from roicli.model import (
    Analysis,
    Cohort,
    CostLine,
    EstimateRow,
    Finding,
    Improvement,
    KpiTrend,
    ObjectiveResult,
    PeriodPoint,
    PrePost,
    ProgramResult,
    RoiFigures,
)
from roicli.rounding import figure, money_float


def render_json(analysis: Analysis) -> str:
    """The analysis as indented JSON text, ending with a newline."""
    return json.dumps(to_dict(analysis), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_trends_json(
    analysis: Analysis, trends: Sequence[KpiTrend], cohorts: Sequence[Cohort]
) -> str:
    """The `trend` command's JSON: the contract's header, `kpis`, objectives and `cohorts`."""
    keys = {trend.key for trend in trends}
    data = {
        "roicli_version": analysis.version,
        "as_of": analysis.as_of.isoformat(),
        "period": analysis.period.value,
        "kpis": [_kpi(trend) for trend in trends],
        "objectives": [
            {
                "id": o.id,
                "kpi": o.kpi,
                "group": o.group,
                "baseline": figure(o.baseline),
                "target": figure(o.target),
                "deadline": o.deadline.isoformat() if o.deadline else None,
                "current": figure(o.current),
                "projected": figure(o.projected),
                "status": o.status.value,
                "pre_post": _pre_post(o.pre_post),
            }
            for _, o in analysis.objectives()
            if o.kpi in keys
        ],
        "cohorts": [_cohort(cohort) for cohort in cohorts],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain JSON-ready data."""
    return {
        "roicli_version": analysis.version,
        "as_of": analysis.as_of.isoformat(),
        "period": analysis.period.value,
        "currency": analysis.currency,
        "include_partial": analysis.include_partial,
        "programs": [_program(program) for program in analysis.programs],
        "portfolio": {
            **_figures(analysis.portfolio.figures, with_payback=False),
            "ranking": list(analysis.portfolio.ranking),
        },
        "kpis": [_kpi(trend) for trend in analysis.kpis],
        "cohorts": [_cohort(cohort) for cohort in analysis.cohorts],
        "audit": {
            "config": analysis.audit.config,
            "config_sha256": analysis.audit.config_sha256,
            "as_of": analysis.as_of.isoformat(),
            "roicli_version": analysis.version,
            "sources": [_source(source) for source in analysis.audit.sources],
            "unused_kpis": list(analysis.audit.unused_kpis),
            "rules": [
                {"program": program.name, **_finding(rule)}
                for program in analysis.programs
                for rule in program.rules
            ],
        },
    }


def _figures(figures: RoiFigures, *, with_payback: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "costs": money_float(figures.costs),
        "benefits": money_float(figures.benefits),
        "net_benefit": money_float(figures.net_benefit),
        "roi_pct": figure(figures.roi_pct),
        "bcr": figure(figures.bcr),
    }
    if with_payback:
        data["payback_months"] = figure(figures.payback_months)
        data["break_even_factor"] = figure(figures.break_even_factor)
        data["note"] = figures.note
    return data


def _program(program: ProgramResult) -> dict[str, Any]:
    figures = _figures(program.figures)
    return {
        "name": program.name,
        "method": program.method.value,
        "start": program.start.isoformat(),
        "end": program.end.isoformat() if program.end else None,
        "participants": program.participants,
        "benefit_window_months": program.benefit_window_months,
        "months_counted": program.months_counted,
        "costs": {
            "total": figures.pop("costs"),
            "items": [_cost(line) for line in program.costs],
            "by_category": {
                category.value: money_float(amount)
                for category, amount in program.costs_by_category().items()
            },
        },
        **figures,
        "sensitivity": {
            "conservative": figure(program.sensitivity.conservative),
            "base": figure(program.sensitivity.base),
            "optimistic": figure(program.sensitivity.optimistic),
        },
        "intangibles": list(program.intangibles),
        "objectives": [_objective(objective) for objective in program.objectives],
        "rules": [_finding(rule) for rule in program.rules],
    }


def _cost(line: CostLine) -> dict[str, Any]:
    return {
        "item": line.item,
        "category": line.category.value,
        "amount": money_float(line.amount),
        "basis": line.basis,
    }


def _objective(objective: ObjectiveResult) -> dict[str, Any]:
    return {
        "id": objective.id,
        "title": objective.title,
        "kpi": objective.kpi,
        "group": objective.group,
        "level": objective.level.value if objective.level else None,
        "direction": objective.direction.value,
        "unit": objective.unit,
        "baseline": figure(objective.baseline),
        "target": figure(objective.target),
        "current": figure(objective.current),
        "current_period": objective.current_period,
        "progress": figure(objective.progress),
        "projected": figure(objective.projected),
        "status": objective.status.value,
        "status_reason": objective.status_reason,
        "deadline": objective.deadline.isoformat() if objective.deadline else None,
        "owner": objective.owner,
        "business_goal": objective.business_goal,
        "isolation": objective.isolation.value,
        "value_per_unit": objective.value_per_unit,
        "attribution": objective.attribution,
        "confidence": objective.confidence,
        "periods_counted": objective.periods_counted,
        "benefit": money_float(objective.benefit),
        "improvements": [_improvement(row) for row in objective.improvements],
        "estimates": [_estimate(row) for row in objective.estimates],
        "pre_post": _pre_post(objective.pre_post),
        "smart": {
            name: {"status": f.verdict.value, "reason": f.reason, "fix": f.fix}
            for name, f in objective.smart.items()
        },
    }


def _pre_post(comparison: PrePost | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "before_mean": figure(comparison.before_mean),
        "after_mean": figure(comparison.after_mean),
        "change_pct": figure(comparison.change_pct),
        "before_periods": comparison.before_periods,
        "after_periods": comparison.after_periods,
    }


def _cohort(cohort: Cohort) -> dict[str, Any]:
    return {
        "objectives": list(cohort.objectives),
        "kpi": cohort.kpi,
        "difference_in_differences": figure(cohort.difference_in_differences),
        "groups": [
            {
                "group": group.group,
                "role": group.role,
                "pre_post": _pre_post(group.pre_post),
                "periods": [_point(point) for point in group.series],
            }
            for group in cohort.groups
        ],
    }


def _improvement(row: Improvement) -> dict[str, Any]:
    return {
        "period": row.period,
        "value": figure(row.value),
        "reference": figure(row.reference),
        "improvement": figure(row.improvement),
        "benefit": money_float(row.benefit),
    }


def _estimate(row: EstimateRow) -> dict[str, Any]:
    return {
        "row": row.row,
        "participant": row.participant,
        "measure": row.measure,
        "annual_value": money_float(row.annual_value),
        "contribution": figure(row.contribution),
        "confidence": figure(row.confidence),
        "adjusted": money_float(row.adjusted),
    }


def _kpi(trend: KpiTrend) -> dict[str, Any]:
    return {
        "name": trend.key,
        "label": trend.label,
        "unit": trend.unit,
        "direction": trend.direction.value,
        "aggregation": trend.aggregation.value,
        "level": trend.level.value,
        "periods": [_point(point) for point in trend.periods],
        "slope_per_period": figure(trend.slope_per_period),
        "r2": figure(trend.r2),
        "note": trend.note,
    }


def _point(point: PeriodPoint) -> dict[str, Any]:
    return {
        "period": point.period,
        "value": figure(point.value),
        "change": figure(point.change),
        "change_pct": figure(point.change_pct),
        "rolling_mean": figure(point.rolling_mean),
        "complete": point.complete,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check,
        "status": finding.verdict.value,
        "reason": finding.reason,
        "fix": finding.fix,
    }


def _source(source: Any) -> dict[str, Any]:
    detected: Mapping[str, Any] = source.detected
    return {
        "path": source.path,
        "sha256": source.sha256,
        "rows": source.rows,
        "skipped_rows": source.skipped_rows,
        "excluded_rows": source.excluded_rows,
        "kpis": list(source.kpis),
        "unmatched": list(source.unmatched),
        "detected": dict(detected),
        "bad_rows": [
            {"row": bad.row, "column": bad.column, "value": bad.value, "reason": bad.reason}
            for bad in source.bad_rows
        ],
    }
