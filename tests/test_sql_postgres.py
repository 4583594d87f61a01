"""Database sources against a real PostgreSQL server the tests start (tests/pg.py): monthly
figures worked by hand from a long and a wide table, the same report as the CSV of the same
rows, a million rows aggregated by the server, and every failure as one line."""

from __future__ import annotations

import glob
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests import pg
from tests.conftest import TOOL_MISSING
from tests.pg import PASSWORD, Server
from tests.sqlrows import KPIS, LONG_ROWS, config_with, report, without_sources, write_csv
from typer.testing import Result

from roicli.config import Kpi, Source
from roicli.enums import Aggregation, Period
from roicli.ingest import load_sources
from roicli.periods import aggregate, period_of

JAN, FEB, MAR = (period_of(date(2026, m, 1), Period.MONTH) for m in (1, 2, 3))
AS_OF = date(2026, 2, 28)

COLUMNS = {"date": "day", "kpi": "metric", "value": "value", "group": "team"}


@pytest.fixture(scope="module")
def kpi_long(postgres: Server) -> str:
    postgres.execute(
        "CREATE TABLE kpi_long (day date, metric text, team text, value numeric)",
        "INSERT INTO kpi_long VALUES (%s, %s, %s, %s)",
        rows=LONG_ROWS,
    )
    return "kpi_long"


