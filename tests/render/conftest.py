"""A realistic Analysis built by hand: two programmes, every status, hostile and accented text.

The money follows the monthly basis: the SEO programme counts January to May 2026 (5 months,
its sessions end in May: 1 month behind at the 30 June as-of date), its estimates accrue
month by month, a loss counts in full and its level-1 NPS stays out of the headline. The
mentoring programme is pending: its only money objective is measurable from 1 Sep 2026.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from roicli.enums import (
    ActionKind,
    Aggregation,
    Basis,
    CostCategory,
    Direction,
    Isolation,
    Level,
    Method,
    Outlook,
    Period,
    Status,
    Verdict,
)
from roicli.ingest import BadRow, SourceAudit
from roicli.messages import Msg
from roicli.model import (
    Action,
    Analysis,
    Audit,
    Cohort,
    CohortGroup,
    CostLine,
    EstimateRow,
    Finding,
    Improvement,
    KpiTrend,
    Money,
    ObjectiveResult,
    PeriodPoint,
    Portfolio,
    PrePost,
    ProgramResult,
    ProgramVerdict,
    RoiFigures,
    Sensitivity,
    Smart,
    Staleness,
)

AS_OF = date(2026, 6, 30)
HYPERLINK = '=HYPERLINK("http://x","click")'
PLUS = "+1+2"
AT = "@SUM(A1)"
MINUS = "-2+3"
SCRIPT = "<script>alert(1)</script>"
QUOTES = 'Ça & "quotes" — gains estimés'
TAB_FORMULA = "\t=1+1"
HOSTILE = (HYPERLINK, PLUS, AT, MINUS)
PROGRAMME = "SEO & content mentoring 2026"
MENTORING = "Mentorat des jeunes talents"
BENEFIT = 336000 * 0.7  # 235199.99999999997 in binary: must show as 235200.00
PSEUDONYMS = ("P1", "P2")  # the analysis names estimate participants only by these
MONTHS = 5  # SEO: January to May 2026 counted
WINDOW = 12
SESSIONS_TO = date(2026, 5, 31)  # organic sessions: no June yet, 1 month behind
MEASURABLE_FROM = date(2026, 9, 1)  # mentoring: 1 Mar 2026 + its KPI's 6-month lag

# SEO, to date: seo-traffic 235,200 − leads' loss 12.50 + cpl 1,000 + coaching's estimates
# 9,000 a year × 5/12 = 3,750 (nps is level 1: kept out) = 239,937.50 against 15,120 of costs.
ESTIMATED = 9000 / 12 * MONTHS
SEO_COSTS = 15120.0
SEO_BENEFITS = BENEFIT - 12.5 + 1000 + ESTIMATED
# Monthly: 235,200/5 − 12.50/5 + 1,000/5 + 9,000/12 = 47,040 − 2.50 + 200 + 750 = 47,987.50.
SEO_MONTHLY = BENEFIT / MONTHS - 12.5 / MONTHS + 1000 / MONTHS + 9000 / 12
# First year: the monthly rate × 12 = 575,850.
SEO_FIRST_YEAR = SEO_MONTHLY * WINDOW
# Sensitivity (a × c scaled by 0.5 and 1.5, capped at 1; the loss the same in each):
# conservative 235,200/4 − 12.50 + 1,000/4 + 20,000 × 0.25 × 0.45 × 5/12 = 59,975;
# optimistic 235,200 × 0.75/0.4 − 12.50 + 1,000 × 0.75/0.4 + 20,000 × 0.75 × 1 × 5/12
# = 449,112.50.
SEO_CONSERVATIVE = BENEFIT / 4 - 12.5 + 250 + 20000 * 0.25 * 0.45 / 12 * MONTHS
SEO_OPTIMISTIC = BENEFIT * 0.75 / 0.4 - 12.5 + 1875 + 20000 * 0.75 / 12 * MONTHS
MENTORING_COSTS = 2400.0


def section(text: str, start: str, end: str) -> str:
    """The part of a rendered report from `start` up to the next `end` after it."""
    first = text.index(start)
    last = text.find(end, first + len(start))
    return text[first : None if last == -1 else last]


def point(period: str, value: float, *, change: float | None = None) -> PeriodPoint:
    """A complete monthly point for "YYYY-MM"."""
    year, month = (int(part) for part in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return PeriodPoint(
        period=period,
        ordinal=year * 12 + month - 1,
        start=date(year, month, 1),
        end=date(year, month, last),
        value=value,
        change=change,
        change_pct=None if change is None else change / (value - change) * 100,
        rolling_mean=None,
        complete=True,
    )


SESSIONS = (
    point("2025-10", 11800),
    point("2025-11", 12100, change=300),
    # 2025-12 is missing: a gap
    point("2026-01", 12300),
    point("2026-02", 12900, change=600),
    point("2026-03", 13200, change=300),
    point("2026-04", 13500, change=300),
    point("2026-05", 13800, change=300),
)
RETENTION = (
    point("2026-03", 80.0),
    point("2026-04", 81.0, change=1.0),
    point("2026-05", 81.5, change=0.5),
    point("2026-06", 82.0, change=0.5),
)


def money(to_date: float, months: int = MONTHS) -> Money:
    """An objective's money counted over `months` months: its monthly rate × 12 for the year."""
    monthly = to_date / months
    return Money(to_date, monthly, monthly * WINDOW, months, months < 3)


