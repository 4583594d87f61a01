"""Least squares on (period ordinal, value) points, in closed form."""

from __future__ import annotations

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


def fit_line(points: Sequence[tuple[float, float]]) -> Line | None:
    """Ordinary least squares; None with fewer than two distinct x values."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    syy = sum((y - mean_y) ** 2 for _, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    r2 = None if syy == 0 else min(1.0, sxy * sxy / (sxx * syy))
    return Line(slope=slope, intercept=intercept, r2=r2, points=n)
