"""The SMART check: small named checks per criterion, each yielding findings (pure)."""

from __future__ import annotations

import difflib
import itertools
import math
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from roicli.config import Kpi, Objective, Program, Thresholds
from roicli.enums import Isolation, Level, Period, Verdict
from roicli.messages import CATALOGUE, Msg
from roicli.model import EstimateRow, Finding, Smart
from roicli.periods import Series, add_months, period_of

VAGUE_VERBS = frozenset(
    [
        "improve",
        "improving",
        "boost",
        "better",
        "enhance",
        "optimise",
        "optimize",
        "develop",
        "strengthen",
        "support",
        "ameliorer",
        "booster",
        "optimiser",
        "developper",
        "renforcer",
        "soutenir",
        "mieux",
        "favoriser",
    ]
)
ACTION_VERBS = frozenset(
    [
        "increase",
        "raise",
        "grow",
        "reduce",
        "cut",
        "lower",
        "decrease",
        "double",
        "triple",
        "halve",
        "reach",
        "achieve",
        "apply",
        "launch",
        "publish",
        "convert",
        "retain",
        "attain",
        "deliver",
        "complete",
        "certify",
        "sell",
        "win",
        "shorten",
        "augmenter",
        "accroitre",
        "reduire",
        "diminuer",
        "baisser",
        "doubler",
        "tripler",
        "atteindre",
        "appliquer",
        "lancer",
        "publier",
        "convertir",
        "fideliser",
        "retenir",
        "vendre",
        "gagner",
        "raccourcir",
        "certifier",
    ]
)


@dataclass(frozen=True)
class SmartContext:
    """Everything the SMART checks of one objective look at."""

    objective: Objective
    program: Program
    kpi: Kpi | None
    kpi_names: Sequence[str]
    business_goals: Sequence[str]
    series: Series
    baseline: float | None
    target: float | None
    baseline_last: int | None
    estimates: Sequence[EstimateRow]
    period: Period
    as_of: date
    last_data: date | None
    thresholds: Thresholds


Check = Callable[[SmartContext], Iterator[Finding]]


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _finding(check: str, verdict: Verdict, reason: Msg, fix: Msg | None = None) -> Finding:
    return Finding(f"smart.{check}", verdict, reason, fix)


def _hint(word: str, choices: Sequence[str]) -> Msg | str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return Msg("hint.did_you_mean", word=close[0]) if close else ""


def specific(ctx: SmartContext) -> Iterator[Finding]:
    """A defined KPI, a title with an action and the KPI's subject, an owner or a group."""
    objective = ctx.objective
    if objective.isolation is not Isolation.ESTIMATES:
        if ctx.kpi is None:
            yield _finding(
                "specific.kpi",
                Verdict.FAIL,
                Msg(
                    "specific.kpi",
                    kpi=objective.kpi,
                    hint=_hint(objective.kpi or "", ctx.kpi_names),
                ),
                Msg("specific.kpi.fix"),
            )
        else:
            subject = {_stem(w) for w in _words(_kpi_text(objective.kpi or "", ctx.kpi))}
            subject -= {"rate", "number", "taux", "nombre", "per", "par", "de", "of"}
            if subject and not subject & {_stem(w) for w in _words(objective.title)}:
                yield _finding(
                    "specific.subject",
                    Verdict.WARN,
                    Msg("specific.subject"),
                    Msg("specific.subject.fix", label=ctx.kpi.label or objective.kpi),
                )
    words = set(_words(objective.title))
    stems = {_stem(w) for w in words}
    has_action = bool(words & ACTION_VERBS or stems & {_stem(v) for v in ACTION_VERBS})
    if not has_action:
        vague = sorted(words & VAGUE_VERBS)
        reason = (
            Msg("specific.vague", verbs=", ".join(vague)) if vague else Msg("specific.no_action")
        )
        yield _finding("specific.action", Verdict.WARN, reason, Msg("specific.action.fix"))
    if not objective.owner and not objective.group:
        yield _finding(
            "specific.owner", Verdict.WARN, Msg("specific.owner"), Msg("specific.owner.fix")
        )


