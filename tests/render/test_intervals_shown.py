"""Every output shows each measured benefit's interval beside it, the programme's ROI interval
and its ROI objective, in both languages (issue 20), from one analysis of the bundled example."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from roicli.cli import app

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "configs" / "roicli.yaml"
AS_OF = "2026-10-31"
ENV = {"COLUMNS": "220", "NO_COLOR": "1"}  # wide enough for no cell to wrap


def report(*args: str) -> str:
    result = CliRunner().invoke(
        app, ["report", "-c", str(CONFIG), "--as-of", AS_OF, "--no-history", *args], env=ENV
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def figures() -> dict[str, object]:
    data: dict[str, object] = json.loads(report("--format", "json", "-q"))
    return data


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    outputs = [f"-o{folder / name}" for name in ("r.xlsx", "r.html", "r.md", "r.csv")]
    report("-q", *outputs)
    report("-q", "--lang", "fr", f"-o{folder / 'fr.md'}", f"-o{folder / 'fr.html'}")
    return folder


def seo(figures: dict[str, object]) -> dict[str, object]:
    programs = figures["programs"]
    assert isinstance(programs, list)
    found: dict[str, object] = programs[0]
    return found


def test_the_dashboard_and_roi_show_the_intervals() -> None:
    dashboard = report()
    assert re.search(r"│ +€2,981.27 │ +€2,120 to €3,842 │", dashboard)
    assert "ROI likely between 9.4% and 25.9% (90% interval); a positive ROI is 99.9% likely" in (
        dashboard
    )
    assert "ROI objective 15.0%: met (71.1% likely to be reached)" in dashboard
    roi = CliRunner().invoke(app, ["roi", "-c", str(CONFIG), "--as-of", AS_OF], env=ENV)
    assert roi.exit_code == 0, roi.output
    assert "likely €2,120 to €3,842" in roi.stdout
    assert "€11,076 to €15,811" in roi.stdout
    assert "ROI if attribution and confidence were × 0.5 · as set · × 1.5: -70.6% · 17.7%" in (
        roi.stdout
    )


def test_the_csv_and_the_workbook_give_the_bounds_as_numbers(
    files: Path, figures: dict[str, object]
) -> None:
    objectives = seo(figures)["objectives"]
    assert isinstance(objectives, list)
    trend = objectives[0]["benefit_range"]
    rows = list(csv.DictReader(io.StringIO((files / "r.csv").read_text(encoding="utf-8"))))
    assert float(rows[0]["Benefit, low end of its interval (EUR)"]) == trend["low"]
    assert float(rows[0]["Benefit, high end of its interval (EUR)"]) == trend["high"]
    assert rows[0]["Interval"] == "reliable"
    assert rows[2]["Benefit, low end of its interval (EUR)"] == ""  # cost-per-lead: none
    sheet = openpyxl.load_workbook(files / "r.xlsx")["Objectives"]
    header = [cell.value for cell in sheet[1]]
    low = header.index("Benefit, low end of its interval")
    high = header.index("Benefit, high end of its interval")
    assert (sheet.cell(2, low + 1).value, sheet.cell(2, high + 1).value) == (
        trend["low"],
        trend["high"],
    )


def test_the_page_and_the_markdown_show_them_in_both_languages(files: Path) -> None:
    for name in ("r.html", "r.md"):
        text = html.unescape((files / name).read_text(encoding="utf-8"))
        assert "€2,120 to €3,842" in text
        assert "ROI likely between 9.4% and 25.9% (90% interval)" in text
        assert "ROI objective 15.0%: met (71.1% likely to be reached)" in text
    for name in ("fr.html", "fr.md"):
        text = html.unescape((files / name).read_text(encoding="utf-8"))
        text = text.replace("\u202f", " ").replace("\xa0", " ")
        assert "2 120 € à 3 842 €" in text
        assert "Objectif de ROI 15,0 % : atteint (probabilité de l'atteindre : 71,1 %)" in text
