"""The Markdown report: structure, both languages, and escaping of every input text."""

from __future__ import annotations

import re

import pytest
from tests.render.conftest import MENTORING, PROGRAMME, section

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.markdown import md, md_inline, render_markdown

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", r"a \| b"),
        ("two\nlines", "two<br>lines"),
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("*bold* _it_ `code` [link](x) ~s~", r"\*bold\* \_it\_ \`code\` \[link\](x) \~s\~"),
        ("back\\slash", r"back\\slash"),
        ("16.35", "16.35"),
        ("", ""),
    ],
)
def test_inline_escaping(text: str, expected: str) -> None:
    assert md_inline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# not a heading", r"\# not a heading"),
        ("- not a list", r"\- not a list"),
        ("+1+2", r"\+1+2"),
        ("1. not a list", r"1\. not a list"),
        ("> not a quote", r"\> not a quote"),
        ("2026 plan", "2026 plan"),
    ],
)
def test_block_escaping(text: str, expected: str) -> None:
    assert md(text) == expected


def test_tables_keep_their_columns_whatever_the_input(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        widths = {len(UNESCAPED_PIPE.findall(row)) for row in table}
        assert len(widths) <= 1, table
        table = []


def test_hostile_text_is_escaped(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\>" in text
    # A newline from the inputs is shown escaped, as on every surface (render.safety.clean).
    assert r"| cpl | Achievable | Fail | pipe \| and\\nnewline | fix it |" in text
    assert "- \t=1+1" in text


def test_english_report(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    assert text.startswith("# Training ROI report\n")
    assert f"## {PROGRAMME}" in text
    # 235,200 − 12.50 + 1,000 + 3,750 (9,000 a year of estimates × 5/12; NPS, level 1, out).
    assert "| Benefits (isolated) | €239,937.50 |" in text
    assert "€235,200.00" in text
    # (239,937.50 − 15,120) ÷ 15,120 = 1,486.89 %.
    assert "| ROI % | 1,486.9% |" in text
    assert "| ROI % | n/a |" in text
    assert "| Note | no objective can be measured yet: too early to tell, not a loss |" in text
    assert "S✓ M! A✓ R✓ T✓" in text
    assert "1. SEO & content mentoring 2026" in text


def test_french_report(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.FR)
    assert text.startswith("# Rapport de ROI de la formation\n")
    assert f"## {MENTORING}" in text
    assert "En bonne voie" in text
    assert "Pas encore mesurable" in text
    assert "| ROI % | n.d. |" in text
    assert "Date d'arrêté\u00a0: 30 juin 2026" in text


def test_a_pending_programme_has_no_roi_and_says_it_is_too_early(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    pending = section(text, f"## {MENTORING}\n", "\n## ")
    assert "Too early to tell: measurable from 1 Sep 2026" in pending
    assert "| Costs (fully loaded) | €2,400.00 |" in pending
    assert "| Net benefit | n/a |" in pending  # no benefit yet is not a loss of the costs
    assert "| ROI % | n/a |" in pending
    assert "n/a / n/a / n/a" in pending
    assert "Pending (not in the ROI): Mentorat des jeunes talents · costs €2,400.00" in text
    for lang in Lang:
        assert "-100" not in render_markdown(analysis, lang=lang)


def test_stale_data_and_the_verdict_come_first(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    verdict = section(text, "## Does the training pay?\n", "\n## ")
    assert "- Organic sessions: data to 31 May 2026, 1 month behind\n" in verdict
    assert f"- {MENTORING}: too early to tell — measurable from 1 Sep 2026\n" in verdict
    assert "1. Bring Organic sessions up to date: the data end on 31 May 2026" in verdict
    french = render_markdown(analysis, lang=Lang.FR)
    assert "- Organic sessions : données jusqu'au 31 mai 2026, 1 mois de retard" in french


def test_a_level_1_benefit_is_shown_apart_and_estimates_by_their_share(
    analysis: Analysis,
) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    # 3 months × −3 points × €0.80, kept out of the benefits.
    nps = next(line for line in text.splitlines() if line.startswith("| nps |"))
    assert "| not counted (level 1): -€7.20 |" in nps
    # 9,000 counted of 25,000 estimated a year; no 100 % attribution or confidence shown.
    estimates = section(text, "### Participant estimates", "\n### ")
    assert "per row (effective 36.0%)" in estimates
    assert "100.0%" not in estimates
    assert "| 3 | Sales | €5,000.00 | 40.0% | n/a | €0.00 |" in estimates
