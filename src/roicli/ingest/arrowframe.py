"""Typed Arrow tables to pandas frames, for the general reader: dictionaries become categoricals.

``Table.to_pandas`` rebuilds every chunk's dictionary into one categorical at a cost that grows
with the chunk count; unifying the dictionaries first and handing pandas the integer codes keeps
millions of rows to a few array copies, with no Python string per row. Columns are converted
one at a time and each Arrow column let go once converted, so a big table is never held twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roicli.ingest.model import RawTable, TypedTable


def raw_table(typed: TypedTable) -> RawTable:
    """A typed table as the general reader's raw table (its cells keep their types).

    The typed table keeps its Arrow columns meanwhile, so both are held for a moment: only a
    typed file with something for the general reader to name comes here.
    """
    frame = to_frame(typed.table)
    rows = np.arange(typed.first_row, typed.first_row + len(frame), dtype=np.int64)
    return RawTable(frame, rows, typed.mapped, typed.detected)


def to_frame(table: pa.Table) -> pd.DataFrame:
    """The table as a frame: dictionary columns as categoricals, dates as datetime64.

    Pass the table straight from the reader (hold no other reference to it): its memory is
    given back column by column.
    """
    rows = table.num_rows
    table = table.unify_dictionaries()
    columns: dict[str, pd.Series | pd.Categorical] = {}
    for name in table.column_names:
        column = table.column(name)
        table = table.drop_columns([name])
        if pa.types.is_dictionary(column.type):
            columns[name] = _categorical(column)
        else:
            columns[name] = column.to_pandas(date_as_object=False)
        del column
        pa.default_memory_pool().release_unused()
    return pd.DataFrame(columns, index=pd.RangeIndex(rows))


def _categorical(column: pa.ChunkedArray) -> pd.Categorical:
    """A unified dictionary column as a categorical (null: a missing value, code -1)."""
    if column.num_chunks == 0:
        return pd.Categorical([], categories=pd.Index([], dtype="str"))
    dictionary = column.chunk(0).dictionary
    codes = np.concatenate([pc.fill_null(chunk.indices, -1).to_numpy() for chunk in column.chunks])
    return pd.Categorical.from_codes(codes, categories=pd.Index(dictionary.to_pandas()))
