"""Phillips' rules, one registry of named checks, each worked by hand on a tiny programme."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from tests.test_roi_worked import make_project, objective, run

from roicli.config import Program, Thresholds
from roicli.enums import Verdict
from roicli.model import EstimateRow, Improvement, ObjectiveResult
from roicli.rules import RULES, RuleContext, phillips_rules

PARTICIPANT_TIME = {"item": "Time", "category": "participant_time", "amount": 100}


def programme(**fields: object) -> Program:
    base: dict[str, object] = {"name": "P", "start": date(2026, 1, 10), "costs": [PARTICIPANT_TIME]}
    return Program.model_validate(base | fields)


@pytest.fixture
def measured(tmp_path: Path) -> ObjectiveResult:
    """A real objective (baseline isolation, attribution 0.5, confidence 0.8)."""
    return run(make_project(tmp_path, objectives=objective())).programs[0].objectives[0]


def checks(program: Program, objectives: list[ObjectiveResult]) -> list[str]:
    return [f.check for f in phillips_rules(program, objectives, Thresholds())]


def months(*improvements: float) -> tuple[Improvement, ...]:
    """Counted months from 2026-01 with these improvements, each worth 4 (10 × 0.5 × 0.8)."""
    return tuple(
        Improvement(f"2026-{i + 1:02d}", 0.0, 0.0, d, d * 4) for i, d in enumerate(improvements)
    )


def test_every_rule_is_registered_under_its_own_id() -> None:
    assert list(RULES) == [
        "phillips.fully_loaded",
        "phillips.benefit_window",
        "phillips.estimates_confidence",
        "phillips.intangibles_money",
        "phillips.isolation",
        "phillips.reaction_money",
        "phillips.extreme_values",
        "phillips.interval",
    ]


def test_all_rules_hold_gives_one_pass(measured: ObjectiveResult) -> None:
    findings = phillips_rules(programme(), [measured], Thresholds())
    assert [(f.check, f.verdict) for f in findings] == [("phillips.all", Verdict.PASS)]


def test_costs_without_participants_time_are_not_fully_loaded() -> None:
    program = programme(costs=[{"item": "Fee", "category": "delivery", "amount": 1}])
    assert checks(program, []) == ["phillips.fully_loaded"]


def test_a_short_programme_counts_one_year_at_most() -> None:
    # 10 Jan to 30 Jun: 171 days ≤ 6 × 31, so a 24-month window is too long; 12 is fine.
    short = {"end": date(2026, 6, 30)}
    assert checks(programme(**short, benefit_window_months=24), []) == ["phillips.benefit_window"]
    assert checks(programme(**short, benefit_window_months=12), []) == ["phillips.all"]
    long = programme(end=date(2027, 6, 30), benefit_window_months=24)
    assert checks(long, []) == ["phillips.all"]


def test_estimates_without_confidence_are_named(measured: ObjectiveResult) -> None:
    rows = (
        EstimateRow(2, "P1", "Gain", 1000, 0.5, 0.8, 400),
        EstimateRow(3, "P2", "Gain", 500, 1.0, None, 0),
    )
    finding = phillips_rules(programme(), [replace(measured, estimates=rows)], Thresholds())[0]
    assert finding.check == "phillips.estimates_confidence"
    assert finding.reason == "o1: 1 estimate(s) without confidence count zero (rows 3)"


def test_intangibles_given_money_are_flagged() -> None:
    program = programme(intangibles=[{"name": "Morale", "value": 1000}, "Teamwork"])
    finding = phillips_rules(program, [], Thresholds())[0]
    assert finding.reason == "intangibles given a money value (Morale); the value is ignored"


def test_a_baseline_comparison_crediting_everything_is_flagged(measured: ObjectiveResult) -> None:
    assert checks(programme(), [replace(measured, attribution=1.0)]) == ["phillips.isolation"]
    assert checks(programme(), [replace(measured, attribution=0.9)]) == ["phillips.all"]


def test_a_spike_carrying_most_of_the_benefit_is_an_extreme_value(
    measured: ObjectiveResult,
) -> None:
    # d = 1, 2, 3, 2, 40: median 2, deviations 1, 0, 1, 0, 38, MAD 1; May's robust z is
    # 0.6745 × 38 / 1 = 25.6 > 3.5, and it carries 160 of 192 (83 %) > 50 %.
    spiked = replace(measured, improvements=months(1, 2, 3, 2, 40))
    finding = phillips_rules(programme(), [spiked], Thresholds())[0]
    assert finding.check == "phillips.extreme_values"
    assert finding.reason == "o1: extreme values (2026-05) drive 83% of the benefit"


def test_a_spike_carrying_less_than_half_is_not_flagged(measured: ObjectiveResult) -> None:
    # d = 10, 11, 12, 11, 30: median 11, MAD 1; May's z is 12.8 but it carries 30 of 74 (41 %).
    assert checks(programme(), [replace(measured, improvements=months(10, 11, 12, 11, 30))]) == [
        "phillips.all"
    ]


def test_extreme_values_need_four_months_and_a_gain(measured: ObjectiveResult) -> None:
    assert checks(programme(), [replace(measured, improvements=months(1, 2, 40))]) == [
        "phillips.all"
    ]
    losses = replace(measured, improvements=months(-1, -2, -3, -2, -40))
    assert checks(programme(), [losses]) == ["phillips.all"]
    flat = replace(measured, improvements=months(2, 2, 2, 2, 40))  # MAD 0: no scale
    assert checks(programme(), [flat]) == ["phillips.all"]


def test_rule_context_runs_a_single_rule(measured: ObjectiveResult) -> None:
    ctx = RuleContext(programme(), [replace(measured, attribution=1.0)], Thresholds())
    assert [f.check for f in RULES["phillips.isolation"](ctx)] == ["phillips.isolation"]
