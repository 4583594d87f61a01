"""Formula-injection defences for text that came from the config or the data.

Spreadsheet applications treat a cell that starts with one of these characters as a formula
(OWASP "CSV injection"); text from inputs must never be run that way.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read text as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Text for a CSV cell: a leading quote makes a formula-like value inert (OWASP)."""
    return f"'{text}" if is_formula_like(text) else text
