"""A programme's levels 1 to 3 from its evaluation files, composed from ``figures`` (pure).

Surveys (reaction, application) get their figures for everyone and per group; each learning
test taken after the training is paired with the programme's pre-test (its first learning
evaluation with moment ``before``); the LMS and xAPI records of a learning evaluation taken
after the start give completions. A participant's
group, given in any of the programme's files, applies to all of their answers, so that a
group column in the post-test alone still splits the pre-test. Every interval here is at 95 %
(paired t, Welch), whatever the report's ``confidence_level`` (which is that of money).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from roicli.config import Program
from roicli.enums import Level
from roicli.evaluation.config import Moment
from roicli.evaluation.figures import (
    CompletionFigures,
    Difference,
    LearningFigures,
    SurveyFigures,
    completion,
    groups_of,
    learning,
    learning_cohorts,
    survey,
    survey_cohorts,
)
from roicli.evaluation.inference import CONFIDENCE
from roicli.evaluation.model import EvaluationData


@dataclass(frozen=True)
class SurveyResult:
    """A reaction or application survey: everyone's figures, each group's, their differences."""

    level: Level
    moment: Moment
    overall: SurveyFigures
    groups: tuple[SurveyFigures, ...] = ()
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class LearningResult:
    """A post-test paired with the pre-test: everyone's figures, each group's, differences."""

    overall: LearningFigures
    groups: tuple[LearningFigures, ...] = ()
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class ProgramEvaluation:
    """Everything a programme's evaluation files show, at levels 1 to 3."""

    surveys: tuple[SurveyResult, ...]
    learning: tuple[LearningResult, ...]
    completions: tuple[CompletionFigures, ...]
    min_group_size: int
    confidence: float = CONFIDENCE  # of every interval here
    notes: tuple[str, ...] = ()  # what the readers decided that a reader of figures should know

    def level(self, level: Level) -> tuple[SurveyResult, ...]:
        """The surveys of one level, in the config's order."""
        return tuple(result for result in self.surveys if result.level is level)


def evaluate(program: Program, loaded: Sequence[EvaluationData]) -> ProgramEvaluation:
    """The programme's figures from its evaluation files as read (in the config's order)."""
    datasets = _with_groups(loaded)
    minimum = program.min_group_size
    surveys = tuple(
        _survey(data, program.participants, minimum)
        for data in datasets
        if data.evaluation.level is not Level.LEARNING and data.answers
    )
    tests = [d for d in datasets if d.evaluation.level is Level.LEARNING and d.score is not None]
    pre = next((d for d in tests if d.evaluation.moment is Moment.BEFORE), None)
    paired = tuple(
        _learning(pre, post, minimum)
        for post in tests
        if pre is not None and post.evaluation.moment is not Moment.BEFORE
    )
    completions = tuple(
        completion(data, participants=program.participants)
        for data in datasets
        if data.evaluation.level is Level.LEARNING
        and data.evaluation.moment is not Moment.BEFORE
        and any(response.completed is not None for response in data.responses)
    )
    notes = tuple(f"{data.title}: {note}" for data in datasets for note in data.notes)
    return ProgramEvaluation(surveys, paired, completions, minimum, notes=notes)


def _survey(data: EvaluationData, participants: int | None, minimum: int) -> SurveyResult:
    overall = survey(data, participants=participants, min_group_size=minimum)
    groups, differences = (
        survey_cohorts(data, min_group_size=minimum) if groups_of(data) else ((), ())
    )
    evaluation = data.evaluation
    return SurveyResult(evaluation.level, evaluation.moment, overall, groups, differences)


def _learning(pre: EvaluationData, post: EvaluationData, minimum: int) -> LearningResult:
    overall = learning(pre, post, min_group_size=minimum)
    if not groups_of(pre, post):
        return LearningResult(overall)
    groups, differences = learning_cohorts(pre, post, min_group_size=minimum)
    return LearningResult(overall, groups, differences)


def _with_groups(loaded: Sequence[EvaluationData]) -> list[EvaluationData]:
    """Each file with every participant's group filled in from wherever it is given (the
    first file, in the config's order, that gives one)."""
    known: dict[str, str] = {}
    for data in loaded:
        for response in data.responses:
            if response.participant is not None and response.group is not None:
                known.setdefault(response.participant, response.group)
    if not known:
        return list(loaded)
    return [
        replace(
            data,
            responses=tuple(
                replace(response, group=known[response.participant])
                if response.group is None and response.participant in known
                else response
                for response in data.responses
            ),
        )
        for data in loaded
    ]
