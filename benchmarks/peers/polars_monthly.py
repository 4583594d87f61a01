"""The same monthly aggregation as ``monthly.sql``, in polars (lazy), printed as CSV.

    peers-venv/bin/python benchmarks/peers/polars_monthly.py EXPORT

EXPORT is a CSV file, a Parquet file or a folder of Parquet files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl  # type: ignore[import-not-found, unused-ignore]

KPIS = (
    "Organic sessions",
    "Qualified leads",
    "Customers",
    "Cost per lead",
    "Satisfaction",
    "Recommend",
    "Course completions",
    "Quiz score",
)


def scan(path: Path) -> pl.LazyFrame:
    """The export, lazily."""
    if path.is_dir():
        return pl.scan_parquet(path / "**" / "*.parquet")
    if path.suffix == ".parquet":
        return pl.scan_parquet(path)
    return pl.scan_csv(
        path,
        schema={
            "date": pl.Date,
            "team": pl.Categorical,
            "participant": pl.Categorical,
            "kpi": pl.Categorical,
            "value": pl.Float64,
        },
    )


def main() -> None:
    rows = (
        scan(Path(sys.argv[1]))
        .select("date", "team", "kpi", "value")
        .filter(pl.col("kpi").cast(pl.String).is_in(KPIS))
        .with_columns(month=pl.col("date").dt.truncate("1mo"))
    )
    value, kpi = pl.col("value"), pl.col("kpi")
    points = pl.when(value >= 9).then(100).when(value <= 6).then(-100).otherwise(0)
    figures = [
        pl.len().alias("rows"),
        value.sum().alias("total"),
        value.filter(kpi == "Quiz score").median().alias("median"),
        points.filter(kpi == "Recommend").mean().alias("nps"),
    ]
    by_team = rows.group_by("kpi", "team", "month").agg(figures)
    total = rows.group_by("kpi", "month").agg(figures).with_columns(team=pl.lit(None))
    teams, totals = pl.collect_all([by_team, total])
    both = pl.concat([totals.select(teams.columns), teams], how="vertical_relaxed")
    both.sort("kpi", "team", "month", nulls_last=False).write_csv(sys.stdout)


if __name__ == "__main__":
    main()
