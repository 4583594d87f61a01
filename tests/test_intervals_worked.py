"""Intervals in the analysis, worked by hand on the small programme of ``test_roi_worked``.

    period   2025-10 2025-11 2025-12 | 2026-01 2026-02 2026-03
    T            100     102     104 |     110     118     120
    C             50      52      51 |      53      52      55

value_per_unit 10, attribution 0.5, confidence 0.8: a gain's unit is worth 4, a loss's 10.
t(0.95, 2) = 2.9199855803537 (two-sided 90 %, 2 degrees of freedom).
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from tests.test_roi_worked import ESTIMATES, ESTIMATES_OBJECTIVE, make_project, objective, run
from typer.testing import CliRunner, Result

from roicli.cli import app
from roicli.config import load_config
from roicli.enums import Lang, RoiObjectiveStatus, Verdict
from roicli.errors import ConfigError
from roicli.project import Project
from roicli.render.view import verdict_line
from roicli.tdist import t_cdf

T90_2 = 2.9199855803537
EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "roicli.yaml"


def test_baseline_interval_by_hand(tmp_path: Path) -> None:
    """Baseline months 100, 102, 104: s² = (4 + 0 + 4) / 2 = 4; three months counted:
    Var(D) = 4 · (3 + 9/3) = 24. D = 42 ± 2.91999 · √24 = 42 ± 14.30494."""
    result = run(make_project(tmp_path, objectives=objective())).programs[0].objectives[0]
    half = T90_2 * math.sqrt(24)
    assert result.benefit_range is not None
    assert result.benefit_range.low == pytest.approx((42 - half) * 4, rel=1e-9)
    assert result.benefit_range.high == pytest.approx((42 + half) * 4, rel=1e-9)
    assert (result.benefit_range.periods, result.benefit_range.reliable) == (3, True)


def test_control_interval_by_hand_is_marked_thin(tmp_path: Path) -> None:
    """Pre-programme differences T − C: 50, 50, 53; s² = (1 + 1 + 4) / 2 = 3; baselines of 3
    months: Var(D) = 3 · (3 + 3) = 18. D = 35 ± 2.91999 · √18 = 35 ± 12.38845; 3 months of
    differences, fewer than the 4 a control group needs: a rule finding says so."""
    analysis = run(make_project(tmp_path, objectives=objective(isolation="control")))
    result = analysis.programs[0].objectives[0]
    half = T90_2 * math.sqrt(18)
    assert result.benefit_range is not None
    assert result.benefit_range.low == pytest.approx((35 - half) * 4, rel=1e-9)
    assert result.benefit_range.high == pytest.approx((35 + half) * 4, rel=1e-9)
    assert not result.benefit_range.reliable
    findings = [f for f in analysis.programs[0].rules if f.check == "phillips.interval"]
    assert [(f.verdict, f.reason, f.fix) for f in findings] == [
        (
            Verdict.WARN,
            "o1: its benefit's interval rests on 3 months, fewer than the 4 it needs to be trusted",
            "add months both groups have before the start: at least 4",
        )
    ]
    assert analysis.programs[0].range is not None
    assert not analysis.programs[0].range.reliable


def test_a_baseline_given_as_a_value_has_no_interval_and_says_why(tmp_path: Path) -> None:
    given = objective().replace("baseline: {from: 2025-10, to: 2025-12}", "baseline: {value: 102}")
    analysis = run(make_project(tmp_path, objectives=given))
    program = analysis.programs[0]
    assert program.objectives[0].benefit == pytest.approx(168.0)
    assert program.objectives[0].benefit_range is None
    assert program.range is None  # nothing measured has an interval
    (finding,) = [f for f in program.rules if f.check == "phillips.interval"]
    assert finding.reason == (
        "o1: its benefit has no interval, as its baseline is a value from the config: no months "
        "show how noisy the KPI is"
    )


def test_the_programme_range_adds_estimates_as_they_are(tmp_path: Path) -> None:
    """Baseline objective (168 ± 57.22) and estimates (250, no interval): benefits between
    250 + 110.78 and 250 + 225.22, to the simulation's precision; costs 850."""
    objectives = objective() + ESTIMATES_OBJECTIVE
    analysis = run(make_project(tmp_path, objectives=objectives, estimates=ESTIMATES))
    program = analysis.programs[0]
    found = program.range
    assert found is not None
    half = T90_2 * math.sqrt(24)
    assert found.benefits.low == pytest.approx(250 + (42 - half) * 4, rel=0.01)
    assert found.benefits.high == pytest.approx(250 + (42 + half) * 4, rel=0.01)
    assert found.net_benefit.low == pytest.approx(found.benefits.low - 850)
    assert found.roi_pct is not None
    assert found.roi_pct.high == pytest.approx((found.benefits.high - 850) / 850 * 100)
    # ROI > 0 needs B > 850: 4D > 600, D > 150, (150 − 42) / √24 = 22 standard errors away;
    # Student's t with 2 degrees of freedom leaves about 0.1 % of its weight out there.
    assert found.p_positive == pytest.approx(1 - t_cdf(108 / math.sqrt(24), 2), abs=5e-4)
    assert found.reliable
    assert analysis.confidence_level == 0.9


