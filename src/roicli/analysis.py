"""Builds the one Analysis from a loaded project: progress, isolated benefits, ROI, trends."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from roicli import __version__
from roicli.benefits import (
    SENSITIVITY_FACTORS,
    UNCONVERTED_LEVELS,
    adjusted_estimate,
    annual_value,
    benefit_at,
    credited_share,
    estimates_adjustment,
    estimates_money,
    measured_money,
    month_benefit,
)
from roicli.config import Config, Kpi, Objective, Program
from roicli.coverage import kpi_coverage
from roicli.enums import Basis, Direction, Isolation, Level, Period, RoiObjectiveStatus, Status
from roicli.errors import DataError
from roicli.evaluation.chain import chain
from roicli.evaluation.checks import PlanContext, plan_checks
from roicli.evaluation.model import EvaluationData
from roicli.evaluation.programme import evaluate
from roicli.forecast import program_forecast
from roicli.intervals import Spread, baseline_spread, control_spread, trend_spread
from roicli.isolation import Reference, improvements
from roicli.messages import Msg
from roicli.model import (
    Analysis,
    Audit,
    BenefitRange,
    Cohort,
    CohortGroup,
    EstimateInput,
    EstimateRow,
    Forecast,
    Improvement,
    KpiTrend,
    Money,
    ObjectiveResult,
    PeriodPoint,
    Portfolio,
    PrePost,
    ProgramRange,
    ProgramResult,
    RoiFigures,
    Sensitivity,
    Staleness,
)
from roicli.multiyear import in_first_year, program_multi_year
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
    whole_periods,
    with_ratios,
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
from roicli.propagation import Uncertain, objective_range, program_range
from roicli.roi import cost_lines, pending_figures, per_participant, roi_figures, roi_pct
from roicli.rules import phillips_rules
from roicli.smart import SmartContext, check_smart
from roicli.stats import fit_line, percent
from roicli.verdict import actions, program_verdict

MIN_TREND_PERIODS = 3
ROLLING_PERIODS = 3
# A cohort shows a KPI's other groups (neither trained nor control) only up to this many groups:
# beyond, 50,000 teams side by side would say nothing and cost minutes.
MAX_COHORT_GROUPS = 12


@dataclass(frozen=True)
class _Run:
    """The settings shared by every objective of one analysis.

    ``months`` is the money grid: objectives are tracked and valued month by month whatever
    the display period, so no figure depends on ``--period``; ``shown`` is the display grid.
    """

    config: Config
    months: PeriodData
    shown: PeriodData
    estimates: Mapping[str, tuple[EstimateInput, ...]]
    as_of: date
    period: Period
    last_month: int  # the last complete month at the as-of date
    last_shown: int  # the last display period shown (the running one with --include-partial)
    points: dict[tuple[str, str | None], tuple[PeriodPoint, ...]] = field(default_factory=dict)


def analyse(
    project_: Project, *, as_of: date, period: Period = Period.MONTH, include_partial: bool = False
) -> Analysis:
    """Compute everything the report shows, as of a date, from a loaded project."""
    config = project_.loaded.config
    table = project_.dataset.table.until(as_of)
    coverage = {
        key: found.until(as_of)
        for key, found in with_ratios(kpi_coverage(table), config.kpis).items()
    }
    months = aggregate(table, config.kpis, Period.MONTH, coverage)
    run = _Run(
        config=config,
        months=months,
        shown=months if period is Period.MONTH else aggregate(table, config.kpis, period, coverage),
        estimates=project_.estimates,
        as_of=as_of,
        period=period,
        last_month=last_complete_period(as_of, Period.MONTH),
        last_shown=period_of(as_of, period)
        if include_partial
        else last_complete_period(as_of, period),
    )
    loaded = project_.evaluations
    evaluated = [
        _program(program, run, loaded.data[index] if loaded is not None else ())
        for index, program in enumerate(config.programs)
    ]
    programs = tuple(result for result, _ in evaluated)
    stale = _stale(programs, run)
    found = found_kpis(project_.loaded, project_.dataset)
    return Analysis(
        version=__version__,
        as_of=as_of,
        period=period,
        currency=config.currency,
        include_partial=include_partial,
        business_goals=config.business_goals,
        programs=programs,
        portfolio=_portfolio(programs, [evidence for _, evidence in evaluated], run),
        stale=stale,
        verdicts=tuple(program_verdict(program, stale) for program in programs),
        actions=actions(programs, stale),
        kpis=tuple(_kpi_trend(key, run) for key in config.kpis if run.shown.shown(key)),
        cohorts=_cohorts(config, run),
        audit=Audit(
            config=str(project_.loaded.path),
            config_sha256=project_.config_sha256,
            sources=project_.dataset.audits,
            unused_kpis=tuple(key for key in config.kpis if key not in found),
            conversions=project_.loaded.conversions,
            evaluations=loaded.audits if loaded is not None else (),
        ),
        confidence_level=config.confidence_level,
    )


@dataclass(frozen=True)
class _Evidence:
    """What a programme's interval rests on: its measured objectives' uncertainties, and the
    benefit counted without an interval (estimates, a baseline given as a value)."""

    items: tuple[Uncertain, ...] = ()
    fixed: float = 0.0
    complete: bool = True


def _program(
    program: Program, run: _Run, evaluations: Sequence[EvaluationData] = ()
) -> tuple[ProgramResult, _Evidence]:
    counted_to = _counted_to(program, run)
    evaluated = [
        _objective(objective, program, run, counted_to) for objective in program.objectives
    ]
    objectives = tuple(result for result, _ in evaluated)
    every_line = cost_lines(program)
    lines = tuple(
        line for line, cost in zip(every_line, program.costs, strict=True) if in_first_year(cost)
    )
    costs = sum(line.amount for line in lines)
    counted = [o.money for o in objectives if o.benefit is not None and o.money is not None]
    pending = not counted
    benefits = sum(money.to_date for money in counted)
    monthly = sum(money.monthly for money in counted)
    first_year = sum(money.first_year for money in counted)
    figures = per_participant(
        pending_figures(costs, Basis.TO_DATE)
        if pending
        else roi_figures(costs, benefits, monthly, Basis.TO_DATE),
        program.participants,
    )
    sensitivity = Sensitivity(None, None, None)
    if not pending:
        sensitivity = Sensitivity(
            **{
                name: roi_pct(costs, sum(benefit_at(o, factor) for o in objectives))
                for name, factor in SENSITIVITY_FACTORS.items()
            }
        )
    measurable = [
        o.measurable_from for o in objectives if o.measurable_from is not None and _carries_money(o)
    ]
    evidence = _Evidence() if pending else _evidence(evaluated, figures)
    result = ProgramResult(
        name=program.name,
        method=program.method,
        start=program.start,
        end=program.end,
        participants=program.participants,
        benefit_window_months=program.benefit_window_months,
        months_counted=max(
            (o.money.months for o in objectives if o.money and o.improvements),
            default=max((money.months for money in counted), default=0),
        ),
        costs=lines,
        figures=figures,
        first_year=per_participant(
            pending_figures(costs, Basis.FIRST_YEAR)
            if pending
            else roi_figures(costs, first_year, monthly, Basis.FIRST_YEAR),
            program.participants,
        ),
        provisional=any(money.provisional for money in counted),
        pending=pending,
        multi_year=program_multi_year(
            program, [line.amount for line in every_line], None if pending else first_year
        ),
        annualised_from=min((money.months for money in counted if money.annualised), default=None),
        measurable_from=min(measurable) if pending and measurable else None,
        sensitivity=sensitivity,
        intangibles=tuple(item.name for item in program.intangibles),
        objectives=objectives,
        rules=phillips_rules(program, objectives, run.config.thresholds),
        range=_range(evidence, figures.costs, run, program.roi_objective),
        roi_objective=program.roi_objective,
        roi_objective_status=_roi_objective_status(program.roi_objective, figures),
        forecast=_forecast(program, objectives, costs),
    )
    return _with_evaluation(result, program, evaluations, run), evidence


def _with_evaluation(
    result: ProgramResult, program: Program, loaded: Sequence[EvaluationData], run: _Run
) -> ProgramResult:
    """The programme's levels 1-3, its data-collection plan checks beside Phillips' rules, and
    its chain of impact."""
    found = evaluate(program, loaded) if program.evaluations else None
    rules = result.rules
    if found is not None:
        context = PlanContext(
            program,
            surveys=[s.overall for s in found.surveys],
            learning=[test.overall for test in found.learning],
        )
        rules += plan_checks(context)
    steps = chain(result, found, hours=program.hours, confidence_level=run.config.confidence_level)
    return dataclasses.replace(result, evaluation=found, rules=rules, chain=steps)


def _forecast(program: Program, objectives: Sequence[ObjectiveResult], costs: float) -> Forecast:
    """The programme's forecast before launch, its figures ÷ participants like the report's."""
    found = program_forecast(
        program.objectives, objectives, costs=costs, window=program.benefit_window_months
    )
    if found.figures is None:
        return found
    return replace(found, figures=per_participant(found.figures, program.participants))


def _evidence(
    evaluated: Sequence[tuple[ObjectiveResult, Uncertain | None]], figures: RoiFigures
) -> _Evidence:
    """The measured objectives' uncertainties; the rest of the benefits counted as they are."""
    items = tuple(item for _, item in evaluated if item is not None)
    measured = [
        result
        for result, _ in evaluated
        if result.benefit is not None and result.isolation is not Isolation.ESTIMATES
    ]
    with_range = sum(
        result.benefit for result, item in evaluated if item is not None and result.benefit
    )
    return _Evidence(items, figures.benefits - with_range, len(items) == len(measured))


