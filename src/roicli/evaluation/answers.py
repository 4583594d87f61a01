"""What a question's answers are (a scale, 0–10, yes/no, ticks, categories, free text), and
their scores.

With a scale given in the config, every answer must be on it. Without, a question is read as
the first that fits: ticks of a multiple choice, numbers (0–10 when it asks about
recommending), a built-in scale holding every answer, LimeSurvey's numbered labels, a few
repeated categories, else free text. Answers mostly on one scale but for a near miss are a
typing mistake, stopped with "did you mean". Answers that name people (a question asking
"who", or about a mentor, or listed under ``personal:``) are only counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from roicli.errors import DataError, Location, shorten
from roicli.evaluation.headers import JOIN
from roicli.evaluation.model import Answers, Kind, Question
from roicli.evaluation.privacy import names_people
from roicli.evaluation.scales import (
    BUILT_IN,
    NPS,
    YES_NO,
    Scale,
    answer_key,
    did_you_mean,
    numbered_score,
    parse_number,
)

MAX_CATEGORIES = 20
_OPTION = re.compile(r"(.*?)\s*\[[^\]]*\]", re.DOTALL)  # LimeSurvey's "Question? [Option]"
_RECOMMEND = re.compile(r"recomm?and|recomm?end|recomiend|empfehl|raccomand", re.IGNORECASE)


def classify(
    question: Question,
    cells: Sequence[str],
    rows: Sequence[int],
    *,
    path: Path,
    scale: Scale | None = None,
    numbered: Scale | None = None,
    ticks: frozenset[str] = frozenset(),
) -> Answers:
    """A question's answers (``cells``: one per response, "" when not answered)."""
    answered = [(i, text) for i, text in enumerate(cells) if text]
    if scale is not None:
        return _on_scale(question, cells, rows, answered, scale, path=path)
    distinct = list(dict.fromkeys(text for _, text in answered))
    if not distinct:
        return _text(question, cells, 0)
    if _ticks(question, distinct, ticks):
        scores = tuple(1.0 if text else None for text in cells)
        return Answers(question, Kind.CHOICE, scores, _none(cells), len(answered), maximum=1.0)
    numbers = [parse_number(text) for _, text in answered]
    if all(number is not None for number in numbers):
        return _numbers(question, cells, len(answered))
    for candidate in (
        *(s for s in BUILT_IN.values() if s.labels),
        *([numbered] if numbered else []),
    ):
        if all(candidate.score(text) is not None for text in distinct):
            return _on_scale(question, cells, rows, answered, candidate, path=path)
    _near_miss(question, distinct, answered, rows, path=path)
    if len(distinct) <= MAX_CATEGORIES and len(distinct) * 2 <= len(answered):
        labels = tuple(text or None for text in cells)
        return Answers(question, Kind.CATEGORY, _none(cells), labels, len(answered))
    return _text(question, cells, len(answered))


def numbered_scale(columns: Sequence[Sequence[str]]) -> Scale | None:
    """One scale of the numbered labels ("1. Completely disagree") every such column uses."""
    labels: dict[str, float] = {}
    for cells in columns:
        scores = {text: numbered_score(text) for text in cells if text}
        if scores and all(score is not None for score in scores.values()):
            labels.update({text: score for text, score in scores.items() if score is not None})
    if not labels:
        return None
    return Scale("numbered", tuple(sorted(labels.items(), key=lambda item: item[1])))


def _ticks(question: Question, distinct: list[str], ticks: frozenset[str]) -> bool:
    """A column of one repeated cell naming the column's option (Typeform), or a tick mark."""
    if len(distinct) != 1:
        return False
    only = distinct[0]
    return answer_key(only) == answer_key(question.text) or only in ticks


def _numbers(question: Question, cells: Sequence[str], answered: int) -> Answers:
    parsed = [parse_number(text) if text else None for text in cells]
    maxima = {number[1] for number in parsed if number is not None}
    if maxima == {None}:
        values = [number[0] if number else None for number in parsed]
        whole = all(v is None or (v.is_integer() and 0 <= v <= 10) for v in values)
        if whole and _RECOMMEND.search(question.text):
            return Answers(question, Kind.NPS, tuple(values), _none(cells), answered, NPS, 10.0)
        return Answers(question, Kind.NUMBER, tuple(values), _none(cells), answered)
    if len(maxima) == 1:  # every answer states the same maximum: "7/10", "85%"
        maximum = next(iter(maxima))
        values = [number[0] if number else None for number in parsed]
        return Answers(question, Kind.NUMBER, tuple(values), _none(cells), answered, None, maximum)
    # Different maxima ("7/10" beside "3/5"): as percentages of each one's maximum.
    shares = [_percent(number) for number in parsed]
    return Answers(question, Kind.NUMBER, tuple(shares), _none(cells), answered, None, 100.0)


