"""The chain of impact on the bundled example: a programme too early to measure says so at the
impact level instead of "0 of 1 objectives on track"."""

from __future__ import annotations

import json
from typing import Any

from tests.test_intervals_worked import EXAMPLE, example_json
from typer.testing import CliRunner

from roicli.cli import app


def _impact(program: dict[str, Any]) -> dict[str, float]:
    step = next(step for step in program["chain"] if step["level"] == "impact")
    return {figure["name"]: figure["value"] for figure in step["figures"]}


def test_the_impact_level_counts_measurable_objectives_and_waits_for_the_others() -> None:
    result = example_json()
    assert result.exit_code == 0, result.output
    seo, selling = json.loads(result.stdout)["programs"]
    # Five impact objectives, none waiting: seo-traffic and lead-growth achieved (2 of 5).
    assert _impact(seo) == {"objectives_met": 2, "benefits": 35850.54}
    # Its one objective is measurable from 1 Nov 2026: nothing is "missed" yet.
    assert _impact(selling) == {"objectives_waiting": 1}


def test_the_waiting_objectives_are_said_in_both_languages() -> None:
    args = ["report", "-c", str(EXAMPLE), "--as-of", "2026-10-31", "--no-history"]
    for lang, words in (("en", "1 not yet measurable"), ("fr", "pas encore mesurables : 1")):
        result = CliRunner().invoke(app, [*args, "--lang", lang], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert words in result.stdout
        assert "0 of 1 objectives" not in result.stdout
