"""The unit a payback is shown in (pure): a short one in weeks, the rest in months."""

from __future__ import annotations

from roicli.enums import PaybackUnit
from roicli.model import Payback

SHORT_PAYBACK_MONTHS = 3.0  # a payback under this is shown in weeks
WEEKS_PER_MONTH = 52 / 12


def shown_payback(months: float | None) -> Payback | None:
    """Under 3 months: months × 52 / 12 weeks; otherwise the months as they are."""
    if months is None:
        return None
    if months < SHORT_PAYBACK_MONTHS:
        return Payback(months * WEEKS_PER_MONTH, PaybackUnit.WEEKS)
    return Payback(months, PaybackUnit.MONTHS)