def roi(costs: float, benefits: float) -> float:
    """(B − C) ÷ C × 100."""
    return (benefits - costs) / costs * 100


def figures(costs: float, benefits: float, monthly: float, basis: Basis) -> RoiFigures:
    """Phillips' figures of a measured programme with costs, as the analysis works them out."""
    return RoiFigures(
        costs=costs,
        benefits=benefits,
        net_benefit=benefits - costs,
        roi_pct=roi(costs, benefits),
        bcr=benefits / costs,
        payback_months=costs / monthly,
        break_even_factor=costs / benefits,
        note=None,
        basis=basis,
    )


def pending(costs: float, basis: Basis) -> RoiFigures:
    """A pending programme's figures: its costs, no benefit, no net and no ratio."""
    return RoiFigures(costs, 0.0, None, None, None, None, None, Msg("note.pending"), basis)


def smart(*verdicts: Verdict, reason: str = "looks fine") -> Smart:
    findings = [
        Finding(f"smart.{name}", verdict, reason, None if verdict is Verdict.PASS else "fix it")
        for name, verdict in zip(
            ("specific", "measurable", "achievable", "relevant", "time_bound"),
            verdicts,
            strict=True,
        )
    ]
    return Smart(*findings)


ALL_PASS = smart(*[Verdict.PASS] * 5)


def objective(**fields: object) -> ObjectiveResult:
    """An objective with sensible defaults; keyword fields override them."""
    values: dict[str, object] = {
        "id": "obj",
        "title": "Increase organic sessions by 20% by applying SEO techniques",
        "kpi": "organic_sessions",
        "kpi_label": "Organic sessions",
        "unit": "sessions",
        "level": Level.IMPACT,
        "direction": Direction.INCREASE,
        "group": None,
        "isolation": Isolation.BASELINE,
        "owner": "Head of SEO",
        "business_goal": "Grow inbound leads",
        "deadline": date(2026, 7, 31),
        "baseline": 12000.0,
        "target": 14400.0,
        "current": 13800.0,
        "current_period": "2026-06",
        "progress": 0.75,
        "projected": 14500.0,
        "status": Status.ON_TRACK,
        "status_reason": "the projection meets the target",
        "value_per_unit": 0.8,
        "attribution": 0.5,
        "confidence": 0.8,
        "adjustment": 0.4,  # a gain: attribution × confidence
        "periods_counted": MONTHS,
        "benefit": 1000.0,
        "money": money(1000.0),
        "unconverted_benefit": None,
        "measurable_from": date(2026, 2, 1),  # January, the start's month, is over
        "data_to": AS_OF,
        "improvements": (),
        "estimates": (),
        "series": SESSIONS,
        "pre_post": PrePost(12000.0, 13140.0, 9.5, 2, 5),
        "smart": ALL_PASS,
    }
    values.update(fields)
    return ObjectiveResult(**values)  # type: ignore[arg-type]


