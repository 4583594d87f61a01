"""Read every configured source into one long table, with an audit of each."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from roicli.config import Kpi, Source
from roicli.daytable import DayTable, Needs, merge, needs, of_rows
from roicli.enums import Aggregation
from roicli.errors import DataError, Location, shorten
from roicli.ingest.files import source_files
from roicli.ingest.guards import check_parquet, check_text, check_workbook
from roicli.ingest.kpimatch import kpi_lookup
from roicli.ingest.model import (
    Dataset,
    Normalised,
    RawTable,
    SourceAudit,
    TypedStream,
    TypedTable,
)
from roicli.ingest.overlap import overlaid
from roicli.longtable import empty_table
from roicli.progress_bar import Report, reading

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
DETECTED_KEYS = (
    "format",
    "encoding",
    "delimiter",
    "decimal",
    "thousands",
    "header_row",
    "sheet",
    "date_format",
    "dayfirst",
    "reader",
    "missing_values",
    "percent_cells",
)


def load_sources(
    sources: Sequence[Source],
    kpis: Mapping[str, Kpi],
    *,
    skip_bad_rows: bool = False,
    as_of: date | None = None,
    base: Path | None = None,
) -> Dataset:
    """Read every source (every file of a glob or folder, in name order) into one day table.

    Nothing depends on the order of the rows: each file is summed per day, KPI and group. A
    database source (``sqlread``) is asked for the days up to ``as_of`` only; ``base`` is the
    config's folder, where a relative database file is.
    """
    lookup = kpi_lookup(kpis)
    # KPIs that count answers take any text as a value.
    answers = frozenset(
        key
        for key, kpi in kpis.items()
        if kpi.aggregation in (Aggregation.COUNT, Aggregation.NUNIQUE)
    )
    wants = needs(kpis)
    tables = []
    audits = []
    for index, source in enumerate(sources):
        if source.path is None:
            read_sql = _sql_reader(index)
            table, audit = read_sql(
                index, source, kpis, lookup, wants=wants, as_of=as_of, base=base
            )
            tables.append(table)
            audits.append(audit)
            continue
        read = []
        for path in source_files(Path(source.path), index):
            table, audit = _load_one(
                index,
                path,
                source,
                lookup,
                skip_bad_rows=skip_bad_rows,
                answers=answers,
                wants=wants,
            )
            read.append((path, table))
            audits.append(audit)
        tables.append(overlaid(read, source.overlap))
    return Dataset(
        table=merge(tables) if tables else of_rows(empty_table(), wants), audits=tuple(audits)
    )


def _sql_reader(index: int) -> Callable[..., tuple[DayTable, SourceAudit]]:
    """The database reader, when SQLAlchemy is installed (an extra: roicli[postgres]...)."""
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        from roicli.ingest.sqlconnect import INSTALL_FIX

        raise DataError(
            "reading a database needs SQLAlchemy, which is not installed",
            field=f"sources[{index}]",
            fix=INSTALL_FIX,
        ) from None
    from roicli.ingest.sqlread import read_sql

    return read_sql


def _load_one(
    index: int,
    path: Path,
    source: Source,
    lookup: Mapping[str, str],
    *,
    skip_bad_rows: bool,
    answers: frozenset[str],
    wants: Needs,
) -> tuple[DayTable, SourceAudit]:
    if not path.is_file():
        raise DataError(
            "file not found" if not path.exists() else "not a file",
            location=Location(path),
            fix=f"check sources[{index}].path (relative paths start at the config file's folder)",
        )
    with (
        _unchanged(path) as size,
        ThreadPoolExecutor(max_workers=1) as worker,
        reading(path.name, size) as report,
    ):
        if path.suffix.lower() in EXCEL_SUFFIXES | PARQUET_SUFFIXES:
            _guard(path)
            table = _read(path, source, lookup, report)
            # The digest is taken on a second thread while the table is interpreted, which
            # mostly runs on one core (hashing leaves the GIL).
            digest = worker.submit(_sha256, path)
        else:
            # A text export is guarded and hashed in one pass on a second thread while pyarrow
            # reads it; the CSV reader waits for the guard before it trusts the file.
            digest = worker.submit(_guarded_sha256, path, source.delimiter, source.encoding)
            table = _read(path, source, lookup, report, checked=digest.result)
        result = _normalise(
            table,
            source,
            lookup,
            path=path,
            skip_bad_rows=skip_bad_rows,
            answers=answers,
            wants=wants,
            checked=digest.result,
        )
        report(size)  # a stream is read by then
        sha256 = digest.result()
    if result.skipped and not result.rows:
        raise _all_skipped(path, result)
    detected = {key: result.detected.get(key) for key in DETECTED_KEYS}
    audit = SourceAudit(
        path=str(path),
        sha256=sha256,
        rows=result.rows,
        skipped_rows=result.skipped,
        excluded_rows=result.excluded,
        kpis=result.kpis,
        unmatched=result.unmatched,
        detected=detected,
        bad_rows=result.bad_rows,
    )
    return result.table, audit


def _all_skipped(path: Path, result: Normalised) -> DataError:
    """The error for a source whose every row was a bad row: a wrong setting, most likely."""
    first = result.bad_rows[0]
    where = f"row {first.row}" + (f", column {shorten(first.column)!r}" if first.column else "")
    if result.skipped == 1:
        what = "its one row was skipped as a bad row ("
    else:
        what = f"all {result.skipped:,} rows were skipped as bad rows (first: "
    return DataError(
        f"{what}{where}: {first.reason})",
        location=Location(path),
        fix="fix the export, or check the source's columns and its decimal, thousands and "
        "dayfirst settings",
    )


def _guard(path: Path) -> None:
    """Refuse a hostile or mislabelled workbook or Parquet file before its reader opens it."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        check_workbook(path)
    else:
        check_parquet(path)


