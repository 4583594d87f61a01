"""KPI series, pre/post comparison and cohorts, worked by hand (SPEC §6, issue 5)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import day_table
from tests.test_roi_worked import make_project, objective

from roicli.analysis import analyse
from roicli.enums import Lang, Period
from roicli.ingest.model import Dataset
from roicli.progress import difference_in_differences, pre_post
from roicli.project import Project
from roicli.render.json import render_trends_json, to_dict
from roicli.render.terminal import sparkline

AS_OF = date(2026, 3, 31)


def test_kpi_series_changes_rolling_mean_slope_and_r2(tmp_path: Path) -> None:
    analysis = analyse(make_project(tmp_path, objectives=objective()), as_of=AS_OF)
    leads = next(k for k in analysis.kpis if k.key == "leads")
    # all groups: T + C per month
    values = [p.value for p in leads.periods]
    assert values == [150, 154, 155, 163, 170, 175]  # Oct..Mar; April (partial) is after as-of
    assert [p.change for p in leads.periods] == [None, 4, 1, 8, 7, 5]
    assert leads.periods[1].change_pct == pytest.approx(4 / 150 * 100)
    assert leads.periods[2].rolling_mean == pytest.approx((150 + 154 + 155) / 3)
    assert leads.periods[0].rolling_mean is None
    # x = 0..5: mean x 2.5, sxx = 6.25 + 2.25 + 0.25 + 0.25 + 2.25 + 6.25 = 17.5;
    # sxy = Σ (x − 2.5)·y = −375 − 231 − 77.5 + 81.5 + 255 + 437.5 = 90.5
    # slope = 90.5 / 17.5 = 5.1714 per month
    assert leads.slope_per_period == pytest.approx(90.5 / 17.5)
    syy = sum((v - sum(values) / 6) ** 2 for v in values)
    assert leads.r2 == pytest.approx(90.5**2 / (17.5 * syy))


def test_an_unchanged_value_has_a_zero_change_not_a_missing_one(tmp_path: Path) -> None:
    flat = {"2025-10": 100.0, "2025-11": 100.0, "2025-12": 0.0, "2026-01": 5.0}
    project = make_project(tmp_path, objectives=objective(), t_values=flat, c_values={})
    leads = next(k for k in analyse(project, as_of=AS_OF).kpis if k.key == "leads")
    assert leads.periods[1].change == 0
    assert leads.periods[1].change_pct == 0  # 0 / 100: no change, which is not "unknown"
    assert leads.periods[2].change_pct == -100.0
    assert leads.periods[3].change_pct is None  # the previous value is 0: no percentage


def test_gaps_stay_gaps_and_one_point_has_no_slope(tmp_path: Path) -> None:
    gappy = {"2025-10": 100.0, "2025-12": 104.0, "2026-01": 110.0}
    project = make_project(tmp_path, objectives=objective(), t_values=gappy, c_values={})
    leads = next(k for k in analyse(project, as_of=AS_OF).kpis if k.key == "leads")
    assert [p.period for p in leads.periods] == ["2025-10", "2025-12", "2026-01"]
    assert [p.change for p in leads.periods] == [None, None, 6]  # no change across a gap
    # slope against the ordinal: x = 0, 2, 3 → the gap keeps its place
    # mean x = 5/3; sxx = 25/9 + 1/9 + 16/9 = 14/3;
    # sxy = Σ (x − 5/3)·y = (−5·100 + 1·104 + 4·110) / 3 = 44/3 → slope = 44/14
    assert leads.slope_per_period == pytest.approx(44 / 14)
    single = make_project(tmp_path, objectives=objective(), t_values={"2026-01": 5.0}, c_values={})
    one = next(k for k in analyse(single, as_of=AS_OF).kpis if k.key == "leads")
    assert one.slope_per_period is None
    assert one.note == "fewer than 2 complete periods: no slope"


def test_flat_series_has_no_r2(tmp_path: Path) -> None:
    flat = dict.fromkeys(["2025-10", "2025-11", "2025-12", "2026-01"], 7.0)
    project = make_project(tmp_path, objectives=objective(), t_values=flat, c_values={})
    leads = next(k for k in analyse(project, as_of=AS_OF).kpis if k.key == "leads")
    assert leads.slope_per_period == 0
    assert leads.r2 is None
    assert leads.note == "a flat series: R² is not defined"


def test_weekly_and_quarterly_labels(tmp_path: Path) -> None:
    project = make_project(tmp_path, objectives=objective())
    quarterly = analyse(project, as_of=AS_OF, period=Period.QUARTER)
    leads = next(k for k in quarterly.kpis if k.key == "leads")
    # Q4 2025: 150 + 154 + 155 = 459; Q1 2026: 163 + 170 + 175 = 508
    assert [(p.period, p.value) for p in leads.periods] == [("2025-Q4", 459), ("2026-Q1", 508)]
    weekly = analyse(project, as_of=AS_OF, period=Period.WEEK)
    labels = [p.period for p in next(k for k in weekly.kpis if k.key == "leads").periods]
    assert labels[0] == "2025-W42"  # 2025-10-15 is a Wednesday of ISO week 42
    assert labels[-1] == "2026-W11"  # 2026-03-15 is a Sunday, the end of ISO week 11


def test_pre_post_and_difference_in_differences_by_hand(tmp_path: Path) -> None:
    analysis = analyse(
        make_project(tmp_path, objectives=objective(isolation="control")), as_of=AS_OF
    )
    result = analysis.programs[0].objectives[0]
    assert result.pre_post is not None
    # T before: (100 + 102 + 104) / 3 = 102; after: (110 + 118 + 120) / 3 = 116; +13.73 %
    assert result.pre_post.before_mean == pytest.approx(102)
    assert result.pre_post.after_mean == pytest.approx(116)
    assert result.pre_post.change_pct == pytest.approx(14 / 102 * 100)
    cohort = analysis.cohorts[0]
    roles = {group.group: group.role for group in cohort.groups}
    assert roles == {"T": "trained", "C": "control"}
    # C before: (50 + 52 + 51) / 3 = 51; after: (53 + 52 + 55) / 3 = 53.333
    # DiD = (116 − 102) − (53.333 − 51) = 14 − 2.333 = 11.667
    assert cohort.difference_in_differences == pytest.approx(14 - 7 / 3)
    text = render_trends_json(analysis, analysis.kpis, analysis.cohorts)
    assert json.loads(text)["cohorts"][0]["difference_in_differences"] == pytest.approx(11.666667)
    assert to_dict(analysis)["programs"][0]["objectives"][0]["pre_post"]["before_periods"] == 3


def test_pre_post_and_did_helpers() -> None:
    from roicli.periods import Series

    series = Series({1: 10.0, 2: 20.0, 5: 40.0, 6: 50.0})
    comparison = pre_post(series, start=5, last=6)
    assert (comparison.before_mean, comparison.after_mean) == (15.0, 45.0)
    assert comparison.change_pct == pytest.approx(200.0)
    empty = pre_post(Series({5: 1.0}), start=5, last=6)
    assert empty.before_mean is None
    assert empty.change_pct is None
    assert difference_in_differences(comparison, empty) is None


def test_sparkline_scales_and_keeps_gaps() -> None:
    assert sparkline([0, 7, None, 3.5]) == "▁█ ▅"
    assert sparkline([5, 5]) == "▅▅"
    assert sparkline([]) == ""


def test_decrease_kpi_trend_arrow_is_good_news(tmp_path: Path) -> None:
    from rich.console import Console

    from roicli.render.terminal import kpi_table

    rows = [("2026-01-15", "cpl", "T", 50.0), ("2026-02-15", "cpl", "T", 45.0)]
    project = make_project(tmp_path, objectives=objective())
    project = Project(
        project.loaded, "0" * 64, Dataset(day_table(rows, project.loaded.config.kpis), ()), {}
    )
    analysis = analyse(project, as_of=AS_OF)
    console = Console(record=True, width=120, color_system="truecolor", force_terminal=True)
    console.print(kpi_table(analysis.kpis, Lang.EN))
    output = console.export_text(styles=True)
    assert "↘" in output
    assert "\x1b[32m" in output  # green: a falling cost per lead is good news
