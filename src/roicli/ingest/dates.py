"""Read a column of dates the way exports write them, one explicit format per pattern found.

ISO dates and datetimes, ``dd/mm/yyyy``, ``mm/dd/yyyy``, ``dd-mm-yy``, ``2026-01``, ``202601``,
``20260115``, ``Jan 2026``, ``janv. 2026``, ``15 Jan 2026``, ``Jan 15, 2026``, Excel serial
numbers, and typed cells from Excel or Parquet. Day/month order is decided from all values.
Pure functions on pandas Series; no file I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roicli.ingest import arrowtext
from roicli.ingest.cells import FIRST_YEAR, LAST_YEAR

_TIME = (
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?\s*(?:[AaPp][Mm])?"
    r"\s*(?:Z|[+-][0-9]{2}:?[0-9]{2})?)$"
)
_SPACES = "[\\s\u00a0\u202f]+"  # the characters themselves: RE2 has no \u escapes
_FIXED = (
    ("%Y-%m-%d", "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"),
    ("%Y/%m/%d", "[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"),
    ("%Y.%m.%d", "[0-9]{4}[.][0-9]{1,2}[.][0-9]{1,2}"),
    ("%Y-%m", "[0-9]{4}-[0-9]{1,2}"),
    ("%Y/%m", "[0-9]{4}/[0-9]{1,2}"),
    ("%Y%m%d", "(?:19|20|21)[0-9]{2}(?:0[1-9]|1[0-2])[0-3][0-9]"),
    ("%Y%m", "(?:19|20|21)[0-9]{2}(?:0[1-9]|1[0-2])"),
)
# Day and month in either order: (separator, year digits) -> pattern with two captured fields.
_ORDERED = {
    (sep, year): f"(?P<first>[0-9]{{1,2}}){pattern}(?P<second>[0-9]{{1,2}}){pattern}[0-9]{{{year}}}"
    for sep, pattern in (("/", "/"), ("-", "-"), (".", "[.]"))
    for year in (4, 2)
}
_SERIAL = "[0-9]{5}(?:[.][0-9]+)?"
_WORD = "[A-Za-zÀ-ÿ]+"
_NAMED = (
    rf"(?P<mon>{_WORD})[.]?[ -]?(?P<year>[0-9]{{4}})",
    rf"(?P<day>[0-9]{{1,2}})[ -](?P<mon>{_WORD})[.]?[ -](?P<year>[0-9]{{4}})",
    rf"(?P<mon>{_WORD})[.]? (?P<day>[0-9]{{1,2}}),? (?P<year>[0-9]{{4}})",
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv",
            "february feb février fevrier févr fevr fév fev",
            "march mar mars",
            "april apr avril avr",
            "may mai",
            "june jun juin",
            "july jul juillet juil",
            "august aug août aout",
            "september sep sept septembre",
            "october oct octobre",
            "november nov novembre",
            "december dec décembre decembre déc",
        ),
        start=1,
    )
    for name in names.split()
}
SERIAL_RANGE = (20000, 80000)  # Excel day numbers for 1954-10-03 .. 2119-01-10
_EXCEL_ORIGIN = "1899-12-30"
_EXCEL_FIRST_DAY = pd.Timestamp(1900, 3, 1)  # serial 61: Excel's serials are right from here on


class AmbiguousOrder(ValueError):
    """Every day/month date in the column fits both orders; the user must say which."""

    def __init__(self, examples: list[str]) -> None:
        super().__init__("day/month order is ambiguous")
        self.examples = examples


@dataclass(frozen=True)
class ParsedDates:
    """Dates at midnight (NaT where missing or bad), which were bad, and what was detected."""

    dates: pd.Series
    missing: pd.Series
    bad: pd.Series
    formats: tuple[str, ...]
    dayfirst: bool | None


def parse_dates(values: pd.Series, *, dayfirst: bool | None = None) -> ParsedDates:
    """Read a column of dates; raise AmbiguousOrder when day/month order cannot be decided."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _done(values, values.isna(), ("typed",), None)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        return _done(_from_numbers(numbers), numbers.isna(), ("number",), None)
    if values.dtype == object:
        return _parse_cells(values, dayfirst)
    return _parse_texts(values.astype("str"), dayfirst)


def _parse_cells(values: pd.Series, dayfirst: bool | None) -> ParsedDates:
    """Excel cells: datetimes as they are, numbers as serials, text through the text parser.

    A date cell before 1900-03-01 is a bad value: Excel counts a 29 February 1900 (serial 60)
    that never was, so its serials up to 60 are not the dates they say.
    """
    kinds = values.map(_kind)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    when = kinds == "datetime"
    typed = pd.to_datetime(values[when].map(_as_timestamp)).astype("datetime64[us]")
    result[when] = typed.mask(typed < _EXCEL_FIRST_DAY)
    numeric = kinds == "number"
    result[numeric] = _from_numbers(values[numeric].astype("float64"))
    text = kinds == "text"
    parsed = _parse_texts(values[text].astype("str"), dayfirst)
    result[text] = parsed.dates
    missing = (kinds == "missing") | parsed.missing.reindex(values.index, fill_value=False)
    formats = tuple(dict.fromkeys([*(["typed"] if when.any() else []), *parsed.formats]))
    return _done(result, missing, formats, parsed.dayfirst)


