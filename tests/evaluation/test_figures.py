"""Levels 1 to 3 figures on tiny files, against values worked out by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests.evaluation.conftest import PSEUDONYMISE, evaluation, read

from roicli.evaluation.figures import completion, learning, learning_cohorts, survey
from roicli.evaluation.inference import paired_gain, welch
from roicli.evaluation.model import EvaluationData, Kind
from roicli.evaluation.read import read_evaluation

# Four participants, scores out of 10; Dan took the post-test twice (the last attempt counts),
# Eve only the pre-test and Fay only the post-test (counted apart, never in the figures).
PRE = "Email,Score\nana@x.org,4\nben@x.org,6\ncid@x.org,5\ndan@x.org,7\neve@x.org,3\n"
POST = (
    "Email,Score,Timestamp\n"
    "ana@x.org,6,2026-03-02 10:00\n"
    "dan@x.org,8,2026-03-02 10:05\n"
    "ben@x.org,9,2026-03-02 10:10\n"
    "CID@x.org ,5,2026-03-02 10:20\n"
    "dan@x.org,10,2026-03-02 11:00\n"
    "fay@x.org,9,2026-03-02 11:30\n"
)
# By hand: gains 6−4=2, 9−6=3, 5−5=0, 10−7=3 → mean 8/4 = 2.
# Deviations 0, 1, −2, 1 → squares 0+1+4+1 = 6 → variance 6/3 = 2 → sd √2 = 1.41421356.
# t(0.975, 3) = 3.18244631 → half-width 3.18244631 × √2/√4 = 2.25032936 → (−0.2503294, 4.2503294).
# d_z = 2/√2 = 1.41421356. Means: pre 22/4 = 5.5, post 30/4 = 7.5.
# Hake's g on the means, out of 10: (7.5 − 5.5)/(10 − 5.5) = 2/4.5 = 0.444…
# Improved: 3 of 4. Pass mark 6: pre 6, 7 → 2/4; post 6, 9, 10 → 3/4.


def pre_post(tmp_path: Path, **post_settings: object) -> tuple[EvaluationData, EvaluationData]:
    (tmp_path / "pre.csv").write_text(PRE, encoding="utf-8")
    (tmp_path / "post.csv").write_text(POST, encoding="utf-8")
    common = {"level": "learning", "respondent": "Email", "score": "Score", "max_score": 10}
    pre = read_evaluation(evaluation(tmp_path / "pre.csv", moment="before", **common), PSEUDONYMISE)
    post = read(tmp_path / "post.csv", **common, **post_settings)
    return pre, post


def test_paired_learning_worked_by_hand(tmp_path: Path) -> None:
    pre, post = pre_post(tmp_path, pass_mark=6)
    figures = learning(pre, post, min_group_size=2)
    assert (figures.paired, figures.unpaired_pre, figures.unpaired_post) == (4, 1, 1)
    gain = figures.gain
    assert gain is not None
    assert gain.interval is not None
    assert (gain.pre_mean, gain.post_mean, gain.mean) == (5.5, 7.5, 2.0)
    assert gain.sd == pytest.approx(math.sqrt(2), abs=1e-12)
    assert gain.interval.low == pytest.approx(-0.2503294, abs=1e-7)
    assert gain.interval.high == pytest.approx(4.2503294, abs=1e-7)
    assert gain.d_z == pytest.approx(1.41421356, abs=1e-8)
    assert gain.improved == 0.75
    assert figures.normalised_gain == pytest.approx(2 / 4.5, abs=1e-12)
    assert (figures.pass_mark, figures.pass_rate_pre, figures.pass_rate_post) == (6, 0.5, 0.75)


def test_pass_mark_as_a_share_of_the_maximum(tmp_path: Path) -> None:
    pre, post = pre_post(tmp_path, pass_mark="90%")
    figures = learning(pre, post, min_group_size=2)
    assert (figures.pass_mark, figures.pass_rate_pre, figures.pass_rate_post) == (9, 0, 0.5)


def test_no_interval_below_two_pairs() -> None:
    gain = paired_gain([(4.0, 6.0)])
    assert (gain.n, gain.mean, gain.sd, gain.interval, gain.d_z) == (1, 2.0, None, None, None)
    flat = paired_gain([(4.0, 6.0), (5.0, 7.0)])
    assert (flat.sd, flat.interval, flat.d_z) == (0.0, None, None)  # every gain equal


def test_welch_worked_by_hand() -> None:
    # a = 1, 2, 3 (mean 2, variance 1); b = 2, 4, 6, 8 (mean 5, variance 20/3).
    # se² = 1/3 + (20/3)/4 = 1/3 + 5/3 = 2; df = 2² / ((1/3)²/2 + (5/3)²/3) = 4/(1/18 + 25/27)
    # = 4/(53/54) = 216/53 = 4.0755; t(0.975, 4.0755) = 2.75628 → half-width 2.75628·√2 = 3.89798.
    difference, interval = welch([1.0, 2.0, 3.0], [2.0, 4.0, 6.0, 8.0])
    assert difference == 3.0
    assert interval is not None
    assert interval.low == pytest.approx(3 - 3.89798, abs=1e-5)
    assert interval.high == pytest.approx(3 + 3.89798, abs=1e-5)
    assert welch([1.0], [2.0, 3.0]) == (1.5, None)


def test_paired_and_welch_agree_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    pre = [12.0, 15.5, 9.0, 14.0, 11.0, 17.5, 10.0]
    post = [14.0, 15.0, 13.5, 18.0, 12.0, 19.0, 15.5]
    gain = paired_gain(list(zip(pre, post, strict=True)))
    assert gain.interval is not None
    expected = stats.ttest_rel(post, pre).confidence_interval(0.95)
    assert gain.interval.low == pytest.approx(expected.low, abs=1e-9)
    assert gain.interval.high == pytest.approx(expected.high, abs=1e-9)
    _, interval = welch(pre, post)
    assert interval is not None
    expected = stats.ttest_ind(post, pre, equal_var=False).confidence_interval(0.95)
    assert interval.low == pytest.approx(expected.low, abs=1e-9)
    assert interval.high == pytest.approx(expected.high, abs=1e-9)


def test_learning_cohorts_side_by_side(tmp_path: Path) -> None:
    rows = [("mentors", 5, 7), ("mentors", 6, 9), ("mentors", 4, 5)]
    rows += [("mentees", 3, 8), ("mentees", 5, 9), ("mentees", 2, 6)]
    header = "Email,Group,Score\n"
    pre_text = header + "".join(f"p{i}@x.org,{g},{a}\n" for i, (g, a, _) in enumerate(rows))
    post_text = header + "".join(f"p{i}@x.org,{g},{b}\n" for i, (g, _, b) in enumerate(rows))
    (tmp_path / "pre.csv").write_text(pre_text, encoding="utf-8")
    (tmp_path / "post.csv").write_text(post_text, encoding="utf-8")
    common = {"level": "learning", "respondent": "Email", "group": "Group", "score": "Score"}
    pre = read_evaluation(evaluation(tmp_path / "pre.csv", moment="before", **common), PSEUDONYMISE)
    post = read(tmp_path / "post.csv", **common)
    figures, (difference,) = learning_cohorts(pre, post, min_group_size=3)
    # Gains: mentees 5, 4, 4 (mean 13/3); mentors 2, 3, 1 (mean 2). Mentors − mentees = −7/3.
    assert [(f.group, f.paired, f.gain.mean if f.gain else None) for f in figures] == [
        ("mentees", 3, pytest.approx(13 / 3)),
        ("mentors", 3, 2.0),
    ]
    assert (difference.reference, difference.group) == ("mentees", "mentors")
    assert difference.difference == pytest.approx(2 - 13 / 3)
    assert difference.interval is not None
    assert difference.interval.high < 0


SURVEY = (
    "Timestamp,The course was useful,How likely are you to recommend it?,Used at work?,"
    "Comments\n"
    "2026-03-01 10:00,Strongly agree,10,Yes,Great\n"
    "2026-03-01 10:05,Agree,9,Yes,\n"
    "2026-03-01 10:10,Neither agree nor disagree,7,No,Too long\n"
    "2026-03-01 10:15,Agree,6,Yes,\n"
    "2026-03-01 10:20,strongly  AGREE,3,No,ok\n"
)


def test_reaction_figures_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    data = read(path, tool="google_forms")
    figures = survey(data, participants=20, min_group_size=5)
    assert (figures.respondents, figures.response_rate) == (5, 0.25)
    useful, recommend, used, comments = figures.questions
    # 5 + 4 + 3 + 4 + 5 = 21 → mean 4.2; top-2-box (4 or 5): 4 of 5.
    assert (useful.kind, useful.mean, useful.top_two) == (Kind.SCALE, 4.2, 0.8)
    assert [(c.label, c.count) for c in useful.distribution] == [
        ("Strongly disagree", 0),
        ("Disagree", 0),
        ("Neither agree nor disagree", 1),
        ("Agree", 2),
        ("Strongly agree", 2),
    ]
    # Promoters 10, 9 (2 of 5), detractors 6, 3 (2 of 5): NPS 0.
    assert (recommend.kind, recommend.nps, recommend.mean) == (Kind.NPS, 0.0, 7.0)
    assert (used.kind, used.applying) == (Kind.YES_NO, 0.6)
    assert (comments.kind, comments.answered, comments.distribution) == (Kind.TEXT, 3, ())
    assert "Great" not in repr(data) + repr(figures)  # free text is never kept


def test_reaction_figures_withheld_below_the_minimum(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    figures = survey(read(path, tool="google_forms"), participants=None, min_group_size=6)
    assert figures.suppressed
    assert figures.respondents == 5
    assert all(q.mean is None and q.distribution == () for q in figures.questions)


def test_completion_from_xapi_lines(tmp_path: Path) -> None:
    verbs = "http://adlnet.gov/expapi/verbs/"
    ana, ben = {"mbox": "mailto:Ana@x.org"}, {"mbox": "mailto:ben@x.org"}
    lms = {"account": {"homePage": "https://lms", "name": "7"}}
    passed = {"score": {"scaled": 0.8}, "duration": "PT1H30M"}
    statements: list[dict[str, object]] = [
        {"actor": ana, "verb": {"id": verbs + "attempted"}, "timestamp": "2026-03-01T09:00:00Z"},
        {"actor": {"mbox": "mailto:ana@x.org"}, "verb": {"id": verbs + "passed"}, "result": passed},
        {
            "actor": ben,
            "verb": {"id": verbs + "completed"},
            "result": {"success": False, "duration": "PT2H"},
        },
        {"actor": lms, "verb": {"id": verbs + "attempted"}},
    ]
    path = tmp_path / "statements.jsonl"
    lines = [json.dumps(statement | {"object": {"id": "course"}}) for statement in statements]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read(path, tool="xapi", level="learning")
    figures = completion(data, participants=4)
    # Ana (two spellings of one e-mail), Ben, and account 7: 3 learners, 2 completed, 1 passed.
    assert (figures.learners, figures.completed, figures.passed) == (3, 2, 1)
    assert figures.completion_rate == 0.5
    assert figures.median_seconds == (5400 + 7200) / 2
    assert data.score is not None
    assert data.score.values == (80.0, None, None)