def _kpi_text(key: str, kpi: Kpi) -> str:
    return " ".join([key.replace("_", " "), kpi.label or ""])


def measurable(ctx: SmartContext) -> Iterator[Finding]:
    """Data for the KPI, a baseline that resolves, a target in the KPI's good direction."""
    objective = ctx.objective
    if objective.isolation is Isolation.ESTIMATES:
        if not any(row.confidence is not None for row in ctx.estimates):
            yield _finding(
                "measurable.estimates",
                Verdict.FAIL,
                Msg("measurable.estimates"),
                Msg("measurable.estimates.fix"),
            )
        return
    if ctx.kpi is None:
        yield _finding("measurable.kpi", Verdict.FAIL, Msg("measurable.kpi"))
        return
    if not ctx.series:
        reason = (
            Msg("measurable.data.group", kpi=objective.kpi, group=objective.group)
            if objective.group
            else Msg("measurable.data", kpi=objective.kpi)
        )
        yield _finding("measurable.data", Verdict.FAIL, reason, Msg("measurable.data.fix"))
    if ctx.baseline is None:
        yield _finding(
            "measurable.baseline",
            Verdict.FAIL,
            Msg("measurable.baseline"),
            Msg("measurable.baseline.fix"),
        )
    if objective.target is None:
        yield _finding(
            "measurable.target",
            Verdict.FAIL,
            Msg("measurable.target"),
            Msg("measurable.target.fix"),
        )
    elif ctx.baseline is not None and ctx.target is not None:
        sign = ctx.kpi.direction.sign
        if sign * (ctx.target - ctx.baseline) <= 0:
            key = "measurable.direction.up" if sign > 0 else "measurable.direction.down"
            yield _finding(
                "measurable.direction",
                Verdict.FAIL,
                Msg(key, target=ctx.target, baseline=ctx.baseline),
                Msg(f"{key}.fix"),
            )


def achievable(ctx: SmartContext) -> Iterator[Finding]:
    """The required per-period change against the KPI's historical per-period changes."""
    objective, kpi = ctx.objective, ctx.kpi
    if objective.isolation is Isolation.ESTIMATES or kpi is None or objective.deadline is None:
        return
    if ctx.baseline is None or ctx.target is None:
        return
    sign = kpi.direction.sign
    start = period_of(ctx.program.start, ctx.period)
    horizon = max(1, period_of(objective.deadline, ctx.period) - start + 1)
    required = sign * (ctx.target - ctx.baseline)
    history = ctx.series.between(min(ctx.series.ordinals(), default=start), start - 1)
    changes = [sign * (b - a) for (oa, a), (ob, b) in itertools.pairwise(history) if ob == oa + 1]
    if len(changes) < 3:
        yield _finding(
            "achievable.history",
            Verdict.WARN,
            Msg("achievable.history", count=len(changes)),
            Msg("achievable.history.fix"),
        )
        return
    per_period = required / horizon
    drift = statistics.fmean(changes)
    volatility = statistics.pstdev(changes)
    band = drift * horizon + ctx.thresholds.achievable_fail_sigmas * volatility * math.sqrt(horizon)
    best = max(changes)
    if required > max(band, 0) and volatility > 0:
        yield _finding(
            "achievable.band",
            Verdict.FAIL,
            Msg(
                "achievable.band",
                per_period=per_period,
                period=ctx.period,
                horizon=horizon,
                drift=drift,
                volatility=volatility,
            ),
            Msg("achievable.band.fix"),
        )
    elif per_period > best * ctx.thresholds.achievable_warn_ratio:
        yield _finding(
            "achievable.best_run",
            Verdict.WARN,
            Msg("achievable.best_run", per_period=per_period, period=ctx.period, best=best),
            Msg("achievable.best_run.fix"),
        )


