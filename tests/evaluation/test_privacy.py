"""Pseudonymisation on reading and suppression of small groups."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.evaluation.conftest import PSEUDONYMISE, evaluation, read

from roicli.errors import ConfigError
from roicli.evaluation.figures import learning_cohorts, survey, survey_cohorts
from roicli.evaluation.privacy import (
    KEY_ENV_VAR,
    Pseudonymiser,
    pseudonymiser,
    suppressed_groups,
)
from roicli.evaluation.read import read_evaluation


def identities(path: Path, columns: list[int], skip: int, encoding: str = "utf-8") -> set[str]:
    """Every e-mail and name cell of the columns given, read here with the csv module."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))[skip:]
    return {row[i] for row in rows for i in columns if row and row[i]}


@pytest.mark.parametrize(
    ("folder", "name", "tool", "columns", "skip", "encoding"),
    [
        ("surveymonkey", "blackstone_sm_data_pre.csv", "surveymonkey", [4, 5, 6, 7], 2, "utf-8"),
        ("surveymonkey", "blackstone_sm_data_post.csv", "surveymonkey", [4, 5, 6, 7], 2, "utf-8"),
        (
            "moodle",
            "moodle_assignment_grading_worksheet_hw1_example.csv",
            "moodle",
            [1, 2],
            1,
            "utf-8-sig",
        ),
        (
            "moodle",
            "moodle_grades_export_course_totals_sample.csv",
            "moodle",
            [0, 1, 5],
            1,
            "utf-8",
        ),
    ],
)
def test_no_email_or_name_survives_reading(
    realdata: Path, folder: str, name: str, tool: str, columns: list[int], skip: int, encoding: str
) -> None:
    path = realdata / folder / name
    secret = identities(path, columns, skip, encoding)
    assert len(secret) > 100
    data = read(path, tool=tool)
    shown = repr(data) + repr(survey(data, participants=None, min_group_size=1))
    leaked = {value for value in secret if value in shown}
    assert not leaked
    full_names = identities(path, columns[-2:], skip, encoding)  # first and last, or full
    assert not any(name in shown for name in full_names if " " in name)


def test_emails_link_whatever_their_case_and_spaces() -> None:
    assert PSEUDONYMISE(" Ana.Silva@Example.ORG ") == PSEUDONYMISE("ana.silva@example.org")
    assert PSEUDONYMISE("mailto:ana.silva@example.org") == PSEUDONYMISE("ana.silva@example.org")
    assert PSEUDONYMISE("ana.silva@example.org") != PSEUDONYMISE("ana.silva@example.com")
    assert PSEUDONYMISE("  ") is None


def test_the_key_decides_the_pseudonyms() -> None:
    one = pseudonymiser({KEY_ENV_VAR: "x" * 16})
    again = pseudonymiser({KEY_ENV_VAR: "x" * 16})
    other = pseudonymiser({KEY_ENV_VAR: "y" * 16})
    assert one.stable
    assert one("a@b.org") == again("a@b.org") != other("a@b.org")
    first, second = pseudonymiser({}), pseudonymiser({})
    assert not first.stable
    assert first("a@b.org") != second("a@b.org")  # a random key per run
    assert "secret" not in repr(one)
    assert "x" * 16 not in repr(one)


def test_a_short_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        pseudonymiser({KEY_ENV_VAR: "short-key"})
    assert str(caught.value) == (
        "$ROICLI_PSEUDONYM_KEY is shorter than 16 characters (set it to a long random secret "
        "(e.g. from 'openssl rand -hex 32'), or unset it)"
    )


def test_one_small_group_takes_the_next_smallest_with_it() -> None:
    assert suppressed_groups({"a": 12, "b": 9, "c": 3}, 5) == {"b", "c"}
    assert suppressed_groups({"a": 12, "b": 3, "c": 4}, 5) == {"b", "c"}
    assert suppressed_groups({"a": 12, "b": 9}, 5) == frozenset()
    assert suppressed_groups({"a": 4}, 5) == {"a"}


GROUPED = "Email,Team,Q1,Score\n" + "".join(
    f"p{i}@example.org,{team},{answer},{score}\n"
    for i, (team, answer, score) in enumerate(
        [("mentors", "Agree", 10)] * 6 + [("mentees", "Strongly agree", 12)] * 3
    )
)


def test_groups_below_the_minimum_are_suppressed(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(GROUPED, encoding="utf-8")
    data = read(path, respondent="Email", group="Team", questions=["Q1"])
    figures, differences = survey_cohorts(data, min_group_size=5)
    by_group = {f.group: f for f in figures}
    # Mentees (3) are under 5; mentors (6) then give them away against the whole: both withheld.
    assert by_group["mentees"].suppressed
    assert by_group["mentors"].suppressed
    assert by_group["mentees"].respondents == 3
    assert by_group["mentees"].questions[0].mean is None
    assert by_group["mentees"].questions[0].distribution == ()
    assert [d.difference for d in differences] == [None]
    whole = survey(data, participants=None, min_group_size=5)
    assert not whole.suppressed
    assert whole.questions[0].mean == (6 * 4 + 3 * 5) / 9
    shown, _ = survey_cohorts(data, min_group_size=3)
    assert not any(f.suppressed for f in shown)


def test_learning_groups_below_the_minimum_are_suppressed(tmp_path: Path) -> None:
    pre_path = tmp_path / "pre.csv"
    pre_path.write_text(GROUPED, encoding="utf-8")
    post_path = tmp_path / "post.csv"
    post_path.write_text(GROUPED.replace(",10\n", ",14\n"), encoding="utf-8")
    settings = {"level": "learning", "respondent": "Email", "group": "Team", "score": "Score"}
    pre = read_evaluation(evaluation(pre_path, moment="before", **settings), PSEUDONYMISE)
    post = read(post_path, **settings)
    figures, differences = learning_cohorts(pre, post, min_group_size=5)
    assert [(f.group, f.paired, f.suppressed, f.gain) for f in figures] == [
        ("mentees", 3, True, None),
        ("mentors", 6, True, None),
    ]
    assert differences[0].difference is None


def test_pseudonymiser_repr_hides_its_secret() -> None:
    assert repr(Pseudonymiser(b"top secret key!!", stable=True)) == "Pseudonymiser(stable=True)"
