"""Scale: many groups, many objectives. The mechanisms that keep a large run to seconds.

A cohort holds the objective's own group and its control group (all groups only when a KPI has
few); the workbook's Data sheet and charts are bounded, the rest counted in a note; a config
holds at most 200 programmes and 2,000 objectives.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from roicli.analysis import MAX_COHORT_GROUPS, analyse
from roicli.cli import app
from roicli.config import MAX_OBJECTIVES, MAX_PROGRAMS
from roicli.project import load_project
from roicli.render import excel

AS_OF = "2026-10-31"
runner = CliRunner()

HEAD = """\
version: 1
sources:
  - path: data.parquet
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
kpis:
  leads: {label: Leads}
programs:
"""


def write_data(folder: Path, rows: int, groups: int) -> None:
    """``rows`` rows of one KPI over 2025-01 to 2026-10, spread over ``groups`` groups G0…"""
    rng = np.random.default_rng(0)
    days = np.datetime64("2025-01-01") + rng.integers(0, 669, rows).astype("timedelta64[D]")
    names = np.array([f"G{i}" for i in range(groups)])
    table = pa.table(
        {
            "Date": days,
            "Team": names[rng.integers(0, groups, rows)],
            "Metric": np.full(rows, "leads"),
            "Value": rng.integers(0, 10, rows).astype(np.float64),
        }
    )
    pq.write_table(table, folder / "data.parquet")


def programme(index: int, objectives: int, groups: int) -> str:
    """A programme whose objectives each compare a group with the next one."""
    lines = [f"  - name: P{index}", "    start: 2026-01-01", "    objectives:"]
    for number in range(objectives):
        group = (index * objectives + number) % groups
        lines.append(
            f"      - {{id: o{number}, title: Increase leads, kpi: leads, group: G{group}, "
            f"isolation: control, control_group: G{(group + 1) % groups}, "
            "target: {change: '+20%'}, deadline: 2026-12-31, value_per_unit: 5}"
        )
    return "\n".join(lines) + "\n"


def write_config(folder: Path, programmes: int, objectives: int, groups: int) -> Path:
    path = folder / "roicli.yaml"
    body = "".join(programme(i, objectives, groups) for i in range(programmes))
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_cohorts_hold_only_the_objectives_groups(tmp_path: Path) -> None:
    write_data(tmp_path, rows=200_000, groups=50_000)
    config = write_config(tmp_path, programmes=1, objectives=2, groups=50_000)
    analysis = analyse(load_project(config), as_of=date(2026, 10, 31))
    found = [[(group.group, group.role) for group in cohort.groups] for cohort in analysis.cohorts]
    assert found == [[("G0", "trained"), ("G1", "control")], [("G1", "trained"), ("G2", "control")]]


def test_a_kpi_with_few_groups_shows_them_all(tmp_path: Path) -> None:
    write_data(tmp_path, rows=2_000, groups=MAX_COHORT_GROUPS)
    config = write_config(tmp_path, programmes=1, objectives=1, groups=MAX_COHORT_GROUPS)
    analysis = analyse(load_project(config), as_of=date(2026, 10, 31))
    (cohort,) = analysis.cohorts
    roles = [group.role for group in cohort.groups]
    assert roles.count("other") == MAX_COHORT_GROUPS - 2
    assert {"trained", "control"} <= set(roles)


def test_the_data_sheet_and_the_charts_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel, "MAX_DATA_ROWS", 50)
    monkeypatch.setattr(excel, "MAX_CHARTS", 2)
    write_data(tmp_path, rows=5_000, groups=20)
    config = write_config(tmp_path, programmes=2, objectives=3, groups=20)
    book = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["report", "-q", "-c", str(config), "--as-of", AS_OF, "-o", str(book)]
    )
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(book)
    data = workbook["Data"]
    periods = [row[4] for row in data.iter_rows(min_row=2, values_only=True) if row[4]]
    assert len(periods) == 50
    # 22 months for all groups, 6 objectives × 22, 6 cohorts × 2 groups × 22: 418 rows.
    assert data.cell(data.max_row, 1).value == (
        "The first 50 rows are listed; 368 more are not (the JSON report holds every period)."
    )
    trends = [cell.value for row in workbook["Trends"].iter_rows() for cell in row]
    assert (
        "The first 2 objectives are charted; 4 more are not (the JSON report holds their "
        "periods)." in trends
    )
    with zipfile.ZipFile(book) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1 + 2  # the Summary's ROI chart, then two objectives' lines


def test_at_most_200_programmes(tmp_path: Path) -> None:
    write_data(tmp_path, rows=100, groups=3)
    config = write_config(tmp_path, programmes=MAX_PROGRAMS + 1, objectives=1, groups=3)
    result = runner.invoke(app, ["check", "-q", "-c", str(config), "--as-of", AS_OF])
    assert result.exit_code == 2
    line = 7 + 4 * MAX_PROGRAMS + 1
    assert result.stderr.splitlines() == [
        f"roicli: error: {config}:{line}: programs[200]: more than 200 programmes "
        "(split the programmes across several configs, one report each)"
    ]


def test_at_most_2000_objectives(tmp_path: Path) -> None:
    write_data(tmp_path, rows=100, groups=3)
    config = write_config(tmp_path, programmes=3, objectives=MAX_OBJECTIVES // 2, groups=3)
    result = runner.invoke(app, ["check", "-q", "-c", str(config), "--as-of", AS_OF])
    assert result.exit_code == 2
    line = 7 + 2 * (3 + MAX_OBJECTIVES // 2) + 4
    assert result.stderr.splitlines() == [
        f"roicli: error: {config}:{line}: programs[2].objectives[0]: more than 2,000 objectives "
        "in all (split the programmes across several configs, one report each)"
    ]
