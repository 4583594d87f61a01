"""The bundled example's workbook read back with openpyxl: print setup (A4, one page wide, header
rows repeated, the Data sheet left out), the frozen id, integer counts, the Assumptions inputs,
formulas that are only ours, and an Audit sheet in plain words. No LibreOffice needed."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.i18n import t
from roicli.model import Analysis
from roicli.paths import shown_path
from roicli.project import load_project
from roicli.render.excel import SHEET_KEYS, detected_text, workbook_bytes
from roicli.render.tables import OBJECTIVE_COLUMNS, WORDS_ONLY, Tier, columns
from roicli.render.view import action_lines, stale_lines, verdict_lines
from roicli.render.workbook_sheet import INPUT_FILL, INTEGER, NUMBER

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 10, 31)
A4 = 9  # the paper size code of A4 in a workbook's page setup
SINGLE_TABLE = ("sheet.objectives", "sheet.smart")
HOSTILE = '=HYPERLINK("http://x","click")'


@pytest.fixture(scope="module")
def example() -> Analysis:
    """The bundled example as `make report` analyses it."""
    return analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=AS_OF)


def _load(analysis: Analysis, lang: Lang = Lang.EN) -> Any:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(analysis, lang=lang)))


def _sheet(workbook: Any, key: str, lang: Lang = Lang.EN) -> Any:
    return workbook[t(key, lang)]


def _row_of(ws: Any, label: str) -> int:
    """The row whose first cell holds label."""
    return int(next(cell.row for cell in ws["A"] if cell.value == label))


def _texts(ws: Any) -> list[str]:
    return [cell for row in ws.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]


@pytest.mark.parametrize("lang", list(Lang))
def test_every_sheet_prints_on_a4_one_page_wide(example: Analysis, lang: Lang) -> None:
    workbook = _load(example, lang)
    assert workbook.sheetnames == [t(key, lang) for key in SHEET_KEYS]
    for ws in workbook:
        setup = ws.page_setup
        assert int(setup.paperSize) == A4, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth == 1, ws.title
        assert setup.fitToHeight == (1 if ws.title == t("sheet.summary", lang) else 0), ws.title
        assert ws.print_area, ws.title
    assert _sheet(workbook, "sheet.summary", lang).page_setup.orientation == "portrait"
    for key in ("sheet.objectives", "sheet.roi", "sheet.trends"):
        assert _sheet(workbook, key, lang).page_setup.orientation == "landscape", key


def test_header_or_title_rows_repeat_on_every_page(example: Analysis) -> None:
    workbook = _load(example)
    for key in SHEET_KEYS:
        ws = _sheet(workbook, key)
        if key == "sheet.data":
            continue
        assert ws.print_title_rows, key
        first, last = (int(part) for part in ws.print_title_rows.replace("$", "").split(":"))
        assert first == 1, key
        if key in SINGLE_TABLE:  # the table's header row
            assert last == 1
            assert ws["A1"].value == t("col.programme", Lang.EN)
            assert ws["A1"].font.bold
        else:  # the sheet's title, and the line under it if any
            assert last in (1, 2), key
            title = t("report.title", Lang.EN) if key == "sheet.summary" else t(key, Lang.EN)
            assert ws["A1"].value == title


def test_the_data_sheet_is_left_out_of_print(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.data")
    area = ws.print_area.split("!")[-1].replace("$", "")
    assert re.fullmatch(r"[A-Z]+1", area)  # one cell …
    assert ws[area].value is None  # … holding nothing, beside the table
    assert ws[area].column > ws.max_column or ws.cell(row=2, column=ws[area].column).value is None
    assert ws.print_title_rows is None  # no header printed on its own


def test_headings_are_wrapped_across_the_printed_width(example: Analysis) -> None:
    """A long heading wraps inside the print area instead of spilling onto an empty page."""
    ws = _sheet(_load(example), "sheet.trends")
    last = ws.print_area.split(":")[-1].replace("$", "")
    width = openpyxl.utils.cell.coordinate_from_string(last)[0]
    merged = {str(rng) for rng in ws.merged_cells.ranges}
    heading = _row_of(ws, t("heading.charts", Lang.EN))
    assert f"A{heading}:{width}{heading}" in merged
    assert ws.cell(row=heading, column=1).alignment.wrap_text


def test_charts_sit_inside_the_print_area_and_breaks_keep_them_whole(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.trends")
    last = ws.print_area.split(":")[-1].replace("$", "")
    column, row = openpyxl.utils.cell.coordinate_from_string(last)
    last_column = openpyxl.utils.column_index_from_string(column)
    breaks = sorted(item.id for item in ws.row_breaks.brk)
    charts = ws._charts
    assert len(charts) == sum(1 for _, o in example.objectives() if o.kpi and o.series)
    for chart in charts:
        anchor = chart.anchor
        assert anchor.to.col <= last_column
        assert anchor.to.row <= row
        # Rows from 1: the chart covers top to bottom (it ends where row bottom + 1 starts).
        top, bottom = anchor._from.row + 1, anchor.to.row
        assert not any(top <= item < bottom for item in breaks)  # no page break cuts it


def test_objectives_sheet_has_the_objectives_table_with_the_id_frozen(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.objectives")
    shown = [c for c in columns(OBJECTIVE_COLUMNS, Tier.EXPORT) if c.kind not in WORDS_ONLY]
    headers = [cell.value for cell in ws[1]]
    assert headers == [t("col.programme", Lang.EN), *(t(c.key, Lang.EN) for c in shown)]
    assert headers[1:4] == ["ID", "Status", "Benefit"]
    assert ws.freeze_panes == "C2"  # the programme and the id stay in view
    # Printed: the report's columns (through the objective's title); the export's on screen.
    last = ws.print_area.split(":")[-1].replace("$", "")
    printed = openpyxl.utils.column_index_from_string(re.sub(r"\d", "", last))
    assert headers[printed - 1] == t("col.objective", Lang.EN)
    assert all(c.shown(Tier.REPORT) for c in shown[: printed - 1])
    counted = headers.index(t("col.periods_counted", Lang.EN)) + 1
    assert {ws.cell(row=r, column=counted).number_format for r in range(2, ws.max_row + 1)} == {
        INTEGER
    }


def test_counts_are_integers(example: Analysis) -> None:
    workbook = _load(example)
    summary = _sheet(workbook, "sheet.summary")
    for label in ("col.participants", "col.months_counted"):
        row = _row_of(summary, t(label, Lang.EN))
        for column in range(2, 2 + len(example.programs)):
            assert summary.cell(row=row, column=column).number_format == INTEGER, label
    ws = _sheet(workbook, "sheet.assumptions")
    header = _row_of(ws, t("heading.programmes", Lang.EN)) + 1
    for column in (2, 3, 4):  # participants, benefit window, months counted
        assert ws.cell(row=header + 1, column=column).number_format == INTEGER


def test_whole_kpi_values_show_without_decimals(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.objectives")
    headers = [cell.value for cell in ws[1]]
    leads = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "lead-growth")
    current = ws.cell(row=leads, column=headers.index("Current") + 1)
    baseline = ws.cell(row=leads, column=headers.index("Baseline") + 1)
    assert (current.value, current.number_format) == (151, INTEGER)  # 151 leads, not 151.00
    assert baseline.value == pytest.approx(116.333333)
    assert baseline.number_format == NUMBER


def test_the_summary_says_what_a_manager_reads_first(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.summary")
    texts = _texts(ws)
    assert texts[0] == "Training ROI report"
    assert texts[1] == "As of: 31 Oct 2026"
    for line in verdict_lines(example, Lang.EN) + stale_lines(example, Lang.EN):
        assert line in texts
    for number, line in enumerate(action_lines(example, Lang.EN), start=1):
        assert f"{number}. {line}" in texts


def test_summary_money_is_live_and_a_pending_programme_is_too_early(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.summary")
    pending = [index for index, p in enumerate(example.programs) if p.pending]
    assert pending  # the example's micro-learning programme has just started
    for key in ("col.costs", "col.benefits", "col.net_benefit", "col.roi_pct", "col.bcr"):
        row = _row_of(ws, t(key, Lang.EN))
        portfolio = ws.cell(row=row, column=2 + len(example.programs))
        assert portfolio.data_type == "f", key
        for index, program in enumerate(example.programs):
            cell = ws.cell(row=row, column=2 + index)
            if program.pending and key != "col.costs":
                assert (cell.data_type, cell.value) == ("s", t("basis.pending", Lang.EN))
            else:
                assert cell.data_type == "f", key
    costs = ws.cell(row=_row_of(ws, t("col.costs", Lang.EN)), column=2).value
    assert costs.startswith("=SUM('Assumptions'!$H$")


def test_assumptions_mark_their_inputs(example: Analysis) -> None:
    ws = _sheet(_load(example), "sheet.assumptions")
    assert ws["A2"].value == t("wb.inputs", Lang.EN)
    header = _row_of(ws, t("heading.benefits", Lang.EN)) + 1
    names = [cell.value for cell in ws[header]]
    rows = range(header + 1, header + 1 + sum(1 for _, o in example.objectives() if o.benefit))
    measured = [r for r in rows if ws.cell(row=r, column=4).value is not None]
    assert measured
    for row in measured:
        for name in ("col.value_per_unit", "col.attribution", "col.confidence"):
            cell = ws.cell(row=row, column=names.index(t(name, Lang.EN)) + 1)
            assert cell.fill.fgColor.rgb.endswith(INPUT_FILL), name
        benefit = ws.cell(row=row, column=names.index("Benefit") + 1)
        assert benefit.data_type == "f"
        assert not benefit.fill.fgColor.rgb.endswith(INPUT_FILL)
    left_out = [o.id for _, o in example.objectives() if o.benefit is None]
    note = next(text for text in _texts(ws) if text.startswith("Not in the benefits:"))
    assert all(identifier in note for identifier in left_out)


def _formulas(workbook: Any) -> dict[str, list[str]]:
    return {
        ws.title: [cell.value for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
        for ws in workbook
    }


def test_formulas_are_only_ours(example: Analysis) -> None:
    """Formulas sit on the Summary and Assumptions only, made of references, numbers and our
    own words; text from the inputs stays text even when it looks like a formula."""
    program = replace(example.programs[0], name=HOSTILE)
    objectives = tuple(replace(o, id=f"=1+{i}") for i, o in enumerate(program.objectives))
    verdict = replace(example.verdicts[0], name=HOSTILE)
    hostile = replace(
        example, programs=(replace(program, objectives=objectives),), verdicts=(verdict,)
    )
    workbook = _load(hostile)
    found = _formulas(workbook)
    assert {title for title, cells in found.items() if cells} == {"Summary", "Assumptions"}
    na = re.escape(f'"{t("na", Lang.EN)}"')
    for text in (formula for cells in found.values() for formula in cells):
        bare = re.sub(na, "", text.replace("'Assumptions'!", ""))
        assert re.fullmatch(r"=[A-Z0-9$:,()*/+<>=.\-]+", bare), text
    cells = [cell for ws in workbook for row in ws.iter_rows() for cell in row]
    hostile_cells = [cell for cell in cells if cell.value == HOSTILE]
    assert hostile_cells
    assert all(cell.data_type == "s" for cell in hostile_cells)


def test_french_formulas_name_the_french_sheet(example: Analysis) -> None:
    workbook = _load(example, Lang.FR)
    assert "Hypothèses" in workbook.sheetnames
    summary = _formulas(workbook)["Synthèse"]
    assert any("'Hypothèses'!" in formula for formula in summary)
    assert any('"n.d."' in formula for formula in summary)


def test_audit_is_in_plain_words_with_clean_paths(
    example: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    texts = _texts(_sheet(_load(example), "sheet.audit"))
    assert "configs/roicli.yaml" in texts
    assert "sample_data/web_analytics.csv" in texts
    for text in texts:
        assert "/../" not in text
        assert "None" not in text
        assert not re.search(r"\w=", text), text  # no name=value reprs
    assert any(text.startswith("format: csv · encoding: utf-8 · separator: ,") for text in texts)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            Lang.EN,
            "decimal mark: , · thousands separator: narrow no-break space · day before "
            "month: yes · header row: 1,048,576",
        ),
        (
            Lang.FR,
            "séparateur décimal\u00a0: , · séparateur de milliers\u00a0: espace fine "
            "insécable · jour avant le mois\u00a0: oui · "
            "ligne d'en-tête\u00a0: 1\u202f048\u202f576",
        ),
    ],
)
def test_detected_settings_in_words(lang: Lang, expected: str) -> None:
    settings = {
        "decimal": ",",
        "thousands": "\u202f",
        "sheet": None,  # not detected: left out
        "dayfirst": True,
        "header_row": 1048576,
    }
    assert detected_text(settings, lang) == expected


def test_paths_are_relative_and_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, elsewhere, away = tmp_path / "project", tmp_path / "elsewhere", tmp_path / "away"
    configs = project / "configs"
    monkeypatch.chdir(tmp_path)  # the current folder holds the project
    assert shown_path(str(configs / ".." / "data" / "a.csv"), configs) == "project/data/a.csv"
    away.mkdir()
    monkeypatch.chdir(away)  # it does not: relative to the config's folder, else absolute
    assert shown_path(str(configs / "sub" / ".." / "b.csv"), configs) == "b.csv"
    assert shown_path(str(elsewhere / "x" / ".." / "c.csv"), configs).endswith("/elsewhere/c.csv")
    assert shown_path("configs/../sample_data/d.csv", configs) == "sample_data/d.csv"


def test_the_example_workbook_is_deterministic(example: Analysis) -> None:
    assert workbook_bytes(example, lang=Lang.EN) == workbook_bytes(example, lang=Lang.EN)


def test_figures_keep_a_space_on_their_right_and_text_stays_left(example: Analysis) -> None:
    # Printed without gridlines, a right-aligned "55" against the next column's text would read
    # as one number: every figure is right-aligned with an indent, text is not.
    ws = _sheet(_load(example), "sheet.objectives")
    row = ws[2]  # the first objective, under the header row
    figures = [c for c in row if isinstance(c.value, int | float) and not isinstance(c.value, bool)]
    texts = [c for c in row if isinstance(c.value, str) and not c.value.startswith("=")]
    assert figures
    assert texts
    for cell in figures:
        assert (cell.alignment.horizontal, cell.alignment.indent) == ("right", 1), cell.coordinate
    for cell in texts:
        assert (cell.alignment.horizontal, cell.alignment.indent) == (None, 0), cell.coordinate
