"""The bundled example's workbook as LibreOffice computes and prints it.

Every formula on the Summary and the Assumptions sheet equals the analysis's figure to the cent;
changing a value per unit (and turning a gain into a loss) moves the ROI by the amount worked
out by hand; the workbook prints on at most 12 A4 pages, and the Data sheet is not among them.

The workbook's formulas compute each amount unrounded. The JSON apportions money so that rows
add up to their total to the cent (a programme's benefits to the portfolio's, an objective's to
its programme's, cost lines to the costs), so a row there may differ by a cent from its own
rounding: rows are compared with the analysis's unrounded figure (to a millionth, which is to the
cent), and costs, net benefits and ratios with the JSON. A half cent is shown alike: cost-per-lead's
benefit is 44.87 × 150 × 0.5 × 0.7 = 2,355.675, which the analysis's float sum holds as
2,355.6749999999984 and a spreadsheet's 15 digits as 2,355.675; roicli rounds to those 15 digits
first, so both show €2,355.68.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from tests.office import convert, recalculated

from roicli.analysis import analyse
from roicli.enums import Isolation, Lang
from roicli.i18n import t
from roicli.model import Analysis, ObjectiveResult
from roicli.project import load_project
from roicli.render.excel import workbook_bytes
from roicli.render.json import to_dict
from roicli.rounding import money

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 10, 31)
MAX_PAGES = 12
A4 = (595, 842)  # points, either way up
EN = Lang.EN


@pytest.fixture(scope="module")
def example() -> Analysis:
    """The bundled example as `make report` analyses it."""
    return analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=AS_OF)


@pytest.fixture(scope="module")
def written(example: Analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workbook") / "roi-report.xlsx"
    path.write_bytes(workbook_bytes(example, lang=EN))
    return path


@pytest.fixture(scope="module")
def computed(written: Path, soffice: Path) -> dict[str, dict[str, object]]:
    """Every cell's value once LibreOffice has computed the formulas."""
    return recalculated(written, soffice=soffice)


def _cents(value: object) -> float:
    assert isinstance(value, int | float), value
    return float(money(value))


def _unrounded(value: object, expected: float) -> None:
    """The same amount as the analysis's, to a millionth (so to the cent)."""
    assert value == pytest.approx(expected, abs=1e-6)


def _row_of(ws: Any, label: str) -> int:
    """The row whose first cell holds label."""
    return int(next(cell.row for cell in ws["A"] if cell.value == label))


@dataclass(frozen=True)
class _Assumptions:
    """Where the example's rows sit on the Assumptions sheet, read from its headings."""

    costs: list[int]
    estimates: list[int]
    benefits: list[int]
    columns: dict[str, dict[str, str]]  # table → header → column letter


def _table_rows(ws: Any, heading: str) -> tuple[list[int], dict[str, str]]:
    """The data rows under a heading's table, and its columns by header."""
    header = _row_of(ws, heading) + 1
    columns = {cell.value: cell.column_letter for cell in ws[header] if cell.value}
    rows = []
    row = header + 1
    while ws.cell(row=row, column=1).value is not None:
        rows.append(row)
        row += 1
    return rows, columns


def _assumptions(ws: Any) -> _Assumptions:
    tables = {
        key: _table_rows(ws, t(key, EN))
        for key in ("heading.costs", "heading.estimates", "heading.benefits")
    }
    return _Assumptions(
        costs=tables["heading.costs"][0],
        estimates=tables["heading.estimates"][0],
        benefits=tables["heading.benefits"][0],
        columns={key: columns for key, (_, columns) in tables.items()},
    )


def _counted(example: Analysis) -> list[ObjectiveResult]:
    return [objective for _, objective in example.objectives() if objective.benefit is not None]


