"""Each preset on the real exports, as they are; every expected figure is counted here with the
csv and json modules, never with the reader."""

from __future__ import annotations

import csv
import json
import statistics
from collections import Counter
from pathlib import Path

from tests.evaluation.conftest import read

from roicli.evaluation.figures import completion, learning, survey
from roicli.evaluation.model import Answers, EvaluationData, Kind


def records(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return [row for row in csv.reader(handle) if row]


def answers_of(data: EvaluationData, position: int) -> Answers:
    return next(a for a in data.answers if a.question.position == position)


def nps_by_hand(cells: list[str]) -> float:
    scores = [int(cell) for cell in cells if cell]
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)
    return (promoters - detractors) / len(scores) * 100


def test_google_forms_csv(realdata: Path) -> None:
    path = realdata / "google-forms" / "r_community_survey_2019_es_responses.csv"
    rows = records(path)
    body = rows[1:]
    data = read(path, tool="google_forms")
    assert len(data.responses) == len(body) == 338
    months = Counter(r.timestamp.strftime("%Y-%m") for r in data.responses if r.timestamp)
    by_hand = Counter(
        f"{cell.split()[0].split('/')[2]}-{int(cell.split('/')[0]):02d}"
        for cell in (r[0] for r in body)
    )
    assert months == by_hand == {"2019-12": 227, "2020-01": 111}
    recommend_r = answers_of(data, 19)
    assert recommend_r.kind is Kind.NPS
    figures = survey(data, participants=400, min_group_size=5)
    shown = next(q for q in figures.questions if q.label == recommend_r.question.label)
    assert shown.nps is not None
    assert abs(shown.nps - nps_by_hand([r[18] for r in body])) < 1e-9
    assert shown.answered == sum(1 for r in body if r[18]) == 331
    assert figures.response_rate == 338 / 400
    # Columns 6 and 14 share their header: both are kept, told apart by position.
    assert rows[0][5] == rows[0][13]
    assert {answers_of(data, 6).question.text, answers_of(data, 14).question.text} == {rows[0][5]}


def test_google_forms_xlsx_gives_the_csv_figures(realdata: Path) -> None:
    folder = realdata / "google-forms"
    from_csv = read(folder / "r_community_survey_2019_es_responses.csv", tool="google_forms")
    from_xlsx = read(folder / "r_community_survey_2019_es_responses.xlsx", tool="google_forms")
    assert len(from_xlsx.responses) == len(from_csv.responses)
    csv_figures = survey(from_csv, participants=None, min_group_size=5).questions
    xlsx_figures = survey(from_xlsx, participants=None, min_group_size=5).questions
    numeric = [(a, b) for a, b in zip(csv_figures, xlsx_figures, strict=True) if a.mean is not None]
    assert numeric
    for a, b in numeric:
        assert (a.label, a.answered, a.nps) == (b.label, b.answered, b.nps)
        assert a.mean is not None
        assert b.mean is not None
        assert abs(a.mean - b.mean) < 1e-12
    # The workbook keeps the milliseconds the CSV rounds away.
    first = from_xlsx.responses[0].timestamp
    assert first is not None
    assert first.microsecond == 994000


def test_typeform_html_headers_and_spread_choices(realdata: Path) -> None:
    path = realdata / "typeform" / "coderefinery_pre_workshop_aalto-may-2018.csv"
    rows = records(path)
    header, body = rows[0], rows[1:]
    data = read(path, tool="typeform")
    assert len(data.responses) == len(body) == 48
    git = answers_of(data, header.index("Git") + 1)
    assert git.kind is Kind.CHOICE
    assert git.answered == sum(1 for r in body if r[header.index("Git")] == "Git")
    experience = next(a for a in data.answers if "programming experience" in a.question.text)
    assert experience.question.text == "How would you describe your programming experience?"
    # "Other" heads six columns: each is its own question, named by position.
    positions = [i + 1 for i, name in enumerate(header) if name == "Other"]
    answered = [p for p in positions if any(r[p - 1] for r in body)]
    others = [a.question.position for a in data.answers if a.question.text == "Other"]
    assert others == answered
    every = read(path, tool="typeform", questions=positions)
    assert [a.question.position for a in every.answers] == positions
    assert len(positions) == 6
    submitted = [r.timestamp for r in data.responses if r.timestamp is not None]
    assert len(submitted) == len(body)
    assert min(submitted).isoformat(sep=" ") == min(r[-1] for r in body)
    assert all(r.duration is not None and r.duration >= 0 for r in data.responses)


