"""The exact one-line errors of the evaluation reader: where, what, and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.evaluation.conftest import read

from roicli.errors import DataError


def written(folder: Path, text: str, name: str = "test.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_line(path: Path, **settings: object) -> str:
    with pytest.raises(DataError) as caught:
        read(path, **settings)
    return str(caught.value)


def test_participant_key_missing_for_a_learning_test(tmp_path: Path) -> None:
    path = written(tmp_path, "Score\n12\n15\n")
    assert error_line(path, level="learning", score="Score") == (
        f"{path}: no participant key column (looked for: none for this tool); a learning test "
        "pairs each participant's scores by it (set respondent: to the column holding the "
        "participant's e-mail, id or name)"
    )


def test_participant_key_column_named_wrong(tmp_path: Path) -> None:
    path = written(tmp_path, "E-mail address,Score\nana@example.org,12\n")
    assert error_line(path, level="learning", respondent="Email adress", score=2) == (
        f"{path}: column 'Email adress' (respondent) not found (did you mean 'E-mail address'?) "
        "(set respondent to a column's header, code or position (1 = the first column))"
    )


def test_likert_label_not_on_the_configured_scale(tmp_path: Path) -> None:
    path = written(tmp_path, "Q1\nAgree\nStronly agree\n")
    assert error_line(path, scale="agreement") == (
        f"{path}, row 3, column 'Q1': 'Stronly agree' is not on the agreement scale (did you "
        "mean 'Strongly agree'?) (correct the answer, or give the evaluation a scale: that holds "
        "it, and list under questions: the columns on that scale)"
    )


def test_likert_near_miss_stopped_without_a_configured_scale(tmp_path: Path) -> None:
    answers = ["Agree", "Strongly agree", "Disagree", "Agree", "Strongly  Agree", "Agre"]
    path = written(tmp_path, "Q1\n" + "\n".join(answers) + "\n")
    assert error_line(path) == (
        f"{path}, row 7, column 'Q1': 'Agre' is not on the agreement scale (did you mean "
        "'Agree'?) (correct the answer, or give the evaluation a scale: that holds it, and list "
        "under questions: the columns on that scale)"
    )


def test_score_above_its_maximum(tmp_path: Path) -> None:
    path = written(tmp_path, "Email,Score\na@example.org,18\nb@example.org,25\n")
    assert error_line(path, level="learning", respondent="Email", score="Score", max_score=20) == (
        f"{path}, row 3, column 'Score': score 25 is above the maximum 20 (check the score, or "
        "set max_score: to the test's maximum)"
    )


def test_score_above_the_maximum_it_states(tmp_path: Path) -> None:
    path = written(tmp_path, "Email,Score\na@example.org,7/10\nb@example.org,12/10\n")
    message = error_line(path, level="learning", respondent="Email", score="Score")
    assert message.startswith(f"{path}, row 3, column 'Score': score 12 is above the maximum 10")


def test_a_bad_row_names_its_row_never_the_participant(tmp_path: Path) -> None:
    path = written(tmp_path, "Email,Score\nsecret.person@example.org,abc\n")
    message = error_line(path, level="learning", respondent="Email", score="Score")
    assert message == (
        f"{path}, row 2, column 'Score': cannot read 'abc' as a score (scores are numbers such "
        "as 72, 72.5, 72% or 18/25)"
    )
    assert "secret" not in message


def test_a_personal_column_cannot_be_a_question(tmp_path: Path) -> None:
    path = written(tmp_path, "Name,Q1\nAna,Agree\n")
    assert error_line(path, questions=["Name"]) == (
        f"{path}: column 'Name' identifies people (names, e-mail or IP addresses): it cannot be "
        "a question (remove it from questions: (set respondent: to it to link answers))"
    )


def test_a_repeated_header_must_be_given_by_position(tmp_path: Path) -> None:
    path = written(tmp_path, "Why?,Q,Why?\na,b,c\n")
    assert error_line(path, questions=["Why?"]) == (
        f"{path}: 'Why?' (questions) heads several columns (1, 3) (set questions to the "
        "position of the one meant)"
    )


def test_an_unreadable_timestamp(tmp_path: Path) -> None:
    path = written(tmp_path, "Timestamp,Q1\n12/13/2019 12:02:32,4\nyesterday,5\n")
    assert error_line(path, tool="google_forms") == (
        f"{path}, row 3, column 'Timestamp': cannot read 'yesterday' as a date and time (check "
        "the timestamp column, or set timestamp: to another column)"
    )
