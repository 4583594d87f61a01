"""The run history through the real CLI, on real SQLite files: since last report in every
output, revised periods, idempotent reruns, concurrent runs, damaged, locked and newer
histories, --no-history, --compare-to and `roicli history` (--programme, --prune)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import copy_example
from typer.testing import CliRunner, Result

from roicli import history
from roicli.cli import app
from roicli.paths import shown_path

ROICLI = Path(sys.executable).parent / "roicli"
SEO = "SEO and content cross-mentoring 2026"
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, repo: Path) -> Path:
    """A copy of the bundled example: its history goes beside the copy's config."""
    return copy_example(tmp_path)


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "160", "NO_COLOR": "1"})


def report(config: Path, as_of: str, *args: str) -> Result:
    result = invoke("report", "-c", str(config), "--as-of", as_of, *args)
    assert result.exit_code == 0, result.output
    return result


def json_report(config: Path, as_of: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report(config, as_of, "--format", "json", "-q", *args).stdout)
    return data


def database(config: Path) -> Path:
    return config.parent / ".roicli" / "history.sqlite"


def rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        found = connection.execute("SELECT config, as_of FROM runs ORDER BY as_of").fetchall()
    return [(config, as_of) for config, as_of in found]


def programme(data: dict[str, Any], name: str = SEO) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in data["programs"] if p["name"] == name)
    return found


def test_three_monthly_runs_show_what_changed_since_the_last_one(project: Path) -> None:
    june = json_report(project, "2026-06-30")
    august = json_report(project, "2026-08-31")
    assert june["changes"] is None  # the first recorded run
    october = json_report(project, "2026-10-31")
    assert rows(database(project)) == [
        ("roicli.yaml", "2026-06-30"),
        ("roicli.yaml", "2026-08-31"),
        ("roicli.yaml", "2026-10-31"),
    ]
    changes = october["changes"]
    assert changes["previous_as_of"] == "2026-08-31"
    assert changes["compared_with"] == "history"
    seo = next(c for c in changes["programs"] if c["name"] == SEO)
    before, after = programme(august), programme(october)
    assert seo["roi_pct"]["before"] == before["roi_pct"]
    assert seo["roi_pct"]["after"] == after["roi_pct"]
    assert seo["roi_pct"]["change"] == pytest.approx(after["roi_pct"] - before["roi_pct"])
    # By hand: the ROI to date went from -12.0% (August) to 17.7% (October): +29.7 points;
    # benefits from €26,794.03 to €35,850.54: +€9,056.51.
    assert seo["roi_pct"]["change"] == pytest.approx(29.73, abs=0.005)
    assert seo["benefits"]["change"] == 9056.51
    assert {
        "program": SEO,
        "objective": "cost-per-lead",
        "before": "on_track",
        "after": "missed",
    } in changes["statuses"]
    periods = {item["kpi"]: item["periods"] for item in changes["new_periods"]}
    assert periods["organic_sessions"] == ["2026-09", "2026-10"]
    assert changes["revisions"] == []
    # June → August: the satisfaction survey's objective went from off track to missed.
    assert {
        "program": SEO,
        "objective": "satisfaction",
        "before": "off_track",
        "after": "missed",
    } in august["changes"]["statuses"]


