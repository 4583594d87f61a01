"""Benefit, net benefit and cost per participant, each on the basis of the figure it divides.

The programme of test_roi_worked at 2026-03-31: 5 participants, costs 850; the baseline
objective's months improve by 8, 16 and 18 leads (Σ 42), each worth 10 × 0.5 × 0.8 = 4, so
168 to date and 42 × 4 / 3 × 12 = 672 over the first year.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.test_roi_worked import make_project, objective, run

from roicli.config import load_config
from roicli.enums import Lang
from roicli.project import Project
from roicli.render.forecast_view import per_participant_line
from roicli.render.json import to_dict
from roicli.render.markdown import render_markdown


def test_per_participant_on_each_basis(tmp_path: Path) -> None:
    program = run(make_project(tmp_path, objectives=objective())).programs[0]
    to_date, first_year = program.figures, program.first_year
    assert to_date.benefits == pytest.approx(168.0)
    assert to_date.costs_per_participant == pytest.approx(170.0)  # 850 / 5
    assert to_date.benefits_per_participant == pytest.approx(33.6)  # 168 / 5
    assert to_date.net_per_participant == pytest.approx(-136.4)  # (168 − 850) / 5
    assert first_year.benefits_per_participant == pytest.approx(134.4)  # 672 / 5
    assert first_year.net_per_participant == pytest.approx(-35.6)  # (672 − 850) / 5
    assert per_participant_line(to_date, "EUR", Lang.EN) == (
        "Per participant (to date): costs €170.00, benefits €33.60, net benefit -€136.40"
    )


def test_per_participant_in_json_and_markdown(tmp_path: Path) -> None:
    analysis = run(make_project(tmp_path, objectives=objective()))
    program = to_dict(analysis)["programs"][0]
    assert program["per_participant"] == {"costs": 170.0, "benefits": 33.6, "net_benefit": -136.4}
    assert program["first_year"]["per_participant"] == {
        "costs": 170.0,
        "benefits": 134.4,
        "net_benefit": -35.6,
    }
    text = render_markdown(analysis, lang=Lang.FR)
    assert "Par participant (à date) : coûts 170,00\u00a0€, bénéfices 33,60\u00a0€" in text


def test_no_figure_per_participant_without_participants(tmp_path: Path) -> None:
    costs = "\n      - {item: Workshops, category: delivery, amount: 500}"
    project = make_project(tmp_path, objectives=objective(), costs=costs)
    text = (tmp_path / "roicli.yaml").read_text(encoding="utf-8")
    assert "participants: 5" in text
    (tmp_path / "roicli.yaml").write_text(text.replace("    participants: 5\n", ""), "utf-8")
    loaded = load_config(tmp_path / "roicli.yaml")
    program = run(Project(loaded, project.config_sha256, project.dataset, {})).programs[0]
    assert program.figures.costs_per_participant is None
    assert program.figures.benefits_per_participant is None
    assert per_participant_line(program.figures, "EUR", Lang.EN) is None
    assert (
        to_dict(run(Project(loaded, "0" * 64, project.dataset, {})))["programs"][0][
            "per_participant"
        ]
        is None
    )


def test_a_pending_programme_has_costs_per_participant_only(tmp_path: Path) -> None:
    program = run(make_project(tmp_path, objectives=objective()), as_of=date(2026, 1, 20))
    figures = program.programs[0].figures
    assert program.programs[0].pending
    assert figures.costs_per_participant == pytest.approx(170.0)
    assert (figures.benefits_per_participant, figures.net_per_participant) == (None, None)
