"""The results of an analysis: plain frozen data that every renderer reads and none computes.

Figures are unrounded here; renderers round at the edge (money half-up to cents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from roicli.enums import (
    ActionKind,
    Aggregation,
    Basis,
    CostCategory,
    Direction,
    EstimatePeriod,
    Isolation,
    Level,
    Method,
    Outlook,
    PaybackUnit,
    Period,
    RoiBase,
    RoiObjectiveStatus,
    Status,
    Verdict,
)

if TYPE_CHECKING:
    from roicli.evaluation.chain import ChainStep
    from roicli.evaluation.load import EvaluationAudit
    from roicli.evaluation.programme import ProgramEvaluation
    from roicli.ingest import SourceAudit


@dataclass(frozen=True)
class Finding:
    """One check's outcome: a stable id, a verdict, a one-line reason and a suggested fix."""

    check: str
    verdict: Verdict
    reason: str
    fix: str | None = None


SMART_CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(frozen=True)
class Smart:
    """The SMART verdicts of an objective, one combined finding per criterion."""

    specific: Finding
    measurable: Finding
    achievable: Finding
    relevant: Finding
    time_bound: Finding

    def items(self) -> Iterator[tuple[str, Finding]]:
        """(criterion, finding) pairs in S-M-A-R-T order."""
        for name in SMART_CRITERIA:
            yield name, getattr(self, name)

    @property
    def worst(self) -> Verdict:
        """fail if any criterion fails, else warn if any warns, else pass."""
        verdicts = {finding.verdict for _, finding in self.items()}
        for verdict in (Verdict.FAIL, Verdict.WARN):
            if verdict in verdicts:
                return verdict
        return Verdict.PASS


@dataclass(frozen=True)
class PeriodPoint:
    """A KPI's value in one period, with the change from the previous period."""

    period: str
    ordinal: int
    start: date
    end: date
    value: float
    change: float | None
    change_pct: float | None
    rolling_mean: float | None
    complete: bool


@dataclass(frozen=True)
class Improvement:
    """One counted month of an objective: the value, what it is compared with, the benefit."""

    period: str
    value: float
    reference: float
    improvement: float
    benefit: float | None


@dataclass(frozen=True)
class EstimateInput:
    """One row of an estimates file as read: a participant's (or manager's) estimate."""

    row: int
    participant: str
    measure: str
    annual_value: float  # as written: a year's value unless ``period`` says otherwise
    contribution: float
    confidence: float | None
    period: EstimatePeriod = field(default=EstimatePeriod.YEAR, kw_only=True)
    margin: float | None = field(default=None, kw_only=True)  # the row's own, when given


@dataclass(frozen=True)
class EstimateRow(EstimateInput):
    """One estimate, Phillips style, with its adjusted annual value; the participant is named
    only by a pseudonym (P1, P2 … in the file's order), since reports travel to management.

    ``annual_value`` is the annual figure counted: the value as given × its periods in a year ×
    the margin (the row's, else the objective's); ``given`` is the value as written."""

    adjusted: float
    given: float | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class PrePost:
    """Mean of the complete periods before the programme's start against those from it on."""

    before_mean: float | None
    after_mean: float | None
    change_pct: float | None
    before_periods: int
    after_periods: int


@dataclass(frozen=True)
class CohortGroup:
    """One group's KPI before and after the programme's start, with its series."""

    group: str
    role: str  # "trained", "control" or "other"
    pre_post: PrePost
    series: tuple[PeriodPoint, ...]


@dataclass(frozen=True)
class Cohort:
    """An objective's KPI for every group side by side; the DiD when a control group is set."""

    objectives: tuple[str, ...]
    kpi: str
    groups: tuple[CohortGroup, ...]
    difference_in_differences: float | None


@dataclass(frozen=True)
class Interval:
    """The bounds of a figure at the analysis's confidence level."""

    low: float
    high: float


@dataclass(frozen=True)
class BenefitRange(Interval):
    """An objective's benefit to date with its interval from the KPI's own noise."""

    periods: int  # the pre-programme months the interval rests on
    reliable: bool  # enough months for the isolation method (see intervals.py)


@dataclass(frozen=True)
class ProgramRange:
    """A programme's benefits, net benefit and ROI % intervals, and how likely the ROI is
    positive or meets its objective (a seeded simulation over its objectives' intervals)."""

    benefits: Interval
    net_benefit: Interval
    roi_pct: Interval | None  # None without costs
    p_positive: float | None  # P(ROI > 0)
    p_objective: float | None  # P(ROI ≥ the ROI objective); None without an objective
    reliable: bool  # every measured objective has an interval resting on enough months


