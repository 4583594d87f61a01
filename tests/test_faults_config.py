"""Faults in the config and --as-of: each is one stderr line and exit 2, never a traceback.

Each case is a small project (one CSV, one programme) with one defect; the expected line is
exact, so that a change of wording or of the line number is seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from roicli.cli import app
from roicli.config import load_config
from roicli.enums import Level

AS_OF = "2026-10-31"
runner = CliRunner()

CONFIG = """\
version: 1
sources:
  - path: data.csv
    layout: long
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
kpis:
  leads:
    label: Leads
    level: impact
program:
  name: Demo
  start: 2026-01-01
  participants: 5
  costs:
    - {item: Licences, amount: 1000}
  objectives:
    - id: leads
      title: Increase leads by 20%
      kpi: leads
      baseline: {value: 10}
      target: {change: "+20%"}
      deadline: 2026-06-30
      value_per_unit: 10
"""


def project(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The small project, with ``old`` replaced by ``new`` in its config."""
    assert old in CONFIG
    rows = ["Date,Team,Metric,Value"]
    rows += [
        f"{year}-{month:02d}-15,A,leads,{month}" for year in (2025, 2026) for month in range(1, 13)
    ]
    (tmp_path / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path / "roicli.yaml"
    path.write_text(CONFIG.replace(old, new, 1), encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "160", "NO_COLOR": "1"})


def check(config: Path, *extra: str) -> Result:
    return invoke("check", "-q", "-c", str(config), "--as-of", AS_OF, *extra)


