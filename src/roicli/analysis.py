"""Builds the one Analysis from a loaded project: progress, isolated benefits, ROI, trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from roicli import __version__
from roicli.config import Config, Objective, Program
from roicli.enums import Direction, Isolation, Level, Period, Status
from roicli.errors import DataError
from roicli.messages import Msg
from roicli.model import (
    Analysis,
    Audit,
    Cohort,
    CohortGroup,
    EstimateRow,
    Improvement,
    KpiTrend,
    ObjectiveResult,
    PeriodPoint,
    Portfolio,
    ProgramResult,
    Sensitivity,
)
from roicli.periods import (
    PeriodData,
    Series,
    add_months,
    aggregate,
    last_complete_period,
    period_end,
    period_label,
    period_of,
    period_start,
)
from roicli.progress import (
    StatusInputs,
    baseline_ordinals,
    decide_status,
    difference_in_differences,
    pre_post,
    progress,
    project,
    resolve_baseline,
)
from roicli.project import Project, found_kpis
from roicli.roi import (
    SENSITIVITY_FACTORS,
    Reference,
    benefit_at,
    cost_lines,
    improvements,
    period_benefit,
    roi_figures,
    roi_pct,
    total,
)
from roicli.rules import phillips_rules
from roicli.smart import SmartContext, check_smart
from roicli.stats import fit_line, ratio

MIN_TREND_PERIODS = 3
ROLLING_PERIODS = 3


@dataclass(frozen=True)
class _Run:
    """The settings shared by every objective of one analysis."""

    config: Config
    data: PeriodData
    estimates: Mapping[str, tuple[EstimateRow, ...]]
    as_of: date
    period: Period
    last: int
    last_data: Mapping[str, date]


def analyse(
    project_: Project, *, as_of: date, period: Period = Period.MONTH, include_partial: bool = False
) -> Analysis:
    """Compute everything the report shows, as of a date, from a loaded project."""
    config = project_.loaded.config
    table = project_.dataset.table.until(as_of)
    run = _Run(
        config=config,
        data=aggregate(table, config.kpis, period),
        estimates=project_.estimates,
        as_of=as_of,
        period=period,
        last=period_of(as_of, period) if include_partial else last_complete_period(as_of, period),
        last_data=_last_data(config, table.last_days()),
    )
    programs = tuple(_program(program, run) for program in config.programs)
    found = found_kpis(project_.loaded, project_.dataset)
    return Analysis(
        version=__version__,
        as_of=as_of,
        period=period,
        currency=config.currency,
        include_partial=include_partial,
        business_goals=config.business_goals,
        programs=programs,
        portfolio=_portfolio(programs),
        kpis=tuple(_kpi_trend(key, run) for key in config.kpis if run.data.series(key)),
        cohorts=_cohorts(config, run),
        audit=Audit(
            config=str(project_.loaded.path),
            config_sha256=project_.config_sha256,
            sources=project_.dataset.audits,
            unused_kpis=tuple(key for key in config.kpis if key not in found),
        ),
    )


def _last_data(config: Config, last: dict[str, date]) -> dict[str, date]:
    """The last date with data per KPI; a ratio's is the earlier of its two parts'."""
    for key, kpi in config.kpis.items():
        if kpi.ratio and kpi.ratio.numerator in last and kpi.ratio.denominator in last:
            last[key] = min(last[kpi.ratio.numerator], last[kpi.ratio.denominator])
    return last


def _program(program: Program, run: _Run) -> ProgramResult:
    objectives = tuple(_objective(objective, program, run) for objective in program.objectives)
    lines = cost_lines(program)
    costs = sum(line.amount for line in lines)
    benefits = total(objective.benefit for objective in objectives)
    months = _months_counted(program, run.as_of)
    sensitivity = {
        name: roi_pct(costs, sum(benefit_at(o, factor) for o in objectives))
        for name, factor in SENSITIVITY_FACTORS.items()
    }
    return ProgramResult(
        name=program.name,
        method=program.method,
        start=program.start,
        end=program.end,
        participants=program.participants,
        benefit_window_months=program.benefit_window_months,
        months_counted=months,
        costs=lines,
        figures=roi_figures(costs, benefits, months),
        sensitivity=Sensitivity(**sensitivity),
        intangibles=tuple(item.name for item in program.intangibles),
        objectives=objectives,
        rules=phillips_rules(program, objectives, run.config.thresholds),
    )


def _months_counted(program: Program, as_of: date) -> int:
    """Complete months from the start's month through the benefit window, up to the as-of."""
    first = period_of(program.start, Period.MONTH)
    last = min(last_complete_period(as_of, Period.MONTH), first + program.benefit_window_months - 1)
    return max(0, last - first + 1)