def _range(
    evidence: _Evidence, costs: float, run: _Run, roi_objective: float | None = None
) -> ProgramRange | None:
    """The intervals from the objectives' ones; None when no benefit has an interval. Benefits
    without one are added as they are, and make the intervals rough."""
    if not evidence.items:
        return None
    return program_range(
        evidence.items,
        fixed=evidence.fixed,
        costs=costs,
        level=run.config.confidence_level,
        roi_objective=roi_objective,
        complete=evidence.complete,
    )


def _roi_objective_status(
    objective: float | None, figures: RoiFigures
) -> RoiObjectiveStatus | None:
    """Met when the ROI to date reaches the objective; not yet measurable without an ROI."""
    if objective is None:
        return None
    if figures.roi_pct is None:
        return RoiObjectiveStatus.NOT_YET_MEASURABLE
    return RoiObjectiveStatus.MET if figures.roi_pct >= objective else RoiObjectiveStatus.NOT_MET


def _carries_money(objective: ObjectiveResult) -> bool:
    """Whether an objective can ever count in the benefits: estimates, or a KPI of level 3 or
    more with a value per unit."""
    if objective.isolation is Isolation.ESTIMATES:
        return True
    return objective.value_per_unit is not None and objective.level not in UNCONVERTED_LEVELS