LEVELS = {
    "knowledgeable": [
        "Not knowledgeable at all",
        "A little knowledgeable",
        "Somewhat knowledgeable",
        "Very knowledgeable",
        "Extremely knowledgeable",
    ],
    "confident": [
        "Not at all confident",
        "Slightly confident",
        "Somewhat confident",
        "Very confident",
        "Extremely confident",
    ],
    "extent": ["Minimal", "Slight", "Moderate", "Good", "Extensive"],
    "agree": [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ],
}
SCORE_OF = {label: i + 1 for labels in LEVELS.values() for i, label in enumerate(labels)}


def mean_likert(row: list[str]) -> float:
    return statistics.fmean(SCORE_OF[cell] for cell in row[9:29])


def test_surveymonkey_pre_post_paired_by_email(realdata: Path) -> None:
    folder = realdata / "surveymonkey"
    pre_rows = records(folder / "blackstone_sm_data_pre.csv")[2:]
    post_rows = records(folder / "blackstone_sm_data_post.csv")[2:]
    pre = read(
        folder / "blackstone_sm_data_pre.csv",
        tool="surveymonkey",
        level="learning",
        moment="before",
    )
    post = read(folder / "blackstone_sm_data_post.csv", tool="surveymonkey", level="learning")
    figures = learning(pre, post, min_group_size=5)
    # By hand: each respondent's mean over the 20 Likert columns, paired by e-mail (column 6).
    before = {r[5]: mean_likert(r) for r in pre_rows}
    gains = [mean_likert(r) - before[r[5]] for r in post_rows]
    assert figures.paired == len(gains) == 100
    assert (figures.unpaired_pre, figures.unpaired_post) == (0, 0)
    assert figures.gain is not None
    assert abs(figures.gain.mean - statistics.fmean(gains)) < 1e-12
    assert figures.gain.sd is not None
    assert abs(figures.gain.sd - statistics.stdev(gains)) < 1e-12
    assert figures.maximum == 5
    # The post file's 5 open-ended columns hold "NA" for no answer: free text, NA not counted.
    texts = [a for a in post.answers if a.kind is Kind.TEXT]
    assert len(texts) == 5
    header = records(folder / "blackstone_sm_data_post.csv")[0]
    for answers in texts:
        column = answers.question.position - 1
        assert header[column] == "" or header[column].startswith("Please describe")
        assert answers.answered == sum(1 for r in post_rows if r[column] not in ("", "NA"))
    # A matrix row is named by the matrix's question and its own text.
    first = answers_of(pre, 11)
    assert first.question.text == (
        "Please rate your level of confidence in performing the following research tasks on a "
        "scale from not at all confident to extremely confident. — Research relevant background "
        "literature"
    )
    assert first.scale is not None
    assert first.scale.name == "confidence"


def test_qualtrics_current_and_legacy(realdata: Path) -> None:
    folder = realdata / "qualtrics"
    current = read(folder / "qualtrics_sample_de_labels.csv", tool="qualtrics", questions=["Q1"])
    legacy = read(folder / "qualtrics_sample_legacy.csv", tool="qualtrics", questions=["Q1"])
    for data, row in ((current, 4), (legacy, 3)):
        (response,) = data.responses
        assert response.row == row  # three header rows, then two
        (q1,) = data.answers
        assert q1.question.code == "Q1"
        assert q1.question.text == "This is a multiple choice question."
        assert q1.scores == (2.0,)
        assert response.completed is True
    assert current.responses[0].duration == 38
    assert current.responses[0].participant == legacy.responses[0].participant  # same ResponseId


