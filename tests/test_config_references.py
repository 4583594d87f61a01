"""A name that refers to nothing is a config error: an objective's KPI, group or control group.

Each wrong name stops ``check`` and ``report`` with exit 2 and one stderr line: the ``file:line``
of the key, what is wrong, the closest valid name. Nothing is printed on stdout or written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import copy_example
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import load_config
from roicli.errors import ConfigError
from roicli.project import load_project

AS_OF = "2026-10-31"
CONFIG = "configs/roicli.yaml"
ROICLI = Path(sys.executable).parent / "roicli"
README = Path(__file__).resolve().parents[1] / "README.md"

KPI_TYPO = (
    f"{CONFIG}:141: programs[0].objectives[0].kpi: unknown KPI 'organic_session' (did you mean "
    "'organic_sessions'?) (define it under kpis:, or fix the name)"
)
GROUP_FIX = "(fix the name, or check the source's group column)"
CONTROL_GROUP_TYPO = (
    f"{CONFIG}:157: programs[0].objectives[1].control_group: no group 'Sale' in the data for "
    f"qualified_leads (did you mean 'Sales'?); groups found: 'Marketing', 'Sales' {GROUP_FIX}"
)
GROUP_TYPO = (
    f"{CONFIG}:142: programs[0].objectives[0].group: no group 'Marketting' in the data for "
    f"organic_sessions (did you mean 'Marketing'?); groups found: 'Marketing', 'Sales' {GROUP_FIX}"
)
RATIO_GROUP_TYPO = (  # a ratio KPI has the groups both of its parts have
    f"{CONFIG}:224: programs[1].objectives[0].group: no group 'Salse' in the data for "
    f"conversion_rate (did you mean 'Sales'?); groups found: 'Marketing', 'Sales' {GROUP_FIX}"
)
TYPOS = {
    "kpi": ("        kpi: organic_sessions\n", "        kpi: organic_session\n", KPI_TYPO),
    "control-group": ("control_group: Sales ", "control_group: Sale ", CONTROL_GROUP_TYPO),
    "group": ("        group: Marketing\n", "        group: Marketting\n", GROUP_TYPO),
    "ratio-group": ("        group: Sales\n", "        group: Salse\n", RATIO_GROUP_TYPO),
}


@pytest.fixture
def example(tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example, made the working folder (paths print as given)."""
    root = tmp_path / "project"
    copy_example(root)
    monkeypatch.chdir(root)
    return root


def replace(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["check", "report"])
@pytest.mark.parametrize("typo", list(TYPOS))
def test_a_wrong_name_stops_the_run(example: Path, typo: str, command: str) -> None:
    old, new, message = TYPOS[typo]
    replace(example / CONFIG, old, new)
    output = ["-o", "out.json"] if command == "report" else []
    code, stdout, stderr = invoke(command, "-c", CONFIG, "--as-of", AS_OF, *output)
    assert (code, stdout, stderr) == (2, "", f"roicli: error: {message}\n")
    assert not (example / "out.json").exists()


