"""The queries roicli sends to a database, built with SQLAlchemy Core (so each dialect gets its
own SQL) and never from text: names from the config are identifiers SQLAlchemy quotes, a
``query:`` is wrapped whole as a subquery, and dates and KPI names are bound parameters.

The database does the heavy part: one row per day, KPI and group with what the KPIs'
aggregations need (the count, sum, smallest and largest value, NPS points). A median or a
distinct count of a month cannot be made from daily figures, so for those KPIs the database
sends each day's distinct values with how often each occurs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from roicli.enums import Aggregation

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.elements import ColumnElement
    from sqlalchemy.sql.selectable import FromClause

    from roicli.config import Source

DAY, KPI, GROUP, COUNT, TOTAL, LOW, HIGH, POINTS, VALUE, ROWS = (
    "day",
    "kpi",
    "grp",
    "n",
    "total",
    "low",
    "high",
    "points",
    "value",
    "n_rows",
)
Query = Any  # a Select: SQLAlchemy's typing of a select of computed columns says nothing more
# Aggregations the database can reduce to one row per day, KPI and group.
BY_VALUE = frozenset({Aggregation.MEDIAN, Aggregation.NUNIQUE})


@dataclass(frozen=True)
class Wants:
    """Which figures a query asks of each cell (the count always)."""

    sum: bool = True
    extremes: bool = False  # min and max
    nps: bool = False

    @staticmethod
    def of(aggregations: Sequence[Aggregation]) -> Wants:
        """What cells of KPIs with these aggregations need. Counted answers (count) may be
        text, so their sum is asked only beside KPIs that add values up."""
        found = set(aggregations)
        return Wants(
            sum=bool(found - {Aggregation.COUNT}),
            extremes=bool(found & {Aggregation.MIN, Aggregation.MAX, Aggregation.LAST}),
            nps=Aggregation.NPS in found,
        )


def relation(source: Source, columns: Sequence[str] = ()) -> FromClause:
    """The source as a FROM clause: its table (schema-qualified, quoted as needed), or its
    ``query:`` run as given, inside a subquery with these columns."""
    if source.table is not None:
        return sa.table(source.table, *(sa.column(name) for name in columns), schema=source.schema_)
    assert source.query is not None  # validated with the config
    # Every colon escaped: a ":name" in the query is the user's text, not a bind parameter.
    text = source.query.strip().rstrip(";").replace(":", r"\:")
    return sa.text(text).columns(*(sa.column(name) for name in columns)).subquery("source")


def unquotable(dialect: Dialect, names: Mapping[str, str | None]) -> tuple[str, str] | None:
    """The first (key, name) holding a quote mark the dialect does not escape (BigQuery's
    backtick), which would end the identifier; None when every name is safe."""
    preparer = dialect.identifier_preparer
    mark = preparer.initial_quote
    if preparer.escape_quote == mark:
        return None  # the dialect doubles its quote mark inside a name: any name is safe
    for key, name in names.items():
        if name is not None and mark in name:
            return key, name
    return None


def probe(source: Source) -> Query:
    """No rows, only the columns: what a table or query holds."""
    return sa.select(sa.literal_column("*")).select_from(relation(source)).limit(0)


def day_of(column: ColumnElement[object], dialect: str) -> ColumnElement[object]:
    """A date, timestamp or ISO text column as a day. SQLite has no date type: its date()
    reads ISO text and gives ISO text."""
    if dialect == "sqlite":
        return sa.func.date(column)
    return sa.cast(column, sa.Date)


def _until(day: ColumnElement[object], as_of: date | None) -> list[ColumnElement[bool]]:
    """The days the analysis uses: those up to its as-of date. Rows without a day (a NULL,
    or text SQLite cannot read as a date) are kept: they come back as cells without a day,
    which the reader refuses, so that no row is dropped unseen."""
    if as_of is None:
        return []
    return [sa.or_(day <= sa.bindparam("as_of", as_of, type_=sa.Date), day.is_(None))]


def _aggregates(value: ColumnElement[object], wants: Wants, suffix: str = "") -> list[Any]:
    parts: list[Any] = [sa.func.count(value).label(COUNT + suffix)]
    if wants.sum:
        parts.append(sa.func.sum(value).label(TOTAL + suffix))
    if wants.extremes:
        parts += [sa.func.min(value).label(LOW + suffix), sa.func.max(value).label(HIGH + suffix)]
    if wants.nps:
        # Promoters (9-10) count +100, detractors (0-6) -100: the mean is the NPS.
        points = sa.case(
            (value >= sa.literal(9), sa.literal(100)),
            (value <= sa.literal(6), sa.literal(-100)),
            else_=sa.literal(0),
        )
        parts.append(sa.func.sum(points).label(POINTS + suffix))
    return parts


@dataclass(frozen=True)
class Shape:
    """The columns a source's rows are read from (see ``Columns``) and the dialect's name."""

    dialect: str
    date: str
    group: str | None
    kpi: str | None = None
    value: str | None = None


def _keys(shape: Shape, source: FromClause) -> tuple[ColumnElement[Any], list[Any]]:
    day = day_of(source.c[shape.date], shape.dialect)
    keys: list[Any] = [day.label(DAY)]
    if shape.group is not None:
        keys.append(source.c[shape.group].label(GROUP))
    return day, keys


def _grouping(shape: Shape, day: ColumnElement[object], source: FromClause) -> list[Any]:
    return [day, *([source.c[shape.group]] if shape.group is not None else [])]


def _columns(shape: Shape, extra: Sequence[str] = ()) -> list[str]:
    named = [shape.date, shape.group, shape.kpi, shape.value, *extra]
    return list(dict.fromkeys(name for name in named if name is not None))


def kpi_names(shape: Shape, source: Source, as_of: date | None) -> Query:
    """The distinct KPI names of a long table (roicli matches them as a file's)."""
    assert shape.kpi is not None
    rows = relation(source, _columns(shape))
    day = day_of(rows.c[shape.date], shape.dialect)
    kpi = rows.c[shape.kpi]
    return sa.select(kpi.label(KPI)).where(*_until(day, as_of)).group_by(kpi).order_by(kpi)


def long_cells(shape: Shape, source: Source, wants: Wants, as_of: date | None) -> Query:
    """One row per day, KPI name and group of a long table: the KPIs named in the bound
    parameter ``kpis``."""
    assert shape.kpi is not None
    assert shape.value is not None
    rows = relation(source, _columns(shape))
    day, keys = _keys(shape, rows)
    kpi = rows.c[shape.kpi]
    return (
        sa.select(*keys, kpi.label(KPI), *_aggregates(rows.c[shape.value], wants))
        .where(
            *_until(day, as_of), kpi.in_(sa.bindparam("kpis", expanding=True, type_=sa.String()))
        )
        .group_by(*_grouping(shape, day, rows), kpi)
    )


def long_values(shape: Shape, source: Source, as_of: date | None) -> Query:
    """Each day's distinct values per KPI name and group, with how often each occurs: for the
    medians and distinct counts of the KPIs named in the bound parameter ``kpis``."""
    assert shape.kpi is not None
    assert shape.value is not None
    rows = relation(source, _columns(shape))
    day, keys = _keys(shape, rows)
    kpi, value = rows.c[shape.kpi], rows.c[shape.value]
    return (
        sa.select(*keys, kpi.label(KPI), value.label(VALUE), sa.func.count().label(COUNT))
        .where(
            *_until(day, as_of),
            kpi.in_(sa.bindparam("kpis", expanding=True, type_=sa.String())),
            value.is_not(None),
        )
        .group_by(*_grouping(shape, day, rows), kpi, value)
    )


def wide_cells(
    shape: Shape, source: Source, columns: Sequence[tuple[str, Wants]], as_of: date | None
) -> Query:
    """One row per day and group of a wide table, with each KPI column's figures (suffixed
    with the column's position in ``columns``) and the count of rows."""
    rows = relation(source, _columns(shape, [name for name, _ in columns]))
    day, keys = _keys(shape, rows)
    figures = [
        part
        for at, (name, wants) in enumerate(columns)
        for part in _aggregates(rows.c[name], wants, f"_{at}")
    ]
    return (
        sa.select(*keys, *figures, sa.func.count().label(ROWS))
        .where(*_until(day, as_of))
        .group_by(*_grouping(shape, day, rows))
    )


def wide_values(shape: Shape, source: Source, column: str, as_of: date | None) -> Query:
    """Each day's distinct values of one KPI column per group, with how often each occurs."""
    rows = relation(source, _columns(shape, [column]))
    day, keys = _keys(shape, rows)
    value = rows.c[column]
    return (
        sa.select(*keys, value.label(VALUE), sa.func.count().label(COUNT))
        .where(*_until(day, as_of), value.is_not(None))
        .group_by(*_grouping(shape, day, rows), value)
    )
