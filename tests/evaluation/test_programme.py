"""A programme's levels 1 to 3 (evaluate) and its chain of impact, on tiny files worked out by
hand; and a property: the figures do not depend on the run's pseudonymisation key."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.evaluation.conftest import PSEUDONYMISE, evaluation

from roicli.config import Program
from roicli.enums import Basis, Level
from roicli.evaluation.chain import ChainStep, chain
from roicli.evaluation.figures import OTHER, survey, survey_cohorts
from roicli.evaluation.model import EvaluationData
from roicli.evaluation.privacy import Pseudonymiser
from roicli.evaluation.programme import evaluate
from roicli.evaluation.read import read_evaluation
from roicli.model import ProgramResult, Sensitivity
from roicli.roi import pending_figures
from roicli.templates import write_template

# Six respondents. Q1: Agree, Agree, Strongly agree, Disagree, Neither, Strongly agree → 4 of 6
# in the top two points. Q2 answered by four: Agree, Disagree, Disagree, Neither → 1 of 4.
# Pooled by answers: (4 + 1) / (6 + 4) = 0.5 (the mean of the two shares would be 0.458).
REACTION = (
    "Email,Q1,Q2\n"
    "a@x.org,Agree,Agree\n"
    "b@x.org,Agree,Disagree\n"
    "c@x.org,Strongly agree,\n"
    "d@x.org,Disagree,Disagree\n"
    "e@x.org,Neither agree nor disagree,Neither agree nor disagree\n"
    "f@x.org,Strongly agree,\n"
)
# The role is in the pre-test only; the post-test is split by it all the same.
PRE = "Email,Role,Score\n" + "".join(
    f"{who}@x.org,{role},{score}\n"
    for who, role, score in (
        ("a", "Mentor", 10), ("b", "Mentor", 12), ("c", "Mentee", 8),
        ("d", "Mentee", 9), ("e", "Mentee", 7), ("f", "Mentor", 11),
    )
)  # fmt: skip
POST = "Email,Score\na@x.org,14\nb@x.org,15\nc@x.org,14\nd@x.org,13\ne@x.org,12\nf@x.org,15\n"
# Gains: mentors 4, 3, 4 (mean 11/3); mentees 6, 4, 5 (mean 5). Everyone: 26/6 = 4.333…


def programme(tmp_path: Path, **fields: Any) -> tuple[Program, list[EvaluationData]]:
    files = {"reaction.csv": REACTION, "pre.csv": PRE, "post.csv": POST}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    learning = {"level": "learning", "respondent": "Email", "score": "Score", "max_score": 20}
    evaluations = [
        evaluation(tmp_path / "reaction.csv", respondent="Email"),
        evaluation(tmp_path / "pre.csv", moment="before", group="Role", **learning),
        evaluation(tmp_path / "post.csv", moment="after", **learning),
    ]
    program = Program.model_validate(
        {
            "name": "P",
            "start": date(2026, 1, 1),
            "participants": 8,
            "evaluations": evaluations,
            "min_group_size": fields.get("min_group_size", 3),
        }
    )
    return program, [read_evaluation(e, PSEUDONYMISE) for e in evaluations]


def test_surveys_and_pairs_of_a_programme(tmp_path: Path) -> None:
    program, loaded = programme(tmp_path)
    found = evaluate(program, loaded)
    (reaction,) = found.surveys
    assert reaction.overall.respondents == 6
    assert reaction.overall.response_rate == 6 / 8
    q1, q2 = reaction.overall.questions
    assert (q1.top_two, q1.answered) == (4 / 6, 6)
    assert (q2.top_two, q2.answered) == (1 / 4, 4)
    (test,) = found.learning
    assert test.overall.paired == 6
    assert test.overall.gain is not None
    assert test.overall.gain.mean == 26 / 6
    groups = {g.group: g for g in test.groups}
    assert groups["Mentor"].gain is not None
    assert groups["Mentee"].gain is not None
    assert groups["Mentor"].gain.mean == 11 / 3
    assert groups["Mentee"].gain.mean == 5
    (difference,) = test.differences
    assert (difference.reference, difference.group) == ("Mentee", "Mentor")
    assert difference.difference == 11 / 3 - 5
    assert found.completions == ()  # no LMS records in these files


def _step(steps: tuple[ChainStep, ...], level: Level) -> ChainStep:
    return next(step for step in steps if step.level is level)


def test_the_chain_pools_a_surveys_answers(tmp_path: Path) -> None:
    program, loaded = programme(tmp_path)
    found = evaluate(program, loaded)
    steps = chain(result_for(program), found, hours=None, confidence_level=0.9)
    reaction = _step(steps, Level.REACTION)
    favourable = {f.key: f.value for f in reaction.figures}["favourable"]
    assert favourable == (4 + 1) / (6 + 4) == 0.5
    assert (reaction.n, reaction.sources) == (6, ("reaction.csv",))
    learning = _step(steps, Level.LEARNING)
    gain = learning.figures[0]
    assert (gain.key, gain.value, gain.confidence) == ("gain", 26 / 6, 0.95)
    assert _step(steps, Level.APPLICATION).figures == ()  # no evidence
    assert not _step(steps, Level.APPLICATION).withheld
    # Level 0: 8 participants, no hours given, no costs; no ROI without costs or objectives.
    participation = _step(steps, Level.INPUT)
    assert [(f.key, f.value) for f in participation.figures] == [
        ("participants", 8),
        ("cost_per_participant", 0.0),
    ]
    roi = _step(steps, Level.ROI)
    assert (roi.figures, roi.pending) == ((), False)


def test_the_chain_withholds_a_level_on_too_few_people(tmp_path: Path) -> None:
    program, loaded = programme(tmp_path, min_group_size=7)
    found = evaluate(program, loaded)
    steps = chain(result_for(program), found, hours=None, confidence_level=0.9)
    for level in (Level.REACTION, Level.LEARNING):
        step = _step(steps, level)
        assert step.withheld
        assert step.figures == ()
        assert step.n == 6  # the count stays


def result_for(program: Program) -> ProgramResult:
    """The programme's result with no costs and no objectives: pending, nothing else to show."""
    figures = pending_figures(0.0, Basis.TO_DATE)
    return ProgramResult(
        name=program.name,
        method=program.method,
        start=program.start,
        end=None,
        participants=program.participants,
        benefit_window_months=12,
        months_counted=0,
        costs=(),
        figures=figures,
        first_year=pending_figures(0.0, Basis.FIRST_YEAR),
        provisional=False,
        pending=True,
        measurable_from=None,
        sensitivity=Sensitivity(None, None, None),
        intangibles=(),
        objectives=(),
        rules=(),
    )


