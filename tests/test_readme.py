"""The README tells the truth: its config example loads against the bundled data, and its trend
excerpt is what the command prints."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roicli.cli import app
from roicli.project import load_project

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def block_after(marker: str, fence: str) -> str:
    start = README.index(marker)
    opening = README.index(f"```{fence}\n", start) + len(f"```{fence}\n")
    return README[opening : README.index("```", opening)]


def test_the_config_example_loads_against_the_bundled_data(tmp_path: Path) -> None:
    shutil.copytree(REPO / "sample_data", tmp_path / "sample_data")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "example.yaml"
    config.write_text(block_after("## The config file", "yaml"), encoding="utf-8")
    project = load_project(config)
    assert [program.name for program in project.loaded.config.programs] == [
        "SEO and content mentoring 2026"
    ]
    assert project.dataset.audits  # both sources read


def test_the_trend_excerpt_is_what_the_command_prints() -> None:
    result = CliRunner().invoke(
        app,
        [
            *("trend", "-c", str(REPO / "configs" / "roicli.yaml")),
            *("--kpi", "MQL", "--by", "group", "--as-of", "2026-10-31"),
        ],
        env={"COLUMNS": "160", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    printed = [re.sub(r"[│┃]", " ", line).split() for line in result.stdout.splitlines()]
    for line in block_after("`roicli trend --kpi MQL --by group", "").splitlines():
        words = line.split()
        if words and words[0] in ("lead-growth", "Marketing", "Sales"):
            assert words in printed, line
        elif words and words[0] == "difference":
            assert line.strip() in result.stdout


def test_the_verdict_shown_is_the_example_s() -> None:
    from datetime import date

    from roicli.analysis import analyse
    from roicli.enums import Lang
    from roicli.render.view import action_lines, verdict_lines

    analysis = analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=date(2026, 10, 31))
    block = block_after("## What a manager reads first", "")
    for line in verdict_lines(analysis, Lang.EN):
        assert line in block.splitlines()
    for index, line in enumerate(action_lines(analysis, Lang.EN), start=1):
        assert f"{index}. {line}" in block.splitlines()


@pytest.mark.parametrize(
    "args", [["report", "--lang", "de"], ["report", "--lnag", "fr"]], ids=["value", "option"]
)
def test_the_usage_error_lines_shown_are_printed(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.count("\n") == 0
    assert f"    {line}\n" in README
