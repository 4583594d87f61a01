"""The presets with no real export in shared/realdata, on files written as those tools do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from tests.evaluation.conftest import read

from roicli.evaluation.figures import learning, survey
from roicli.evaluation.model import Kind


def test_microsoft_forms_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "How useful was it?"])
    started = dt.datetime(2026, 3, 4, 9, 0)
    for i, answer in enumerate(["Very satisfied", "Satisfied", "Very satisfied"], start=1):
        done = started + dt.timedelta(minutes=2 * i)
        sheet.append([i, started, done, f"p{i}@x.org", f"Person {i}", answer])
    path = tmp_path / "forms.xlsx"
    book.save(path)
    data = read(path, tool="microsoft_forms")
    assert [r.duration for r in data.responses] == [120, 240, 360]
    (useful,) = data.answers
    assert useful.question.position == 6  # ID, times, e-mail and name are never questions
    assert useful.scale is not None
    assert useful.scale.name == "satisfaction"
    assert "Person 1" not in repr(data)


def test_google_forms_french_sheet_reads_day_first(tmp_path: Path) -> None:
    path = tmp_path / "reponses.csv"
    path.write_text(
        "Horodateur,La formation était utile\n"
        "13/12/2019 12:02:32,Tout à fait d’accord\n"
        "01/02/2020 09:00:00,Pas d'accord\n",
        encoding="utf-8",
    )
    data = read(path, tool="google_forms")
    assert [r.timestamp for r in data.responses] == [
        dt.datetime(2019, 12, 13, 12, 2, 32),
        dt.datetime(2020, 2, 1, 9, 0),
    ]
    assert data.answers[0].scores == (5.0, 2.0)


def test_canvas_gradebook_points_possible(tmp_path: Path) -> None:
    header = "Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (101),Final (102)\n"
    path = tmp_path / "pre.csv"
    path.write_text(
        header
        + "    Points Possible,,,,,20,50\n"
        + '"Silva, Ana",11,s1,ana,Wave 1,12,30\n'
        + '"Roy, Ben",12,s2,ben,Wave 1,15,41\n'
        + '"Student, Test",99,,,Wave 1,20,50\n',
        encoding="utf-8",
    )
    post = tmp_path / "post.csv"
    post.write_text(
        header + "    Points Possible,,,,,20,50\n" + '"Silva, Ana",11,s1,ana,Wave 1,18,45\n',
        encoding="utf-8",
    )
    before = read(path, tool="canvas", level="learning", moment="before", score="Final (102)")
    after = read(post, tool="canvas", level="learning", score="Final (102)")
    assert len(before.responses) == 2  # the maximum row and the test student are not people
    assert before.score is not None
    assert (before.score.values, before.score.maximum) == ((30.0, 41.0), 50.0)
    assert before.responses[0].group == "Wave 1"
    assert "Silva" not in repr(before)
    figures = learning(before, after, min_group_size=1)
    assert (figures.paired, figures.unpaired_pre) == (1, 1)
    assert figures.normalised_gain == (45 - 30) / (50 - 30)
    quiz = survey(before, participants=None, min_group_size=1).questions[0]
    assert (quiz.kind, quiz.mean) == (Kind.NUMBER, 13.5)
