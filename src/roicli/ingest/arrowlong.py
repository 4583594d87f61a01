"""The long rows of a typed table (a clean CSV's, a Parquet file's), worked out in NumPy.

The same rules as ``normalise`` (total rows and rows with no date or no KPI name left out, each
distinct label cleaned and matched once, the audit's counts and orders), for tables whose cells
need no interpretation. A table with anything for the general reader to name or decide (a bad
value, a date out of range, a column type it does not take) gives None, and ``normalise``
reads it instead: this path is only ever a faster way to the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
import numpy.typing as npt

from roicli.config import Source
from roicli.ingest import arrownumpy, labels
from roicli.ingest.cells import MAX_ABS_VALUE
from roicli.ingest.kpimatch import name_key
from roicli.ingest.model import DetectedDict, Normalised, TypedTable
from roicli.longtable import LongTable, combine, empty_table

Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int32]

_EPOCH = date(1970, 1, 1).toordinal()
# The dates the general reader accepts (``dates._YEARS``); outside, a date is a bad value.
_FIRST_DAY = date(1900, 1, 1).toordinal() - _EPOCH
_AFTER_DAY = date(2201, 1, 1).toordinal() - _EPOCH
_FIRST_BLOCK = 1 << 12


def typed_rows(typed: TypedTable, source: Source, lookup: Mapping[str, str]) -> Normalised | None:
    """The long rows of a typed table, or None when the general reader must read it."""
    table = typed.table.unify_dictionaries()
    mapped = typed.mapped
    dated = arrownumpy.days(table.column(mapped.date))
    found = {c: arrownumpy.labels(table.column(c)) for c in (mapped.kpi, mapped.group) if c}
    if dated is None or None in found.values():
        return None
    day, has_date = dated
    dimensions = {column: _Cleaned(labelled) for column, labelled in found.items() if labelled}
    flags = [None if has_date is None else ~has_date]
    flags += [dimension.flag(labels.is_total) for dimension in dimensions.values()]
    keys = tuple(sorted(set(lookup.values())))
    if mapped.kpi is not None:
        names = dimensions[mapped.kpi]
        flags.append(names.flag(lambda label: label == ""))
        excluded = _union(flags, len(day))
        position = {key: code for code, key in enumerate(keys)}
        key_of = [position.get(lookup.get(name_key(n), ""), -1) for n in names.labels]
        row_key = names.spread(key_of)
        used = _first_use(names.codes, ~excluded)
        unmatched = tuple(names.labels[c] for c in used if name_key(names.labels[c]) not in lookup)
        # A KPI's first row is the first row of any of its names.
        kpis = tuple(dict.fromkeys(keys[key_of[c]] for c in used if key_of[c] >= 0))
        columns = {next(iter(mapped.values)): row_key}
        wanted = ~excluded & (row_key >= 0)
    else:
        excluded = _union(flags, len(day))
        unmatched = mapped.unmatched
        columns = {
            column: np.full(len(day), keys.index(key), dtype=np.int32)
            for column, key in mapped.values.items()
            if key is not None
        }
        wanted = ~excluded if columns else np.zeros(len(day), dtype=bool)
        kpis = tuple(keys[key[0]] for key in columns.values()) if wanted.any() else ()
    if _any_outside(day, wanted):
        return None
    values = {column: arrownumpy.numbers(table.column(column)) for column in columns}
    if any(v is None or _any_too_big(v, wanted) for v in values.values()):
        return None  # a value column that is not numbers, or a value to name as bad
    group = dimensions.get(mapped.group) if mapped.group else None
    group_names, group_codes = _groups_in_use(group, wanted, len(day))
    parts, contributed, missing = [], np.zeros(len(day), dtype=bool), 0
    for column, key in columns.items():
        numbers = values[column]
        assert numbers is not None
        present = ~np.isnan(numbers)
        missing += int(np.count_nonzero(wanted & ~present))
        take = wanted & present  # wanted rows have a configured KPI
        contributed |= take
        part = LongTable(
            days=day.view("datetime64[D]"),
            kpi=key,
            group=group_codes,
            values=numbers,
            kpi_names=keys,
            group_names=group_names,
        )
        parts.append(part if take.all() else part.take(take))
    detected: DetectedDict = {
        "date_format": "typed",
        **typed.detected,
        "dayfirst": None,
        "decimal": source.decimal or None,
        "thousands": source.thousands or None,
        "missing_values": missing,
    }
    return Normalised(
        table=combine(parts) if parts else empty_table(keys),
        rows=int(np.count_nonzero(contributed)),
        skipped=0,
        excluded=int(np.count_nonzero(excluded)),
        kpis=kpis,
        unmatched=unmatched,
        bad_rows=(),
        detected=detected,
    )


class _Cleaned:
    """A dictionary column with its labels cleaned: equal cleaned labels share one code, and a
    null cell has the label ""."""

    def __init__(self, found: arrownumpy.Labels) -> None:
        cleaned = [labels.clean(label) for label in found.labels]
        position = {label: code for code, label in enumerate(dict.fromkeys([*cleaned, ""]))}
        self.labels = list(position)
        if cleaned == self.labels[: len(cleaned)] and not (found.codes < 0).any():
            self.codes: Codes = found.codes  # clean and distinct already: nothing to recode
        else:
            recode = np.array([*(position[label] for label in cleaned), position[""]], np.int32)
            self.codes = recode[found.codes]  # code -1 (null) takes the last

    def spread(self, per_label: list[int]) -> Codes:
        """A value given to each label, per row."""
        return np.array(per_label, dtype=np.int32)[self.codes]

    def flag(self, test: Callable[[str], bool]) -> Mask | None:
        """Rows whose label passes a test (called once per label); None when no label does."""
        passed = [test(label) for label in self.labels]
        return np.array(passed, dtype=bool)[self.codes] if any(passed) else None


def _union(masks: list[Mask | None], size: int) -> Mask:
    """Rows in any of the masks (None: no row)."""
    union = np.zeros(size, dtype=bool)
    for mask in masks:
        if mask is not None:
            union |= mask
    return union


def _in_use(codes: Codes, rows: Mask, size: int) -> Mask:
    """Which of ``size`` codes the rows use: all rows' counts less the other rows'."""
    used = np.bincount(codes, minlength=size)
    if not rows.all():
        used -= np.bincount(codes[~rows], minlength=size)
    return used > 0


def _first_use(codes: Codes, rows: Mask) -> list[int]:
    """The codes of the picked rows, in the order they first appear.

    Blocks of doubling size are searched until every code in use is found: the first few
    thousand rows of an export usually hold every label it has.
    """
    size = int(codes.max()) + 1 if len(codes) else 0
    remaining = set(np.flatnonzero(_in_use(codes, rows, size)).tolist())
    order: list[int] = []
    start, step = 0, _FIRST_BLOCK
    while remaining:
        block = codes[start : start + step][rows[start : start + step]]
        found, first = np.unique(block, return_index=True)
        for code in found[np.argsort(first)].tolist():
            if code in remaining:
                order.append(code)
                remaining.discard(code)
        start, step = start + step, step * 2
    return order


def _groups_in_use(group: _Cleaned | None, rows: Mask, size: int) -> tuple[tuple[str, ...], Codes]:
    """The sorted group labels the rows use, and each row's position among them."""
    if group is None:
        return ("",), np.zeros(size, dtype=np.int32)
    used = _in_use(group.codes, rows, len(group.labels))
    names = sorted(
        label for label, in_use in zip(group.labels, used.tolist(), strict=True) if in_use
    )
    position = {label: code for code, label in enumerate(names)}
    return tuple(names), group.spread([position.get(label, -1) for label in group.labels])


def _any_outside(day: npt.NDArray[np.int64], rows: Mask) -> bool:
    """Whether a picked row's date falls outside the years the general reader accepts."""
    if not len(day) or (int(day.min()) >= _FIRST_DAY and int(day.max()) < _AFTER_DAY):
        return False
    picked = day[rows]
    return bool(((picked < _FIRST_DAY) | (picked >= _AFTER_DAY)).any())


def _any_too_big(values: npt.NDArray[np.float64], rows: Mask) -> bool:
    """Whether a picked row's value is beyond ``MAX_ABS_VALUE`` in size (infinite included)."""
    low, high = np.fmin.reduce(values, initial=0.0), np.fmax.reduce(values, initial=0.0)
    if low >= -MAX_ABS_VALUE and high <= MAX_ABS_VALUE:
        return False
    return bool((np.abs(values[rows]) > MAX_ABS_VALUE).any())