def _read(
    path: Path,
    source: Source,
    lookup: Mapping[str, str],
    report: Report,
    *,
    checked: Callable[[], str] = lambda: "",
) -> RawTable | TypedTable | TypedStream:
    """The table of one file; each reader (and its library) is imported only when used.

    A clean text export is streamed by pyarrow (``open_typed``) while its byte-level guard and
    digest run on a second thread: pyarrow's parts bound a line's length, and the guard's
    verdict is awaited with the digest. Any other text export is read as text (``_read_text``).
    """
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from roicli.ingest.excel import read_excel

        return read_excel(path, source, lookup)
    if suffix in PARQUET_SUFFIXES:
        from roicli.ingest.parquet import open_parquet

        return open_parquet(path, source, lookup)
    from roicli.ingest.csvtyped import open_typed

    typed = open_typed(path, source, lookup, report=report)
    if typed is not None:
        return typed
    return _read_text(path, source, lookup, checked)


def _read_text(
    path: Path, source: Source, lookup: Mapping[str, str], checked: Callable[[], str]
) -> RawTable:
    """A text export read by the general reader, once ``checked`` (which waits for the
    byte-level guard, raising what it found) gives the digest of the very bytes parsed."""
    from roicli.ingest.csvread import read_csv

    checked()
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != checked():
        raise _changed(path)
    return read_csv(path, data, source, lookup)


def _normalise(
    table: RawTable | TypedTable | TypedStream,
    source: Source,
    lookup: Mapping[str, str],
    *,
    path: Path,
    skip_bad_rows: bool,
    answers: frozenset[str],
    wants: Needs,
    checked: Callable[[], str],
) -> Normalised:
    """The day table of a table: in NumPy when it is typed and clean, else by the general
    reader (and pandas), which names every bad row. A stream that proves its file messy is
    read again as text."""
    if isinstance(table, TypedTable | TypedStream):
        from roicli.ingest.arrowlong import typed_rows

        found = typed_rows(table, source, lookup, wants=wants)
        if found is not None:
            return found
        if isinstance(table, TypedStream) and path.suffix.lower() not in PARQUET_SUFFIXES:
            table = _read_text(path, source, lookup, checked)
        else:
            from roicli.ingest.arrowframe import raw_table

            if isinstance(table, TypedStream):  # a Parquet file: read whole for pandas
                from roicli.ingest.parquet import read_parquet

                table = read_parquet(path, source, lookup)
            table = raw_table(table)
    from roicli.ingest.normalise import normalise

    return normalise(
        table,
        source,
        lookup,
        path=path,
        skip_bad_rows=skip_bad_rows,
        answers=answers,
        wants=wants,
    )


@contextmanager
def _unchanged(path: Path) -> Iterator[int]:
    """Refuse a file that changes while it is read (given its size): written in place, or
    replaced by a rename. Its identity (device, inode, size, change times) is taken before and
    after every read of it, its digest included; any error met while reading (a cut row, a
    vanished file) blames the change, if there was one."""
    before = _identity(path)
    try:
        yield before[2] if before else 0
    except Exception:
        if _identity(path) != before:
            raise _changed(path) from None
        raise
    if before is None or _identity(path) != before:
        raise _changed(path)


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # gone: a change too
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _changed(path: Path) -> DataError:
    return DataError(
        "changed while it was read",
        location=Location(path),
        fix="run again when the export is complete",
    )


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _guarded_sha256(path: Path, delimiter: str | None, encoding: str | None) -> str:
    """The digest of a text export that passes ``check_text``, taken in the same pass."""
    digest = hashlib.sha256()
    check_text(path, delimiter=delimiter, encoding=encoding, on_chunk=digest.update)
    return digest.hexdigest()
