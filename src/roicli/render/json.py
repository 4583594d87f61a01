"""The JSON contract of SPEC §7: keys may be added, never renamed.

Money is rounded half-up to cents (rows under a total apportioned so that they add up to it),
other figures to 6 decimals or 10 significant digits; null where a figure does not exist. Every
money figure says its basis. The same Analysis always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from roicli.enums import Basis
from roicli.model import (
    Analysis,
    BenefitRange,
    Changes,
    Cohort,
    CostLine,
    Delta,
    EstimateRow,
    Finding,
    FindingChange,
    Forecast,
    Improvement,
    Interval,
    KpiTrend,
    MultiYearFigures,
    ObjectiveResult,
    PeriodPoint,
    PrePost,
    ProgramChange,
    ProgramRange,
    ProgramResult,
    RoiFigures,
    Sensitivity,
)
from roicli.render.json_evaluation import audit_list, chain_list, evaluation_dict
from roicli.rounding import apportion, figure, money_float


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
        "confidence_level": analysis.confidence_level,
        "programs": _programs(analysis),
        "portfolio": _portfolio(analysis),
        "stale_data": [
            {
                "kpi": stale.kpi,
                "label": stale.label,
                "data_to": stale.data_to.isoformat(),
                "months_behind": stale.months_behind,
                "objectives": list(stale.objectives),
            }
            for stale in analysis.stale
        ],
        "changes": _changes(analysis.changes),
        "kpis": [_kpi(trend) for trend in analysis.kpis],
        "cohorts": [_cohort(cohort) for cohort in analysis.cohorts],
        "audit": {
            "config": analysis.audit.config,
            "config_sha256": analysis.audit.config_sha256,
            "as_of": analysis.as_of.isoformat(),
            "roicli_version": analysis.version,
            "sources": [_source(source) for source in analysis.audit.sources],
            "unused_kpis": list(analysis.audit.unused_kpis),
            "conversions": [
                {
                    "program": item.program,
                    "item": item.item,
                    "field": item.field,
                    "currency": item.currency,
                    "amount": money_float(item.amount),
                    "day": item.day.isoformat(),
                    "rate_from": item.rate_from.isoformat(),
                    "rate": item.rate,
                    "converted": money_float(item.converted),
                }
                for item in analysis.audit.conversions
            ],
            "evaluations": audit_list(analysis.audit.evaluations),
            "rules": [
                {"program": program.name, **_finding(rule)}
                for program in analysis.programs
                for rule in program.rules
            ],
        },
    }


def _figures(figures: RoiFigures, benefits: float | None = None) -> dict[str, Any]:
    """The figures on their basis; ``benefits`` is the rounded total rows were fitted to."""
    return {
        "basis": figures.basis.value,
        "costs": money_float(figures.costs),
        "benefits": money_float(figures.benefits) if benefits is None else benefits,
        "net_benefit": money_float(figures.net_benefit),
        "roi_pct": figure(figures.roi_pct),
        "bcr": figure(figures.bcr),
        "payback_months": figure(figures.payback_months),
        "payback": _payback(figures),
        "break_even_factor": figure(figures.break_even_factor),
        "note": figures.note,
        "per_participant": _per_participant(figures),
    }


def _payback(figures: RoiFigures) -> dict[str, Any] | None:
    """The payback in the unit the reports show it in: weeks under 3 months, else months."""
    shown = figures.payback
    return None if shown is None else {"value": figure(shown.value), "unit": shown.unit.value}


def _per_participant(figures: RoiFigures) -> dict[str, Any] | None:
    """The figures ÷ participants on their basis; null without participants."""
    if figures.costs_per_participant is None:
        return None
    return {
        "costs": money_float(figures.costs_per_participant),
        "benefits": money_float(figures.benefits_per_participant),
        "net_benefit": money_float(figures.net_per_participant),
    }


def forecast_dict(found: Forecast | None) -> dict[str, Any] | None:
    """A programme's forecast before launch: its figures (null without any forecast) and each
    objective's forecast and break-even change of its KPI a month."""
    if found is None:
        return None
    return {
        "basis": Basis.FORECAST.value,
        "figures": None if found.figures is None else _figures(found.figures),
        "objectives": [
            {
                "id": o.id,
                "kpi": o.kpi_label,
                "unit": o.unit,
                "direction": o.direction.value,
                "change_per_month": figure(o.change),
                "monthly_benefit": money_float(o.monthly_benefit),
                "first_year_benefit": money_float(o.first_year),
                "break_even_change_per_month": figure(o.break_even),
                "break_even_beyond_baseline": o.beyond_baseline,
                "note": o.note,
            }
            for o in found.objectives
        ],
    }


