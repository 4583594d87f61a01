"""Run ``monthly.sql`` on an export with DuckDB and print the result as CSV.

    peers-venv/bin/python benchmarks/peers/duckdb_monthly.py EXPORT

EXPORT is a CSV file, a Parquet file or a folder of Parquet files (read with ``**/*.parquet``).
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

import duckdb  # type: ignore[import-not-found, unused-ignore]


def source(path: Path) -> str:
    """The DuckDB table function that reads the export."""
    if path.is_dir():
        return f"read_parquet('{path}/**/*.parquet', hive_partitioning = false)"
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', header = true, columns = {COLUMNS})"


COLUMNS = (
    "{'date': 'DATE', 'team': 'VARCHAR', 'participant': 'VARCHAR', 'kpi': 'VARCHAR', "
    "'value': 'DOUBLE'}"
)


def main() -> None:
    path = Path(sys.argv[1])
    sql = (Path(__file__).with_name("monthly.sql")).read_text(encoding="utf-8")
    query = string.Template(sql).substitute(source=source(path))
    relation = duckdb.sql(query)
    assert relation is not None  # a SELECT gives a relation (duckdb's stubs allow None)
    result = relation.fetchall()
    out = sys.stdout
    out.write("kpi,team,month,rows,total,median,nps\n")
    for row in result:
        out.write(",".join("" if cell is None else str(cell) for cell in row) + "\n")


if __name__ == "__main__":
    main()
