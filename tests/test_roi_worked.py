"""SPEC §6 worked by hand on one small programme; the arithmetic is written next to each value.

Monthly 'leads' (sum), trained group T and control group C, programme start 2026-01-10:

    period   2025-10 2025-11 2025-12 | 2026-01 2026-02 2026-03 | 2026-04 (partial)
    T            100     102     104 |     110     118     120 |     200
    C             50      52      51 |      53      52      55 |

Baseline b = mean(Oct..Dec of T) = (100 + 102 + 104) / 3 = 102; target "+20%" = 122.4.
Costs: 500 + 10 h × 20 + 30 × 5 participants = 500 + 200 + 150 = 850.
value_per_unit 10, attribution 0.5, confidence 0.8 → each unit of improvement is worth 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import day_table

from roicli.analysis import analyse
from roicli.config import load_config
from roicli.daytable import merge
from roicli.enums import Period, Status
from roicli.estimates import read_estimates
from roicli.ingest.model import Dataset
from roicli.model import Analysis, ObjectiveResult
from roicli.project import Project

T = {"2025-10": 100, "2025-11": 102, "2025-12": 104, "2026-01": 110, "2026-02": 118}
T |= {"2026-03": 120, "2026-04": 200}
C = {"2025-10": 50, "2025-11": 52, "2025-12": 51, "2026-01": 53, "2026-02": 52, "2026-03": 55}

OBJECTIVE = """
      - id: {id}
        title: Increase leads by 20% by applying the prospecting method
        kpi: {kpi}
        group: T
        owner: Sales lead
        business_goal: Grow
        baseline: {{from: 2025-10, to: 2025-12}}
        target: {{change: "+20%"}}
        deadline: 2026-06-30
        value_per_unit: 10
        attribution: 0.5
        confidence: 0.8
        isolation: {isolation}
        control_group: {control}
