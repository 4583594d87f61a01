"""The HTML page: self-contained, escaped, charts drawn inline, both languages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from tests.render.conftest import MENTORING, PROGRAMME, section

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
    assert 'class="negative"' not in page  # the one known ROI is positive; pending has none
    assert "xmlns" not in page


def test_the_missing_period_breaks_the_line(page: str) -> None:
    first_path = re.search(r'<path class="value" d="([^"]+)"', page)
    assert first_path is not None
    assert first_path[1].count("M") == 2  # 2025-12 is missing


def test_printable(page: str) -> None:
    assert "@media print" in page
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")


def _pair(name: str, value: str) -> re.Pattern[str]:
    """A figure beside its name in a card, whatever the value's styling."""
    return re.compile(rf"<dt>{re.escape(name)}</dt><dd[^>]*>{re.escape(value)}</dd>")


def test_english_page(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.EN)
    assert '<html lang="en">' in page
    assert "<h1>Training ROI report</h1>" in page
    assert "€235,200.00" in page
    # (239,937.50 − 15,120) ÷ 15,120 = 1,486.89 %: money to date, NPS (level 1) left out.
    assert _pair("ROI %", "1,486.9%").search(page)
    assert _pair("ROI %", "n/a").search(page)
    assert "no objective can be measured yet: too early to tell, not a loss" in page
    assert 'class="badge status-on_track" title="the projection meets the target">On track<' in page
    assert "ROI % if attribution and confidence were × 0.5 / as set / × 1.5" in page
    # a × c halved and × 1.5 (capped): 59,975 and 449,112.50 against 15,120 of costs.
    assert "296.7% / 1,486.9% / 2,870.3%" in page


def test_french_page(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.FR)
    assert '<html lang="fr">' in page
    assert "<h1>Rapport de ROI de la formation</h1>" in page
    assert "235\u202f200,00\u00a0€" in page
    assert ">Hors trajectoire<" in page
    assert ">Pas encore mesurable<" in page
    assert "<h3>Règles de Phillips et contrôles de la collecte des données</h3>" in page


def test_a_pending_programme_has_no_roi_and_says_it_is_too_early(page: str) -> None:
    assert "-100" not in page
    chart = section(page, "<svg", "</svg>")  # the ROI chart comes first
    assert chart.count("<rect") == 1  # a bar for the measured programme only


def test_the_pending_programme_in_english(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.EN)
    heading = re.search(rf"<h[23]>{MENTORING}</h[23]>", page)  # its card's heading
    assert heading is not None
    programme = section(page, heading[0], "</dl>")
    assert "Too early to tell: measurable from 1 Sep 2026" in programme
    assert _pair("ROI %", "n/a").search(programme)
    assert _pair("Net benefit", "n/a").search(programme)  # not −€2,400.00: not a loss
    assert "Pending (not in the ROI): Mentorat des jeunes talents · costs €2,400.00" in page
    assert ">too early to tell</text>" in section(page, "<svg", "</svg>")


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (Lang.EN, ">Organic sessions: data to 31 May 2026, 1 month behind<"),
        (Lang.FR, ">Organic sessions : données jusqu&#x27;au 31 mai 2026, 1 mois de retard<"),
    ],
)
def test_stale_data_show_before_the_programmes(analysis: Analysis, lang: Lang, line: str) -> None:
    page = render_html(analysis, lang=lang)
    assert page.count(line) == 1
    assert page.index(line) < page.index(f"<h2>{html.escape(PROGRAMME)}</h2>")


def test_a_level_1_benefit_is_apart_and_estimates_show_their_share(analysis: Analysis) -> None:
    page = render_html(analysis, lang=Lang.EN)
    assert ">not counted (level 1): -\u2060€7.20<" in page  # 3 × −3 points × €0.80
    estimates = section(page, "<h3>Participant estimates", "</table>")
    assert "per row (effective 36.0%)" in estimates  # 9,000 of 25,000 a year
    assert "100.0%" not in estimates
