"""A realistic Analysis built by hand: two programmes, every status, hostile and accented text."""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from roicli.enums import (
    Aggregation,
    CostCategory,
    Direction,
    Isolation,
    Level,
    Method,
    Period,
    Status,
    Verdict,
)
from roicli.ingest import BadRow, SourceAudit
from roicli.model import (
    Analysis,
    Audit,
    Cohort,
    CohortGroup,
    CostLine,
    EstimateRow,
    Finding,
    Improvement,
    KpiTrend,
    ObjectiveResult,
    PeriodPoint,
    Portfolio,
    PrePost,
    ProgramResult,
    RoiFigures,
    Sensitivity,
    Smart,
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
PARTICIPANT = "Zoé Participant-Secret"


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
        "current_period": "2026-05",
        "progress": 0.75,
        "projected": 14500.0,
        "status": Status.ON_TRACK,
        "status_reason": "the projection meets the target",
        "value_per_unit": 0.8,
        "attribution": 0.5,
        "confidence": 0.8,
        "periods_counted": 5,
        "benefit": 1000.0,
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
            benefit=BENEFIT,
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
            benefit=-12.5,
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
            progress=-0.2,
            current=-5.0,
            baseline=-2.0,
            target=10.0,
        ),
        objective(
            id="coaching-estimates",
            title=QUOTES,
            kpi=None,
            kpi_label=None,
            unit=None,
            level=None,
            isolation=Isolation.ESTIMATES,
            status=Status.ESTIMATED,
            baseline=None,
            target=None,
            current=None,
            current_period=None,
            progress=None,
            projected=None,
            value_per_unit=None,
            series=(),
            pre_post=None,
            benefit=9000.0,
            estimates=(
                EstimateRow(2, PARTICIPANT, "Time saved", 20000, 0.5, 0.9, 9000.0),
                EstimateRow(3, "Another Person", "Sales", 5000, 0.4, None, 0.0),
            ),
        ),
    )
    return ProgramResult(
        name=PROGRAMME,
        method=Method.BLENDED,
        start=date(2026, 1, 15),
        end=date(2026, 6, 30),
        participants=12,
        benefit_window_months=12,
        months_counted=5,
        costs=(
            CostLine("Mentor workshops", CostCategory.DELIVERY, 9000, "fixed amount"),
            CostLine("Participants' time", CostCategory.PARTICIPANT_TIME, 4320, "96 h × 45"),
            CostLine("LMS licences", CostCategory.TOOLS, 1800, "150 × 12 participants"),
        ),
        figures=RoiFigures(
            costs=15120.0,
            benefits=BENEFIT + 9000 - 12.5 + 3000,
            net_benefit=BENEFIT + 9000 - 12.5 + 3000 - 15120,
            roi_pct=1534.5678,
            bcr=16.345678,
            payback_months=0.3,
            break_even_factor=0.06,
            note=None,
        ),
        sensitivity=Sensitivity(conservative=350.04, base=1534.5678, optimistic=2400.25),
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
            kpi="qualified_leads",
            kpi_label="Qualified leads",
            status=Status.NOT_YET_MEASURABLE,
            progress=None,
            benefit=None,
            series=SESSIONS[:2],
        ),
        objective(
            id="no-data",
            title="Objectif sans données",
            kpi="organic_sessions",
            status=Status.NO_DATA,
            current=None,
            progress=None,
            projected=None,
            benefit=None,
            series=(),
            smart=smart(*[Verdict.FAIL] * 5),
        ),
    )
    return ProgramResult(
        name=MENTORING,
        method=Method.MENTORING,
        start=date(2026, 3, 1),
        end=None,
        participants=None,
        benefit_window_months=12,
        months_counted=3,
        costs=(),
        figures=RoiFigures(0.0, 0.0, 0.0, None, None, None, None, "no costs: ROI is n/a"),
        sensitivity=Sensitivity(None, None, None),
        intangibles=(),
        objectives=objectives,
        rules=(Finding("phillips.all", Verdict.PASS, "all of Phillips' conservative rules hold"),),
    )


def build_analysis() -> Analysis:
    """The fixture's Analysis (a fresh, equal object on every call)."""
    seo, mentoring = _seo_programme(), _mentoring_programme()
    return Analysis(
        version="0.1.0",
        as_of=AS_OF,
        period=Period.MONTH,
        currency="EUR",
        include_partial=False,
        business_goals=("Grow inbound leads",),
        programs=(seo, mentoring),
        portfolio=Portfolio(
            figures=RoiFigures(
                costs=15120.0,
                benefits=seo.figures.benefits,
                net_benefit=seo.figures.net_benefit,
                roi_pct=1534.5678,
                bcr=16.345678,
                payback_months=0.3,
                break_even_factor=0.06,
                note=None,
            ),
            ranking=(PROGRAMME, MENTORING),
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
