"""The typed reader's NumPy path gives exactly what the general reader gives, or steps aside.

Each typed table (a clean CSV's, a Parquet file's) is read both ways: by ``arrowlong`` and by
``normalise`` on the same table turned into pandas. Everything the audit and the analysis see
must be equal, label orders included; where the general reader has something to name or decide,
the NumPy path must return None.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.config import Source
from roicli.errors import DataError
from roicli.ingest import load_sources
from roicli.ingest.arrowframe import raw_table
from roicli.ingest.arrowlong import typed_rows
from roicli.ingest.columns import Mapped
from roicli.ingest.csvtyped import open_typed
from roicli.ingest.kpimatch import kpi_lookup
from roicli.ingest.model import Normalised, TypedTable
from roicli.ingest.normalise import normalise
from roicli.ingest.parquet import read_parquet
from roicli.progress_bar import Report, ignore

KPIS = kpis(
    clicks={"label": "Clicks", "aliases": ["Klicks"]},
    leads={"label": "Leads"},
    nps={"label": "Recommend", "aggregation": "nps"},
)
LOOKUP = kpi_lookup(KPIS)
LONG = {"date": "Date", "kpi": "Metric", "value": "Value", "group": "Team"}
DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def read_typed(
    path: Path, src: Source, lookup: Mapping[str, str], *, report: Report = ignore
) -> TypedTable | None:
    """The whole file as one typed table, read by the same stream the report reads a part at a
    time (``open_typed``, told the bytes read to ``report``); None when the text reader must
    read it."""
    stream = open_typed(path, src, lookup, report=report)
    if stream is None:
        return None
    batches = list(stream.batches())
    if stream.failed:
        return None
    table = pa.Table.from_batches(batches, schema=stream.schema)
    return TypedTable(table, stream.mapped, stream.detected, first_row=stream.first_row)


def both_ways(typed: TypedTable, **settings: Any) -> tuple[Normalised | None, Normalised]:
    """The table read by the NumPy path and by the general reader."""
    src = source(Path("t.parquet"), **({"layout": "long", "columns": LONG} | settings))
    fast = typed_rows(typed, src, LOOKUP)
    slow = normalise(raw_table(typed), src, LOOKUP, path=Path("t.parquet"), skip_bad_rows=False)
    return fast, slow


def assert_same(fast: Normalised | None, slow: Normalised) -> None:
    assert fast is not None, "the NumPy path stepped aside"
    for name in ("days", "kpi", "group", "values"):
        np.testing.assert_array_equal(getattr(fast.table, name), getattr(slow.table, name))
    assert fast.table.kpi_names == slow.table.kpi_names
    assert fast.table.group_names == slow.table.group_names
    for field in dataclasses.fields(Normalised):
        if field.name != "table":
            assert getattr(fast, field.name) == getattr(slow, field.name), field.name


def typed(columns: dict[str, pa.Array]) -> TypedTable:
    """A typed table as the Parquet reader gives it, its columns named as in LONG."""
    return typed_table(pa.table(columns))


def typed_table(table: pa.Table) -> TypedTable:
    mapped = Mapped(date="Date", kpi="Metric", group="Team", values={"Value": None}, unmatched=())
    return TypedTable(table, mapped, {"format": "parquet", "reader": "pyarrow"}, 1)


def test_labels_are_cleaned_matched_and_ordered_as_the_general_reader_does() -> None:
    table = typed(
        {
            "Date": pa.array(
                [dt.date(2026, 1, d) for d in (5, 5, 6, 6, 7, 7, 8, 8, 9)], pa.date32()
            ),
            # a label first met on a total row, padded labels, an alias, an unknown name
            "Metric": pa.array(
                ["Bounce", " clicks", "Clicks ", "Klicks", "Total", "Bounce", "", None, "leads"],
                DICTIONARY,
            ),
            "Team": pa.array(
                ["Total", "Sales ", "Sales", None, "A", "B", "A", "A", "Grand total"], DICTIONARY
            ),
            "Value": pa.array([1.0, 2.0, None, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]),
        }
    )
    fast, slow = both_ways(table)
    assert_same(fast, slow)
    assert fast is not None
    assert fast.unmatched == ("Bounce",)  # first met on a kept row; "Total" rows are left out
    assert fast.excluded == 5  # two total teams, a total metric, an empty and a null name
    assert fast.detected["missing_values"] == 1
    assert frame_of(fast.table)["group"].tolist() == ["Sales", ""]


def test_timestamps_of_every_unit_are_calendar_days() -> None:
    for unit in ("s", "ms", "us", "ns"):
        stamps = pa.array(
            [dt.datetime(2026, 3, 1, 23, 59), dt.datetime(1969, 12, 31, 12), None],
            pa.timestamp(unit),
        )
        table = typed(
            {
                "Date": stamps,
                "Metric": pa.array(["Leads"] * 3, DICTIONARY),
                "Team": pa.array(["A"] * 3, DICTIONARY),
                "Value": pa.array([1, 2, 3], pa.int64()),
            }
        )
        fast, slow = both_ways(table)
        assert_same(fast, slow)
        assert fast is not None
        assert fast.table.days.tolist() == [dt.date(1969, 12, 31), dt.date(2026, 3, 1)]
        assert fast.excluded == 1  # no date


def test_wide_layout_without_a_group() -> None:
    table = TypedTable(
        pa.table(
            {
                "Date": pa.array([dt.date(2026, 1, 1), dt.date(2026, 1, 2)], pa.date32()),
                "Clicks": pa.array([3.0, None]),
                "Leads": pa.array([True, False]),
            }
        ),
        Mapped("Date", None, None, {"Clicks": "clicks", "Leads": "leads"}, ("Other",)),
        {"format": "parquet", "reader": "pyarrow"},
        first_row=1,
    )
    fast, slow = both_ways(table, layout="wide", columns={"date": "Date"})
    assert_same(fast, slow)
    assert fast is not None
    assert fast.kpis == ("clicks", "leads")
    assert fast.unmatched == ("Other",)
    assert fast.detected["missing_values"] == 1


@pytest.mark.parametrize(
    ("column", "cells"),
    [
        ("Date", pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("s", tz="Europe/Paris"))),
        ("Date", pa.array([dt.date(1899, 12, 31)], pa.date32())),  # out of range: a bad value
        ("Date", pa.array(["2026-01-01"])),  # text dates
        ("Value", pa.array([1e16])),  # too large: a bad value
        ("Value", pa.array([float("inf")])),
        ("Value", pa.array(["1,5"])),  # text numbers
        ("Metric", pa.array(["Leads"])),  # not dictionary-encoded
        ("Team", pa.array([7], pa.int64())),
    ],
)
def test_what_the_general_reader_must_decide_is_left_to_it(column: str, cells: pa.Array) -> None:
    columns = {
        "Date": pa.array([dt.date(2026, 1, 1)], pa.date32()),
        "Metric": pa.array(["Leads"], DICTIONARY),
        "Team": pa.array(["A"], DICTIONARY),
        "Value": pa.array([1.0]),
    }
    table = typed(columns | {column: cells})
    src = source(Path("t.parquet"), layout="long", columns=LONG)
    assert typed_rows(table, src, LOOKUP) is None


def test_a_value_out_of_range_on_a_row_left_out_does_not_matter() -> None:
    table = typed(
        {
            "Date": pa.array([dt.date(2026, 1, 1), dt.date(2026, 1, 2)], pa.date32()),
            "Metric": pa.array(["Leads", "Unknown"], DICTIONARY),
            "Team": pa.array(["A", "A"], DICTIONARY),
            "Value": pa.array([1.0, 1e300]),
        }
    )
    fast, slow = both_ways(table)
    assert_same(fast, slow)


LABELS = st.sampled_from(["Clicks", " clicks", "Leads", "Recommend", "Bounce", "Total", "", None])
TEAMS = st.sampled_from(["A", "B ", " B", "Total", "", None])
ROWS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))),
        LABELS,
        TEAMS,
        st.one_of(st.none(), st.integers(-5, 12).map(float), st.floats(-1e6, 1e6)),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, cut=st.integers(1, 20))
def test_any_clean_table_reads_the_same_both_ways(
    rows: list[tuple[dt.date | None, str | None, str | None, float | None]], cut: int
) -> None:
    # In pieces of ``cut`` rows, each with its own dictionaries, as pyarrow's CSV reader gives.
    pieces = [rows[start : start + cut] for start in range(0, len(rows), cut)] or [[]]
    tables = []
    for piece in pieces:
        dates, metrics, teams, values = ([row[i] for row in piece] for i in range(4))
        columns = {
            "Date": pa.array(dates, pa.date32()),
            "Metric": pa.array(metrics, DICTIONARY),
            "Team": pa.array(teams, DICTIONARY),
            "Value": pa.array(values, pa.float64()),
        }
        tables.append(pa.table(columns))
    fast, slow = both_ways(typed_table(pa.concat_tables(tables)))
    assert_same(fast, slow)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, cut=st.integers(1, 20))
def test_any_clean_wide_table_reads_the_same_both_ways(
    rows: list[tuple[dt.date | None, str | None, str | None, float | None]], cut: int
) -> None:
    dates = [row[0] for row in rows]
    teams = [row[2] for row in rows]
    values = [row[3] for row in rows]
    table = pa.table(
        {
            "Date": pa.array(dates, pa.date32()),
            "Team": pa.array(teams, DICTIONARY),
            "Clicks": pa.array(values, pa.float64()),
            "Leads": pa.array([None if v is None else -v for v in values], pa.float64()),
        }
    )
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=cut), schema=table.schema)
    mapped = Mapped("Date", None, "Team", {"Clicks": "clicks", "Leads": "leads"}, ())
    wide = TypedTable(chunked, mapped, {"format": "parquet", "reader": "pyarrow"}, 1)
    fast, slow = both_ways(wide, layout="wide", columns={"date": "Date", "group": "Team"})
    assert_same(fast, slow)


def test_a_clean_csv_is_read_typed_and_the_same_as_text(tmp_path: Path) -> None:
    body = "Date,Metric,Value,Team\n2026-01-02,Clicks,3,A\n2026-01-01, Leads ,-,B\n"
    body += "2026-01-03 10:30,Total,9,A\n2026-01-03,Leads,1.5e1,Total\n"
    clean = tmp_path / "clean.csv"
    clean.write_text(body, encoding="utf-8")
    messy = tmp_path / "messy.csv"
    messy.write_text("# preamble\n" + body, encoding="utf-8")
    src = source(clean, layout="long", columns=LONG)
    found = read_typed(clean, src, LOOKUP)
    assert found is not None
    assert found.table.schema.field("Date").type == pa.timestamp("s")
    fast = load_sources([src], KPIS)
    slow = load_sources([source(messy, layout="long", columns=LONG)], KPIS)
    assert fast.audits[0].detected["reader"] == "pyarrow"
    assert slow.audits[0].detected["reader"] == "pandas"
    assert frame_of(fast).equals(frame_of(slow))
    same = ("rows", "excluded_rows", "kpis", "unmatched")
    assert all(getattr(fast.audits[0], k) == getattr(slow.audits[0], k) for k in same)


def test_a_parquet_file_takes_the_numpy_path(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    pq.write_table(
        pa.table(
            {
                "Date": pa.array([dt.date(2026, 1, 1), dt.date(2026, 1, 2)], pa.date32()),
                "Metric": pa.array(["Clicks", "Leads"]),
                "Team": pa.array(["A", "B"]),
                "Value": pa.array([1, 2], pa.int32()),
            }
        ),
        path,
    )
    src = source(path, layout="long", columns=LONG)
    table = read_parquet(path, src, LOOKUP)
    fast, slow = both_ways(table)
    assert_same(fast, slow)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_report_on_a_clean_export_never_imports_pandas(tmp_path: Path, suffix: str) -> None:
    days = [dt.date(2025, 10, 1) + dt.timedelta(days=d) for d in range(300)]
    data = tmp_path / f"export{suffix}"
    if suffix == ".csv":
        lines = [f"{day},Leads,{n % 7},Marketing" for n, day in enumerate(days)]
        data.write_text("Date,Metric,Value,Team\n" + "\n".join(lines) + "\n", encoding="utf-8")
    else:
        pq.write_table(
            pa.table(
                {
                    "Date": pa.array(days, pa.date32()),
                    "Metric": pa.array(["Leads"] * len(days)),
                    "Value": pa.array([float(n % 7) for n in range(len(days))]),
                    "Team": pa.array(["Marketing"] * len(days)),
                }
            ),
            data,
        )
    config = tmp_path / "roicli.yaml"
    config.write_text(
        f"""version: 1