@pytest.fixture(autouse=True)
def url_env(postgres: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's URL, password included, where the sources' url_env: names it."""
    monkeypatch.setenv("ROICLI_TEST_URL", postgres.url())


def _sql(postgres: Server, **keys: Any) -> Source:
    return Source.model_validate({"url_env": "ROICLI_TEST_URL", "columns": COLUMNS, **keys})


def test_long_table_monthly_figures_by_hand(postgres: Server, kpi_long: str) -> None:
    data = load_sources([_sql(postgres, table=kpi_long)], KPIS, as_of=AS_OF)
    months = aggregate(data.table, KPIS, Period.MONTH)
    # leads: 10 + 30 + 5 in January, 12 in February; the 1000 of March is after the as-of date
    assert months.shown("leads").values == {JAN: 45.0, FEB: 12.0}
    assert months.shown("leads", "A").values == {JAN: 40.0, FEB: 12.0}
    assert months.shown("cost").values == {JAN: 60.0}  # (100 + 50 + 30) / 3
    assert months.shown("cost", "A").values == {JAN: 75.0}  # (100 + 50) / 2
    assert months.shown("stock").values == {JAN: 9.0}  # 31 Jan: the larger of 9 (A) and 4 (B)
    assert months.shown("stock", "A").values == {JAN: 9.0}
    assert months.shown("wait").values == {JAN: 3.5}  # median of 1, 2, 5, 10 = (2 + 5) / 2
    assert months.shown("wait", "A").values == {JAN: 2.0}  # median of 1, 2, 5
    assert months.shown("visitors").values == {JAN: 2.0}  # {7, 8}
    assert months.shown("visitors", "B").values == {JAN: 1.0}  # {8}
    # recommend: 10 and 9 promoters, 3 a detractor, 7 passive: (2 - 1) / 4 = 25 points
    assert months.shown("recommend").values == {JAN: 25.0}
    assert months.shown("low").values == {JAN: 3.0}
    assert months.shown("high").values == {JAN: 8.0}
    (audit,) = data.audits
    assert audit.unmatched == ("Bounce rate",)
    assert audit.rows == 27 - 1  # every row of a configured KPI up to the as-of date
    assert audit.detected["engine"] == "postgresql"
    # The SQL sent, values written in, and no password.
    sent = "\n".join(audit.sql)
    assert "SET TRANSACTION READ ONLY" in sent
    assert "GROUP BY CAST(kpi_long.day AS DATE), kpi_long.team, kpi_long.metric" in sent
    assert "<= '2026-02-28'" in sent
    assert "'  qualified LEADS '" in sent
    assert PASSWORD not in sent
    assert PASSWORD not in audit.path


def test_long_table_rows_received_at_most_one_per_day_kpi_and_group(
    postgres: Server, kpi_long: str
) -> None:
    data = load_sources([_sql(postgres, table=kpi_long)], KPIS, as_of=AS_OF)
    (audit,) = data.audits
    # 10 distinct names (the alias's spelling and "Bounce rate" among them); cells of the 6
    # KPIs aggregated by day: leads 4 (Jan 5 A, Jan 20 A, Jan 31 B, Feb 2 A), cost 3, stock 3,
    # recommend 2, low 2, high 2 = 16; the medians' and distinct counts' (value, count) per
    # day: wait 4 (1 and 5 on Jan 2; 2; 10), visitors 3 (7 and 8 on Jan 6; 8 on Jan 7).
    assert audit.detected["rows_received"] == 10 + 16 + 4 + 3


def test_same_report_as_the_csv_of_the_same_rows(
    postgres: Server, kpi_long: str, tmp_path: Path
) -> None:
    data = write_csv(tmp_path / "rows.csv")
    (tmp_path / "csv").mkdir()
    (tmp_path / "sql").mkdir()
    from_csv = report(config_with(tmp_path / "csv", f"  - path: {data}"))
    from_sql = report(
        config_with(tmp_path / "sql", "  - url_env: ROICLI_TEST_URL\n    table: kpi_long"),
        env={"ROICLI_TEST_URL": postgres.url()},
    )
    assert from_csv.exit_code == 0, from_csv.output
    assert from_sql.exit_code == 0, from_sql.output
    assert without_sources(from_sql.stdout) == without_sources(from_csv.stdout)
    (source,) = json.loads(from_sql.stdout)["audit"]["sources"]
    assert source["detected"]["format"] == "sql"
    assert source["sql"]


WIDE_ROWS = [
    # day (a timestamp), team, Leads, "select" (a reserved word), 'we"ird' (a quote)
    ("2026-01-05 09:30", "A", 10, 2.5, 1),
    ("2026-01-05 17:00", "A", 20, 1.5, 4),
    ("2026-01-06 08:00", "B", 7, None, 2),
    ("2026-02-01 12:00", "Total", 37, 4, 7),  # a total row, left out as a file's would be
    ("2026-02-03 12:00", "B", 3, 6, 9),
]


def test_wide_table_with_awkward_column_names(postgres: Server, tmp_path: Path) -> None:
    postgres.execute(
        'CREATE TABLE "kpi wide" (stamp timestamp, team text, "Leads" int, "select" numeric, '
        '"we""ird" int, "Unrelated" int)',
        'INSERT INTO "kpi wide" (stamp, team, "Leads", "select", "we""ird") '
        "VALUES (%s, %s, %s, %s, %s)",
        rows=WIDE_ROWS,
    )
    kpis = {
        "leads": Kpi(aggregation=Aggregation.SUM),
        "select": Kpi(aggregation=Aggregation.MEAN),
        'we"ird': Kpi(aggregation=Aggregation.MAX),
    }
    source = Source.model_validate(
        {
            "url_env": "ROICLI_TEST_URL",
            "table": "kpi wide",
            "layout": "wide",
            "columns": {"date": "stamp", "group": "team"},
        }
    )
    data = load_sources([source], kpis, as_of=AS_OF)
    months = aggregate(data.table, kpis, Period.MONTH)
    assert months.shown("leads").values == {JAN: 37.0, FEB: 3.0}  # 10 + 20 + 7 ; 3
    assert months.shown("leads", "A").values == {JAN: 30.0}
    assert months.shown("select").values == {JAN: 2.0, FEB: 6.0}  # (2.5 + 1.5) / 2: no null
    assert months.shown('we"ird').values == {JAN: 4.0, FEB: 9.0}
    (audit,) = data.audits
    assert audit.excluded_rows == 3  # the total row's three values
    assert audit.unmatched == ("Unrelated",)
    # one row per day and team: (Jan 5, A), (Jan 6, B), (Feb 1, Total), (Feb 3, B)
    assert audit.detected["rows_received"] == 4
    assert '"we""ird"' in audit.sql[-1]
    assert 'max("kpi wide"."we""ird")' in audit.sql[-1]


def test_a_million_rows_are_aggregated_by_the_server(postgres: Server) -> None:
    # 1,000,000 rows over 60 days (16,667 a day), 2 metrics and 3 teams: 360 cells.
    postgres.execute(
        "CREATE TABLE big AS SELECT date '2026-01-01' + (i / 16667) AS day, "
        "CASE WHEN i % 2 = 0 THEN 'leads' ELSE 'cost' END AS metric, "
        "chr(65 + i % 3) AS team, (i % 10)::numeric AS value "
        "FROM generate_series(0, 999999) AS i"
    )
    kpis = {"leads": Kpi(aggregation=Aggregation.SUM), "cost": Kpi(aggregation=Aggregation.MEAN)}
    data = load_sources([_sql(postgres, table="big")], kpis, as_of=date(2026, 3, 31))
    (audit,) = data.audits
    assert audit.rows == 1_000_000
    # 2 names, then at most one row per day, KPI and group: 60 × 2 × 3
    assert audit.detected["rows_received"] == 2 + 360
    assert len(data.table) == 360
    months = aggregate(data.table, kpis, Period.MONTH)
    # leads are the even i: 100,000 each of the last digits 0, 2, 4, 6, 8: 2,000,000 in all
    assert sum(months.shown("leads").values.values()) == 2_000_000
    # cost, the odd i: every day's mean of 1, 3, 5, 7, 9 in equal numbers (±1 row) is about 5
    assert all(abs(value - 5) < 0.01 for value in months.shown("cost").values.values())


def _error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_wrong_password_is_one_line_without_it(postgres: Server, tmp_path: Path) -> None:
    config = config_with(tmp_path, "  - url_env: ROICLI_TEST_URL\n    table: kpi_long")
    wrong = "Wr0ng-PassW0rd-%40"
    line = _error(report(config, env={"ROICLI_TEST_URL": postgres.url(password=wrong)}))
    assert line.startswith("roicli: error: postgresql+psycopg://roicli:***@/kpis?host=%2F")
    assert "sources[0]: cannot log in: " in line
    assert 'password authentication failed for user "roicli"' in line
    assert "check the URL's user, host and database" in line
    assert "Wr0ng" not in line
    assert PASSWORD not in line


def test_missing_column_names_the_columns_there(
    postgres: Server, kpi_long: str, tmp_path: Path
) -> None:
    config = config_with(tmp_path, "  - url_env: ROICLI_TEST_URL\n    table: kpi_long")
    config.write_text(config.read_text().replace("value: value", "value: valeu"))
    line = _error(report(config, env={"ROICLI_TEST_URL": postgres.url()}))
    assert line.endswith(
        "sources[0].columns.value: no column 'valeu' in table 'kpi_long' (did you mean "
        "'value'?); its columns: 'day', 'metric', 'team', 'value' (write the column's name as "
        "the database spells it)"
    )


def test_missing_table(postgres: Server, tmp_path: Path) -> None:
    config = config_with(tmp_path, "  - url_env: ROICLI_TEST_URL\n    table: kpi_lnog")
    line = _error(report(config, env={"ROICLI_TEST_URL": postgres.url()}))
    assert line.endswith(
        'sources[0]: relation "kpi_lnog" does not exist (check the source\'s table: and '
        "schema:, or its query:)"
    )


def test_statement_timeout(postgres: Server, kpi_long: str, tmp_path: Path) -> None:
    slow = '"SELECT l.* FROM kpi_long AS l CROSS JOIN (SELECT pg_sleep(5)) AS s"'
    config = config_with(
        tmp_path, f"  - url_env: ROICLI_TEST_URL\n    query: {slow}\n    timeout: 0.5"
    )
    line = _error(report(config, env={"ROICLI_TEST_URL": postgres.url()}))
    assert line.endswith(
        "sources[0]: the query ran longer than timeout: 0.5 s and was stopped (raise the "
        "source's timeout:, or give the database an index or a narrower table)"
    )


def test_a_query_that_writes_is_refused(postgres: Server, kpi_long: str, tmp_path: Path) -> None:
    postgres.execute(
        "CREATE TABLE written (n int)",
        "CREATE FUNCTION bump() RETURNS int LANGUAGE sql VOLATILE "
        "AS 'INSERT INTO written VALUES (1) RETURNING 0'",
    )
    writes = '"SELECT day, metric, team, value + bump() AS value FROM kpi_long"'
    config = config_with(tmp_path, f"  - url_env: ROICLI_TEST_URL\n    query: {writes}")
    line = _error(report(config, env={"ROICLI_TEST_URL": postgres.url()}))
    assert line.endswith(
        "sources[0]: the query tried to write, which roicli refuses (cannot execute INSERT in a "
        "read-only transaction) (give roicli a query that only reads)"
    )
    import psycopg

    with psycopg.connect(postgres.url().replace("postgresql+psycopg", "postgresql")) as db:
        assert db.execute("SELECT count(*) FROM written").fetchone() == (0,)


def test_a_query_source_is_wrapped_not_concatenated(postgres: Server, kpi_long: str) -> None:
    # A query with a colon, a percent sign and a trailing semicolon runs as written.
    query = (
        "SELECT day, metric, team, value FROM kpi_long "
        "WHERE metric LIKE 'lead%' OR metric = 'a:b' OR metric LIKE '%LEADS%';"
    )
    data = load_sources([_sql(postgres, query=query)], KPIS, as_of=AS_OF)
    months = aggregate(data.table, KPIS, Period.MONTH)
    assert months.shown("leads").values == {JAN: 45.0, FEB: 12.0}
    assert "cost" not in months.totals
    assert (
        "FROM (SELECT day, metric, team, value FROM kpi_long WHERE metric LIKE 'lead%' OR"
        in (data.audits[0].sql[-1])
    )


def test_the_server_starts_with_its_binaries_off_path(
    postgres: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Debian's package leaves initdb and pg_ctl under /usr/lib/postgresql/N/bin only.
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pytest.skip(f"{TOOL_MISSING} /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    found = pg.binaries()
    assert found is not None
    assert all(str(path).startswith("/usr/lib/postgresql/") for path in found)
    with pg.running() as other:
        other.execute(
            "CREATE TABLE t (day date, metric text, team text, value int)",
            "INSERT INTO t VALUES (%s, %s, %s, %s)",
            rows=[("2026-01-01", "leads", "A", 2), ("2026-01-02", "leads", "A", 3)],
        )
        monkeypatch.setenv("ROICLI_OTHER_URL", other.url())
        source = Source.model_validate(
            {"url_env": "ROICLI_OTHER_URL", "table": "t", "columns": COLUMNS}
        )
        data = load_sources([source], KPIS, as_of=AS_OF)
    assert aggregate(data.table, KPIS, Period.MONTH).shown("leads").values == {JAN: 5.0}  # 2 + 3