def _seo_programme() -> ProgramResult:
    objectives = (
        objective(
            id="seo-traffic",
            title=HYPERLINK,
            group="Marketing",
            isolation=Isolation.TREND,
            current_period="2026-05",
            data_to=SESSIONS_TO,
            benefit=BENEFIT,
            money=money(BENEFIT),
            improvements=(
                Improvement("2026-02", 12900, 12400, 500, 160.0),
                Improvement("2026-03", 13200, 12500, 700, 224.0),
            ),
        ),
        objective(
            id="leads",
            title=PLUS,
            kpi="qualified_leads",
            kpi_label="Qualified leads",
            unit=None,
            status=Status.ACHIEVED,
            progress=1.1,
            adjustment=1.0,  # a loss counts in full
            benefit=-12.5,
            money=money(-12.5),
            smart=smart(Verdict.PASS, Verdict.WARN, Verdict.PASS, Verdict.PASS, Verdict.PASS),
        ),
        objective(
            id="cpl",
            title=AT,
            kpi="cost_per_lead",
            kpi_label="Cost per lead",
            direction=Direction.DECREASE,
            owner=MINUS,
            status=Status.AT_RISK,
            progress=0.3,
            smart=smart(
                Verdict.PASS,
                Verdict.PASS,
                Verdict.FAIL,
                Verdict.PASS,
                Verdict.PASS,
                reason="pipe | and\nnewline",
            ),
        ),
        objective(
            id="nps",
            title=SCRIPT,
            kpi="nps",
            kpi_label="Net promoter score",
            level=Level.REACTION,
            status=Status.OFF_TRACK,
            status_reason="the projection falls short of the target",
            unit="points",
            progress=-0.2,
            current=-5.0,
            baseline=-2.0,
            target=10.0,
            projected=-6.0,
            adjustment=1.0,  # a loss counts in full
            periods_counted=3,
            # Level 1 is never money (Phillips): 3 months × −3 points × 0.80 = −7.20, kept apart.
            benefit=None,
            money=None,
            unconverted_benefit=3 * (-3 * 0.8),
            improvements=tuple(
                Improvement(period, -5.0, -2.0, -3.0, -3 * 0.8)
                for period in ("2026-04", "2026-05", "2026-06")
            ),
        ),
        objective(
            id="coaching-estimates",
            title=QUOTES,
            kpi=None,
            kpi_label=None,
            unit=None,
            level=Level.IMPACT,
            isolation=Isolation.ESTIMATES,
            status=Status.ESTIMATED,
            status_reason="from participants' estimates",
            baseline=None,
            target=None,
            current=None,
            current_period=None,
            progress=None,
            projected=None,
            value_per_unit=None,
            attribution=None,  # each row carries its own contribution and confidence
            confidence=None,
            adjustment=9000 / 25000,  # 9,000 counted of 25,000 estimated a year: 36 %
            data_to=None,
            series=(),
            pre_post=None,
            benefit=ESTIMATED,
            money=Money(ESTIMATED, 9000 / 12, 9000.0, MONTHS, False),
            estimates=(
                EstimateRow(2, PSEUDONYMS[0], "Time saved", 20000.0, 0.5, 0.9, 9000.0),
                EstimateRow(3, PSEUDONYMS[1], "Sales", 5000.0, 0.4, None, 0.0),
            ),
        ),
    )
    return ProgramResult(
        name=PROGRAMME,
        method=Method.BLENDED,
        start=date(2026, 1, 15),
        end=date(2026, 6, 30),
        participants=12,
        benefit_window_months=WINDOW,
        months_counted=MONTHS,
        costs=(
            CostLine("Mentor workshops", CostCategory.DELIVERY, 9000, "fixed amount"),
            CostLine("Participants' time", CostCategory.PARTICIPANT_TIME, 4320, "96 h × 45"),
            CostLine("LMS licences", CostCategory.TOOLS, 1800, "150 × 12 participants"),
        ),
        figures=figures(SEO_COSTS, SEO_BENEFITS, SEO_MONTHLY, Basis.TO_DATE),
        first_year=figures(SEO_COSTS, SEO_FIRST_YEAR, SEO_MONTHLY, Basis.FIRST_YEAR),
        provisional=False,
        pending=False,
        measurable_from=None,
        sensitivity=Sensitivity(
            conservative=roi(SEO_COSTS, SEO_CONSERVATIVE),
            base=roi(SEO_COSTS, SEO_BENEFITS),
            optimistic=roi(SEO_COSTS, SEO_OPTIMISTIC),
        ),
        intangibles=("Better SEO/social collaboration", TAB_FORMULA),
        objectives=objectives,
        rules=(
            Finding(
                "phillips.estimates_confidence",
                Verdict.WARN,
                "coaching-estimates: 1 estimate(s) without confidence count zero (rows 3)",
                "ask those participants for their confidence",
            ),
        ),
    )


