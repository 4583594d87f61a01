"""What ingestion hands to the rest of roicli: the long table and an audit of every source."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from roicli.ingest.columns import Mapped

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

    from roicli.daytable import DayTable

Detected = Mapping[str, str | int | bool | None]
DetectedDict = dict[str, str | int | bool | None]


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: its number as the user sees it in the file, and why."""

    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class SourceAudit:
    """What was read from one source, for the report's audit section."""

    path: str
    sha256: str  # of the file's bytes
    rows: int  # file rows that gave at least one data point
    skipped_rows: int  # bad rows skipped with --skip-bad-rows
    excluded_rows: int  # total/summary rows and rows with no date (blank lines in the table)
    kpis: tuple[str, ...]  # configured KPI keys found in the source
    unmatched: tuple[str, ...]  # KPI names or wide columns that match no configured KPI
    detected: Detected  # how the file was read: the keys of DETECTED_KEYS
    bad_rows: tuple[BadRow, ...]  # the first (at most 5) skipped rows
    sql: tuple[str, ...] = ()  # a database source: the statements sent, values written in


@dataclass(frozen=True)
class Dataset:
    """Every source summed per (day, KPI, group) into one day table, plus the audits."""

    table: DayTable
    audits: tuple[SourceAudit, ...]


@dataclass(frozen=True)
class RawTable:
    """One table as a reader found it, before any value is interpreted.

    ``columns`` holds the table's cells (strings, or typed values from Excel and Parquet) under
    the header's own names; ``rows`` gives, per row, its number as the user sees it in the file;
    ``overflow`` marks rows with more fields than the header.
    """

    columns: pd.DataFrame
    rows: npt.NDArray[np.int64]
    mapped: Mapped
    detected: DetectedDict = field(default_factory=dict)
    overflow: pd.Series | None = None
    start_date: str | None = None  # a "# Start date: YYYYMMDD" line above the table (GA4)
    stacked: tuple[RawTable, ...] = ()  # the file's further tables that hold the mapped columns


@dataclass(frozen=True)
class TypedTable:
    """A table a reader parsed with column types (a clean CSV's, a Parquet file's), in Arrow.

    ``table`` holds the mapped columns only: dates as timestamps or dates, the kpi and group
    labels dictionary-encoded, numbers as numbers. ``first_row`` is the file row of its first row.
    """

    table: pa.Table
    mapped: Mapped
    detected: DetectedDict
    first_row: int
    failed: bool = False  # a TypedStream's flag; a table in memory has fitted already

    @property
    def schema(self) -> pa.Schema:
        """The columns' names and types."""
        return self.table.schema

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The table's record batches."""
        return iter(self.table.to_batches())


class TypedStream:
    """A clean export parsed with column types a part at a time (``csvtyped``), read once.

    ``batches`` yields the record batches until a part does not parse or does not fit what the
    file's first lines promised; ``failed`` then tells the reader to read the file as text.
    """

    def __init__(
        self,
        schema: pa.Schema,
        mapped: Mapped,
        detected: DetectedDict,
        parts: Iterator[pa.RecordBatch | None],
    ) -> None:
        self.schema = schema
        self.mapped = mapped
        self.detected = detected
        self.first_row = 2
        self.failed = False
        self._parts = parts

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The batches, in file order (None from ``parts``: a part that failed)."""
        for part in self._parts:
            if part is None:
                self.failed = True
                return
            yield part


@dataclass(frozen=True)
class Normalised:
    """The day table of one source and what the audit says about them."""

    table: DayTable
    rows: int
    skipped: int
    excluded: int
    kpis: tuple[str, ...]
    unmatched: tuple[str, ...]
    bad_rows: tuple[BadRow, ...]
    detected: DetectedDict
