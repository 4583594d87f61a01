"""The chain of impact's ROI level of a multi-year programme: the multi-year ROI in the
verdict's words (horizon, benefits, base, rate), not "too early to tell"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roicli.cli import app

REPO = Path(__file__).resolve().parents[2]
ARGS = ["report", "-c", "configs/multi_year.yaml", "--as-of", "2026-10-31", "--no-history"]


def _run(monkeypatch: pytest.MonkeyPatch, *extra: str) -> str:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, [*ARGS, *extra], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_roi_level_carries_the_multi_year_roi_and_its_terms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    program = json.loads(_run(monkeypatch, "--format", "json"))["programs"][0]
    step = next(step for step in program["chain"] if step["level"] == "roi")
    assert (step["evidence"], step["pending"]) == (True, False)
    [found] = step["figures"]
    # The pro forma's ROI on the initial investment: (967,699.52 − 266,129.70) / 100,000
    # = 701.57 % (tests/test_multiyear.py works it out), the same as the programme's figure
    assert found["value"] == pytest.approx(701.56982)
    assert found["value"] == program["multi_year"]["roi_pct"]
    assert (found["name"], found["basis"]) == ("roi", "multi_year")
    assert found["multi_year"] == {
        "years": 3,
        "discount_rate": 0.15,
        "roi_on": "initial_investment",
        "stated": True,
    }


@pytest.mark.parametrize(
    ("lang", "level", "words", "pending"),
    [
        (
            "en",
            "Level 5",
            "pays over 3 years on stated benefits: multi-year ROI 701.6% on the initial "
            "investment, discounted at 15.0%",
            "too early to tell",
        ),
        (
            "fr",
            "Niveau 5",
            "rentable sur 3 ans selon les bénéfices annoncés : ROI pluriannuel 701,6 %",
            "trop tôt pour conclure",
        ),
    ],
)
def test_the_terminal_chain_says_the_multi_year_roi(
    monkeypatch: pytest.MonkeyPatch, lang: str, level: str, words: str, pending: str
) -> None:
    text = _run(monkeypatch, "--lang", lang)
    row = next(line for line in text.splitlines() if level in line)
    assert words.replace("\u202f", " ") in row.replace("\u202f", " ").replace("\xa0", " ")
    assert pending not in text
    # What it rests on: the multi-year benefits, not objectives the programme does not have.
    rests_on = {"en": "costs and the multi-year", "fr": "les coûts et les bénéfices"}[lang]
    assert rests_on in row
    assert "objectives' benefits" not in text
    assert "bénéfices des objectifs" not in text
