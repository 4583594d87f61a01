"""The long rows of a typed table (a clean CSV's, a Parquet file's), worked out in NumPy.

The same rules as ``normalise`` (total rows and rows with no date or no KPI name left out, each
distinct label cleaned and matched once, the audit's counts and orders), for tables whose cells
need no interpretation. A table with anything for the general reader to name or decide (a bad
value, a date out of range, a column type it does not take) gives None, and ``normalise``
reads it instead: this path is only ever a faster way to the same result.

The table is read one record batch at a time into arrays sized for every row, of which only
the rows kept are ever written: a ten-million-row export needs no full-size temporaries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from roicli.config import Source
from roicli.enums import Layout
from roicli.ingest import arrownumpy, labels
from roicli.ingest.arrownumpy import Mask
from roicli.ingest.cells import FIRST_YEAR, LAST_YEAR, MAX_ABS_VALUE
from roicli.ingest.columns import Mapped
from roicli.ingest.kpimatch import kpi_names, name_key
from roicli.ingest.model import DetectedDict, Normalised, TypedTable
from roicli.longtable import Codes, LongTable

_EPOCH = date(1970, 1, 1).toordinal()
# Days since 1970-01-01 of the first date accepted and of the first one after the last.
_FIRST_DAY = date(FIRST_YEAR, 1, 1).toordinal() - _EPOCH
_AFTER_DAY = date(LAST_YEAR + 1, 1, 1).toordinal() - _EPOCH
_FIRST_BLOCK = 1 << 12


def typed_rows(typed: TypedTable, source: Source, lookup: Mapping[str, str]) -> Normalised | None:
    """The long rows of a typed table, or None when the general reader must read it."""
    if source.layout is Layout.DATES_IN_COLUMNS:
        return None  # melted by the general reader
    table = typed.table.unify_dictionaries()
    mapped = typed.mapped
    if not _takes(table, mapped):
        return None
    found = {c: arrownumpy.dictionary(table.column(c)) for c in (mapped.kpi, mapped.group) if c}
    if None in found.values():
        return None
    cleaned = {column: _Cleaned(raw) for column, raw in found.items() if raw is not None}
    names = cleaned.get(mapped.kpi) if mapped.kpi else None
    groups = cleaned.get(mapped.group) if mapped.group else None
    rows = _Rows(table.num_rows, mapped, kpi_names(lookup), lookup, names=names, groups=groups)
    for batch in table.to_batches():
        if not rows.add(batch):
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


def _takes(table: pa.Table, mapped: Mapped) -> bool:
    """Whether every mapped column has a type the NumPy path reads."""
    schema = table.schema
    dimensions = [c for c in (mapped.kpi, mapped.group) if c]
    return (
        arrownumpy.takes_days(schema.field(mapped.date).type)
        and all(arrownumpy.takes_labels(schema.field(c).type) for c in dimensions)
        and all(arrownumpy.takes_numbers(schema.field(c).type) for c in mapped.values)
    )


class _Cleaned:
    """A dictionary column's labels cleaned (``labels.clean_all``); a null cell has the label
    ""."""

    def __init__(self, raw: Sequence[str]) -> None:
        found = labels.clean_all(raw)
        self.labels = found.labels
        self._recode = np.array([*found.codes, found.empty], dtype=np.int32)  # null (-1): last
        self._identity = found.codes == list(range(len(raw)))

    def codes(self, array: pa.DictionaryArray) -> Codes:
        """The cleaned label of each cell of a batch."""
        raw = arrownumpy.codes(array)
        if self._identity and not array.null_count:
            return raw
        return self._recode[raw]


class _Rows:
    """The long rows of a typed table, gathered batch by batch, and the audit's figures."""

    def __init__(
        self,
        size: int,
        mapped: Mapped,
        keys: tuple[str, ...],
        lookup: Mapping[str, str],
        *,
        names: _Cleaned | None,
        groups: _Cleaned | None,
    ) -> None:
        self.mapped = mapped
        self.keys = keys
        self.lookup = lookup
        self.names = names  # of the kpi column's labels (long layout)
        self.groups = groups
        if self.names is not None:
            position = {key: code for code, key in enumerate(keys)}
            found = [position.get(lookup.get(name_key(n), ""), -1) for n in self.names.labels]
            self.key_of = np.array(found, dtype=np.int32)
            # Total rows and rows with no KPI name are left out.
            out = [label == "" or labels.is_total(label) for label in self.names.labels]
            self.name_out = np.array(out, dtype=bool)
            self.columns = {next(iter(mapped.values)): -1}  # its KPI comes from the row's name
        else:
            self.columns = {c: keys.index(k) for c, k in mapped.values.items() if k is not None}
        self.group_out = (
            np.array([labels.is_total(g) for g in self.groups.labels], dtype=bool)
            if self.groups is not None
            else None
        )
        self.groups_used = np.zeros(len(self.groups.labels) if self.groups else 1, dtype=np.int64)
        self.names_seen: dict[int, None] = {}  # cleaned names of kept rows, in order of first use
        self.excluded = self.missing = self.contributed = self.filled = 0
        self.any_wanted = False
        # Sized for every row; only the first ``filled`` are written (the rest is never touched).
        width = size * len(self.columns)
        self.days = np.empty(width, dtype="datetime64[D]")
        self.kpi = np.empty(width, dtype=np.int32)
        self.group = np.empty(width, dtype=np.int32)
        self.values = np.empty(width, dtype=np.float64)
        self._spans: list[list[tuple[int, int]]] = [[] for _ in self.columns]  # (start, rows)

    def add(self, batch: pa.RecordBatch) -> bool:
        """Take a batch's rows; False when one is for the general reader to name."""
        mapped = self.mapped
        day, has_date = arrownumpy.days(batch.column(mapped.date))
        keep = np.ones(len(day), dtype=bool) if has_date is None else has_date.copy()
        names = self.names.codes(batch.column(mapped.kpi)) if self.names is not None else None
        group = self.groups.codes(batch.column(mapped.group)) if self.groups is not None else None
        if names is not None:
            keep &= ~self.name_out[names]
        if group is not None and self.group_out is not None:
            keep &= ~self.group_out[group]
        self.excluded += len(day) - int(np.count_nonzero(keep))
        if names is not None:
            self._note_names(names[keep])
            key = self.key_of[names]
            wanted = keep & (key >= 0)
        else:
            key = None
            wanted = keep if self.columns else np.zeros(len(day), dtype=bool)
        self.any_wanted |= bool(wanted.any())
        if _any_outside(day, wanted):
            return False
        contributed = np.zeros(len(day), dtype=bool)
        for position, (column, constant) in enumerate(self.columns.items()):
            values = arrownumpy.numbers(batch.column(column))
            if _any_too_big(values, wanted):
                return False
            present = ~np.isnan(values)
            self.missing += int(np.count_nonzero(wanted & ~present))
            take = wanted & present
            contributed |= take
            kpi = key if key is not None else np.full(len(day), constant, dtype=np.int32)
            self._write(position, take, day, kpi, group, values)
        if group is not None:
            self.groups_used += np.bincount(group[wanted], minlength=len(self.groups_used))
        self.contributed += int(np.count_nonzero(contributed))
        return True

    def _note_names(self, kept: Codes) -> None:
        """Remember the names of kept rows in order of first use.

        New names are searched for in blocks of doubling size until all are found: the first
        few thousand rows of an export usually hold every name it has.
        """
        if not len(kept):
            return
        new = set(np.flatnonzero(np.bincount(kept)).tolist()) - self.names_seen.keys()
        start, step = 0, _FIRST_BLOCK
        while new:
            found, first = np.unique(kept[start : start + step], return_index=True)
            for code in found[np.argsort(first)].tolist():
                if code in new:
                    self.names_seen[code] = None
                    new.discard(code)
            start, step = start + step, step * 2

    def _write(
        self,
        position: int,
        take: Mask,
        day: npt.NDArray[np.int64],
        kpi: Codes,
        group: Codes | None,
        values: npt.NDArray[np.float64],
    ) -> None:
        """Append the taken rows of one value column (columns are kept apart: see ``table``)."""
        rows = np.flatnonzero(take)
        self._spans[position].append((self.filled, len(rows)))
        end = self.filled + len(rows)
        self.days[self.filled : end] = day[rows].view("datetime64[D]")
        self.kpi[self.filled : end] = kpi[rows]
        self.group[self.filled : end] = 0 if group is None else group[rows]
        self.values[self.filled : end] = values[rows]
        self.filled = end

    def table(self) -> LongTable:
        """The long rows: each value column's rows in file order, one column after another."""
        if self.groups is None:
            names: tuple[str, ...] = ("",)
            recode = np.zeros(1, dtype=np.int32)
        else:
            used = self.groups_used > 0
            names = tuple(sorted(g for g, u in zip(self.groups.labels, used, strict=True) if u))
            position = {label: code for code, label in enumerate(names)}
            recode = np.array([position.get(g, -1) for g in self.groups.labels], dtype=np.int32)
        pick: slice | npt.NDArray[np.intp] = slice(0, self.filled)
        spans = [span for column in self._spans for span in column]
        if len(self.columns) > 1 and spans:  # written batch by batch: each column's rows together
            pick = np.concatenate([np.arange(start, start + rows) for start, rows in spans])
        return LongTable(
            days=self.days[pick],
            kpi=self.kpi[pick],
            group=recode[self.group[pick]],
            values=self.values[pick],
            kpi_names=self.keys,
            group_names=names,
        )

    def kpis(self) -> tuple[str, ...]:
        """The KPIs of the kept rows, in order of first use."""
        if self.names is None:
            return tuple(self.keys[c] for c in self.columns.values()) if self.any_wanted else ()
        # A KPI's first row is the first row of any of its names.
        found = (int(self.key_of[name]) for name in self.names_seen)
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
