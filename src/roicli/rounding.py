"""Rounding at the output edge: money half-up to cents, other figures to fixed decimals.

Computation stays unrounded; only what is shown or written goes through here. Going through the
shortest decimal repr first means 336000 × 0.7 (235199.99999999997 in binary) gives 235200.00.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
FIGURE_DECIMALS = 6


def money(value: float) -> Decimal:
    """A money amount rounded half-up to cents."""
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def money_float(value: float | None) -> float | None:
    """A money amount rounded half-up to cents, as a plain number (None stays None)."""
    return None if value is None else float(money(value))


def figure(value: float | None, decimals: int = FIGURE_DECIMALS) -> float | None:
    """A ratio, percentage or KPI value rounded half-up, without binary noise."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))
