"""The real-tool helpers on tiny inputs whose answers are known by hand: Chromium (overflow,
printed pages) and LibreOffice (recalculated values, printed pages)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from selenium.webdriver.remote.webdriver import WebDriver
from tests.browser import overflow, pdf_pages, print_pdf
from tests.office import printed_pages, recalculated

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>t</title>
<style>body {{ margin: 0 }} {style}</style></head>
<body>{body}</body></html>
"""


def html(tmp_path: Path, body: str, style: str = "", name: str = "page.html") -> Path:
    """A minimal HTML page in ``tmp_path``."""
    page = tmp_path / name
    page.write_text(PAGE.format(style=style, body=body), encoding="utf-8")
    return page


def test_a_wide_block_overflows_the_viewport(chromium: WebDriver, tmp_path: Path) -> None:
    page = html(tmp_path, '<div style="width: 3000px; height: 10px"></div>')
    assert overflow(chromium, page, 1280) == (3000, 1280)


def test_a_fluid_page_fits_any_viewport(chromium: WebDriver, tmp_path: Path) -> None:
    page = html(tmp_path, "<p>" + "A short, wrapping paragraph. " * 40 + "</p>")
    assert overflow(chromium, page, 1280) == (1280, 1280)
    assert overflow(chromium, page, 360) == (360, 360)


@pytest.mark.parametrize(("breaks", "pages"), [(0, 1), (3, 4)])
def test_forced_page_breaks_print_one_page_each(
    chromium: WebDriver, tmp_path: Path, breaks: int, pages: int
) -> None:
    sections = ["<section>page</section>"] * (breaks + 1)
    page = html(tmp_path, "".join(sections), "section + section { break-before: page }")
    pdf = print_pdf(chromium, page)
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == pages


def test_three_pages_by_css_page_breaks(chromium: WebDriver, tmp_path: Path) -> None:
    """Three sections, each after a forced break, and nothing before the first: three pages."""
    body = "".join('<div style="break-before: page">part</div>' for _ in range(3))
    assert pdf_pages(print_pdf(chromium, html(tmp_path, body))) == 3


def page_size(pdf: bytes) -> tuple[float, float]:
    """The first page's width and height in inches, to 2 decimals."""
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) / 72, 2), round(float(box.height) / 72, 2)


def test_a4_unless_the_css_sets_the_page_size(chromium: WebDriver, tmp_path: Path) -> None:
    a4 = html(tmp_path, "<p>x</p>", name="a4.html")
    assert page_size(print_pdf(chromium, a4)) == pytest.approx((8.27, 11.69), abs=0.015)
    landscape = html(tmp_path, "<p>x</p>", "@page { size: 8in 5in }", name="landscape.html")
    assert page_size(print_pdf(chromium, landscape)) == (8.0, 5.0)


def product_workbook(path: Path, cached: str | None = None) -> Path:
    """A1=6, B1=7, C1 =A1*B1; openpyxl writes no cached result for C1, or ``cached`` (a stale
    one, patched into the sheet's XML) when given."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Figures"
    sheet["A1"], sheet["B1"], sheet["C1"] = 6, 7, "=A1*B1"
    sheet["A2"], sheet["B2"] = 2.5, "=A2*4+SUM(A1:B1)"
    book.save(path)
    if cached is None:
        return path
    patched = path.with_name("stale.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>A1*B1</f><v />" in data
                data = data.replace(b"<f>A1*B1</f><v />", f"<f>A1*B1</f><v>{cached}</v>".encode())
            out.writestr(item, data)
    stale = openpyxl.load_workbook(patched, data_only=True)
    assert stale["Figures"]["C1"].value == int(cached)
    return patched


def test_libreoffice_computes_formulas_that_have_no_cached_value(
    soffice: Path, tmp_path: Path
) -> None:
    path = product_workbook(tmp_path / "product.xlsx")
    assert openpyxl.load_workbook(path, data_only=True)["Figures"]["C1"].value is None
    values = recalculated(path, soffice=soffice)
    assert values == {"Figures": {"A1": 6, "B1": 7, "C1": 42, "A2": 2.5, "B2": 23}}


def test_libreoffice_recalculates_a_stale_cached_value(soffice: Path, tmp_path: Path) -> None:
    """A cached 999 for =A1*B1 is replaced by 42: formulas are computed on load, not trusted."""
    path = product_workbook(tmp_path / "product.xlsx", cached="999")
    assert recalculated(path, soffice=soffice)["Figures"]["C1"] == 42


@pytest.mark.parametrize("sheets", [1, 2])
def test_each_small_sheet_prints_on_one_page(soffice: Path, tmp_path: Path, sheets: int) -> None:
    book = openpyxl.Workbook()
    for number in range(sheets):
        sheet = book.active if number == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = f"Sheet {number + 1}"
        sheet["A1"] = f"sheet {number + 1}"
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    assert printed_pages(path, soffice=soffice) == sheets