def _counted_to(program: Program, run: _Run) -> int:
    """The last month a programme's money is counted to: the last complete month, or the
    latest month its measured KPIs have data for, so that estimates accrue no further."""
    latest = [
        months[-1][0]
        for objective in program.objectives
        if objective.kpi and objective.value_per_unit is not None
        for months in [run.months.series(objective.kpi, objective.group).until(run.last_month)]
        if months
    ]
    return max(latest) if latest else run.last_month


def _months_elapsed(program: Program, last_month: int) -> int:
    """Complete months from the start's month through the benefit window, up to the as-of."""
    first = period_of(program.start, Period.MONTH)
    last = min(last_month, first + program.benefit_window_months - 1)
    return max(0, last - first + 1)


def _window(program: Program, period: Period) -> range:
    """The periods wholly inside the benefit window, from the start's month on."""
    first_day = period_start(period_of(program.start, Period.MONTH), Period.MONTH)
    window_end = add_months(first_day, program.benefit_window_months) - timedelta(days=1)
    return whole_periods(first_day, window_end, period)


def _measurable_from(program: Program, kpi: Kpi | None) -> date:
    """The first day an objective's money can be counted: its first month (the start's) must be
    over, and its KPI's lag past."""
    start_month = period_of(program.start, Period.MONTH)
    first = period_end(start_month, Period.MONTH) + timedelta(days=1)
    if kpi is not None and kpi.lag_months:
        first = max(first, add_months(program.start, kpi.lag_months))
    return first


