"""The aggregation roicli asks of a database, compiled for six dialects without any server:
what each query groups by, what it computes, its date and KPI filters as bound parameters, and
every name from the config quoted as an identifier."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from roicli.config import Source
from roicli.enums import Aggregation
from roicli.ingest import sqlquery as q

pytest.importorskip("duckdb_engine")


def _dialects() -> dict[str, Dialect]:
    import duckdb_engine
    import sqlalchemy_bigquery
    from snowflake.sqlalchemy import snowdialect
    from trino.sqlalchemy.dialect import TrinoDialect

    return {
        "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
        "duckdb": duckdb_engine.Dialect(),
        "sqlite": sqlite.dialect(),
        "bigquery": sqlalchemy_bigquery.BigQueryDialect(),
        "snowflake": snowdialect.SnowflakeDialect(),
        "trino": TrinoDialect(),  # type: ignore[no-untyped-call]
    }


DIALECTS = _dialects()
AS_OF = date(2026, 2, 28)
# Names a config may give: a reserved word, a quote mark, a space, an attempt at injection.
COLUMNS = {"date": "day", "kpi": "select", "value": 'va"lue', "group": "team; DROP TABLE x"}


def _source(**keys: Any) -> Source:
    found = {"url": "x://h", "columns": COLUMNS, **keys}
    if "query" not in found:
        found["table"] = "kpi daily"
    return Source.model_validate(found)


def _shape(dialect: Dialect) -> q.Shape:
    return q.Shape(
        dialect=dialect.name,
        date=COLUMNS["date"],
        group=COLUMNS["group"],
        kpi=COLUMNS["kpi"],
        value=COLUMNS["value"],
    )


def _quoted(dialect: Dialect, name: str) -> str:
    return str(dialect.identifier_preparer.quote(name))


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_long_cells_ask_for_one_row_per_day_kpi_and_group(name: str) -> None:
    dialect = DIALECTS[name]
    wants = q.Wants(sum=True, extremes=True, nps=True)
    compiled = q.long_cells(_shape(dialect), _source(), wants, AS_OF).compile(dialect=dialect)
    sql = str(compiled)
    day = "date(" if name == "sqlite" else "CAST("
    kpi, group = _quoted(dialect, "select"), _quoted(dialect, "team; DROP TABLE x")
    value = _quoted(dialect, 'va"lue')
    grouping = sql.split("GROUP BY")[1]
    assert grouping.strip().startswith(day)  # the day, then the group and the KPI
    assert grouping.index(group) < grouping.index(kpi)
    for aggregate in ("count", "sum", "min", "max"):
        assert f"{aggregate}(" in sql
        assert f"{value}) AS" in sql.split(f"{aggregate}(", 1)[1].split("\n")[0]
    assert "CASE WHEN" in sql  # the NPS points
    # The date and the KPI names are bound parameters, never text in the SQL.
    assert compiled.params["as_of"] == AS_OF
    assert "kpis" in compiled.params
    assert "2026" not in sql
    # Every name from the config is a quoted identifier.
    assert _quoted(dialect, "kpi daily") in sql
    assert sql.count("DROP TABLE") == sql.count(group)


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_the_other_queries_in_every_dialect(name: str) -> None:
    dialect = DIALECTS[name]
    shape = _shape(dialect)
    names = str(q.kpi_names(shape, _source(), AS_OF).compile(dialect=dialect))
    assert "GROUP BY" in names
    assert "count(" not in names
    values = q.long_values(shape, _source(), AS_OF).compile(dialect=dialect)
    grouping = str(values).split("GROUP BY")[1]
    assert grouping.rstrip().endswith(_quoted(dialect, 'va"lue'))  # day, group, KPI, value
    assert set(values.params) == {"as_of", "kpis"}
    wide = q.Shape(dialect=dialect.name, date="day", group=None)
    columns = [("Leads", q.Wants()), ("NPS", q.Wants.of([Aggregation.NPS]))]
    sql = str(q.wide_cells(wide, _source(), columns, None).compile(dialect=dialect))
    assert f"sum({_quoted(dialect, 'Leads')})" in sql.replace(
        f"{_quoted(dialect, 'kpi daily')}.", ""
    )
    assert "AS n_0" in sql.replace(dialect.identifier_preparer.initial_quote, "")
    assert "AS points_1" in sql.replace(dialect.identifier_preparer.initial_quote, "")


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_a_query_is_wrapped_whole(name: str) -> None:
    dialect = DIALECTS[name]
    query = "SELECT * FROM events WHERE note = ' :not_a_parameter' AND kind LIKE 'a%';"
    compiled = q.long_cells(_shape(dialect), _source(query=query), q.Wants(), AS_OF).compile(
        dialect=dialect
    )
    sql = str(compiled)
    written = query.rstrip(";")
    if dialect.paramstyle in ("format", "pyformat"):
        written = written.replace("%", "%%")  # the driver's escape, undone when sent
    assert f"FROM ({written}) AS " in sql
    assert set(compiled.params) == {"as_of", "kpis"}


def test_wants_of_each_aggregation() -> None:
    assert q.Wants.of([Aggregation.COUNT]) == q.Wants(sum=False)  # answers may be text
    assert q.Wants.of([Aggregation.COUNT, Aggregation.SUM]) == q.Wants()
    assert q.Wants.of([Aggregation.LAST]) == q.Wants(extremes=True)
    assert q.Wants.of([Aggregation.MIN, Aggregation.NPS]) == q.Wants(extremes=True, nps=True)


def test_a_name_bigquery_cannot_quote_is_found() -> None:
    bigquery = DIALECTS["bigquery"]
    assert q.unquotable(bigquery, {"table": "events", "columns.kpi": "a`b"}) == (
        "columns.kpi",
        "a`b",
    )
    assert q.unquotable(bigquery, {"table": 'a"b'}) is None
    assert q.unquotable(DIALECTS["postgresql"], {"table": 'a"b`c'}) is None  # doubled: safe


@given(st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=30))
def test_any_column_name_stays_one_identifier(text: str) -> None:
    # The same query with the name and with a plain placeholder differ only by the quoted
    # name: no piece of it ever becomes SQL.
    name = 'Q "' + text  # a name PostgreSQL must quote

    def compiled(column: str) -> str:
        shape = q.Shape(dialect="postgresql", date=column, group=None, kpi="k", value="v")
        statement = q.long_cells(shape, _source(), q.Wants(), AS_OF)
        return str(statement.compile(dialect=DIALECTS["postgresql"]))

    placeholder = '"placeholder"'
    quoted = _quoted(DIALECTS["postgresql"], name)
    assert compiled(name).replace(quoted, placeholder) == compiled("placeholder").replace(
        "placeholder", placeholder
    ).replace('""placeholder""', placeholder)
