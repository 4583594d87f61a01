"""Reading a Phillips estimates file: participant, measure, annual_value, contribution and
confidence per row, and optionally the period the value is per and a margin. Numbers and
encodings are read the same way as any data source."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from roicli.enums import EstimatePeriod
from roicli.errors import DataError, Location, shorten
from roicli.ingest.detect import decode
from roicli.ingest.guards import check_text
from roicli.ingest.numbers import number_parts, proven_decimal, to_numbers
from roicli.model import EstimateInput

COLUMNS = ("participant", "measure", "annual_value", "contribution", "confidence")
OPTIONAL = ("period", "margin")  # a missing column, or an empty cell: a year's value, no margin
SHARES = ("contribution", "confidence", "margin")
# The words a period cell may hold, in English or French; an empty cell is a year.
PERIOD_WORDS: dict[str, EstimatePeriod] = {
    **dict.fromkeys(("month", "monthly", "mois", "mensuel"), EstimatePeriod.MONTH),
    **dict.fromkeys(("week", "weekly", "semaine", "hebdomadaire"), EstimatePeriod.WEEK),
    **dict.fromkeys(("year", "yearly", "annual", "an", "année", "annee"), EstimatePeriod.YEAR),
    **dict.fromkeys(("once", "one-off", "une fois", "ponctuel"), EstimatePeriod.ONCE),
}


def read_estimates(path: Path) -> tuple[EstimateInput, ...]:
    """Read and validate every row; shares may be fractions (0.6) or percentages (60%, 60)."""
    try:
        check_text(path)
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise DataError(
            f"cannot read the estimates file: {exc.strerror or exc}",
            location=Location(path),
            fix="check the objective's estimates: path (relative to the config file)",
        ) from None
    except UnicodeDecodeError as exc:  # a byte-order mark that does not fit the bytes after it
        raise DataError(
            f"the file is not valid {exc.encoding} (byte {exc.start})",
            location=Location(path),
            fix="save it again as UTF-8",
        ) from None
    table = _table(path, text)
    numbers = {
        column: _numbers(path, table, column)
        for column in (*COLUMNS[2:], *OPTIONAL[1:])
        if column in table.columns
    }
    periods = _periods(path, table)
    rows = []
    for position, number in enumerate(table.index):
        annual = numbers["annual_value"][position]
        contribution = numbers["contribution"][position]
        confidence = numbers["confidence"][position]
        if annual is None or contribution is None:
            raise DataError(
                "annual_value and contribution are required",
                location=Location(path, row=int(number)),
                fix="fill them in, or delete the row",
            )
        rows.append(
            EstimateInput(
                row=int(number),
                participant=str(table.at[number, "participant"]),
                measure=str(table.at[number, "measure"]),
                annual_value=annual,
                contribution=contribution,
                confidence=confidence,
                period=periods[position],
                margin=numbers["margin"][position] if "margin" in numbers else None,
            )
        )
    return tuple(rows)


def _periods(path: Path, table: pd.DataFrame) -> list[EstimatePeriod]:
    """Each row's period; a year where the column or the cell is empty."""
    if "period" not in table.columns:
        return [EstimatePeriod.YEAR] * len(table)
    found = []
    for number, text in table["period"].items():
        word = " ".join(str(text).casefold().split())
        if not word:
            found.append(EstimatePeriod.YEAR)
        elif word in PERIOD_WORDS:
            found.append(PERIOD_WORDS[word])
        else:
            raise DataError(
                f"expected month, week, year or once, got {shorten(text)!r}",
                location=Location(path, row=int(str(number)), column="period"),
                fix="write what the value is per, or leave the cell empty for a year",
            )
    return found


def _table(path: Path, text: str) -> pd.DataFrame:
    """The file's cells as text, indexed by the row number the user sees; blank rows dropped."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.split("\n", 1)[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # e.g. a field longer than the csv module accepts
        raise DataError(
            f"cannot read the file as CSV: {exc}",
            location=Location(path),
            fix="save it again as CSV from a spreadsheet",
        ) from None
    header = [name.strip().casefold() for name in (lines[0] if lines else [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        found = ", ".join(shorten(name) for name in header) or "nothing"
        raise DataError(
            f"missing column(s) {', '.join(missing)}; found {found}",
            location=Location(path, row=1),
            fix=f"the header must be: {','.join(COLUMNS)}",
        )
    present = [*COLUMNS, *(column for column in OPTIONAL if column in header)]
    records = {
        number: [(cells[header.index(c)] if header.index(c) < len(cells) else "") for c in present]
        for number, cells in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in cells)
    }
    frame = pd.DataFrame.from_dict(records, orient="index", columns=present, dtype="str")
    for column in present:
        frame[column] = frame[column].str.strip()
    return frame


def _numbers(path: Path, table: pd.DataFrame, column: str) -> list[float | None]:
    """A numeric column; shares written as percentages (or above 1) become fractions."""
    texts = table[column]
    parts = number_parts(texts)
    values, bad = to_numbers(parts, proven_decimal(parts.core) or ".")
    if bad.any():
        number = _first(bad)
        raise DataError(
            f"expected a number, got {shorten(texts[number])!r}",
            location=Location(path, row=number, column=column),
            fix="write a plain number such as 4500, 0.6 or 60%",
        )
    if column in SHARES:
        percent = texts.str.endswith("%") | (values > 1)
        values = values.where(~percent, values / 100)
        outside = (values < 0) | (values > 1)
        if outside.any():
            number = _first(outside)
            raise DataError(
                f"expected a share between 0 and 1 (or 0% to 100%), got {shorten(texts[number])!r}",
                location=Location(path, row=number, column=column),
            )
    return [None if pd.isna(value) else float(value) for value in values]


def _first(mask: pd.Series) -> int:
    """The file row number of the first flagged cell."""
    return int(mask.index.to_numpy()[mask.to_numpy().argmax()])
