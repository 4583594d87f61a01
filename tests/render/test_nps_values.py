"""An NPS KPI's values are whole numbers wherever a report shows them (36, not 36.36), as the
surveys' NPS are; the figures themselves stay exact (JSON, the workbook's cell values), and
other KPIs keep their decimals."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import openpyxl
import pytest
from rich.console import Console
from tests.render.conftest import objective, point

from roicli.enums import Aggregation, Lang, Level
from roicli.evaluation.chain import Measure, chain
from roicli.model import Analysis, KpiTrend
from roicli.render.excel import workbook_bytes
from roicli.render.html import render_html
from roicli.render.json import to_dict
from roicli.render.markdown import render_markdown
from roicli.render.terminal import render_dashboard
from roicli.rounding import value_decimals

NPS = objective(
    id="recommend-nps",
    kpi="recommend",
    kpi_label="Recommend",
    unit="points",
    level=Level.REACTION,
    aggregation=Aggregation.NPS,
    baseline=12.5,
    target=26.78,
    current=20.28,
    projected=23.61,
    value_per_unit=None,
    benefit=None,
    money=None,
    series=(point("2026-05", 18.44), point("2026-06", 20.28)),
    pre_post=None,
)
# A mean on a five-point scale keeps its decimals.
SATISFACTION = objective(
    id="satisfied",
    kpi="satisfaction",
    kpi_label="Satisfaction",
    unit=None,
    level=Level.REACTION,
    aggregation=Aggregation.MEAN,
    baseline=3.91,
    target=4.5,
    current=4.06,
    projected=4.17,
    value_per_unit=None,
    benefit=None,
    money=None,
    pre_post=None,
)


@pytest.fixture
def with_nps(analysis: Analysis) -> Analysis:
    """The example analysis with an NPS objective and a mean-score objective added to its first
    programme, and the NPS KPI's trend."""
    first = analysis.programs[0]
    program = replace(first, objectives=(*first.objectives, NPS, SATISFACTION))
    trend = KpiTrend(
        key="recommend",
        label="Recommend",
        unit="points",
        direction=NPS.direction,
        aggregation=Aggregation.NPS,
        level=Level.REACTION,
        periods=NPS.series,
        slope_per_period=1.84,
        r2=None,
        note=None,
    )
    return replace(
        analysis, programs=(program, *analysis.programs[1:]), kpis=(*analysis.kpis, trend)
    )


def test_only_an_nps_is_shown_whole() -> None:
    assert value_decimals(Aggregation.NPS) == 0
    assert {value_decimals(a) for a in Aggregation if a is not Aggregation.NPS} == {2}
    assert value_decimals(None) == 2


def test_markdown_shows_the_nps_whole_and_the_mean_with_decimals(with_nps: Analysis) -> None:
    text = render_markdown(with_nps, lang=Lang.EN)
    row = next(line for line in text.splitlines() if line.startswith("| recommend-nps |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert {"20", "27", "13", "24"} <= set(cells)  # current, target, baseline, projected
    assert not re.search(r"20\.28|26\.78|12\.5|23\.61", row)
    mean = next(line for line in text.splitlines() if line.startswith("| satisfied |"))
    assert "4.06" in mean
    assert "3.91" in mean
    kpi_row = next(line for line in text.splitlines() if line.startswith("| recommend |"))
    assert "| 20 |" in kpi_row
    assert "1.84" in kpi_row


def test_the_terminal_shows_the_nps_whole(with_nps: Analysis) -> None:
    out = io.StringIO()
    render_dashboard(Console(file=out, width=200, color_system=None), with_nps, Lang.EN)
    text = out.getvalue()
    row = next(line for line in text.splitlines() if "recommend-nps" in line)
    assert re.search(r"│\s+20\s+│\s+27\s+│", row), row  # the units wrap below
    assert "20.28" not in text
    assert "26.78" not in text
    assert "4.06" in text
    kpi = next(line for line in text.splitlines() if line.startswith("│ Recommend (points)"))
    assert re.search(r"│\s+20\s+│", kpi)
    assert "1.84" in kpi  # the slope keeps its decimals


@pytest.mark.parametrize("lang", list(Lang))
def test_html_shows_the_nps_whole_in_its_table_and_chart(with_nps: Analysis, lang: Lang) -> None:
    html = render_html(with_nps, lang=lang)
    assert "2026-06: 20</title>" in html  # the chart's point
    assert "2026-05: 18</title>" in html
    assert not re.search(r"20[.,]28|26[.,]78|18[.,]44", html)
    assert re.search(r"4[.,]06", html)


def test_the_workbook_keeps_the_exact_nps_under_a_whole_number_format(with_nps: Analysis) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(with_nps, lang=Lang.EN)))
    ws = book["Objectives"]
    cells = _row(ws, "recommend-nps")
    assert cells["Current"].value == 20.28
    assert cells["Current"].number_format == "#,##0"
    assert cells["Target"].value == 26.78
    assert cells["Target"].number_format == "#,##0"
    mean = _row(ws, "satisfied")
    assert mean["Current"].value == 4.06
    assert mean["Current"].number_format != "#,##0"
    trends = book["Trends"]
    kpi = _row(trends, "recommend")
    assert kpi["Last value"].value == 20.28
    assert kpi["Last value"].number_format == "#,##0"


def test_the_json_keeps_the_exact_values(with_nps: Analysis) -> None:
    found = [
        o
        for p in to_dict(with_nps)["programs"]
        for o in p["objectives"]
        if o["id"] == "recommend-nps"
    ]
    assert found[0]["current"] == 20.28
    assert found[0]["target"] == 26.78


def test_the_chain_writes_an_nps_kpi_whole(with_nps: Analysis) -> None:
    steps = chain(with_nps.programs[0], None, hours=None, confidence_level=0.9)
    figures = [f for step in steps for f in step.figures if f.key == "kpi"]
    by_label = {f.label: f for f in figures}
    assert by_label["Recommend"].measure is Measure.WHOLE
    assert by_label["Satisfaction"].measure is Measure.NUMBER


def _row(ws: Any, first: object) -> dict[str, Any]:
    """The cells of the row holding ``first``, keyed by the header above them."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == first:
                header = _header_row(ws, cell.row)
                return {
                    ws.cell(row=header, column=c).value: ws.cell(row=cell.row, column=c)
                    for c in range(1, ws.max_column + 1)
                }
    raise AssertionError(f"{first!r} not found on {ws.title}")


def _header_row(ws: Any, row: int) -> int:
    """The nearest row above ``row`` whose cells are bold: the table's header."""
    for above in range(row - 1, 0, -1):
        if any(cell.font and cell.font.b for cell in ws[above]):
            return above
    raise AssertionError("no header")