def _mentoring_programme() -> ProgramResult:
    objectives = (
        objective(
            id="retention",
            title="Réduire le départ des jeunes talents",
            kpi="retention_rate",
            kpi_label="Retention rate",
            unit="%",
            status=Status.NOT_YET_MEASURABLE,
            status_reason="measurable from 2026-09-01 (the KPI lags 6 months)",
            baseline=80.0,
            target=85.0,
            current=82.0,
            progress=None,
            projected=None,
            adjustment=None,
            periods_counted=0,
            benefit=None,
            money=None,
            measurable_from=MEASURABLE_FROM,
            series=RETENTION,
            pre_post=None,
        ),
        objective(
            id="no-data",
            title="Objectif sans données",
            kpi="organic_sessions",
            status=Status.NO_DATA,
            status_reason="no data for the KPI",
            current=None,
            current_period=None,
            progress=None,
            projected=None,
            value_per_unit=None,  # never money: it does not set when the programme is measurable
            adjustment=None,
            periods_counted=0,
            benefit=None,
            money=None,
            measurable_from=date(2026, 4, 1),
            data_to=None,
            series=(),
            pre_post=None,
            smart=smart(*[Verdict.FAIL] * 5),
        ),
    )
    return ProgramResult(
        name=MENTORING,
        method=Method.MENTORING,
        start=date(2026, 3, 1),
        end=None,
        participants=None,
        benefit_window_months=WINDOW,
        months_counted=0,
        costs=(CostLine("Mentors' time", CostCategory.PARTICIPANT_TIME, 2400, "40 h × 60"),),
        figures=pending(MENTORING_COSTS, Basis.TO_DATE),
        first_year=pending(MENTORING_COSTS, Basis.FIRST_YEAR),
        provisional=False,
        pending=True,
        measurable_from=MEASURABLE_FROM,
        sensitivity=Sensitivity(None, None, None),
        intangibles=(),
        objectives=objectives,
        rules=(Finding("phillips.all", Verdict.PASS, "all of Phillips' conservative rules hold"),),
    )


