"""Worked cases in the style of published ROI studies, and invariants of the ROI formulas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_roi_worked import make_project

from roicli.analysis import analyse
from roicli.benefits import adjusted_estimate, credited_share, month_benefit
from roicli.enums import Basis, Period
from roicli.roi import roi_figures
from roicli.rounding import money_float

COACHING_ESTIMATES = """participant,measure,annual_value,contribution,confidence
Manager A,Fewer staff replacements,36000,60%,80%
Manager B,Time saved on scheduling,24000,50%,70%
Manager C,Higher customer satisfaction scores,30000,0.4,0.9
Manager D,Fewer complaints escalated,12000,80,50
Manager E,Better team productivity,45000,70%,
"""


def _estimates_objective(path: str) -> str:
    return f"""
      - id: coaching
        title: Managers' estimated annual gains from applying the coaching
        isolation: estimates
        estimates: {path}
        owner: HR director
        business_goal: Grow
        deadline: 2026-12-31
"""


def test_coaching_participant_estimates_table(tmp_path: Path) -> None:
    # Phillips' participant-estimate table, each row annual value × contribution × confidence:
    #   36,000 × 0.60 × 0.80 = 17,280
    #   24,000 × 0.50 × 0.70 =  8,400
    #   30,000 × 0.40 × 0.90 = 10,800
    #   12,000 × 0.80 × 0.50 =  4,800   (80 and 50 read as percentages)
    #   45,000 × 0.70 × —    =      0   (no confidence: no data, no improvement)
    # Σ = 41,280; costs 20,000 → ROI = 21,280 / 20,000 = 106.4 %, BCR 2.064
    project = make_project(
        tmp_path,
        objectives=_estimates_objective("estimates.csv"),
        costs="\n      - {item: Coaching, category: delivery, amount: 20000}",
        estimates=COACHING_ESTIMATES,
    )
    program = analyse(project, as_of=date(2026, 12, 31), period=Period.MONTH).programs[0]
    rows = program.objectives[0].estimates
    assert [row.adjusted for row in rows] == pytest.approx([17280, 8400, 10800, 4800, 0])
    assert program.figures.benefits == pytest.approx(41280)
    assert program.figures.roi_pct == pytest.approx(106.4)
    assert program.figures.bcr == pytest.approx(2.064)


def test_sales_training_template(tmp_path: Path) -> None:
    # 10 reps closed 4 deals a month each (40) before; 5 each (50) in the 6 months after.
    # d = 50 − 40 = 10 deals a month × 3 complete months (Jan–Mar) = 30 deals;
    # profit 1,200 a deal × attribution 0.6 × confidence 0.8 → 30 × 1,200 × 0.48 = 17,280.
    # Costs 12,000 → ROI = 5,280 / 12,000 = 44 %; payback = 12,000 / (17,280 / 3) = 2.083 months
    deals = {"2025-10": 40, "2025-11": 40, "2025-12": 40, "2026-01": 50, "2026-02": 50}
    deals |= {"2026-03": 50}
    objective = """
      - id: deals
        title: Increase deals closed by 25% by applying the consultative selling method
        kpi: leads
        group: T
        owner: Sales director
        business_goal: Grow
        baseline: {from: 2025-10, to: 2025-12}
        target: {change: "+25%"}
        deadline: 2026-06-30
        value_per_unit: 1200
        attribution: 0.6
        confidence: 0.8
"""
    project = make_project(
        tmp_path,
        objectives=objective,
        costs="\n      - {item: Sales training, category: delivery, amount: 12000}",
        t_values=deals,
    )
    program = analyse(project, as_of=date(2026, 3, 31), period=Period.MONTH).programs[0]
    assert program.objectives[0].benefit == pytest.approx(17280)
    assert program.figures.roi_pct == pytest.approx(44.0)
    assert program.figures.payback_months == pytest.approx(12000 / (17280 / 3))


def test_programme_given_only_total_benefits_and_costs(tmp_path: Path) -> None:
    # A published-style summary: monetary benefits 1,861,158, fully loaded costs 579,600.
    # ROI = (1,861,158 − 579,600) / 579,600 × 100 = 221.1 %; BCR = 3.21
    total = "participant,measure,annual_value,contribution,confidence\nAll,Total,1861158,1,1\n"
    project = make_project(
        tmp_path,
        objectives=_estimates_objective("estimates.csv"),
        costs="\n      - {item: Whole programme, category: other, amount: 579600}",
        estimates=total,
    )
    figures = analyse(project, as_of=date(2026, 12, 31), period=Period.MONTH).programs[0].figures
    assert figures.net_benefit == pytest.approx(1281558)
    assert round(figures.roi_pct or 0, 1) == 221.1
    assert round(figures.bcr or 0, 2) == 3.21


def test_money_is_exact_to_the_cent_at_the_edge() -> None:
    # 336,000 × 0.7 is 235,199.99999999997 in binary; reported as 235,200.00
    benefit = month_benefit(336000, 1, credited_share(336000, 0.7, 1))
    assert money_float(benefit) == 235200.00
    figures = roi_figures(100000, benefit, benefit / 12, Basis.TO_DATE)
    assert money_float(figures.net_benefit) == 135200.00


amounts = st.floats(min_value=0.01, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(costs=amounts, benefits=st.floats(min_value=-1e9, max_value=1e9), months=st.integers(1, 60))
def test_roi_is_bcr_minus_one(costs: float, benefits: float, months: int) -> None:
    figures = roi_figures(costs, benefits, benefits / months, Basis.TO_DATE)
    assert figures.roi_pct is not None
    assert figures.bcr is not None
    assert figures.roi_pct == pytest.approx((figures.bcr - 1) * 100, rel=1e-9, abs=1e-6)


@given(costs=amounts, benefits=amounts, k=st.floats(min_value=0.001, max_value=1000))
def test_scaling_costs_and_benefits_keeps_roi(costs: float, benefits: float, k: float) -> None:
    base = roi_figures(costs, benefits, benefits / 12, Basis.TO_DATE).roi_pct
    scaled = roi_figures(costs * k, benefits * k, benefits * k / 12, Basis.TO_DATE).roi_pct
    assert base is not None
    assert scaled is not None
    assert scaled == pytest.approx(base, rel=1e-9, abs=1e-6)


@given(
    improvement=st.floats(min_value=-1e6, max_value=1e6),
    value=st.floats(min_value=0, max_value=1e4),
    confidence=st.floats(min_value=0, max_value=1),
)
def test_attribution_zero_gives_zero_benefit(
    improvement: float, value: float, confidence: float
) -> None:
    assert month_benefit(improvement, value, credited_share(improvement, 0.0, confidence)) == (
        0 if improvement > 0 else improvement * value  # a loss is counted in full
    )
    assert adjusted_estimate(value, 0.0, confidence) == 0


@given(
    rise=st.floats(min_value=0.01, max_value=1e4),
    value=st.floats(min_value=0.01, max_value=1e4),
    share=st.floats(min_value=0.01, max_value=1),
)
def test_a_decrease_kpi_that_rises_gives_a_negative_benefit(
    rise: float, value: float, share: float
) -> None:
    from roicli.enums import Isolation
    from roicli.isolation import Reference, improvements

    rows = improvements([(1, 50.0 + rise)], Reference(Isolation.BASELINE, 50.0), sign=-1)
    assert rows[0][3] < 0
    assert month_benefit(rows[0][3], value, credited_share(rows[0][3], share, share)) < 0