def test_limesurvey_texts_and_codes_agree(realdata: Path) -> None:
    folder = realdata / "limesurvey"
    rows = records(folder / "results-survey945827-202004302207.csv", "utf-8-sig")
    body = rows[1:]
    texts = read(folder / "results-survey945827-202004302207.csv", tool="limesurvey")
    codes_scale = (
        {f"D{i}": 5 - i for i in range(1, 5)} | {"N0": 5} | {f"A{i}": 5 + i for i in range(1, 5)}
    )
    codes = read(
        folder / "results-survey945827-202004302207-codes.csv",
        tool="limesurvey",
        questions=[f"LikertTypePage1[{i}]" for i in range(1, 10)],
        scale=codes_scale,
    )
    assert len(texts.responses) == len(codes.responses) == len(body) == 65
    assert sum(1 for r in texts.responses if r.completed) == sum(1 for r in body if r[1]) == 25
    assert all(r.timestamp is None for r in texts.responses)  # 1980-01-01: no date stamps
    for i in range(1, 10):
        by_text = next(a for a in texts.answers if a.question.code == f"LikertTypePage1[{i}]")
        by_code = next(a for a in codes.answers if a.question.code == f"LikertTypePage1[{i}]")
        column = 11 + i
        by_hand = [int(r[column].split(".")[0]) for r in body if r[column]]
        assert by_text.scale is not None
        assert by_text.scale.name == "numbered"
        assert by_text.scores == by_code.scores
        assert statistics.fmean(s for s in by_text.scores if s is not None) == statistics.fmean(
            by_hand
        )


def test_moodle_worksheet_and_gradebook_link_by_email(realdata: Path) -> None:
    folder = realdata / "moodle"
    rows = records(folder / "moodle_assignment_grading_worksheet_hw1_example.csv", "utf-8-sig")
    body = rows[1:]
    worksheet = read(folder / "moodle_assignment_grading_worksheet_hw1_example.csv", tool="moodle")
    gradebook = read(folder / "moodle_grades_export_course_totals_sample.csv", tool="moodle")
    assert len(worksheet.responses) == len(body) == 200
    figures = completion(worksheet, participants=None)
    assert figures.completed == sum(1 for r in body if r[3].startswith("Submitted")) == 200
    assert worksheet.score is None  # the Grade column is empty on every row
    stamped = [r.timestamp for r in worksheet.responses if r.timestamp is not None]
    assert len(stamped) == sum(1 for r in body if r[7] != "-")
    assert stamped[0] == worksheet.responses[0].timestamp
    assert stamped[0].isoformat() == "2022-02-07T22:45:00"
    # The same synthetic students in both exports: the same pseudonyms.
    assert {r.participant for r in worksheet.responses} == {
        r.participant for r in gradebook.responses
    }
    assert len({r.participant for r in worksheet.responses}) == len({r[2] for r in body})


def test_moodle_legacy_log(realdata: Path) -> None:
    path = realdata / "moodle" / "moodle_logs_nust_cs260_2017_anonymised.csv"
    body = records(path)[1:]
    data = read(path, tool="moodle", level="application", moment="during")
    assert len(data.responses) == len(body) == 13605
    assert len({r.participant for r in data.responses}) == len({r[5] for r in body}) == 33
    june = sum(1 for r in data.responses if r.timestamp and r.timestamp.month == 6)
    assert june == sum(1 for r in body if " June " in r[2]) == 6165
    assert all(a.question.text != "ip_address" for a in data.answers)


def test_xapi_quiz_score_prefers_raw_over_inconsistent_scaled(realdata: Path) -> None:
    path = realdata / "xapi" / "moodle_logstore_quiz_attempt_submitted_multichoice.json"
    statements = json.loads(path.read_text(encoding="utf-8"))
    completed = next(s for s in statements if s["verb"]["id"].endswith("/completed"))
    score = completed["result"]["score"]
    data = read(path, tool="xapi", level="learning")
    assert data.score is not None
    assert data.score.values == (float(score["raw"]),)
    assert data.score.maximum == float(score["max"])
    assert score["scaled"] != score["raw"] / score["max"]
    assert data.notes == (
        "result.score.scaled disagreed with raw/max in 1 statement: raw/max used",
    )
    (learner,) = data.responses
    assert (learner.completed, learner.passed, learner.duration) == (True, True, 1.0)
    assert learner.timestamp is None  # the fixtures have no timestamps


def test_xapi_feedback_rating(realdata: Path) -> None:
    path = realdata / "xapi" / "moodle_logstore_feedback_response_submitted_multichoicerated.json"
    statements = json.loads(path.read_text(encoding="utf-8"))
    answered = [s for s in statements if s["verb"]["id"].endswith("/answered")]
    data = read(path, tool="xapi")
    (item,) = data.answers
    rating = answered[0]["result"]["extensions"][
        "http://learninglocker.net/xapi/moodle/feedback_item_rating"
    ]
    assert item.question.text == answered[0]["object"]["definition"]["name"]["en"]
    assert item.scores == (float(rating),)
    assert data.responses[0].completed is False  # "submit" is not a completion
