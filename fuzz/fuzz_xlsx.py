"""Fuzz the workbook reader with atheris: zip members of a small valid .xlsx, mutated.

The seed workbook is rebuilt in memory from the input: the first byte picks a zip member, the
next picks whether its bytes are flipped, truncated or replaced, the rest drives the change.
Any exception other than a DataError is a crash.

Run from the repository root, like fuzz_csv.py (see fuzz/README.md):

    /tmp/fuzzvenv/bin/python fuzz/fuzz_xlsx.py /tmp/fuzz-xlsx fuzz/seeds_xlsx \\
        -max_total_time=600 -timeout=20 -rss_limit_mb=8192
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import zipfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["roicli"]):
    from roicli.config import Kpi, Source
    from roicli.errors import DataError
    from roicli.ingest import load_sources

FOLDER = Path(tempfile.mkdtemp(prefix="roicli-fuzz-xlsx-"))
SEED = Path(__file__).with_name("seed_workbook.xlsx")
KPIS = {"leads": Kpi.model_validate({"label": "Leads", "aggregation": "sum"})}
SOURCES = (
    {"layout": "wide", "columns": {"date": "Date"}},
    {"layout": "wide", "columns": {"date": "Date"}, "sheet": "Data"},
    {"layout": "long", "columns": {"date": "Date", "kpi": "Metric", "value": "Value"}},
)


def _members() -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(SEED) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


MEMBERS = _members()


def mutated(data: bytes) -> bytes:
    """The seed workbook with one member changed as the fuzzed bytes say."""
    fdp = atheris.FuzzedDataProvider(data)
    target = fdp.ConsumeIntInRange(0, len(MEMBERS) - 1)
    how = fdp.ConsumeIntInRange(0, 3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (info, body) in enumerate(MEMBERS):
            if index == target:
                if how == 0:  # flip bytes at fuzzed offsets
                    changed = bytearray(body)
                    for _ in range(fdp.ConsumeIntInRange(1, 8)):
                        at = fdp.ConsumeIntInRange(0, max(len(changed) - 1, 0))
                        if changed:
                            changed[at] ^= fdp.ConsumeIntInRange(1, 255)
                    body = bytes(changed)
                elif how == 1:  # truncate
                    body = body[: fdp.ConsumeIntInRange(0, len(body))]
                elif how == 2:  # splice fuzzed bytes in
                    at = fdp.ConsumeIntInRange(0, len(body))
                    body = body[:at] + fdp.ConsumeBytes(64) + body[at:]
                else:  # replace wholesale
                    body = fdp.ConsumeBytes(fdp.remaining_bytes())
            archive.writestr(info, body)
    whole = buffer.getvalue()
    if fdp.remaining_bytes() and fdp.ConsumeBool():  # sometimes break the zip itself
        whole = whole[: fdp.ConsumeIntInRange(0, len(whole))]
    return whole


def test_one(data: bytes) -> None:
    """Read one mutated workbook as a source; only a DataError may come out."""
    if not data:
        return
    path = FOLDER / "input.xlsx"
    path.write_bytes(mutated(data[1:]))
    source = Source.model_validate({"path": path, **SOURCES[data[0] % len(SOURCES)]})
    with contextlib.suppress(DataError):
        load_sources([source], KPIS, skip_bad_rows=bool(data[0] & 0x80))


def main() -> None:
    """Run libFuzzer with the command line's options (corpus folders, -max_total_time, …)."""
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
