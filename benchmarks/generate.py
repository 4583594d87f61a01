"""Generate realistic long KPI exports for the benchmarks: date, team, participant, kpi, value.

Two years of daily rows (2024-11-01 to 2026-10-31, sorted by date as exports are) for 2,000
participants in six teams and nine metrics, one of which (``Avg. engagement time``) matches no
configured KPI, as in real exports. Levels drift slowly, have a weekly rhythm and noise; the
Marketing team's sessions and leads rise after the programme starts in January 2026, so the
benchmark report has real trends and benefits to compute. The same rows and seed always give the
same file. Rows are made and written a chunk at a time, so 10M rows need little memory.

    python -m benchmarks.generate --rows 1000000 benchmarks/data/long_1m.csv
    python -m benchmarks.generate --rows 10000000 benchmarks/data/long_10m.parquet
    python -m benchmarks.generate --rows 10000000 --shuffle benchmarks/data/long_10m_shuffled.csv
    python -m benchmarks.generate --rows 100000000 --partitions benchmarks/data/long_100m

``--shuffle`` writes the same rows in a random order (as a CRM ordered by team, or files
concatenated, would); it holds the whole table in memory to do so (about 2 GiB at 10M rows).
``--partitions`` writes a folder of Parquet files, one per month (``month=2024-11/part-0.parquet``,
as a warehouse partitions a dataset), a chunk at a time.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
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


def generate(path: Path, rows: int, *, seed: int = 0, shuffle: bool = False) -> Path:
    """Write a ``rows``-row long export to ``path``: CSV, or Parquet (typed dates) for ``.parquet``.

    The file appears whole or not at all (written aside, then renamed).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    parquet = path.suffix == ".parquet"
    rng = np.random.default_rng(seed)
    chunks: Iterator[pa.Table] = (
        _chunk(min(CHUNK_ROWS, rows - first), first, rows, rng, parquet=parquet)
        for first in range(0, rows, CHUNK_ROWS)
    )
    if shuffle:
        chunks = _shuffled(list(chunks), np.random.default_rng(seed + 1))
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        for table in chunks:
            if writer is None:
                writer = _writer(handle, table.schema, parquet=parquet)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    partial.replace(path)
    return path


def _shuffled(chunks: list[pa.Table], rng: np.random.Generator) -> Iterator[pa.Table]:
    """The chunks' rows in a random order, a chunk at a time."""
    whole = pa.concat_tables(chunks).unify_dictionaries().combine_chunks()
    order = rng.permutation(whole.num_rows)
    for first in range(0, whole.num_rows, CHUNK_ROWS):
        yield whole.take(pa.array(order[first : first + CHUNK_ROWS]))


def generate_partitions(folder: Path, rows: int, *, seed: int = 0) -> Path:
    """Write a ``rows``-row export as Parquet files, one per month of its dates.

    The rows are made a chunk at a time in date order, so each month's file is written while
    its rows come and closed when the next month starts. The folder appears whole or not at all.
    """
    rng = np.random.default_rng(seed)
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | None = None
    month = ""
    for first in range(0, rows, CHUNK_ROWS):
        table = _chunk(min(CHUNK_ROWS, rows - first), first, rows, rng, parquet=True)
        days = table.column("date").cast(pa.string()).to_pylist()
        starts = [0] + [i for i in range(1, len(days)) if days[i][:7] != days[i - 1][:7]]
        for start, end in zip(starts, [*starts[1:], len(days)], strict=True):
            if days[start][:7] != month:
                if writer is not None:
                    writer.close()
                month = days[start][:7]
                target = partial / f"month={month}" / "part-0.parquet"
                target.parent.mkdir(exist_ok=True)
                writer = pq.ParquetWriter(target, table.schema)
            assert writer is not None
            writer.write_table(table.slice(start, end - start))
    if writer is not None:
        writer.close()
    partial.replace(folder)
    return folder


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
    parser.add_argument("path", type=Path, help="file to write (.csv or .parquet), or folder")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shuffle", action="store_true", help="rows in a random order")
    parser.add_argument("--partitions", action="store_true", help="a folder of monthly Parquet")
    args = parser.parse_args(argv)
    if args.partitions:
        generate_partitions(args.path, args.rows, seed=args.seed)
    else:
        generate(args.path, args.rows, seed=args.seed, shuffle=args.shuffle)


if __name__ == "__main__":
    main()