def test_since_last_report_is_in_the_dashboard_and_every_file(project: Path) -> None:
    report(project, "2026-09-30", "-q")
    folder = project.parent.parent / "reports"
    outputs = [folder / f"r.{suffix}" for suffix in ("xlsx", "html", "md", "json")]
    result = report(project, "2026-10-31", *(arg for o in outputs for arg in ("-o", str(o))))
    dashboard = result.stdout
    assert "Since last report (30 Sep 2026)" in dashboard
    assert "cost-per-lead: On track → Missed" in dashboard
    assert f"{SEO}: ROI 2.8% → 17.7% (+14.9 points)" in dashboard
    markdown = (folder / "r.md").read_text()
    assert "## Since last report (30 Sep 2026)" in markdown
    assert "| 31 Oct 2026 | 17.7% |" in markdown.splitlines()  # the ROI run by run
    page = (folder / "r.html").read_text()
    assert '<section class="changes" id="changes">' in page
    assert "cost-per-lead: On track → Missed" in page
    assert "ROI % to date, run by run" in page
    assert 'class="series series-0"' in page
    book = openpyxl.load_workbook(folder / "r.xlsx")
    assert book.sheetnames[:2] == ["Summary", "Since last report"]
    sheet = book["Since last report"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert texts[0] == "Since last report (30 Sep 2026)"
    assert "cost-per-lead: On track → Missed" in texts
    assert len(sheet._charts) == 1  # the ROI % to date across the runs
    data = json.loads((folder / "r.json").read_text())
    assert data["changes"]["previous_as_of"] == "2026-09-30"


def test_a_first_run_says_so_in_one_line(project: Path) -> None:
    dashboard = report(project, "2026-10-31").stdout
    assert "First recorded run: no earlier report to compare with" in dashboard


def test_a_revised_period_is_found_with_its_size(project: Path) -> None:
    report(project, "2026-09-30", "-q")
    export = project.parent.parent / "sample_data" / "web_analytics.csv"
    lines = export.read_text().splitlines(keepends=True)
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("2026-08-14,Marketing,Organic sessions,")
    )
    date, team, metric, value = lines[index].rstrip("\n").split(",")
    lines[index] = f"{date},{team},{metric},{int(value) + 250}\n"
    export.write_text("".join(lines))
    changes = json_report(project, "2026-10-31")["changes"]
    assert len(changes["revisions"]) == 1
    revision = changes["revisions"][0]
    assert (revision["kpi"], revision["period"]) == ("organic_sessions", "2026-08")
    assert revision["change"] == 250
    assert revision["after"] - revision["before"] == 250
    dashboard = report(project, "2026-10-31", "--compare-to", "2026-09").stdout
    assert "Revised: Organic sessions, 2026-08:" in dashboard
    assert "(+250)" in dashboard


def test_rerunning_the_same_as_of_replaces_its_run(project: Path) -> None:
    report(project, "2026-09-30", "-q")
    first = json_report(project, "2026-10-31")
    again = json_report(project, "2026-10-31")
    assert rows(database(project)) == [("roicli.yaml", "2026-09-30"), ("roicli.yaml", "2026-10-31")]
    assert again["changes"] == first["changes"]  # still against September, not itself
    with sqlite3.connect(database(project)) as connection:
        (stored,) = connection.execute(
            "SELECT report FROM runs WHERE as_of = '2026-10-31'"
        ).fetchone()
        inputs = connection.execute("SELECT path FROM inputs").fetchall()
    assert json.loads(stored) == again
    assert ("roicli.yaml",) in inputs
    assert ("../sample_data/estimates.csv",) in inputs
    assert len(inputs) == 2 * 5  # config, three sources and the estimates, per run