def test_every_formula_equals_the_analysis_to_the_cent(
    example: Analysis, written: Path, computed: dict[str, dict[str, object]]
) -> None:
    workbook = openpyxl.load_workbook(written)
    formulas = {
        (ws.title, cell.coordinate)
        for ws in workbook
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    checked: set[tuple[str, str]] = set()

    def value(sheet: str, coordinate: str) -> object:
        checked.add((sheet, coordinate))
        return computed[sheet][coordinate]

    data = to_dict(example)
    summary = workbook["Summary"]
    rows = {key: _row_of(summary, t(key, EN)) for key in _SUMMARY_ROWS}
    columns = [*example.programs, None]  # each programme, then the portfolio
    for index, program in enumerate(columns):
        letter = openpyxl.utils.get_column_letter(index + 2)
        cell = {key: f"{letter}{row}" for key, row in rows.items()}
        figures = data["portfolio"] if program is None else data["programs"][index]
        costs = figures["costs"] if program is None else figures["costs"]["total"]
        assert _cents(value("Summary", cell["col.costs"])) == costs
        if program is not None:
            assert value("Summary", cell["col.participants"]) == program.participants
        if program is not None and program.pending:
            for key in _SUMMARY_ROWS[2:]:
                assert summary[cell[key]].value == t("basis.pending", EN)
            continue
        raw = example.portfolio.figures if program is None else program.figures
        _unrounded(value("Summary", cell["col.benefits"]), raw.benefits)
        assert _cents(value("Summary", cell["col.net_benefit"])) == figures["net_benefit"]
        roi = value("Summary", cell["col.roi_pct"])
        assert isinstance(roi, float)
        assert roi * 100 == pytest.approx(figures["roi_pct"], abs=1e-6)
        for key, name in (
            ("col.bcr", "bcr"),
            ("col.payback", "payback_months"),
            ("col.break_even", "break_even_factor"),
        ):
            assert value("Summary", cell[key]) == pytest.approx(figures[name], abs=1e-6), key

    ws = workbook["Assumptions"]
    found = _assumptions(ws)
    costs = found.columns["heading.costs"]
    items = [
        (program, item)
        for program, source in zip(example.programs, data["programs"], strict=True)
        for item in source["costs"]["items"]
    ]
    assert len(found.costs) == len(items)
    for row, (program, item) in zip(found.costs, items, strict=True):
        amount = f"{costs['Amount']}{row}"
        if ws[amount].data_type == "f":
            assert _cents(value("Assumptions", amount)) == item["amount"], item["item"]
        heads = f"{costs['Participants']}{row}"
        if ws[heads].data_type == "f":
            assert value("Assumptions", heads) == program.participants
    adjusted = found.columns["heading.estimates"]["Adjusted value"]
    rows_read = [row for o in _counted(example) for row in o.estimates]
    for row, estimate in zip(found.estimates, rows_read, strict=True):
        _unrounded(value("Assumptions", f"{adjusted}{row}"), estimate.adjusted)
    benefits = found.columns["heading.benefits"]
    for row, objective in zip(found.benefits, _counted(example), strict=True):
        assert objective.benefit is not None
        assert objective.money is not None
        assert ws[f"{benefits['ID']}{row}"].value == objective.id
        _unrounded(value("Assumptions", f"{benefits['Benefit']}{row}"), objective.benefit)
        monthly = value("Assumptions", f"{benefits['Monthly benefit']}{row}")
        _unrounded(monthly, objective.money.monthly)

    assert checked == formulas  # every formula of the workbook was compared


_SUMMARY_ROWS = (
    "col.participants",
    "col.costs",
    "col.benefits",
    "col.net_benefit",
    "col.roi_pct",
    "col.bcr",
    "col.payback",
    "col.break_even",
)


def test_changing_an_input_moves_the_roi_by_the_hand_worked_amount(
    example: Analysis, written: Path, computed: dict[str, dict[str, object]], soffice: Path
) -> None:
    """seo-traffic's value per unit doubled (0.35 → 0.70 a session), and cost-per-lead's total
    improvement set to −10 (a loss, counted in full: −10 × 150 = −1,500, attribution and
    confidence left out)."""
    workbook = openpyxl.load_workbook(written)
    ws = workbook["Assumptions"]
    found = _assumptions(ws)
    columns = found.columns["heading.benefits"]
    by_id = {ws[f"{columns['ID']}{row}"].value: row for row in found.benefits}
    seo, cpl = (
        next(o for _, o in example.objectives() if o.id == key)
        for key in ("seo-traffic", "cost-per-lead")
    )
    assert seo.isolation is not Isolation.ESTIMATES
    assert (seo.value_per_unit, seo.attribution, seo.confidence) == (0.35, 0.6, 0.8)
    assert (cpl.value_per_unit, cpl.attribution, cpl.confidence) == (150, 0.5, 0.7)
    value_cell = f"{columns['Value per unit']}{by_id['seo-traffic']}"
    improvement_cell = f"{columns['Improvement (months counted)']}{by_id['cost-per-lead']}"
    assert ws[value_cell].value == 0.35
    ws[value_cell] = 0.70
    ws[improvement_cell] = -10
    changed = written.with_name("changed.xlsx")
    buffer = io.BytesIO()
    workbook.save(buffer)
    changed.write_bytes(buffer.getvalue())
    after = recalculated(changed, soffice=soffice)

    program = example.programs[0]
    assert not program.pending
    improvement = sum(step.improvement for step in seo.improvements)  # 17,745.65 sessions
    gained = improvement * (0.70 - 0.35) * 0.6 * 0.8  # 2,981.27 more
    assert seo.benefit is not None
    assert cpl.benefit is not None
    lost = -10 * 150 - cpl.benefit  # −1,500 instead of +2,355.68
    costs = program.figures.costs  # 30,460.00
    roi_before = (program.figures.benefits - costs) / costs
    roi_after = (program.figures.benefits + gained + lost - costs) / costs
    benefit = f"{columns['Benefit']}{by_id['cost-per-lead']}"
    assert after["Assumptions"][benefit] == pytest.approx(-1500)
    summary = workbook["Summary"]
    roi_row = _row_of(summary, t("col.roi_pct", EN))
    for letter in ("B", openpyxl.utils.get_column_letter(len(example.programs) + 2)):
        cell = f"{letter}{roi_row}"  # the programme, then the portfolio (its only measured one)
        assert computed["Summary"][cell] == pytest.approx(roi_before, abs=1e-12)
        assert after["Summary"][cell] == pytest.approx(roi_after, abs=1e-12)
    # (35,850.54 + 2,981.27 − 3,855.67 − 30,460.00) ÷ 30,460.00: 17.7 % → 14.8 %
    assert round((roi_after - roi_before) * 100, 2) == round((gained + lost) / costs * 100, 2)


@pytest.fixture(scope="module")
def printed(written: Path, soffice: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The workbook printed to PDF by LibreOffice."""
    pdf = convert(written, "pdf", tmp_path_factory.mktemp("pdf"), soffice=soffice)
    return PdfReader(pdf)


def test_the_workbook_prints_on_at_most_12_a4_pages(printed: Any) -> None:
    assert 1 <= len(printed.pages) <= MAX_PAGES
    for page in printed.pages:
        size = sorted(round(float(side)) for side in (page.mediabox.width, page.mediabox.height))
        assert tuple(size) == A4


def test_the_data_sheet_is_not_printed(written: Path, printed: Any) -> None:
    text = "\n".join(page.extract_text() for page in printed.pages)
    workbook = openpyxl.load_workbook(written)
    cells = {
        ws.title: {str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None}
        for ws in workbook
    }
    others = "\n".join(v for title, values in cells.items() if title != "Data" for v in values)
    only_data = {value for value in cells["Data"] if len(value) > 3 and value not in others}
    assert {"Rolling mean", "all groups"} <= only_data
    assert not [value for value in only_data if value in text]
    # The text was read: each printed sheet's title or header shows.
    for shown in ("Training ROI report", "Assumptions", "Suggested fix", "Trends", "Audit"):
        assert shown in text
