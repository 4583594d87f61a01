"""The HTML report's template, without a browser: escaping, the verdict first, readable rule
names, chart titles above their charts and chart labels that never collide."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date, timedelta
from fnmatch import fnmatch
from html import unescape
from importlib.resources import files
from pathlib import Path

import pytest

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.model import Analysis, PeriodPoint
from roicli.project import load_project
from roicli.render.html import (
    CHAR_WIDTH,
    LABEL_HEIGHT,
    LINE_WIDTH,
    MARGIN_TOP,
    TEMPLATE,
    line_chart,
    render_html,
)
from roicli.render.view import action_lines, rule_label, summary_paragraph, verdict_lines

REPO = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
INTERNAL_ID = re.compile(r"\b(phillips|smart)\.[a-z_]+")
TEXT = re.compile(r'<text class="marker" x="([\d.-]+)" y="([\d.-]+)" text-anchor="(\w+)">([^<]*)<')
POINT = re.compile(r'<circle class="[^"]*" cx="([\d.-]+)" cy="([\d.-]+)"')

Box = tuple[float, float, float, float]  # left, top, right, bottom


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=date(2026, 10, 31))


@pytest.fixture(scope="module", params=list(Lang), ids=lambda lang: lang.value)
def page(request: pytest.FixtureRequest, example: Analysis) -> tuple[Lang, str]:
    lang: Lang = request.param
    return lang, render_html(example, lang=lang)


def _text_of(page: str) -> str:
    """What a reader sees: the body without tags, style or entities."""
    body = page.split("<body>", 1)[1]
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_template_is_package_data() -> None:
    template = files("roicli.render") / "templates" / TEMPLATE
    assert template.is_file()
    globs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["roicli"]
    assert any(fnmatch(f"render/templates/{TEMPLATE}", glob) for glob in globs)


def test_autoescape_holds_for_every_input_text(example: Analysis) -> None:
    renamed = example.programs[0].name
    hostile = replace(
        example,
        programs=(replace(example.programs[0], name=SCRIPT), *example.programs[1:]),
        verdicts=(replace(example.verdicts[0], name=SCRIPT), *example.verdicts[1:]),
        portfolio=replace(
            example.portfolio,
            ranking=tuple(SCRIPT if n == renamed else n for n in example.portfolio.ranking),
        ),
    )
    page = render_html(hostile, lang=Lang.EN)
    assert "<script" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<h2>{escaped}</h2>" in page
    assert f'<li class="outlook outlook-paying_back">{escaped}: paying back' in page
    assert f"<title>{escaped}</title>" in page  # the ROI chart's bar label, in the SVG


def test_the_verdict_comes_first(page: tuple[Lang, str], example: Analysis) -> None:
    lang, html = page
    verdict = html.index('<section class="verdict" id="verdict">')
    portfolio = html.index('<section class="portfolio" id="portfolio">')
    programme = html.index('<section class="programme">')
    assert html.index("</header>") < verdict < portfolio < programme
    block = unescape(html[verdict:portfolio])
    for outlook, line in zip(
        (v.outlook.value for v in example.verdicts), verdict_lines(example, lang), strict=True
    ):
        assert f'<li class="outlook outlook-{outlook}">{line}</li>' in block
    actions = action_lines(example, lang)
    assert actions
    assert block.index('<ol class="actions">') < block.index(actions[0])
    assert f'<p class="in-short">{summary_paragraph(example, lang)}</p>' in block


def test_no_internal_rule_or_finding_id_is_shown(page: tuple[Lang, str], example: Analysis) -> None:
    lang, html = page
    text = _text_of(html)
    assert not INTERNAL_ID.search(text)
    for program in example.programs:
        for finding in program.rules:
            assert rule_label(finding.check, lang) in text


def test_each_chart_title_is_above_its_chart(page: tuple[Lang, str]) -> None:
    _, html = page
    figures = re.findall(r"<figure class=\"chart\">(.*?)</figure>", html, re.DOTALL)
    assert len(figures) == html.count("<svg")
    for figure in figures:
        assert figure.startswith("<figcaption><strong>")
        assert figure.index("</figcaption>") < figure.index("<svg")


def _box(x: float, y: float, anchor: str, label: str) -> Box:
    """A label's box, estimated at CHAR_WIDTH a character and LABEL_HEIGHT above its
    baseline."""
    width = CHAR_WIDTH * len(unescape(label))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - LABEL_HEIGHT, left + width, y


def _meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _assert_labels_clear(svg: str) -> None:
    """The start's and the target's labels: apart, inside the chart, clear of every point."""
    labels = [_box(float(x), float(y), a, label) for x, y, a, label in TEXT.findall(svg)]
    assert 1 <= len(labels) <= 2
    for box in labels:
        left, top, right, _ = box
        assert left >= 0
        assert right <= LINE_WIDTH
        assert top >= 0
        for cx, cy in POINT.findall(svg):
            dot = (float(cx) - 3, float(cy) - 3, float(cx) + 3, float(cy) + 3)
            assert not _meet(box, dot), (box, dot)
    if len(labels) == 2:
        assert not _meet(*labels), labels


def test_the_example_charts_labels_never_collide(page: tuple[Lang, str]) -> None:
    _, html = page
    charts = re.findall(r"<svg.*?</svg>", html, re.DOTALL)[1:]  # after the ROI bars
    assert charts
    for svg in charts:
        _assert_labels_clear(svg)


def _series(values: list[float]) -> list[PeriodPoint]:
    """Monthly points from January 2025."""
    starts = [date(2025 + index // 12, index % 12 + 1, 1) for index in range(len(values))]
    return [
        PeriodPoint(
            period=f"{start:%Y-%m}",
            ordinal=index,
            start=start,
            end=start + timedelta(days=27),
            value=value,
            change=None,
            change_pct=None,
            rolling_mean=None,
            complete=True,
        )
        for index, (start, value) in enumerate(zip(starts, values, strict=True))
    ]


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize(
    ("start", "target"),
    [
        (date(2025, 1, 1), 100.0),  # the start at the left edge, the target at the top
        (date(2025, 7, 1), 40.0),  # the start mid-way, the target at the bottom
        (date(2026, 3, 1), 100.0),  # the start after the data, at the right edge
        (date(2025, 12, 1), 1_234_567.89),  # a long target label
        (date(2025, 12, 1), None),
    ],
)
def test_marker_labels_never_collide(lang: Lang, start: date, target: float | None) -> None:
    values = [40.0, 60.0, 100.0, 98.0, 99.0, 100.0, 55.0, 41.0, 70.0, 100.0, 100.0, 99.5]
    svg = line_chart(_series(values), target, start, "KPI", lang)
    _assert_labels_clear(svg)
    (x, y, anchor, label), *rest = TEXT.findall(svg)
    assert _box(float(x), float(y), anchor, label)[3] < MARGIN_TOP  # above the plot
    for x, _, anchor, _ in rest:  # the target's: right of the plot, past every point
        assert anchor == "start"
        assert float(x) > max(float(cx) for cx, _ in POINT.findall(svg)) + 3
