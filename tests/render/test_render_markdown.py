"""The Markdown report: structure, both languages, and escaping of every input text."""

from __future__ import annotations

import re

import pytest
from tests.render.conftest import MENTORING, PROGRAMME

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
    assert r"| cpl | Achievable | Fail | pipe \| and<br>newline | fix it |" in text
    assert "- \t=1+1" in text


def test_english_report(analysis: Analysis) -> None:
    text = render_markdown(analysis, lang=Lang.EN)
    assert text.startswith("# Training ROI report\n")
    assert f"## {PROGRAMME}" in text
    assert "| Benefits | €247,187.50 |" in text
    assert "€235,200.00" in text
    assert "| ROI % | n/a |" in text
    assert "| Note | no costs: ROI is n/a |" in text
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