def _objective(
    objective: Objective, program: Program, run: _Run, counted_to: int
) -> tuple[ObjectiveResult, Uncertain | None]:
    """The objective's result, and its benefit's uncertainty when it has an interval."""
    kpi = run.config.kpis.get(objective.kpi) if objective.kpi else None
    sign = kpi.direction.sign if kpi else 1
    start = period_of(program.start, Period.MONTH)
    series = (
        run.months.series(objective.kpi, objective.group) if kpi and objective.kpi else Series()
    )
    baseline = resolve_baseline(objective.baseline, series, start=start, period=Period.MONTH)
    if kpi is None and objective.baseline is not None:
        baseline = objective.baseline.value
    target = None
    if objective.target is not None and baseline is not None:
        target = objective.target.resolve(baseline)
    elif objective.target is not None:
        target = objective.target.value
    inputs = run.estimates.get(objective.id, ())
    estimates = _estimate_rows(inputs, objective.margin)
    measured = series.until(run.last_month)
    current = measured[-1] if measured else None
    baseline_last = None
    if kpi is not None:
        ordinals = baseline_ordinals(objective.baseline, series, start=start, period=Period.MONTH)
        baseline_last = max(ordinals) if ordinals else None

    status, reason, projected = _status(objective, program, run, series, baseline, target, current)
    valued = _valued(objective, program, run, series, baseline, sign, status, estimates, counted_to)
    in_headline = kpi is None or kpi.level not in UNCONVERTED_LEVELS
    coverage = run.months.coverage.get(objective.kpi or "")
    shown = run.shown.shown(objective.kpi, objective.group) if kpi and objective.kpi else Series()
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
            period=Period.MONTH,
            as_of=run.as_of,
            last_data=coverage.last if coverage else None,
            thresholds=run.config.thresholds,
        )
    )
    measured_money = valued.money if in_headline else None
    estimated = objective.isolation is Isolation.ESTIMATES
    uncertain = None
    if measured_money is not None and valued.spread is not None:
        assert objective.value_per_unit is not None
        uncertain = Uncertain(
            improvement=sum(row.improvement for row in valued.rows),
            spread=valued.spread,
            value_per_unit=objective.value_per_unit,
            attribution=objective.attribution,
            confidence=objective.confidence,
        )
    result = ObjectiveResult(
        id=objective.id,
        title=objective.title,
        kpi=objective.kpi,
        kpi_label=(kpi.label or objective.kpi) if kpi else objective.kpi,
        unit=kpi.unit if kpi else None,
        aggregation=kpi.aggregation if kpi else None,
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
        current_period=period_label(current[0], Period.MONTH) if current else None,
        progress=progress(current[1], baseline, target)
        if current
        and baseline is not None
        and target is not None
        and status is not Status.NOT_YET_MEASURABLE
        else None,
        projected=projected,
        status=status,
        status_reason=reason,
        value_per_unit=objective.value_per_unit,
        attribution=None if estimated else objective.attribution,
        confidence=None if estimated else objective.confidence,
        adjustment=estimates_adjustment(estimates) if estimated else valued.share,
        periods_counted=len(valued.rows),
        benefit=measured_money.to_date if measured_money else None,
        money=measured_money,
        unconverted_benefit=None if in_headline or valued.money is None else valued.money.to_date,
        measurable_from=None if kpi is None and not estimated else _measurable_from(program, kpi),
        data_to=coverage.last if coverage else None,
        improvements=tuple(valued.rows),
        estimates=estimates,
        series=_group_points(objective.kpi, objective.group, run) if shown else (),
        pre_post=_pre_post(series, program, Period.MONTH, run.last_month) if shown else None,
        smart=smart,
        benefit_range=_benefit_range(uncertain, run.config.confidence_level),
    )
    return result, uncertain


def _benefit_range(uncertain: Uncertain | None, level: float) -> BenefitRange | None:
    if uncertain is None:
        return None
    bounds = objective_range(uncertain, level)
    spread = uncertain.spread
    return BenefitRange(bounds.low, bounds.high, spread.periods, spread.reliable)


@dataclass(frozen=True)
class _Valued:
    """An objective's counted months and money, before the headline rules apply."""

    rows: list[Improvement]
    money: Money | None
    share: float | None
    spread: Spread | None = None  # the total improvement's, when the evidence gives one


