"""Small groups withheld in the report, through the console script on the mentoring template:
counts stay, figures go, in the JSON, the chain and the terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from tests.evaluation.test_mentoring_cli import FOLDER, init, report

MENTORS_KEPT = 4  # one fewer than min_group_size


def _report(root: Path) -> tuple[dict[str, Any], str]:
    """The programme's JSON and the Markdown report (whose cells are never wrapped)."""
    done = report(root, "--no-history", "--format", "json")
    assert done.returncode == 0, done.stderr
    text = report(root, "--no-history", "-q", "-o", "report.md")
    assert text.returncode == 0, text.stderr
    markdown = (root / "report.md").read_text(encoding="utf-8")
    return json.loads(done.stdout)["programs"][0], markdown


def _drop_mentors_post_test(root: Path) -> int:
    """Blank the post-test grade of every mentor but four (their status: not submitted);
    return how many mentee pairs remain."""
    roles = {}
    with (root / FOLDER / "pre-test.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["Quiz:Mentoring practice (Real)"] != "-":
                roles[row["Email address"].lower()] = row["Department"]
    path = root / FOLDER / "post-test.csv"
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    kept = 0
    mentees = 0
    for row in rows:
        role = roles.get(row["Email address"].lower())
        if not row["Grade"] or role is None:
            continue
        if role == "Mentee":
            mentees += 1
        elif kept < MENTORS_KEPT:
            kept += 1
        else:
            row["Grade"], row["Status"] = "", "No submission"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return mentees


def test_a_group_under_five_is_withheld_and_gives_the_other_away(tmp_path: Path) -> None:
    root = init(tmp_path / "project")
    mentees = _drop_mentors_post_test(root)
    programme, markdown = _report(root)
    test = programme["evaluation"]["learning"][0]
    groups = {group["group"]: group for group in test["groups"]}
    assert groups["Mentor"]["paired"] == MENTORS_KEPT
    assert groups["Mentee"]["paired"] == mentees >= 5
    # Four mentors are too few; with only two groups, the whole's figures minus the mentees'
    # would give the mentors away: the mentees' figures are withheld too.
    for group in groups.values():
        assert group["suppressed"]
        assert group["mean_gain"] is None
        assert group["pass_rate_post"] is None
    assert test["differences"][0]["difference"] is None
    assert test["paired"] == MENTORS_KEPT + mentees
    assert test["mean_gain"] is not None  # everyone together is enough
    assert markdown.count("| withheld (fewer than 5 people) |") == 2  # the learning table


def test_a_whole_survey_under_the_minimum_is_withheld_in_the_chain(tmp_path: Path) -> None:
    root = init(tmp_path / "project")
    config = root / "configs/roicli.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("min_group_size: 5", "min_group_size: 20"), encoding="utf-8")
    programme, markdown = _report(root)
    steps = {step["level"]: step for step in programme["chain"]}
    # 22 reaction answers and 22 pairs are enough; 18 follow-up answers are not.
    assert not steps["reaction"]["withheld"]
    assert not steps["learning"]["withheld"]
    application = steps["application"]
    assert application["withheld"]
    # Only the KPI objective's value stays: it is no one's answer.
    assert application["n"] == 18
    assert [f["name"] for f in application["figures"]] == ["kpi"]
    survey = programme["evaluation"]["surveys"][1]
    assert survey["suppressed"]
    assert all(q["mean"] is None and q["applying"] is None for q in survey["questions"])
    assert [q["answered"] for q in survey["questions"]][:2] == [18, 18]  # counts stay
    assert (
        "| Level 3 – Application and behaviour | withheld: too few people; Mentoring sessions "
        "held 30 sessions (Achieved) | n = 18 · follow-up.csv, sessions-held |"
    ) in markdown


@pytest.mark.parametrize("minimum", [5])
def test_the_template_withholds_nothing(tmp_path: Path, minimum: int) -> None:
    root = init(tmp_path / "project")
    programme, _ = _report(root)
    evaluation = programme["evaluation"]
    assert evaluation["min_group_size"] == minimum
    shown = [*evaluation["surveys"], *evaluation["learning"]]
    assert not any(item["suppressed"] for item in shown)
    assert not any(g["suppressed"] for item in shown for g in item["groups"])