def _window_last(program: Program, period: Period) -> int:
    """The last period that starts inside the benefit window."""
    first_day = period_start(period_of(program.start, period), period)
    window_end = add_months(first_day, program.benefit_window_months)
    return period_of(window_end - timedelta(days=1), period)


def _objective(objective: Objective, program: Program, run: _Run) -> ObjectiveResult:
    kpi = run.config.kpis.get(objective.kpi) if objective.kpi else None
    sign = kpi.direction.sign if kpi else 1
    start = period_of(program.start, run.period)
    series = run.data.series(objective.kpi, objective.group) if kpi and objective.kpi else Series()
    baseline = resolve_baseline(objective.baseline, series, start=start, period=run.period)
    if kpi is None and objective.baseline is not None:
        baseline = objective.baseline.value
    target = None
    if objective.target is not None and baseline is not None:
        target = objective.target.resolve(baseline)
    elif objective.target is not None:
        target = objective.target.value
    estimates = run.estimates.get(objective.id, ())
    measured = series.until(run.last)
    current = measured[-1] if measured else None
    baseline_last = None
    if kpi is not None:
        ordinals = baseline_ordinals(objective.baseline, series, start=start, period=run.period)
        baseline_last = max(ordinals) if ordinals else None

    status, reason, projected = _status(objective, program, run, series, baseline, target, current)
    rows: list[Improvement] = []
    benefit: float | None = None
    if objective.isolation is Isolation.ESTIMATES:
        benefit = sum(row.adjusted for row in estimates)
    elif status is not Status.NOT_YET_MEASURABLE and kpi is not None and baseline is not None:
        rows = _improvements(objective, program, run, series, baseline, sign)
        if objective.value_per_unit is not None:
            benefit = total(row.benefit for row in rows)

    smart = check_smart(
        SmartContext(
            objective=objective,
            program=program,
            kpi=kpi,
            kpi_names=list(run.config.kpis),
            business_goals=run.config.business_goals,
            series=series,
            baseline=baseline,
            target=target,
            baseline_last=baseline_last,
            estimates=estimates,
            period=run.period,
            as_of=run.as_of,
            last_data=run.last_data.get(objective.kpi or ""),
            thresholds=run.config.thresholds,
        )
    )
    return ObjectiveResult(
        id=objective.id,
        title=objective.title,
        kpi=objective.kpi,
        kpi_label=(kpi.label or objective.kpi) if kpi else objective.kpi,
        unit=kpi.unit if kpi else None,
        level=kpi.level if kpi else _estimates_level(objective),
        direction=kpi.direction if kpi else Direction.INCREASE,
        group=objective.group,
        isolation=objective.isolation,
        owner=objective.owner,
        business_goal=objective.business_goal,
        deadline=objective.deadline,
        baseline=baseline,
        target=target,
        current=current[1] if current else None,
        current_period=period_label(current[0], run.period) if current else None,
        progress=progress(current[1], baseline, target)
        if current and baseline is not None and target is not None
        else None,
        projected=projected,
        status=status,
        status_reason=reason,
        value_per_unit=objective.value_per_unit,
        attribution=objective.attribution,
        confidence=objective.confidence,
        periods_counted=len(rows) if objective.isolation is not Isolation.ESTIMATES else 0,
        benefit=benefit,
        improvements=tuple(rows),
        estimates=estimates,
        series=_points(series, run),
        pre_post=pre_post(series, start=start, last=run.last) if series else None,
        smart=smart,
    )


