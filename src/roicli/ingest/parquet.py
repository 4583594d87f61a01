"""Read a Parquet file (large event-level exports) into a TypedTable, columns as they are typed.

The kpi and group columns are read dictionary-encoded when they are stored as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from roicli.config import Source
from roicli.errors import DataError, Location
from roicli.ingest.columns import map_columns
from roicli.ingest.model import DetectedDict, TypedTable


def read_parquet(path: Path, source: Source, lookup: Mapping[str, str]) -> TypedTable:
    """Read the mapped columns (and, for a wide layout, the KPI columns) of a Parquet file.

    ``ParquetFile`` reads it directly: ``pq.read_table`` goes through ``pyarrow.dataset``, whose
    import loads pandas. A file that cannot be read, or holds damaged data, is a DataError.
    """
    try:
        schema = pq.ParquetFile(path).schema_arrow
        mapped = map_columns(schema.names, source, lookup, path=path, header_at=None)
        columns = [mapped.date, mapped.kpi, mapped.group, *mapped.values]
        labels = [name for name in (mapped.kpi, mapped.group) if name]
        texts = [name for name in labels if _is_text(schema.field(name).type)]
        wanted = list(dict.fromkeys(c for c in columns if c))
        table = pq.ParquetFile(path, read_dictionary=texts).read(columns=wanted)
        # A damaged file can read without an error yet hold text that is not UTF-8, or
        # dictionary codes out of range: checked here, not found later as a crash.
        table.validate(full=True)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read the Parquet file: {exc}",
            location=Location(path),
            fix="check that the file is Parquet, or give it a .csv suffix if it is text",
        ) from None
    detected: DetectedDict = {"format": "parquet", "reader": "pyarrow"}
    return TypedTable(table, mapped, detected, first_row=1)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))
