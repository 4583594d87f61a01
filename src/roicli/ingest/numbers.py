"""Read numbers the way exports write them, a whole column at a time.

``1,234.5``, ``1.234,5``, ``1 234,5`` (normal, no-break or narrow no-break spaces), ``45.67%``
(kept in points), ``00:01:23`` (seconds), ``US$ 0,00``, ``1 234,50 €``, ``EUR 12``, ``-1.8`` and
``(12.5)``. Which of ``.`` and ``,`` is the decimal mark is decided from all of a column's values.
Pure functions on pandas Series; no file I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal as Exact
from typing import Literal

import numpy as np
import pandas as pd

from roicli.ingest import arrowtext
from roicli.ingest.cells import MAX_ABS_VALUE, PLACEHOLDERS

Decimal = Literal[".", ","]

_SPACES = "[\u00a0\u202f\u2007\u2009]"  # the characters themselves: RE2 has no \u escapes
_SYMBOLS = "$€£¥₹₽₩₺₪฿₫₴₦₱¢"
_CURRENCY = rf"(?:(?:[A-Z]{{1,3}}\s?)?[{_SYMBOLS}]|[A-Z]{{3}})"
_NUMBER = (
    r"^(?P<open>\()?\s*(?P<sign1>[-+−])?\s*" + _CURRENCY + r"?\s*(?P<sign2>[-+−])?\s*"
    r"(?P<core>[0-9][0-9.,' ]*[0-9]|[0-9]|[.,][0-9]+)(?P<exp>[eE][-+]?[0-9]+)?\s*"
    + _CURRENCY
    + r"?\s*(?P<pct>%)?\s*(?P<close>\))?$"
)
_BARE = "[0-9][0-9.,' ]*[0-9]|[0-9]"
_DURATION = r"^(?P<sign>[-−])?(?P<h>[0-9]+):(?P<m>[0-5][0-9]):(?P<s>[0-5][0-9](?:\.[0-9]+)?)$"
_MARK: dict[Decimal, str] = {".": "[.]", ",": "[,]"}
_OTHER: dict[Decimal, Decimal] = {".": ",", ",": "."}


def _grouped(sep: str, decimal: Decimal) -> str:
    """Digits grouped by three with ``sep``, with an optional fraction after ``decimal``."""
    return f"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+(?:{_MARK[decimal]}[0-9]+)?"


def _thousands(decimal: Decimal) -> tuple[str, ...]:
    return (_MARK[_OTHER[decimal]], " ", "'")


_VALID: dict[Decimal, str] = {
    mark: "(?:"
    + "|".join(
        [
            f"[0-9]+(?:{_MARK[mark]}[0-9]+)?",
            f"{_MARK[mark]}[0-9]+",
            *(_grouped(sep, mark) for sep in _thousands(mark)),
        ]
    )
    + ")"
    for mark in (".", ",")
}
_AMBIGUOUS = "[1-9][0-9]{0,2}(?:[.,][0-9]{3})+"


@dataclass(frozen=True)
class NumberParts:
    """A column of number texts taken apart: what is missing, durations, and the digits."""

    missing: pd.Series  # empty cells and placeholders: not data, never zero
    seconds: pd.Series  # durations hh:mm:ss in seconds (NaN elsewhere)
    core: pd.Series  # the digits with their separators (NaN where there are none)
    negative: pd.Series
    exponent: pd.Series
    unreadable: pd.Series  # present, yet neither a number nor a duration


def number_parts(texts: pd.Series) -> NumberParts:
    """Take apart a column of number texts (sign, currency, percent, parentheses)."""
    text = arrowtext.replace(texts, _SPACES, " ").str.strip()
    missing = texts.isna() | text.str.lower().isin(PLACEHOLDERS)
    seconds = pd.Series(np.nan, index=text.index)
    if text.str.contains(":", regex=False).any():
        duration = arrowtext.extract(text, _DURATION)
        seconds = (
            duration["h"].astype(float) * 3600
            + duration["m"].astype(float) * 60
            + duration["s"].astype(float)
        )
        seconds = seconds.where(duration["sign"].isna(), -seconds)
    # Most cells are bare digits: only the others go through the full pattern.
    bare = arrowtext.fullmatch(text, _BARE)
    core = text.where(bare)
    negative = pd.Series(False, index=text.index)
    exponent = pd.Series("", index=text.index, dtype="str")
    decorated = ~bare & ~missing & seconds.isna()
    if decorated.any():
        parts = arrowtext.extract(text[decorated], _NUMBER)
        balanced = parts["open"].isna() == parts["close"].isna()
        core[decorated] = parts["core"].where(balanced)
        negative[decorated] = (
            parts["sign1"].isin(["-", "−"])
            | parts["sign2"].isin(["-", "−"])
            | parts["open"].notna()
        )
        exponent[decorated] = parts["exp"].fillna("")
    return NumberParts(
        missing=missing,
        seconds=seconds,
        core=core,
        negative=negative,
        exponent=exponent,
        unreadable=~missing & seconds.isna() & core.isna(),
    )


def has_marks(core: pd.Series) -> bool:
    """Whether any value holds a ``.`` or a ``,`` (only then does the decimal mark matter)."""
    return bool(core.dropna().str.contains("[.,]", regex=True).any())


def decide_decimal(core: pd.Series) -> Decimal | None:
    """The decimal mark a column's values prove, or None when they fit both readings.

    The reading that fits more values wins; when both fit all of them (values such as
    ``2.546`` next to plain integers), a plain integer of four digits or more proves that the
    column does not group thousands, so its mark is a decimal mark.
    """
    values = core.dropna()
    fits = {mark: int(values.str.fullmatch(pattern).sum()) for mark, pattern in _VALID.items()}
    if fits["."] != fits[","]:
        return "." if fits["."] > fits[","] else ","
    if fits["."] < len(values):
        return None
    marks = _marks_used(values)
    long_plain = values.str.fullmatch("[1-9][0-9]{3,}").any()
    if long_plain and len(marks) == 1:
        return marks[0]
    return None


def fits_both(core: pd.Series) -> bool:
    """Whether every value reads with either mark as the decimal one (``2.546``, ``1,500``)."""
    values = core.dropna()
    return all(bool(values.str.fullmatch(pattern).all()) for pattern in _VALID.values())


def grouping_decimal(core: pd.Series) -> Decimal | None:
    """The decimal mark implied when a column's marks look like thousands grouping.

    Values under 1000 written as plain integers next to grouped ones (``437``, ``2,533``) are how
    a thousands separator shows; this returns the other mark as the decimal one.
    """
    values = core.dropna()
    marked = values.str.contains("[.,]", regex=True)
    plain = values[~marked]
    grouped = values[marked].str.fullmatch(_AMBIGUOUS).all()
    marks = _marks_used(values[marked])
    if len(plain) and grouped and len(marks) == 1 and plain.str.len().max() <= 3:
        return _OTHER[marks[0]]
    return None


def _marks_used(values: pd.Series) -> list[Decimal]:
    used: list[Decimal] = []
    for mark in (".", ","):
        if values.str.contains(mark, regex=False).any():
            used.append(mark)
    return used


def thousands_seen(core: pd.Series, decimal: Decimal) -> str | None:
    """The thousands separator the values actually use with this decimal mark, if any."""
    values = core.dropna()
    for sep, name in zip(_thousands(decimal), (_OTHER[decimal], " ", "'"), strict=True):
        if values.str.fullmatch(_grouped(sep, decimal)).any():
            return name
    return None


def to_numbers(parts: NumberParts, decimal: Decimal) -> tuple[pd.Series, pd.Series]:
    """The values (float64, NaN where missing or bad) and the mask of bad values.

    Values beyond ``MAX_ABS_VALUE`` in size (``1e999`` included) are bad, never infinite.
    """
    valid = parts.core.str.fullmatch(_VALID[decimal]).fillna(False).astype(bool)
    digits = arrowtext.replace(parts.core.where(valid), f"[{_OTHER[decimal]} ']", "")
    digits = digits.str.replace(decimal, ".", regex=False) + parts.exponent
    numbers = _parse(digits)
    numbers = numbers.where(~parts.negative, -numbers)
    values = numbers.fillna(parts.seconds).astype("float64")
    bad = ~parts.missing & ~(values.abs() <= MAX_ABS_VALUE)
    return values.where(~bad, np.nan), bad


def points(fractions: pd.Series) -> pd.Series:
    """Finite fractions a workbook shows as percentages (0.0207 shown as 2.07 %) in points, read
    as the text ``2.07%`` is: each fraction's shortest decimal moved two places, parsed like any
    digits by the same function.

    Multiplying by 100 would add binary noise (0.07 * 100 is 7.000000000000001). Only the
    distinct fractions are converted: a column of percentages repeats few of them.
    """
    codes, distinct = pd.factorize(fractions)
    texts = pd.Series([format(Exact(repr(float(f))).scaleb(2), "f") for f in distinct], dtype="str")
    return pd.Series(_parse(texts).to_numpy()[codes], index=fractions.index, dtype="float64")


def _parse(digits: pd.Series) -> pd.Series:
    """Plain decimal texts (``.`` as the mark, an optional exponent) as float64, NaN elsewhere."""
    return pd.to_numeric(digits, errors="coerce").astype("float64")


def proven_decimal(core: pd.Series) -> Decimal | None:
    """The decimal mark when exactly one reading fits every value of a column, else None."""
    values = core.dropna()
    if values.empty or not has_marks(values):
        return None
    fitting = [mark for mark, pattern in _VALID.items() if values.str.fullmatch(pattern).all()]
    return fitting[0] if len(fitting) == 1 else None


def file_decimal(columns: Iterable[pd.Series]) -> Decimal | None:
    """The decimal mark most of a table's fully numeric columns prove (one export, one locale)."""
    votes: dict[Decimal, int] = {".": 0, ",": 0}
    for texts in columns:
        parts = number_parts(texts)
        if parts.unreadable.any() or parts.missing.all():
            continue
        mark = proven_decimal(parts.core)
        if mark is not None:
            votes[mark] += 1
    if votes["."] == votes[","]:
        return None
    return "." if votes["."] > votes[","] else ","
