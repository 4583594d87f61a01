"""How sure the measured benefits are: an interval from the evidence for each isolation method.

Each measured objective's total improvement D (the sum of its counted months' improvements)
comes with a ``Spread``: D's standard error from the pre-programme data, and the degrees of
freedom of Student's t that the standardised error follows. The months' own noise is taken as
independent from month to month; what the months share — the fitted line of a trend, the mean
of a baseline or of the pre-programme differences — is counted once for all of them, not as if
each month had its own:

- trend: the line fitted on n pre-programme months; Var(D) = σ²·(m + m²/n + (Σ(xₜ − x̄))²/Sxx)
  over the m counted months xₜ, σ² the residual variance, df = n − 2;
- control: s² the variance of the trained-minus-control differences of the k pre-programme
  months both groups have; Var(D) = s²·(m + m²/b), b the baseline months, df = k − 1;
- baseline: the k baseline months; Var(D) = s²·(m + m²/k), df = k − 1.

Estimates have no statistical interval: the participants' own confidence is already applied.
The attribution and confidence a lead sets are not in any interval either: the interval says
how noisy the KPI is, not how much of a change the training caused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from roicli.tdist import t_quantile

MIN_RELIABLE_TREND = 6  # pre-programme months before a trend's interval is trusted
MIN_RELIABLE_CONTROL = 4  # overlapping pre-programme months of a control group
MIN_RELIABLE_BASELINE = 3  # baseline months


@dataclass(frozen=True)
class Spread:
    """D − D̂ ≈ scale · T, T Student's t with ``df`` degrees of freedom."""

    scale: float
    df: int
    periods: int  # the pre-programme months the spread rests on
    reliable: bool

    def bounds(self, estimate: float, level: float) -> tuple[float, float]:
        """The two-sided interval around ``estimate`` holding ``level`` of the probability."""
        half = t_quantile((1 + level) / 2, self.df) * self.scale
        return estimate - half, estimate + half


def trend_spread(before: Sequence[tuple[float, float]], counted: Sequence[float]) -> Spread | None:
    """The spread of a trend's total improvement over the ``counted`` months' ordinals, from
    the pre-programme points the line was fitted on; None with fewer than 3 points."""
    n = len(before)
    if n < 3 or not counted:
        return None
    mean_x = sum(x for x, _ in before) / n
    mean_y = sum(y for _, y in before) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in before)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in before) / sxx
    residuals = sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in before)
    variance = residuals / (n - 2)
    m = len(counted)
    away = sum(x - mean_x for x in counted)
    scale = math.sqrt(variance * (m + m * m / n + away * away / sxx))
    return Spread(scale, n - 2, n, reliable=n >= MIN_RELIABLE_TREND)


def control_spread(
    differences: Sequence[float], months: int, baseline_months: int
) -> Spread | None:
    """The spread of a difference in differences over ``months`` counted months, from the
    pre-programme trained-minus-control differences, the baselines being means of
    ``baseline_months`` months; None with fewer than 2 differences."""
    return _mean_spread(differences, months, baseline_months, MIN_RELIABLE_CONTROL)


def baseline_spread(values: Sequence[float], months: int) -> Spread | None:
    """The spread of an improvement over a baseline mean, from the baseline months' values;
    None with fewer than 2 of them."""
    return _mean_spread(values, months, len(values), MIN_RELIABLE_BASELINE)


def _mean_spread(
    values: Sequence[float], months: int, averaged: int, reliable_from: int
) -> Spread | None:
    """Var(D) = s²·(m + m²/averaged), s² the sample variance of ``values``."""
    k = len(values)
    if k < 2 or months < 1 or averaged < 1:
        return None
    mean = sum(values) / k
    variance = sum((value - mean) ** 2 for value in values) / (k - 1)
    scale = math.sqrt(variance * (months + months * months / averaged))
    return Spread(scale, k - 1, k, reliable=k >= reliable_from)
