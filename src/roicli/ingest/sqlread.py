"""A database source read into the day table: the database aggregates, roicli receives at most
one row per day, KPI and group (``sqlquery``), over a read-only connection (``sqlconnect``).

KPI names (a long table's values, a wide table's columns) are matched as a file's are
(``kpimatch``); group labels are cleaned as a file's; rows whose group is a total are left out.
The cells received feed the same day table as a file's rows, so the figures are those of the
same rows read from a file.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from roicli.config import Kpi, Source
from roicli.daytable import Aggregated, DayBuilder, DayTable, Needs
from roicli.enums import Aggregation, Layout
from roicli.errors import shorten
from roicli.ingest import sqlquery as q
from roicli.ingest.kpimatch import kpi_names, name_key
from roicli.ingest.labels import clean, is_total
from roicli.ingest.model import SourceAudit
from roicli.ingest.sqlconnect import Session, session
from roicli.ingest.values import cell_text

_EPOCH = date(1970, 1, 1).toordinal()


def read_sql(
    index: int,
    source: Source,
    kpis: Mapping[str, Kpi],
    lookup: Mapping[str, str],
    *,
    wants: Needs,
    as_of: date | None,
    base: Path | None,
) -> tuple[DayTable, SourceAudit]:
    """The day table of a database source and its audit (engine, SQL sent, rows received)."""
    started = time.perf_counter()
    with session(source, index, base=base) as opened:
        _quotable(opened, source)
        columns = opened.columns(q.probe(source))
        shape = _shape(opened, source, columns)
        reader = _Reader(opened, source, kpis, lookup, shape, wants, as_of)
        if source.layout is Layout.WIDE:
            reader.wide(columns)
        else:
            reader.long()
        table = reader.builder.table()
        sent = tuple(opened.sent)
        label = opened.blame.label
        dialect = opened.dialect
        driver = opened.connection.dialect.driver
    milliseconds = round((time.perf_counter() - started) * 1000)
    target = f"table {source.table}" if source.table is not None else "query"
    audit = SourceAudit(
        path=f"{label} ({target})",
        sha256=reader.digest.hexdigest(),
        rows=reader.rows,
        skipped_rows=0,
        excluded_rows=reader.excluded,
        kpis=tuple(sorted(reader.found)),
        unmatched=tuple(reader.unmatched),
        detected={
            "format": "sql",
            "engine": dialect,
            "reader": f"sqlalchemy+{driver}",
            "rows_received": reader.received,
            "milliseconds": milliseconds,
        },
        bad_rows=(),
        sql=sent,
    )
    return table, audit


def _quotable(opened: Session, source: Source) -> None:
    """Refuse a config name the dialect cannot quote: it must stay one identifier."""
    named = {"table": source.table, "schema": source.schema_}
    named |= {f"columns.{key}": value for key, value in source.columns.model_dump().items()}
    found = q.unquotable(opened.connection.dialect, named)
    if found is not None:
        key, name = found
        mark = opened.connection.dialect.identifier_preparer.initial_quote
        raise opened.blame.error(
            f"the name {shorten(name)!r} holds {mark}, which {opened.dialect} cannot quote",
            key=key,
            fix="rename the column in a query:",
        )


def _shape(opened: Session, source: Source, columns: Sequence[str]) -> q.Shape:
    """The mapped columns, each one the table or query has."""
    mapped = source.columns
    for key in ("date", "kpi", "value", "group"):
        name = getattr(mapped, key)
        if name is None or name in columns or (source.layout is Layout.WIDE and key == "value"):
            continue
        import difflib

        close = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
        hint = f" (did you mean {shorten(close[0])!r}?)" if close else ""
        listed = ", ".join(repr(shorten(column)) for column in columns[:20])
        what = f"table {source.table!r}" if source.table is not None else "the query's result"
        raise opened.blame.error(
            f"no column {shorten(name)!r} in {what}{hint}; its columns: {listed}",
            key=f"columns.{key}",
            fix="write the column's name as the database spells it",
        )
    assert mapped.date is not None  # a long or wide layout needs it (validated)
    return q.Shape(
        dialect=opened.dialect,
        date=mapped.date,
        group=mapped.group,
        kpi=mapped.kpi if source.layout is Layout.LONG else None,
        value=mapped.value if source.layout is Layout.LONG else None,
    )


class _Reader:
    """Runs a source's queries and feeds what they return to one day table."""

    def __init__(
        self,
        opened: Session,
        source: Source,
        kpis: Mapping[str, Kpi],
        lookup: Mapping[str, str],
        shape: q.Shape,
        wants: Needs,
        as_of: date | None,
    ) -> None:
        self.opened = opened
        self.source = source
        self.kpis = kpis
        self.lookup = lookup
        self.shape = shape
        self.as_of = as_of
        self.builder = DayBuilder(kpi_names(lookup), wants)
        self.code = {name: at for at, name in enumerate(self.builder.kpi_names)}
        self.digest = hashlib.sha256()
        self.rows = 0
        self.received = 0
        self.excluded = 0
        self.found: set[str] = set()
        self.unmatched: list[str] = []
        # A ratio adds up its parts, whatever their own aggregation.
        self.parts = {
            part
            for kpi in kpis.values()
            if kpi.ratio is not None
            for part in (kpi.ratio.numerator, kpi.ratio.denominator)
        }

    def _wants(self, keys: Sequence[str]) -> q.Wants:
        """What the cells of these KPIs need."""
        found = [self.kpis[key].aggregation for key in keys]
        return q.Wants.of(found + [Aggregation.SUM] * any(key in self.parts for key in keys))

    def _run(self, statement: Any, params: Mapping[str, Any] | None = None) -> list[Any]:
        rows = self.opened.run(statement, params)
        self.received += len(rows)
        # The fingerprint of what was received, whatever the order the database sent it in.
        for line in sorted("\t".join(map(_text, row)) for row in rows):
            self.digest.update(line.encode("utf-8") + b"\n")
        return rows

    def long(self) -> None:
        """A long table: its KPI names matched first, then the matched names aggregated."""
        names = [row[0] for row in self._run(q.kpi_names(self.shape, self.source, self.as_of))]
        matched: dict[str, str] = {}
        for name in names:
            if name is None:
                continue
            key = self.lookup.get(name_key(str(name)))
            if key is None:
                self.unmatched.append(str(name))
            else:
                matched[name] = key
        by_value = [n for n, key in matched.items() if self.kpis[key].aggregation in q.BY_VALUE]
        by_cell = [n for n in matched if n not in by_value]
        if by_cell:
            wants = self._wants([matched[n] for n in by_cell])
            statement = q.long_cells(self.shape, self.source, wants, self.as_of)
            rows = self._run(statement, {"kpis": by_cell})
            self._cells(rows, [matched[row.kpi] for row in rows], suffix="")
        if by_value:
            statement = q.long_values(self.shape, self.source, self.as_of)
            rows = self._run(statement, {"kpis": by_value})
            self._values(rows, [matched[row.kpi] for row in rows])

    def wide(self, columns: Sequence[str]) -> None:
        """A wide table: a column per KPI, matched by its name."""
        taken = {self.shape.date, self.shape.group}
        matched: dict[str, str] = {}
        for name in columns:
            if name in taken:
                continue
            key = self.lookup.get(name_key(name))
            if key is None:
                self.unmatched.append(name)
            else:
                matched[name] = key
        by_value = [n for n, key in matched.items() if self.kpis[key].aggregation in q.BY_VALUE]
        by_cell = [(n, self._wants([key])) for n, key in matched.items()]
        by_cell = [(n, wants) for n, wants in by_cell if n not in by_value]
        if by_cell:
            rows = self._run(q.wide_cells(self.shape, self.source, by_cell, self.as_of))
            for at, (name, _) in enumerate(by_cell):
                self._cells(rows, [matched[name]] * len(rows), suffix=f"_{at}", counted=False)
            if rows:  # a wide table's rows are counted once, not once per KPI column
                keep = self._keys(rows, [matched[by_cell[0][0]]] * len(rows))[3]
                count = np.array([int(getattr(row, q.ROWS)) for row in rows], dtype=np.int64)
                self.rows += int(count[keep].sum())
        for name in by_value:
            rows = self._run(q.wide_values(self.shape, self.source, name, self.as_of))
            self._values(rows, [matched[name]] * len(rows))

    def _keys(self, rows: Sequence[Any], keys: Sequence[str]) -> tuple[Any, Any, Any, Any]:
        """Each row's day, KPI code and group code, and which rows are kept (not totals)."""
        labels = [
            clean(cell_text(getattr(row, q.GROUP))) if self.shape.group else "" for row in rows
        ]
        keep = np.array([not is_total(label) for label in labels], dtype=bool)
        if any(getattr(row, q.DAY) is None for row in rows):
            raise self.opened.blame.error(
                "some rows have no date, or one the database cannot read as a date",
                key="columns.date",
                fix="fill in those dates (YYYY-MM-DD), or leave the rows out with a query: "
                "… WHERE <date column> IS NOT NULL",
            )
        try:
            days = np.array([_day(getattr(row, q.DAY)) for row in rows], dtype=np.int64)
        except (TypeError, ValueError) as exc:
            raise self.opened.blame.error(
                f"cannot read {exc} as a day",
                key="columns.date",
                fix="map the date column to a date, timestamp or ISO text (YYYY-MM-DD) column",
            ) from None
        kpi = np.array([self.code[key] for key in keys], dtype=np.int32)
        group = self.builder.groups(labels)
        return days, kpi, group, keep

    def _cells(
        self, rows: Sequence[Any], keys: Sequence[str], *, suffix: str, counted: bool = True
    ) -> None:
        """Cells aggregated by the database; ``counted``: their values count as the rows."""
        if not rows:
            return
        days, kpi, group, keep = self._keys(rows, keys)
        count = np.array([int(getattr(row, q.COUNT + suffix)) for row in rows], dtype=np.int64)
        present = keep & (count > 0)
        self.excluded += int(count[~keep].sum())
        self.rows += int(count[present].sum()) if counted else 0
        self.found.update(key for key, there in zip(keys, present, strict=True) if there)
        cells = Aggregated(
            days=days,
            kpi=kpi,
            group=group,
            count=count,
            sums=self._figure(rows, q.TOTAL + suffix, 0.0),
            low=self._figure(rows, q.LOW + suffix, math.inf),
            high=self._figure(rows, q.HIGH + suffix, -math.inf),
            nps=self._figure(rows, q.POINTS + suffix, 0.0),
        )
        self.builder.add_cells(cells.take(present))

    def _figure(self, rows: Sequence[Any], name: str, missing: float) -> Any:
        """A figure of every row (``missing`` where the query did not ask for it or it is
        null); a value that is not a finite number is an error."""
        if name not in rows[0]._fields:
            return np.full(len(rows), missing)
        values = np.array(
            [
                missing if (cell := getattr(row, name)) is None else self._number(cell)
                for row in rows
            ],
            dtype=np.float64,
        )
        if not np.isfinite(values[values != missing]).all():
            raise self.opened.blame.error(
                "the database sent a value that is not a finite number (NaN or infinity)",
                fix="leave such values out of the table, or filter them in a query:",
            )
        return values

    def _values(self, rows: Sequence[Any], keys: Sequence[str]) -> None:
        """Each day's distinct values with their counts, as that many rows."""
        if not rows:
            return
        days, kpi, group, keep = self._keys(rows, keys)
        count = np.array([int(getattr(row, q.COUNT)) for row in rows], dtype=np.int64)
        values = self._distinct_values(rows, keys)
        self.excluded += int(count[~keep].sum())
        self.rows += int(count[keep].sum())
        self.found.update(key for key, there in zip(keys, keep, strict=True) if there)
        count = np.where(keep, count, 0)
        self.builder.add(
            np.repeat(days, count),
            np.repeat(kpi, count),
            np.repeat(group, count),
            np.repeat(values, count),
        )

    def _distinct_values(self, rows: Sequence[Any], keys: Sequence[str]) -> Any:
        """The values as numbers; a distinct count's text answers get a number that identifies
        them (as a file's do)."""
        cells = [getattr(row, q.VALUE) for row in rows]
        texts = [at for at, cell in enumerate(cells) if isinstance(cell, str)]
        values = np.array(
            [math.nan if isinstance(cell, str) else self._number(cell) for cell in cells],
            dtype=np.float64,
        )
        if not texts:
            return values
        wrong = [at for at in texts if self.kpis[keys[at]].aggregation is not Aggregation.NUNIQUE]
        if wrong:
            raise self.opened.blame.error(
                f"the value {shorten(cells[wrong[0]])!r} of {keys[wrong[0]]} is text, and a "
                "median needs numbers",
                fix="map the value column to a number column, or cast it in a query:",
            )
        import pandas as pd

        from roicli.ingest.layouts import answer_codes

        values[texts] = answer_codes(pd.Series([cells[at] for at in texts], dtype=object))
        return values

    def _number(self, value: object) -> float:
        """A number as the database gave it (int, float, Decimal: rounded once to a float)."""
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.opened.blame.error(
                f"the database sent {shorten(str(value))!r} where a number was expected",
                key="columns.value",
                fix="map the value column to a number column, or cast it in a query:",
            ) from None


def _day(value: object) -> int:
    """A day as the database gave it (a date, a timestamp, ISO text) in days since 1970; an
    error naming the value (as its message) otherwise."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(repr(shorten(text))) from None
    if not isinstance(value, date):
        raise TypeError(repr(shorten(str(value))))
    return value.toordinal() - _EPOCH


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)
