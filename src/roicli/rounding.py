"""Rounding at the output edge: money half-up to cents, other figures to at least 10
significant digits.

Computation stays unrounded; only what is shown or written goes through here. Going through the
shortest decimal repr first means 336000 × 0.7 (235199.99999999997 in binary) gives 235200.00.
Money rows shown under a total are apportioned so that, rounded, they add up to the rounded
total (largest remainders get the spare cents).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from functools import cache

from roicli.enums import Aggregation

CENT = Decimal("0.01")
CENT_DECIMALS = 2
SPREADSHEET_DIGITS = 15  # the significant digits a double holds for sure, as Excel shows
FIGURE_DECIMALS = 6
SIGNIFICANT_DIGITS = 10
# Wide enough for any finite float (up to ~1.8e308) with its decimals.
WIDE = Context(prec=400)  # room for any float's digits, rounding and formatting alike


def value_decimals(aggregation: Aggregation | None) -> int:
    """How many decimals a KPI's values are shown with, at most: an NPS is a whole number by
    convention (36, not 36.36); any other value up to two. Slopes and changes keep two."""
    return 0 if aggregation is Aggregation.NPS else 2


def money(value: float) -> Decimal:
    """A money amount rounded half-up to cents, as a spreadsheet rounds it: first to the 15
    significant digits a double holds for sure (so 2,355.6749999999984, a sum of months that
    is 2,355.675 by hand, gives 2,355.68), where that still keeps the cents."""
    exact = Decimal(repr(float(value)))
    if exact and exact.is_finite():
        decimals = SPREADSHEET_DIGITS - 1 - exact.adjusted()
        if decimals > CENT_DECIMALS:
            exact = exact.quantize(_step(decimals), rounding=ROUND_HALF_EVEN, context=WIDE)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP, context=WIDE)


def money_float(value: float | None) -> float | None:
    """A money amount rounded half-up to cents, as a plain number; None when there is none."""
    return None if value is None or not math.isfinite(value) else float(money(value))


def figure(value: float | None, decimals: int | None = None) -> float | None:
    """A ratio, percentage or KPI value rounded half-up to ``decimals`` decimals; by default to
    6, or more where needed to keep 10 significant digits (3.78e-06 stays 3.78e-06)."""
    if value is None or not math.isfinite(value):
        return None
    text = repr(float(value))
    exact = Decimal(text)
    if decimals is None:
        decimals = FIGURE_DECIMALS
        if exact:
            decimals = max(decimals, SIGNIFICANT_DIGITS - 1 - exact.adjusted())
    point = text.find(".")
    if "e" not in text and len(text) - point - 1 <= decimals:
        return float(value)  # no more decimals than asked for: nothing to round
    return float(exact.quantize(_step(decimals), rounding=ROUND_HALF_UP, context=WIDE))


def apportion(values: Sequence[float], total: float) -> list[Decimal]:
    """Each value in cents such that they add up to ``total`` rounded: each is rounded down,
    then the cents still missing go to the largest remainders (the earliest on a tie)."""
    target = money(total)
    exact = [Decimal(repr(float(value))) for value in values]
    floors = [value.quantize(CENT, rounding=ROUND_FLOOR, context=WIDE) for value in exact]
    spare = int((target - sum(floors, Decimal(0))) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    if spare < 0:
        order = order[::-1]
    for index in order[: abs(spare)]:
        floors[index] += CENT if spare > 0 else -CENT
    return floors


@cache
def _step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)
