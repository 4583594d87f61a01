"""Read a Parquet file (large event-level exports), columns as they are typed: whole into a
TypedTable, or a batch at a time as a TypedStream, so that memory holds one batch, not the file.

The kpi and group columns are read dictionary-encoded when they are stored as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from roicli.config import Source
from roicli.errors import DataError, Location
from roicli.ingest.columns import Mapped, map_columns
from roicli.ingest.model import DetectedDict, TypedStream, TypedTable

_BATCH_ROWS = 1 << 20


def open_parquet(path: Path, source: Source, lookup: Mapping[str, str]) -> TypedStream:
    """The mapped columns of a Parquet file as a stream of batches (see ``read_parquet``); a
    file that cannot be read, or holds damaged data, is a DataError, when it is met."""
    try:
        file, mapped, wanted = _open(path, source, lookup)
        schema = pa.schema([file.schema_arrow.field(name) for name in wanted])
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from None
    detected: DetectedDict = {"format": "parquet", "reader": "pyarrow"}

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for batch in file.iter_batches(batch_size=_BATCH_ROWS, columns=wanted):
                batch.validate(full=True)
                yield batch
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise _unreadable(path, exc) from None

    stream = TypedStream(schema, mapped, detected, batches())
    stream.first_row = 1
    return stream


def _open(
    path: Path, source: Source, lookup: Mapping[str, str]
) -> tuple[pq.ParquetFile, Mapped, list[str]]:
    """The file opened with its text labels read dictionary-encoded, and the columns to read."""
    schema = pq.ParquetFile(path).schema_arrow
    mapped = map_columns(schema.names, source, lookup, path=path, header_at=None)
    columns = [mapped.date, mapped.kpi, mapped.group, *mapped.values]
    labels = [name for name in (mapped.kpi, mapped.group) if name]
    texts = [name for name in labels if _is_text(schema.field(name).type)]
    wanted = list(dict.fromkeys(c for c in columns if c))
    return pq.ParquetFile(path, read_dictionary=texts), mapped, wanted


def _unreadable(path: Path, exc: Exception) -> DataError:
    return DataError(
        f"cannot read the Parquet file: {exc}",
        location=Location(path),
        fix="check that the file is Parquet, or give it a .csv suffix if it is text",
    )


def read_parquet(path: Path, source: Source, lookup: Mapping[str, str]) -> TypedTable:
    """Read the mapped columns (and, for a wide layout, the KPI columns) of a Parquet file.

    ``ParquetFile`` reads it directly: ``pq.read_table`` goes through ``pyarrow.dataset``, whose
    import loads pandas. A file that cannot be read, or holds damaged data, is a DataError.
    """
    try:
        file, mapped, wanted = _open(path, source, lookup)
        table = file.read(columns=wanted)
        # A damaged file can read without an error yet hold text that is not UTF-8, or
        # dictionary codes out of range: checked here, not found later as a crash.
        table.validate(full=True)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from None
    detected: DetectedDict = {"format": "parquet", "reader": "pyarrow"}
    return TypedTable(table, mapped, detected, first_row=1)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))