@dataclass(frozen=True)
class ObjectiveResult:
    """Progress, status, isolated benefit and SMART verdicts of one objective."""

    id: str
    title: str
    kpi: str | None
    kpi_label: str | None
    unit: str | None
    level: Level | None
    direction: Direction
    group: str | None
    isolation: Isolation
    owner: str | None
    business_goal: str | None
    deadline: date | None
    baseline: float | None
    target: float | None
    current: float | None
    current_period: str | None
    progress: float | None
    projected: float | None
    status: Status
    status_reason: str
    value_per_unit: float | None
    attribution: float | None  # None for estimates: each row carries its own
    confidence: float | None
    adjustment: float | None  # the share of a gain counted: a × c, or the estimates' weighted one
    periods_counted: int  # months counted for money
    benefit: float | None  # to date, in the headline; None when nothing is counted
    money: Money | None  # the benefit's basis figures; None when nothing is counted
    unconverted_benefit: float | None  # a level-1/2 KPI's money, kept out of the headline
    measurable_from: date | None
    data_to: date | None  # the last day the KPI's data cover
    improvements: tuple[Improvement, ...]
    estimates: tuple[EstimateRow, ...]
    series: tuple[PeriodPoint, ...]
    pre_post: PrePost | None
    smart: Smart
    benefit_range: BenefitRange | None = None  # measured objectives with enough months
    aggregation: Aggregation | None = None  # its KPI's; None without a KPI


@dataclass(frozen=True)
class CostLine:
    """One fully-loaded cost item and how its amount was worked out."""

    item: str
    category: CostCategory
    amount: float
    basis: str


@dataclass(frozen=True)
class Money:
    """A benefit on each basis: to date, its monthly rate, and Phillips' first-year figure."""

    to_date: float
    monthly: float
    first_year: float
    months: int  # months counted to date
    provisional: bool  # fewer than 3 months counted: the first-year figure is an early guess
    annualised: bool = False  # the lead asked for it: the first year is stated as annualised


@dataclass(frozen=True)
class RoiFigures:
    """Phillips' level-5 figures on one basis; None where a figure does not exist, with why."""

    costs: float
    benefits: float
    net_benefit: float | None  # None while pending: too early is not a loss
    roi_pct: float | None
    bcr: float | None
    payback_months: float | None
    break_even_factor: float | None
    note: str | None
    basis: Basis = Basis.TO_DATE
    # Each figure ÷ the programme's participants, on the same basis; None without participants.
    costs_per_participant: float | None = None
    benefits_per_participant: float | None = None
    net_per_participant: float | None = None

    @property
    def payback(self) -> Payback | None:
        """The payback in the unit it is shown in: weeks when short, else months."""
        from roicli.payback import shown_payback

        return shown_payback(self.payback_months)


@dataclass(frozen=True)
class ObjectiveForecast:
    """An objective's forecast before launch and its break-even change, each in KPI units a
    month as the KPI moves (a fall is negative); None where there is none, with why."""

    id: str
    kpi_label: str | None
    unit: str | None
    direction: Direction
    change: float | None  # the forecast change a month; None: no forecast given
    monthly_benefit: float | None  # the forecast change valued as the report values a month
    first_year: float | None  # monthly benefit × the benefit window
    break_even: float | None  # the change a month that alone makes benefits = costs
    beyond_baseline: bool  # a fall larger than the KPI's baseline: out of this objective's reach
    note: str | None  # why there is no break-even (or no money for the forecast)


@dataclass(frozen=True)
class Forecast:
    """A programme's forecast ROI before launch (Phillips), on the first-year rule, and each
    objective's break-even change; ``figures`` is None when no objective has a forecast."""

    figures: RoiFigures | None
    objectives: tuple[ObjectiveForecast, ...]


@dataclass(frozen=True)
class Payback:
    """A payback in the unit it is shown in."""

    value: float
    unit: PaybackUnit


@dataclass(frozen=True)
class YearFigures:
    """One year of a multi-year programme: its money, undiscounted and at present value, and
    the net savings so far after the initial investment (year 0)."""

    year: int
    benefits: float
    costs: float
    discount_factor: float  # 1 / (1 + r)^year
    pv_benefits: float
    pv_costs: float
    cumulative_net: float  # −initial + Σ (benefits − costs) of years 1 … this one, undiscounted


