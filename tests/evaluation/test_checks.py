"""The data-collection plan checks, one by one."""

from __future__ import annotations

from typing import Any

from roicli.config import Program
from roicli.evaluation.checks import CHECKS, PlanContext, plan_checks
from roicli.evaluation.figures import LearningFigures, SurveyFigures


def programme(*evaluations: dict[str, Any], **fields: Any) -> Program:
    base = {"name": "P", "start": "2026-01-01", "evaluations": list(evaluations)}
    return Program.model_validate(base | fields)


def ids(program: Program) -> list[str]:
    return [f.check for f in plan_checks(PlanContext(program, (), ()))]


def ev(level: str, moment: str) -> dict[str, Any]:
    return {"path": f"{level}-{moment}.csv", "level": level, "moment": moment}


def test_a_complete_plan_passes() -> None:
    plan = programme(
        ev("reaction", "after"),
        ev("learning", "before"),
        ev("learning", "after"),
        ev("application", "before"),
        ev("application", "follow_up"),
    )
    assert ids(plan) == []


def test_no_evaluations_no_findings() -> None:
    assert ids(programme()) == []


def test_missing_measures() -> None:
    plan = programme(ev("learning", "after"), ev("application", "after"))
    assert ids(plan) == [
        "evaluation.no_pretest",
        "evaluation.no_follow_up",
        "evaluation.no_before",
    ]


def test_low_response_rate_and_too_few_pairs() -> None:
    plan = programme(
        ev("learning", "before"),
        ev("learning", "after"),
        ev("application", "before"),
        ev("application", "follow_up"),
        response_rate_warn="40%",
    )
    low = SurveyFigures("Reaction", None, 7, 0.35, ())
    fine = SurveyFigures("Follow-up", None, 9, 0.45, ())
    pairs = LearningFigures(
        "Pre", "Post", None, 1, 3, 0, None, None, None, None, None, None, suppressed=True
    )
    findings = plan_checks(PlanContext(plan, (low, fine), (pairs,)))
    assert [f.check for f in findings] == ["evaluation.response_rate", "evaluation.pairs"]
    assert findings[0].reason == "Reaction: a response rate of 35% is under 40%"
    assert findings[1].reason == (
        "Pre → Post: 1 paired participant(s), too few for an interval (at least 2)"
    )


def test_every_check_is_registered_under_its_own_id() -> None:
    assert all(name.startswith("evaluation.") for name in CHECKS)
    assert len(set(CHECKS.values())) == len(CHECKS)