def render_forecast_json(analysis: Analysis) -> str:
    """The `forecast` command's JSON: the contract's header and each programme's forecast."""
    data = {
        "roicli_version": analysis.version,
        "as_of": analysis.as_of.isoformat(),
        "currency": analysis.currency,
        "programs": [
            {
                "name": program.name,
                "participants": program.participants,
                "benefit_window_months": program.benefit_window_months,
                "forecast": forecast_dict(program.forecast),
            }
            for program in analysis.programs
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _first_year(
    figures: RoiFigures, *, provisional: bool, annualised_from: int | None = None
) -> dict[str, Any]:
    data = _figures(figures)
    del data["costs"], data["note"]
    return {**data, "provisional": provisional, "annualised_from_months": annualised_from}


def _multi_year(found: MultiYearFigures | None) -> dict[str, Any] | None:
    """The opt-in multi-year figures: per year (money rows fitted to their totals, to the
    cent), then the totals on both ROI bases."""
    if found is None:
        return None
    fitted = {
        name: apportion([getattr(row, name) for row in found.rows], getattr(found, name))
        for name in ("benefits", "costs", "pv_benefits", "pv_costs")
    }
    return {
        "basis": found.basis.value,
        "years": found.years,
        "discount_rate": figure(found.discount_rate),
        "roi_on": found.roi_on.value,
        "benefits_from": "stated" if found.stated else "persistence",
        "by_year": [
            {
                "year": row.year,
                "benefits": float(fitted["benefits"][index]),
                "costs": float(fitted["costs"][index]),
                "discount_factor": figure(row.discount_factor),
                "pv_benefits": float(fitted["pv_benefits"][index]),
                "pv_costs": float(fitted["pv_costs"][index]),
                "cumulative_net": money_float(row.cumulative_net),
            }
            for index, row in enumerate(found.rows)
        ],
        "benefits": money_float(found.benefits),
        "costs": money_float(found.costs),
        "initial_investment": money_float(found.initial),
        "pv_benefits": money_float(found.pv_benefits),
        "pv_costs": money_float(found.pv_costs),
        "npv": money_float(found.npv),
        "roi_pct": figure(found.roi_pct),
        "roi_pct_undiscounted": figure(found.roi_pct_undiscounted),
        "roi_on_total_costs": {
            "discounted": figure(found.roi_total_costs),
            "undiscounted": figure(found.roi_total_costs_undiscounted),
        },
        "roi_on_initial_investment": {
            "discounted": figure(found.roi_initial),
            "undiscounted": figure(found.roi_initial_undiscounted),
        },
        "bcr": figure(found.bcr),
        "payback_years": figure(found.payback_years),
        "discounted_payback_years": figure(found.discounted_payback_years),
    }


def _sensitivity(sensitivity: Sensitivity) -> dict[str, Any]:
    return {
        "conservative": figure(sensitivity.conservative),
        "base": figure(sensitivity.base),
        "optimistic": figure(sensitivity.optimistic),
    }


def _portfolio(analysis: Analysis) -> dict[str, Any]:
    portfolio = analysis.portfolio
    return {
        **_figures(portfolio.figures),
        "ranking": list(portfolio.ranking),
        "sensitivity": _sensitivity(portfolio.sensitivity),
        "first_year": _first_year(
            portfolio.first_year,
            provisional=any(p.provisional for p in analysis.programs if not p.pending),
        ),
        "pending": list(portfolio.pending),
        "pending_costs": money_float(portfolio.pending_costs),
        "range": _program_range(portfolio.range),
    }


def _programs(analysis: Analysis) -> list[dict[str, Any]]:
    """Each programme, its benefits apportioned to add up to the portfolio's where it counts."""
    measured = [p for p in analysis.programs if not p.pending]
    totals = apportion([p.figures.benefits for p in measured], analysis.portfolio.figures.benefits)
    fitted = dict(zip((p.name for p in measured), totals, strict=True))
    return [_program(p, fitted.get(p.name, Decimal(0))) for p in analysis.programs]


def _program(program: ProgramResult, benefits: Decimal) -> dict[str, Any]:
    counted = [o for o in program.objectives if o.benefit is not None]
    shares = dict(
        zip(
            (o.id for o in counted),
            apportion([o.benefit or 0.0 for o in counted], float(benefits)),
            strict=True,
        )
    )
    costs = apportion([line.amount for line in program.costs], program.figures.costs)
    figures = _figures(program.figures, float(benefits))
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
            "items": [
                _cost(line, amount) for line, amount in zip(program.costs, costs, strict=True)
            ],
            "by_category": {
                category.value: money_float(amount)
                for category, amount in program.costs_by_category().items()
            },
        },
        **figures,
        "pending": program.pending,
        "measurable_from": _day(program.measurable_from),
        "first_year": _first_year(
            program.first_year,
            provisional=program.provisional,
            annualised_from=program.annualised_from,
        ),
        "multi_year": _multi_year(program.multi_year),
        "sensitivity": _sensitivity(program.sensitivity),
        "range": _program_range(program.range),
        "roi_objective": program.roi_objective,
        "roi_objective_status": _value(program.roi_objective_status),
        "forecast": forecast_dict(program.forecast),
        "intangibles": list(program.intangibles),
        "objectives": [_objective(o, shares.get(o.id)) for o in program.objectives],
        "rules": [_finding(rule) for rule in program.rules],
        "evaluation": evaluation_dict(program.evaluation),
        "chain": chain_list(program.chain),
    }


