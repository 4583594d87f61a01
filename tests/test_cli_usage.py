"""Bad usage through the real console entry point: one line on stderr, exit 2; a plain help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roicli.cli import app

ROICLI = Path(sys.executable).with_name("roicli")  # the installed console script


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``roicli ARGS`` through the console script (``cli.main()``), output captured."""
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [str(ROICLI), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["report", "--lang", "de"],
            "roicli: error: --lang: 'de' is not one of 'en', 'fr' (choose one of them)",
        ),
        (
            ["init", "--template", "bogus"],
            "roicli: error: --template: 'bogus' is not one of 'mentoring', 'seo', 'sales', "
            "'content' (choose one of them)",
        ),
        (
            ["report", "--lnag", "en"],
            "roicli: error: --lnag: no such option (did you mean --lang?)",
        ),
        (
            ["rport"],
            "roicli: error: no such command 'rport' (did you mean 'report'?)",
        ),
        (
            ["kpis", "show"],
            "roicli: error: missing argument 'key' (see 'roicli kpis show --help')",
        ),
        (
            ["kpis", "list", "--level", "9"],
            "roicli: error: --level: input should be less than or equal to 5 "
            "(see 'roicli kpis list --help')",
        ),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args: list[str], line: str, tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == line + "\n"
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # init wrote nothing


def test_bad_usage_through_the_typer_app_too() -> None:
    """Tests that drive ``app`` with CliRunner see the same line as the console script."""
    result = CliRunner().invoke(app, ["report", "--lang", "de"])
    assert result.exit_code == 2
    assert result.stderr == (
        "roicli: error: --lang: 'de' is not one of 'en', 'fr' (choose one of them)\n"
    )


def test_no_arguments_still_shows_the_help() -> None:
    result = run()
    assert result.returncode == 2
    assert "Usage: roicli [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert "report" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["kpis", "list", "--help"]])
def test_help_shows_flags_without_a_value_type(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert "<bool>" not in result.stdout
    flags = [row for row in result.stdout.splitlines() if "--help" in row]
    assert len(flags) == 1
    assert flags[0].split() == ["│", "--help", "Show", "this", "message", "and", "exit.", "│"]


def test_version_is_a_plain_flag() -> None:
    help_text = run("--help").stdout
    row = next(row for row in help_text.splitlines() if "--version" in row)
    assert row.split() == ["│", "--version", "Show", "the", "version", "and", "exit.", "│"]
    version = run("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("roicli ")
