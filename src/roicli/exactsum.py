"""Exact sums of floats that do not depend on the order of the values.

A float sum rounded at every step depends on the order of its terms, so the same rows shuffled
could give a figure one unit in the last place apart. Here each value is split into 32-bit
"limbs" on a fixed binary grid (2⁻⁹⁶ to 2⁶⁴, wider than any value roicli accepts, which is at
most 10¹⁵ in size), the limbs are added up as integers, and the total is rounded to a float only
once, at the end: the correctly rounded sum (what ``math.fsum`` gives), in any order, batch by
batch, file by file. A value with bits below the grid (smaller than about 10⁻¹³ in size) keeps
its remainder as an exact Python integer, a rare and slow path.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

LIMBS = 5
_BITS = 32
_LOW = -96  # the grid's step: 2**-96
_CHUNK = 1 << 20  # rows per bincount: limbs < 2**32 times this stay below 2**53, exact in floats
_TINY = 1074  # 2**-1074, the smallest float step: the remainders' grid
Limbs = npt.NDArray[np.int64]  # (keys, LIMBS): key k's sum is Σ limbs[k, i] · 2**(32·i − 96)
Extra = dict[int, int]  # key → remainder in units of 2**-1074 (values below the grid)


def add(
    index: npt.NDArray[np.intp], values: npt.NDArray[np.float64], size: int
) -> tuple[Limbs, Extra]:
    """Each key's exact sum (``index`` gives every value's key, below ``size``)."""
    limbs = np.zeros((size, LIMBS), dtype=np.int64)
    extra: Extra = {}
    add_to(limbs, extra, index, values)
    return limbs, extra


def add_to(
    limbs: Limbs, extra: Extra, index: npt.NDArray[np.intp], values: npt.NDArray[np.float64]
) -> None:
    """Add values to the sums of their keys (``index``: each value's row of ``limbs``)."""
    for start in range(0, len(values), _CHUNK):
        _add_chunk(limbs, extra, index[start : start + _CHUNK], values[start : start + _CHUNK])


def _add_chunk(
    limbs: Limbs, extra: Extra, index: npt.NDArray[np.intp], values: npt.NDArray[np.float64]
) -> None:
    if not len(values):
        return
    size = len(limbs)
    # Whole numbers below 2**32 (counts, sessions, leads) go to the limb of the units in one
    # bincount; the others are split into limbs.
    whole = values == np.rint(values)
    whole &= np.abs(values) < 2.0**_BITS
    if whole.all():
        limbs[:, 3] += np.bincount(index, weights=values, minlength=size).astype(np.int64)
        return
    if whole.any():
        units = np.where(whole, values, 0.0)
        limbs[:, 3] += np.bincount(index, weights=units, minlength=size).astype(np.int64)
        rest = np.flatnonzero(~whole)
        index, values = index.take(rest), values.take(rest)
    _split_chunk(limbs, extra, index, values)


def _split_chunk(
    limbs: Limbs, extra: Extra, index: npt.NDArray[np.intp], values: npt.NDArray[np.float64]
) -> None:
    """Add values split into limbs (see the module docstring)."""
    size = len(limbs)
    biggest = float(np.max(np.abs(values)))
    # Digits of the size, signed afterwards: the lower bits of a non-negative float are
    # themselves a float, so every step below is exact.
    rest = np.abs(values) * 2.0**-_LOW  # exact: a power of two, far from the float's limits
    sign = np.sign(values)
    top = LIMBS - 1
    while top > 0 and biggest < 2.0 ** (_BITS * top + _LOW):
        top -= 1
    for limb in range(top, -1, -1):
        step = 2.0 ** (_BITS * limb)
        digit = np.floor(rest / step)
        rest -= digit * step
        digit *= sign
        limbs[:, limb] += np.bincount(index, weights=digit, minlength=size).astype(np.int64)
        if limb and not rest.any():
            return
    for row in np.flatnonzero(rest).tolist():  # bits below the grid: exact, in Python
        key = int(index[row])
        part = int(float(rest[row]) * 2.0 ** (_TINY + _LOW)) * int(sign[row])
        extra[key] = extra.get(key, 0) + part


def total(limbs: Iterable[int], extra: int = 0) -> float:
    """The correctly rounded float of one key's limbs (and remainder)."""
    number = sum(int(limb) << (_BITS * i) for i, limb in enumerate(limbs))
    if not extra:
        return number / (1 << -_LOW)  # int / int: correctly rounded
    return ((number << (_TINY + _LOW)) + extra) / (1 << _TINY)


def totals(limbs: Limbs) -> npt.NDArray[np.float64]:
    """Every key's sum as a float (correctly rounded; remainders left out)."""
    return np.array([total(row) for row in limbs.tolist()], dtype=np.float64)