def _program_range(found: ProgramRange | None) -> dict[str, Any] | None:
    """The programme's intervals (at the analysis's confidence level) and probabilities."""
    if found is None:
        return None
    return {
        "benefits": _interval(found.benefits),
        "net_benefit": _interval(found.net_benefit),
        "roi_pct": _interval(found.roi_pct, percent=True),
        "p_positive": figure(found.p_positive, 4),
        "p_objective": figure(found.p_objective, 4),
        "reliable": found.reliable,
    }


def _interval(found: Interval | None, *, percent: bool = False) -> dict[str, Any] | None:
    if found is None:
        return None
    if percent:
        return {"low": figure(found.low), "high": figure(found.high)}
    return {"low": money_float(found.low), "high": money_float(found.high)}


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _cost(line: CostLine, amount: Decimal) -> dict[str, Any]:
    return {
        "item": line.item,
        "category": line.category.value,
        "amount": float(amount),
        "basis": line.basis,
    }


def _objective(objective: ObjectiveResult, benefit: Decimal | None) -> dict[str, Any]:
    """An objective; its benefit as apportioned in its programme, its rows fitted to it."""
    money = objective.money
    rows = [row for row in objective.improvements if row.benefit is not None]
    benefits = apportion([row.benefit or 0.0 for row in rows], float(benefit or 0))
    fitted = dict(zip((row.period for row in rows), benefits, strict=True))
    adjusted = apportion(
        [row.adjusted for row in objective.estimates], sum(r.adjusted for r in objective.estimates)
    )
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
        "adjustment": figure(objective.adjustment),
        "periods_counted": objective.periods_counted,
        "benefit": None if benefit is None else float(benefit),
        "benefit_range": _benefit_range(objective.benefit_range),
        "basis": Basis.TO_DATE.value,
        "monthly_benefit": money_float(money.monthly) if money else None,
        "first_year": money_float(money.first_year) if money else None,
        "provisional": money.provisional if money else None,
        "annualised": money.annualised if money else None,
        "unconverted_benefit": money_float(objective.unconverted_benefit),
        "measurable_from": _day(objective.measurable_from),
        "data_to": _day(objective.data_to),
        "improvements": [
            _improvement(row, fitted.get(row.period)) for row in objective.improvements
        ],
        "estimates": [
            _estimate(row, amount)
            for row, amount in zip(objective.estimates, adjusted, strict=True)
        ],
        "pre_post": _pre_post(objective.pre_post),
        "smart": {
            name: {"status": f.verdict.value, "reason": f.reason, "fix": f.fix}
            for name, f in objective.smart.items()
        },
    }


