"""LibreOffice for the tests: the values a spreadsheet program computes for a workbook, and how
many pages the workbook prints.

``soffice --headless --convert-to`` runs in a fresh user profile per call. LibreOffice keeps the
cached results of an .xlsx on load unless told otherwise, so that profile sets "recalculate on
load: always" for OOXML and ODF files: every formula is then computed by LibreOffice itself.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import openpyxl
from pypdf import PdfReader

SOFFICE = Path("/usr/bin/soffice")
TIMEOUT = 180  # seconds for one conversion, profile creation included

# org.openoffice.Office.Calc/Formula/Load: 0 always recalculate, 1 never, 2 ask.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def convert(workbook: Path, to: str, outdir: Path, *, soffice: Path = SOFFICE) -> Path:
    """``workbook`` converted by LibreOffice (formulas recalculated on load) into ``outdir``,
    as ``to`` ("xlsx", "pdf", ...); the converted file's path."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="roicli-soffice-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
        done = subprocess.run(
            [
                str(soffice),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                str(workbook),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    target = outdir / f"{workbook.stem}.{to.split(':')[0]}"
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(
            f"soffice could not convert {workbook} to {to} (exit {done.returncode}): "
            f"{done.stdout.strip()} {done.stderr.strip()}"
        )
    return target


def recalculated(workbook: Path, *, soffice: Path = SOFFICE) -> dict[str, dict[str, object]]:
    """Every non-empty cell's value once LibreOffice has computed the workbook's formulas:
    {sheet title: {"A1": value}}."""
    with tempfile.TemporaryDirectory(prefix="roicli-recalc-") as outdir:
        computed = convert(workbook, "xlsx", Path(outdir), soffice=soffice)
        book = openpyxl.load_workbook(computed, data_only=True)
        try:
            return {
                sheet.title: {
                    cell.coordinate: cell.value
                    for row in sheet.iter_rows()
                    for cell in row
                    if cell.value is not None
                }
                for sheet in book.worksheets
            }
        finally:
            book.close()


def printed_pages(workbook: Path, *, soffice: Path = SOFFICE) -> int:
    """The number of pages LibreOffice prints the workbook on (every sheet, its page setup)."""
    with tempfile.TemporaryDirectory(prefix="roicli-pdf-") as outdir:
        pdf = convert(workbook, "pdf", Path(outdir), soffice=soffice)
        return len(PdfReader(pdf).pages)