def _estimates_level(objective: Objective) -> Level | None:
    """Participants' money estimates of results are impact-level (Kirkpatrick 4) evidence."""
    return Level.IMPACT if objective.isolation is Isolation.ESTIMATES else None


def _status(
    objective: Objective,
    program: Program,
    run: _Run,
    series: Series,
    baseline: float | None,
    target: float | None,
    current: tuple[int, float] | None,
) -> tuple[Status, str, float | None]:
    kpi = run.config.kpis.get(objective.kpi or "")
    if objective.isolation is Isolation.ESTIMATES:
        rows = run.estimates.get(objective.id, ())
        used = sum(1 for row in rows if row.confidence is not None)
        return (
            Status.ESTIMATED,
            Msg("status.estimated", used=used, total=len(rows)),
            None,
        )
    if kpi is None:
        return Status.NO_DATA, Msg("status.kpi_undefined", kpi=objective.kpi), None
    if kpi.lag_months and run.as_of < add_months(program.start, kpi.lag_months):
        return (
            Status.NOT_YET_MEASURABLE,
            Msg(
                "status.lag",
                months=kpi.lag_months,
                day=add_months(program.start, kpi.lag_months),
            ),
            None,
        )
    if not series or current is None:
        return Status.NO_DATA, Msg("status.no_period"), None
    if baseline is None:
        return Status.NO_DATA, Msg("status.no_baseline"), None
    if target is None or objective.deadline is None:
        return Status.NOT_YET_MEASURABLE, Msg("status.no_target"), None
    deadline = period_of(objective.deadline, run.period)
    start = period_of(program.start, run.period)
    projection = project(series, start=start, last=run.last, deadline=deadline)
    projected = projection.value if projection else None
    status, reason = decide_status(
        StatusInputs(
            sign=kpi.direction.sign,
            baseline=baseline,
            target=target,
            current=current[1],
            projected=projected,
            deadline_passed=deadline <= run.last,
        )
    )
    return status, reason, projected


def _improvements(
    objective: Objective,
    program: Program,
    run: _Run,
    series: Series,
    baseline: float,
    sign: int,
) -> list[Improvement]:
    start = period_of(program.start, run.period)
    counted = series.between(start, min(run.last, _window_last(program, run.period)))
    reference = _reference(objective, program, run, series, baseline)
    rows = []
    for ordinal, value, compared, delta in improvements(counted, reference, sign):
        benefit = None
        if objective.value_per_unit is not None:
            benefit = period_benefit(
                delta, objective.value_per_unit, objective.attribution, objective.confidence
            )
        rows.append(Improvement(period_label(ordinal, run.period), value, compared, delta, benefit))
    return rows


def _reference(
    objective: Objective, program: Program, run: _Run, series: Series, baseline: float
) -> Reference:
    start = period_of(program.start, run.period)
    if objective.isolation is Isolation.TREND:
        before = series.until(start - 1)
        line = (
            fit_line([(float(o), v) for o, v in before])
            if len(before) >= MIN_TREND_PERIODS
            else None
        )
        if line is None:
            raise DataError(
                f"objective {objective.id!r}: isolation trend needs at least {MIN_TREND_PERIODS} "
                f"pre-programme periods of {objective.kpi}{_group_text(objective.group)}, "
                f"found {len(before)}",
                fix="add older data, or use isolation: baseline or control",
            )
        return Reference(Isolation.TREND, baseline, trend=line)
    if objective.isolation is Isolation.CONTROL:
        assert objective.kpi is not None
        assert objective.control_group is not None
        control = run.data.series(objective.kpi, objective.control_group)
        ordinals = (
            [o for o in control.ordinals() if o < start][-3:]
            if objective.baseline is None or objective.baseline.value is not None
            else baseline_ordinals(objective.baseline, control, start=start, period=run.period)
        )
        values = [control.values[o] for o in ordinals if o in control.values]
        if not values:
            raise DataError(
                f"objective {objective.id!r}: the control group {objective.control_group!r} has "
                f"no {objective.kpi} data in the baseline periods",
                fix="check control_group against the source's group values",
            )
        return Reference(
            Isolation.CONTROL,
            baseline,
            control=dict(control.values),
            control_baseline=sum(values) / len(values),
        )
    return Reference(Isolation.BASELINE, baseline)


