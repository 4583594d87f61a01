"""The SMART checks, one criterion at a time, on literal contexts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from roicli.config import Kpi, Objective, Program, Target, Thresholds
from roicli.enums import Level, Period, Verdict
from roicli.periods import Series, period_of
from roicli.smart import SmartContext, check_smart

START = date(2026, 1, 10)
JAN = period_of(START, Period.MONTH)
# Seven pre-programme months; changes +2, −1, +2, +1, −1, +2 (mean 5/6, σ ≈ 1.3437)
HISTORY = Series({JAN - 7 + i: v for i, v in enumerate([100, 102, 101, 103, 104, 103, 105])})


def context(**changes: Any) -> SmartContext:
    objective_fields: dict[str, Any] = {
        "id": "o",
        "title": "Increase qualified leads by 5% by applying the prospecting method",
        "kpi": "leads",
        "owner": "Head of sales",
        "business_goal": "Grow",
        "deadline": date(2026, 3, 31),
        "target": Target(change="+5%"),
    }
    objective_fields |= changes.pop("objective", {})
    base = SmartContext(
        objective=Objective(**objective_fields),
        program=Program(name="P", start=START),
        kpi=Kpi(label="Qualified leads"),
        kpi_names=["leads", "sessions"],
        business_goals=["Grow", "Retain talent"],
        series=HISTORY,
        baseline=105.0,
        target=107.0,
        baseline_last=JAN - 1,
        estimates=(),
        period=Period.MONTH,
        as_of=date(2026, 2, 28),
        last_data=date(2026, 2, 15),
        thresholds=Thresholds(),
    )
    return replace(base, **changes)


def test_a_good_objective_passes_every_criterion() -> None:
    smart = check_smart(context())
    assert {name: f.verdict for name, f in smart.items()} == dict.fromkeys(
        ["specific", "measurable", "achievable", "relevant", "time_bound"], Verdict.PASS
    )
    assert smart.worst is Verdict.PASS


def test_specific() -> None:
    undefined = check_smart(context(kpi=None, objective={"kpi": "lead"})).specific
    assert undefined.verdict is Verdict.FAIL
    assert undefined.reason == "KPI 'lead' is not defined in kpis (did you mean 'leads'?)"
    vague = check_smart(
        context(objective={"title": "Improve satisfaction", "owner": None})
    ).specific
    assert vague.verdict is Verdict.WARN
    assert vague.reason == (
        "the title does not name the KPI's subject; the title has only a vague verb (improve); "
        "no owner and no group"
    )


def test_measurable() -> None:
    no_data = check_smart(context(series=Series())).measurable
    assert no_data.verdict is Verdict.FAIL
    assert no_data.reason == "no data for leads in the sources"
    wrong_way = check_smart(context(target=100.0)).measurable
    assert wrong_way.verdict is Verdict.FAIL
    assert wrong_way.reason == (
        "the target 100.00 is not above the baseline 105.00 for a KPI that should increase"
    )
    assert check_smart(context(baseline=None)).measurable.verdict is Verdict.FAIL


@pytest.mark.parametrize(
    ("target", "verdict"),
    [
        # horizon Jan..Mar = 3 periods. Band = drift × 3 + 5σ√3 = 2.5 + 5 × 1.3437 × 1.7321
        # ≈ 14.14; the best single-month gain in the history is +2
        (109.0, Verdict.PASS),  # needs 4 / 3 ≈ 1.33 a month ≤ 2
        (112.0, Verdict.WARN),  # needs 7 / 3 ≈ 2.33 a month > 2; 7 in total < 14.14
        (120.0, Verdict.FAIL),  # needs 15 in total > 14.14
    ],
)
def test_achievable_against_history(target: float, verdict: Verdict) -> None:
    assert check_smart(context(target=target)).achievable.verdict is verdict


def test_achievable_needs_history() -> None:
    short = Series({JAN - 2: 100.0, JAN - 1: 101.0})
    finding = check_smart(context(series=short)).achievable
    assert finding.verdict is Verdict.WARN
    assert "too few to judge" in finding.reason


def test_relevant() -> None:
    missing = check_smart(context(objective={"business_goal": None})).relevant
    assert missing.verdict is Verdict.FAIL
    assert missing.fix == "add business_goal: one of Grow, Retain talent"
    typo = check_smart(context(objective={"business_goal": "Retain talents"})).relevant
    assert typo.reason == (
        "business goal 'Retain talents' is not in business_goals (did you mean 'Retain talent'?)"
    )
    reaction = context(kpi=Kpi(level=Level.REACTION), objective={"value_per_unit": 100})
    assert check_smart(reaction).relevant.verdict is Verdict.WARN


def test_time_bound() -> None:
    before_start = check_smart(context(objective={"deadline": date(2026, 1, 5)})).time_bound
    assert before_start.verdict is Verdict.FAIL
    far = check_smart(context(objective={"deadline": date(2028, 6, 30)})).time_bound
    assert far.verdict is Verdict.WARN
    assert far.reason == "the deadline is more than 24 months after the start"
    passed = check_smart(context(as_of=date(2026, 6, 1))).time_bound
    assert passed.verdict is Verdict.WARN
    assert passed.reason == "the deadline 2026-03-31 has passed and no data reaches it"
    assert check_smart(context(objective={"deadline": None})).time_bound.verdict is Verdict.FAIL
