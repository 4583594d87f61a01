"""The terminal views of the hand-built Analysis: a pending programme, stale data, a level-1
benefit kept apart and estimates by their effective share, in both languages."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from tests.render.conftest import MENTORING, section

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.terminal import render_dashboard, render_roi

WIDTH = 160


def _screen(analysis: Analysis, lang: Lang) -> str:
    """The dashboard, then the `roi` view, as plain text."""
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, highlight=False)
    render_dashboard(console, analysis, lang)
    render_roi(console, analysis, lang)
    return out.getvalue()


@pytest.mark.parametrize("lang", list(Lang))
def test_no_minus_100_percent_for_a_pending_programme(analysis: Analysis, lang: Lang) -> None:
    assert "-100" not in _screen(analysis, lang)


def test_a_pending_programme_says_too_early_and_shows_no_ratio(analysis: Analysis) -> None:
    screen = _screen(analysis, Lang.EN)
    panel = section(screen, f"╭─ {MENTORING} ", "╰")
    assert "Too early to tell: measurable from 1 Sep 2026" in panel
    assert "€2,400.00" in panel
    for label in ("Net benefit", "ROI %", "Benefit-cost ratio", "Payback (months)"):
        row = next(line for line in panel.splitlines() if f"│ {label} " in line)
        assert row.split()[-2] == "n/a", row
    assert not re.search(r"\d\s?%", panel)  # no ROI figure, no range, no first year
    assert "Pending (not in the ROI): Mentorat des jeunes talents · costs €2,400.00" in screen


def test_stale_data_show_in_the_verdict_and_the_roi_view(analysis: Analysis) -> None:
    screen = _screen(analysis, Lang.EN)
    verdict = section(screen, "╭─ Does the training pay? ", "╰")
    assert "Organic sessions: data to 31 May 2026, 1 month behind" in verdict
    assert "1. Bring Organic sessions up to date: the data end on 31 May 2026" in verdict
    assert screen.count("Organic sessions: data to 31 May 2026, 1 month behind") == 2
    french = _screen(analysis, Lang.FR)
    assert "Organic sessions : données jusqu'au 31 mai 2026, 1 mois de retard" in french


def test_a_level_1_benefit_is_not_counted_and_its_loss_is_in_full(analysis: Analysis) -> None:
    screen = _screen(analysis, Lang.EN)
    line = next(line for line in screen.splitlines() if "benefit · nps" in line)
    # 3 months × −3 points × €0.80 × 100 % (a loss counts in full) = −7.20, kept out.
    assert "not counted (level 1): -€7.20" in line
    worked = section(screen, "benefit · nps", "benefit · coaching-estimates")
    assert "a loss, counted in full" in " ".join(worked.split())
    assert "50.0% × 80.0%" not in worked
    total = next(line for line in screen.splitlines() if "total benefits (isolated)" in line)
    assert "€239,937.50" in total  # 235,200 − 12.50 + 1,000 + 3,750: the NPS is not in it


def test_estimates_show_their_effective_share_not_a_hundred_percent(analysis: Analysis) -> None:
    screen = _screen(analysis, Lang.EN)
    line = next(line for line in screen.splitlines() if "benefit · coaching-estimates" in line)
    # 9,000 counted of 25,000 estimated a year = 36 %; 9,000 × 5/12 = 3,750 to date.
    assert "per row (effective 36.0%)" in line
    assert "€3,750.00" in line
    assert "100.0%" not in line