@pytest.mark.parametrize("dates", [("2026-09-30", "2026-10-31"), ("2026-10-31", "2026-10-31")])
def test_two_runs_at_the_same_time_both_complete(project: Path, dates: tuple[str, str]) -> None:
    processes = [
        subprocess.Popen(
            [str(ROICLI), "report", "-q", "-c", str(project), "--as-of", day, "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for day in dates
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert stderr == b""  # both recorded: no warning
        assert json.loads(stdout)["as_of"] in dates
    with sqlite3.connect(database(project)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert rows(database(project)) == [("roicli.yaml", day) for day in sorted(set(dates))]


def test_a_damaged_history_warns_in_one_line_and_the_report_is_written(project: Path) -> None:
    report(project, "2026-09-30", "-q")
    path = database(project)
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    damaged = path.read_bytes()
    output = project.parent / "out.json"
    result = report(project, "2026-10-31", "-q", "-o", str(output))
    (line,) = result.stderr.splitlines()
    assert line.startswith("roicli: warning: the history was not updated: ")
    assert "configs/.roicli/history.sqlite" in line
    assert "file is not a database" in line or "malformed" in line
    assert json.loads(output.read_text())["changes"] is None
    assert path.read_bytes() == damaged  # left as it was
    listed = invoke("history", "-c", str(project))
    assert listed.exit_code == 2
    assert listed.stderr.startswith("roicli: error: ")
    assert len(listed.stderr.splitlines()) == 1


def test_a_history_from_a_newer_roicli_is_refused_and_left_untouched(project: Path) -> None:
    path = database(project)
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE runs (anything TEXT)")
        connection.execute("PRAGMA user_version = 7")
    connection.close()
    newer = path.read_bytes()
    result = report(project, "2026-10-31", "-q")
    assert result.stderr == (
        f"roicli: warning: the history was not updated: {shown_path(path)}: written by a "
        "newer roicli (history schema 7; this roicli knows up to 1), left as it is (upgrade "
        "roicli, or use --history with another file)\n"
    )
    assert path.read_bytes() == newer
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.sqlite"]
    listed = invoke("history", "-c", str(project))
    assert listed.exit_code == 2
    assert "written by a newer roicli" in listed.stderr
    assert path.read_bytes() == newer


def test_a_locked_history_does_not_stop_the_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report(project, "2026-09-30", "-q")
    monkeypatch.setattr(history, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(database(project), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = report(project, "2026-10-31", "-q")
    finally:
        holder.rollback()
        holder.close()
    (line,) = result.stderr.splitlines()
    assert line.startswith("roicli: warning: the history was not updated: ")
    assert line.endswith("database is locked")
    assert rows(database(project)) == [("roicli.yaml", "2026-09-30")]


def test_a_failed_report_records_nothing(project: Path) -> None:
    blocker = project.parent / "file"
    blocker.write_text("")
    result = invoke(
        "report", "-q", "-c", str(project), "--as-of", "2026-10-31", "-o", f"{blocker}/r.json"
    )
    assert result.exit_code == 2
    assert not database(project).exists()


def test_no_history_writes_nothing(project: Path) -> None:
    data = json_report(project, "2026-10-31", "--no-history")
    assert data["changes"] is None
    assert not (project.parent / ".roicli").exists()
    assert "Since last report" not in report(project, "2026-10-31", "--no-history").stdout


def test_history_in_the_config_or_on_the_command_line(project: Path, tmp_path: Path) -> None:
    text = project.read_text()
    project.write_text(text.replace("currency: EUR\n", "currency: EUR\nhistory: runs/h.sqlite\n"))
    report(project, "2026-10-31", "-q")
    assert rows(project.parent / "runs" / "h.sqlite") == [("roicli.yaml", "2026-10-31")]
    elsewhere = tmp_path / "elsewhere.sqlite"
    report(project, "2026-09-30", "-q", "--history", str(elsewhere))
    assert rows(elsewhere) == [("roicli.yaml", "2026-09-30")]
    assert not (project.parent / ".roicli").exists()


def test_compare_to_a_json_report_or_a_recorded_month(project: Path, tmp_path: Path) -> None:
    earlier = tmp_path / "june.json"
    earlier.write_text(json.dumps(json_report(project, "2026-06-30", "--no-history")))
    data = json_report(project, "2026-10-31", "--no-history", "--compare-to", str(earlier))
    assert data["changes"]["previous_as_of"] == "2026-06-30"
    assert data["changes"]["compared_with"] == shown_path(earlier)
    report(project, "2026-07-31", "-q")
    report(project, "2026-08-31", "-q")
    months = json_report(project, "2026-10-31", "--compare-to", "2026-07")["changes"]
    assert months["previous_as_of"] == "2026-07-31"
    missing = invoke(
        "report", "-c", str(project), "--as-of", "2026-10-31", "--compare-to", "2025-01"
    )
    assert missing.exit_code == 2
    assert missing.stderr == (
        "roicli: error: --compare-to 2025-01: no recorded run of that month (recorded: "
        "2026-07-31, 2026-08-31, 2026-10-31) (choose a month of a recorded run (see 'roicli "
        "history'), or a JSON report file)\n"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"as_of": "2026-01-31"}')
    refused = invoke("report", "-c", str(project), "--compare-to", str(bad))
    assert refused.exit_code == 2
    assert "not a roicli JSON report (roicli_version: field required)" in refused.stderr


def test_history_lists_the_runs_and_one_programme_run_by_run(project: Path) -> None:
    for day in ("2026-08-31", "2026-09-30", "2026-10-31"):
        report(project, day, "-q")
    listed = invoke("history", "-c", str(project))
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert any("31 Aug 2026" in line and "-12.0%" in line and "3 / 7" in line for line in lines)
    assert any("31 Oct 2026" in line and "17.7%" in line and "2 / 7" in line for line in lines)
    data = json.loads(invoke("history", "-c", str(project), "--format", "json").stdout)
    assert [run["as_of"] for run in data["runs"]] == ["2026-08-31", "2026-09-30", "2026-10-31"]
    assert data["runs"][2]["programs"][0] == {
        "name": SEO,
        "roi_pct": 17.69712384,
        "benefits": 35850.54,
    }
    assert data["runs"][0]["inputs"][0]["path"] == "roicli.yaml"
    one = json.loads(
        invoke("history", "-c", str(project), "--programme", SEO, "--format", "json").stdout
    )
    assert [run["objectives"]["cost-per-lead"] for run in one["runs"]] == [
        "on_track",
        "on_track",
        "missed",
    ]
    assert [run["benefits"] for run in one["runs"]] == [26794.03, 31320.27, 35850.54]
    table = invoke("history", "-c", str(project), "--programme", SEO).stdout
    assert "SEO and content cross-mentoring 2026: run by run" in table
    unknown = invoke("history", "-c", str(project), "--programme", "SEO")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("roicli: error: --programme: no programme 'SEO'")


def test_prune_keeps_the_latest_runs(project: Path) -> None:
    for day in ("2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"):
        report(project, day, "-q")
    result = invoke("history", "-c", str(project), "--prune", "--keep", "2")
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith("history.sqlite: 2 runs removed, 2 runs left\n")
    assert rows(database(project)) == [("roicli.yaml", "2026-09-30"), ("roicli.yaml", "2026-10-31")]
    lone = invoke("history", "-c", str(project), "--prune")
    assert lone.exit_code == 2
    assert "--prune and --keep go together" in lone.stderr


def test_no_history_yet(project: Path) -> None:
    result = invoke("history", "-c", str(project))
    assert result.exit_code == 0
    assert "No run of roicli.yaml recorded in" in result.stdout
    assert not database(project).exists()


def test_an_older_empty_database_is_migrated(project: Path) -> None:
    path = database(project)
    path.parent.mkdir()
    path.touch()  # user_version 0: no schema yet
    report(project, "2026-10-31", "-q")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (history.SCHEMA_VERSION,)
    assert rows(path) == [("roicli.yaml", "2026-10-31")]


def test_no_history_compares_with_a_recorded_month_but_records_nothing(project: Path) -> None:
    report(project, "2026-09-30", "-q")
    data = json_report(project, "2026-10-31", "--no-history", "--compare-to", "2026-09")
    assert data["changes"]["previous_as_of"] == "2026-09-30"
    assert rows(database(project)) == [("roicli.yaml", "2026-09-30")]


def test_the_first_run_line_in_french(project: Path) -> None:
    dashboard = report(project, "2026-10-31", "--lang", "fr").stdout
    assert "Premier rapport enregistré : aucun rapport antérieur à comparer" in dashboard


def test_help_does_not_import_sqlite() -> None:
    code = (
        "import sys; from roicli.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['report', '--help']); "
        "CliRunner().invoke(app, ['history', '--help']); print('sqlite3' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "False"
