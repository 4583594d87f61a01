"""The real CLI through Typer's CliRunner: happy paths, exit codes and exact error lines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_example
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner, Result

from roicli.analysis import analyse
from roicli.cli import _printable, app
from roicli.enums import FailOn, Period
from roicli.project import load_project
from roicli.render.json import to_dict

AS_OF = "2026-10-31"
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, repo: Path) -> Path:
    """A copy of the bundled example, so tests may break it."""
    return copy_example(tmp_path)


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "160", "NO_COLOR": "1"})


def test_report_json_equals_the_analysis_api(project: Path) -> None:
    result = invoke("report", "-c", str(project), "--as-of", AS_OF, "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    analysis = analyse(load_project(project), as_of=analyse_date(), period=Period.MONTH)
    assert json.loads(result.stdout) == json.loads(json.dumps(to_dict(analysis)))


def analyse_date() -> date:
    return date.fromisoformat(AS_OF)


def test_report_json_carries_every_contract_key(project: Path) -> None:
    result = invoke("report", "-c", str(project), "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert {
        "roicli_version",
        "as_of",
        "period",
        "currency",
        "programs",
        "portfolio",
        "kpis",
    } <= set(data)
    program = data["programs"][0]
    for key in ("name", "costs", "benefits", "net_benefit", "roi_pct", "bcr", "payback_months"):
        assert key in program
    assert {"break_even_factor", "sensitivity", "objectives"} <= set(program)
    assert set(program["costs"]) >= {"total", "items"}
    assert set(program["costs"]["items"][0]) >= {"item", "category", "amount"}
    assert set(program["sensitivity"]) == {"conservative", "base", "optimistic"}
    objective = program["objectives"][0]
    for key in ("id", "kpi", "baseline", "target", "current", "progress", "projected", "status"):
        assert key in objective
    assert {"isolation", "periods_counted", "benefit", "smart"} <= set(objective)
    assert set(objective["smart"]) == {
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
    }
    assert set(objective["smart"]["specific"]) >= {"status", "reason", "fix"}
    assert set(data["portfolio"]) >= {"costs", "benefits", "net_benefit", "roi_pct", "bcr"}
    assert set(data["kpis"][0]) >= {"name", "periods", "slope_per_period", "r2"}
    assert set(data["kpis"][0]["periods"][0]) >= {"period", "value", "change", "change_pct"}
    assert set(data["audit"]) >= {"config", "sources"}
    assert set(data["audit"]["sources"][0]) >= {"path", "sha256", "rows", "skipped_rows"}
    # Costs of the example programme, from its config: 1,500 + 4,000 + 9,000 + 288 h × 45
    # + 150 × 12 participants + 1,200 = 30,460
    assert program["costs"]["total"] == 30460.0
    assert data["as_of"] == AS_OF


def test_same_inputs_same_bytes(project: Path) -> None:
    first = invoke("report", "-c", str(project), "--as-of", AS_OF, "--format", "json")
    second = invoke("report", "-c", str(project), "--as-of", AS_OF, "--format", "json")
    assert first.stdout == second.stdout


def test_dashboard_shows_programmes_objectives_and_trends(project: Path) -> None:
    result = invoke("report", "-c", str(project), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "SEO and content cross-mentoring 2026" in out
    assert "€30,460.00" in out
    assert "seo-traffic" in out
    assert "KPI trends" in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert "roicli: as of 2026-10-31: 2 programmes, 7 objectives, 3 off track or missed" in (
        result.stderr
    )


STALE = (
    "roicli: --fail-on stale-data: organic_sessions (data to 2026-10-31), qualified_leads "
    "(data to 2026-10-31), cost_per_lead (data to 2026-10-31), conversion_rate (data to "
    "2026-10-31)"
)


@pytest.mark.parametrize(
    ("condition", "as_of", "line"),
    [
        (
            FailOn.SMART,
            AS_OF,
            "roicli: --fail-on smart: satisfaction, leads-x3 fail a SMART criterion",
        ),
        # Two months in, the mentoring programme has not paid back yet; the micro-learning
        # programme is pending (too early), which is never a negative ROI.
        (
            FailOn.NEGATIVE_ROI,
            "2026-02-28",
            "roicli: --fail-on negative-roi: SEO and content cross-mentoring 2026",
        ),
        # A missed deadline is off track too.
        (
            FailOn.OFF_TRACK,
            AS_OF,
            "roicli: --fail-on off-track: cost-per-lead, satisfaction, leads-x3",
        ),
        # Run in December, the exports still end in October: one month behind.
        (FailOn.STALE_DATA, "2026-12-04", STALE),
        # Two months in, an ROI to date below zero is below the 15 % objective.
        (
            FailOn.ROI_OBJECTIVE,
            "2026-02-28",
            "roicli: --fail-on roi-objective: SEO and content cross-mentoring 2026 below its "
            "ROI objective",
        ),
    ],
)
def test_fail_on(project: Path, condition: FailOn, as_of: str, line: str) -> None:
    result = invoke("check", "-c", str(project), "--as-of", as_of, "--fail-on", condition.value)
    assert result.exit_code == 1
    assert line in result.stderr.splitlines()


@pytest.mark.parametrize(
    "condition", [FailOn.NEGATIVE_ROI, FailOn.STALE_DATA, FailOn.ROI_OBJECTIVE]
)
def test_fail_on_holds_not_when_the_condition_does_not(project: Path, condition: FailOn) -> None:
    result = invoke("check", "-c", str(project), "--as-of", AS_OF, "--fail-on", condition.value)
    assert result.exit_code == 0


def test_fail_on_still_writes_outputs(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    result = invoke(
        "report",
        "-c",
        str(project),
        "--as-of",
        AS_OF,
        "-q",
        "-o",
        str(target),
        "--fail-on",
        "smart",
    )
    assert result.exit_code == 1
    assert json.loads(target.read_text())["as_of"] == AS_OF


def test_check_lists_sources_and_smart(project: Path) -> None:
    result = invoke("check", "-c", str(project), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "web_analytics.csv" in result.stdout
    assert "Avg. engagement time" in result.stdout  # data KPI with no configured match
    assert "not linked to a business goal" in result.stdout


def test_roi_and_trend_commands(project: Path) -> None:
    roi = invoke("roi", "-c", str(project), "--as-of", AS_OF)
    assert roi.exit_code == 0, roi.output
    assert "288 h × 45" in roi.stdout
    trend = invoke(
        "trend", "-c", str(project), "--as-of", AS_OF, "--kpi", "MQL", "--format", "json"
    )
    assert trend.exit_code == 0, trend.output
    data = json.loads(trend.stdout)
    assert [k["name"] for k in data["kpis"]] == ["qualified_leads"]
    unknown = invoke("trend", "-c", str(project), "--as-of", AS_OF, "--kpi", "nope")
    assert unknown.exit_code == 2
    assert "roicli: error: --kpi 'nope' is not a configured KPI" in unknown.stderr


def test_bad_config_exit_2_one_line_nothing_written(project: Path, tmp_path: Path) -> None:
    text = project.read_text(encoding="utf-8").replace("isolation: trend", "isolation: trnd", 1)
    project.write_text(text, encoding="utf-8")
    target = tmp_path / "report.json"
    result = invoke("report", "-c", str(project), "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"roicli: error: {project}:")
    assert (
        ".isolation: expected one of 'baseline', 'trend', 'control' or 'estimates', got 'trnd'"
        in (lines[0])
    )
    assert "Traceback" not in result.output
    assert not target.exists()


def test_missing_source_file_exit_2(project: Path) -> None:
    (project.parent.parent / "sample_data" / "web_analytics.csv").unlink()
    result = invoke("report", "-c", str(project), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "web_analytics.csv" in result.stderr
    assert "Traceback" not in result.output


def test_missing_config_exit_2(tmp_path: Path) -> None:
    result = invoke("report", "-c", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"roicli: error: {tmp_path / 'nope.yaml'}: cannot read")


def test_init_writes_a_working_project_and_refuses_to_overwrite(tmp_path: Path) -> None:
    first = invoke("init", str(tmp_path / "p"))
    assert first.exit_code == 0, first.output
    config = tmp_path / "p" / "configs" / "roicli.yaml"
    assert config.is_file()
    again = invoke("init", str(tmp_path / "p"))
    assert again.exit_code == 2
    assert "use --force to overwrite" in again.stderr
    assert invoke("init", str(tmp_path / "p"), "--force").exit_code == 0
    report = invoke("report", "-c", str(config), "--as-of", AS_OF, "--format", "json")
    assert report.exit_code == 0, report.output


def test_schema_is_json_schema_of_the_config() -> None:
    result = invoke("schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Config"
    assert {"sources", "kpis", "programs"} <= set(schema["properties"])


def test_kpis_commands() -> None:
    listed = json.loads(invoke("kpis", "list", "--level", "1", "--format", "json").stdout)
    assert listed
    assert {entry["level"] for entry in listed} == {1}
    suggested = invoke("kpis", "suggest", "Réduire le coût par lead", "--format", "json")
    assert json.loads(suggested.stdout)[0]["key"] == "cost_per_lead"
    shown = invoke("kpis", "show", "cost_per_lead")
    assert shown.exit_code == 0
    assert "cost_per_lead:" in shown.stdout  # the YAML snippet
    unknown = invoke("kpis", "show", "cost_per_leads")
    assert unknown.exit_code == 2
    assert "did you mean 'cost_per_lead'?" in unknown.stderr


def test_version() -> None:
    from roicli import __version__

    assert invoke("--version").stdout == f"roicli {__version__}\n"


def _commands(group: TyperGroup, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for name, command in group.commands.items():
        found.append((prefix + name, command))
        if isinstance(command, TyperGroup):
            found += _commands(command, prefix + name + " ")
    return found


def test_every_command_has_help_with_an_example() -> None:
    root = get_command(app)
    assert isinstance(root, TyperGroup)
    for name, command in _commands(root):
        assert command.help, name
        if not isinstance(command, TyperGroup):
            assert "Example: roicli" in command.help, name


def test_installed_console_script_runs_report(project: Path) -> None:
    script = Path(sys.executable).parent / "roicli"
    completed = subprocess.run(
        [str(script), "report", "-c", str(project), "--as-of", AS_OF, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["programs"][0]["costs"]["total"] == 30460.0


def test_help_does_not_import_pandas() -> None:
    code = (
        "import sys; from roicli.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['schema']); "
        "CliRunner().invoke(app, ['kpis', 'list']); "
        "print('pandas' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "False False"


def test_dashboard_and_check_in_french(project: Path) -> None:
    report = invoke("report", "-c", str(project), "--as-of", AS_OF, "--lang", "fr")
    assert report.exit_code == 0, report.output
    spaced = report.stdout.replace("\u202f", " ").replace("\xa0", " ")
    assert "30 460,00 €" in spaced
    assert "Coûts (complets)" in report.stdout
    assert "En bonne voie" in report.stdout or "Atteint" in report.stdout
    check = invoke("check", "-c", str(project), "--as-of", AS_OF, "--lang", "fr")
    assert "lié à aucun objectif métier" in check.stdout
    assert "Temporellement défini" in check.stdout


@pytest.mark.parametrize("command", ["report", "check", "roi", "trend"])
@pytest.mark.parametrize("text", ["2026-13-45", "31/10/2026", "yesterday", ""])
def test_a_bad_as_of_is_one_line_before_anything_is_read(
    command: str, text: str, tmp_path: Path
) -> None:
    result = invoke(command, "-c", str(tmp_path / "nope.yaml"), "--as-of", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"roicli: error: --as-of: expected a date like 2026-10-31, got {text!r}\n"
    )


def test_a_long_as_of_is_cut_short() -> None:
    result = invoke("roi", "--as-of", "9" * 10_000)
    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: --as-of: expected a date like 2026-10-31, got '{'9' * 59}…'\n"
    )


def test_as_of_help_names_a_date() -> None:
    result = invoke("report", "--help")
    assert "--as-of" in result.stdout
    assert "DATE" in result.stdout
    assert "like 2026-10-31" in result.stdout


def test_error_lines_escape_control_characters_and_keep_letters(project: Path) -> None:
    assert _printable("coût\x1b[2J\x1b]0;x\x07\r\nfin\u2028") == (
        "coût\\x1b[2J\\x1b]0;x\\x07\\r\\nfin\\u2028"
    )
    assert _printable("Qualifiés · 12 € → 14 €") == "Qualifiés · 12 € → 14 €"
    result = invoke("trend", "-c", str(project), "--as-of", AS_OF, "--kpi", "coût")
    assert result.stderr.startswith("roicli: error: --kpi 'coût' is not a configured KPI (")
