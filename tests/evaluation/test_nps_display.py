"""The NPS is written as a whole number, the convention, wherever a report writes it (the chain,
the survey tables, in both languages); the JSON and the workbook's cell keep the exact value."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest
from tests.evaluation.test_mentoring_cli import FOLDER, init, report

from roicli.enums import Lang
from roicli.render.evaluation_view import Cell, words
from roicli.render.tables import Kind

RECOMMEND = "How likely are you to recommend this programme to a colleague?"
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (400 / 11, Lang.EN, "36"),  # (6 − 2) / 11 × 100 = 36.36…
        (600 / 11, Lang.EN, "55"),  # 54.5454…: up
        (12.5, Lang.EN, "13"),  # half-up, as every figure of the report
        (-200 / 11, Lang.EN, "-18"),  # −18.18…
        (100.0, Lang.FR, "100"),
    ],
)
def test_an_nps_in_words_is_whole(value: float, lang: Lang, shown: str) -> None:
    assert words(Cell(Kind.WHOLE, value), "EUR", lang) == shown


def _recommend_6_3_2(root: Path) -> None:
    """In each group of 11 (mentors, mentees): 6 promoters (9-10), 3 passives (7-8) and 2
    detractors (0-6)."""
    path = root / FOLDER / "reaction.csv"
    with path.open(encoding="utf-8", newline="") as file:
        table = list(csv.reader(file))
    header, body = table[0], table[1:]
    role, column = header.index("Your role in the programme"), header.index(RECOMMEND)
    answers = ["10", "9", "10", "9", "10", "9", "8", "7", "8", "6", "3"]
    seen = {"Mentor": 0, "Mentee": 0}
    for row in body:
        row[column] = answers[seen[row[role]]]
        seen[row[role]] += 1
    assert seen == {"Mentor": 11, "Mentee": 11}
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(table)


def test_the_nps_is_whole_in_every_output(tmp_path: Path) -> None:
    root = init(tmp_path / "project")
    _recommend_6_3_2(root)
    outputs = ("-o", "r.json", "-o", "r.md", "-o", "r.html", "-o", "r.xlsx")
    done = report(root, "--no-history", *outputs)
    assert done.returncode == 0, done.stderr
    french = report(root, "--no-history", "--lang", "fr", "-o", "fr.md")
    assert french.returncode == 0, french.stderr
    # 12 promoters, 6 passives, 4 detractors of 22: (12 − 4) / 22 × 100 = 36.3636…
    exact = 800 / 22
    programme = json.loads((root / "r.json").read_text(encoding="utf-8"))["programs"][0]
    survey = programme["evaluation"]["surveys"][0]
    question = next(q for q in survey["questions"] if q["label"] == RECOMMEND)
    assert question["nps"] == pytest.approx(exact, abs=1e-6)
    assert [g["questions"][2]["nps"] for g in survey["groups"]] == [pytest.approx(exact)] * 2
    reaction = next(s for s in programme["chain"] if s["level"] == "reaction")
    nps = next(f for f in reaction["figures"] if f["name"] == "nps")
    assert (nps["value"], nps["measure"]) == (pytest.approx(exact, abs=1e-6), "whole")
    markdown = (root / "r.md").read_text(encoding="utf-8")
    assert "; NPS 36; " in markdown
    rows = [
        line.split(" | ") for line in markdown.splitlines() if line.startswith(f"| {RECOMMEND}")
    ]
    # The survey table's rows (8 columns, the 7th the NPS): everyone, then each group.
    assert [cells[6] for cells in rows if len(cells) == 8] == ["36", "36", "36"]
    assert not re.search(r"NPS 36[.,]\d", markdown + (root / "r.html").read_text("utf-8"))
    assert "NPS 36;" in (root / "r.html").read_text(encoding="utf-8")
    assert "; NPS 36 ; " in (root / "fr.md").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(root / "r.xlsx")["Evaluation"]
    # The survey table's rows: their third cell is the count of answers (22, 11, 11).
    cells = [
        row
        for row in sheet.iter_rows()
        if row[0].value == RECOMMEND and isinstance(row[2].value, int)
    ]
    assert [(c[6].value, c[6].number_format) for c in cells] == [
        (pytest.approx(exact, abs=1e-6), "#,##0")
    ] * 3


def test_the_readme_chain_is_the_template_s(tmp_path: Path) -> None:
    """The chain of impact the README shows is the mentoring template's, as reported."""
    root = init(tmp_path / "project")
    done = report(root, "--no-history", "-q", "-o", "r.md")
    assert done.returncode == 0, done.stderr
    markdown = (root / "r.md").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    start = readme.index("| Kirkpatrick level | Headline | Evidence |")
    shown = readme[start : readme.index("\n\n", start)].splitlines()
    assert any("NPS 55;" in line for line in shown)  # (16 − 4) / 22 = 54.5…
    assert [line for line in shown if line not in markdown] == []