currency: EUR
business_goals: [Grow inbound leads]
sources:
  - path: {data.name}
    layout: long
    columns: {{date: Date, kpi: Metric, value: Value, group: Team}}
kpis:
  leads: {{label: Leads, direction: increase, aggregation: sum, level: impact}}
programs:
  - name: Content mentoring
    method: mentoring
    start: 2026-01-12
    participants: 4
    costs:
      - {{item: Mentoring, category: delivery, amount: 1000}}
      - {{item: Participants' time, category: participant_time, hours: 40, rate: 40}}
    objectives:
      - id: leads
        title: Grow qualified leads by 10% by publishing the content planned
        kpi: leads
        group: Marketing
        target: {{change: "+10%"}}
        deadline: 2026-07-31
        business_goal: Grow inbound leads
        owner: Head of marketing
        value_per_unit: 10
""",
        encoding="utf-8",
    )
    code = (
        "import sys; from roicli.cli import app\n"
        "sys.argv = ['roicli', 'report', '-c', sys.argv[1], '--as-of', '2026-06-30',"
        " '--format', 'json', '-q']\n"
        "try:\n    app()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "print('pandas' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(config)], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("{")
    assert done.stderr.strip() == "False"


def test_dates_are_read_as_days_unless_the_sample_holds_times(tmp_path: Path) -> None:
    days = "".join(f"2026-01-{d:02d},Clicks,{d},A\n" for d in range(1, 29))
    path = tmp_path / "days.csv"
    path.write_text("Date,Metric,Value,Team\n" + days, encoding="utf-8")
    src = source(path, layout="long", columns=LONG)
    found = read_typed(path, src, LOOKUP)
    assert found is not None
    assert found.table.schema.field("Date").type == pa.date32()
    # A time of day far below the sample: the typed read fails, the text reader reads it all.
    late = tmp_path / "late.csv"
    lines = "".join(f"2026-01-{1 + n % 28:02d},Clicks,{n},A\n" for n in range(1200))
    late.write_text("Date,Metric,Value,Team\n" + lines + "2026-01-30 10:30,Clicks,1,A\n", "utf-8")
    assert read_typed(late, source(late, layout="long", columns=LONG), LOOKUP) is None
    dataset = load_sources([source(late, layout="long", columns=LONG)], KPIS)
    assert dataset.audits[0].rows == 1201
    assert dataset.table.days.max() == np.datetime64("2026-01-30")


def test_names_first_met_deep_in_a_big_batch_keep_their_order() -> None:
    # Names are looked for in blocks of growing size: these appear past the first blocks.
    names = ["Clicks"] * 5000 + ["Bounce"] + ["Clicks"] * 20_000 + ["Leads", "Exits"]
    table = typed(
        {
            "Date": pa.array([dt.date(2026, 1, 1)] * len(names), pa.date32()),
            "Metric": pa.array(names, DICTIONARY),
            "Team": pa.array(["A"] * len(names), DICTIONARY),
            "Value": pa.array([1.0] * len(names)),
        }
    )
    fast, slow = both_ways(table)
    assert_same(fast, slow)
    assert fast is not None
    assert fast.unmatched == ("Bounce", "Exits")
    assert fast.kpis == ("clicks", "leads")


PLAIN = st.one_of(
    st.integers(0, 99_999).map(str),
    st.builds(
        lambda whole, fraction: f"{whole}.{fraction}",
        st.integers(0, 9999),
        st.sampled_from(["5", "25", "546", "1234"]),
    ),
)


@settings(max_examples=120, deadline=None)
@given(cells=st.lists(PLAIN, min_size=1, max_size=25))
def test_the_typed_reader_takes_plain_numbers_when_the_text_reader_reads_a_decimal_point(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    from roicli.ingest.numbers import decide_decimal, has_marks, number_parts

    folder = tmp_path_factory.mktemp("plain")
    lines = "".join(f"2026-01-{1 + n % 28:02d},{cell}\n" for n, cell in enumerate(cells))
    clean = folder / "clean.csv"
    clean.write_text("Date,Clicks\n" + lines, encoding="utf-8")
    core = number_parts(pd.Series(cells, dtype="str")).core
    point = not has_marks(core) or decide_decimal(core) == "."
    assert (read_typed(clean, source(clean), LOOKUP) is not None) == point
    if point:  # and then both readers read the same numbers
        messy = folder / "messy.csv"
        messy.write_text("# export\nDate,Clicks\n" + lines, encoding="utf-8")
        fast = load_sources([source(clean)], KPIS)
        slow = load_sources([source(messy)], KPIS)
        assert fast.audits[0].detected["reader"] == "pyarrow"
        np.testing.assert_array_equal(fast.table.values, slow.table.values)


def test_a_typed_read_reports_its_progress_and_reads_the_same(tmp_path: Path) -> None:
    body = "".join(f"2026-01-{1 + n % 28:02d},Clicks,{n},A\n" for n in range(50_000))
    path = tmp_path / "big.csv"
    path.write_text("Date,Metric,Value,Team\n" + body, encoding="utf-8")
    src = source(path, layout="long", columns=LONG)
    seen: list[int] = []
    counted = read_typed(path, src, LOOKUP, report=seen.append)
    plain = read_typed(path, src, LOOKUP)
    assert counted is not None
    assert plain is not None
    assert seen
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size
    assert counted.table.equals(plain.table)


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        ("Zebrafish", "Zebra\xfffish"),  # a cell's text is not UTF-8
        ("MetricName", "Metri\xffName"),  # the column's name in the footer is not UTF-8
    ],
)
def test_a_damaged_parquet_file_is_a_clear_error(tmp_path: Path, text: str, damaged: str) -> None:
    path = tmp_path / "damaged.parquet"
    table = pa.table(
        {
            "Date": pa.array(["2026-01-01", "2026-01-02"]),
            "MetricName": pa.array(["Leads", "Zebrafish"]),
            "Value": pa.array([1.0, 2.0]),
        }
    )
    pq.write_table(table, path, compression="none", use_dictionary=False)
    data = path.read_bytes()
    assert text.encode() in data
    path.write_bytes(data.replace(text.encode(), damaged.encode("latin-1")))
    columns = {"date": "Date", "kpi": "MetricName", "value": "Value"}
    with pytest.raises(DataError, match="cannot read the Parquet file"):
        load_sources([source(path, layout="long", columns=columns)], KPIS)