def assert_one_line(result: Result, line: str) -> None:
    """Exit 2, exactly ``line`` on stderr, nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""


def test_the_small_project_is_sound(tmp_path: Path) -> None:
    result = check(project(tmp_path))
    assert result.exit_code == 0, result.output


def test_deep_nesting_is_refused_before_it_exhausts_the_stack(tmp_path: Path) -> None:
    config = project(tmp_path, "version: 1\n", "version: 1\nnotes: " + "[" * 500 + "]" * 500 + "\n")
    assert_one_line(
        check(config),
        f"roicli: error: {config}:2: lists and mappings are nested more than 50 deep "
        "(a config needs a few levels only; look for unclosed brackets)",
    )


def test_fifty_levels_are_still_read(tmp_path: Path) -> None:
    config = project(tmp_path, "version: 1\n", "version: 1\nnotes: " + "[" * 49 + "]" * 49 + "\n")
    assert_one_line(
        check(config),
        f"roicli: error: {config}:2: notes: unknown key 'notes'",
    )


def test_deep_nesting_is_refused_by_the_python_parser_too(tmp_path: Path) -> None:
    """A document the fast parser turns down (it holds an alias) is read by the Python one."""
    deep = "version: 1\nnotes: " + "[" * 500 + "*x" + "]" * 500 + "\n"
    config = project(tmp_path, "version: 1\n", deep)
    assert_one_line(
        check(config),
        f"roicli: error: {config}:2: lists and mappings are nested more than 50 deep "
        "(a config needs a few levels only; look for unclosed brackets)",
    )


def test_a_lone_surrogate_is_refused(tmp_path: Path) -> None:
    config = project(tmp_path, "title: Increase leads by 20%", 'title: "Increase \\udc80leads"')
    assert_one_line(
        check(config),
        f"roicli: error: {config}:18: program.objectives[0].title: the text holds '\\udc80', "
        "half of a UTF-16 surrogate pair, which is no character "
        "(write the character itself, or its \\U0001xxxx escape)",
    )


def test_a_surrogate_pair_written_as_two_escapes_is_one_character(tmp_path: Path) -> None:
    config = project(tmp_path, "name: Demo", 'name: "Demo \\ud83d\\ude80"')
    assert load_config(config).config.programs[0].name == "Demo \U0001f680"


@pytest.mark.parametrize(
    ("old", "new", "line", "where"),
    [
        ("start: 2026-01-01", "start: 9999-06-01", 12, "program.start"),
        ("start: 2026-01-01", "start: 1899-12-31", 12, "program.start"),
        ("deadline: 2026-06-30", "deadline: 2201-01-01", 22, "program.objectives[0].deadline"),
    ],
)
def test_config_dates_lie_between_1900_and_2200(
    tmp_path: Path, old: str, new: str, line: int, where: str
) -> None:
    config = project(tmp_path, old, new)
    day = new.split(": ")[1]
    assert_one_line(
        check(config),
        f"roicli: error: {config}:{line}: {where}: expected a date from 1900-01-01 to "
        f"2200-12-31, got {day} (check the year)",
    )


def test_a_baseline_period_lies_between_1900_and_2200(tmp_path: Path) -> None:
    config = project(tmp_path, "baseline: {value: 10}", "baseline: {period: 9999-12}")
    assert_one_line(
        check(config),
        f"roicli: error: {config}:20: program.objectives[0].baseline.period: expected a period "
        "from 1900 to 2200, got '9999-12' (check the year)",
    )


@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_as_of_lies_between_1900_and_2200(tmp_path: Path, period: str) -> None:
    config = project(tmp_path)
    result = invoke("check", "-q", "-c", str(config), "--as-of", "9999-12-31", "--period", period)
    assert_one_line(
        result,
        "roicli: error: --as-of: expected a date from 1900-01-01 to 2200-12-31, "
        "got 9999-12-31 (check the year)",
    )


@pytest.mark.parametrize("as_of", ["1900-01-01", "2200-12-31"])
@pytest.mark.parametrize("period", ["week", "month", "quarter"])
def test_the_first_and_last_days_compute(tmp_path: Path, as_of: str, period: str) -> None:
    start = as_of if as_of.startswith("2200") else "1900-01-01"
    config = project(tmp_path, "start: 2026-01-01", f"start: {start}")
    text = config.read_text(encoding="utf-8").replace(
        "deadline: 2026-06-30", "deadline: 2200-12-31"
    )
    config.write_text(text.replace("      baseline: {value: 10}\n", ""), encoding="utf-8")
    result = invoke("report", "-q", "-c", str(config), "--as-of", as_of, "--period", period)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("delimiter", "';;'", "(did you mean ';'?)"),
        ("delimiter", "'\\t'", "(did you mean '\\t'?)"),
        ("decimal", "',.'", "(write a single character, e.g. ';')"),
        ("thousands", "''", "(write a single character, e.g. ';')"),
    ],
)
def test_separators_are_one_character(tmp_path: Path, key: str, value: str, hint: str) -> None:
    config = project(tmp_path, "    layout: long\n", f"    layout: long\n    {key}: {value}\n")
    shown = {"'\\t'": "'\\\\t'"}.get(value, value)
    assert_one_line(
        check(config),
        f"roicli: error: {config}:5: sources[0].{key}: expected one character, got {shown} {hint}",
    )


def test_a_huge_number_is_quoted_cut_short(tmp_path: Path) -> None:
    config = project(tmp_path, "participants: 5", "participants: 1" + "0" * 5000)
    assert_one_line(
        check(config),
        f"roicli: error: {config}:13: program.participants: cannot read the value "
        f"'1{'0' * 58}…': 5,001 digits (numbers in a config are at most 10¹² in size)",
    )


def test_a_long_text_is_quoted_cut_short(tmp_path: Path) -> None:
    config = project(tmp_path, "level: impact", "level: " + "x" * 5000)
    result = check(config)
    assert result.exit_code == 2
    assert len(result.stderr) < 300
    assert f"got '{'x' * 59}…'" in result.stderr


def test_a_date_written_without_dashes(tmp_path: Path) -> None:
    config = project(tmp_path, "deadline: 2026-06-30", "deadline: 20260630")
    assert_one_line(
        check(config),
        f"roicli: error: {config}:22: program.objectives[0].deadline: "
        "expected a date like 2026-06-30, got 20260630",
    )


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("behavior", Level.APPLICATION),
        ("Behaviour", Level.APPLICATION),
        ("results", Level.IMPACT),
        ("reaction", Level.REACTION),
        ("learning", Level.LEARNING),
    ],
)
def test_kirkpatricks_names_are_levels(tmp_path: Path, name: str, level: Level) -> None:
    config = project(tmp_path, "level: impact", f"level: {name}")
    assert load_config(config).config.kpis["leads"].level is level


def test_a_misspelt_level_has_a_suggestion(tmp_path: Path) -> None:
    config = project(tmp_path, "level: impact", "level: impakt")
    assert_one_line(
        check(config),
        f"roicli: error: {config}:9: kpis.leads.level: expected one of 'input', 'reaction', "
        "'learning', 'application', 'impact' or 'roi', got 'impakt' (did you mean 'impact'?)",
    )
