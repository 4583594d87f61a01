"""Rounding at the output edge: money half-up to cents, other figures to fixed decimals.

Computation stays unrounded; only what is shown or written goes through here. Going through the
shortest decimal repr first means 336000 × 0.7 (235199.99999999997 in binary) gives 235200.00.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cache

CENT = Decimal("0.01")
FIGURE_DECIMALS = 6
# Wide enough for any finite float (up to ~1.8e308) with its decimals.
WIDE = Context(prec=400)  # room for any float's digits, rounding and formatting alike


def money(value: float) -> Decimal:
    """A money amount rounded half-up to cents."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP, context=WIDE)


def money_float(value: float | None) -> float | None:
    """A money amount rounded half-up to cents, as a plain number; None when there is none."""
    return None if value is None or not math.isfinite(value) else float(money(value))


def figure(value: float | None, decimals: int = FIGURE_DECIMALS) -> float | None:
    """A ratio, percentage or KPI value rounded half-up, without binary noise."""
    if value is None or not math.isfinite(value):
        return None
    text = repr(float(value))
    point = text.find(".")
    if "e" not in text and len(text) - point - 1 <= decimals:
        return float(value)  # no more decimals than asked for: nothing to round
    exact = Decimal(text)
    return float(exact.quantize(_step(decimals), rounding=ROUND_HALF_UP, context=WIDE))


@cache
def _step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)
