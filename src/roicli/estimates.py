"""Reading a Phillips estimates file: participant, measure, annual_value, contribution and
confidence per row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from roicli.errors import DataError, Location
from roicli.model import EstimateRow
from roicli.roi import adjusted_estimate

COLUMNS = ("participant", "measure", "annual_value", "contribution", "confidence")


def read_estimates(path: Path) -> tuple[EstimateRow, ...]:
    """Read and validate every row; shares may be fractions (0.6) or percentages (60%, 60)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"cannot read the estimates file: {exc.strerror or exc}",
            location=Location(path),
            fix="check the objective's estimates: path (relative to the config file)",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    dialect = _dialect(text)
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().casefold() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(header) or 'nothing'}",
            location=Location(path, row=1),
            fix=f"the header must be: {','.join(COLUMNS)}",
        )
    rows = []
    for number, record in enumerate(reader, start=2):
        cells = {k.strip().casefold(): (v or "").strip() for k, v in record.items() if k}
        if not any(cells.values()):
            continue
        where = Location(path, row=number)
        annual = _number(cells["annual_value"], where, "annual_value")
        contribution = _share(cells["contribution"], where, "contribution")
        confidence = (
            _share(cells["confidence"], where, "confidence") if cells["confidence"] else None
        )
        if annual is None or contribution is None:
            raise DataError(
                "annual_value and contribution are required",
                location=where,
                fix="fill them in, or delete the row",
            )
        rows.append(
            EstimateRow(
                row=number,
                participant=cells["participant"],
                measure=cells["measure"],
                annual_value=annual,
                contribution=contribution,
                confidence=confidence,
                adjusted=adjusted_estimate(annual, contribution, confidence),
            )
        )
    return tuple(rows)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _number(text: str, where: Location, column: str) -> float | None:
    if not text:
        return None
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace("$", "").replace("£", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise DataError(
            f"expected a number, got {text!r}",
            location=Location(where.path, row=where.row, column=column),
            fix="write a plain amount such as 4500",
        ) from None
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        raise DataError(
            f"expected a positive amount, got {text!r}",
            location=Location(where.path, row=where.row, column=column),
        )
    return value


def _share(text: str, where: Location, column: str) -> float | None:
    if not text:
        return None
    percent = text.endswith("%")
    value = _number(text.rstrip("%").strip(), where, column)
    if value is None:
        return None
    if percent or value > 1:
        value /= 100
    if value > 1:
        raise DataError(
            f"expected a share between 0 and 1 (or 0% to 100%), got {text!r}",
            location=Location(where.path, row=where.row, column=column),
        )
    return value
