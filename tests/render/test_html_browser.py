"""The bundled example's HTML report in headless Chromium, in English and French: no sideways
scrolling on a desktop or a phone, the verdict first, no internal id, no figure broken across
lines, chart titles above their charts with labels apart, and at most 6 A4 pages in print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from selenium.webdriver.remote.webdriver import WebDriver
from tests.browser import overflow, pdf_pages, print_pdf

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.model import Analysis
from roicli.project import load_project
from roicli.render.html import _e as render_html_text
from roicli.render.html import render_html

REPO = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)  # a laptop, a phone
MAX_PAGES = 6
A4_POINTS = (595, 842)  # portrait
A4_CONTENT_WIDTH = 710  # 210 mm less the page's 2 × 11 mm margins, in CSS pixels

# Each figure cell (td.num, a card's figure) whose content is taller than one line.
WRAPPED_FIGURES = """
const wrapped = [];
const figures = document.querySelectorAll('td.num, dd:not(.text)');
for (const cell of figures) {
  const range = document.createRange();
  range.selectNodeContents(cell);  // the content: a cell stretches to its row's height
  const height = range.getBoundingClientRect().height;
  const line = parseFloat(getComputedStyle(cell).lineHeight);
  if (height > 1.6 * line) wrapped.push([cell.textContent, height, line]);
}
return [figures.length, wrapped];
"""

# Per chart: whether its title is above it, and the boxes of its labels and points as drawn.
CHARTS = """
return [...document.querySelectorAll('figure.chart')].map(figure => {
  const svg = figure.querySelector('svg');
  const box = element => {
    const b = element.getBBox();
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  };
  return {
    title_above: figure.querySelector('figcaption').getBoundingClientRect().bottom
      <= svg.getBoundingClientRect().top,
    width: svg.viewBox.baseVal.width,
    labels: [...svg.querySelectorAll('text.marker')].map(box),
    points: [...svg.querySelectorAll('circle')].map(box),
  };
});
"""

INTERNAL_IDS = r"""
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (/\b(phillips|smart)\.[a-z_]+/.test(node.textContent)) found.push(node.textContent);
}
return found;
"""


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=date(2026, 10, 31))


@pytest.fixture(scope="module", params=list(Lang), ids=lambda lang: lang.value)
def report(
    request: pytest.FixtureRequest, example: Analysis, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    lang: Lang = request.param
    path = tmp_path_factory.mktemp("html") / f"report-{lang.value}.html"
    path.write_text(render_html(example, lang=lang), encoding="utf-8")
    return path


@contextmanager
def opened(
    session: WebDriver, page: Path, width: int, media: str = "screen"
) -> Iterator[WebDriver]:
    """The page loaded in a viewport `width` px wide, for screen or print media."""
    session.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    session.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        session.get(page.resolve().as_uri())
        yield session
    finally:
        session.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        session.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _meet(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling(chromium: WebDriver, report: Path, width: int) -> None:
    scroll_width, inner_width = overflow(chromium, report, width)
    assert inner_width == width
    assert scroll_width <= inner_width


def test_nothing_is_cut_off_the_printed_page(chromium: WebDriver, report: Path) -> None:
    with opened(chromium, report, A4_CONTENT_WIDTH, "print") as page:
        scroll_width, inner_width = page.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
    assert scroll_width <= inner_width == A4_CONTENT_WIDTH


def test_prints_on_a4_in_at_most_six_pages(chromium: WebDriver, report: Path) -> None:
    pdf = print_pdf(chromium, report)
    assert 1 <= pdf_pages(pdf) <= MAX_PAGES
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS


def test_the_verdict_comes_before_the_programmes(chromium: WebDriver, report: Path) -> None:
    with opened(chromium, report, WIDTHS[0]) as page:
        order = page.execute_script(
            "const verdict = document.querySelector('section#verdict');"
            "const programme = document.querySelector('section.programme');"
            "return verdict.compareDocumentPosition(programme)"
            " & Node.DOCUMENT_POSITION_FOLLOWING;"
        )
    assert order


def test_no_internal_id_is_shown(chromium: WebDriver, report: Path) -> None:
    with opened(chromium, report, WIDTHS[0]) as page:
        assert page.execute_script(INTERNAL_IDS) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_money_and_numbers_stay_on_one_line(chromium: WebDriver, report: Path, width: int) -> None:
    with opened(chromium, report, width) as page:
        checked, wrapped = page.execute_script(WRAPPED_FIGURES)
    assert checked > 100
    assert wrapped == []


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_titles_are_above_and_labels_apart(
    chromium: WebDriver, report: Path, width: int
) -> None:
    with opened(chromium, report, width) as page:
        charts: list[dict[str, Any]] = page.execute_script(CHARTS)
    assert len(charts) == 7  # the ROI bars and one per KPI objective
    for chart in charts:
        assert chart["title_above"]
        labels = chart["labels"]
        for label in labels:
            assert 0 <= label[0] <= label[2] <= chart["width"]
            assert not any(_meet(label, point) for point in chart["points"])
        assert not any(_meet(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :])


# Per paragraph: each minus sign written before a currency symbol, whether it sits on the line
# of the amount's first character.
MINUS_ON_ITS_LINE = r"""
const found = [];
for (const paragraph of document.querySelectorAll('p')) {
  const node = paragraph.firstChild;
  for (const match of node.textContent.matchAll(/-\u2060?€/g)) {
    const top = offset => {
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      return range.getClientRects()[0].top;
    };
    found.push(top(match.index) === top(match.index + match[0].length - 1));
  }
}
return found;
"""


def test_a_minus_sign_stays_on_the_line_of_its_amount(chromium: WebDriver, tmp_path: Path) -> None:
    """ "-€4,020.00" broken after the "-" would read as a gain on the next line: at every width
    from 60 to 400 px, the sign stays with the amount."""
    text = render_html_text("benefits -€4,020.00 to date; net -€410.00 per participant. " * 3)
    page = tmp_path / "minus.html"
    paragraphs = "".join(f'<p style="width:{width}px">{text}</p>' for width in range(60, 401, 3))
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><body style="font:16px sans-serif">{paragraphs}',
        encoding="utf-8",
    )
    with opened(chromium, page, WIDTHS[0]) as session:
        found: list[bool] = session.execute_script(MINUS_ON_ITS_LINE)
    assert len(found) == 6 * len(range(60, 401, 3))
    assert all(found)
