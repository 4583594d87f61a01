"""The HTML page: self-contained, escaped, charts drawn inline, both languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.html import render_html


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(params=list(Lang))
def page(request: pytest.FixtureRequest, analysis: Analysis) -> str:
    return render_html(analysis, lang=request.param)


def test_no_script_and_no_external_reference(page: str) -> None:
    tags = _tags(page)
    names = {name for name, _ in tags}
    assert "script" not in names
    assert not names & {"link", "img", "iframe", "object", "embed"}
    for _, attributes in tags:
        assert not {"src", "href"} & attributes.keys()
        assert not any(name.startswith("on") for name in attributes)
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert "@import" not in page
    assert "url(" not in page


def test_input_text_is_escaped(page: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Ça &amp; &quot;quotes&quot; — gains estimés" in page
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)" in page
    assert "SEO &amp; content mentoring 2026" in page


def test_charts_are_inline_svg(page: str, analysis: Analysis) -> None:
    kpi_objectives = [o for _, o in analysis.objectives() if o.kpi is not None and o.series]
    assert page.count("<svg") == 1 + len(kpi_objectives)
    assert page.count('class="target"') == len([o for o in kpi_objectives if o.target is not None])
    assert page.count('class="start"') == len(kpi_objectives)
    assert 'class="negative"' not in page  # both known ROIs are positive
    assert "xmlns" not in page


def test_the_missing_period_breaks_the_line(page: str) -> None:
    first_path = re.search(r'<path class="value" d="([^"]+)"', page)
    assert first_path is not None
    assert first_path[1].count("M") == 2  # 2025-12 is missing


def test_printable(page: str) -> None:
    assert "@media print" in page
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")


def test_english_page(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.EN)
    assert '<html lang="en">' in page
    assert "<h1>Training ROI report</h1>" in page
    assert "€235,200.00" in page
    assert "<dt>ROI %</dt><dd>1,534.6%</dd>" in page
    assert "<dt>ROI %</dt><dd>n/a</dd>" in page
    assert "no costs: ROI is n/a" in page
    assert 'class="badge status-on_track" title="the projection meets the target">On track<' in page
    assert "Sensitivity of ROI %" in page
    assert "350.0% / 1,534.6% / 2,400.3%" in page


def test_french_page(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.FR)
    assert '<html lang="fr">' in page
    assert "<h1>Rapport de ROI de la formation</h1>" in page
    assert "235\u202f200,00\u00a0€" in page
    assert ">Hors trajectoire<" in page
    assert ">Pas encore mesurable<" in page
    assert "Règles prudentes de Phillips" in page
