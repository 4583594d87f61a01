"""Read every configured source into one long frame, with an audit of each."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from roicli.config import Kpi, Source
from roicli.errors import DataError, Location
from roicli.ingest.csvread import read_csv
from roicli.ingest.excel import read_excel
from roicli.ingest.kpimatch import kpi_lookup
from roicli.ingest.model import Dataset, RawTable, SourceAudit
from roicli.ingest.normalise import empty_frame, normalise
from roicli.ingest.parquet import read_parquet

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
)


def load_sources(
    sources: Sequence[Source], kpis: Mapping[str, Kpi], *, skip_bad_rows: bool = False
) -> Dataset:
    """Read every source; the frame is sorted by date (stable, so file order breaks ties)."""
    lookup = kpi_lookup(kpis)
    frames = []
    audits = []
    for index, source in enumerate(sources):
        frame, audit = _load_one(index, source, lookup, skip_bad_rows=skip_bad_rows)
        frames.append(frame)
        audits.append(audit)
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame()
    frame = frame.sort_values("date", kind="stable", ignore_index=True)
    return Dataset(frame=frame, audits=tuple(audits))


def _load_one(
    index: int, source: Source, lookup: Mapping[str, str], *, skip_bad_rows: bool
) -> tuple[pd.DataFrame, SourceAudit]:
    path = Path(source.path)
    if not path.is_file():
        raise DataError(
            "file not found" if not path.exists() else "not a file",
            location=Location(path),
            fix=f"check sources[{index}].path (relative paths start at the config file's folder)",
        )
    table = _read(path, source, lookup)
    result = normalise(table, source, lookup, path=path, skip_bad_rows=skip_bad_rows)
    detected = {key: result.detected.get(key) for key in DETECTED_KEYS}
    audit = SourceAudit(
        path=str(path),
        sha256=_sha256(path),
        rows=result.rows,
        skipped_rows=result.skipped,
        excluded_rows=result.excluded,
        kpis=result.kpis,
        unmatched=result.unmatched,
        detected=detected,
        bad_rows=result.bad_rows,
    )
    return result.frame, audit


def _read(path: Path, source: Source, lookup: Mapping[str, str]) -> RawTable:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path, source, lookup)
    if suffix in PARQUET_SUFFIXES:
        return read_parquet(path, source, lookup)
    return read_csv(path, path.read_bytes(), source, lookup)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
