"""Layouts beyond long and wide: dates as column headers, dates written without a year, and
survey answers counted as they are."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from roicli.config import Source
from roicli.errors import DataError, Location, shorten
from roicli.ingest.columns import Mapped
from roicli.ingest.dates import MONTHS, AmbiguousOrder, ParsedDates, parse_dates
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import RawTable
from roicli.ingest.values import cell_text

# The long columns a dates_in_columns table is melted into (no header of the file is needed).
DATE_HEADER = "date (column header)"
VALUE_UNDER_DATE = "value (under a date header)"
_MONTH_DAY = re.compile(
    r"(?:(?P<mon>[^\W\d_]+)\.? (?P<day>\d{1,2})|(?P<day2>\d{1,2})[ -](?P<mon2>[^\W\d_]+)\.?)"
)
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d\d|20\d\d|21\d\d)(?!\d)")
_HALF_YEAR = 183  # days: a step back larger than this is a new year, a smaller one disorder


def date_headers(names: Sequence[str], source: Source, *, path: Path) -> list[str]:
    """The header names that are dates (layout dates_in_columns), in file order."""
    taken = {name_key(name) for name in (source.columns.kpi, source.columns.group) if name}
    candidates = [name for name in names if name.strip() and name_key(name) not in taken]
    try:
        parsed = parse_dates(pd.Series(candidates, dtype="str"), dayfirst=source.dayfirst)
    except AmbiguousOrder as exc:
        examples = ", ".join(repr(shorten(example)) for example in exc.examples)
        raise DataError(
            f"cannot tell the day from the month in the date headers (e.g. {examples})",
            location=Location(path),
            fix="set dayfirst: true (dd/mm) or dayfirst: false (mm/dd) in the source",
        ) from None
    found = [name for name, date in zip(candidates, parsed.dates, strict=True) if pd.notna(date)]
    if not found:
        listed = ", ".join(repr(shorten(name)) for name in candidates[:10])
        raise DataError(
            f"layout dates_in_columns: no column header is a date (the others are: {listed})",
            location=Location(path),
            fix="check columns.kpi and skip_rows, or use layout: wide or long",
        )
    return found


def melted(table: RawTable) -> RawTable:
    """A dates_in_columns table as a long one: a row per (row, date header), in file order."""
    mapped = table.mapped
    dates = list(mapped.values)
    keep = [name for name in (mapped.kpi, mapped.group) if name]
    frame = table.columns
    size = len(frame)
    rows = np.repeat(table.rows, len(dates))
    long = pd.DataFrame(
        {
            **{name: np.repeat(frame[name].to_numpy(dtype=object), len(dates)) for name in keep},
            DATE_HEADER: np.tile(np.array(dates, dtype=object), size),
            VALUE_UNDER_DATE: frame[dates].to_numpy(dtype=object).ravel(),
        },
        index=pd.RangeIndex(size * len(dates)),
    )
    overflow = None
    if table.overflow is not None:
        overflow = pd.Series(np.repeat(table.overflow.to_numpy(), len(dates)), index=long.index)
    melted_mapped = Mapped(DATE_HEADER, mapped.kpi, mapped.group, {VALUE_UNDER_DATE: None}, ())
    return RawTable(long, rows.astype(np.int64), melted_mapped, table.detected, overflow)


def yearless_dates(
    cells: pd.Series, rows: npt.NDArray[np.int64], source: Source, *, path: Path, column: str
) -> ParsedDates | None:
    """Dates written without a year ("April 12", "12 avr."), or None when not all are so.

    The year of the first row is ``year:`` or the one 4-digit year in the file name; rows are
    taken in file order, oldest first, and a step back of more than half a year (December, then
    January) starts the next year. A smaller step back cannot be placed and is refused.
    """
    if not all(_month_day(_spaced(cell)) for cell in cells.iloc[:64] if _spaced(cell)):
        return None  # the first rows tell most columns apart without reading them all
    texts = cells.map(_spaced).astype("str")
    filled = texts != ""
    distinct = texts[filled].unique()
    month_days = {text: _month_day(text) for text in distinct}
    if len(distinct) == 0 or any(found is None for found in month_days.values()):
        return None
    year, origin = _first_year(source, path, example=str(distinct[0]))
    dates: list[dt.date | None] = []
    previous: tuple[int, int, str, int] | None = None  # month, day, text, row
    for text, row in zip(texts, rows, strict=True):
        found = month_days.get(text)
        if found is None:
            dates.append(None)
            continue
        month, day = found
        if previous is not None and (month, day) < previous[:2]:
            if _day_of_year(previous[:2]) - _day_of_year((month, day)) <= _HALF_YEAR:
                raise DataError(
                    f"dates without a year go back from {shorten(previous[2])!r} (row "
                    f"{previous[3]}) to {shorten(text)!r} (row {row}): their year cannot be "
                    "told unless the rows are in date order, oldest first",
                    location=Location(path, column=column),
                    fix="sort the export by date, oldest first, or export the dates with years",
                )
            year += 1
        previous = (month, day, text, int(row))
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:  # 31 April, or 29 February of a common year
            dates.append(None)
    result = pd.Series(pd.to_datetime(pd.Series(dates, dtype=object)).to_numpy(), cells.index)
    missing = ~filled
    bad = filled & result.isna()
    formats = (f"month and day, year {origin}",)
    return ParsedDates(result.astype("datetime64[ns]"), missing, bad, formats, None)


def _spaced(cell: object) -> str:
    """A cell's text with each run of spaces (no-break ones too) as one space."""
    return " ".join(cell_text(cell).split())


def _month_day(text: str) -> tuple[int, int] | None:
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        return None
    month = MONTHS.get((match["mon"] or match["mon2"]).lower())
    day = int(match["day"] or match["day2"])
    return (month, day) if month is not None and 1 <= day <= 31 else None


def _day_of_year(month_day: tuple[int, int]) -> int:
    return dt.date(2000, month_day[0], 1).toordinal() + month_day[1]


def _first_year(source: Source, path: Path, *, example: str) -> tuple[int, str]:
    """The year of the first row and where it comes from (for the audit)."""
    if source.year is not None:
        return source.year, f"from year: {source.year}"
    years = sorted(set(_YEAR_IN_NAME.findall(path.name)))
    if len(years) == 1:
        return int(years[0]), f"from the file name ({years[0]})"
    where = (
        f"the file name holds several years ({', '.join(years)})"
        if years
        else "neither the source nor the file name gives one"
    )
    raise DataError(
        f"dates are written without a year (e.g. {shorten(example)!r}) and {where}",
        location=Location(path),
        fix="set year: in the source to the year of the first row",
    )


def answer_codes(cells: pd.Series) -> pd.Series:
    """Survey answers as numbers that only identify them: the same text, the same number.

    A KPI aggregated by ``count`` or ``nunique`` needs no number from its answers, only which
    answers there are; each distinct text gets a negative whole number from its digest.
    """
    texts = cells.map(cell_text).astype("str")
    codes = {text: _code(text) for text in texts.unique()}
    return texts.map(codes).astype("float64")


def _code(text: str) -> float:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=6).digest()
    return -float(1 + int.from_bytes(digest, "big"))
