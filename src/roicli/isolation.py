"""Isolating the training's effect: what each counted month is compared with (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roicli.enums import Isolation
from roicli.stats import Line


@dataclass(frozen=True)
class Reference:
    """What a month's value is compared with, by isolation method."""

    isolation: Isolation
    baseline: float
    trend: Line | None = None
    control: dict[int, float] | None = None
    control_baseline: float | None = None


def improvements(
    values: Sequence[tuple[int, float]], reference: Reference, sign: int
) -> list[tuple[int, float, float, float]]:
    """(ordinal, v_t, reference_t, d_t) for each counted month.

    baseline: d = s·(v − b); trend: d = s·(v − ŷ); control: d = s·((v − b) − (u − b_u)),
    where months with no control value are skipped.
    """
    rows = []
    for ordinal, value in values:
        if reference.isolation is Isolation.TREND:
            assert reference.trend is not None
            compared = reference.trend.at(ordinal)
        elif reference.isolation is Isolation.CONTROL:
            assert reference.control is not None
            assert reference.control_baseline is not None
            if ordinal not in reference.control:
                continue
            control_change = reference.control[ordinal] - reference.control_baseline
            compared = reference.baseline + control_change
        else:
            compared = reference.baseline
        rows.append((ordinal, value, compared, sign * (value - compared)))
    return rows
