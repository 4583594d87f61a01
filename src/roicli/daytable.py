"""The long table summed per day: one cell per (day, KPI, group), whatever the rows' order.

Readers hand their rows over a batch at a time (``DayBuilder.add``); each batch is reduced to
its cells at once, so memory grows with the days, KPIs and groups, never with the rows. A cell
keeps what every aggregation needs from its rows: their count, their exact sum (``exactsum``:
the same in any order), their NPS points, and, for the KPIs aggregated by ``min``, ``max`` or
``last``, their smallest and largest value. Only the KPIs aggregated by ``median`` or
``nunique`` keep their rows (``kept``). Cells are sorted by day, KPI and group, so the same rows
in any order give the same table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from roicli import exactsum
from roicli.enums import Aggregation
from roicli.longtable import Codes, Days, LongTable, Values, empty_table

if TYPE_CHECKING:
    from roicli.config import Kpi

Counts = npt.NDArray[np.int64]
Extra = tuple[tuple[int, int, int, int], ...]  # (day, kpi, group, remainder): see exactsum
_DENSE = 1 << 16  # a batch's (day, KPI, group) grid this small is counted directly
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Needs:
    """Which KPIs need more than a count and a sum per cell."""

    extremes: frozenset[str] = frozenset()  # min, max, last: the smallest and largest value
    values: frozenset[str] = frozenset()  # median, nunique: every value (their rows are kept)
    nps: frozenset[str] = frozenset()  # NPS points


NO_NEEDS = Needs()


@dataclass(frozen=True)
class Aggregated:
    """Cells summed elsewhere (by a database): per cell its day (days since 1970-01-01), KPI
    and group codes (see ``DayBuilder``), its count of values, their sum, smallest and largest
    value and NPS points."""

    days: npt.NDArray[np.int64]
    kpi: Codes
    group: Codes
    count: Counts
    sums: Values
    low: Values
    high: Values
    nps: Values

    def take(self, rows: npt.NDArray[np.intp] | npt.NDArray[np.bool_]) -> Aggregated:
        """The cells at ``rows`` (positions or a mask)."""
        return Aggregated(**{name: value[rows] for name, value in vars(self).items()})


def needs(kpis: Mapping[str, Kpi]) -> Needs:
    """What the configured KPIs' aggregations need of each cell."""
    by = {key: kpi.aggregation for key, kpi in kpis.items()}
    return Needs(
        extremes=frozenset(k for k, a in by.items() if a in _EXTREMES),
        values=frozenset(k for k, a in by.items() if a in _VALUES),
        nps=frozenset(k for k, a in by.items() if a is Aggregation.NPS),
    )


_EXTREMES = frozenset({Aggregation.MIN, Aggregation.MAX, Aggregation.LAST})
_VALUES = frozenset({Aggregation.MEDIAN, Aggregation.NUNIQUE})


