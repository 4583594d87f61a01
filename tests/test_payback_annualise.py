"""Payback in weeks when it is short, and a short observation annualised when the lead asks,
each stated as such in every output; worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_roi_worked import make_project, objective, run
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import load_config
from roicli.enums import Lang, PaybackUnit
from roicli.errors import ConfigError
from roicli.model import Payback
from roicli.payback import shown_payback
from roicli.render.json import to_dict
from roicli.render.view import payback_text, program_notes, verdict_line

runner = CliRunner()


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (1.2, Payback(1.2 * 52 / 12, PaybackUnit.WEEKS)),  # 1.2 × 4.333… = 5.2 weeks
        (2.999, Payback(2.999 * 52 / 12, PaybackUnit.WEEKS)),  # 12.996 weeks
        (3.0, Payback(3.0, PaybackUnit.MONTHS)),  # 3 months and more stay in months
        (8.2, Payback(8.2, PaybackUnit.MONTHS)),
        (None, None),
    ],
)
def test_the_weeks_rule(months: float | None, expected: Payback | None) -> None:
    found = shown_payback(months)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.value == pytest.approx(expected.value)
        assert found.unit is expected.unit


def test_payback_text_in_each_language() -> None:
    assert payback_text(1.2, Lang.EN) == "5.2 weeks"
    assert payback_text(1.2, Lang.FR) == "5,2 semaines"
    assert payback_text(3.8, Lang.EN) == "3.8 months"
    assert payback_text(None, Lang.EN) == "n/a"


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_weeks_and_months_are_the_same_time(months: float) -> None:
    shown = shown_payback(months)
    assert shown is not None
    back = shown.value * 12 / 52 if shown.unit is PaybackUnit.WEEKS else shown.value
    assert back == pytest.approx(months)
    assert (shown.unit is PaybackUnit.WEEKS) == (months < 3)


def test_a_short_payback_in_weeks_in_every_output(tmp_path: Path) -> None:
    # A prospecting workshop for 5 reps: costs 500 + 10 h × 20 + 30 × 5 = 850.
    # Leads over the baseline of 102: Jan +8, Feb +16, Mar +18 = 42, worth 100 each in margin,
    # credited at 0.5 × 0.8 → 42 × 100 × 0.4 = 1,680 over 3 months: 560 a month.
    # Payback = 850 / 560 = 1.517857 months, under 3 → × 52 / 12 = 6.577381 weeks → 6.6 weeks
    project = make_project(tmp_path, objectives=objective().replace("unit: 10", "unit: 100"))
    analysis = run(project)
    program = analysis.programs[0]
    assert program.figures.payback_months == pytest.approx(850 / 560)
    payback = program.figures.payback
    assert payback is not None
    assert payback.value == pytest.approx(6.577381)
    assert payback.unit is PaybackUnit.WEEKS
    notes = program_notes(program, analysis, Lang.EN)
    assert "Payback in 6.6 weeks (under 3 months: 1.5 months × 52 / 12)" in notes
    french = program_notes(program, analysis, Lang.FR)
    assert "Rentabilisé en 6,6 semaines (moins de 3 mois : 1,5 mois × 52 / 12)" in french
    data = to_dict(analysis)["programs"][0]
    assert data["payback_months"] == pytest.approx(1.517857, abs=1e-6)
    assert data["payback"] == {"value": pytest.approx(6.577381, abs=1e-6), "unit": "weeks"}
    assert data["first_year"]["payback"]["unit"] == "weeks"  # the same monthly benefit


def test_the_verdict_says_weeks_too(tmp_path: Path) -> None:
    # One licence of 6,850 as the only cost; leads worth 300 each: 42 × 300 × 0.4 = 5,040 to
    # date (ROI −26.4 %, not yet paid back), 1,680 a month, 20,160 over the first year.
    # Payback = 6,850 / 1,680 = 4.077 months: 3 months or more, so months, not weeks
    costs = "\n      - {item: Licence, category: tools, amount: 6850}"
    project = make_project(
        tmp_path, objectives=objective().replace("unit: 10", "unit: 300"), costs=costs
    )
    analysis = run(project)
    line = verdict_line(analysis.verdicts[0], analysis, Lang.EN)
    assert "pays back in 4.1 months" in line  # 6,850 / 1,680 = 4.077


CALLS = """\
Date,Metric,Value
2025-10-01,Repeat calls,1210
2025-11-01,Repeat calls,1190
2025-12-01,Repeat calls,1200
2026-01-01,Repeat calls,1230
2026-02-01,Repeat calls,1170
2026-03-01,Repeat calls,1150
2026-04-01,Repeat calls,1000
"""

CALL_CENTRE = """\
version: 1
currency: EUR
business_goals: [Lower service costs]
sources:
  - path: calls.csv
    columns: {date: Date, kpi: Metric, value: Value}