def _valued(
    objective: Objective,
    program: Program,
    run: _Run,
    series: Series,
    baseline: float | None,
    sign: int,
    status: Status,
    estimates: tuple[EstimateRow, ...],
    counted_to: int,
) -> _Valued:
    """The money of an objective: its counted months (or its estimates) on every basis.

    A KPI's months count from the first one after its lag, inside the benefit window that
    starts with the programme's first month."""
    window = program.benefit_window_months
    if objective.isolation is Isolation.ESTIMATES:
        annual = sum(row.adjusted for row in estimates)
        elapsed = _months_elapsed(program, counted_to)
        return _Valued([], estimates_money(annual, elapsed, window), None)
    kpi = run.config.kpis.get(objective.kpi or "")
    if status is Status.NOT_YET_MEASURABLE or baseline is None or not series or kpi is None:
        return _Valued([], None, None)
    first = period_of(_measurable_from(program, kpi), Period.MONTH)
    if kpi.lag_months == 0:
        first = period_of(program.start, Period.MONTH)
    in_window = _window(program, Period.MONTH)
    counted = [(o, v) for o, v in series.until(run.last_month) if o in in_window and o >= first]
    reference = _reference(objective, program, run, series, baseline)
    found = improvements(counted, reference, sign)
    total_improvement = sum(delta for _, _, _, delta in found)
    share = credited_share(total_improvement, objective.attribution, objective.confidence)
    rows = [
        Improvement(
            period_label(ordinal, Period.MONTH),
            value,
            compared,
            delta,
            None
            if objective.value_per_unit is None
            else month_benefit(delta, objective.value_per_unit, share),
        )
        for ordinal, value, compared, delta in found
    ]
    money = None
    if objective.value_per_unit is not None:
        money = measured_money(
            [row.benefit for row in rows if row.benefit is not None],
            window,
            annualised=objective.annualise or program.annualise,
        )
    spread = _spread(objective, program, run, series, [ordinal for ordinal, *_ in found])
    return _Valued(rows, money, share, spread)


def _spread(
    objective: Objective, program: Program, run: _Run, series: Series, counted: list[int]
) -> Spread | None:
    """How noisy the KPI is, by isolation method, for the total improvement of the counted
    months (``intervals``); None when the evidence is too thin or the baseline is a given value."""
    if not counted:
        return None
    start = period_of(program.start, Period.MONTH)
    if objective.isolation is Isolation.TREND:
        return trend_spread([(float(o), v) for o, v in series.until(start - 1)], counted)
    if objective.baseline is not None and objective.baseline.value is not None:
        return None  # a value from the config: no months to measure its noise on
    if objective.isolation is Isolation.CONTROL:
        assert objective.kpi is not None
        control = run.months.series(objective.kpi, objective.control_group)
        differences = [
            value - control.values[o] for o, value in series.until(start - 1) if o in control.values
        ]
        averaged = sum(
            1 for o in _control_baseline_ordinals(objective, control, start) if o in control.values
        )
        return control_spread(differences, len(counted), averaged)
    ordinals = baseline_ordinals(objective.baseline, series, start=start, period=Period.MONTH)
    return baseline_spread([series.values[o] for o in ordinals if o in series.values], len(counted))


def _estimate_rows(
    inputs: tuple[EstimateInput, ...], margin: float | None = None
) -> tuple[EstimateRow, ...]:
    """The estimates with their annual and adjusted values, each participant named by a
    pseudonym; a row's own margin wins over the objective's ``margin``."""
    aliases: dict[str, str] = {}
    rows = []
    for given in inputs:
        alias = aliases.setdefault(given.participant, f"P{len(aliases) + 1}")
        applied = given.margin if given.margin is not None else margin
        annual = annual_value(given.annual_value, given.period, applied)
        rows.append(
            EstimateRow(
                row=given.row,
                participant=alias,
                measure=given.measure,
                annual_value=annual,
                contribution=given.contribution,
                confidence=given.confidence,
                period=given.period,
                margin=applied,
                adjusted=adjusted_estimate(annual, given.contribution, given.confidence),
                given=given.annual_value,
            )
        )
    return tuple(rows)


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
    measurable = _measurable_from(program, kpi)
    if run.as_of < measurable:
        if kpi.lag_months and run.as_of < add_months(program.start, kpi.lag_months):
            reason = Msg("status.lag", months=kpi.lag_months, day=measurable)
        else:
            reason = Msg("status.first_month", day=measurable)
        return Status.NOT_YET_MEASURABLE, reason, None
    if not series or current is None:
        return Status.NO_DATA, Msg("status.no_period"), None
    if current[0] < period_of(measurable, Period.MONTH):
        return Status.NOT_YET_MEASURABLE, Msg("status.waiting", day=measurable), None
    if baseline is None:
        return Status.NO_DATA, Msg("status.no_baseline"), None
    if target is None or objective.deadline is None:
        return Status.NOT_YET_MEASURABLE, Msg("status.no_target"), None
    deadline = period_of(objective.deadline, Period.MONTH)
    start = period_of(program.start, Period.MONTH)
    projection = project(series, start=start, last=run.last_month, deadline=deadline)
    projected = projection.value if projection else None
    status, reason = decide_status(
        StatusInputs(
            sign=kpi.direction.sign,
            baseline=baseline,
            target=target,
            current=current[1],
            projected=projected,
            deadline_passed=deadline <= run.last_month,
        )
    )
    return status, reason, projected