def _cohorts(config: Config, run: _Run) -> tuple[Cohort, ...]:
    """One cohort per (programme, KPI, trained group, control group) used by an objective."""
    found: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    programs: dict[tuple[str, str, str | None, str | None], Program] = {}
    for program in config.programs:
        for objective in program.objectives:
            kpi = objective.kpi
            if kpi is None or kpi not in config.kpis or len(run.data.groups(kpi)) < 2:
                continue
            key = (program.name, kpi, objective.group, objective.control_group)
            found.setdefault(key, []).append(objective.id)
            programs[key] = program
    return tuple(_cohort(key, tuple(ids), programs[key], run) for key, ids in found.items())


def _cohort(
    key: tuple[str, str, str | None, str | None],
    objectives: tuple[str, ...],
    program: Program,
    run: _Run,
) -> Cohort:
    """Every group of a KPI side by side, before and after the programme's start."""
    _, kpi, trained, control = key
    groups = run.data.groups(kpi)
    start = period_of(program.start, run.period)
    rows = []
    for group in groups:
        series = run.data.series(kpi, group)
        role = "other"
        if group == trained:
            role = "trained"
        elif group == control:
            role = "control"
        rows.append(
            CohortGroup(
                group, role, pre_post(series, start=start, last=run.last), _points(series, run)
            )
        )
    by_role = {row.role: row.pre_post for row in rows}
    did = None
    if "trained" in by_role and "control" in by_role:
        did = difference_in_differences(by_role["trained"], by_role["control"])
    return Cohort(objectives, kpi, tuple(rows), did)


def _group_text(group: str | None) -> str:
    return f" for group {group!r}" if group else ""


def _points(series: Series, run: _Run) -> tuple[PeriodPoint, ...]:
    points = []
    last_complete = last_complete_period(run.as_of, run.period)
    values = series.values
    for ordinal in series.ordinals():
        value = values[ordinal]
        previous = values.get(ordinal - 1)
        change = change_pct = None
        if previous is not None:
            change = value - previous
            share = ratio(change, previous)
            change_pct = None if share is None else share * 100
        window = [
            values[o] for o in range(ordinal - ROLLING_PERIODS + 1, ordinal + 1) if o in values
        ]
        rolling = sum(window) / ROLLING_PERIODS if len(window) == ROLLING_PERIODS else None
        points.append(
            PeriodPoint(
                period=period_label(ordinal, run.period),
                ordinal=ordinal,
                start=period_start(ordinal, run.period),
                end=period_end(ordinal, run.period),
                value=value,
                change=change,
                change_pct=change_pct,
                rolling_mean=rolling,
                complete=ordinal <= last_complete,
            )
        )
    return tuple(points)


def _kpi_trend(key: str, run: _Run) -> KpiTrend:
    kpi = run.config.kpis[key]
    series = run.data.series(key)
    points = _points(series, run)
    line = fit_line([(float(p.ordinal), p.value) for p in points if p.complete])
    note = None if line else Msg("note.no_slope")
    if line is not None and line.r2 is None:
        note = Msg("note.flat")
    return KpiTrend(
        key=key,
        label=kpi.label or key,
        unit=kpi.unit,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        level=kpi.level,
        periods=points,
        slope_per_period=line.slope if line else None,
        r2=line.r2 if line else None,
        note=note,
    )


def _portfolio(programs: Sequence[ProgramResult]) -> Portfolio:
    costs = sum(p.figures.costs for p in programs)
    benefits = sum(p.figures.benefits for p in programs)
    ranked = sorted(
        programs,
        key=lambda p: (p.figures.roi_pct is None, -(p.figures.roi_pct or 0.0)),
    )
    figures = replace(roi_figures(costs, benefits, 0), payback_months=None, note=None)
    return Portfolio(figures=figures, ranking=tuple(p.name for p in ranked))
