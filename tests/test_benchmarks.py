"""The benchmark tools on small generated files: the generator, the config, one report by hand.

Functional only: no timing is asserted (timings belong to ``python -m benchmarks.run``).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from benchmarks.generate import (
    COLUMNS,
    DAYS,
    FIRST_DAY,
    METRICS,
    PROGRAMME_START,
    generate,
    generate_partitions,
)
from benchmarks.run import (
    AS_OF,
    PEERS,
    PEERS_VENV,
    Process,
    Result,
    Startup,
    measure,
    verdicts,
    write_config,
)

ROWS = 1000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1k-row CSV export."""
    return generate(tmp_path_factory.mktemp("bench") / "long_1k.csv", ROWS)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generated_export_is_a_sorted_long_table_of_every_metric(export: Path) -> None:
    rows = read_rows(export)
    assert len(rows) == ROWS
    assert tuple(rows[0]) == COLUMNS
    days = [date.fromisoformat(row["date"]) for row in rows]
    assert days == sorted(days)
    assert days[0] == FIRST_DAY
    assert (days[-1] - FIRST_DAY).days < DAYS
    assert set(Counter(row["kpi"] for row in rows)) == {metric.name for metric in METRICS}
    for metric in METRICS:
        values = [float(row["value"]) for row in rows if row["kpi"] == metric.name]
        assert all(metric.low <= value <= metric.high for value in values), metric.name
        if metric.decimals == 0:
            assert all(value.is_integer() for value in values), metric.name


def test_each_participant_stays_in_one_team(export: Path) -> None:
    teams: dict[str, set[str]] = {}
    for row in read_rows(export):
        teams.setdefault(row["participant"], set()).add(row["team"])
    assert all(len(found) == 1 for found in teams.values())


