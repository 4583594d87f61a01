"""The long rows of a typed table (a clean CSV's, a Parquet file's), worked out in NumPy.

The same rules as ``normalise`` (total rows and rows with no date or no KPI name left out, each
distinct label cleaned and matched once, the audit's counts and orders), for tables whose cells
need no interpretation. A table with anything for the general reader to name or decide (a bad
value, a date out of range, a column type it does not take) gives None, and ``normalise``
reads it instead: this path is only ever a faster way to the same result.

The table is read one record batch at a time, each batch summed per day, KPI and group at once
(``daytable.DayBuilder``): a ten-million-row export needs no row-sized arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from roicli.config import Source
from roicli.daytable import NO_NEEDS, DayBuilder, DayTable, Needs
from roicli.enums import Layout
from roicli.ingest import arrownumpy, labels
from roicli.ingest.arrownumpy import Mask
from roicli.ingest.cells import FIRST_YEAR, LAST_YEAR, MAX_ABS_VALUE
from roicli.ingest.columns import Mapped
from roicli.ingest.kpimatch import kpi_names, name_key
from roicli.ingest.model import DetectedDict, Normalised, TypedStream, TypedTable
from roicli.longtable import Codes

_EPOCH = date(1970, 1, 1).toordinal()
# Days since 1970-01-01 of the first date accepted and of the first one after the last.
_FIRST_DAY = date(FIRST_YEAR, 1, 1).toordinal() - _EPOCH
_AFTER_DAY = date(LAST_YEAR + 1, 1, 1).toordinal() - _EPOCH
_FIRST_BLOCK = 1 << 12


def typed_rows(
    typed: TypedTable | TypedStream,
    source: Source,
    lookup: Mapping[str, str],
    *,
    wants: Needs = NO_NEEDS,
) -> Normalised | None:
    """The day table of a typed table, or None when the general reader must read it.

    ``wants`` says what the KPIs' aggregations need beyond counts and sums.
    """
    if source.layout is Layout.DATES_IN_COLUMNS:
        return None  # melted by the general reader
    mapped = typed.mapped
    if not _takes(typed.schema, mapped):
        return None
    names = _Labels() if mapped.kpi else None
    groups = _Labels() if mapped.group else None
    rows = _Rows(mapped, kpi_names(lookup), lookup, wants, names=names, groups=groups)
    for batch in typed.batches():
        if not rows.add(batch):
            return None
    if typed.failed:
        return None
    detected: DetectedDict = {
        "date_format": "typed",
        **typed.detected,
        "dayfirst": None,
        "decimal": source.decimal or None,
        "thousands": source.thousands or None,
        "missing_values": rows.missing,
    }
    return Normalised(
        table=rows.table(),
        rows=rows.contributed,
        skipped=0,
        excluded=rows.excluded,
        kpis=rows.kpis(),
        unmatched=rows.unmatched(),
        bad_rows=(),
        detected=detected,
    )


def _takes(schema: pa.Schema, mapped: Mapped) -> bool:
    """Whether every mapped column has a type the NumPy path reads."""
    dimensions = [c for c in (mapped.kpi, mapped.group) if c]
    return (
        arrownumpy.takes_days(schema.field(mapped.date).type)
        and all(arrownumpy.takes_labels(schema.field(c).type) for c in dimensions)
        and all(arrownumpy.takes_numbers(schema.field(c).type) for c in mapped.values)
    )


class _Labels:
    """A dictionary column's labels, cleaned (``labels.clean``) and numbered as they come, batch
    by batch (each batch may bring its own dictionary); a null cell has the label ""."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self._position: dict[str, int] = {}
        self._last: tuple[pa.Array, Codes] | None = None

    def entries(self, array: pa.DictionaryArray) -> tuple[Codes, Codes] | None:
        """The cleaned label of each entry of a batch's dictionary (one more entry at the end:
        a null cell's), and each cell's entry; None when the dictionary holds a null label
        (not a null cell: the general reader decides)."""
        dictionary = array.dictionary
        if self._last is not None and self._last[0].equals(dictionary):
            recode = self._last[1]
        else:
            raw = dictionary.to_pylist()
            if None in raw:
                return None
            found = [self._code(labels.clean(label)) for label in raw]
            recode = np.array([*found, self._code("")], dtype=np.int32)  # null (-1): last
            self._last = (dictionary, recode)
        return recode, arrownumpy.codes(array)

    def _code(self, label: str) -> int:
        if label not in self._position:
            self._position[label] = len(self.labels)
            self.labels.append(label)
        return self._position[label]


_LEFT_OUT = -2  # a name's code when its rows are left out (a total, or no name)