def with_line(tmp_path: Path, line: str) -> Project:
    """The programme of estimates and a baseline objective, with one more line under it."""
    objectives = objective() + ESTIMATES_OBJECTIVE
    project = make_project(tmp_path, objectives=objectives, estimates=ESTIMATES)
    path = project.loaded.path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    participants: 5\n", f"    participants: 5\n{line}\n"))
    return Project(load_config(path), project.config_sha256, project.dataset, project.estimates)


def test_the_roi_objective_is_met_or_not(tmp_path: Path) -> None:
    """Benefits 168 + 250 = 418 against 850: ROI −50.8 %. ROI ≥ −60 % when B ≥ 340, i.e. the
    baseline objective's money ≥ 90: D ≥ 22.5, (22.5 − 42) / √24 = −3.98 standard errors, so
    P = P(T₂ ≥ −3.98). An objective of 25 % needs B ≥ 1,062.5: D ≥ 203.125, 32.9 standard
    errors away."""
    program = run(with_line(tmp_path, "    roi_objective: -60%")).programs[0]
    assert program.roi_objective == -60.0
    assert program.roi_objective_status is RoiObjectiveStatus.MET
    assert program.range is not None
    assert program.range.p_objective == pytest.approx(t_cdf(19.5 / math.sqrt(24), 2), abs=0.01)
    program = run(with_line(tmp_path, "    roi_objective: 25")).programs[0]
    assert program.roi_objective_status is RoiObjectiveStatus.NOT_MET
    assert program.range is not None
    far = (203.125 - 42) / math.sqrt(24)
    assert program.range.p_objective == pytest.approx(1 - t_cdf(far, 2), abs=5e-4)


def test_a_pending_programme_s_roi_objective_is_not_yet_measurable(tmp_path: Path) -> None:
    project = with_line(tmp_path, "    roi_objective: 20%")
    program = run(project, as_of=date(2026, 1, 20)).programs[0]
    assert program.pending
    assert program.roi_objective_status is RoiObjectiveStatus.NOT_YET_MEASURABLE
    assert program.range is None


def test_a_higher_confidence_level_widens_the_intervals(tmp_path: Path) -> None:
    """95 %: t(0.975, 2) = 4.3026527297495 in place of 2.9199855803537."""
    project = with_line(tmp_path, "")
    path = project.loaded.path
    path.write_text("confidence_level: 95%\n" + path.read_text(encoding="utf-8"))
    project = Project(load_config(path), "0" * 64, project.dataset, project.estimates)
    analysis = run(project)
    result = analysis.programs[0].objectives[0]
    assert analysis.confidence_level == 0.95
    assert result.benefit_range is not None
    assert result.benefit_range.high == pytest.approx((42 + 4.3026527297495 * math.sqrt(24)) * 4)


