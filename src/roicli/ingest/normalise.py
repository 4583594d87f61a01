"""Turn a RawTable into long rows (date, kpi, group, value): totals out, bad rows named."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from roicli.config import Source
from roicli.daytable import NO_NEEDS, Needs, merge, of_rows
from roicli.enums import Layout
from roicli.errors import DataError, Location, shorten
from roicli.ingest import labels
from roicli.ingest.dates import AmbiguousOrder, ParsedDates, index_dates, parse_dates
from roicli.ingest.kpimatch import kpi_names, name_key
from roicli.ingest.layouts import melted, yearless_dates
from roicli.ingest.model import BadRow, DetectedDict, Normalised, RawTable
from roicli.ingest.numbers import Decimal, number_parts, to_numbers
from roicli.ingest.values import ValueColumn, cell_text, read_values, table_decimal
from roicli.longtable import LongTable, combine, empty_table

_INDEX_HEADER = re.compile(r"^nth (day|week|month)$")
_SAMPLE = 5
_AUDIT_CELL = 200  # characters of a bad cell (or its column's name) kept in the audit


def normalise(
    table: RawTable,
    source: Source,
    lookup: Mapping[str, str],
    *,
    path: Path,
    skip_bad_rows: bool,
    answers: frozenset[str] = frozenset(),
    wants: Needs = NO_NEEDS,
) -> Normalised:
    """Read dates and values, drop total rows, and name (or skip) the rows that cannot be read.

    The values of the KPIs in ``answers`` (counted, not added up) may be any text; ``wants``
    says what the KPIs' aggregations need of the day table beyond counts and sums.
    """
    if table.stacked:
        first = dataclasses.replace(table, stacked=())
        return _stacked(
            [
                normalise(
                    part,
                    source,
                    lookup,
                    path=path,
                    skip_bad_rows=skip_bad_rows,
                    answers=answers,
                    wants=wants,
                )
                for part in (first, *table.stacked)
            ],
            path=path,
        )
    melt = source.layout is Layout.DATES_IN_COLUMNS
    if melt:
        table = melted(table)
    texts = _dimension_texts(table)
    excluded = _excluded(table, texts)
    kpi_of, unmatched = _kpis(table, texts, excluded, lookup)
    wanted = ~excluded & _any_kpi(kpi_of, excluded.index)
    dates = _dates(table, source, wanted, path=path)
    hint = functools.cache(lambda: table_decimal(table, excluded))
    values = [
        read_values(
            table.columns[column],
            key,
            wanted & key.notna(),
            source,
            hint,
            path=path,
            answers=answers,
        )
        for column, key in kpi_of.items()
    ]
    bad = wanted & (dates.bad | _overflow(table))
    for value in values:
        bad |= value.bad
    samples = _bad_rows(table, dates, values, bad)
    if samples and not skip_bad_rows:
        raise _bad_row_error(path, samples[0], int(bad.sum()), source)
    keep = wanted & ~bad
    long, contributed = _long(table, dates, values, keep, texts, kpi_names(lookup))
    detected: DetectedDict = {
        "date_format": ", ".join(dates.formats) or None,
        **table.detected,
        "dayfirst": dates.dayfirst,
        "decimal": source.decimal or next((v.decimal for v in values if v.decimal), None),
        "thousands": source.thousands or next((v.thousands for v in values if v.thousands), None),
        "missing_values": sum(int((keep & v.values.isna()).sum()) for v in values),
    }
    return Normalised(
        table=of_rows(long, wants),
        rows=_file_rows(table, contributed, melt=melt),
        skipped=_file_rows(table, bad, melt=melt),
        excluded=_file_rows(table, excluded, melt=melt),
        kpis=tuple(dict.fromkeys(k for v in values for k in _used(v.kpi, keep.to_numpy()))),
        unmatched=unmatched,
        bad_rows=tuple(samples[:_SAMPLE]),
        detected=detected,
    )


def _file_rows(table: RawTable, rows: pd.Series, *, melt: bool) -> int:
    """How many file rows the selected rows come from (a melted row is one cell of one)."""
    if melt:
        return int(np.unique(table.rows[rows.to_numpy()]).size)
    return int(rows.sum())


def _stacked(parts: Sequence[Normalised], *, path: Path) -> Normalised:
    """The long rows of a file's stacked tables together; a KPI found in two is an error."""
    seen: dict[str, object] = {}
    for part in parts:
        for kpi in part.kpis:
            if kpi in seen:
                raise DataError(
                    f"KPI {kpi!r} is in two stacked tables (header lines {seen[kpi]} and "
                    f"{part.detected.get('header_row')}); roicli counts nothing twice",
                    location=Location(path),
                    fix="export the tables to separate files, or keep one of them",
                )
            seen[kpi] = part.detected.get("header_row")
    lines = ", ".join(str(part.detected.get("header_row")) for part in parts)
    return Normalised(
        table=merge([part.table for part in parts]),
        rows=sum(part.rows for part in parts),
        skipped=sum(part.skipped for part in parts),
        excluded=sum(part.excluded for part in parts),
        kpis=tuple(seen),
        unmatched=tuple(dict.fromkeys(name for part in parts for name in part.unmatched)),
        bad_rows=tuple(row for part in parts for row in part.bad_rows)[:_SAMPLE],
        detected={**parts[0].detected, "header_row": lines},
    )