class _Rows:
    """The rows of a typed table, summed per day batch by batch, and the audit's figures."""

    def __init__(
        self,
        mapped: Mapped,
        keys: tuple[str, ...],
        lookup: Mapping[str, str],
        wants: Needs,
        *,
        names: _Labels | None,
        groups: _Labels | None,
    ) -> None:
        self.mapped = mapped
        self.keys = keys
        self.lookup = lookup
        self.names = names  # of the kpi column's labels (long layout)
        self.groups = groups
        self.position = {key: code for code, key in enumerate(keys)}
        if self.names is not None:
            self.columns = {next(iter(mapped.values)): -1}  # its KPI comes from the row's name
        else:
            self.columns = {c: keys.index(k) for c, k in mapped.values.items() if k is not None}
        # Per cleaned label, grown as labels come: a name's KPI code (-1: none, _LEFT_OUT: a
        # total or no name leaves its row out), a group's code in the builder (-1: a total).
        self.name_code = np.empty(0, dtype=np.int32)
        self.group_code = np.empty(0, dtype=np.int32)
        self.names_seen: dict[int, None] = {}  # cleaned names of kept rows, in order of first use
        self.excluded = self.missing = self.contributed = 0
        self.any_wanted = False
        self.builder = DayBuilder(keys, wants)
        self.no_group = int(self.builder.groups([""])[0])

    def _grow(self) -> None:
        """Extend the per-label tables to the labels met so far."""
        if self.names is not None and len(self.name_code) < len(self.names.labels):
            new = self.names.labels[len(self.name_code) :]
            found = [
                _LEFT_OUT
                if label == "" or labels.is_total(label)
                else self.position.get(self.lookup.get(name_key(label), ""), -1)
                for label in new
            ]
            self.name_code = np.concatenate([self.name_code, np.array(found, dtype=np.int32)])
        if self.groups is not None and len(self.group_code) < len(self.groups.labels):
            codes = self.builder.groups(self.groups.labels)
            out = np.array([labels.is_total(label) for label in self.groups.labels], dtype=bool)
            self.group_code = np.where(out, -1, codes).astype(np.int32)

    def add(self, batch: pa.RecordBatch) -> bool:
        """Take a batch's rows; False when one is for the general reader to name."""
        mapped = self.mapped
        day, has_date = arrownumpy.days(batch.column(mapped.date))
        names = group = None
        if self.names is not None:
            names = self.names.entries(batch.column(mapped.kpi))
            if names is None:
                return False
        if self.groups is not None:
            group = self.groups.entries(batch.column(mapped.group))
            if group is None:
                return False
        self._grow()
        # Each row's KPI and group code: the small per-entry table first, then one gather.
        key = self.name_code.take(names[0]).take(names[1]) if names is not None else None
        group_code = self.group_code.take(group[0]).take(group[1]) if group is not None else None
        keep = np.ones(len(day), dtype=bool) if has_date is None else has_date.copy()
        if key is not None:
            keep &= key != _LEFT_OUT
        if group_code is not None:
            keep &= group_code >= 0
        self.excluded += len(day) - int(np.count_nonzero(keep))
        if key is None:
            wanted = keep if self.columns else np.zeros(len(day), dtype=bool)
        else:
            assert names is not None  # key comes from them
            self._note_names(*names, keep)
            wanted = keep & (key >= 0)
        self.any_wanted |= bool(wanted.any())
        if _any_outside(day, wanted):
            return False
        contributed = np.zeros(len(day), dtype=bool)
        for column, constant in self.columns.items():
            values = arrownumpy.numbers(batch.column(column))
            if _any_too_big(values, wanted):
                return False
            present = ~np.isnan(values)
            self.missing += int(np.count_nonzero(wanted & ~present))
            take = wanted & present
            contributed |= take
            kpi = key if key is not None else np.full(len(day), constant, dtype=np.int32)
            rows = np.flatnonzero(take)
            self.builder.add(
                day.take(rows),
                kpi.take(rows),
                group_code.take(rows)
                if group_code is not None
                else np.full(len(rows), self.no_group, np.int32),
                values.take(rows),
            )
        self.contributed += int(np.count_nonzero(contributed))
        return True

    def _note_names(self, recode: Codes, entry: Codes, keep: Mask) -> None:
        """Remember the names of kept rows in order of first use.

        Nothing to do when every name of the batch's dictionary is known already (or leaves its
        rows out). Otherwise new names are searched for in blocks of doubling size until all
        are found: the first few thousand rows of an export usually hold every name it has.
        """
        known = self.names_seen.keys()
        if all(c in known or self.name_code[c] == _LEFT_OUT for c in set(recode.tolist())):
            return
        kept = recode[entry[keep]]
        if not len(kept):
            return
        new = set(np.flatnonzero(np.bincount(kept)).tolist()) - known
        start, step = 0, _FIRST_BLOCK
        while new:
            found, first = np.unique(kept[start : start + step], return_index=True)
            for code in found[np.argsort(first)].tolist():
                if code in new:
                    self.names_seen[code] = None
                    new.discard(code)
            start, step = start + step, step * 2

    def table(self) -> DayTable:
        """The day table of the rows taken."""
        return self.builder.table()

    def kpis(self) -> tuple[str, ...]:
        """The KPIs of the kept rows, in order of first use."""
        if self.names is None:
            return tuple(self.keys[c] for c in self.columns.values()) if self.any_wanted else ()
        # A KPI's first row is the first row of any of its names.
        found = (int(self.name_code[name]) for name in self.names_seen)
        return tuple(dict.fromkeys(self.keys[key] for key in found if key >= 0))

    def unmatched(self) -> tuple[str, ...]:
        """The names of kept rows that are no configured KPI, in order of first use."""
        if self.names is None:
            return self.mapped.unmatched
        found = (self.names.labels[name] for name in self.names_seen)
        return tuple(name for name in found if name_key(name) not in self.lookup)


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
