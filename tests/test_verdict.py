"""Whether a programme pays, and which actions come first, worked by hand on tiny programmes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.test_roi_worked import (
    ESTIMATES,
    ESTIMATES_OBJECTIVE,
    T,
    make_project,
    objective,
    run,
)

from roicli.enums import ActionKind, Lang, Outlook
from roicli.render.view import action_lines, summary_paragraph, verdict_lines


def test_paying_back_with_measured_and_estimated_shares(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, objectives=objective() + ESTIMATES_OBJECTIVE, estimates=ESTIMATES, costs="[]"
    )
    analysis = run(project)
    verdict = analysis.verdicts[0]
    # No costs: any gain pays. Measured 168 (Jan–Mar), estimated 1,000 × 3 / 12 = 250.
    assert verdict.outlook is Outlook.PAYING_BACK
    assert verdict.measured == pytest.approx(168.0)
    assert verdict.estimated == pytest.approx(250.0)
    assert verdict.data_to == date(2026, 3, 31)  # the table stops at --as-of
    line = verdict_lines(analysis, Lang.EN)[0]
    assert line.startswith("Prospecting: paying back — ROI n/a to date")
    assert "40.2% measured, 59.8% estimated" in line  # 168 / 418, 250 / 418


def test_not_yet_paying_back_when_the_first_year_pays(tmp_path: Path) -> None:
    analysis = run(make_project(tmp_path, objectives=objective()))
    verdict = analysis.verdicts[0]
    # 168 against 850 to date (−80.2 %); 56 a month × 12 = 672 < 850: the first year loses.
    assert verdict.outlook is Outlook.LOSS
    big = objective().replace("value_per_unit: 10", "value_per_unit: 40")
    (tmp_path / "b").mkdir()
    again = run(make_project(tmp_path / "b", objectives=big))
    # × 4: 672 to date (−20.9 %); 224 a month × 12 = 2,688 ≥ 850 → pays back in 850 / 224
    assert again.verdicts[0].outlook is Outlook.NOT_YET
    assert again.verdicts[0].payback_months == pytest.approx(850 / 224)
    line = verdict_lines(again, Lang.EN)[0]
    assert "not yet paying back — ROI -20.9% to date" in line
    assert "pays back in 3.8 months, first year 216.2%" in line


def test_too_early_and_no_money(tmp_path: Path) -> None:
    lagging = run(make_project(tmp_path, objectives=objective(kpi="slow")))
    assert lagging.verdicts[0].outlook is Outlook.TOO_EARLY
    assert verdict_lines(lagging, Lang.EN)[0] == (
        "Prospecting: too early to tell — measurable from 10 May 2026"
    )
    assert "It is too early to judge Prospecting: it becomes measurable on 10 May 2026." in (
        summary_paragraph(lagging, Lang.EN)
    )
    unvalued = objective().replace("value_per_unit: 10", "value_per_unit: null")
    (tmp_path / "b").mkdir()
    none = run(make_project(tmp_path / "b", objectives=unvalued))
    assert none.verdicts[0].outlook is Outlook.NO_MONEY


def test_actions_most_urgent_first_at_most_three(tmp_path: Path) -> None:
    before_april = {k: v for k, v in T.items() if k < "2026-04"}
    project = make_project(tmp_path, objectives=objective(), t_values=before_april)
    analysis = run(project, as_of=date(2026, 7, 31))
    kinds = [action.kind for action in analysis.actions]
    # Data end in March while June is over: stale first; then the missed deadline (30 Jun).
    assert kinds[:2] == [ActionKind.STALE, ActionKind.MISSED]
    assert len(kinds) <= 3
    assert action_lines(analysis, Lang.EN)[0] == (
        "Bring leads up to date: the data end on 31 Mar 2026"
    )
    assert action_lines(analysis, Lang.FR)[1] == (
        "o1 : l'échéance est passée sans atteindre la cible ; fixez une nouvelle échéance ou "
        "revoyez la cible"
    )
