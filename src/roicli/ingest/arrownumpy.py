"""NumPy arrays straight from Arrow columns' buffers, for the typed reader's long table.

``Array.to_numpy`` would import pandas (pyarrow's conversion layer loads it), which costs more
than reading a million-row export; the buffers give the same numbers without it. Each helper
returns None for a column type it does not take, and the caller then uses the general reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

_NUMBERS: dict[pa.DataType, npt.DTypeLike] = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
}
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}


@dataclass(frozen=True)
class Labels:
    """A dictionary column: per row, a position in ``labels`` (-1 where the cell is null)."""

    codes: npt.NDArray[np.int32]
    labels: list[str]


def numbers(column: pa.ChunkedArray) -> npt.NDArray[np.float64] | None:
    """A numeric or boolean column as float64, NaN where null."""
    kind = column.type
    if pa.types.is_boolean(kind):
        chunks = [_bits(chunk.buffers()[1], chunk.offset, len(chunk)) for chunk in column.chunks]
    elif kind in _NUMBERS:
        chunks = [_data(chunk, _NUMBERS[kind]) for chunk in column.chunks]
    else:
        return None
    values = _joined(chunks, np.float64)
    _fill_nulls(values, column, np.nan)
    return values


def days(
    column: pa.ChunkedArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None] | None:
    """A date or naive timestamp column as days since 1970-01-01 (floored), and where it is set
    (None: everywhere).

    A timestamp with a time zone is left to the general reader, which takes its wall-clock date.
    """
    kind = column.type
    if pa.types.is_date32(kind):
        day = _joined([_data(chunk, np.int32) for chunk in column.chunks], np.int64)
    elif pa.types.is_date64(kind) or (pa.types.is_timestamp(kind) and kind.tz is None):
        day = _joined([_data(chunk, np.int64) for chunk in column.chunks], np.int64)
        day //= _PER_DAY["ms" if pa.types.is_date64(kind) else kind.unit]
    else:
        return None
    if not column.null_count:
        return day, None
    has_date = np.ones(len(day), dtype=bool)
    _fill_nulls(has_date, column, False)
    return day, has_date


def labels(column: pa.ChunkedArray) -> Labels | None:
    """A dictionary-encoded text column (dictionaries unified beforehand) as codes and labels."""
    kind = column.type
    if not pa.types.is_dictionary(kind) or not (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        return None
    if kind.index_type not in _NUMBERS:
        return None
    if column.num_chunks == 0:
        return Labels(np.empty(0, dtype=np.int32), [])
    indices = [chunk.indices for chunk in column.chunks]
    codes = _joined([_data(index, _NUMBERS[kind.index_type]) for index in indices], np.int32)
    _fill_nulls(codes, column, -1)
    found = column.chunk(0).dictionary.to_pylist()
    if None in found:  # a null label, not a null cell: the general reader decides
        return None
    return Labels(codes, found)


def _fill_nulls(target: npt.NDArray[Any], column: pa.ChunkedArray, fill: object) -> None:
    """Set ``fill`` where the column's cells are null (``target`` holds its rows in order)."""
    if not column.null_count:
        return
    start = 0
    for chunk in column.chunks:
        valid = _valid(chunk)
        if valid is not None:
            target[start : start + len(chunk)][~valid] = fill
        start += len(chunk)


def _data(array: pa.Array, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """The values buffer of a fixed-width array, as a read-only view."""
    return np.frombuffer(
        array.buffers()[1],
        dtype=dtype,
        count=len(array),
        offset=array.offset * np.dtype(dtype).itemsize,
    )


def _valid(array: pa.Array) -> npt.NDArray[np.bool_] | None:
    """Which cells are set; None when none is null."""
    if array.null_count == 0:
        return None
    return _bits(array.buffers()[0], array.offset, len(array))


def _bits(buffer: pa.Buffer, offset: int, length: int) -> npt.NDArray[np.bool_]:
    packed = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(packed, bitorder="little")[offset : offset + length].astype(bool)


def _joined(parts: Sequence[npt.NDArray[Any]], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """The parts as one new (writable) array of ``dtype``."""
    if len(parts) == 1:
        return parts[0].astype(dtype)
    return np.concatenate(parts, dtype=dtype) if parts else np.empty(0, dtype=dtype)


def within(column: pa.ChunkedArray, limit: float) -> bool:
    """Whether every set value of a float64 column is a number no larger than ``limit`` in size
    (NaN and the infinities are not)."""
    for chunk in column.chunks:
        fits = np.abs(_data(chunk, np.float64)) <= limit
        valid = _valid(chunk)
        if valid is not None:
            fits |= ~valid
        if not fits.all():
            return False
    return True
