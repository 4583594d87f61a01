"""Where an objective stands: baseline, target, current value, projection and status (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from roicli.config import Baseline
from roicli.enums import Period, Status
from roicli.messages import Msg
from roicli.model import PrePost
from roicli.periods import Series, whole_periods
from roicli.stats import fit_line, percent, ratio

DEFAULT_BASELINE_PERIODS = 3
FALLBACK_PROJECTION_PERIODS = 6


def baseline_ordinals(
    baseline: Baseline | None, series: Series, *, start: int, period: Period
) -> list[int]:
    """The periods a baseline averages: those wholly inside the named period or range (never a
    day outside what the user wrote), or the last 3 before the start."""
    if baseline is not None and baseline.period is not None:
        return list(whole_periods(baseline.period.start, baseline.period.end, period))
    if baseline is not None and baseline.from_ is not None and baseline.to is not None:
        return list(whole_periods(baseline.from_.start, baseline.to.end, period))
    before = [o for o in series.ordinals() if o < start]
    return before[-DEFAULT_BASELINE_PERIODS:]


def resolve_baseline(
    baseline: Baseline | None, series: Series, *, start: int, period: Period
) -> float | None:
    """The baseline b: X, the value of period P, or the mean of the periods it names."""
    if baseline is not None and baseline.value is not None:
        return baseline.value
    values = [
        series.values[o]
        for o in baseline_ordinals(baseline, series, start=start, period=period)
        if o in series.values
    ]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Projection:
    """The least-squares projection of a series to the deadline's period."""

    value: float
    points: int
    from_programme: bool


def project(series: Series, *, start: int, last: int, deadline: int) -> Projection | None:
    """Fit the periods from the programme start to ``last`` (≥ 2), else the last 6 periods."""
    points = series.between(start, last)
    from_programme = len(points) >= 2
    if not from_programme:
        points = series.between(min(series.ordinals(), default=last), last)
        points = points[-FALLBACK_PROJECTION_PERIODS:]
    line = fit_line([(float(o), v) for o, v in points])
    if line is None:
        return None
    return Projection(line.at(deadline), line.points, from_programme)


def pre_post(series: Series, *, start: int, last: int) -> PrePost:
    """Mean of the periods before ``start`` against the periods from ``start`` to ``last``."""
    before = [v for _, v in series.until(start - 1)]
    after = [v for _, v in series.between(start, last)]
    before_mean = sum(before) / len(before) if before else None
    after_mean = sum(after) / len(after) if after else None
    change_pct = None
    if before_mean is not None and after_mean is not None:
        change_pct = percent(after_mean - before_mean, abs(before_mean))
    return PrePost(before_mean, after_mean, change_pct, len(before), len(after))


def difference_in_differences(trained: PrePost, control: PrePost) -> float | None:
    """(after − before) of the trained group minus (after − before) of the control group."""
    if trained.after_mean is None or trained.before_mean is None:
        return None
    if control.after_mean is None or control.before_mean is None:
        return None
    return (trained.after_mean - trained.before_mean) - (control.after_mean - control.before_mean)


def progress(current: float, baseline: float, target: float) -> float | None:
    """(c − b) / (T − b); None when the target equals the baseline."""
    return ratio(current - baseline, target - baseline)


def meets(value: float, target: float, sign: int) -> bool:
    """Whether a value reaches the target in the KPI's good direction."""
    return sign * (value - target) >= 0


@dataclass(frozen=True)
class StatusInputs:
    """What the status of a KPI objective is decided from."""

    sign: int
    baseline: float
    target: float
    current: float
    projected: float | None
    deadline_passed: bool


def decide_status(inputs: StatusInputs) -> tuple[Status, Msg]:
    """achieved, missed, on_track, at_risk or off_track, with the reason in words."""
    if meets(inputs.current, inputs.target, inputs.sign):
        return Status.ACHIEVED, Msg("status.achieved")
    if inputs.deadline_passed:
        return Status.MISSED, Msg("status.deadline_passed")
    if inputs.projected is None:
        return Status.NOT_YET_MEASURABLE, Msg("status.too_few")
    if meets(inputs.projected, inputs.target, inputs.sign):
        return Status.ON_TRACK, Msg("status.on_track")
    projected_progress = progress(inputs.projected, inputs.baseline, inputs.target)
    if projected_progress is not None and projected_progress >= 0.5:
        return Status.AT_RISK, Msg("status.at_risk", share=projected_progress)
    return Status.OFF_TRACK, Msg("status.off_track")
