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


def _finding(check: str, verdict: Verdict, reason: str, fix: str | None = None) -> Finding:
    return Finding(f"smart.{check}", verdict, reason, fix)


def specific(ctx: SmartContext) -> Iterator[Finding]:
    """A defined KPI, a title with an action and the KPI's subject, an owner or a group."""
    objective = ctx.objective
    if objective.isolation is not Isolation.ESTIMATES:
        if ctx.kpi is None:
            close = difflib.get_close_matches(objective.kpi or "", ctx.kpi_names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield _finding(
                "specific.kpi",
                Verdict.FAIL,
                f"KPI {objective.kpi!r} is not defined in kpis{hint}",
                "define it under kpis: or fix the objective's kpi",
            )
        else:
            subject = {_stem(w) for w in _words(_kpi_text(objective.kpi or "", ctx.kpi))}
            subject -= {"rate", "number", "taux", "nombre", "per", "par", "de", "of"}
            if subject and not subject & {_stem(w) for w in _words(objective.title)}:
                yield _finding(
                    "specific.subject",
                    Verdict.WARN,
                    "the title does not name the KPI's subject",
                    f"say what moves, e.g. mention {ctx.kpi.label or objective.kpi!r}",
                )
    words = set(_words(objective.title))
    stems = {_stem(w) for w in words}
    has_action = bool(words & ACTION_VERBS or stems & {_stem(v) for v in ACTION_VERBS})
    if not has_action:
        vague = sorted(words & VAGUE_VERBS)
        reason = f"only a vague verb ({', '.join(vague)})" if vague else "no action verb"
        yield _finding(
            "specific.action",
            Verdict.WARN,
            f"the title has {reason}",
            "name the action and the change, e.g. 'Increase X by 20% by applying …'",
        )
    if not objective.owner and not objective.group:
        yield _finding(
            "specific.owner",
            Verdict.WARN,
            "no owner and no group",
            "add owner: (who answers for it) or group: (whose KPI it is)",
        )


def _kpi_text(key: str, kpi: Kpi) -> str:
    return " ".join([key.replace("_", " "), kpi.label or ""])


def measurable(ctx: SmartContext) -> Iterator[Finding]:
    """Data for the KPI, a baseline that resolves, a target in the KPI's good direction."""
    objective = ctx.objective
    if objective.isolation is Isolation.ESTIMATES:
        usable = [row for row in ctx.estimates if row.confidence is not None]
        if not usable:
            yield _finding(
                "measurable.estimates",
                Verdict.FAIL,
                "no estimate row has a confidence",
                "ask each participant for a confidence (0-100%) with each estimate",
            )
        return
    if ctx.kpi is None:
        yield _finding("measurable.kpi", Verdict.FAIL, "the KPI is not defined, so it has no data")
        return
    if not ctx.series:
        where = f" for group {objective.group!r}" if objective.group else ""
        yield _finding(
            "measurable.data",
            Verdict.FAIL,
            f"no data for {objective.kpi}{where} in the sources",
            "add a source that holds this KPI, or check its name, label and aliases",
        )
    if ctx.baseline is None:
        yield _finding(
            "measurable.baseline",
            Verdict.FAIL,
            "the baseline does not resolve to a number",
            "give baseline: {value: X}, or add data for the baseline periods",
        )
    if objective.target is None:
        yield _finding(
            "measurable.target",
            Verdict.FAIL,
            "no target",
            'add target: {value: X} or target: {change: "+20%"}',
        )
    elif ctx.baseline is not None and ctx.target is not None:
        sign = ctx.kpi.direction.sign
        if sign * (ctx.target - ctx.baseline) <= 0:
            way = "above" if sign > 0 else "below"
            yield _finding(
                "measurable.direction",
                Verdict.FAIL,
                f"the target {ctx.target:,.2f} is not {way} the baseline {ctx.baseline:,.2f} "
                f"for a KPI that should {ctx.kpi.direction.value}",
                f"set a target {way} the baseline, or fix the KPI's direction",
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
            f"only {len(changes)} historical period-to-period changes: too few to judge",
            "add at least 6 pre-programme periods of data",
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
            f"needs {per_period:+,.1f} per {ctx.period.value} for {horizon} periods, beyond any "
            f"plausible change (history: {drift:+,.1f} ± {volatility:,.1f} per {ctx.period.value})",
            "lower the target or move the deadline",
        )
    elif per_period > best * ctx.thresholds.achievable_warn_ratio:
        yield _finding(
            "achievable.best_run",
            Verdict.WARN,
            f"needs {per_period:+,.1f} every {ctx.period.value}, more than the best gain ever "
            f"observed in one {ctx.period.value} ({best:+,.1f})",
            "check the target with the team, or allow more time",
        )


def relevant(ctx: SmartContext) -> Iterator[Finding]:
    """Linked to a listed business goal; a reaction-level KPI should not carry money."""
    goal = ctx.objective.business_goal
    if not goal:
        yield _finding(
            "relevant.goal",
            Verdict.FAIL,
            "not linked to a business goal",
            f"add business_goal: one of {', '.join(ctx.business_goals) or '(list business_goals)'}",
        )
    elif goal not in ctx.business_goals:
        close = difflib.get_close_matches(goal, list(ctx.business_goals), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        yield _finding(
            "relevant.goal",
            Verdict.FAIL,
            f"business goal {goal!r} is not in business_goals{hint}",
            "use one of business_goals, or add it there",
        )
    kpi = ctx.kpi
    if kpi is not None and kpi.level is Level.REACTION and ctx.objective.value_per_unit is not None:
        yield _finding(
            "relevant.reaction_money",
            Verdict.WARN,
            "a reaction-level KPI carries money: satisfaction is not a business result",
            "remove value_per_unit, or tie the objective to an impact KPI",
        )


def time_bound(ctx: SmartContext) -> Iterator[Finding]:
    """A deadline after the baseline and the start, within the horizon, reached by the data."""
    deadline = ctx.objective.deadline
    if deadline is None:
        yield _finding(
            "time_bound.deadline", Verdict.FAIL, "no deadline", "add deadline: YYYY-MM-DD"
        )
        return
    if deadline <= ctx.program.start:
        yield _finding(
            "time_bound.after_start",
            Verdict.FAIL,
            f"the deadline {deadline} is not after the programme start {ctx.program.start}",
            "set a deadline after the start",
        )
    if ctx.baseline_last is not None and period_of(deadline, ctx.period) <= ctx.baseline_last:
        yield _finding(
            "time_bound.after_baseline",
            Verdict.FAIL,
            f"the deadline {deadline} is not after the baseline periods",
            "set a deadline after the baseline",
        )
    horizon = ctx.thresholds.horizon_months
    if deadline > add_months(ctx.program.start, horizon):
        yield _finding(
            "time_bound.horizon",
            Verdict.WARN,
            f"the deadline is more than {horizon} months after the start",
            "set an intermediate milestone within the horizon",
        )
    deadline_period = period_of(deadline, ctx.period)
    no_data_then = ctx.last_data is None or period_of(ctx.last_data, ctx.period) < deadline_period
    if deadline < ctx.as_of and no_data_then and ctx.objective.isolation is not Isolation.ESTIMATES:
        yield _finding(
            "time_bound.past",
            Verdict.WARN,
            f"the deadline {deadline} has passed and no data reaches it",
            "add the latest export, or set a new deadline",
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
    reasons = _PASS_REASONS_ESTIMATES if estimated else _PASS_REASONS
    combined = {
        name: _combine(name, list(check(ctx)), reasons[name]) for name, check in CHECKS.items()
    }
    return Smart(**combined)


_PASS_REASONS = {
    "specific": "a defined KPI, an action on its subject, an owner or group",
    "measurable": "data, a baseline and a target in the KPI's good direction",
    "achievable": "the required change is within the KPI's history",
    "relevant": "linked to a listed business goal",
    "time_bound": "a deadline after the start, within the horizon",
}
_PASS_REASONS_ESTIMATES = _PASS_REASONS | {
    "specific": "an action and an owner or group",
    "measurable": "participant estimates with a confidence",
    "achievable": "participants' own estimates, adjusted for confidence",
}


def _combine(name: str, findings: list[Finding], pass_reason: str) -> Finding:
    if not findings:
        return Finding(f"smart.{name}", Verdict.PASS, pass_reason, None)
    worst = Verdict.FAIL if any(f.verdict is Verdict.FAIL for f in findings) else Verdict.WARN
    ordered = sorted(findings, key=lambda f: f.verdict is not Verdict.FAIL)
    fixes = [f.fix for f in ordered if f.fix]
    return Finding(
        ordered[0].check,
        worst,
        "; ".join(f.reason for f in ordered),
        "; ".join(fixes) if fixes else None,
    )
