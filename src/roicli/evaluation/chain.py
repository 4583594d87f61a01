"""The chain of impact: one programme's scorecard from level 0 to ROI, with the intangibles.

One step per level, each with its headline figure first and what it rests on (how many people,
which files or objectives); a level with no evidence has no figures. Levels 1 to 3 show the
evaluation files' figures, then the current value of each objective whose KPI is at that
level; the impact step counts the other objectives. Built from figures
already computed (the programme's result and its evaluation), so it adds no formula but two
pooled shares: of a survey's scale answers in the scale's top two points, and of its
application answers that say the participant applies (a choice ticked is a barrier or an
enabler, not applying, and is left out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from roicli.enums import Basis, Level, Status
from roicli.evaluation.config import Moment
from roicli.evaluation.figures import QuestionFigures
from roicli.evaluation.model import Kind
from roicli.evaluation.programme import ProgramEvaluation, SurveyResult
from roicli.model import MultiYearFigures, ProgramResult
from roicli.rounding import value_decimals

INTANGIBLES = "intangibles"
EVALUATED = frozenset({Level.REACTION, Level.LEARNING, Level.APPLICATION})
MET = frozenset({Status.ACHIEVED, Status.ON_TRACK})


class Measure(StrEnum):
    """How a chain figure is written (the report's kinds of figure)."""

    COUNT = "count"
    WHOLE = "whole"  # written as a whole number, by convention (an NPS)
    NUMBER = "number"
    MONEY = "money"
    SHARE = "share"  # a fraction shown as a percentage
    POINTS = "points"  # a percentage in points (ROI %)
    RATIO = "ratio"


@dataclass(frozen=True)
class ChainFigure:
    """One figure of a step: ``key`` names it (a label in both languages)."""

    key: str
    value: float | None
    measure: Measure
    low: float | None = None  # its interval, when it has one
    high: float | None = None
    confidence: float | None = None  # of that interval
    of: int | None = None  # "value of N"
    basis: Basis | None = None  # a money figure's basis
    label: str | None = None  # a KPI objective's: its KPI's label, unit and status
    unit: str | None = None
    status: Status | None = None
    multi_year: MultiYearFigures | None = None  # the multi-year ROI's horizon, rate and base


@dataclass(frozen=True)
class ChainStep:
    """One level of the chain; ``level`` is None for the intangibles. No figures: no
    evidence at this level (``withheld`` when there is some, but on too few people)."""

    level: Level | None
    figures: tuple[ChainFigure, ...]
    n: int | None = None  # the people (participants, respondents, pairs) it rests on
    sources: tuple[str, ...] = ()  # evaluation files, objectives, intangibles
    withheld: bool = False
    pending: bool = False  # an ROI too early to tell

    @property
    def name(self) -> str:
        """The step's stable name: its level's, else "intangibles"."""
        return INTANGIBLES if self.level is None else self.level.value


_Maker = Callable[[SurveyResult], tuple[ChainFigure, ...]]


def chain(
    result: ProgramResult,
    evaluation: ProgramEvaluation | None,
    *,
    hours: float | None,
    confidence_level: float,
) -> tuple[ChainStep, ...]:
    """The programme's scorecard, level 0 to ROI, then the intangibles."""
    return (
        _participation(result, hours),
        _with_kpis(_survey_step(Level.REACTION, evaluation, _reaction_figures), result),
        _with_kpis(_learning(evaluation), result),
        _with_kpis(_survey_step(Level.APPLICATION, evaluation, _application_figures), result),
        _impact(result),
        _roi(result, confidence_level),
        ChainStep(
            None,
            (ChainFigure("intangibles", len(result.intangibles), Measure.COUNT),)
            if result.intangibles
            else (),
            sources=result.intangibles,
        ),
    )


def _participation(result: ProgramResult, hours: float | None) -> ChainStep:
    people = result.participants
    figures = []
    if people is not None:
        figures.append(ChainFigure("participants", people, Measure.COUNT))
    if hours is not None:
        figures.append(ChainFigure("hours", hours, Measure.NUMBER))
    if people:
        per_head = result.figures.costs / people
        figures.append(ChainFigure("cost_per_participant", per_head, Measure.MONEY))
    return ChainStep(Level.INPUT, tuple(figures), n=people)


def _survey_step(level: Level, evaluation: ProgramEvaluation | None, make: _Maker) -> ChainStep:
    surveys = evaluation.level(level) if evaluation is not None else ()
    if not surveys:
        return ChainStep(level, ())
    # A follow-up says more of application than a survey on the last day: it comes first.
    chosen = min(surveys, key=lambda s: s.moment is not Moment.FOLLOW_UP)
    figures = chosen.overall
    sources = (figures.evaluation,)
    if figures.suppressed:
        return ChainStep(level, (), n=figures.respondents, sources=sources, withheld=True)
    return ChainStep(level, make(chosen), n=figures.respondents, sources=sources)


def _reaction_figures(result: SurveyResult) -> tuple[ChainFigure, ...]:
    figures = result.overall
    found = []
    favourable = _pooled(figures.questions, "top_two", {Kind.SCALE})
    if favourable is not None:
        found.append(ChainFigure("favourable", favourable, Measure.SHARE))
    nps = next((q.nps for q in figures.questions if q.nps is not None), None)
    if nps is not None:
        found.append(ChainFigure("nps", nps, Measure.WHOLE))
    if figures.response_rate is not None:
        found.append(ChainFigure("response_rate", figures.response_rate, Measure.SHARE))
    return tuple(found)


def _application_figures(result: SurveyResult) -> tuple[ChainFigure, ...]:
    figures = result.overall
    found = []
    applying = _pooled(figures.questions, "applying", {Kind.SCALE, Kind.YES_NO})
    if applying is not None:
        found.append(ChainFigure("applying", applying, Measure.SHARE))
    if figures.response_rate is not None:
        found.append(ChainFigure("response_rate", figures.response_rate, Measure.SHARE))
    return tuple(found)


def _pooled(questions: Sequence[QuestionFigures], field: str, kinds: set[Kind]) -> float | None:
    """A share over every answer of the questions of these kinds (each weighs its answers)."""
    weighed = [
        (share, q.answered)
        for q in questions
        if q.kind in kinds and (share := getattr(q, field)) is not None and q.answered
    ]
    answers = sum(n for _, n in weighed)
    return sum(share * n for share, n in weighed) / answers if answers else None


def _learning(evaluation: ProgramEvaluation | None) -> ChainStep:
    if evaluation is None or not (evaluation.learning or evaluation.completions):
        return ChainStep(Level.LEARNING, ())
    figures: list[ChainFigure] = []
    sources: tuple[str, ...]
    if evaluation.learning:
        test = evaluation.learning[0].overall
        sources = (test.pre, test.post)
        if test.suppressed:
            return ChainStep(Level.LEARNING, (), n=test.paired, sources=sources, withheld=True)
        gain = test.gain
        if gain is not None:
            interval = gain.interval
            figures.append(
                ChainFigure(
                    "gain",
                    gain.mean,
                    Measure.NUMBER,
                    low=interval.low if interval else None,
                    high=interval.high if interval else None,
                    confidence=interval.confidence if interval else None,
                )
            )
        if test.pass_rate_post is not None:
            figures.append(ChainFigure("pass_rate", test.pass_rate_post, Measure.SHARE))
        if test.normalised_gain is not None:
            figures.append(ChainFigure("normalised_gain", test.normalised_gain, Measure.RATIO))
        n: int | None = test.paired
    else:
        records = evaluation.completions[0]
        sources = (records.evaluation,)
        n = records.learners
    for records in evaluation.completions[:1]:
        figures.append(ChainFigure("completion_rate", records.completion_rate, Measure.SHARE))
    return ChainStep(Level.LEARNING, tuple(figures), n=n, sources=sources)


def _with_kpis(step: ChainStep, result: ProgramResult) -> ChainStep:
    """The step with the current value of each objective whose KPI is at its level."""
    found = [o for o in result.objectives if o.level is step.level and o.kpi is not None]
    if not found:
        return step
    figures = tuple(
        ChainFigure(
            "kpi",
            o.current,
            Measure.WHOLE if value_decimals(o.aggregation) == 0 else Measure.NUMBER,
            label=o.kpi_label or o.kpi,
            unit=o.unit,
            status=o.status,
        )
        for o in found
    )
    return replace(
        step,
        figures=step.figures + figures,
        sources=step.sources + tuple(o.id for o in found),
    )


def _impact(result: ProgramResult) -> ChainStep:
    objectives = [o for o in result.objectives if o.level not in EVALUATED]
    if not objectives:
        return ChainStep(Level.IMPACT, ())
    waiting = sum(o.status is Status.NOT_YET_MEASURABLE for o in objectives)
    met = sum(o.status in MET for o in objectives)
    figures = []
    if waiting < len(objectives):  # "0 of 1 on track" would read as a failure, not as too early
        of = len(objectives) - waiting
        figures.append(ChainFigure("objectives_met", met, Measure.COUNT, of=of))
    if waiting:
        figures.append(ChainFigure("objectives_waiting", waiting, Measure.COUNT))
    if not result.pending:
        benefits = result.figures.benefits
        figures.append(ChainFigure("benefits", benefits, Measure.MONEY, basis=Basis.TO_DATE))
    return ChainStep(Level.IMPACT, tuple(figures), sources=tuple(o.id for o in objectives))


def _roi(result: ProgramResult, confidence_level: float) -> ChainStep:
    """Measured ROI and BCR, then the opt-in multi-year ROI when the programme has one (which
    a pending programme may have, on benefits as stated)."""
    found = result.multi_year
    multi_year = (
        (ChainFigure("roi", found.roi_pct, Measure.POINTS, basis=found.basis, multi_year=found),)
        if found is not None
        else ()
    )
    if result.pending:
        if multi_year:
            return ChainStep(Level.ROI, multi_year)
        return ChainStep(Level.ROI, (), pending=bool(result.costs or result.objectives))
    interval = result.range.roi_pct if result.range is not None else None
    figures = (
        ChainFigure(
            "roi",
            result.figures.roi_pct,
            Measure.POINTS,
            low=interval.low if interval else None,
            high=interval.high if interval else None,
            confidence=confidence_level if interval else None,
            basis=Basis.TO_DATE,
        ),
        ChainFigure("roi", result.first_year.roi_pct, Measure.POINTS, basis=Basis.FIRST_YEAR),
        ChainFigure("bcr", result.figures.bcr, Measure.RATIO, basis=Basis.TO_DATE),
        *multi_year,
    )
    return ChainStep(Level.ROI, figures)
