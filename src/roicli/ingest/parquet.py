"""Read a Parquet file (large event-level exports) into a RawTable, typed columns as they are.

The kpi and group columns are read dictionary-encoded (categoricals), however they are stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from roicli.config import Source
from roicli.errors import DataError, Location
from roicli.ingest.arrowframe import to_frame
from roicli.ingest.columns import map_columns
from roicli.ingest.model import DetectedDict, RawTable


def read_parquet(path: Path, source: Source, lookup: Mapping[str, str]) -> RawTable:
    """Read the mapped columns (and, for a wide layout, the KPI columns) of a Parquet file."""
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(
            f"cannot read the Parquet file: {exc}",
            location=Location(path),
            fix="check that the file is Parquet, or give it a .csv suffix if it is text",
        ) from None
    mapped = map_columns(schema.names, source, lookup, path=path, header_at=None)
    columns = [mapped.date, mapped.kpi, mapped.group, *mapped.values]
    labels = [name for name in (mapped.kpi, mapped.group) if name]
    strings = [name for name in labels if pa.types.is_string(schema.field(name).type)]
    table = pq.read_table(
        path, columns=list(dict.fromkeys(c for c in columns if c)), read_dictionary=strings
    )
    frame = to_frame(table)
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    detected: DetectedDict = {"format": "parquet", "reader": "pyarrow"}
    return RawTable(frame, rows, mapped, detected)
