"""Forecast ROI before launch and the break-even change, worked by hand.

The programme of test_roi_worked: costs 500 + 10 h × 20 + 30 × 5 participants = 850, a
12-month benefit window; 'leads' valued at 10 a lead with attribution 0.5 and confidence 0.8,
so a forecast lead a month is worth 10 × 0.5 × 0.8 = 4 a month.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import LOCAL_STATE
from tests.test_roi_worked import make_project, objective, only, run
from typer.testing import CliRunner

from roicli.cli import app
from roicli.enums import Basis, Direction, Lang
from roicli.errors import ConfigError
from roicli.forecast import objective_forecast
from roicli.model import ObjectiveForecast
from roicli.render.forecast_view import break_even_line, forecast_line

COSTS = 850.0


def forecast_objective(forecast: str, kpi: str = "leads", oid: str = "o1") -> str:
    return objective(kpi=kpi, oid=oid) + f"        forecast: {forecast}\n"


def test_a_forecast_gives_roi_bcr_payback_and_break_even(tmp_path: Path) -> None:
    # A published-study style case: 25 more qualified leads a month expected before launch.
    program = run(make_project(tmp_path, objectives=forecast_objective("25"))).programs[0]
    found = program.forecast
    assert found is not None
    assert found.figures is not None
    figures = found.figures
    assert figures.basis is Basis.FORECAST
    assert figures.costs == pytest.approx(COSTS)
    # 25 leads × 10 × 0.5 × 0.8 = 100 a month; × 12 months = 1,200 over the first year.
    assert found.objectives[0].monthly_benefit == pytest.approx(100.0)
    assert figures.benefits == pytest.approx(1200.0)
    assert figures.roi_pct == pytest.approx((1200 - 850) / 850 * 100)  # 41.18 %
    assert figures.bcr == pytest.approx(1200 / 850)  # 1.41
    assert figures.payback_months == pytest.approx(850 / 100)  # 8.5 months
    # Alone, the objective pays the costs at 850 / (10 × 0.5 × 0.8 × 12) = 850 / 48 leads a month.
    assert found.objectives[0].break_even == pytest.approx(850 / 48)  # 17.71
    # Per participant (5), on the forecast basis: 850 / 5, 1,200 / 5, 350 / 5.
    assert figures.costs_per_participant == pytest.approx(170.0)
    assert figures.benefits_per_participant == pytest.approx(240.0)
    assert figures.net_per_participant == pytest.approx(70.0)


def test_break_even_means_benefits_equal_costs(tmp_path: Path) -> None:
    program = run(make_project(tmp_path, objectives=forecast_objective("25"))).programs[0]
    assert program.forecast is not None
    result = program.objectives[0]
    break_even = program.forecast.objectives[0].break_even
    assert break_even is not None
    at_break_even = objective_forecast(break_even, result, costs=COSTS, window=12)
    assert at_break_even.first_year == pytest.approx(COSTS)


def test_a_decrease_kpi_breaks_even_on_a_fall(tmp_path: Path) -> None:
    # cpl should decrease: a forecast of -5 a month is an improvement of 5, worth 5 × 4 = 20.
    text = forecast_objective("-5", kpi="cpl")
    program = run(make_project(tmp_path, objectives=text)).programs[0]
    assert program.forecast is not None
    found = program.forecast.objectives[0]
    assert found.monthly_benefit == pytest.approx(20.0)
    assert found.break_even == pytest.approx(-850 / 48)  # a fall of 17.71 EUR a month
    line = break_even_line(found, Lang.EN)
    assert line == (
        "o1: cpl must fall by 17.71 EUR a month for the programme to pay for itself "
        "(this objective alone)"
    )


def test_a_fall_past_the_whole_baseline_is_out_of_reach(tmp_path: Path) -> None:
    # The break-even fall of cpl alone is 850 / 48 = 17.71 EUR a month. A cost per lead of
    # 12 EUR cannot fall by 17.71 (it would be negative): out of reach; from 20 EUR it can.
    program = run(make_project(tmp_path, objectives=forecast_objective("-5", kpi="cpl")))
    result = program.programs[0].objectives[0]
    low = objective_forecast(-5, replace(result, baseline=12.0), costs=COSTS, window=12)
    high = objective_forecast(-5, replace(result, baseline=20.0), costs=COSTS, window=12)
    assert (low.beyond_baseline, high.beyond_baseline) == (True, False)
    assert break_even_line(low, Lang.EN) == (
        "o1: cpl must fall by 17.71 EUR a month for the programme to pay for itself "
        "(this objective alone) — more than the whole baseline: out of reach alone"
    )
    assert break_even_line(low, Lang.FR).endswith(
        " — plus que toute la valeur de référence : hors de portée seul"
    )
    # A KPI that should rise has no such bound.
    (tmp_path / "up").mkdir()
    leads = run(make_project(tmp_path / "up", objectives=forecast_objective("5"))).programs[0]
    rise = objective_forecast(5, replace(leads.objectives[0], baseline=1.0), costs=COSTS, window=12)
    assert rise.break_even == pytest.approx(850 / 48)
    assert not rise.beyond_baseline


def test_percent_and_target_forecasts_resolve_on_the_baseline(tmp_path: Path) -> None:
    # Baseline 102 (mean of Oct..Dec: 100, 102, 104); "+20%" and the target both mean +20.4.
    percent = run(make_project(tmp_path, objectives=forecast_objective('"+20%"'))).programs[0]
    target = run(make_project(tmp_path, objectives=forecast_objective("target"))).programs[0]
    for program in (percent, target):
        assert program.forecast is not None
        found = program.forecast.objectives[0]
        assert found.change == pytest.approx(20.4)
        assert found.monthly_benefit == pytest.approx(20.4 * 4)  # 81.6


def test_no_break_even_without_a_value_per_unit(tmp_path: Path) -> None:
    text = forecast_objective("5").replace("        value_per_unit: 10\n", "")
    program = run(make_project(tmp_path, objectives=text)).programs[0]
    assert program.forecast is not None
    found = program.forecast.objectives[0]
    assert (found.break_even, found.monthly_benefit, program.forecast.figures) == (None, None, None)
    assert found.note == "no value_per_unit: the KPI's change is not converted to money"
    assert break_even_line(found, Lang.FR) == (
        "o1 : pas de seuil de rentabilité : pas de value_per_unit : le changement du KPI n'est "
        "pas converti en argent"
    )


def test_a_reaction_kpi_has_no_break_even(tmp_path: Path) -> None:
    program = run(make_project(tmp_path, objectives=forecast_objective("5", kpi="liked")))
    found = program.programs[0].forecast
    assert found is not None
    assert found.objectives[0].break_even is None
    assert found.objectives[0].note == "a level-1 KPI is never converted to money (Phillips)"


def test_without_forecast_only_the_break_even_is_given(tmp_path: Path) -> None:
    program = run(make_project(tmp_path, objectives=objective())).programs[0]
    assert program.forecast is not None
    assert program.forecast.figures is None
    assert program.forecast.objectives[0].break_even == pytest.approx(850 / 48)


def test_forecast_target_needs_a_target(tmp_path: Path) -> None:
    text = forecast_objective("target").replace('        target: {change: "+20%"}\n', "")
    with pytest.raises(ConfigError, match=r"forecast: target needs the objective's target:"):
        make_project(tmp_path, objectives=text)


def test_a_forecast_word_is_refused_with_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        make_project(tmp_path, objectives=forecast_objective("lots"))
    assert str(caught.value).endswith(
        "programs[0].objectives[0].forecast: expected a change of the KPI a month (14, -3 or "
        '"+20%") or "target", got \'lots\''
    )


@settings(max_examples=40, deadline=None)
@given(
    months=st.lists(
        st.floats(min_value=-50, max_value=300, allow_nan=False), min_size=3, max_size=3
    )
)
def test_forecasting_the_measured_improvement_gives_the_report_first_year(
    months: list[float], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A forecast equal to the mean measured improvement a month is the report's first year."""
    values: dict[str, float] = {"2025-10": 100, "2025-11": 102, "2025-12": 104}  # baseline 102
    values |= {f"2026-0{index + 1}": 102 + delta for index, delta in enumerate(months)}
    project = make_project(tmp_path_factory.mktemp("p"), objectives=objective(), t_values=values)
    program = run(project, as_of=date(2026, 3, 31)).programs[0]
    result = program.objectives[0]
    assert result.money is not None
    mean = sum(row.improvement for row in result.improvements) / len(result.improvements)
    found = objective_forecast(mean, result, costs=program.figures.costs, window=12)
    assert found.first_year == pytest.approx(result.money.first_year, abs=1e-6)