def test_same_seed_same_bytes_other_seed_other_bytes(export: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again.csv", ROWS)
    other = generate(tmp_path / "other.csv", ROWS, seed=1)
    assert again.read_bytes() == export.read_bytes()
    assert other.read_bytes() != export.read_bytes()
    assert not list(tmp_path.glob("*.partial"))


def test_parquet_holds_the_same_rows_with_typed_dates(export: Path, tmp_path: Path) -> None:
    table = pq.read_table(generate(tmp_path / "long_1k.parquet", ROWS))
    assert str(table.schema.field("date").type) == "date32[day]"
    rows = read_rows(export)
    assert table.num_rows == len(rows)
    dates = [day.isoformat() for day in table.column("date").to_pylist()]
    assert dates == [row["date"] for row in rows]
    assert table.column("kpi").to_pylist() == [row["kpi"] for row in rows]
    assert table.column("value").to_pylist() == [float(row["value"]) for row in rows]


def test_report_on_a_generated_export_matches_the_file_worked_by_hand(export: Path) -> None:
    config = write_config(export, "long_1k_csv")
    assert config.parent == export.parent
    roicli = Path(sys.executable).with_name("roicli")
    completed = subprocess.run(
        [str(roicli), "report", "-c", str(config), "--as-of", AS_OF, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)

    # June 2025's organic sessions over all teams: the sum of that month's rows.
    rows = read_rows(export)
    june = sum(
        float(row["value"])
        for row in rows
        if row["kpi"] == "Organic sessions" and row["date"].startswith("2025-06")
    )
    sessions = next(kpi for kpi in report["kpis"] if kpi["name"] == "organic_sessions")
    assert next(p["value"] for p in sessions["periods"] if p["period"] == "2025-06") == june

    # seo-traffic's baseline: the mean of Marketing's monthly sums, October to December 2025
    # (a month without a Marketing row is a gap, not a zero).
    sums: dict[str, float] = {}
    for row in rows:
        if row["kpi"] == "Organic sessions" and row["team"] == "Marketing":
            month = row["date"][:7]
            if "2025-10" <= month <= "2025-12":
                sums[month] = sums.get(month, 0.0) + float(row["value"])
    objective = next(o for o in report["programs"][0]["objectives"] if o["id"] == "seo-traffic")
    assert objective["baseline"] == pytest.approx(sum(sums.values()) / len(sums))
    assert report["programs"][0]["start"] == PROGRAMME_START.isoformat()
    assert report["audit"]["sources"][0]["rows"] == ROWS - sum(
        row["kpi"] == "Avg. engagement time" for row in rows
    )


def test_measure_reports_time_and_peak_memory() -> None:
    process = measure([sys.executable, "-c", "bytearray(50 * 2**20)"])
    assert process.seconds > 0
    assert process.peak_mib >= 50
    with pytest.raises(SystemExit, match="failed"):
        measure([sys.executable, "-c", "raise SystemExit(3)"])


def test_verdicts_name_each_target_met_or_missed() -> None:
    def result(size: str, fmt: str, seconds: dict[str, float], peak: float) -> Result:
        return Result(
            export=f"long_{size}_{fmt}",
            size=size,
            fmt=fmt,
            rows=1,
            file_mib=1.0,
            seconds=seconds,
            peak_mib=dict.fromkeys(seconds, peak),
            stages={},
            load=0.1,
        )

    startup = Startup(help_s=0.13, bare_typer_help_s=0.1, pandas_imported={"schema": False})
    results = [
        result("1m", "csv", {"roicli": 1.2, "pandas.read_csv": 1.0}, 500),
        result("10m", "shuffled", {"roicli": 2.4, "polars": 2.5, "duckdb": 1.5}, 1000),
        result("100m", "dataset", {"roicli": 20.0, "duckdb": 10.0}, 1600),
    ]
    assert verdicts(results, startup) == [
        "long_1m_csv ≤ 1.3× pandas.read_csv: 1.20× met",
        "long_10m_shuffled ≤ 1.0× polars: 0.96× met",
        "long_10m_shuffled ≤ 1.5× duckdb: 1.60× MISSED",
        "long_10m_shuffled peak < 1.0 GiB: 0.98 GiB met",
        "long_100m_dataset peak < 1.5 GiB: 1.56 GiB MISSED",
        "roicli --help ≤ 1.2× bare Typer: 1.30× MISSED",
        "roicli schema imports pandas: no, met",
    ]
    assert Process(1.0, 2.0).peak_mib == 2.0


def test_a_shuffled_export_holds_the_same_rows_in_another_order(
    export: Path, tmp_path: Path
) -> None:
    shuffled = read_rows(generate(tmp_path / "shuffled.csv", ROWS, shuffle=True))
    rows = read_rows(export)
    assert shuffled != rows
    key = lambda row: tuple(row.values())  # noqa: E731
    assert sorted(shuffled, key=key) == sorted(rows, key=key)


def test_partitions_are_one_parquet_file_per_month(export: Path, tmp_path: Path) -> None:
    folder = generate_partitions(tmp_path / "dataset", ROWS)
    files = sorted(folder.rglob("*.parquet"))
    months = sorted({row["date"][:7] for row in read_rows(export)})
    assert [f.relative_to(folder).as_posix() for f in files] == [
        f"month={month}/part-0.parquet" for month in months
    ]
    first = pq.read_table(files[0])
    assert {day.isoformat()[:7] for day in first.column("date").to_pylist()} == {months[0]}
    assert sum(pq.read_metadata(f).num_rows for f in files) == ROWS


def peers() -> Path:
    """The peers' interpreter; the test is skipped when their virtual environment is absent
    (``python -m benchmarks.run`` makes it, with network access)."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        pytest.skip(f"DuckDB and polars are not installed in {PEERS_VENV}")
    return python


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_each_peer_gives_the_reports_monthly_sums(peer: str, export: Path) -> None:
    python = peers()
    done = subprocess.run(
        [str(python), str(PEERS[peer]), str(export)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = list(csv.DictReader(done.stdout.splitlines()))
    june = [
        row
        for row in found
        if row["kpi"] == "Organic sessions" and not row["team"] and row["month"][:7] == "2025-06"
    ]
    rows = read_rows(export)
    expected = sum(
        float(row["value"])
        for row in rows
        if row["kpi"] == "Organic sessions" and row["date"].startswith("2025-06")
    )
    assert [float(row["total"]) for row in june] == [expected]


def test_pushdown_benchmark_receives_one_row_per_day_kpi_and_group(repo: Path) -> None:
    from tests import pg
    from tests.conftest import TOOL_MISSING

    missing = pg.missing()
    if missing is not None:
        pytest.skip(f"{TOOL_MISSING} {missing}")
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.pushdown", "--rows", "6000", "--repeat", "1"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("6,000 rows (")
    # 100 rows a day over 60 days, 2 metrics and 3 teams: 360 cells, after the 2 names
    assert lines[3].startswith("| postgresql | 362 | ")
    assert lines[4].startswith("| csv | 6,000 | ")