def _benefit_range(found: BenefitRange | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {**(_interval(found) or {}), "periods": found.periods, "reliable": found.reliable}


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


def _improvement(row: Improvement, benefit: Decimal | None) -> dict[str, Any]:
    return {
        "period": row.period,
        "value": figure(row.value),
        "reference": figure(row.reference),
        "improvement": figure(row.improvement),
        "benefit": None if benefit is None else float(benefit),
    }


def _estimate(row: EstimateRow, adjusted: Decimal) -> dict[str, Any]:
    return {
        "row": row.row,
        "participant": row.participant,
        "measure": row.measure,
        "annual_value": money_float(row.annual_value),
        "given_value": money_float(row.given),
        "period": row.period.value,
        "margin": figure(row.margin),
        "contribution": figure(row.contribution),
        "confidence": figure(row.confidence),
        "adjusted": float(adjusted),
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
        "sql": list(source.sql),
    }


def _changes(changes: Changes | None) -> dict[str, Any] | None:
    """Since the previous run: null on a first recorded run, or when not compared."""
    if changes is None or changes.previous_as_of is None:
        return None
    return {
        "previous_as_of": changes.previous_as_of.isoformat(),
        "previous_roicli_version": changes.previous_version,
        "compared_with": changes.compared_with or "history",
        "programs": [
            {"name": change.name, **_program_change(change)} for change in changes.programs
        ],
        "portfolio": _program_change(changes.portfolio) if changes.portfolio else None,
        "statuses": [
            {
                "program": change.program,
                "objective": change.objective,
                "before": _value(change.before),
                "after": _value(change.after),
            }
            for change in changes.statuses
        ],
        "smart_failures": _finding_changes(f for f in changes.findings if f.objective),
        "rules": _finding_changes(f for f in changes.findings if not f.objective),
        "new_periods": [
            {"kpi": added.kpi, "label": added.label, "periods": list(added.periods)}
            for added in changes.new_periods
        ],
        "revisions": [
            {
                "kpi": revision.kpi,
                "label": revision.label,
                "period": revision.period,
                **_delta(revision.value, figure),
                "change_pct": figure(_change_pct(revision.value)),
            }
            for revision in changes.revisions
        ],
    }


def _program_change(change: ProgramChange) -> dict[str, Any]:
    return {
        "roi_pct": _delta(change.roi_pct, figure),
        "benefits": _delta(change.benefits, money_float),
    }


def _delta(delta: Delta, rounded: Callable[[float | None], float | None]) -> dict[str, Any]:
    return {
        "before": rounded(delta.before),
        "after": rounded(delta.after),
        "change": rounded(delta.change),
    }


def _change_pct(delta: Delta) -> float | None:
    change = delta.change
    if change is None or not delta.before:
        return None
    return change / abs(delta.before) * 100


def _finding_changes(findings: Iterable[FindingChange]) -> dict[str, list[dict[str, Any]]]:
    """New and resolved SMART failures (objective and criterion) or Phillips findings."""
    listed: dict[str, list[dict[str, Any]]] = {"new": [], "resolved": []}
    for finding in findings:
        item = {"program": finding.program}
        if finding.objective:
            item |= {"objective": finding.objective, "criterion": finding.check}
        else:
            item |= {"check": finding.check, "status": finding.verdict.value}
        listed["resolved" if finding.resolved else "new"].append(item)
    return listed