def test_a_roi_objective_written_as_a_share_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roicli.yaml"
    path.write_text(
        "version: 1\nprograms:\n  - name: P\n    start: 2026-01-01\n    roi_objective: 0.25\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == (
        f"{path}:5: programs[0].roi_objective: an ROI objective is in percent: write 25% or 1%, "
        "got 0.25"
    )


def test_the_verdict_states_the_interval_and_the_objective(tmp_path: Path) -> None:
    """ROI −50.8 % to date; the range's ROI bounds and the objective's probability, as shown."""
    analysis = run(with_line(tmp_path, "    roi_objective: -60%"))
    program = analysis.programs[0]
    assert program.range is not None
    assert program.range.roi_pct is not None
    assert program.range.p_objective is not None
    line = verdict_line(analysis.verdicts[0], analysis, Lang.EN)
    low, high = program.range.roi_pct.low, program.range.roi_pct.high
    assert (
        f"ROI -50.8% to date, likely between {low:.1f}% and {high:.1f}%, "
        f"objective -60.0% met with {program.range.p_objective:.1%} probability"
    ) in line
    french = verdict_line(analysis.verdicts[0], analysis, Lang.FR)
    assert "ROI -50,8\xa0% à date, probablement entre -57,7\xa0% et" in french


def example_json() -> Result:
    """The bundled example's JSON report, with no run history."""
    args = ["report", "-c", str(EXAMPLE), "--as-of", "2026-10-31", "--no-history"]
    return CliRunner().invoke(app, [*args, "--format", "json", "-q"])


def test_the_json_carries_the_ranges_beside_the_figures() -> None:
    result = example_json()
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["confidence_level"] == 0.9
    seo = data["programs"][0]
    assert seo["roi_objective"] == 15.0
    assert seo["roi_objective_status"] == "met"
    assert set(seo["range"]) == {
        "benefits",
        "net_benefit",
        "roi_pct",
        "p_positive",
        "p_objective",
        "reliable",
    }
    assert seo["range"]["net_benefit"]["low"] == pytest.approx(
        seo["range"]["benefits"]["low"] - seo["costs"]["total"], abs=0.011
    )
    trend = seo["objectives"][0]
    assert trend["isolation"] == "trend"
    assert trend["benefit_range"]["low"] < trend["benefit"] < trend["benefit_range"]["high"]
    assert (trend["benefit_range"]["periods"], trend["benefit_range"]["reliable"]) == (14, True)
    pending = data["programs"][1]
    assert (pending["range"], pending["roi_objective_status"]) == (None, None)


def test_the_portfolio_range_pools_the_programmes_objectives(tmp_path: Path) -> None:
    """One measured programme: the same objectives, the same seeded draws, the same range."""
    analysis = run(with_line(tmp_path, "    roi_objective: 25%"))
    program, portfolio = analysis.programs[0], analysis.portfolio
    assert program.range is not None
    assert portfolio.range is not None
    assert (portfolio.range.benefits, portfolio.range.roi_pct) == (
        program.range.benefits,
        program.range.roi_pct,
    )
    assert portfolio.range.p_objective is None  # an ROI objective is a programme's


def test_the_portfolio_interval_is_in_the_json_and_the_dashboard() -> None:
    result = example_json()
    data = json.loads(result.stdout)
    assert data["portfolio"]["range"]["roi_pct"] == data["programs"][0]["range"]["roi_pct"]
    dashboard = CliRunner().invoke(
        app,
        ["report", "-c", str(EXAMPLE), "--as-of", "2026-10-31", "--no-history"],
        env={"COLUMNS": "200"},
    )
    panel = dashboard.stdout.split("Portfolio", 1)[1].split("╰", 1)[0]
    assert "ROI likely between 9.4% and 25.9% (90% interval)" in panel
