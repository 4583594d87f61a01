"""The dashboard at 80, 100 and 140 columns, in English and French: nothing that matters is cut,
no number breaks across lines, and the verdict comes first."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.i18n import fmt_money, fmt_percent, term
from roicli.model import Analysis
from roicli.project import load_project
from roicli.render.terminal import render_dashboard
from roicli.render.view import benefit_text, verdict_lines

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "roicli.yaml"


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse(load_project(EXAMPLE), as_of=date(2026, 10, 31))


def dashboard(analysis: Analysis, width: int, lang: Lang) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    render_dashboard(console, analysis, lang)
    return out.getvalue()


def figures_that_matter(analysis: Analysis, lang: Lang) -> list[str]:
    """Every money figure, ROI and status a manager reads, formatted as shown."""
    shown = []
    for program in analysis.programs:
        shown += [
            fmt_money(program.figures.costs, analysis.currency, lang),
            fmt_money(program.figures.benefits, analysis.currency, lang),
            fmt_percent(program.figures.roi_pct, lang),
        ]
        for objective in program.objectives:
            shown += [term(objective.status, lang), objective.id]
            if objective.benefit is not None:
                shown.append(benefit_text(objective, analysis.currency, lang))
    return shown


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("width", [80, 100, 140])
def test_nothing_that_matters_is_cut(analysis: Analysis, width: int, lang: Lang) -> None:
    text = dashboard(analysis, width, lang)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    for shown in figures_that_matter(analysis, lang):
        # Whole, on one line: neither cut with "…" nor broken at a (no-break) space.
        assert any(shown in line for line in lines), (width, lang, shown)


@pytest.mark.parametrize("lang", list(Lang))
def test_the_verdict_comes_before_any_detail(analysis: Analysis, lang: Lang) -> None:
    text = dashboard(analysis, 140, lang)
    verdict = verdict_lines(analysis, lang)[0]
    first_words = verdict.split(" — ")[0]
    position = text.index(first_words)
    costs = fmt_money(analysis.programs[0].figures.costs, analysis.currency, lang)
    assert position < text.index(costs)  # before the programme's own figures


def test_narrow_terminals_get_cards_and_the_latest_periods(analysis: Analysis) -> None:
    narrow = dashboard(analysis, 80, Lang.EN)
    wide = dashboard(analysis, 140, Lang.EN)
    assert "│ Current " in narrow  # a card's label, one line per figure
    assert "│ Target " in narrow
    assert "│ seo-traffic  Achieved" in narrow
    assert "Slope per period" not in narrow  # secondary columns give way
    assert "Slope per period" in wide
    # The organic sessions' sparkline ends with October 2026 at both widths.
    sessions = [line for line in narrow.splitlines() if "Organic sessions (sessions)" in line]
    assert sessions
    wide_sessions = [line for line in wide.splitlines() if "Organic sessions (sessions)" in line]
    spark = "".join(ch for ch in sessions[0] if "▁" <= ch <= "█")
    wide_spark = "".join(ch for ch in wide_sessions[0] if "▁" <= ch <= "█")
    assert len(spark) == 12
    assert len(wide_spark) == 24
    # The latest 12 months scaled on their own range: the last month is near the top.
    assert spark[-1] in "▇█"