def _template_loaded(root: Path, key: bytes) -> tuple[Program, list[EvaluationData]]:
    from roicli.config import load_config

    program = load_config(root / "configs/roicli.yaml").config.programs[0]
    pseudonymise = Pseudonymiser(key, stable=True)
    return program, [read_evaluation(e, pseudonymise) for e in program.evaluations]


@settings(max_examples=5, deadline=None)
@given(key=st.binary(min_size=16, max_size=48))
def test_figures_do_not_depend_on_the_pseudonymisation_key(
    tmp_path_factory: Any, key: bytes
) -> None:
    root = tmp_path_factory.mktemp("template")
    write_template("mentoring", root)
    program, fixed = _template_loaded(root, b"a fixed key for the tests only")
    _, other = _template_loaded(root, key)
    assert evaluate(program, other) == evaluate(program, fixed)


def test_rare_categories_are_counted_together(tmp_path: Path) -> None:
    # Department: Sales × 5, Legal × 1, HR × 2 (with min_group_size 5): Legal and HR, answered by
    # fewer than five people, could point at a person: they are shown only as 3 other answers.
    path = tmp_path / "departments.csv"
    departments = ["Sales"] * 5 + ["Legal"] + ["HR"] * 2
    path.write_text("Department\n" + "".join(f"{name}\n" for name in departments), encoding="utf-8")
    data = read_evaluation(evaluation(path), PSEUDONYMISE)
    program = Program.model_validate(
        {"name": "P", "start": date(2026, 1, 1), "evaluations": [evaluation(path)]}
    )
    (survey,) = evaluate(program, [data]).surveys
    (question,) = survey.overall.questions
    assert [(c.label, c.count) for c in question.distribution] == [
        ("Sales", 5),
        (OTHER, 3),
    ]


def test_an_answer_rare_in_one_group_is_folded_in_every_group(tmp_path: Path) -> None:
    # Group A: Sales × 5, HR × 2; group B: Sales × 1, Legal × 5 (min_group_size 5). Shown as
    # is, A's "Sales 5" and everyone's "Sales 6" would give away B's one Sales answer: Sales is
    # folded into "other answers" in both groups; HR (rare in A) too; Legal (none in A) stays.
    path = tmp_path / "departments.csv"
    rows = [("A", "Sales")] * 5 + [("A", "HR")] * 2 + [("B", "Sales")] + [("B", "Legal")] * 5
    path.write_text("Group,Department\n" + "".join(f"{g},{d}\n" for g, d in rows), encoding="utf-8")
    data = read_evaluation(evaluation(path, group="Group"), PSEUDONYMISE)
    groups, _ = survey_cohorts(data, min_group_size=5)
    shown = {
        figures.group: [(c.label, c.count) for c in figures.questions[0].distribution]
        for figures in groups
    }
    assert shown == {"A": [(OTHER, 7)], "B": [("Legal", 5), (OTHER, 1)]}
    everyone = survey(data, participants=None, min_group_size=5).questions[0].distribution
    assert [(c.label, c.count) for c in everyone] == [("Sales", 6), ("Legal", 5), (OTHER, 2)]


def test_an_answer_rare_among_the_ungrouped_is_folded_in_every_group(tmp_path: Path) -> None:
    # Group A: Sales × 5; no group: Sales × 1. Everyone's Sales 6 minus A's 5 would be the
    # one response with no group.
    path = tmp_path / "departments.csv"
    rows = [("A", "Sales")] * 5 + [("", "Sales")] + [("B", "Legal")] * 5
    path.write_text("Group,Department\n" + "".join(f"{g},{d}\n" for g, d in rows), encoding="utf-8")
    data = read_evaluation(evaluation(path, group="Group"), PSEUDONYMISE)
    groups, _ = survey_cohorts(data, min_group_size=5)
    shown = {
        figures.group: [(c.label, c.count) for c in figures.questions[0].distribution]
        for figures in groups
    }
    assert shown == {"A": [(OTHER, 5)], "B": [("Legal", 5)]}