def test_break_even_does_not_depend_on_the_forecast(tmp_path: Path) -> None:
    low = run(make_project(tmp_path, objectives=forecast_objective("1"))).programs[0]
    high = run(make_project(tmp_path, objectives=forecast_objective("900"))).programs[0]
    assert low.forecast is not None
    assert high.forecast is not None
    assert low.forecast.objectives[0].break_even == high.forecast.objectives[0].break_even


def test_estimates_objectives_have_no_forecast(tmp_path: Path) -> None:
    text = """
      - id: est
        title: Savings estimated by participants
        isolation: estimates
        estimates: estimates.csv
        forecast: 5
"""
    with pytest.raises(ConfigError, match="an estimates objective has none"):
        make_project(
            tmp_path,
            objectives=text,
            estimates="participant,measure,annual_value,"
            "contribution,confidence\nA,time,1000,50%,80%\n",
        )


def test_objective_forecast_with_no_costs_says_there_is_nothing_to_pay_back(
    tmp_path: Path,
) -> None:
    result = only(run(make_project(tmp_path, objectives=objective())))
    found: ObjectiveForecast = objective_forecast(3, result, costs=0.0, window=12)
    assert (found.break_even, found.note) == (None, "no costs are recorded: nothing to pay back")
    assert found.monthly_benefit == pytest.approx(12.0)  # 3 × 4
    assert found.direction is Direction.INCREASE


