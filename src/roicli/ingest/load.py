"""Read every configured source into one long table, with an audit of each."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from roicli.config import Kpi, Source
from roicli.errors import DataError, Location
from roicli.ingest.guards import check_parquet, check_text, check_workbook
from roicli.ingest.kpimatch import kpi_lookup
from roicli.ingest.model import Dataset, Normalised, RawTable, SourceAudit, TypedTable
from roicli.longtable import LongTable, combine, in_date_order
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
    sources: Sequence[Source], kpis: Mapping[str, Kpi], *, skip_bad_rows: bool = False
) -> Dataset:
    """Read every source; the rows are sorted by date (stably: file order breaks ties)."""
    lookup = kpi_lookup(kpis)
    tables = []
    audits = []
    for index, source in enumerate(sources):
        table, audit = _load_one(index, source, lookup, skip_bad_rows=skip_bad_rows)
        tables.append(table)
        audits.append(audit)
    return Dataset(table=in_date_order(combine(tables)), audits=tuple(audits))


def _load_one(
    index: int, source: Source, lookup: Mapping[str, str], *, skip_bad_rows: bool
) -> tuple[LongTable, SourceAudit]:
    path = Path(source.path)
    if not path.is_file():
        raise DataError(
            "file not found" if not path.exists() else "not a file",
            location=Location(path),
            fix=f"check sources[{index}].path (relative paths start at the config file's folder)",
        )
    size = path.stat().st_size
    with ThreadPoolExecutor(max_workers=1) as worker, reading(path.name, size) as report:
        if path.suffix.lower() in EXCEL_SUFFIXES | PARQUET_SUFFIXES:
            _guard(path)
            table = _read(path, source, lookup, report)
            # The digest is taken on a second thread while the table is interpreted, which
            # mostly runs on one core (hashing leaves the GIL).
            digest = worker.submit(_sha256, path)
        else:
            # A text export is guarded and hashed in one pass on a second thread while pyarrow
            # reads it; the CSV reader waits for the guard before it trusts the file.
            digest = worker.submit(_guarded_sha256, path, source.delimiter)
            table = _read(path, source, lookup, report, checked=digest.result)
        report(size)
        result = _normalise(table, source, lookup, path=path, skip_bad_rows=skip_bad_rows)
    detected = {key: result.detected.get(key) for key in DETECTED_KEYS}
    audit = SourceAudit(
        path=str(path),
        sha256=digest.result(),
        rows=result.rows,
        skipped_rows=result.skipped,
        excluded_rows=result.excluded,
        kpis=result.kpis,
        unmatched=result.unmatched,
        detected=detected,
        bad_rows=result.bad_rows,
    )
    return result.table, audit


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
    checked: Callable[[], object] = lambda: None,
) -> RawTable | TypedTable:
    """The table of one file; each reader (and its library) is imported only when used.

    ``checked`` waits for a text export's byte-level guard (raising what it found): the typed
    reader only looks at the first megabyte before handing the file to pyarrow, whose blocks
    bound a line's length, so it may start before the guard is done; the text reader may not.
    """
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from roicli.ingest.excel import read_excel

        return read_excel(path, source, lookup)
    if suffix in PARQUET_SUFFIXES:
        from roicli.ingest.parquet import read_parquet

        return read_parquet(path, source, lookup)
    from roicli.ingest.csvtyped import read_typed

    typed = read_typed(path, source, lookup, report=report)
    checked()
    if typed is not None:
        return typed
    from roicli.ingest.csvread import read_csv

    return read_csv(path, source, lookup)


def _normalise(
    table: RawTable | TypedTable,
    source: Source,
    lookup: Mapping[str, str],
    *,
    path: Path,
    skip_bad_rows: bool,
) -> Normalised:
    """The long rows of a table: in NumPy when it is typed and clean, else by the general
    reader (and pandas), which names every bad row."""
    if isinstance(table, TypedTable):
        from roicli.ingest.arrowlong import typed_rows

        found = typed_rows(table, source, lookup)
        if found is not None:
            return found
        from roicli.ingest.arrowframe import raw_table

        table = raw_table(table)
    from roicli.ingest.normalise import normalise

    return normalise(table, source, lookup, path=path, skip_bad_rows=skip_bad_rows)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _guarded_sha256(path: Path, delimiter: str | None) -> str:
    """The digest of a text export that passes ``check_text``, taken in the same pass."""
    digest = hashlib.sha256()
    check_text(path, delimiter=delimiter, on_chunk=digest.update)
    return digest.hexdigest()
