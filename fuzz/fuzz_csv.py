"""Fuzz the CSV reading path (guards, detection, readers, normalisation) with atheris.

Any exception other than a DataError is a crash: roicli would exit 3 on such a file. The first
input byte picks how the source is configured; the rest is the file. See fuzz/README.md.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["roicli"]):
    from roicli.config import Kpi, Source
    from roicli.errors import DataError
    from roicli.ingest import load_sources

FOLDER = Path(tempfile.mkdtemp(prefix="roicli-fuzz-"))
KPIS = {
    "leads": Kpi.model_validate({"label": "Leads", "aliases": ["MQL"], "aggregation": "sum"}),
    "sessions": Kpi.model_validate({"label": "Sessions", "aggregation": "mean"}),
}
LONG = {"date": "Date", "kpi": "Metric", "value": "Value", "group": "Team"}
# (layout, columns, overrides): the first byte of an input picks one, and --skip-bad-rows.
SETTINGS: tuple[tuple[str, dict[str, str], dict[str, Any]], ...] = (
    ("long", LONG, {}),
    ("wide", {"date": "Date"}, {}),
    ("long", LONG, {"delimiter": ";", "decimal": ","}),
    ("wide", {"date": "Date", "group": "Team"}, {"dayfirst": True}),
    ("long", LONG, {"encoding": "cp1252", "skip_rows": 1}),
    ("wide", {"date": "Date"}, {"thousands": " ", "dayfirst": False}),
)


def test_one(data: bytes) -> None:
    """Read one fuzzed file as a CSV source; only a DataError may come out."""
    if not data:
        return
    layout, columns, overrides = SETTINGS[data[0] % len(SETTINGS)]
    path = FOLDER / "input.csv"
    path.write_bytes(data[1:])
    source = Source.model_validate(
        {"path": path, "layout": layout, "columns": columns, **overrides}
    )
    with contextlib.suppress(DataError):
        load_sources([source], KPIS, skip_bad_rows=bool(data[0] & 0x80))


def main() -> None:
    """Run libFuzzer with the command line's options (corpus folders, -max_total_time, …)."""
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