def relevant(ctx: SmartContext) -> Iterator[Finding]:
    """Linked to a listed business goal; a reaction-level KPI should not carry money."""
    goal = ctx.objective.business_goal
    if not goal:
        goals = ", ".join(ctx.business_goals) or "(list business_goals)"
        yield _finding(
            "relevant.goal",
            Verdict.FAIL,
            Msg("relevant.no_goal"),
            Msg("relevant.no_goal.fix", goals=goals),
        )
    elif goal not in ctx.business_goals:
        yield _finding(
            "relevant.goal",
            Verdict.FAIL,
            Msg("relevant.unknown_goal", goal=goal, hint=_hint(goal, ctx.business_goals)),
            Msg("relevant.unknown_goal.fix"),
        )
    kpi = ctx.kpi
    if kpi is not None and kpi.level is Level.REACTION and ctx.objective.value_per_unit is not None:
        yield _finding(
            "relevant.reaction_money",
            Verdict.WARN,
            Msg("relevant.reaction_money"),
            Msg("relevant.reaction_money.fix"),
        )


def time_bound(ctx: SmartContext) -> Iterator[Finding]:
    """A deadline after the baseline and the start, within the horizon, reached by the data."""
    deadline = ctx.objective.deadline
    if deadline is None:
        yield _finding(
            "time_bound.deadline",
            Verdict.FAIL,
            Msg("time_bound.deadline"),
            Msg("time_bound.deadline.fix"),
        )
        return
    if deadline <= ctx.program.start:
        yield _finding(
            "time_bound.after_start",
            Verdict.FAIL,
            Msg("time_bound.after_start", deadline=deadline, start=ctx.program.start),
            Msg("time_bound.after_start.fix"),
        )
    if ctx.baseline_last is not None and period_of(deadline, ctx.period) <= ctx.baseline_last:
        yield _finding(
            "time_bound.after_baseline",
            Verdict.FAIL,
            Msg("time_bound.after_baseline", deadline=deadline),
            Msg("time_bound.after_baseline.fix"),
        )
    horizon = ctx.thresholds.horizon_months
    if deadline > add_months(ctx.program.start, horizon):
        yield _finding(
            "time_bound.horizon",
            Verdict.WARN,
            Msg("time_bound.horizon", months=horizon),
            Msg("time_bound.horizon.fix"),
        )
    deadline_period = period_of(deadline, ctx.period)
    no_data_then = ctx.last_data is None or period_of(ctx.last_data, ctx.period) < deadline_period
    if deadline < ctx.as_of and no_data_then and ctx.objective.isolation is not Isolation.ESTIMATES:
        yield _finding(
            "time_bound.past",
            Verdict.WARN,
            Msg("time_bound.past", deadline=deadline),
            Msg("time_bound.past.fix"),
        )


CHECKS: dict[str, Check] = {
    "specific": specific,
    "measurable": measurable,
    "achievable": achievable,
    "relevant": relevant,
    "time_bound": time_bound,
}


def check_smart(ctx: SmartContext) -> Smart:
    """Run every check and combine each criterion's findings into one verdict."""
    estimated = ctx.objective.isolation is Isolation.ESTIMATES
    combined = {
        name: _combine(name, list(check(ctx)), _pass_reason(name, estimated=estimated))
        for name, check in CHECKS.items()
    }
    return Smart(**combined)


def _pass_reason(criterion: str, *, estimated: bool) -> Msg:
    estimates_key = f"pass.estimates.{criterion}"
    if estimated and estimates_key in CATALOGUE:
        return Msg(estimates_key)
    return Msg(f"pass.{criterion}")


def _combine(name: str, findings: list[Finding], pass_reason: Msg) -> Finding:
    if not findings:
        return Finding(f"smart.{name}", Verdict.PASS, pass_reason, None)
    worst = Verdict.FAIL if any(f.verdict is Verdict.FAIL for f in findings) else Verdict.WARN
    ordered = sorted(findings, key=lambda f: f.verdict is not Verdict.FAIL)
    fixes = [f.fix for f in ordered if isinstance(f.fix, Msg)]
    return Finding(
        ordered[0].check,
        worst,
        Msg.combine(f.reason for f in ordered if isinstance(f.reason, Msg)),
        Msg.combine(fixes) if fixes else None,
    )
