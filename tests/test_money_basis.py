"""Issue #14's cases on the bundled example and on tiny projects, each worked by hand: money that
does not depend on --period or the data's age, complete periods only, pending programmes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.test_roi_worked import T, make_project, objective, only, run
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import Baseline
from roicli.enums import Period, Status
from roicli.periods import Series, period_label, whole_periods
from roicli.progress import baseline_ordinals

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "roicli.yaml"
MONEY_KEYS: tuple[str, ...] = (
    "costs",
    "benefits",
    "net_benefit",
    "roi_pct",
    "bcr",
    "payback_months",
)
MONEY_KEYS = (*MONEY_KEYS, "break_even_factor", "sensitivity", "first_year")


def roi_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["roi", "-c", str(EXAMPLE), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def money_of(data: dict[str, Any]) -> list[Any]:
    """Every money figure of the JSON: per programme and objective, and the portfolio's."""
    programs = [
        [program[key] for key in MONEY_KEYS]
        + [(o["benefit"], o["first_year"], o["improvements"]) for o in program["objectives"]]
        for program in data["programs"]
    ]
    return [programs, [data["portfolio"][key] for key in MONEY_KEYS]]


def test_the_display_period_never_changes_the_money() -> None:
    month = roi_json("--as-of", "2026-10-31", "--period", "month")
    for period in ("week", "quarter"):
        assert money_of(roi_json("--as-of", "2026-10-31", "--period", period)) == money_of(month)
    # Before: −10.9 % by quarter, +10.1 % by month, +12.6 % by week; seo-traffic worth −€309
    # by quarter and €2,992 by month. Now one figure, counted month by month.
    seo = month["programs"][0]["objectives"][0]
    assert seo["id"] == "seo-traffic"
    assert seo["benefit"] == 2981.27  # 9 months after its 1-month lag (Feb–Oct 2026)
    assert seo["periods_counted"] == 9


def test_the_first_quarter_the_data_cover_in_part_is_marked_partial() -> None:
    data = json.loads(
        runner.invoke(
            app,
            [
                *("trend", "-c", str(EXAMPLE), "--as-of", "2026-10-31", "--period", "quarter"),
                *("--format", "json", "--kpi", "organic_sessions"),
            ],
        ).stdout
    )
    periods = data["kpis"][0]["periods"]
    # The web analytics start on 2024-11-01: 2024-Q4 lacks October, so it is partial and has
    # no change; 2025-Q1 is the first complete quarter.
    assert (periods[0]["period"], periods[0]["complete"]) == ("2024-Q4", False)
    assert (periods[1]["period"], periods[1]["complete"]) == ("2025-Q1", True)
    assert periods[1]["change"] is None  # never from a partial period
    assert periods[-1]["period"] == "2026-Q3"  # 2026-Q4 is still running on 31 Oct


def test_two_months_in_the_payback_agrees_with_the_roi() -> None:
    program = roi_json("--as-of", "2026-02-28")["programs"][0]
    # The annual estimates (€20,484) count 2 months: 20,484 × 2 / 12 = 3,414, not all of it.
    estimates = next(o for o in program["objectives"] if o["id"] == "coaching-estimates")
    assert estimates["benefit"] == 3414.0
    assert estimates["first_year"] == 20484.0
    assert program["roi_pct"] < 0
    # Costs ÷ the monthly benefit: more than the months counted, as a negative ROI implies.
    assert program["payback_months"] > program["months_counted"]
    assert program["first_year"]["provisional"] is True  # 1 month of measured data


def test_a_month_without_data_is_never_counted() -> None:
    october = roi_json("--as-of", "2026-10-31")
    december = roi_json("--as-of", "2026-12-04")
    # The exports end in October: November counts nothing, the money is October's.
    assert money_of(december) == money_of(october)
    assert december["programs"][0]["months_counted"] == 9
    stale = {item["kpi"]: item for item in december["stale_data"]}
    assert stale["qualified_leads"] == {
        "kpi": "qualified_leads",
        "label": "Qualified leads",
        "data_to": "2026-10-31",
        "months_behind": 1,
        "objectives": ["lead-growth"],  # leads-x3's deadline (30 Apr) is past: no need
    }
    assert october["stale_data"] == []


def test_a_programme_too_early_to_measure_is_pending_not_a_loss() -> None:
    data = roi_json("--as-of", "2026-10-31")
    micro = data["programs"][1]
    assert micro["pending"] is True
    assert micro["measurable_from"] == "2026-11-01"  # start 1 Sep + the 2-month lag
    for key in ("roi_pct", "bcr", "payback_months", "break_even_factor", "net_benefit"):
        assert micro[key] is None
    assert micro["sensitivity"] == {"conservative": None, "base": None, "optimistic": None}
    portfolio = data["portfolio"]
    # The portfolio is the mentoring programme alone: costs 30,460, not 37,780.
    assert portfolio["costs"] == 30460.0
    assert portfolio["pending"] == ["Consultative selling micro-learning"]
    assert portfolio["pending_costs"] == 7320.0  # 4,800 + 48 h × 40 + 600
    assert portfolio["ranking"] == ["SEO and content cross-mentoring 2026"]
    assert portfolio["roi_pct"] == data["programs"][0]["roi_pct"]
    # The portfolio has a payback, a break-even and a sensitivity of its own.
    assert portfolio["payback_months"] == data["programs"][0]["payback_months"]
    assert portfolio["sensitivity"] == data["programs"][0]["sensitivity"]


