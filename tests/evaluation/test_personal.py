"""Questions answered with people's names ("Who was your mentor?") give counts only: recognised
by their header, or listed under ``personal:``; a Likert question about a mentor keeps its
scores."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.evaluation.conftest import evaluation, read
from tests.evaluation.test_mentoring_cli import OUTPUTS, init, report, written

from roicli.errors import DataError
from roicli.evaluation.figures import survey
from roicli.evaluation.model import Kind
from roicli.evaluation.privacy import names_people

MENTOR = "Ysolde Kerbrat"


@pytest.mark.parametrize(
    "header",
    [
        "Who was your mentor?",
        "Q7. Who did you work with?",
        "With whom did you practise?",
        "Which coach did you work with?",
        "Your trainer",
        "Line manager",
        "Supervisor",
        "Buddy",
        "Nom de votre tuteur",
        "Tutrice",
        "Qui était votre formateur ?",
        "Avec qui avez-vous travaillé ?",
        "Votre formatrice",
        "Parrain ou marraine",
        "Mentoré·e",
        "Votre responsable",
        "mentor_name",
    ],
)
def test_headers_that_ask_for_a_person(header: str) -> None:
    assert names_people(header)


@pytest.mark.parametrize(
    "header",
    [
        "Qu'est-ce qui vous a le plus aidé ?",
        "Ce qui a changé dans mon travail",
        "Participants who attended the kick-off, in your team",
        "How useful was the mentoring?",
        "Votre avis sur le parrainage",
        "Coaching format preferred",
        "Your department",
        "Le module le plus utile",
    ],
)
def test_headers_that_do_not(header: str) -> None:
    assert not names_people(header)


def _survey(folder: Path, rows: list[list[str]], header: list[str]) -> Path:
    path = folder / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *rows])
    return path


LIKERT = [
    "Strongly agree",
    "Agree",
    "Agree",
    "Neither agree nor disagree",
    "Strongly agree",
    "Agree",
]
HEADER = ["Role", "Who was your mentor?", "My mentor was helpful", "Your department"]


def _six_mentees(tmp_path: Path) -> Path:
    """Six mentees of the same mentor, all in Sales."""
    return _survey(tmp_path, [["Mentee", MENTOR, answer, "Sales"] for answer in LIKERT], HEADER)


def test_the_mentor_of_six_is_counted_never_named(tmp_path: Path) -> None:
    data = read(_six_mentees(tmp_path), questions=[2, 3, 4])
    assert [a.kind for a in data.answers] == [Kind.PERSON, Kind.SCALE, Kind.CATEGORY]
    assert MENTOR not in repr(data)
    figures = survey(data, participants=None, min_group_size=5)
    who, helpful, department = figures.questions
    assert (who.answered, who.distribution, who.mean) == (6, (), None)
    # Strongly agree 5, Agree 4, Neither 3: (5 + 4 + 4 + 3 + 5 + 4) / 6 = 25 / 6.
    assert helpful.mean == pytest.approx(25 / 6)
    assert helpful.top_two == pytest.approx(5 / 6)  # all but the "Neither"
    # A department of six is a category like any other: shown with its count.
    assert [(c.label, c.count) for c in department.distribution] == [("Sales", 6)]


def test_listed_as_personal_by_position_or_label(tmp_path: Path) -> None:
    path = _six_mentees(tmp_path)
    for ref in (4, "Your department"):
        data = read(path, questions=[2, 3, 4], personal=[ref])
        kinds = {a.question.text: a.kind for a in data.answers}
        assert kinds["Your department"] is Kind.PERSON
        assert "Sales" not in repr(data)
    # Listed, a scale question is counted only too: the config's word wins.
    data = read(path, questions=[3], personal=["My mentor was helpful"])
    only = survey(data, participants=None, min_group_size=5).questions[0]
    assert (only.kind, only.answered, only.mean, only.distribution) == (Kind.PERSON, 6, None, ())


def test_a_listed_tick_column_is_left_out(tmp_path: Path) -> None:
    # Typeform spreads a multiple choice over one column per option, headed by the option and
    # holding it when ticked: here a coach's name.
    header = ["Role", MENTOR, "Overall rating"]
    rows = [["Mentee", MENTOR if i < 4 else "", "4"] for i in range(6)]
    path = _survey(tmp_path, rows, header)
    data = read(path, tool="typeform", personal=[2])
    assert [a.question.text for a in data.answers] == ["Role", "Overall rating"]
    assert MENTOR not in repr(data.answers)


def test_a_multiple_choice_of_people_is_left_out_by_its_question(tmp_path: Path) -> None:
    # LimeSurvey writes one column per option, "question [option]", "Y" when ticked: a
    # question asking which coach names a coach in each header; a barrier that mentions a
    # manager does not ask for anyone.
    header = [
        "id. Response ID",
        f"G1Q1[SQ001]. Which coach did you work with? [{MENTOR}]",
        "G1Q1[SQ002]. Which coach did you work with? [Anatole Vasseur]",
        "G2Q1[SQ001]. What makes it hard to apply? [No support from my manager]",
    ]
    rows = [
        [str(i), "Y" if i < 4 else "", "" if i < 4 else "Y", "Y" if i % 2 else ""]
        for i in range(1, 7)
    ]
    data = read(_survey(tmp_path, rows, header), tool="limesurvey")
    assert [(a.question.code, a.kind) for a in data.answers] == [("G2Q1[SQ001]", Kind.CHOICE)]
    assert MENTOR not in repr(data)
    # SurveyMonkey's two header rows, joined: the question, then the option.
    rows = [["1", "Ysolde Kerbrat" if i < 5 else "", "4"] for i in range(6)]
    header = ["Respondent ID", "Which coach did you work with?", "Overall rating"]
    second = ["", MENTOR, "Response"]
    path = tmp_path / "monkey.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, second, *rows])
    data = read(path, tool="surveymonkey")
    assert [a.question.text for a in data.answers] == ["Overall rating"]


def test_a_question_asking_for_a_person_in_a_second_header_row_is_counted(
    tmp_path: Path,
) -> None:
    # A SurveyMonkey matrix of open questions: "About the programme", then each row's question.
    header = ["Respondent ID", "About the programme", ""]
    second = ["", "Who was your mentor?", "What did you like?"]
    likes = ["The talks", "The talks", "The talks", "The talks", "The talks", "The food"]
    rows = [[str(i), MENTOR, like] for i, like in enumerate(likes)]
    path = tmp_path / "monkey.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, second, *rows])
    data = read(path, tool="surveymonkey")
    kinds = [(a.question.text, a.kind) for a in data.answers]
    assert kinds == [
        ("About the programme — Who was your mentor?", Kind.PERSON),
        ("About the programme — What did you like?", Kind.CATEGORY),
    ]
    assert MENTOR not in repr(data)


def test_the_group_cannot_be_listed_as_personal(tmp_path: Path) -> None:
    path = _six_mentees(tmp_path)
    with pytest.raises(DataError) as caught:
        read(path, group="Who was your mentor?", personal=[2])
    assert str(caught.value) == (
        f"{path}: column 'Who was your mentor?' is listed under personal: (its answers name "
        "people), so it cannot be the group: every report names the groups (set group: to a "
        "column of roles, waves or teams)"
    )


def test_personal_names_no_column_of_xapi_statements(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no header_rows, sheet, questions or personal"):
        evaluation(tmp_path / "statements.json", tool="xapi", personal=[2])


# ── through the console script, in every output ──────────────────────────────────────────────

OTHER_MENTOR = "Anatole Vasseur"
# The template's 11 mentees, in the file's order: the first six name one mentor, the other
# five another (each answer given by at least min_group_size = 5 people).
HELPFUL = [
    *("Strongly agree", "Agree", "Agree", "Disagree", "Strongly agree", "Agree"),
    *("Agree", "Strongly agree", "Neither agree nor disagree", "Agree", "Strongly agree"),
]
# Departments: mentees Marketing × 8, Procurement × 2, Sales × 1; mentors Marketing × 6,
# Sales × 5. Everyone: Marketing 14, Sales 6, Procurement 2 (rare: "other answers"). Sales is
# rare among mentees: shown for the mentors (5), everyone's 6 would give the mentee away, so it
# is "other answers" in both groups.
MENTEE_DEPARTMENTS = ["Marketing"] * 8 + ["Procurement"] * 2 + ["Sales"]
MENTOR_DEPARTMENTS = ["Marketing"] * 6 + ["Sales"] * 5


def _add_questions(root: Path) -> None:
    path = root / "sample_data/evaluations/reaction.csv"
    with path.open(encoding="utf-8", newline="") as file:
        table = list(csv.reader(file))
    header, body = table[0], table[1:]
    role = header.index("Your role in the programme")
    mentees = mentors = 0
    for row in body:
        if row[role] == "Mentee":
            mentor = MENTOR if mentees < 6 else OTHER_MENTOR
            row += [mentor, HELPFUL[mentees], MENTEE_DEPARTMENTS[mentees]]
            mentees += 1
        else:
            row += ["", "", MENTOR_DEPARTMENTS[mentors]]
            mentors += 1
    assert (mentees, mentors) == (11, 11)
    added = ["Who was your mentor?", "My mentor was helpful", "Your department"]
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([[*header, *added], *body])


def test_no_mentor_or_rare_answer_in_any_written_file(tmp_path: Path) -> None:
    root = init(tmp_path / "project")
    _add_questions(root)
    done = report(root, *(arg for name in OUTPUTS for arg in ("-o", f"out/{name}")))
    assert done.returncode == 0, done.stderr
    (root / "terminal.txt").write_text(done.stdout, encoding="utf-8")
    french = report(
        root, "--lang", "fr", "-o", "out/fr.md", "-o", "out/fr.xlsx", "-o", "out/fr.html"
    )
    assert french.returncode == 0, french.stderr
    (root / "terminal-fr.txt").write_text(french.stdout, encoding="utf-8")
    texts = written(root)
    assert set(texts) >= {*OUTPUTS, "fr.md", "fr.xlsx", "fr.html", "history"}
    for name, text in texts.items():
        for secret in (MENTOR, OTHER_MENTOR, *MENTOR.split(), *OTHER_MENTOR.split(), "Procurement"):
            assert secret.casefold() not in text.casefold(), (name, secret)
        assert "Sales 5" not in text, name  # the mentors' Sales, which would give one away
    data = json.loads((root / "out/report.json").read_text(encoding="utf-8"))
    survey = data["programs"][0]["evaluation"]["surveys"][0]
    questions = {q["label"]: q for q in survey["questions"]}
    who = questions["Who was your mentor?"]
    assert (who["kind"], who["answered"], who["distribution"]) == ("person", 11, {})
    # Strongly agree 5 (4 times), Agree 4 (5 times), Neither 3, Disagree 2:
    # (20 + 20 + 3 + 2) / 11 = 45 / 11; top-2-box 9 of 11.
    helpful = questions["My mentor was helpful"]
    assert helpful["mean"] == pytest.approx(45 / 11, abs=1e-6)
    assert helpful["top_two"] == pytest.approx(9 / 11, abs=1e-6)
    other = "(other answers)"
    department = questions["Your department"]["distribution"]
    assert department == {"Marketing": 14, "Sales": 6, other: 2}
    by_group = {
        g["group"]: next(q for q in g["questions"] if q["label"] == "Your department")
        for g in survey["groups"]
    }
    assert by_group["Mentee"]["distribution"] == {"Marketing": 8, other: 3}
    assert by_group["Mentor"]["distribution"] == {"Marketing": 6, other: 5}
    markdown = (root / "out/report.md").read_text(encoding="utf-8")
    assert (
        "| Who was your mentor? | All | 11 | answers name people: counted, never shown |"
        in markdown
    )
    assert "| Marketing 14, Sales 6, other answers 2 |" in markdown
    assert "| Marketing 6, other answers 5 |" in markdown
    assert "les réponses désignent des personnes : comptées, jamais montrées" in texts["fr.md"]
    assert "| Marketing 6, autres réponses 5 |" in texts["fr.md"]
