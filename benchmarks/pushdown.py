"""A million rows in PostgreSQL aggregated by the server (roicli receives one row per day, KPI
and group) against the same rows read from a CSV export by roicli.

    python -m benchmarks.pushdown [--rows 1000000] [--repeat 5]

Starts a throw-away PostgreSQL server (tests/pg.py: Debian's initdb and pg_ctl, on a socket in
a temporary folder), generates the rows server-side with ``generate_series`` (60 days, 2
metrics, 3 teams), copies them to a CSV, then times ``load_sources`` (the source read into the
day table) and ``aggregate`` (the day table to months) for each, alternating, and prints the
medians. Measured, not asserted: the test suite checks the figures, not the time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from roicli.config import Kpi, Source
from roicli.enums import Aggregation, Period
from roicli.ingest import load_sources
from roicli.periods import aggregate

KPIS = {"leads": Kpi(aggregation=Aggregation.SUM), "cost": Kpi(aggregation=Aggregation.MEAN)}
COLUMNS = {"date": "day", "kpi": "metric", "value": "value", "group": "team"}
AS_OF = date(2026, 3, 31)


def _timed(source: Source) -> tuple[float, int]:
    """Seconds to read the source and aggregate it to months; the rows received."""
    start = time.perf_counter()
    data = load_sources([source], KPIS, as_of=AS_OF)
    aggregate(data.table, KPIS, Period.MONTH)
    received = data.audits[0].detected.get("rows_received")
    return time.perf_counter() - start, int(received or data.audits[0].rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    import psycopg
    from tests import pg

    missing = pg.missing()
    if missing is not None:
        raise SystemExit(f"cannot start PostgreSQL here: {missing}")
    with pg.running() as server, tempfile.TemporaryDirectory() as folder:
        per_day = -(-options.rows // 60)
        server.execute(
            f"CREATE TABLE big AS SELECT date '2026-01-01' + (i / {per_day}) AS day, "
            "CASE WHEN i % 2 = 0 THEN 'leads' ELSE 'cost' END AS metric, "
            "chr(65 + i % 3) AS team, (i % 10)::numeric AS value "
            f"FROM generate_series(0, {options.rows - 1}) AS i"
        )
        export = Path(folder) / "big.csv"
        dsn = server.url().replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn) as db, export.open("wb") as handle:
            copy = "COPY big TO STDOUT WITH (FORMAT csv, HEADER)"
            with db.cursor().copy(copy) as stream:
                for chunk in stream:
                    handle.write(chunk)
        os.environ["ROICLI_BENCH_URL"] = server.url()
        database = Source.model_validate(
            {"url_env": "ROICLI_BENCH_URL", "table": "big", "columns": COLUMNS}
        )
        csv = Source.model_validate({"path": export, "columns": COLUMNS})
        times: dict[str, list[float]] = {"postgresql": [], "csv": []}
        received: dict[str, int] = {}
        for _ in range(options.repeat):
            for name, source in (("postgresql", database), ("csv", csv)):
                seconds, rows = _timed(source)
                times[name].append(seconds)
                received[name] = rows
        size = export.stat().st_size / (1 << 20)
    print(f"{options.rows:,} rows ({size:.0f} MiB as CSV), medians of {options.repeat} runs:")
    print("| source | rows roicli receives | read + aggregate to months |")
    print("|---|--:|--:|")
    for name in ("postgresql", "csv"):
        median = statistics.median(times[name])
        print(f"| {name} | {received[name]:,} | {median:.2f} s |")


if __name__ == "__main__":
    main()
