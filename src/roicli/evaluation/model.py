"""What an evaluation file holds once read: a participant-level table, pseudonymised.

No raw participant key, name or free-text answer survives reading: a response carries only a
pseudonym, and a free-text question only whether it was answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from roicli.evaluation.config import Evaluation
from roicli.evaluation.scales import Scale


class Kind(StrEnum):
    """What a question's answers are, which decides the figures it gets."""

    SCALE = "scale"  # ordered labels or numbers on a known scale (Likert, 1-5)
    NPS = "nps"  # 0-10 likelihood to recommend
    YES_NO = "yes_no"
    NUMBER = "number"  # numbers of no known scale (a score, a count)
    CHOICE = "choice"  # one option of a multiple choice spread over columns: ticked or not
    CATEGORY = "category"  # a closed, unordered answer (a role, a department)
    TEXT = "text"  # free text: counted, never shown
    PERSON = "person"  # answers that name people (a mentor, a trainer): counted, never shown


@dataclass(frozen=True)
class Question:
    """A column of answers: where it is and what its header says, cleaned."""

    position: int  # 1 = the file's first column
    code: str | None  # the tool's own code (Qualtrics Q1, LimeSurvey G1Q2), if any
    text: str  # the header's text: HTML removed, header rows joined, spaces collapsed

    @property
    def label(self) -> str:
        """How the question is named in figures: its code, else its text."""
        return self.code or self.text or f"column {self.position}"


@dataclass(frozen=True)
class Answers:
    """One question's answers, one per response (None: not answered, or free text)."""

    question: Question
    kind: Kind
    scores: tuple[float | None, ...]  # the score; 1 for a ticked choice or any free text
    labels: tuple[str | None, ...]  # a category's label as written; None for other kinds
    answered: int
    scale: Scale | None = None
    maximum: float | None = None  # the highest possible score, when known


@dataclass(frozen=True)
class Response:
    """One respondent's row: who (a pseudonym), when, in which group, and how far they got."""

    row: int  # the file's row (1 = the first header row), or the statement's position
    participant: str | None  # pseudonym; None when the file names no one
    timestamp: dt.datetime | None = None
    group: str | None = None
    completed: bool | None = None
    passed: bool | None = None
    duration: float | None = None  # seconds taken, when the tool says


@dataclass(frozen=True)
class Score:
    """A test's score per response, on a known or unknown maximum."""

    source: str  # the score column's label, or how the score was made
    values: tuple[float | None, ...]
    maximum: float | None


@dataclass(frozen=True)
class EvaluationData:
    """An evaluation file read: its responses, each question's answers and the score."""

    evaluation: Evaluation
    responses: tuple[Response, ...]
    answers: tuple[Answers, ...]
    score: Score | None
    notes: tuple[str, ...] = ()  # what the reader decided that a reader of figures should know

    @property
    def title(self) -> str:
        """The evaluation's name, else its file's."""
        return self.evaluation.title