@dataclass(frozen=True)
class _Cells:
    """Cells as parallel arrays (not necessarily sorted or distinct)."""

    days: npt.NDArray[np.int64]
    kpi: Codes
    group: Codes
    count: Counts
    limbs: exactsum.Limbs
    low: Values
    high: Values
    nps: Values

    @staticmethod
    def empty() -> _Cells:
        return _Cells(
            days=np.empty(0, dtype=np.int64),
            kpi=np.empty(0, dtype=np.int32),
            group=np.empty(0, dtype=np.int32),
            count=np.empty(0, dtype=np.int64),
            limbs=np.empty((0, exactsum.LIMBS), dtype=np.int64),
            low=np.empty(0, dtype=np.float64),
            high=np.empty(0, dtype=np.float64),
            nps=np.empty(0, dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.count)

    def take(self, rows: npt.NDArray[np.intp] | npt.NDArray[np.bool_]) -> _Cells:
        """The cells at ``rows`` (positions or a mask)."""
        return _Cells(**{name: value[rows] for name, value in vars(self).items()})

    def recoded(self, kpi: Codes, group: Codes) -> _Cells:
        """The same cells with their codes mapped through two tables."""
        return _Cells(
            days=self.days,
            kpi=kpi[self.kpi] if len(self) else self.kpi,
            group=group[self.group] if len(self) else self.group,
            count=self.count,
            limbs=self.limbs,
            low=self.low,
            high=self.high,
            nps=self.nps,
        )

    @staticmethod
    def merged(parts: Sequence[_Cells]) -> _Cells:
        """One cell per (day, KPI, group), sorted: equal cells' figures put together."""
        parts = [part for part in parts if len(part)]
        if not parts:
            return _Cells.empty()
        every = parts[0] if len(parts) == 1 else _Cells.concatenated(parts)
        cells = every.take(_order(every))
        new = np.ones(len(cells), dtype=bool)
        new[1:] = (
            (cells.days[1:] != cells.days[:-1])
            | (cells.kpi[1:] != cells.kpi[:-1])
            | (cells.group[1:] != cells.group[:-1])
        )
        if new.all():
            return cells
        starts = np.flatnonzero(new)
        return _Cells(
            days=cells.days[starts],
            kpi=cells.kpi[starts],
            group=cells.group[starts],
            count=np.add.reduceat(cells.count, starts),
            limbs=np.add.reduceat(cells.limbs, starts, axis=0),
            low=np.minimum.reduceat(cells.low, starts),
            high=np.maximum.reduceat(cells.high, starts),
            nps=np.add.reduceat(cells.nps, starts),
        )

    @staticmethod
    def concatenated(parts: Sequence[_Cells]) -> _Cells:
        return _Cells(
            days=np.concatenate([p.days for p in parts]),
            kpi=np.concatenate([p.kpi for p in parts]),
            group=np.concatenate([p.group for p in parts]),
            count=np.concatenate([p.count for p in parts]),
            limbs=np.concatenate([p.limbs for p in parts]),
            low=np.concatenate([p.low for p in parts]),
            high=np.concatenate([p.high for p in parts]),
            nps=np.concatenate([p.nps for p in parts]),
        )


def _order(cells: _Cells) -> npt.NDArray[np.intp]:
    """The positions that sort cells by day, KPI and group: one sort of a number made of the
    three when it fits in 63 bits (it always does for real data), else a sort by each."""
    if not len(cells):
        return np.empty(0, dtype=np.intp)
    first = int(cells.days.min())
    kinds = int(cells.kpi.max()) + 1
    width = int(cells.group.max()) + 1
    if (int(cells.days.max()) - first + 1) * kinds * width >= 1 << 62:
        return np.lexsort((cells.group, cells.kpi, cells.days))
    key = cells.days - first
    key *= kinds
    key += cells.kpi
    key *= width
    key += cells.group
    return np.argsort(key, kind="stable")


@dataclass(frozen=True, eq=False)
class DayTable:
    """Cells sorted by day, KPI and group; ``kpi`` and ``group`` index the sorted name lists.

    ``values`` gives each cell's sum, ``count`` its rows; ``kept`` holds the rows of the KPIs
    whose aggregation needs every value (``Needs.values``), in no particular order.
    """

    cells: _Cells
    kept: LongTable
    kpi_names: tuple[str, ...]
    group_names: tuple[str, ...]
    extra: Extra = ()
    needs: Needs = field(default_factory=Needs)

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def days(self) -> Days:
        """Each cell's day."""
        return self.cells.days.view("datetime64[D]")

    @property
    def kpi(self) -> Codes:
        return self.cells.kpi

    @property
    def group(self) -> Codes:
        return self.cells.group

    @property
    def count(self) -> Counts:
        """How many rows each cell sums up."""
        return self.cells.count

    @property
    def values(self) -> Values:
        """Each cell's sum, correctly rounded."""
        sums = exactsum.totals(self.cells.limbs)
        remainders: dict[int, int] = {}
        for day, kpi, group, remainder in self.extra:
            at = self._find(day, kpi, group)
            remainders[at] = remainders.get(at, 0) + remainder
        for at, remainder in remainders.items():
            sums[at] = exactsum.total(self.cells.limbs[at].tolist(), remainder)
        return sums

    def _find(self, day: int, kpi: int, group: int) -> int:
        cells = self.cells
        hits = np.flatnonzero((cells.days == day) & (cells.kpi == kpi) & (cells.group == group))
        return int(hits[0])

    def kpi_rows(self) -> Counts:
        """How many rows each KPI has."""
        return np.bincount(self.kpi, weights=self.count, minlength=len(self.kpi_names)).astype(
            np.int64
        )

    def until(self, day: date) -> DayTable:
        """The cells and rows dated on or before a day."""
        last = day.toordinal() - _EPOCH_ORDINAL
        keep = self.cells.days <= last
        if keep.all():
            return self
        return DayTable(
            cells=self.cells.take(keep),
            kept=self.kept.until(day),
            kpi_names=self.kpi_names,
            group_names=self.group_names,
            extra=tuple(item for item in self.extra if item[0] <= last),
            needs=self.needs,
        )

    def keys(self) -> npt.NDArray[np.int64]:
        """Each cell's (day, KPI, group) as one number, in the cells' (ascending) order."""
        return _packed(self.cells.days, self.cells.kpi, self.cells.group, self)

    def without(self, keys: npt.NDArray[np.int64]) -> DayTable:
        """The table without the cells (and kept rows) of these keys (``keys()`` numbers)."""
        if not len(keys):
            return self
        cells = self.cells
        kept = self.kept
        keep = ~np.isin(self.keys(), keys)
        kept_days = kept.days.view(np.int64)
        kept_keys = _packed(kept_days, kept.kpi, kept.group, self)
        dropped = {int(k) for k in keys.tolist()}
        return DayTable(
            cells=cells.take(keep),
            kept=kept.take(~np.isin(kept_keys, keys)),
            kpi_names=self.kpi_names,
            group_names=self.group_names,
            extra=tuple(
                item for item in self.extra if _packed_one(item[0], item[1], item[2]) not in dropped
            ),
            needs=self.needs,
        )

    def describe(self, key: int) -> tuple[date, str, str]:
        """The day, KPI and group of a ``keys()`` number."""
        at = int(np.searchsorted(self.keys(), key))
        cells = self.cells
        day = date.fromordinal(_EPOCH_ORDINAL + int(cells.days[at]))
        return day, self.kpi_names[cells.kpi[at]], self.group_names[cells.group[at]]


# (day, KPI, group) packed into one number: days from 1800 on take 18 bits (to 2517).
_FIRST = date(1800, 1, 1).toordinal() - _EPOCH_ORDINAL
_GROUP_BITS = 31
_KPI_BITS = 14


def _packed(
    days: npt.NDArray[np.int64], kpi: Codes, group: Codes, table: DayTable
) -> npt.NDArray[np.int64]:
    if len(table.kpi_names) >= 1 << _KPI_BITS:  # pragma: no cover - a config allows far fewer
        raise ValueError("too many KPIs")
    key = days - _FIRST
    key <<= _KPI_BITS
    key += kpi
    key <<= _GROUP_BITS
    key += group
    return key


def _packed_one(day: int, kpi: int, group: int) -> int:
    return ((((day - _FIRST) << _KPI_BITS) + kpi) << _GROUP_BITS) + group


class DayBuilder:
    """Cells gathered batch by batch; ``table()`` gives the sorted DayTable.

    Rows come with their KPI as a code into ``kpi_names`` and their group as a code into the
    labels given to ``groups`` so far.
    """

    def __init__(self, kpi_names: Sequence[str], wants: Needs) -> None:
        self.kpi_names = tuple(kpi_names)
        self.wants = wants
        flags = [(n in wants.extremes, n in wants.values, n in wants.nps) for n in kpi_names]
        flag = np.array(flags, dtype=bool).reshape(len(self.kpi_names), 3)
        self._extremes, self._values, self._nps = flag[:, 0], flag[:, 1], flag[:, 2]
        self._labels: dict[str, int] = {}
        self._pending: list[_Cells] = []
        self._pending_size = 0
        self._merged = _Cells.empty()
        self._kept: list[LongTable] = []
        self._extra: list[tuple[int, int, int, int]] = []
        self._grid: _Grid | None = None

    def groups(self, labels: Iterable[str]) -> Codes:
        """The builder's code of each group label (new labels are numbered on)."""
        codes = [self._labels.setdefault(label, len(self._labels)) for label in labels]
        return np.array(codes, dtype=np.int32)

    def add(
        self,
        days: npt.NDArray[np.int64],
        kpi: Codes,
        group: Codes,
        values: Values,
    ) -> None:
        """Take rows: days since 1970-01-01, KPI codes, group codes (``groups``), values.

        Rows are added in place to a dense grid of cells, kept from batch to batch while their
        days and groups fit in it (rows in no order: one grid for the whole file); a batch
        that does not fit puts the grid's cells aside and starts another. A batch whose grid
        would be bigger than its rows (days far apart, many groups) is summed over its own
        distinct cells instead.
        """
        if not len(days):
            return
        kinds, width = len(self.kpi_names), max(len(self._labels), 1)
        first, last = int(days.min()), int(days.max())
        grid = self._grid
        if grid is None or not grid.covers(first, last, width):
            self._put_aside()
            size = (last - first + 1) * kinds * width
            grid = _Grid(first, last, kinds, width) if size <= max(len(days), _DENSE) else None
            self._grid = grid
        extremes, scored = _flagged(self._extremes, kpi), _flagged(self._nps, kpi)
        if grid is not None:
            grid.add(grid.index(days, kpi, group), values, extremes, scored)
        else:
            key = _Grid.key(days - first, kpi, group, kinds, width)
            unique, index = np.unique(key, return_inverse=True)
            sparse = _Grid(first, last, kinds, width, keys=unique)
            sparse.add(index, values, extremes, scored)
            self._take(sparse)
        kept = _flagged(self._values, kpi)
        if kept is not None:
            self._kept.append(
                LongTable(
                    days=days.take(kept).view("datetime64[D]"),
                    kpi=kpi.take(kept).astype(np.int32),
                    group=group.take(kept).astype(np.int32),
                    values=values.take(kept),
                    kpi_names=self.kpi_names,
                    group_names=(),
                )
            )

    def _put_aside(self) -> None:
        """Move the grid's cells to the cells put together later."""
        if self._grid is not None:
            self._take(self._grid)
            self._grid = None

    def _take(self, grid: _Grid) -> None:
        cells, extra = grid.cells()
        self._extra.extend(extra)
        self._pend(cells)

    def _pend(self, cells: _Cells) -> None:
        """Keep cells to be put together with the others, from time to time in one sort."""
        self._pending.append(cells)
        self._pending_size += len(cells)
        if self._pending_size > 2 * len(self._merged) + _DENSE:
            self._compact()

    def add_cells(self, cells: Aggregated) -> None:
        """Take cells a database aggregated (``Aggregated``): each sum as one value, so a
        cell's figures are the database's, put together with any others of the same key."""
        size = len(cells.count)
        if not size:
            return
        limbs, extra = exactsum.add(np.arange(size), cells.sums, size)
        for at, remainder in extra.items():
            self._extra.append(
                (int(cells.days[at]), int(cells.kpi[at]), int(cells.group[at]), remainder)
            )
        extremes = self._extremes[cells.kpi]
        self._pend(
            _Cells(
                days=cells.days.astype(np.int64),
                kpi=cells.kpi.astype(np.int32),
                group=cells.group.astype(np.int32),
                count=cells.count.astype(np.int64),
                limbs=limbs,
                low=np.where(extremes, cells.low, np.inf),
                high=np.where(extremes, cells.high, -np.inf),
                nps=np.where(self._nps[cells.kpi], cells.nps, 0.0),
            )
        )

    def _compact(self) -> None:
        self._merged = _Cells.merged([self._merged, *self._pending])
        self._pending, self._pending_size = [], 0

    def table(self) -> DayTable:
        """The cells sorted by day, KPI and group, the groups renumbered in name order."""
        self._put_aside()
        self._compact()
        cells = self._merged
        labels = list(self._labels) or [""]
        used = np.zeros(len(labels), dtype=bool)
        used[cells.group] = True
        for part in self._kept:
            used[part.group] = True
        names = tuple(sorted(label for label, there in zip(labels, used, strict=True) if there))
        position = {label: code for code, label in enumerate(names)}
        recode = np.array([position.get(label, -1) for label in labels], dtype=np.int32)
        identity = np.arange(len(self.kpi_names), dtype=np.int32)
        kept = _rows(self._kept, self.kpi_names, ())
        return DayTable(
            cells=_Cells.merged([cells.recoded(identity, recode)]),
            kept=LongTable(
                days=kept.days,
                kpi=kept.kpi,
                group=recode[kept.group] if len(kept) else kept.group,
                values=kept.values,
                kpi_names=self.kpi_names,
                group_names=names,
            ),
            kpi_names=self.kpi_names,
            group_names=names,
            extra=tuple((d, k, int(recode[g]), r) for d, k, g, r in self._extra),
            needs=self.wants,
        )


def _flagged(flags: npt.NDArray[np.bool_], kpi: Codes) -> npt.NDArray[np.intp] | None:
    """The positions of the rows whose KPI is flagged; None when there are none."""
    if not flags.any():
        return None
    found = np.flatnonzero(flags.take(kpi))
    return found if len(found) else None


class _Grid:
    """The figures of cells, added to in place. Cell ``i`` is (day, KPI, group) number ``i`` of
    a dense grid from day ``first`` to ``last``, every KPI and ``width`` groups, or, given
    ``keys``, number ``keys[i]`` of that grid (the distinct cells of one batch)."""

    def __init__(
        self,
        first: int,
        last: int,
        kinds: int,
        width: int,
        *,
        keys: npt.NDArray[np.int64] | None = None,
    ) -> None:
        self.first, self.last, self.kinds, self.width = first, last, kinds, width
        self.keys = keys
        size = (last - first + 1) * kinds * width if keys is None else len(keys)
        self.count = np.zeros(size, dtype=np.int64)
        self.limbs = np.zeros((size, exactsum.LIMBS), dtype=np.int64)
        self.low = np.full(size, np.inf)
        self.high = np.full(size, -np.inf)
        self.nps = np.zeros(size)
        self.extra: exactsum.Extra = {}

    @staticmethod
    def key(
        day: npt.NDArray[np.int64], kpi: Codes, group: Codes, kinds: int, width: int
    ) -> npt.NDArray[np.int64]:
        """The grid number of each (day from the first, KPI, group)."""
        key = day * kinds  # a new array
        key += kpi
        key *= width
        key += group
        return key

    def covers(self, first: int, last: int, width: int) -> bool:
        """Whether rows from day ``first`` to ``last`` with ``width`` groups fit in the grid."""
        return (
            self.keys is None and self.first <= first and last <= self.last and width == self.width
        )

    def index(self, days: npt.NDArray[np.int64], kpi: Codes, group: Codes) -> npt.NDArray[np.intp]:
        """Each row's cell (the grid ``covers`` them)."""
        return self.key(days - self.first, kpi, group, self.kinds, self.width)

    def add(
        self,
        index: npt.NDArray[np.intp],
        values: Values,
        extremes: npt.NDArray[np.intp] | None,
        scored: npt.NDArray[np.intp] | None,
    ) -> None:
        """Add rows to their cells: counts, exact sums, the smallest and largest value of the
        rows at ``extremes``, the NPS points of the rows at ``scored`` (positions)."""
        size = len(self.count)
        self.count += np.bincount(index, minlength=size)
        exactsum.add_to(self.limbs, self.extra, index, values)
        if extremes is not None:
            np.minimum.at(self.low, index.take(extremes), values.take(extremes))
            np.maximum.at(self.high, index.take(extremes), values.take(extremes))
        if scored is not None:
            score = values.take(scored)
            points = np.where(score >= 9, 100.0, 0.0) - np.where(score <= 6, 100.0, 0.0)
            self.nps += np.bincount(index.take(scored), weights=points, minlength=size)

    def cells(self) -> tuple[_Cells, list[tuple[int, int, int, int]]]:
        """The cells with rows, in grid order (day, KPI, group), and the remainders of their
        sums (see ``exactsum``) as (day, KPI, group, remainder)."""
        present = np.flatnonzero(self.count)
        number = (present if self.keys is None else self.keys[present]).astype(np.int64)
        group = number % self.width
        number //= self.width
        kpi = number % self.kinds
        number //= self.kinds
        number += self.first
        extra = []
        for at, remainder in self.extra.items():
            here = at if self.keys is None else int(self.keys[at])
            rest, g = divmod(here, self.width)
            day, k = divmod(rest, self.kinds)
            extra.append((day + self.first, k, g, remainder))
        cells = _Cells(
            days=number,
            kpi=kpi.astype(np.int32),
            group=group.astype(np.int32),
            count=self.count[present],
            limbs=self.limbs[present],
            low=self.low[present],
            high=self.high[present],
            nps=self.nps[present],
        )
        return cells, extra


def of_rows(table: LongTable, wants: Needs) -> DayTable:
    """The day table of a table of rows."""
    builder = DayBuilder(table.kpi_names, wants)
    codes = builder.groups(table.group_names)
    days = table.days.view(np.int64)
    step = 1 << 20
    for start in range(0, len(table), step):
        end = start + step
        group = table.group[start:end]
        builder.add(
            days[start:end],
            table.kpi[start:end],
            codes[group] if len(codes) else group,
            table.values[start:end],
        )
    return builder.table()


def merge(tables: Sequence[DayTable]) -> DayTable:
    """The tables together (their KPIs and groups numbered over the union of names); cells of
    the same day, KPI and group are added up."""
    if len(tables) == 1:
        return tables[0]
    if not tables:
        return of_rows(empty_table(), Needs())
    same = unified(tables)
    first = same[0]
    return DayTable(
        cells=_Cells.merged([table.cells for table in same]),
        kept=_rows([table.kept for table in same], first.kpi_names, first.group_names),
        kpi_names=first.kpi_names,
        group_names=first.group_names,
        extra=tuple(item for table in same for item in table.extra),
        needs=Needs(
            extremes=frozenset().union(*(t.needs.extremes for t in tables)),
            values=frozenset().union(*(t.needs.values for t in tables)),
            nps=frozenset().union(*(t.needs.nps for t in tables)),
        ),
    )


def unified(tables: Sequence[DayTable]) -> list[DayTable]:
    """The tables with their KPIs and groups numbered over the union of names."""
    kpi_names = tuple(sorted(set().union(*(t.kpi_names for t in tables))))
    group_names = tuple(sorted(set().union(*(t.group_names for t in tables))))
    found = []
    for table in tables:
        if table.kpi_names == kpi_names and table.group_names == group_names:
            found.append(table)
            continue
        kpi = _recode(table.kpi_names, kpi_names)
        group = _recode(table.group_names, group_names)
        kept = table.kept
        found.append(
            DayTable(
                cells=_Cells.merged([table.cells.recoded(kpi, group)]),
                kept=LongTable(
                    days=kept.days,
                    kpi=kpi[kept.kpi] if len(kept) else kept.kpi,
                    group=group[kept.group] if len(kept) else kept.group,
                    values=kept.values,
                    kpi_names=kpi_names,
                    group_names=group_names,
                ),
                kpi_names=kpi_names,
                group_names=group_names,
                extra=tuple((d, int(kpi[k]), int(group[g]), r) for d, k, g, r in table.extra),
                needs=table.needs,
            )
        )
    return found


def _rows(
    parts: Sequence[LongTable], kpi_names: tuple[str, ...], group_names: tuple[str, ...]
) -> LongTable:
    """Tables of rows already numbered alike, one after another."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return LongTable(
            days=np.empty(0, dtype="datetime64[D]"),
            kpi=np.empty(0, dtype=np.int32),
            group=np.empty(0, dtype=np.int32),
            values=np.empty(0, dtype=np.float64),
            kpi_names=kpi_names,
            group_names=group_names,
        )
    return LongTable(
        days=np.concatenate([p.days for p in parts]),
        kpi=np.concatenate([p.kpi for p in parts]),
        group=np.concatenate([p.group for p in parts]),
        values=np.concatenate([p.values for p in parts]),
        kpi_names=kpi_names,
        group_names=group_names,
    )


def _recode(names: Sequence[str], union: Sequence[str]) -> Codes:
    position = {name: code for code, name in enumerate(union)}
    return np.array([position[name] for name in names], dtype=np.int32)
