"""Least squares on (period ordinal, value) points, in closed form."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """y = intercept + slope · x, with R² (None for a flat series) and the number of points."""

    slope: float
    intercept: float
    r2: float | None
    points: int

    def at(self, x: float) -> float:
        """The line's value at x."""
        return self.intercept + self.slope * x


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator; None when it does not exist or is not a finite number."""
    if denominator == 0:
        return None
    result = numerator / denominator
    return result if math.isfinite(result) else None


def percent(numerator: float, denominator: float) -> float | None:
    """numerator / denominator × 100; None when it does not exist or is not a finite number
    (a gain over a cost of 1e-300 overflows)."""
    share = ratio(numerator, denominator)
    if share is None:
        return None
    points = share * 100
    return points if math.isfinite(points) else None


def fit_line(points: Sequence[tuple[float, float]]) -> Line | None:
    """Ordinary least squares; None with fewer than two distinct x values or on overflow."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) * (x - mean_x) for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    syy = sum((y - mean_y) * (y - mean_y) for _, y in points)
    slope = ratio(sxy, sxx)
    if slope is None:
        return None
    intercept = mean_y - slope * mean_x
    if not math.isfinite(intercept):
        return None
    fit = ratio(sxy * sxy, sxx * syy) if math.isfinite(syy) else None
    r2 = None if fit is None else min(1.0, fit)
    return Line(slope=slope, intercept=intercept, r2=r2, points=n)
