"""NumPy arrays straight from Arrow arrays' buffers, for the typed reader's long table.

``Array.to_numpy`` would import pandas (pyarrow's conversion layer loads it), which costs more
than reading a million-row export; the buffers give the same numbers without it. The ``takes_*``
tests say which column types the helpers read; for any other, the general reader is used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

Mask = npt.NDArray[np.bool_]

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


def takes_numbers(kind: pa.DataType) -> bool:
    """Numbers and booleans."""
    return kind in _NUMBERS or pa.types.is_boolean(kind)


def takes_days(kind: pa.DataType) -> bool:
    """Dates, and timestamps without a time zone (the general reader takes a zoned timestamp's
    wall-clock date)."""
    naive = pa.types.is_timestamp(kind) and kind.tz is None
    return bool(naive or pa.types.is_date32(kind) or pa.types.is_date64(kind))


def takes_labels(kind: pa.DataType) -> bool:
    """Dictionary-encoded text."""
    return bool(
        pa.types.is_dictionary(kind)
        and (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))
        and kind.index_type in _NUMBERS
    )


def numbers(array: pa.Array) -> npt.NDArray[np.float64]:
    """A numeric or boolean array as float64, NaN where null."""
    if pa.types.is_boolean(array.type):
        values = _bits(array.buffers()[1], array.offset, len(array)).astype(np.float64)
    else:
        values = _data(array, _NUMBERS[array.type]).astype(np.float64)
    _fill_nulls(values, array, np.nan)
    return values


def days(array: pa.Array) -> tuple[npt.NDArray[np.int64], Mask | None]:
    """A date or timestamp array as days since 1970-01-01 (floored), and where it is set (None:
    everywhere)."""
    kind = array.type
    if pa.types.is_date32(kind):
        day = _data(array, np.int32).astype(np.int64)
    else:
        day = _data(array, np.int64) // _PER_DAY["ms" if pa.types.is_date64(kind) else kind.unit]
    return day, _valid(array)


def codes(array: pa.DictionaryArray) -> npt.NDArray[np.int32]:
    """A dictionary array's indices, -1 where null."""
    found = _data(array.indices, _NUMBERS[array.type.index_type]).astype(np.int32)
    _fill_nulls(found, array, -1)
    return found


def dictionary(column: pa.ChunkedArray) -> list[str] | None:
    """The labels of a dictionary column whose chunks share one dictionary (unified); None when
    one of them is null (a null label, not a null cell: the general reader decides)."""
    found = column.chunk(0).dictionary.to_pylist() if column.num_chunks else []
    return None if None in found else found


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


def _data(array: pa.Array, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """The values buffer of a fixed-width array, as a read-only view."""
    return np.frombuffer(
        array.buffers()[1],
        dtype=dtype,
        count=len(array),
        offset=array.offset * np.dtype(dtype).itemsize,
    )


def _valid(array: pa.Array) -> Mask | None:
    """Which cells are set; None when none is null."""
    if array.null_count == 0:
        return None
    return _bits(array.buffers()[0], array.offset, len(array))


def _fill_nulls(target: npt.NDArray[Any], array: pa.Array, fill: object) -> None:
    valid = _valid(array)
    if valid is not None:
        target[~valid] = fill


def _bits(buffer: pa.Buffer, offset: int, length: int) -> Mask:
    """``length`` bits of a bitmap from bit ``offset``, one bool each."""
    skip = offset % 8
    packed = np.frombuffer(
        buffer, dtype=np.uint8, count=(skip + length + 7) // 8, offset=offset // 8
    )
    bits: Mask = np.unpackbits(packed, bitorder="little")[skip : skip + length].view(np.bool_)
    return bits