def test_money_rows_add_up_to_the_totals_shown() -> None:
    data = roi_json("--as-of", "2026-10-31")

    def cents(value: float) -> Decimal:
        return Decimal(repr(value))

    for program in data["programs"]:
        objectives = [o for o in program["objectives"] if o["benefit"] is not None]
        assert sum(cents(o["benefit"]) for o in objectives) == cents(program["benefits"])
        items = program["costs"]["items"]
        assert sum(cents(i["amount"]) for i in items) == cents(program["costs"]["total"])
        for o in objectives:
            rows = [r["benefit"] for r in o["improvements"] if r["benefit"] is not None]
            if rows:
                assert sum(cents(r) for r in rows) == cents(o["benefit"])
    measured = [p for p in data["programs"] if not p["pending"]]
    assert sum(cents(p["benefits"]) for p in measured) == cents(data["portfolio"]["benefits"])


def test_estimates_are_shown_per_row_with_their_effective_share() -> None:
    data = roi_json("--as-of", "2026-10-31")
    estimates = next(o for o in data["programs"][0]["objectives"] if o["isolation"] == "estimates")
    assert estimates["attribution"] is None  # not 100 %: each row carries its own
    assert estimates["confidence"] is None
    rows = estimates["estimates"]
    assert [r["participant"] for r in rows][:2] == ["P1", "P2"]  # no names in reports
    annual = sum(r["annual_value"] for r in rows)
    adjusted = sum(r["adjusted"] for r in rows)
    assert estimates["adjustment"] == pytest.approx(adjusted / annual, rel=1e-9)


def test_a_reaction_kpi_is_never_money_in_the_headline() -> None:
    program = roi_json("--as-of", "2026-10-31")["programs"][0]
    satisfaction = next(o for o in program["objectives"] if o["id"] == "satisfaction")
    assert satisfaction["benefit"] is None
    # The survey's monthly means, Feb–Jul 2026 (answers on scattered days: whole months), are
    # 4.2, 4.45, 4.25, 4.15, 4.25, 4.25 against the baseline 4.0: Σ d = 1.55 × 1,000 × 1 × 1.
    assert satisfaction["unconverted_benefit"] == pytest.approx(1550.0)
    rules = {rule["check"] for rule in program["rules"]}
    assert "phillips.reaction_money" in rules


def test_a_passed_deadline_without_the_target_is_missed(tmp_path: Path) -> None:
    before_april = {k: v for k, v in T.items() if k < "2026-04"}
    project = make_project(tmp_path, objectives=objective(), t_values=before_april)
    result = only(run(project, as_of=date(2026, 7, 31)))
    # Deadline 30 Jun 2026; March's 120 stays below the target 122.4 and no later data exist.
    assert result.status is Status.MISSED


def test_a_loss_keeps_every_scenario_in_order(tmp_path: Path) -> None:
    falling = T | {"2026-01": 100, "2026-02": 95, "2026-03": 99}
    program = run(make_project(tmp_path, objectives=objective(), t_values=falling)).programs[0]
    # −120 in every scenario (a loss is not shrunk, so not scaled either): (−120 − 850) / 850.
    s = program.sensitivity
    expected = (-120 - 850) / 850 * 100
    assert s.conservative == pytest.approx(expected)
    assert s.base == pytest.approx(expected)
    assert s.optimistic == pytest.approx(expected)


def test_a_level_one_kpi_is_kept_out_of_the_headline(tmp_path: Path) -> None:
    project = make_project(tmp_path, objectives=objective(kpi="liked"))
    program = run(project).programs[0]
    result = program.objectives[0]
    # d = 8, 16, 18 (the leads' values): worth 42 × 10 × 0.4 = 168, never in the benefits.
    assert result.benefit is None
    assert result.unconverted_benefit == pytest.approx(168.0)
    assert program.pending  # nothing else converts to money: no ROI, not a loss
    rule = next(r for r in program.rules if r.check == "phillips.reaction_money")
    assert rule.reason == (
        "o1: a level-1 KPI is never converted to money; the 168.00 it would be worth is kept "
        "out of the benefits"
    )


def test_weeks_in_a_three_month_window_are_the_whole_weeks_inside_it() -> None:
    # 1 Jan – 31 Mar 2026 holds weeks 2 to 13 whole (5 Jan – 29 Mar): 12, not the 14 weeks
    # that touch it; April–June 2024 starts on a Monday and ends on a Sunday: 13 whole weeks.
    weeks = whole_periods(date(2026, 1, 1), date(2026, 3, 31), Period.WEEK)
    assert [period_label(o, Period.WEEK) for o in (weeks[0], weeks[-1])] == ["2026-W02", "2026-W13"]
    assert len(weeks) == 12
    assert len(whole_periods(date(2024, 4, 1), date(2024, 6, 30), Period.WEEK)) == 13
    assert len(whole_periods(date(2026, 1, 1), date(2026, 3, 31), Period.MONTH)) == 3


def test_a_baseline_range_takes_no_day_outside_the_dates_written() -> None:
    baseline = Baseline.model_validate({"from": "2025-10", "to": "2025-12"})
    ordinals = baseline_ordinals(baseline, Series(), start=0, period=Period.WEEK)
    labels = [period_label(o, Period.WEEK) for o in ordinals]
    # 2025-W40 runs 29 Sep – 5 Oct (September days: out); 2026-W01 runs 29 Dec 2025 – 4 Jan
    # 2026 (January days: out). What is left: W41 (6 Oct) to W52 (22–28 Dec), 12 weeks.
    assert labels[0] == "2025-W41"
    assert labels[-1] == "2025-W52"
    assert len(labels) == 12
