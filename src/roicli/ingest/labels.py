"""What a dimension label (a KPI name, a group, a date cell) says, decided once per distinct label.

Both readers use these: the typed one on an Arrow dictionary, the general one on a categorical's
categories, so that a label means the same whichever reader read its file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# "Total", "Grand total", "Totaal", "Totaux", "Total: Search" (a total row per dimension).
_TOTAL = re.compile(
    r"(?:grand\s+)?(?:total|totals|totaal|totaux|totale|gesamt|summe)(?:\s*:.*)?",
    re.IGNORECASE,
)


def clean(label: str) -> str:
    """The label as compared and shown: surrounding white space removed."""
    return label.strip()


@dataclass(frozen=True)
class Cleaned:
    """A column's distinct labels, cleaned: labels equal once cleaned share one code."""

    labels: list[str]  # the cleaned labels, in the order of the raw ones; "" among them
    codes: list[int]  # per raw label, the code (position in ``labels``) of its cleaned one
    empty: int  # the code of "", for empty and missing cells


def clean_all(raw: Sequence[str]) -> Cleaned:
    """The cleaned labels of a column's distinct raw labels (a dictionary, categories)."""
    cleaned = [clean(label) for label in raw]
    position = {label: code for code, label in enumerate(dict.fromkeys([*cleaned, ""]))}
    return Cleaned(list(position), [position[label] for label in cleaned], position[""])


def is_total(label: str) -> bool:
    """Whether a (cleaned) label marks a total or summary row."""
    return _TOTAL.fullmatch(label) is not None