def _percent(number: tuple[float, float | None] | None) -> float | None:
    if number is None:
        return None
    value, maximum = number
    return value if maximum is None else value / maximum * 100


def _on_scale(
    question: Question,
    cells: Sequence[str],
    rows: Sequence[int],
    answered: Sequence[tuple[int, str]],
    scale: Scale,
    *,
    path: Path,
) -> Answers:
    scores: list[float | None] = [None] * len(cells)
    for i, text in answered:
        score = scale.score(text)
        if score is None:
            raise _off_scale(question, text, rows[i], scale, path=path)
        scores[i] = score
    kind = Kind.YES_NO if scale is YES_NO else Kind.NPS if scale is NPS else Kind.SCALE
    maximum = max(scale.points)
    return Answers(question, kind, tuple(scores), _none(cells), len(answered), scale, maximum)


def _near_miss(
    question: Question,
    distinct: list[str],
    answered: Sequence[tuple[int, str]],
    rows: Sequence[int],
    *,
    path: Path,
) -> None:
    """Stop at a mistyped label of a question otherwise on one built-in scale."""
    for scale in BUILT_IN.values():
        if not scale.labels or scale is YES_NO:
            continue
        off = [text for text in distinct if scale.score(text) is None]
        if not off or len(off) * 2 > len(distinct) or any(scale.closest(t) is None for t in off):
            continue
        row = next(rows[i] for i, text in answered if text == off[0])
        raise _off_scale(question, off[0], row, scale, path=path)


def _off_scale(question: Question, text: str, row: int, scale: Scale, *, path: Path) -> DataError:
    if scale.labels:
        hint = did_you_mean(text, [label for label, _ in scale.labels])
        problem = f"{shorten(text)!r} is not on the {scale.name} scale{hint}"
    else:
        problem = f"{shorten(text)!r} is not a number from {scale.low:g} to {scale.high:g}"
    return DataError(
        problem,
        location=Location(path, row=row, column=question.label),
        fix="correct the answer, or give the evaluation a scale: that holds it, "
        "and list under questions: the columns on that scale",
    )


def counted_only(
    question: Question, cells: Sequence[str], *, ticks: frozenset[str] = frozenset()
) -> Answers | None:
    """A question listed under ``personal:``: how many answered, whatever the answers. None
    (left out) when its header holds an option besides the question, or is the option (a tick
    column, a matrix row): that option may be a name."""
    answered = [text for text in cells if text]
    if _stem(question.text) is not None or _ticks(question, list(dict.fromkeys(answered)), ticks):
        return None
    return _text(question, cells, len(answered), kind=Kind.PERSON)


def without_names(answers: Answers) -> Answers | None:
    """The closed answers or free text of a question whose header asks for a person ("Who
    was your mentor?"), as counts only; left out (None) when its header also holds an option
    (LimeSurvey's "Which coach? [Ann Lee]", SurveyMonkey's "Which coach? — Ann Lee"), which
    names someone. Scores stay (a Likert "My mentor was helpful"), and so do the ticks of an
    option that mentions a role ("What makes it hard to apply? [No support from my manager]")."""
    if answers.kind not in (Kind.CHOICE, Kind.CATEGORY, Kind.TEXT):
        return answers
    stem = _stem(answers.question.text)
    if stem is not None and names_people(stem):
        return None
    if answers.kind is Kind.CHOICE or not names_people(answers.question.text):
        return answers
    given = (
        answers.scores
        if answers.kind is Kind.TEXT
        else tuple(None if label is None else 1.0 for label in answers.labels)
    )
    return Answers(answers.question, Kind.PERSON, given, (None,) * len(given), answers.answered)


def _stem(text: str) -> str | None:
    """A header's question without the option it adds (LimeSurvey's "[option]", a multi-row
    header's last row); None when there is no option part."""
    bracketed = _OPTION.fullmatch(text)
    if bracketed:
        return bracketed.group(1)
    return text.rsplit(JOIN, 1)[0] if JOIN in text else None


def _text(
    question: Question, cells: Sequence[str], answered: int, *, kind: Kind = Kind.TEXT
) -> Answers:
    """Free text: only whether each response answered (1), never the text."""
    scores = tuple(1.0 if text else None for text in cells)
    return Answers(question, kind, scores, _none(cells), answered)


def _none(cells: Sequence[str]) -> tuple[None, ...]:
    return (None,) * len(cells)