def _reference(
    objective: Objective, program: Program, run: _Run, series: Series, baseline: float
) -> Reference:
    start = period_of(program.start, Period.MONTH)
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
                f"complete pre-programme months of {objective.kpi}{_group_text(objective.group)}, "
                f"found {len(before)}",
                fix="add older data, or use isolation: baseline or control",
            )
        return Reference(Isolation.TREND, baseline, trend=line)
    if objective.isolation is Isolation.CONTROL:
        assert objective.kpi is not None
        assert objective.control_group is not None
        control = run.months.series(objective.kpi, objective.control_group)
        values = [
            control.values[o]
            for o in _control_baseline_ordinals(objective, control, start)
            if o in control.values
        ]
        if not values:
            raise DataError(
                f"objective {objective.id!r}: the control group {objective.control_group!r} has "
                f"no {objective.kpi} data in the baseline months",
                fix="check control_group against the source's group values",
            )
        return Reference(
            Isolation.CONTROL,
            baseline,
            control=dict(control.values),
            control_baseline=sum(values) / len(values),
        )
    return Reference(Isolation.BASELINE, baseline)


def _control_baseline_ordinals(objective: Objective, control: Series, start: int) -> list[int]:
    """The control group's baseline months: the objective's, or the last 3 before the start."""
    if objective.baseline is None or objective.baseline.value is not None:
        return [o for o in control.ordinals() if o < start][-3:]
    return baseline_ordinals(objective.baseline, control, start=start, period=Period.MONTH)


def _stale(programs: Sequence[ProgramResult], run: _Run) -> tuple[Staleness, ...]:
    """The KPIs whose data end before the last complete month, while an objective still needs
    them: its deadline is not past, or its benefit window still counts money."""
    users: dict[str, list[str]] = {}
    needed_from = period_start(run.last_month, Period.MONTH)
    for program in programs:
        window_open = run.last_month < period_of(program.start, Period.MONTH) + (
            program.benefit_window_months
        )
        for objective in program.objectives:
            if not objective.kpi or objective.data_to is None:
                continue
            tracked = objective.deadline is None or objective.deadline >= needed_from
            if tracked or (window_open and objective.benefit is not None):
                users.setdefault(objective.kpi, []).append(objective.id)
    found = []
    for key, objectives in users.items():
        data_to = run.months.coverage[key].last
        behind = run.last_month - period_of(data_to, Period.MONTH)
        if period_end(period_of(data_to, Period.MONTH), Period.MONTH) > data_to:
            behind += 1  # the data end inside a month: that month is missing too
        if behind > 0:
            label = run.config.kpis[key].label or key
            found.append(Staleness(key, label, data_to, behind, tuple(objectives)))
    return tuple(found)


def _cohorts(config: Config, run: _Run) -> tuple[Cohort, ...]:
    """One cohort per (programme, KPI, trained group, control group) used by an objective."""
    found: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    programs: dict[tuple[str, str, str | None, str | None], Program] = {}
    for program in config.programs:
        for objective in program.objectives:
            kpi = objective.kpi
            if kpi is None or kpi not in config.kpis or len(run.shown.groups(kpi)) < 2:
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
    """The trained and the control group side by side, before and after the programme's start,
    with the KPI's other groups when it has at most MAX_COHORT_GROUPS."""
    _, kpi, trained, control = key
    groups = run.shown.groups(kpi)
    if len(groups) > MAX_COHORT_GROUPS:
        groups = [group for group in groups if group in (trained, control)]
    rows = []
    for group in groups:
        role = "other"
        if group == trained:
            role = "trained"
        elif group == control:
            role = "control"
        rows.append(
            CohortGroup(
                group,
                role,
                _pre_post(run.shown.series(kpi, group), program, run.period, run.last_shown),
                _group_points(kpi, group, run),
            )
        )
    by_role = {row.role: row.pre_post for row in rows}
    did = None
    if "trained" in by_role and "control" in by_role:
        did = difference_in_differences(by_role["trained"], by_role["control"])
    return Cohort(objectives, kpi, tuple(rows), did)