kpis:
  repeat_calls: {label: Repeat calls, direction: decrease, aggregation: sum, lag_months: 1}
programs:
  - name: First-call resolution course
    start: 2026-03-02
    participants: 20
    costs:
      - {item: Workshop, category: delivery, amount: 4000}
      - {item: Agents' time (20 × 4 h), category: participant_time, hours: 80, rate: 30}
    objectives:
      - id: repeat-calls
        title: Cut repeat calls by 15% by applying the first-call resolution checklist
        kpi: repeat_calls
        owner: Service manager
        business_goal: Lower service costs
        baseline: {value: 1200}
        target: {change: "-15%"}
        deadline: 2026-09-30
        value_per_unit: 6.5
        attribution: 0.75
        confidence: 0.8
        annualise: true
"""


def call_centre(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str = CALL_CENTRE, *args: str
) -> str:
    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    (tmp_path / "roicli.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["roi", "-c", "roicli.yaml", "--as-of", "2026-05-10", *args],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_one_month_annualised_and_stated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A call-centre course in the published style: repeat calls fell from 1,200 a month to
    # 1,000 in April, the one month counted (the KPI lags a month behind the 2 March start).
    # 200 fewer calls × 6.50 a call × 0.75 × 0.8 = 780 for the month;
    # annualised, one month's difference × 12 = 9,360 (Phillips' first-year figure);
    # costs 4,000 + 80 h × 30 = 6,400 → first-year ROI (9,360 − 6,400) / 6,400 = 46.25 %
    data = json.loads(call_centre(tmp_path, monkeypatch, CALL_CENTRE, "--format", "json"))
    program = data["programs"][0]
    assert program["benefits"] == 780.0
    assert program["first_year"]["benefits"] == 9360.0
    assert program["first_year"]["roi_pct"] == 46.25
    assert program["first_year"]["annualised_from_months"] == 1
    assert program["first_year"]["provisional"] is False  # stated as annualised instead
    assert program["objectives"][0]["annualised"] is True
    text = call_centre(tmp_path, monkeypatch)
    assert (
        "First year (Phillips): benefits €9,360.00, ROI 46.3% — annualised from 1 month × 12"
        in text
    )


def test_the_same_figure_without_annualise_is_provisional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The figure is the same first-year formula (mean × window); only its statement differs
    plain = CALL_CENTRE.replace("        annualise: true\n", "")
    data = json.loads(call_centre(tmp_path, monkeypatch, plain, "--format", "json"))
    program = data["programs"][0]
    assert program["first_year"]["benefits"] == 9360.0
    assert program["first_year"]["annualised_from_months"] is None
    assert program["first_year"]["provisional"] is True
    text = call_centre(tmp_path, monkeypatch, plain)
    assert "ROI 46.3% — provisional, fewer than 3 months counted" in text


def test_annualise_on_the_programme_covers_its_objectives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_programme = CALL_CENTRE.replace("        annualise: true\n", "").replace(
        "    participants: 20\n", "    participants: 20\n    annualise: true\n"
    )
    data = json.loads(call_centre(tmp_path, monkeypatch, on_programme, "--format", "json"))
    assert data["programs"][0]["first_year"]["annualised_from_months"] == 1


def test_annualise_on_estimates_is_an_error(tmp_path: Path) -> None:
    text = CALL_CENTRE.replace(
        "        kpi: repeat_calls\n", "        isolation: estimates\n        estimates: e.csv\n"
    )
    (tmp_path / "roicli.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "roicli.yaml")
    assert str(caught.value).replace(str(tmp_path / "roicli.yaml"), "roicli.yaml") == (
        "roicli.yaml:17: programs[0].objectives[0]: annualise: estimates are annual figures "
        "already (remove annualise)"
    )
