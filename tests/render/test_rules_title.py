"""The table of Phillips' rules also lists the data-collection checks: its title says both, in
every output and both languages."""

from __future__ import annotations

import html
import io

import pytest
from rich.console import Console

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.excel import build_workbook
from roicli.render.html import render_html
from roicli.render.markdown import render_markdown
from roicli.render.terminal import render_check, render_dashboard

TITLES = {
    Lang.EN: "Phillips' rules and data-collection checks",
    Lang.FR: "Règles de Phillips et contrôles de la collecte des données",
}


def _terminal(analysis: Analysis, lang: Lang) -> str:
    out = io.StringIO()
    console = Console(file=out, width=160, color_system=None, highlight=False)
    render_dashboard(console, analysis, lang)
    render_check(console, analysis, lang)
    return out.getvalue()


def _workbook(analysis: Analysis, lang: Lang) -> str:
    return "\n".join(
        str(cell)
        for sheet in build_workbook(analysis, lang=lang).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


@pytest.mark.parametrize("lang", list(Lang))
def test_the_rules_table_is_titled_with_the_checks(analysis: Analysis, lang: Lang) -> None:
    title = TITLES[lang]
    outputs = {
        "terminal": _terminal(analysis, lang),
        "markdown": render_markdown(analysis, lang=lang),
        "html": html.unescape(render_html(analysis, lang=lang)),
        "workbook": _workbook(analysis, lang),
    }
    for name, text in outputs.items():
        assert title in text, name
    assert f"### {title}" in outputs["markdown"]
    assert f"<h3>{title}</h3>" in outputs["html"]
