"""Generate realistic long KPI exports for the benchmarks: date, team, participant, kpi, value.

Two years of daily rows (2024-11-01 to 2026-10-31, sorted by date as exports are) for 2,000
participants in six teams and nine metrics, one of which (``Avg. engagement time``) matches no
configured KPI, as in real exports. Levels drift slowly, have a weekly rhythm and noise; the
Marketing team's sessions and leads rise after the programme starts in January 2026, so the
benchmark report has real trends and benefits to compute. The same rows and seed always give the
same file. Rows are made and written a chunk at a time, so 10M rows need little memory.

    python -m benchmarks.generate --rows 1000000 benchmarks/data/long_1m.csv
    python -m benchmarks.generate --rows 10000000 benchmarks/data/long_10m.parquet
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

COLUMNS = ("date", "team", "participant", "kpi", "value")
FIRST_DAY = date(2024, 11, 1)
DAYS = 730
PROGRAMME_START = date(2026, 1, 12)
TEAMS = ("Marketing", "Sales", "Support", "Product", "Operations", "Finance")
PARTICIPANTS = 2000
CHUNK_ROWS = 1_000_000


@dataclass(frozen=True)
class Metric:
    """One metric of the export: its name, share of the rows and how its values look."""

    name: str
    share: float
    level: float  # mean value of one row
    noise: float  # standard deviation, as a fraction of the level
    decimals: int  # 0: whole numbers
    low: float
    high: float


METRICS = (
    Metric("Organic sessions", 0.22, 120.0, 0.35, 0, 0, 1e9),
    Metric("Qualified leads", 0.12, 6.0, 0.5, 0, 0, 1e9),
    Metric("Customers", 0.08, 1.5, 0.8, 0, 0, 1e9),
    Metric("Cost per lead", 0.10, 42.0, 0.2, 2, 5, 1e9),
    Metric("Satisfaction", 0.08, 4.1, 0.2, 0, 1, 5),
    Metric("Recommend", 0.08, 8.0, 0.25, 0, 0, 10),
    Metric("Course completions", 0.10, 1.0, 0.0, 0, 1, 1),
    Metric("Quiz score", 0.10, 72.0, 0.15, 1, 0, 100),
    Metric("Avg. engagement time", 0.12, 55.0, 0.3, 1, 0, 1e9),
)
_UPLIFT = {"Organic sessions": 0.25, "Qualified leads": 0.30}  # Marketing, after the start
_TEAM_SCALE = np.array([1.3, 1.0, 0.7, 0.9, 0.6, 0.5])
_WEEKDAY_SCALE = np.array([1.1, 1.15, 1.1, 1.05, 1.0, 0.8, 0.7])  # Monday first


def dates_text() -> list[str]:
    """Every day of the export, ISO-formatted."""
    return [(FIRST_DAY + timedelta(days=i)).isoformat() for i in range(DAYS)]


def participants_text() -> list[str]:
    """The participants' ids, ``P00001`` onwards."""
    return [f"P{i + 1:05d}" for i in range(PARTICIPANTS)]


def _chunk(
    rows: int, first: int, total: int, rng: np.random.Generator, *, parquet: bool
) -> pa.Table:
    """Rows ``first`` to ``first + rows`` of a ``total``-row export, spread evenly over the days."""
    day = (np.arange(first, first + rows, dtype=np.int64) * DAYS // total).astype(np.int32)
    participant = rng.integers(0, PARTICIPANTS, rows, dtype=np.int32)
    team = (participant % len(TEAMS)).astype(np.int32)
    shares = np.array([m.share for m in METRICS])
    kpi = rng.choice(len(METRICS), rows, p=shares / shares.sum()).astype(np.int32)
    values = np.empty(rows, dtype=np.float64)
    weekday = (day + FIRST_DAY.weekday()) % 7
    years = day / 365.0
    after = day >= (PROGRAMME_START - FIRST_DAY).days
    for index, metric in enumerate(METRICS):
        rows_of = kpi == index
        count = int(rows_of.sum())
        mean = metric.level * np.ones(count)
        if metric.decimals == 0 and metric.high > 10:  # counts: scale by team, day and drift
            mean *= _TEAM_SCALE[team[rows_of]] * _WEEKDAY_SCALE[weekday[rows_of]]
            mean *= 1 + 0.05 * years[rows_of]
            uplift = _UPLIFT.get(metric.name, 0.0)
            mean *= 1 + uplift * (after[rows_of] & (team[rows_of] == 0))
        drawn = mean * (1 + metric.noise * rng.standard_normal(count))
        values[rows_of] = np.clip(np.round(drawn, metric.decimals), metric.low, metric.high)
    first_day = (FIRST_DAY - date(1970, 1, 1)).days
    dates = (
        pa.array(day + first_day, type=pa.date32())
        if parquet
        else _dictionary(day, dates_text()).cast(pa.string())
    )
    return pa.table(
        {
            "date": dates,
            "team": _dictionary(team, list(TEAMS)),
            "participant": _dictionary(participant, participants_text()),
            "kpi": _dictionary(kpi, [m.name for m in METRICS]),
            "value": pa.array(values),
        }
    )


def _dictionary(indices: npt.NDArray[np.int32], names: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(names))


def generate(path: Path, rows: int, *, seed: int = 0) -> Path:
    """Write a ``rows``-row long export to ``path``: CSV, or Parquet (typed dates) for ``.parquet``.

    The file appears whole or not at all (written aside, then renamed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    parquet = path.suffix == ".parquet"
    rng = np.random.default_rng(seed)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        for first in range(0, rows, CHUNK_ROWS):
            table = _chunk(min(CHUNK_ROWS, rows - first), first, rows, rng, parquet=parquet)
            if writer is None:
                writer = _writer(handle, table.schema, parquet=parquet)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    partial.replace(path)
    return path


def _writer(
    handle: BinaryIO, schema: pa.Schema, *, parquet: bool
) -> pq.ParquetWriter | pacsv.CSVWriter:
    if parquet:
        return pq.ParquetWriter(handle, schema)
    handle.write((",".join(COLUMNS) + "\n").encode())  # Arrow would quote the names
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    return pacsv.CSVWriter(handle, schema, write_options=options)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m benchmarks.generate --rows N PATH``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="file to write (.csv or .parquet)")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.path, args.rows, seed=args.seed)


if __name__ == "__main__":
    main()
