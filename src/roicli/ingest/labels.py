"""What a dimension label (a KPI name, a group, a date cell) says, decided once per distinct label.

Both readers use these: the typed one on an Arrow dictionary, the general one on a categorical's
categories, so that a label means the same whichever reader read its file.
"""

from __future__ import annotations

import re

# "Total", "Grand total", "Totaal", "Totaux", "Total: Search" (a total row per dimension).
_TOTAL = re.compile(
    r"(?:grand\s+)?(?:total|totals|totaal|totaux|totale|gesamt|summe)(?:\s*:.*)?",
    re.IGNORECASE,
)


def clean(label: str) -> str:
    """The label as compared and shown: surrounding white space removed."""
    return label.strip()


def is_total(label: str) -> bool:
    """Whether a (cleaned) label marks a total or summary row."""
    return _TOTAL.fullmatch(label) is not None