def _pre_post(series: Series, program: Program, period: Period, last_period: int) -> PrePost:
    """Complete periods before the start against those inside the benefit window."""
    start = period_of(program.start, period)
    window = _window(program, period)
    after = Series({o: v for o, v in series.values.items() if o in window})
    last = min(last_period, window[-1]) if window else start - 1
    return pre_post(
        Series({**dict(series.until(start - 1)), **after.values}), start=start, last=last
    )


def _group_text(group: str | None) -> str:
    return f" for group {group!r}" if group else ""


def _group_points(kpi: str | None, group: str | None, run: _Run) -> tuple[PeriodPoint, ...]:
    """The display periods of a KPI for a group (all groups for None), found once per run:
    ten thousand objectives share a few groups' series."""
    if kpi is None:
        return ()
    if (kpi, group) not in run.points:
        run.points[(kpi, group)] = _points(run.shown.shown(kpi, group), kpi, run)
    return run.points[(kpi, group)]


def _points(series: Series, kpi: str, run: _Run) -> tuple[PeriodPoint, ...]:
    """The display periods up to the last shown; changes and rolling means from complete
    periods only, partial ones marked."""
    points = []
    values = series.values
    complete = {o for o in values if run.shown.complete(kpi, o)}
    for ordinal in series.ordinals():
        if ordinal > run.last_shown:
            continue
        value = values[ordinal]
        change = change_pct = None
        if ordinal in complete and ordinal - 1 in complete:
            previous = values[ordinal - 1]
            change = value - previous
            change_pct = percent(change, previous)
        window = [
            values[o] for o in range(ordinal - ROLLING_PERIODS + 1, ordinal + 1) if o in complete
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
                complete=ordinal in complete,
            )
        )
    return tuple(points)


def _kpi_trend(key: str, run: _Run) -> KpiTrend:
    kpi = run.config.kpis[key]
    points = _points(run.shown.shown(key), key, run)
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


def _portfolio(
    programs: Sequence[ProgramResult], evidence: Sequence[_Evidence], run: _Run
) -> Portfolio:
    """The measurable programmes summed; ranked by ROI % when they have costs; pending apart;
    its intervals from every measured programme's objectives at once."""
    measured = [p for p in programs if not p.pending]
    pending = [p for p in programs if p.pending]
    costs = sum(p.figures.costs for p in measured)
    benefits = sum(p.figures.benefits for p in measured)
    counted = [o.money for p in measured for o in p.objectives if o.benefit is not None]
    monthly = sum(money.monthly for money in counted if money is not None)
    first_year = sum(p.first_year.benefits for p in measured)
    sensitivity = Sensitivity(
        **{
            name: roi_pct(costs, sum(benefit_at(o, factor) for p in measured for o in p.objectives))
            for name, factor in SENSITIVITY_FACTORS.items()
        }
    )
    ranked = sorted(
        (p for p in measured if p.figures.roi_pct is not None),
        key=lambda p: -(p.figures.roi_pct or 0.0),
    )
    return Portfolio(
        figures=roi_figures(costs, benefits, monthly, Basis.TO_DATE),
        first_year=roi_figures(costs, first_year, monthly, Basis.FIRST_YEAR),
        sensitivity=sensitivity,
        ranking=tuple(p.name for p in ranked),
        pending=tuple(p.name for p in pending),
        pending_costs=sum(p.figures.costs for p in pending),
        range=_range(
            _Evidence(
                items=tuple(item for found in evidence for item in found.items),
                fixed=sum(found.fixed for found in evidence),
                complete=all(found.complete for found in evidence),
            ),
            costs,
            run,
        ),
    )