@dataclass(frozen=True)
class MultiYearFigures:
    """Opt-in value over several years (not Phillips' first-year rule), on both ROI bases:
    total costs (Phillips) and the initial investment; discounted and undiscounted."""

    years: int
    discount_rate: float
    roi_on: RoiBase  # which ROI is the headline
    stated: bool  # benefits stated per year; False: the first year's × persistence
    rows: tuple[YearFigures, ...]  # year 0 (the initial investment) to ``years``
    benefits: float
    costs: float  # every year's, the initial investment included
    initial: float
    pv_benefits: float
    pv_costs: float
    npv: float  # pv_benefits − pv_costs
    roi_total_costs: float | None  # (PVB − PVC) / PVC × 100
    roi_total_costs_undiscounted: float | None
    roi_initial: float | None  # (PVB − PV of the later costs) / initial × 100
    roi_initial_undiscounted: float | None
    bcr: float | None  # PVB / PVC
    payback_years: float | None  # None: not paid back within the horizon
    discounted_payback_years: float | None  # the same on net savings at their present value
    basis: Basis = Basis.MULTI_YEAR

    @property
    def roi_pct(self) -> float | None:
        """The headline ROI, discounted, on the base the programme chose."""
        if self.roi_on is RoiBase.INITIAL_INVESTMENT:
            return self.roi_initial
        return self.roi_total_costs

    @property
    def roi_pct_undiscounted(self) -> float | None:
        """The headline ROI without discounting."""
        if self.roi_on is RoiBase.INITIAL_INVESTMENT:
            return self.roi_initial_undiscounted
        return self.roi_total_costs_undiscounted


@dataclass(frozen=True)
class Sensitivity:
    """ROI % with attribution and confidence scaled by 0.5, 1 and 1.5 (capped at 1)."""

    conservative: float | None
    base: float | None
    optimistic: float | None


@dataclass(frozen=True)
class ProgramResult:
    """A programme's costs, benefits, ROI and objectives."""

    name: str
    method: Method
    start: date
    end: date | None
    participants: int | None
    benefit_window_months: int
    months_counted: int
    costs: tuple[CostLine, ...]
    figures: RoiFigures  # to date; ratios None while pending
    first_year: RoiFigures
    provisional: bool  # the first-year figure rests on fewer than 3 months
    pending: bool  # no objective is measurable yet: too early, not a loss
    measurable_from: date | None
    sensitivity: Sensitivity
    intangibles: tuple[str, ...]
    objectives: tuple[ObjectiveResult, ...]
    rules: tuple[Finding, ...]
    range: ProgramRange | None = None  # None while pending or when nothing has an interval
    roi_objective: float | None = None  # percent, set before the programme
    roi_objective_status: RoiObjectiveStatus | None = None
    multi_year: MultiYearFigures | None = None  # opt-in; None without a multi_year: block
    annualised_from: int | None = None  # the first year annualised from this many months
    forecast: Forecast | None = None  # before launch, from the objectives' forecast: changes
    evaluation: ProgramEvaluation | None = None  # levels 1-3 from its evaluation files
    chain: tuple[ChainStep, ...] = ()  # the chain of impact, level 0 to ROI

    def costs_by_category(self) -> dict[CostCategory, float]:
        """Total cost per category, in the order categories first appear."""
        totals: dict[CostCategory, float] = {}
        for line in self.costs:
            totals[line.category] = totals.get(line.category, 0.0) + line.amount
        return totals


@dataclass(frozen=True)
class Portfolio:
    """The measurable programmes' figures summed, ranked by ROI %; pending ones set apart."""

    figures: RoiFigures
    first_year: RoiFigures
    sensitivity: Sensitivity
    ranking: tuple[str, ...]
    pending: tuple[str, ...]
    pending_costs: float
    range: ProgramRange | None = None  # over every measured programme's objectives


@dataclass(frozen=True)
class Staleness:
    """A KPI an objective uses whose data end before the last complete month."""

    kpi: str
    label: str
    data_to: date
    months_behind: int
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class KpiTrend:
    """A KPI's series over all groups, with its least-squares slope and R²."""

    key: str
    label: str
    unit: str | None
    direction: Direction
    aggregation: Aggregation
    level: Level
    periods: tuple[PeriodPoint, ...]
    slope_per_period: float | None
    r2: float | None
    note: str | None


@dataclass(frozen=True)
class Conversion:
    """An amount of the config in another currency, converted at the rate in force on a day."""

    program: str
    item: str  # the cost item, or the objective's id
    field: str  # amount, rate, per_participant or value_per_unit
    currency: str
    amount: float  # as given, in ``currency``
    day: date  # the day converted at: the cost's date, else the programme's start
    rate_from: date  # the rate table's entry used: the latest on or before ``day``
    rate: float  # 1 unit of ``currency`` in the config's currency
    converted: float


