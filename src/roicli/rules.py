"""Phillips' conservative rules: small named checks per programme, in one registry (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from roicli.config import Program, Thresholds
from roicli.enums import CostCategory, Isolation, Verdict
from roicli.intervals import MIN_RELIABLE_BASELINE, MIN_RELIABLE_CONTROL, MIN_RELIABLE_TREND
from roicli.messages import Msg
from roicli.model import Finding, ObjectiveResult

SHORT_PROGRAMME_MONTHS = 6
ESTIMATES_WINDOW_MONTHS = 12
ROBUST_Z = 0.6745  # scales the median absolute deviation to a normal's standard deviation


@dataclass(frozen=True)
class RuleContext:
    """What the rules of one programme look at."""

    program: Program
    objectives: Sequence[ObjectiveResult]
    thresholds: Thresholds


Rule = Callable[[RuleContext], Iterator[Finding]]


def _warn(check: str, message: Msg, fix: Msg) -> Finding:
    return Finding(check, Verdict.WARN, message, fix)


def fully_loaded(ctx: RuleContext) -> Iterator[Finding]:
    """Costs must include the participants' time."""
    if not any(cost.category is CostCategory.PARTICIPANT_TIME for cost in ctx.program.costs):
        yield _warn(
            "phillips.fully_loaded",
            Msg("phillips.fully_loaded"),
            Msg("phillips.fully_loaded.fix"),
        )


def benefit_window(ctx: RuleContext) -> Iterator[Finding]:
    """A short programme counts its benefits over the first year at most."""
    program = ctx.program
    short = program.end is None or (program.end - program.start).days <= SHORT_PROGRAMME_MONTHS * 31
    if short and program.benefit_window_months > ESTIMATES_WINDOW_MONTHS:
        yield _warn(
            "phillips.benefit_window",
            Msg("phillips.benefit_window", months=program.benefit_window_months),
            Msg("phillips.benefit_window.fix"),
        )


def estimates_confidence(ctx: RuleContext) -> Iterator[Finding]:
    """An estimate with no confidence counts zero."""
    for objective in ctx.objectives:
        missing = [row.row for row in objective.estimates if row.confidence is None]
        if missing:
            yield _warn(
                "phillips.estimates_confidence",
                Msg(
                    "phillips.estimates_confidence",
                    objective=objective.id,
                    count=len(missing),
                    rows=", ".join(str(row) for row in missing),
                ),
                Msg("phillips.estimates_confidence.fix"),
            )


def intangibles(ctx: RuleContext) -> Iterator[Finding]:
    """Intangible benefits are reported, never converted to money."""
    valued = [item.name for item in ctx.program.intangibles if item.value is not None]
    if valued:
        yield _warn(
            "phillips.intangibles_money",
            Msg("phillips.intangibles_money", names=", ".join(valued)),
            Msg("phillips.intangibles_money.fix"),
        )


def isolated(ctx: RuleContext) -> Iterator[Finding]:
    """A baseline comparison credits the training with everything unless attribution says not."""
    for objective in ctx.objectives:
        if (
            objective.isolation is Isolation.BASELINE
            and (objective.attribution or 0.0) >= 1
            and objective.value_per_unit is not None
            and objective.unconverted_benefit is None  # levels 1-2: reaction_money says it
        ):
            yield _warn(
                "phillips.isolation",
                Msg("phillips.isolation", objective=objective.id),
                Msg("phillips.isolation.fix"),
            )


def reaction_money(ctx: RuleContext) -> Iterator[Finding]:
    """Reaction and learning data (levels 1-2) are never converted to money."""
    for objective in ctx.objectives:
        if objective.unconverted_benefit is not None and objective.level is not None:
            yield _warn(
                "phillips.reaction_money",
                Msg(
                    "phillips.reaction_money",
                    objective=objective.id,
                    level=objective.level.number,
                    amount=objective.unconverted_benefit,
                ),
                Msg("phillips.reaction_money.fix"),
            )


def extreme_values(ctx: RuleContext) -> Iterator[Finding]:
    """Months whose improvement stands far from the others' (robust z of d_t) and carry most
    of the benefit: a spike in the data, not a sustained effect."""
    for objective in ctx.objectives:
        rows = [row for row in objective.improvements if row.benefit is not None]
        total = sum(row.benefit for row in rows if row.benefit is not None)
        if len(rows) < 4 or total <= 0:
            continue
        median = statistics.median(row.improvement for row in rows)
        mad = statistics.median(abs(row.improvement - median) for row in rows)
        if mad == 0:
            continue
        extreme = [
            row
            for row in rows
            if ROBUST_Z * abs(row.improvement - median) / mad > ctx.thresholds.outlier_z
        ]
        share = sum(row.benefit for row in extreme if row.benefit is not None) / total
        if extreme and share > ctx.thresholds.outlier_benefit_share:
            yield _warn(
                "phillips.extreme_values",
                Msg(
                    "phillips.extreme_values",
                    objective=objective.id,
                    periods=", ".join(row.period for row in extreme),
                    share=share,
                ),
                Msg("phillips.extreme_values.fix"),
            )


RELIABLE_FROM = {
    Isolation.TREND: MIN_RELIABLE_TREND,
    Isolation.CONTROL: MIN_RELIABLE_CONTROL,
    Isolation.BASELINE: MIN_RELIABLE_BASELINE,
}


def interval(ctx: RuleContext) -> Iterator[Finding]:
    """A measured benefit has an interval from its KPI's noise, resting on enough months."""
    given_value = {
        objective.id
        for objective in ctx.program.objectives
        if objective.baseline is not None and objective.baseline.value is not None
    }
    for objective in ctx.objectives:
        needed = RELIABLE_FROM.get(objective.isolation)
        if objective.benefit is None or needed is None:
            continue
        fix = Msg(f"phillips.interval.fix.{objective.isolation.value}", needed=needed)
        found = objective.benefit_range
        if found is None:
            why = "value" if objective.id in given_value else "few"
            message = Msg(
                "phillips.interval.none",
                objective=objective.id,
                why=Msg(f"phillips.interval.{why}"),
            )
            yield _warn("phillips.interval", message, fix)
        elif not found.reliable:
            message = Msg(
                "phillips.interval.thin",
                objective=objective.id,
                periods=found.periods,
                needed=needed,
            )
            yield _warn("phillips.interval", message, fix)


RULES: dict[str, Rule] = {
    "phillips.fully_loaded": fully_loaded,
    "phillips.benefit_window": benefit_window,
    "phillips.estimates_confidence": estimates_confidence,
    "phillips.intangibles_money": intangibles,
    "phillips.isolation": isolated,
    "phillips.reaction_money": reaction_money,
    "phillips.extreme_values": extreme_values,
    "phillips.interval": interval,
}


def phillips_rules(
    program: Program, objectives: Sequence[ObjectiveResult], thresholds: Thresholds
) -> tuple[Finding, ...]:
    """Every conservative rule that does not hold, as warnings; one pass finding if all hold."""
    ctx = RuleContext(program, objectives, thresholds)
    findings = [finding for rule in RULES.values() for finding in rule(ctx)]
    if not findings:
        return (Finding("phillips.all", Verdict.PASS, Msg("phillips.all")),)
    return tuple(findings)
