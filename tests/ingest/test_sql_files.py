"""SQLite and DuckDB files as sources, read the way a PostgreSQL server is: the same figures
as the CSV of the same rows, a folder of Parquet exports through DuckDB, and the failures."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sqlrows import KPIS, LONG_ROWS, config_with, report, without_sources, write_csv
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import Kpi, Source
from roicli.enums import Aggregation, Period
from roicli.errors import DataError
from roicli.ingest import load_sources
from roicli.periods import aggregate, period_of

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("duckdb_engine")

AS_OF = date(2026, 2, 28)
COLUMNS = {"date": "day", "kpi": "metric", "value": "value", "group": "team"}


def _sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi_long (day TEXT, metric TEXT, team TEXT, value REAL)")
        db.executemany("INSERT INTO kpi_long VALUES (?, ?, ?, ?)", LONG_ROWS)
    return path


def _duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE TABLE kpi_long (day DATE, metric VARCHAR, team VARCHAR, value DOUBLE)")
        db.executemany("INSERT INTO kpi_long VALUES (?, ?, ?, ?)", LONG_ROWS)
    return path


def _figures(sources: list[Source], base: Path) -> dict[str, object]:
    data = load_sources(sources, KPIS, as_of=AS_OF, base=base)
    months = aggregate(data.table.until(AS_OF), KPIS, Period.MONTH)
    return {"totals": months.totals, "by_group": months.by_group, "rows": months.rows}


@pytest.mark.parametrize(("make", "url"), [(_sqlite, "sqlite"), (_duckdb, "duckdb")])
def test_figures_equal_the_csv_of_the_same_rows(make: object, url: str, tmp_path: Path) -> None:
    assert callable(make)
    make(tmp_path / f"kpis.{url}")
    # A relative database path starts at the config's folder (``base``), not the current one.
    source = Source.model_validate(
        {"url": f"{url}:///kpis.{url}", "table": "kpi_long", "columns": COLUMNS}
    )
    csv = Source.model_validate({"path": write_csv(tmp_path / "rows.csv"), "columns": COLUMNS})
    from_db = _figures([source], tmp_path)
    assert from_db == _figures([csv], tmp_path)
    january, february = (period_of(date(2026, month, 1), Period.MONTH) for month in (1, 2))
    assert from_db["totals"]["leads"].values == {january: 45.0, february: 12.0}  # type: ignore[index]


def test_the_cli_gives_the_csv_report_from_a_sqlite_and_a_duckdb_file(tmp_path: Path) -> None:
    folders = {name: tmp_path / name for name in ("csv", "sqlite", "duckdb")}
    for folder in folders.values():
        folder.mkdir()
    data = write_csv(folders["csv"] / "rows.csv")
    _sqlite(folders["sqlite"] / "kpis.sqlite")
    _duckdb(folders["duckdb"] / "kpis.duckdb")
    runs = {
        "csv": report(config_with(folders["csv"], f"  - path: {data}")),
        **{
            name: report(
                config_with(folders[name], f"  - url: {name}:///kpis.{name}\n    table: kpi_long")
            )
            for name in ("sqlite", "duckdb")
        },
    }
    for run in runs.values():
        assert run.exit_code == 0, run.output
    expected = without_sources(runs["csv"].stdout)
    assert without_sources(runs["sqlite"].stdout) == expected
    assert without_sources(runs["duckdb"].stdout) == expected


def test_duckdb_reads_a_folder_of_parquet_exports(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    exports = tmp_path / "exports"
    exports.mkdir()
    half = len(LONG_ROWS) // 2
    for part, rows in enumerate((LONG_ROWS[:half], LONG_ROWS[half:])):
        columns = list(zip(*rows, strict=True))
        table = pa.table(
            {
                "day": pa.array([date.fromisoformat(day) for day in columns[0]]),
                "metric": pa.array(columns[1]),
                "team": pa.array(columns[2]),
                "value": pa.array([float(value) for value in columns[3]]),
            }
        )
        pq.write_table(table, exports / f"part-{part}.parquet")
    source = Source.model_validate(
        {
            "url": "duckdb:///:memory:",
            "query": "SELECT * FROM read_parquet('exports/*.parquet')",
            "columns": COLUMNS,
        }
    )
    csv = Source.model_validate({"path": write_csv(tmp_path / "rows.csv"), "columns": COLUMNS})
    assert _figures([source], tmp_path) == _figures([csv], tmp_path)


def test_a_missing_database_file_is_not_created(tmp_path: Path) -> None:
    source = Source.model_validate(
        {"url": "sqlite:///missing.sqlite", "table": "kpi_long", "columns": COLUMNS}
    )
    with pytest.raises(DataError) as caught:
        load_sources([source], KPIS, base=tmp_path)
    assert str(caught.value).endswith(
        "missing.sqlite: sources[0]: database file not found (check sources[0].url (a relative "
        "path starts at the config file's folder))"
    )
    assert not (tmp_path / "missing.sqlite").exists()


def test_sqlite_is_interrupted_at_the_timeout(tmp_path: Path) -> None:
    _sqlite(tmp_path / "kpis.sqlite")
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
        "SELECT day, metric, team, value FROM kpi_long, (SELECT max(i) FROM n)"
    )
    source = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "query": endless, "timeout": 0.3, "columns": COLUMNS}
    )
    with pytest.raises(DataError) as caught:
        load_sources([source], KPIS, base=tmp_path)
    assert str(caught.value) == (
        "sqlite:///kpis.sqlite: sources[0]: the query ran longer than timeout: 0.3 s and was "
        "stopped (raise the source's timeout:, or give the database an index or a narrower table)"
    )


def test_a_missing_table_in_sqlite(tmp_path: Path) -> None:
    _sqlite(tmp_path / "kpis.sqlite")
    source = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "table": "kpi_lnog", "columns": COLUMNS}
    )
    with pytest.raises(DataError) as caught:
        load_sources([source], KPIS, base=tmp_path)
    assert str(caught.value) == (
        "sqlite:///kpis.sqlite: sources[0]: no such table: kpi_lnog (check the source's table: "
        "and schema:, or its query:)"
    )


def test_without_sqlalchemy_one_line_says_what_to_install(tmp_path: Path) -> None:
    config = config_with(tmp_path, "  - url: sqlite:///kpis.sqlite\n    table: kpi_long")
    code = (
        "import sys; sys.modules['sqlalchemy'] = None; from roicli.cli import main; "
        f"sys.argv = ['roicli', 'check', '-c', {str(config)!r}, '--as-of', '2026-02-28']; main()"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 2
    assert completed.stderr == (
        "roicli: error: sources[0]: reading a database needs SQLAlchemy, which is not installed "
        "(install roicli[postgres] for PostgreSQL, roicli[duckdb] for DuckDB, or roicli[sql] and "
        "your database's SQLAlchemy dialect)\n"
    )


def test_every_report_file_lists_the_queries_sent(tmp_path: Path) -> None:
    _sqlite(tmp_path / "kpis.sqlite")
    config = config_with(tmp_path, "  - url: sqlite:///kpis.sqlite\n    table: kpi_long")
    outputs = [tmp_path / f"report.{suffix}" for suffix in ("json", "md", "html", "xlsx")]
    run = report(config, extra=[arg for path in outputs for arg in ("-o", str(path))])
    assert run.exit_code == 0, run.output
    sources = json.loads(outputs[0].read_text(encoding="utf-8"))["audit"]["sources"]
    statements = sources[0]["sql"]
    # The read-only pragma, the columns, the KPI names, the cells, the medians' values.
    assert statements[0] == "PRAGMA query_only = ON"
    assert statements[1] == "SELECT * FROM kpi_long LIMIT 0 OFFSET 0"
    cells = statements[3]
    assert cells.startswith("SELECT date(kpi_long.day) AS day, kpi_long.team AS grp")
    assert (
        "WHERE (date(kpi_long.day) <= '2026-02-28' OR date(kpi_long.day) IS NULL) "
        "AND kpi_long.metric IN ("
    ) in cells
    assert cells in outputs[1].read_text(encoding="utf-8").replace("\\", "")
    assert "Queries sent to databases" in outputs[2].read_text(encoding="utf-8")
    book = openpyxl.load_workbook(outputs[3], read_only=True)
    found = {
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert cells in found


def test_a_wide_table_with_a_median_and_counted_answers_equals_its_csv(tmp_path: Path) -> None:
    # Per day: a wait time (median over the month) and a text answer (distinct answers).
    rows = [
        ("2026-01-02", "A", 1.0, "Agree"),
        ("2026-01-02", "A", 5.0, "Agree"),
        ("2026-01-03", "A", 2.0, "Disagree"),
        ("2026-01-04", "B", 10.0, "Agree"),
        ("2026-01-04", "B", None, None),
    ]
    with sqlite3.connect(tmp_path / "kpis.sqlite") as db:
        db.execute("CREATE TABLE survey (day TEXT, team TEXT, wait REAL, answer TEXT)")
        db.executemany("INSERT INTO survey VALUES (?, ?, ?, ?)", rows)
    lines = ["day,team,wait,answer"]
    lines += [",".join("" if cell is None else str(cell) for cell in row) for row in rows]
    (tmp_path / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kpis = {
        "wait": Kpi(aggregation=Aggregation.MEDIAN),
        "answer": Kpi(aggregation=Aggregation.NUNIQUE),
    }
    wide = {"layout": "wide", "columns": {"date": "day", "group": "team"}}
    database = Source.model_validate({"url": "sqlite:///kpis.sqlite", "table": "survey", **wide})
    export = Source.model_validate({"path": tmp_path / "survey.csv", **wide})
    found = [
        aggregate(load_sources([source], kpis, base=tmp_path).table, kpis, Period.MONTH)
        for source in (database, export)
    ]
    january = period_of(date(2026, 1, 1), Period.MONTH)
    assert found[0].shown("wait").values == {january: 3.5}  # median of 1, 2, 5, 10
    assert found[0].shown("answer").values == {january: 2.0}  # Agree, Disagree
    assert found[0].shown("answer", "A").values == {january: 2.0}
    assert found[0].totals == found[1].totals
    assert found[0].by_group == found[1].by_group


def test_the_fingerprint_follows_the_rows_received_not_their_order(tmp_path: Path) -> None:
    _sqlite(tmp_path / "kpis.sqlite")
    source = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "table": "kpi_long", "columns": COLUMNS}
    )

    def fingerprint() -> str:
        return load_sources([source], KPIS, as_of=AS_OF, base=tmp_path).audits[0].sha256

    first = fingerprint()
    with sqlite3.connect(tmp_path / "kpis.sqlite") as db:  # the same rows, stored reversed
        db.execute("CREATE TABLE copy AS SELECT * FROM kpi_long ORDER BY rowid DESC")
        db.execute("DROP TABLE kpi_long")
        db.execute("ALTER TABLE copy RENAME TO kpi_long")
    assert fingerprint() == first
    with sqlite3.connect(tmp_path / "kpis.sqlite") as db:
        db.execute("UPDATE kpi_long SET value = 11 WHERE value = 10 AND metric = 'leads'")
    assert fingerprint() != first
    assert len(first) == 64


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ("2026-01-05", "low", "A", "abc"),
            "columns.value: the database sent 'abc' where a number was expected (map the value "
            "column to a number column, or cast it in a query:)",
        ),
        (
            (2026, "leads", "A", 1),  # SQLite's date() reads a number as a Julian day
            "columns.date: cannot read '-4707-06-11' as a day (map the date column to a date, "
            "timestamp or ISO text (YYYY-MM-DD) column)",
        ),
    ],
)
def test_a_value_the_day_table_cannot_take_is_one_line(
    row: tuple[object, ...], expected: str, tmp_path: Path
) -> None:
    with sqlite3.connect(tmp_path / "kpis.sqlite") as db:
        db.execute("CREATE TABLE kpi_long (day, metric TEXT, team TEXT, value)")
        db.execute("INSERT INTO kpi_long VALUES (?, ?, ?, ?)", row)
    source = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "table": "kpi_long", "columns": COLUMNS}
    )
    with pytest.raises(DataError) as caught:
        load_sources([source], KPIS, base=tmp_path)
    assert str(caught.value) == f"sqlite:///kpis.sqlite: sources[0].{expected}"


_ROWS = st.lists(
    st.tuples(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31)),
        st.sampled_from(sorted(KPIS)),
        st.sampled_from(["A", "B", " C "]),
        st.integers(min_value=-1000, max_value=100_000).map(lambda cents: cents / 100),
    ),
    min_size=1,
    max_size=60,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_ROWS)
def test_any_rows_give_the_csv_figures_from_sqlite(
    rows: list[tuple[date, str, str, float]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    with sqlite3.connect(folder / "kpis.sqlite") as db:
        db.execute("CREATE TABLE kpi_long (day TEXT, metric TEXT, team TEXT, value REAL)")
        db.executemany(
            "INSERT INTO kpi_long VALUES (?, ?, ?, ?)",
            [(day.isoformat(), kpi, team, value) for day, kpi, team, value in rows],
        )
    lines = ["day,metric,team,value"]
    lines += [f"{day},{kpi},{team},{value!r}" for day, kpi, team, value in rows]
    (folder / "rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    database = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "table": "kpi_long", "columns": COLUMNS}
    )
    export = Source.model_validate({"path": folder / "rows.csv", "columns": COLUMNS})
    found, expected = (_figures([source], folder) for source in (database, export))
    assert found["rows"] == expected["rows"]
    for part in ("totals", "by_group"):
        got, want = found[part], expected[part]
        assert isinstance(got, dict)
        assert isinstance(want, dict)
        assert got.keys() == want.keys()
        for key, series in want.items():
            # SQLite adds doubles in its own order: the sums agree to the last few bits
            assert got[key].values == pytest.approx(series.values, rel=1e-12, abs=1e-9)


def test_the_history_records_the_url_and_the_rows_fingerprint(tmp_path: Path) -> None:
    _sqlite(tmp_path / "kpis.sqlite")
    config = config_with(tmp_path, "  - url: sqlite:///kpis.sqlite\n    table: kpi_long")
    run = CliRunner().invoke(
        app, ["report", "-c", str(config), "--as-of", "2026-02-28", "--format", "json", "-q"]
    )
    assert run.exit_code == 0, run.output
    (source,) = json.loads(run.stdout)["audit"]["sources"]
    with sqlite3.connect(tmp_path / ".roicli" / "history.sqlite") as db:
        inputs = db.execute("SELECT path, sha256 FROM inputs ORDER BY path").fetchall()
    assert inputs == [
        ("roicli.yaml", inputs[0][1]),
        ("sqlite:///kpis.sqlite (table kpi_long)", source["sha256"]),
    ]


@pytest.mark.parametrize("written", [None, "31/01/2026", "soon"])
@pytest.mark.parametrize("metric", ["leads", "wait"])  # summed in the database, or by value
def test_a_row_without_a_readable_date_is_refused_not_dropped(
    written: str | None, metric: str, tmp_path: Path
) -> None:
    # SQLite's date() gives NULL for text it cannot read: without a check the row would fall
    # out of every figure unseen, where a file's row would be named.
    _sqlite(tmp_path / "kpis.sqlite")
    with sqlite3.connect(tmp_path / "kpis.sqlite") as db:
        db.execute("INSERT INTO kpi_long VALUES (?, ?, 'A', 3)", (written, metric))
    source = Source.model_validate(
        {"url": "sqlite:///kpis.sqlite", "table": "kpi_long", "columns": COLUMNS}
    )
    for as_of in (AS_OF, None):
        with pytest.raises(DataError) as caught:
            load_sources([source], KPIS, as_of=as_of, base=tmp_path)
        assert str(caught.value).endswith(
            "sources[0].columns.date: some rows have no date, or one the database cannot read "
            "as a date (fill in those dates (YYYY-MM-DD), or leave the rows out with a query: "
            "… WHERE <date column> IS NOT NULL)"
        )
