"""The data-collection plan, checked beside Phillips' rules: small named checks (pure)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from roicli.config import Program
from roicli.enums import Level, Verdict
from roicli.evaluation.config import Moment
from roicli.evaluation.figures import LearningFigures, SurveyFigures
from roicli.evaluation.inference import MIN_FOR_INTERVAL
from roicli.messages import Msg
from roicli.model import Finding


@dataclass(frozen=True)
class PlanContext:
    """What the plan checks of one programme look at: its evaluations and their figures."""

    program: Program
    surveys: Sequence[SurveyFigures]  # everyone's figures of each reaction/application survey
    learning: Sequence[LearningFigures]  # everyone's figures of each pre/post pair


Check = Callable[[PlanContext], Iterator[Finding]]


def _warn(check: str, message: Msg, fix: Msg) -> Finding:
    return Finding(check, Verdict.WARN, message, fix)


def _moments(ctx: PlanContext, level: Level) -> set[Moment]:
    return {e.moment for e in ctx.program.evaluations if e.level is level}


def no_pretest(ctx: PlanContext) -> Iterator[Finding]:
    """A learning test taken after the training needs the same test before it."""
    if Moment.BEFORE in _moments(ctx, Level.LEARNING):
        return
    for evaluation in ctx.program.evaluations:
        if evaluation.level is Level.LEARNING and evaluation.moment is not Moment.BEFORE:
            yield _warn(
                "evaluation.no_pretest",
                Msg("evaluation.no_pretest", name=evaluation.title),
                Msg("evaluation.no_pretest.fix"),
            )
            return


def no_follow_up(ctx: PlanContext) -> Iterator[Finding]:
    """Application (level 3) shows weeks after the training: a follow-up measures it."""
    if Moment.FOLLOW_UP not in _moments(ctx, Level.APPLICATION):
        yield _warn(
            "evaluation.no_follow_up",
            Msg("evaluation.no_follow_up"),
            Msg("evaluation.no_follow_up.fix"),
        )


def no_before(ctx: PlanContext) -> Iterator[Finding]:
    """Application measured afterwards only has nothing to compare with."""
    moments = _moments(ctx, Level.APPLICATION)
    if moments and Moment.BEFORE not in moments:
        level = Level.APPLICATION.value
        yield _warn(
            "evaluation.no_before",
            Msg("evaluation.no_before", level=level),
            Msg("evaluation.no_before.fix", level=level),
        )


def response_rate(ctx: PlanContext) -> Iterator[Finding]:
    """A survey answered by too few participants speaks for those who chose to answer."""
    threshold = ctx.program.response_rate_warn
    for figures in ctx.surveys:
        rate = figures.response_rate
        if rate is not None and rate < threshold:
            yield _warn(
                "evaluation.response_rate",
                Msg(
                    "evaluation.response_rate",
                    name=figures.evaluation,
                    rate=rate,
                    threshold=threshold,
                ),
                Msg("evaluation.response_rate.fix"),
            )


def pairs(ctx: PlanContext) -> Iterator[Finding]:
    """A paired interval needs two participants with both scores."""
    for figures in ctx.learning:
        if figures.paired < MIN_FOR_INTERVAL:
            yield _warn(
                "evaluation.pairs",
                Msg(
                    "evaluation.pairs",
                    pre=figures.pre,
                    post=figures.post,
                    paired=figures.paired,
                    needed=MIN_FOR_INTERVAL,
                ),
                Msg("evaluation.pairs.fix"),
            )


CHECKS: dict[str, Check] = {
    "evaluation.no_pretest": no_pretest,
    "evaluation.no_follow_up": no_follow_up,
    "evaluation.no_before": no_before,
    "evaluation.response_rate": response_rate,
    "evaluation.pairs": pairs,
}


def plan_checks(ctx: PlanContext) -> tuple[Finding, ...]:
    """Every plan check that does not hold, as warnings; none for a programme not evaluating
    levels 1 to 3."""
    if not ctx.program.evaluations:
        return ()
    return tuple(finding for check in CHECKS.values() for finding in check(ctx))