def build_analysis() -> Analysis:
    """The fixture's Analysis (a fresh, equal object on every call)."""
    seo, mentoring = _seo_programme(), _mentoring_programme()
    stale = (Staleness("organic_sessions", "Organic sessions", SESSIONS_TO, 1, ("seo-traffic",)),)
    return Analysis(
        version="0.1.0",
        as_of=AS_OF,
        period=Period.MONTH,
        currency="EUR",
        include_partial=False,
        business_goals=("Grow inbound leads",),
        programs=(seo, mentoring),
        portfolio=Portfolio(  # the pending mentoring programme is left out of the ROI
            figures=seo.figures,
            first_year=seo.first_year,
            sensitivity=seo.sensitivity,
            ranking=(PROGRAMME,),
            pending=(MENTORING,),
            pending_costs=MENTORING_COSTS,
        ),
        stale=stale,
        verdicts=(
            ProgramVerdict(
                name=PROGRAMME,
                outlook=Outlook.PAYING_BACK,
                roi_pct=seo.figures.roi_pct,
                low_pct=seo.sensitivity.conservative,
                high_pct=seo.sensitivity.optimistic,
                first_year_roi_pct=seo.first_year.roi_pct,
                payback_months=seo.figures.payback_months,
                measured=SEO_BENEFITS - ESTIMATED,
                estimated=ESTIMATED,
                measurable_from=None,
                data_to=SESSIONS_TO,  # the earliest last day of the KPIs its money rests on
                stale=True,
            ),
            ProgramVerdict(
                name=MENTORING,
                outlook=Outlook.TOO_EARLY,
                roi_pct=None,
                low_pct=None,
                high_pct=None,
                first_year_roi_pct=None,
                payback_months=None,
                measured=0.0,
                estimated=0.0,
                measurable_from=MEASURABLE_FROM,
                data_to=None,
                stale=False,
            ),
        ),
        actions=(
            Action(ActionKind.STALE, "Organic sessions", None, SESSIONS_TO),
            Action(ActionKind.OFF_TRACK, "nps", "the projection falls short of the target"),
            Action(ActionKind.SMART, "cpl", "fix it"),
        ),
        kpis=(
            KpiTrend(
                key="organic_sessions",
                label="Organic sessions",
                unit="sessions",
                direction=Direction.INCREASE,
                aggregation=Aggregation.SUM,
                level=Level.IMPACT,
                periods=SESSIONS,
                slope_per_period=260.123456,
                r2=0.97,
                note=None,
            ),
            KpiTrend(
                key="cost_per_lead",
                label="Cost per lead",
                unit="EUR",
                direction=Direction.DECREASE,
                aggregation=Aggregation.MEAN,
                level=Level.IMPACT,
                periods=(point("2026-01", 42.5), point("2026-02", 40.0, change=-2.5)),
                slope_per_period=-2.5,
                r2=None,
                note="fewer than 3 points",
            ),
        ),
        cohorts=(
            Cohort(
                objectives=("seo-traffic",),
                kpi="organic_sessions",
                groups=(
                    CohortGroup("Marketing", "trained", PrePost(6000, 6900, 15.0, 2, 5), SESSIONS),
                    CohortGroup("Sales", "control", PrePost(5800, 5900, 1.7, 2, 5), SESSIONS[:3]),
                ),
                difference_in_differences=800.0,
            ),
        ),
        audit=Audit(
            config="configs/roicli.yaml",
            config_sha256="c" * 64,
            sources=(
                SourceAudit(
                    path="sample_data/web_kpis.csv",
                    sha256="ab" * 32,
                    rows=120,
                    skipped_rows=2,
                    excluded_rows=1,
                    kpis=("organic_sessions",),
                    unmatched=("Bounce rate",),
                    detected={"delimiter": ";", "decimal": ",", "header_row": 3, "dayfirst": True},
                    bad_rows=(BadRow(7, "Value", "=1+1", "not a number"),),
                ),
            ),
            unused_kpis=("customers",),
        ),
    )


@pytest.fixture
def analysis() -> Analysis:
    """The hand-built Analysis."""
    return build_analysis()