def _dimension_texts(table: RawTable) -> dict[str, pd.Series]:
    """The kpi, group and (unless typed) date cells as stripped text."""
    mapped = table.mapped
    typed_dates = pd.api.types.is_datetime64_any_dtype(table.columns[mapped.date].dtype)
    dims = [mapped.kpi, mapped.group, None if typed_dates else mapped.date]
    return {column: _texts(table.columns[column]) for column in dims if column}


def _excluded(table: RawTable, texts: Mapping[str, pd.Series]) -> pd.Series:
    """Total rows, and rows with no date (or no KPI name): summaries and blank lines."""
    excluded = _is_total(texts, table.columns.index)
    for column in (table.mapped.date, table.mapped.kpi):
        if column is None:
            continue
        empty = texts[column].eq("") if column in texts else table.columns[column].isna()
        excluded |= empty
    return excluded


def _texts(cells: pd.Series) -> pd.Series:
    """A dimension column as a categorical of cleaned labels ("" where empty).

    Labels are cleaned once each (``labels.clean``), so a column of millions of rows carries its
    few distinct labels, whichever reader read it.
    """
    if not isinstance(cells.dtype, pd.CategoricalDtype):
        if pd.api.types.is_datetime64_any_dtype(cells.dtype):
            cells = cells.dt.strftime("%Y-%m-%d").fillna("")
        elif cells.dtype == object:
            cells = cells.map(cell_text).astype("str")
        else:
            cells = cells.astype("str").fillna("")
        cells = cells.astype("category")
    found = labels.clean_all([str(label) for label in cells.cat.categories])
    categories = pd.Index(found.labels, dtype="str")
    return _relabel(cells, found.codes, categories, missing=found.empty)


def _labelwise(texts: pd.Series, function: Callable[[str], bool]) -> pd.Series:
    """A test of a label, applied to each label of a categorical once and spread over its rows."""
    found = np.array([function(label) for label in texts.cat.categories] + [False])
    return pd.Series(found[texts.cat.codes.to_numpy()], index=texts.index)