@dataclass(frozen=True)
class Audit:
    """What went into the analysis, so a reader can reproduce it."""

    config: str
    config_sha256: str
    sources: tuple[SourceAudit, ...]
    unused_kpis: tuple[str, ...]
    conversions: tuple[Conversion, ...] = ()
    evaluations: tuple[EvaluationAudit, ...] = ()  # the evaluation files read


@dataclass(frozen=True)
class ProgramVerdict:
    """One programme's outlook and the figures that support it."""

    name: str
    outlook: Outlook
    roi_pct: float | None
    low_pct: float | None  # the ROI's interval from the evidence; None without one
    high_pct: float | None
    first_year_roi_pct: float | None
    payback_months: float | None
    measured: float  # benefits to date from KPI objectives
    estimated: float  # benefits to date from participants' estimates
    measurable_from: date | None
    data_to: date | None  # the earliest last day among the KPIs its money rests on
    stale: bool
    rough: bool = False  # the interval rests on too few months, or leaves a benefit out
    roi_objective: float | None = None
    objective_status: RoiObjectiveStatus | None = None
    p_objective: float | None = None  # P(ROI ≥ the objective)
    multi_year: MultiYearFigures | None = None  # opt-in, added after the measured verdict
    forecast: RoiFigures | None = None  # before launch, shown while the programme is pending


@dataclass(frozen=True)
class Action:
    """Something to do, about a subject (a KPI label, an objective id or a programme)."""

    kind: ActionKind
    subject: str
    detail: str | None  # a message to localise: a reason or a fix
    day: date | None = None


@dataclass(frozen=True)
class Delta:
    """A figure in the previous run and in this one, and by how much it moved; None where a
    run has no such figure."""

    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """after − before, when both exist."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class ProgramChange:
    """How a programme's ROI to date (in points) and benefits moved since the previous run."""

    name: str
    roi_pct: Delta
    benefits: Delta


@dataclass(frozen=True)
class StatusChange:
    """An objective whose status changed; None for a side where it is not in that run."""

    program: str
    objective: str
    before: Status | None
    after: Status | None


@dataclass(frozen=True)
class FindingChange:
    """A SMART failure (``objective`` and its criterion) or a Phillips finding (its rule) that
    appeared or was resolved since the previous run."""

    program: str
    objective: str | None  # None for a Phillips rule
    check: str  # the SMART criterion, or the rule's id
    verdict: Verdict
    resolved: bool


@dataclass(frozen=True)
class NewPeriods:
    """Complete periods of a KPI that the previous run did not have."""

    kpi: str
    label: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class Revision:
    """A complete period whose value differs between the two runs' inputs: a revised export."""

    kpi: str
    label: str
    period: str
    value: Delta


@dataclass(frozen=True)
class Changes:
    """What moved since the previous run ("since last report"); ``previous_as_of`` is None on
    the first recorded run, with nothing to compare."""

    previous_as_of: date | None
    previous_version: str | None = None
    compared_with: str | None = None  # a --compare-to file's name; None for the history
    programs: tuple[ProgramChange, ...] = ()
    portfolio: ProgramChange | None = None
    statuses: tuple[StatusChange, ...] = ()
    findings: tuple[FindingChange, ...] = ()
    new_periods: tuple[NewPeriods, ...] = ()
    revisions: tuple[Revision, ...] = ()

    @property
    def first(self) -> bool:
        """No previous run to compare with."""
        return self.previous_as_of is None


@dataclass(frozen=True)
class RunRoi:
    """One recorded run's ROI % to date per programme (None while pending), for the chart of
    the ROI across the monthly runs."""

    as_of: date
    programs: tuple[tuple[str, float | None], ...]


@dataclass(frozen=True)
class Analysis:
    """Everything `roicli report` shows, computed once."""

    version: str
    as_of: date
    period: Period
    currency: str
    include_partial: bool
    business_goals: tuple[str, ...]
    programs: tuple[ProgramResult, ...]
    portfolio: Portfolio
    stale: tuple[Staleness, ...]
    verdicts: tuple[ProgramVerdict, ...]
    actions: tuple[Action, ...]
    kpis: tuple[KpiTrend, ...]
    cohorts: tuple[Cohort, ...]
    audit: Audit
    confidence_level: float = 0.9  # of every interval
    changes: Changes | None = None  # since the previous run; None when not compared
    runs: tuple[RunRoi, ...] = ()  # the recorded runs before this one, then this one

    def objectives(self) -> Iterator[tuple[ProgramResult, ObjectiveResult]]:
        """Every objective with its programme."""
        for program in self.programs:
            for objective in program.objectives:
                yield program, objective