def test_a_quiet_scheduled_run_sees_the_typo(example: Path) -> None:
    replace(example / CONFIG, *TYPOS["kpi"][:2])
    done = subprocess.run(
        [str(ROICLI), "report", "-q", "-c", CONFIG, "--as-of", AS_OF, "-o", "out.json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "LANG": "C.UTF-8"},
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"roicli: error: {KPI_TYPO}\n")
    assert not (example / "out.json").exists()


def test_the_readme_shows_the_messages() -> None:
    shown = README.read_text(encoding="utf-8").splitlines()
    for message in (KPI_TYPO, CONTROL_GROUP_TYPO):
        assert f"    roicli: error: {message}" in shown


def test_an_unlisted_business_goal_stays_a_smart_relevant_failure(example: Path) -> None:
    replace(example / CONFIG, "business_goal: Grow inbound leads", "business_goal: Grow sales")
    code, stdout, _ = invoke("check", "-c", CONFIG, "--as-of", AS_OF)
    assert code == 0
    assert "'Grow sales' is not in business_goals" in stdout
    code, stdout, _ = invoke("report", "-q", "-c", CONFIG, "--as-of", AS_OF, "--format", "json")
    assert code == 0
    relevant = json.loads(stdout)["programs"][0]["objectives"][0]["smart"]["relevant"]
    assert relevant["status"] == "fail"
    assert relevant["reason"] == "business goal 'Grow sales' is not in business_goals"


# ── small projects: the catalogue, the shorthand, groups without data ─────────────────────────

PROJECT = """\
version: 1
business_goals: [Grow]
sources:
  - {path: export.csv, columns: {date: Date, kpi: Metric, value: Value, group: Team}}
kpis:
  leads: {}
program:
  name: Prospecting
  start: 2026-01-10
  objectives:
    - id: o1
      title: Grow leads by applying the prospecting method
      kpi: leads
      group: T
      target: {change: "+10%"}
      deadline: 2026-06-30
      business_goal: Grow
"""
GROUP = "      group: T\n"


def project(folder: Path, config: str = PROJECT, groups: tuple[str, ...] = ("C", "T")) -> Path:
    """A one-programme project whose export has leads for each of ``groups``."""
    rows = [f"2025-{m}-15,{g},Leads,{m}" for m in (10, 11, 12) for g in groups]
    export = "Date,Team,Metric,Value\n" + "\n".join(rows) + "\n"
    (folder / "export.csv").write_text(export, encoding="utf-8")
    path = folder / "roicli.yaml"
    path.write_text(config, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_project(path)
    return str(caught.value).removeprefix(f"{path}:")


def test_a_catalogue_kpi_is_used_once_listed_under_kpis(tmp_path: Path) -> None:
    path = project(tmp_path, PROJECT.replace("kpi: leads", "kpi: revenue"))
    assert error_of(path) == (
        "13: program.objectives[0].kpi: unknown KPI 'revenue' "
        "(add revenue: {} under kpis: to use the catalogue's KPI, or fix the name)"
    )
    listed = path.read_text(encoding="utf-8").replace(
        "  leads: {}\n", "  leads: {}\n  revenue: {}\n"
    )
    path.write_text(listed, encoding="utf-8")
    assert load_config(path).config.kpis["revenue"].label == "Revenue"


def test_the_shorthand_names_its_own_keys(tmp_path: Path) -> None:
    path = project(tmp_path, PROJECT.replace("kpi: leads", "kpi: lead"))
    assert error_of(path) == (
        "13: program.objectives[0].kpi: unknown KPI 'lead' (did you mean 'leads'?) "
        "(define it under kpis:, or fix the name)"
    )
    path = project(tmp_path, PROJECT.replace(GROUP, GROUP + "      control_group: D\n"))
    assert error_of(path) == (
        "15: program.objectives[0].control_group: no group 'D' in the data for leads; "
        f"groups found: 'C', 'T' {GROUP_FIX}"
    )


@pytest.mark.parametrize(
    ("groups", "found"),
    [
        (("",), "none"),  # rows without a group
        (
            tuple(f"G{n:02d}" for n in range(25)),
            ", ".join(f"'G{n:02d}'" for n in range(20)) + ", … and 5 more",
        ),
    ],
)
def test_the_groups_found_are_listed(tmp_path: Path, groups: tuple[str, ...], found: str) -> None:
    path = project(tmp_path, groups=groups)
    assert error_of(path) == (
        "14: program.objectives[0].group: no group 'T' in the data for leads; "
        f"groups found: {found} {GROUP_FIX}"
    )


def test_a_kpi_without_data_keeps_its_no_data_status(tmp_path: Path) -> None:
    wide = "Month,Team,Leads,Sessions\n2025-10,T,10,\n2025-11,C,9,\n"  # no sessions at all
    (tmp_path / "wide.csv").write_text(wide, encoding="utf-8")
    config = PROJECT.replace("kpi: leads", "kpi: sessions").replace(GROUP, "      group: X\n")
    config = config.replace("  leads: {}\n", "  leads: {}\n  sessions: {}\n")
    config = config.replace(
        "{path: export.csv, columns: {date: Date, kpi: Metric, value: Value, group: Team}}",
        "{path: wide.csv, layout: wide, columns: {date: Month, group: Team}}",
    )
    (tmp_path / "roicli.yaml").write_text(config, encoding="utf-8")
    code, stdout, _ = invoke(
        "report", "-q", "-c", str(tmp_path / "roicli.yaml"), "--as-of", AS_OF, "--format", "json"
    )
    assert code == 0
    assert json.loads(stdout)["programs"][0]["objectives"][0]["status"] == "no_data"