def _is_total(texts: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """Rows labelled "Total", "Grand total", "Totaal", "Total: Search" in a dimension column."""
    total = pd.Series(False, index=index)
    for column in texts.values():
        total |= _labelwise(column, labels.is_total)
    return total


def _kpis(
    table: RawTable,
    texts: Mapping[str, pd.Series],
    excluded: pd.Series,
    lookup: Mapping[str, str],
) -> tuple[dict[str, pd.Series], tuple[str, ...]]:
    """Per value column, the configured KPI of each row (NaN: not a configured KPI).

    The KPIs are categoricals over every configured key, the same for every source, so that
    sources and value columns combine without turning back into one string per row.
    """
    mapped = table.mapped
    index = excluded.index
    keys = pd.CategoricalDtype(pd.Index(kpi_names(lookup), dtype="str"))
    if mapped.kpi is None:
        return {
            column: pd.Series(
                pd.Categorical.from_codes(
                    np.full(len(index), keys.categories.get_loc(key), dtype=np.int32), dtype=keys
                ),
                index=index,
            )
            for column, key in mapped.values.items()
            if key is not None
        }, mapped.unmatched
    # Match each distinct name once, then spread the keys back over the rows.
    names = texts[mapped.kpi]
    used = _used(names, ~excluded.to_numpy())
    unmatched = tuple(name for name in used if name_key(name) not in lookup)
    position = {key: code for code, key in enumerate(keys.categories)}
    codes = [position.get(lookup.get(name_key(name), ""), -1) for name in names.cat.categories]
    return {next(iter(mapped.values)): _relabel(names, codes, keys.categories)}, unmatched


def _used(labels: pd.Series, rows: npt.NDArray[np.bool_]) -> list[str]:
    """The labels of a categorical that the rows use, in order of first use."""
    codes = pd.unique(labels.cat.codes.to_numpy()[rows]).tolist()
    return [labels.cat.categories[code] for code in codes if code >= 0]


def _relabel(
    labels: pd.Series, codes: Sequence[int], categories: pd.Index, *, missing: int = -1
) -> pd.Series:
    """A categorical given new categories: ``codes`` holds each old label's new code (-1 for
    none) and ``missing`` the code of a missing label. One lookup per row, no text per row."""
    table = np.array([*codes, missing], dtype=np.int32)  # code -1 (missing) takes the last
    recoded = table[labels.cat.codes.to_numpy()]
    return pd.Series(
        pd.Categorical.from_codes(recoded, categories=categories, validate=False),
        index=labels.index,
    )


def _any_kpi(kpi_of: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """Rows where at least one value column is a configured KPI."""
    found = pd.Series(False, index=index)
    for key in kpi_of.values():
        found |= key.notna()
    return found


def _dates(table: RawTable, source: Source, wanted: pd.Series, *, path: Path) -> ParsedDates:
    """The date of every row; text is parsed only where a row will be read (not totals)."""
    column = table.mapped.date
    cells = table.columns[column]
    whole = wanted.all() or pd.api.types.is_datetime64_any_dtype(cells.dtype)
    index = _INDEX_HEADER.match(name_key(column))
    if cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype):
        yearless = yearless_dates(
            cells[wanted], table.rows[wanted.to_numpy()], source, path=path, column=column
        )
        if yearless is not None:
            return ParsedDates(
                _spread(yearless.dates, wanted, np.datetime64("NaT", "ns")),
                _spread(yearless.missing, wanted, False),
                _spread(yearless.bad, wanted, False),
                yearless.formats,
                None,
            )
    try:
        if index and table.start_date:
            parsed = index_dates(cells[wanted], table.start_date, index.group(1))
            whole = False
        else:
            parsed = parse_dates(cells if whole else cells[wanted], dayfirst=source.dayfirst)
    except AmbiguousOrder as exc:
        examples = ", ".join(repr(shorten(example)) for example in exc.examples)
        raise DataError(
            f"cannot tell the day from the month: every date fits both orders (e.g. {examples})",
            location=Location(path, column=column),
            fix="set dayfirst: true (dd/mm) or dayfirst: false (mm/dd) in the source",
        ) from None
    if whole:
        return parsed
    return ParsedDates(
        _spread(parsed.dates, wanted, np.datetime64("NaT", "ns")),
        _spread(parsed.missing, wanted, False),
        _spread(parsed.bad, wanted, False),
        parsed.formats,
        parsed.dayfirst,
    )


def _spread(part: pd.Series, rows: pd.Series, fill: object) -> pd.Series:
    """Values computed for the selected rows, put back in place among all rows."""
    values = part.to_numpy()
    spread = np.full(len(rows), fill, dtype=values.dtype)
    spread[rows.to_numpy()] = values
    return pd.Series(spread, index=rows.index)


def _overflow(table: RawTable) -> pd.Series:
    if table.overflow is None:
        return pd.Series(False, index=table.columns.index)
    return table.overflow


def _bad_rows(
    table: RawTable, dates: ParsedDates, values: list[ValueColumn], bad: pd.Series
) -> list[BadRow]:
    """The first bad rows, each with its first problem."""
    samples = []
    date_column = table.mapped.date
    overflow = _overflow(table)
    for position in np.flatnonzero(bad.to_numpy())[:_SAMPLE]:
        label = bad.index[position]
        row = int(table.rows[position])
        if dates.bad[label]:
            cell = shorten(cell_text(table.columns[date_column][label]), _AUDIT_CELL)
            reason = f"cannot read {shorten(cell)!r} as a date"
            samples.append(BadRow(row, shorten(date_column, _AUDIT_CELL), cell, reason))
        elif overflow[label]:
            samples.append(
                BadRow(row, "", "", f"more fields than the header ({len(table.columns.columns)})")
            )
        else:
            value = next(v for v in values if v.bad[label])
            cell = shorten(cell_text(table.columns[value.column][label]), _AUDIT_CELL)
            reason = f"cannot read {shorten(cell)!r} as a number"
            samples.append(BadRow(row, shorten(value.column, _AUDIT_CELL), cell, reason))
    return samples


def _bad_row_error(path: Path, first: BadRow, count: int, source: Source) -> DataError:
    more = f" (and {count - 1} more bad row{'s' if count > 2 else ''})" if count > 1 else ""
    fix = "fix the value, or use --skip-bad-rows to skip such rows"
    if "as a number" in first.reason:
        other: Decimal = "," if (source.decimal or ".") == "." else "."
        swapped = number_parts(pd.Series([first.value], dtype="str"))
        if to_numbers(swapped, other)[0].notna().all():
            fix = (
                f'if the file writes "{other}" as its decimal mark, set decimal: "{other}" in '
                "the source; else fix the value, or use --skip-bad-rows to skip such rows"
            )
    elif "as a date" in first.reason:
        fix = "write the date like 2026-01-31, or use --skip-bad-rows to skip such rows"
    return DataError(
        first.reason + more,
        location=Location(path, row=first.row, column=first.column or None),
        fix=fix,
    )


def _long(
    table: RawTable,
    dates: ParsedDates,
    values: list[ValueColumn],
    keep: pd.Series,
    texts: Mapping[str, pd.Series],
    kpis: tuple[str, ...],
) -> tuple[LongTable, pd.Series]:
    """The long table, and which rows gave at least one value.

    Rows are picked column by column from the arrays, so that no row index is built for them.
    """
    group_column = table.mapped.group
    group = (
        texts[group_column]
        if group_column
        else pd.Series("", index=keep.index, dtype="str").astype("category")
    )
    group = _labels_in_use(group, keep)
    days = dates.dates.to_numpy(dtype="datetime64[D]")
    group_codes = group.cat.codes.to_numpy().astype(np.int32)
    parts = []
    contributed = pd.Series(False, index=keep.index)
    for value in values:
        take = keep & value.kpi.notna() & value.values.notna()
        contributed |= take
        rows = take.to_numpy()
        part = LongTable(
            days=days,
            kpi=value.kpi.cat.codes.to_numpy().astype(np.int32),
            group=group_codes,
            values=value.values.to_numpy(dtype=np.float64),
            kpi_names=kpis,
            group_names=tuple(group.cat.categories),
        )
        parts.append(part if rows.all() else part.take(rows))
    return (combine(parts) if parts else empty_table(kpis)), contributed


def _labels_in_use(labels: pd.Series, rows: pd.Series) -> pd.Series:
    """A categorical of only the labels the rows use, sorted, so that the categories are the
    same whichever reader read the file."""
    used = pd.Index(sorted(_used(labels, rows.to_numpy())), dtype="str")
    position = {label: code for code, label in enumerate(used)}
    return _relabel(labels, [position.get(label, -1) for label in labels.cat.categories], used)