def _kind(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "missing"
    if isinstance(value, dt.date):
        return "datetime"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return "text"


def _as_timestamp(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value)


def _from_numbers(numbers: pd.Series) -> pd.Series:
    """Excel serial day numbers, or integers written as ``20260115`` / ``202601``."""
    result = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[us]")
    serial = numbers.between(*SERIAL_RANGE)
    days = pd.to_datetime(numbers[serial], unit="D", origin=_EXCEL_ORIGIN)
    result[serial] = days.astype("datetime64[us]")  # a fraction such as .0000001 is below 1 µs
    whole = numbers.where(numbers % 1 == 0)
    for fmt, low, high in (("%Y%m%d", 19000101, 21991231), ("%Y%m", 190001, 219912)):
        span = whole.between(low, high)
        texts = whole[span].astype("int64").astype("str")
        result[span] = pd.to_datetime(texts, format=fmt, errors="coerce")
    return result


def _parse_texts(texts: pd.Series, dayfirst: bool | None) -> ParsedDates:
    text = arrowtext.replace(texts, _SPACES, " ").str.strip()
    missing = text.isna() | (text == "")
    day = arrowtext.replace(text, _TIME, "")
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    open_ = ~missing
    formats: list[str] = []

    def fill(mask: pd.Series, parsed: pd.Series, fmt: str) -> None:
        nonlocal open_
        result[mask] = parsed
        open_ = open_ & ~mask
        formats.append(fmt)

    def matching(pattern: str) -> pd.Series:
        """Open cells that match (none are tried once every cell has found its pattern)."""
        if not open_.any():
            return open_
        return open_ & arrowtext.fullmatch(day.where(open_), pattern)

    for fmt, pattern in _FIXED:
        mask = matching(pattern)
        if mask.any():
            fill(mask, pd.to_datetime(day[mask], format=fmt, errors="coerce"), fmt)
    ordered = {key: matching(pattern) for key, pattern in _ORDERED.items()}
    order = _day_first(day, ordered, dayfirst)
    for (sep, year), mask in ordered.items():
        if mask.any():
            fields = ("%d", "%m") if order else ("%m", "%d")
            fmt = sep.join([*fields, "%Y" if year == 4 else "%y"])
            fill(mask, pd.to_datetime(day[mask], format=fmt, errors="coerce"), fmt)
    serial = matching(_SERIAL)
    if serial.any():
        fill(serial, _from_numbers(day[serial].astype("float64")), "excel serial")
    for pattern in _NAMED:
        if not open_.any():
            break
        named = arrowtext.extract(day[open_], f"^{pattern}$")
        mask = named["mon"].notna().reindex(day.index, fill_value=False)
        if mask.any():
            fill(mask, _from_names(named[named["mon"].notna()]), "month name")
    return _done(result, missing, tuple(dict.fromkeys(formats)), order if _any(ordered) else None)


def _any(masks: dict[tuple[str, int], pd.Series]) -> bool:
    return any(bool(mask.any()) for mask in masks.values())


def _day_first(
    day: pd.Series, ordered: dict[tuple[str, int], pd.Series], dayfirst: bool | None
) -> bool:
    """Day/month order: the override, else the one the values prove (a field above 12)."""
    if dayfirst is not None or not _any(ordered):
        return bool(dayfirst)
    firsts, seconds = [], []
    for (sep, year), mask in ordered.items():
        fields = arrowtext.extract(day[mask], f"^{_ORDERED[(sep, year)]}$").astype("int64")
        firsts.append(fields["first"])
        seconds.append(fields["second"])
    first, second = pd.concat(firsts), pd.concat(seconds)
    day_first, month_first = int((first > 12).sum()), int((second > 12).sum())
    if day_first == month_first == 0:
        examples = day[pd.concat(list(ordered.values())).groupby(level=0).any()]
        raise AmbiguousOrder(list(examples.drop_duplicates().head(3)))
    return day_first >= month_first


def _from_names(named: pd.DataFrame) -> pd.Series:
    month = named["mon"].str.lower().map(MONTHS)
    day = named["day"].fillna("1").astype("str") if "day" in named else "1"
    texts = (
        named["year"].astype("str")
        + "-"
        + month.astype("Int64").astype("str").str.zfill(2)
        + "-"
        + pd.Series(day, index=named.index).str.zfill(2)
    )
    return pd.to_datetime(texts.where(month.notna()), format="%Y-%m-%d", errors="coerce")


def index_dates(values: pd.Series, start: str, unit: str) -> ParsedDates:
    """GA4's ``Nth day`` / ``Nth week`` / ``Nth month`` indexes counted from the report start."""
    text = values.astype("str").str.strip()
    missing = text.isna() | (text == "")
    numbers = pd.to_numeric(text.where(text.str.fullmatch("[0-9]+").fillna(False)), errors="coerce")
    origin = pd.Timestamp(start)
    if unit == "month":
        offsets = [origin + pd.DateOffset(months=int(n)) for n in numbers.dropna().unique()]
        lookup = dict(zip(numbers.dropna().unique(), offsets, strict=True))
        result = pd.to_datetime(numbers.map(lookup))
    else:
        days = numbers * (7 if unit == "week" else 1)
        result = origin + pd.to_timedelta(days, unit="D")
    return _done(result, missing, (f"{unit} index from {origin.date()}",), None)


def _done(
    dates: pd.Series, missing: pd.Series, formats: tuple[str, ...], dayfirst: bool | None
) -> ParsedDates:
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        dates = pd.to_datetime(dates)
    if dates.dt.tz is not None:  # the wall-clock date the export shows
        dates = dates.dt.tz_localize(None)
    first, after = pd.Timestamp(FIRST_YEAR, 1, 1), pd.Timestamp(LAST_YEAR + 1, 1, 1)
    outside = (dates < first) | (dates >= after)  # False for NaT
    if outside.any():
        dates = dates.mask(outside)
    dates = dates.astype("datetime64[ns]").dt.normalize()
    missing = missing.fillna(True).astype(bool)
    return ParsedDates(dates, missing, ~missing & dates.isna(), formats, dayfirst)