# ── the real CLI on the bundled example ─────────────────────────────────────────────────────


@pytest.fixture
def example(tmp_path: Path, repo: Path) -> Path:
    shutil.copytree(repo / "configs", tmp_path / "configs", ignore=LOCAL_STATE)
    shutil.copytree(repo / "sample_data", tmp_path / "sample_data")
    return tmp_path / "configs" / "roicli.yaml"


def test_forecast_command_json_on_the_example(example: Path) -> None:
    result = CliRunner().invoke(
        app, ["forecast", "-c", str(example), "--as-of", "2026-10-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    seo, selling = data["programs"]
    assert seo["forecast"]["figures"] is None  # no objective of it has a forecast
    # lead-growth alone: 30,460 / (85 × 0.9 × 0.8 × 12) = 30,460 / 734.4 = 41.476 leads a month
    leads = next(o for o in seo["forecast"]["objectives"] if o["id"] == "lead-growth")
    assert leads["break_even_change_per_month"] == pytest.approx(30460 / 734.4)
    # Consultative selling: forecast: target = +2 points a month, worth 2 × 900 × 0.6 × 0.7 =
    # 756 a month, 9,072 over 12 months, against 4,800 + 48 × 40 + 600 = 7,320 of costs.
    figures = selling["forecast"]["figures"]
    assert figures["basis"] == "forecast"
    assert figures["costs"] == 7320.0
    assert figures["benefits"] == 9072.0
    assert figures["net_benefit"] == 1752.0
    assert figures["roi_pct"] == pytest.approx(1752 / 7320 * 100)  # 23.93 %
    assert figures["bcr"] == pytest.approx(9072 / 7320)  # 1.24
    assert figures["payback_months"] == pytest.approx(7320 / 756)  # 9.68
    # 8 participants: 7,320 / 8 = 915, 9,072 / 8 = 1,134, 1,752 / 8 = 219
    assert figures["per_participant"] == {"costs": 915.0, "benefits": 1134.0, "net_benefit": 219.0}
    (uplift,) = selling["forecast"]["objectives"]
    assert uplift["change_per_month"] == 2.0
    assert uplift["break_even_change_per_month"] == pytest.approx(7320 / (900 * 0.42 * 12))  # 1.61


def test_report_json_carries_the_forecast(example: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "-c", str(example), "--as-of", "2026-10-31", "--format", "json", "-q"]
    )
    assert result.exit_code == 0, result.output
    selling = json.loads(result.stdout)["programs"][1]
    assert selling["forecast"]["figures"]["roi_pct"] == pytest.approx(1752 / 7320 * 100)


def test_forecast_command_terminal_says_alone(example: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["forecast", "-c", str(example), "--as-of", "2026-10-31"],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert (
        "conversion-uplift: Lead-to-customer conversion must rise by 1.61 % a month for the "
        "programme to pay for itself (this objective alone)" in result.stdout
    )
    assert "forecast, before launch" in result.stdout


def test_forecast_command_bad_config_is_one_line_exit_2(example: Path) -> None:
    text = example.read_text(encoding="utf-8").replace("forecast: target", "forecast: plenty")
    example.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["forecast", "-c", str(example), "--as-of", "2026-10-31"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "programs[1].objectives[0].forecast: expected a change of the KPI a month (14, -3 or "
        '"+20%") or "target", got \'plenty\''
    )


def test_the_report_line_sets_the_forecast_beside_the_actual_first_year(tmp_path: Path) -> None:
    # Forecast: 1,200 → ROI 41.2 %, payback 8.5 months. Measured Jan..Mar: 8, 16, 18 leads,
    # 42 × 4 / 3 = 56 a month × 12 = 672 over the first year → ROI (672 − 850) / 850 = -20.9 %.
    program = run(make_project(tmp_path, objectives=forecast_objective("25"))).programs[0]
    assert forecast_line(program, "EUR", Lang.EN) == (
        "Forecast, before launch (first-year rule): benefits €1,200.00, ROI 41.2%, payback 8.5 "
        "months; actual first year: ROI -20.9%"
    )
