"""The evaluation questions of the catalogue's level 1-3 KPIs: `kpis show` names the report
figure, `kpis suggest` proposes the questions for a learning objective."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roicli.catalog import get_entry
from roicli.cli import app
from roicli.enums import Lang
from roicli.evaluation.config import EVALUATED_LEVELS
from roicli.evaluation.questions import PROPOSALS, proposals_for
from roicli.evaluation.scales import named_scale

TEST_SCORE = "score"  # a test's score, not a survey scale


@pytest.mark.parametrize("proposal", PROPOSALS, ids=lambda p: f"{p.kpi}-{p.scale}")
def test_each_question_measures_a_catalogue_kpi_at_its_level(proposal: object) -> None:
    from roicli.evaluation.questions import Proposal

    assert isinstance(proposal, Proposal)
    entry = get_entry(proposal.kpi)
    assert entry is not None
    assert entry.level is proposal.level
    assert proposal.level in EVALUATED_LEVELS
    if proposal.scale != TEST_SCORE:
        assert named_scale(proposal.scale).name  # a built-in scale roicli reads
    for lang in Lang:
        assert proposal.text(lang)
        assert proposal.figure(lang)


def test_every_reaction_and_learning_kpi_has_a_question() -> None:
    from roicli.catalog import entries_at_level
    from roicli.enums import Level

    for level in (Level.REACTION, Level.LEARNING):
        for entry in entries_at_level(level):
            assert proposals_for([entry.key]), entry.key


def test_suggest_proposes_questions_for_a_learning_objective() -> None:
    result = CliRunner().invoke(
        app,
        ["kpis", "suggest", "Raise the confidence of new managers in giving feedback"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Evaluation questions that measure levels 1 to 3" in out
    assert "self_rated_confidence" in out
    assert "How confident are you in applying these skills in your work?" in out
    assert out.index("Evaluation questions") < out.index("Paste into your config:")


def test_suggest_proposes_questions_even_when_only_business_kpis_rank_first() -> None:
    # The top suggestion for a pure business goal is an impact KPI; the questions then come
    # from the best-ranked level 1-3 KPIs further down.
    result = CliRunner().invoke(
        app, ["kpis", "suggest", "Cut the cost per lead with Google Ads mentoring", "--limit", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Evaluation questions that measure levels 1 to 3" in result.stdout


def test_suggest_json_adds_the_questions_of_each_kpi() -> None:
    result = CliRunner().invoke(
        app, ["kpis", "suggest", "Satisfaction des apprenants", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    found = {item["key"]: item["evaluation_questions"] for item in json.loads(result.stdout)}
    assert found["course_satisfaction"][0]["scale"] == "agreement"
    assert found["course_satisfaction"][0]["moments"] == ["after"]


def test_show_names_the_report_figure_in_french() -> None:
    result = CliRunner().invoke(
        app, ["kpis", "show", "training_nps", "--lang", "fr"], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Chiffre du rapport" in out
    assert "réaction : NPS (% de 9-10 moins % de 0-6)" in out
