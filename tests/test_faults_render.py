"""Hostile names on every surface: escape sequences in groups from the data, a control character
in a KPI label, a right-to-left override in a programme's name.

The terminal must not receive ESC from the data, the page no bidirectional control, and the
workbook must load, its chart titles clean: ``render.safety.clean`` shows each one escaped.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from roicli.cli import app
from roicli.enums import Lang
from roicli.messages import Msg
from roicli.render.safety import clean, clean_labels

AS_OF = "2026-10-31"
RLO = "\u202e"
runner = CliRunner()

CONFIG = """\
version: 1
sources:
  - path: data.csv
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
kpis:
  leads:
    label: "Le\\x01ads"
    level: impact
program:
  name: "Demo \\u202e0001"
  start: 2026-01-01
  costs:
    - {item: Licences, amount: 1000}
  objectives:
    - id: leads
      title: Increase leads by 20%
      kpi: leads
      group: "A\\e[31m"
      isolation: control
      control_group: "B\\e[2J"
      baseline: {value: 10}
      target: {change: "+20%"}
      deadline: 2026-12-31
      value_per_unit: 10
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project whose groups (in the data and the config) hold ESC sequences."""
    rows = ["Date,Team,Metric,Value"]
    for year in (2025, 2026):
        for month in range(1, 13):
            rows += [f"{year}-{month:02d}-15,A\x1b[31m,leads,{month}"]
            rows += [f"{year}-{month:02d}-15,B\x1b[2J,leads,{month + 1}"]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "roicli.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_clean_escapes_controls_and_bidi_and_keeps_letters() -> None:
    text = "\tLe\x01ads\n\x1b[31m \u202e1 \u2066x\u2069 \u200f \x9b \udc80 é € 😀 a\u00a0b"
    assert clean(text) == (
        "\tLe\\x01ads\\n\\x1b[31m \\u202e1 \\u2066x\\u2069 \\u200f \\x9b \\udc80 é € 😀 a\u00a0b"
    )
    assert clean("Organic sessions") == "Organic sessions"


def test_clean_labels_keeps_messages_in_every_language() -> None:
    message = Msg("hint.did_you_mean", word="A\x1b[2J")
    cleaned = clean_labels((message, "B\x1b", 3, None))
    assert isinstance(cleaned[0], Msg)
    assert cleaned[0].text(Lang.FR) == Msg("hint.did_you_mean", word="A\\x1b[2J").text(Lang.FR)
    assert cleaned[1:] == ("B\\x1b", 3, None)
    untouched = (Msg("hint.did_you_mean", word="B"), "B")
    assert clean_labels(untouched) is untouched


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("check",), "Demo \\u202e0001"),
        (("roi",), "Demo \\u202e0001"),
        (("report",), "A\\x1b[31m"),
        (("trend", "--by", "group"), "B\\x1b[2J"),
    ],
)
def test_the_terminal_gets_no_control_character_from_the_inputs(
    hostile: Path, args: tuple[str, ...], shown: str
) -> None:
    result = invoke(*args, "-c", str(hostile), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert shown in result.stdout
    assert not re.search("[\x00-\x09\x0b-\x1f\u202a-\u202e\u2066-\u2069]", result.stdout)


def test_the_trend_by_group_shows_the_groups_escaped(hostile: Path) -> None:
    result = invoke("trend", "--by", "group", "-c", str(hostile), "--as-of", AS_OF)
    assert re.search(r"│ A\\x1b\[31m +│ Trained", result.stdout)
    assert re.search(r"│ B\\x1b\[2J +│ Control", result.stdout)


def test_the_dashboard_shows_the_name_escaped(hostile: Path) -> None:
    result = invoke("report", "-c", str(hostile), "--as-of", AS_OF)
    assert "Demo \\u202e0001" in result.stdout


def test_the_page_has_no_bidi_control(hostile: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = invoke("report", "-q", "-c", str(hostile), "--as-of", AS_OF, "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]", html)
    assert "Demo \\u202e0001" in html
    assert "Le\\x01ads" in html
    assert "A\\x1b[31m" in html


def test_the_markdown_has_no_control_and_shows_the_names_escaped(
    hostile: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.md"
    result = invoke("report", "-q", "-c", str(hostile), "--as-of", AS_OF, "-o", str(report))
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x09\x0b-\x1f\u202a-\u202e\u2066-\u2069]", text)
    assert "Demo \\\\u202e0001" in text  # the backslash itself escaped for Markdown
    assert "A\\\\x1b\\[31m" in text


def test_the_workbook_loads_and_its_chart_titles_are_clean(hostile: Path, tmp_path: Path) -> None:
    book = tmp_path / "report.xlsx"
    result = invoke("report", "-q", "-c", str(hostile), "--as-of", AS_OF, "-o", str(book))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(book)
    names = [cell.value for row in workbook["Objectives"].iter_rows() for cell in row]
    assert any(isinstance(name, str) and "Demo \\u202e0001" in name for name in names)
    with zipfile.ZipFile(book) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        titles = "".join(archive.read(name).decode("utf-8") for name in charts)
        text = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    assert charts
    assert "Le\\x01ads" in titles
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]", text)


def test_a_name_in_brackets_is_text_not_markup(hostile: Path) -> None:
    config = hostile.read_text(encoding="utf-8").replace('"Demo \\u202e0001"', '"[/] [bold]x"')
    hostile.write_text(config, encoding="utf-8")
    result = invoke("report", "-c", str(hostile), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "╭─ [/] [bold]x ─" in result.stdout