"""


def make_project(
    tmp_path: Path,
    *,
    objectives: str,
    costs: str = "",
    t_values: Mapping[str, float] = T,
    c_values: Mapping[str, float] = C,
    estimates: str | None = None,
) -> Project:
    """A project built from literal YAML and a literal long table (no file parsing)."""
    if estimates is not None:
        (tmp_path / "estimates.csv").write_text(estimates, encoding="utf-8")
    default_costs = """
      - {item: Workshops, category: delivery, amount: 500}
      - {item: Participants' time, category: participant_time, hours: 10, rate: 20}
      - {item: Licences, category: tools, per_participant: 30}"""
    text = (
        "version: 1\n"
        "business_goals: [Grow]\n"
        "kpis:\n"
        "  leads: {direction: increase, aggregation: sum}\n"
        "  cpl: {direction: decrease, aggregation: mean, unit: EUR}\n"
        "  slow: {aggregation: sum, lag_months: 4}\n"
        "  liked: {aggregation: sum, level: reaction}\n"
        "programs:\n"
        "  - name: Prospecting\n"
        "    start: 2026-01-10\n"
        "    participants: 5\n"
        f"    costs: {costs or default_costs}\n"
        f"    objectives: {objectives}\n"
    )
    config_path = tmp_path / "roicli.yaml"
    config_path.write_text(text, encoding="utf-8")
    loaded = load_config(config_path)
    rows = [(f"{p}-15", "leads", "T", v) for p, v in t_values.items()]
    rows += [(f"{p}-15", "leads", "C", v) for p, v in c_values.items()]
    rows += [(f"{p}-15", kpi, "T", v) for p, v in t_values.items() for kpi in ("slow", "liked")]
    estimate_rows = {
        o.id: read_estimates(o.estimates)
        for p in loaded.config.programs
        for o in p.objectives
        if o.estimates
    }
    return Project(
        loaded, "0" * 64, Dataset(day_table(rows, loaded.config.kpis), ()), estimate_rows
    )


def objective(kpi: str = "leads", isolation: str = "baseline", oid: str = "o1") -> str:
    control = "C" if isolation == "control" else "null"
    return OBJECTIVE.format(id=oid, kpi=kpi, isolation=isolation, control=control)


def run(project: Project, as_of: date = date(2026, 3, 31), **kwargs: object) -> Analysis:
    return analyse(project, as_of=as_of, period=Period.MONTH, **kwargs)  # type: ignore[arg-type]


def only(analysis: Analysis) -> ObjectiveResult:
    return analysis.programs[0].objectives[0]


def test_progress_projection_and_status(tmp_path: Path) -> None:
    result = only(run(make_project(tmp_path, objectives=objective())))
    assert result.baseline == pytest.approx(102.0)
    assert result.target == pytest.approx(122.4)  # 102 × 1.20
    assert result.current == 120.0  # March: the last complete month; April is partial
    assert result.current_period == "2026-03"
    assert result.progress == pytest.approx(18 / 20.4)  # (120 − 102) / (122.4 − 102)
    # Line through Jan..Mar (x = 0, 1, 2; y = 110, 118, 120): slope 5, value 116 at x = 1;
    # June is x = 5: 116 + 4 × 5 = 136 ≥ 122.4 → on track.
    assert result.projected == pytest.approx(136.0)
    assert result.status is Status.ON_TRACK


def test_baseline_isolation(tmp_path: Path) -> None:
    result = only(run(make_project(tmp_path, objectives=objective())))
    # d = v − b: Jan 110 − 102 = 8, Feb 16, Mar 18; Σ = 42; benefit = 42 × 10 × 0.5 × 0.8 = 168
    assert [row.improvement for row in result.improvements] == pytest.approx([8, 16, 18])
    assert result.periods_counted == 3
    assert result.benefit == pytest.approx(168.0)


def test_trend_isolation(tmp_path: Path) -> None:
    result = only(run(make_project(tmp_path, objectives=objective(isolation="trend"))))
    # Pre-programme line through 100, 102, 104: slope 2 → ŷ Jan 106, Feb 108, Mar 110.
    # d = 110 − 106 = 4, 118 − 108 = 10, 120 − 110 = 10; Σ = 24; benefit = 24 × 4 = 96
    assert [row.reference for row in result.improvements] == pytest.approx([106, 108, 110])
    assert result.benefit == pytest.approx(96.0)


def test_control_isolation_difference_in_differences(tmp_path: Path) -> None:
    result = only(run(make_project(tmp_path, objectives=objective(isolation="control"))))
    # b_u = mean(50, 52, 51) = 51; u − b_u = 2, 1, 4; v − b = 8, 16, 18
    # d = 8 − 2 = 6, 16 − 1 = 15, 18 − 4 = 14; Σ = 35; benefit = 35 × 4 = 140
    assert [row.improvement for row in result.improvements] == pytest.approx([6, 15, 14])
    assert result.benefit == pytest.approx(140.0)


def test_control_group_with_a_gap_skips_that_period(tmp_path: Path) -> None:
    gappy = {k: v for k, v in C.items() if k != "2026-02"}
    project = make_project(tmp_path, objectives=objective(isolation="control"), c_values=gappy)
    result = only(run(project))
    # February has no control value, so it is not counted: d = 6 (Jan) + 14 (Mar) = 20 → 80
    assert [row.period for row in result.improvements] == ["2026-01", "2026-03"]
    assert result.periods_counted == 2
    assert result.benefit == pytest.approx(80.0)


def test_missing_month_is_a_gap_not_a_zero(tmp_path: Path) -> None:
    gappy = {k: v for k, v in T.items() if k != "2026-02"}
    result = only(run(make_project(tmp_path, objectives=objective(), t_values=gappy)))
    # Jan 8 + Mar 18 = 26 → 26 × 4 = 104; February is neither zero nor counted
    assert result.periods_counted == 2
    assert result.benefit == pytest.approx(104.0)


def test_decrease_kpi_improves_when_it_falls(tmp_path: Path) -> None:
    cpl = objective(kpi="cpl").replace("+20%", "-10%")
    project = make_project(tmp_path, objectives=cpl)
    rows = [("2025-12-15", "cpl", "T", 50.0), ("2026-01-15", "cpl", "T", 48.0)]
    rows += [("2026-02-15", "cpl", "T", 45.0), ("2026-03-15", "cpl", "T", 44.0)]
    both = merge([project.dataset.table, day_table(rows, project.loaded.config.kpis)])
    project = Project(project.loaded, project.config_sha256, Dataset(both, ()), {})
    result = only(run(project))
    # Baseline from Oct..Dec: only December has data → b = 50; target 50 × 0.9 = 45.
    # d = −(48 − 50) = 2, −(45 − 50) = 5, −(44 − 50) = 6; Σ = 13 → 13 × 4 = 52
    assert result.baseline == 50.0
    assert result.target == pytest.approx(45.0)
    assert result.benefit == pytest.approx(52.0)
    assert result.status is Status.ACHIEVED  # 44 ≤ 45 for a KPI that should decrease
    assert result.progress == pytest.approx(6 / 5)  # (44 − 50) / (45 − 50)


def test_negative_benefit_counts(tmp_path: Path) -> None:
    falling = T | {"2026-01": 100, "2026-02": 95, "2026-03": 99}
    result = only(run(make_project(tmp_path, objectives=objective(), t_values=falling)))
    # d = −2, −7, −3; Σ = −12: a fall is a negative benefit, never dropped, and a loss is not
    # shrunk by attribution and confidence: −12 × 10 = −120 (not −12 × 4 = −48)
    assert result.benefit == pytest.approx(-120.0)
    assert result.adjustment == 1.0


def test_a_partial_month_is_shown_with_include_partial_but_never_used(tmp_path: Path) -> None:
    project = make_project(tmp_path, objectives=objective())
    plain = only(run(project, as_of=date(2026, 4, 20)))
    assert plain.current == 120.0
    assert [p.period for p in plain.series][-1] == "2026-03"
    partial = only(run(project, as_of=date(2026, 4, 20), include_partial=True))
    assert partial.current == 120.0  # April (200) is shown, marked partial, never counted
    assert partial.benefit == plain.benefit == pytest.approx(168.0)
    assert [(p.period, p.complete) for p in partial.series][-2:] == [
        ("2026-03", True),
        ("2026-04", False),
    ]


def test_lag_gives_not_yet_measurable_not_zero(tmp_path: Path) -> None:
    result = only(run(make_project(tmp_path, objectives=objective(kpi="slow"))))
    # lag 4 months after 2026-01-10 → measurable from 2026-05-10; as of 2026-03-31 it is not
    assert result.status is Status.NOT_YET_MEASURABLE
    assert result.benefit is None
    assert result.periods_counted == 0


ESTIMATES = """participant,measure,annual_value,contribution,confidence
P1,Time saved,1000,0.5,0.8
P2,Fewer errors,2000,60%,50%
P3,Faster onboarding,500,1,
"""


ESTIMATES_OBJECTIVE = """
      - id: o4
        title: Participants' estimated gains from applying the method
        isolation: estimates
        estimates: estimates.csv
        business_goal: Grow
        deadline: 2026-12-31
"""


def test_programme_figures_worked_by_hand(tmp_path: Path) -> None:
    objectives = objective() + objective(isolation="trend", oid="o2")
    objectives += objective(isolation="control", oid="o3")
    objectives += ESTIMATES_OBJECTIVE
    analysis = run(make_project(tmp_path, objectives=objectives, estimates=ESTIMATES))
    program = analysis.programs[0]
    # estimates: 1000 × 0.5 × 0.8 = 400; 2000 × 0.6 × 0.5 = 600; no confidence → 0; Σ = 1000
    # a year; to date they accrue month by month: 1000 × 3 / 12 = 250 (Jan, Feb, Mar)
    estimated = program.objectives[3]
    assert estimated.benefit == pytest.approx(250.0)
    assert estimated.money is not None
    assert estimated.money.first_year == pytest.approx(1000.0)
    assert estimated.adjustment == pytest.approx(1000 / 3500)  # Σ adjusted / Σ annual
    assert (estimated.attribution, estimated.confidence) == (None, None)  # per row
    assert estimated.status is Status.ESTIMATED
    figures = program.figures
    assert figures.costs == pytest.approx(850.0)  # 500 + 10 × 20 + 30 × 5
    assert figures.benefits == pytest.approx(654.0)  # 168 + 96 + 140 + 250, to date
    assert figures.net_benefit == pytest.approx(-196.0)
    assert figures.roi_pct == pytest.approx(-196 / 850 * 100)  # −23.06 %
    assert figures.bcr == pytest.approx(654 / 850)
    assert program.months_counted == 3  # Jan, Feb, Mar 2026
    # monthly: 168/3 + 96/3 + 140/3 + 1000/12 = 56 + 32 + 46.67 + 83.33 = 218
    assert figures.payback_months == pytest.approx(850 / 218)  # 3.9 months
    assert figures.break_even_factor == pytest.approx(850 / 654)
    # first year: 218 × 12 = 2,616 → ROI (2616 − 850) / 850 = 207.8 %
    assert program.first_year.benefits == pytest.approx(2616.0)
    assert program.first_year.roi_pct == pytest.approx((2616 - 850) / 850 * 100)
    assert not program.provisional  # 3 months counted
    # Sensitivity: attribution and confidence × 0.5 → KPI benefits × 0.25 = 101; estimates:
    # contribution and confidence × 0.5 → 250 a year → 62.5 to date; B = 163.5
    assert program.sensitivity.conservative == pytest.approx((163.5 - 850) / 850 * 100)
    assert program.sensitivity.base == pytest.approx(figures.roi_pct)
    # × 1.5, capped at 1: attribution 0.75, confidence 1 → 0.75 / 0.4 = 1.875 × 404 = 757.5;
    # estimates 1000 × 0.75 × 1 = 750, 2000 × 0.9 × 0.75 = 1350 → 2100 a year → 525 to date
    assert program.sensitivity.optimistic == pytest.approx((757.5 + 525 - 850) / 850 * 100)


def test_zero_cost_gives_no_roi_with_a_reason(tmp_path: Path) -> None:
    analysis = run(make_project(tmp_path, objectives=objective(), costs="[]"))
    figures = analysis.programs[0].figures
    assert figures.costs == 0
    assert figures.benefits == pytest.approx(168.0)
    assert figures.roi_pct is None
    assert figures.bcr is None
    assert figures.note is not None
    assert "no costs" in figures.note
    assert figures.payback_months is None  # no costs: every ratio is undefined
    assert figures.break_even_factor is None
    assert analysis.portfolio.ranking == ()  # unranked


def test_trend_without_enough_history_is_a_clear_error(tmp_path: Path) -> None:
    from roicli.errors import DataError

    short = {k: v for k, v in T.items() if k >= "2025-12"}
    project = make_project(tmp_path, objectives=objective(isolation="trend"), t_values=short)
    with pytest.raises(
        DataError, match="'o1': isolation trend needs at least 3 complete pre-programme months"
    ):
        run(project)
