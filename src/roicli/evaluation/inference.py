"""Paired and independent comparisons of scores, with Student's t intervals (pure).

Intervals use roicli's own t quantiles (``roicli.tdist``, exact to 1e-12), so SciPy stays a
test-only dependency.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from roicli.tdist import t_quantile

CONFIDENCE = 0.95
MIN_FOR_INTERVAL = 2  # a standard deviation needs two values


@dataclass(frozen=True)
class Interval:
    """A confidence interval."""

    low: float
    high: float
    confidence: float = CONFIDENCE


@dataclass(frozen=True)
class PairedGain:
    """Post minus pre for n participants with both scores."""

    n: int
    pre_mean: float
    post_mean: float
    mean: float  # the mean gain
    sd: float | None  # of the gains (n − 1); None below two pairs
    interval: Interval | None  # paired t; None below two pairs or when every gain is equal
    d_z: float | None  # Cohen's d_z: mean gain / sd of the gains
    improved: float  # the share whose post-score is above their pre-score


def paired_gain(pairs: Sequence[tuple[float, float]], confidence: float = CONFIDENCE) -> PairedGain:
    """Paired t: mean gain ± t(1 − α/2, n − 1) · sd / √n, with d_z; ``pairs`` are (pre, post)."""
    if not pairs:
        raise ValueError("no pairs")
    n = len(pairs)
    gains = [post - pre for pre, post in pairs]
    mean = statistics.fmean(gains)
    sd = statistics.stdev(gains) if n >= MIN_FOR_INTERVAL else None
    interval = None
    d_z = None
    if sd is not None and sd > 0:
        half = t_quantile(1 - (1 - confidence) / 2, n - 1) * sd / math.sqrt(n)
        interval = Interval(mean - half, mean + half, confidence)
        d_z = mean / sd
    return PairedGain(
        n=n,
        pre_mean=statistics.fmean(pre for pre, _ in pairs),
        post_mean=statistics.fmean(post for _, post in pairs),
        mean=mean,
        sd=sd,
        interval=interval,
        d_z=d_z,
        improved=sum(gain > 0 for gain in gains) / n,
    )


def welch(
    reference: Sequence[float], other: Sequence[float], confidence: float = CONFIDENCE
) -> tuple[float, Interval | None]:
    """mean(other) − mean(reference), with Welch's interval (None below two values a side)."""
    difference = statistics.fmean(other) - statistics.fmean(reference)
    if len(reference) < MIN_FOR_INTERVAL or len(other) < MIN_FOR_INTERVAL:
        return difference, None
    part_a = statistics.variance(reference) / len(reference)
    part_b = statistics.variance(other) / len(other)
    se2 = part_a + part_b
    if se2 <= 0:
        return difference, None
    df = se2 * se2 / (part_a * part_a / (len(reference) - 1) + part_b * part_b / (len(other) - 1))
    half = t_quantile(1 - (1 - confidence) / 2, df) * math.sqrt(se2)
    return difference, Interval(difference - half, difference + half, confidence)
