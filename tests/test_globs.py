"""A source's path as a glob or a folder (issue 18): every file read in name order, each with its
own audit line, and ``overlap`` deciding what a (date, KPI, group) found in two files does."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import Kpi, Source
from roicli.enums import Overlap, Period
from roicli.errors import DataError
from roicli.ingest import load_sources
from roicli.periods import aggregate, period_of

JAN = period_of(date(2026, 1, 1), Period.MONTH)
KPIS = {"leads": Kpi(), "score": Kpi.model_validate({"aggregation": "median"})}
COLUMNS = {"date": "Date", "kpi": "Metric", "value": "Value", "group": "Team"}
FIRST = "Date,Team,Metric,Value\n2026-01-01,A,leads,5\n2026-01-02,A,leads,7\n"
# The re-export repeats 2 January (4 instead of 7) and adds 3 January in two rows (6 + 1).
SECOND = (
    "Date,Team,Metric,Value\n2026-01-02,A,leads,4\n2026-01-03,A,leads,6\n2026-01-03,A,leads,1\n"
)
CONFIG = """version: 1
sources:
  - path: {path}
{overlap}    columns: {{date: Date, kpi: Metric, value: Value, group: Team}}
kpis:
  leads: {{aggregation: sum}}
programs:
  - name: P
    start: 2026-01-05
    participants: 1
    costs: [{{item: Time, category: participant_time, amount: 10}}]
    objectives:
      - {{id: o, title: Increase leads by applying the method, kpi: leads, owner: L,
          target: {{value: 10}}, deadline: 2026-03-31}}
"""


def exports(folder: Path) -> Path:
    (folder / "exports").mkdir()
    (folder / "exports" / "ga4-1.csv").write_text(FIRST, encoding="utf-8")
    (folder / "exports" / "ga4-2.csv").write_text(SECOND, encoding="utf-8")
    (folder / "exports" / "notes.txt").write_text("not matched by the glob", encoding="utf-8")
    return folder / "exports"


def source(path: Path, **settings: object) -> Source:
    return Source.model_validate({"path": path, "columns": COLUMNS, **settings})


def january(path: Path, **settings: object) -> float:
    dataset = load_sources([source(path, **settings)], KPIS)
    return aggregate(dataset.table, KPIS, Period.MONTH).shown("leads").values[JAN]


def test_latest_lets_the_later_file_win_a_day_and_sum_adds_both(tmp_path: Path) -> None:
    folder = exports(tmp_path)
    pattern = folder / "ga4-*.csv"
    assert january(pattern, overlap="latest") == 5 + 4 + 6 + 1  # 2 January from ga4-2: 4
    assert january(pattern, overlap="sum") == 5 + 7 + 4 + 6 + 1


def test_an_overlap_is_an_error_by_default_naming_both_files_and_the_row(tmp_path: Path) -> None:
    folder = exports(tmp_path)
    with pytest.raises(DataError) as raised:
        load_sources([source(folder / "ga4-*.csv")], KPIS)
    error = raised.value
    assert error.message == (
        f"2026-01-02, KPI 'leads', group 'A' is also in {folder / 'ga4-1.csv'}: roicli counts "
        "nothing twice"
    )
    assert error.location is not None
    assert error.location.path == folder / "ga4-2.csv"


def test_the_cli_prints_one_line_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "roicli.yaml"
    config.write_text(CONFIG.format(path="exports/ga4-*.csv", overlap=""), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "-c", str(config), "--as-of", "2026-02-28"])
    assert result.exit_code == 2
    assert result.stderr == (
        "roicli: error: exports/ga4-2.csv: 2026-01-02, KPI 'leads', group 'A' is also in "
        "exports/ga4-1.csv: roicli counts nothing twice (set overlap: latest in the source to "
        "keep the later file's rows, or overlap: sum to add them up)\n"
    )
    config.write_text(CONFIG.format(path="exports/ga5-*.csv", overlap=""), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "-c", str(config), "--as-of", "2026-02-28"])
    assert result.exit_code == 2
    assert result.stderr == (
        "roicli: error: exports/ga5-*.csv: no file matches this pattern (check sources[0].path; "
        "relative paths start at the config file's folder)\n"
    )


def test_a_bad_overlap_gets_a_did_you_mean(tmp_path: Path) -> None:
    exports(tmp_path)
    config = tmp_path / "roicli.yaml"
    overlap = "    overlap: laetst\n"
    config.write_text(CONFIG.format(path="exports/ga4-*.csv", overlap=overlap), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "-c", str(config)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "roicli.yaml:4: sources[0].overlap: expected one of 'error', 'latest' or 'sum', got "
        "'laetst' (did you mean 'latest'?)\n"
    )


def test_every_overlap_value_is_accepted_and_in_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    text = json.dumps(schema)
    for overlap in Overlap:
        assert f'"{overlap.value}"' in text
        assert source(Path("x/*.csv"), overlap=overlap.value).overlap is overlap
    assert source(Path("x/*.csv")).overlap is Overlap.ERROR


def test_each_file_has_its_own_audit_line_in_name_order(tmp_path: Path) -> None:
    folder = exports(tmp_path)
    dataset = load_sources([source(folder / "ga4-*.csv", overlap="sum")], KPIS)
    audits = dataset.audits
    assert [Path(a.path).name for a in audits] == ["ga4-1.csv", "ga4-2.csv"]
    assert [a.rows for a in audits] == [2, 3]
    assert [a.sha256 for a in audits] == [
        hashlib.sha256(text.encode()).hexdigest() for text in (FIRST, SECOND)
    ]


def parquet(path: Path, rows: list[tuple[date, str, str, float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "Date": pa.array([r[0] for r in rows], pa.date32()),
            "Metric": [r[1] for r in rows],
            "Team": [r[2] for r in rows],
            "Value": pa.array([r[3] for r in rows], pa.float64()),
        }
    )
    pq.write_table(table, path)


def test_a_partitioned_parquet_folder_is_one_source(tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    parquet(
        folder / "month=2026-01" / "part-0.parquet",
        [(date(2026, 1, 5), "leads", "A", 3.0), (date(2026, 1, 5), "score", "A", 8.0)],
    )
    parquet(
        folder / "month=2026-01" / "part-1.parquet",
        [(date(2026, 1, 6), "leads", "A", 4.0), (date(2026, 1, 6), "score", "A", 2.0)],
    )
    parquet(
        folder / "month=2026-02" / "part-0.parquet",
        [(date(2026, 2, 1), "leads", "B", 10.0), (date(2026, 2, 1), "score", "B", 5.0)],
    )
    (folder / "_SUCCESS").write_text("", encoding="utf-8")  # a writer's marker: passed over
    (folder / ".part-0.parquet.crc").write_text("", encoding="utf-8")
    dataset = load_sources([source(folder)], KPIS)
    assert [Path(a.path).relative_to(folder).as_posix() for a in dataset.audits] == [
        "month=2026-01/part-0.parquet",
        "month=2026-01/part-1.parquet",
        "month=2026-02/part-0.parquet",
    ]
    data = aggregate(dataset.table, KPIS, Period.MONTH)
    assert data.shown("leads").values == {JAN: 7.0, JAN + 1: 10.0}
    assert data.shown("score").values == {JAN: 5.0, JAN + 1: 5.0}  # median of 8 and 2


def test_latest_drops_the_earlier_files_kept_rows_too(tmp_path: Path) -> None:
    """A median keeps its rows: under latest, the earlier file's rows of a repeated day go."""
    folder = tmp_path / "dataset"
    parquet(folder / "a.parquet", [(date(2026, 1, 5), "score", "A", 1.0)] * 3)
    parquet(folder / "b.parquet", [(date(2026, 1, 5), "score", "A", 9.0)])
    dataset = load_sources([source(folder, overlap="latest")], KPIS)
    data = aggregate(dataset.table, KPIS, Period.MONTH)
    assert data.shown("score").values == {JAN: 9.0}
    summed = load_sources([source(folder, overlap="sum")], KPIS)
    assert aggregate(summed.table, KPIS, Period.MONTH).shown("score").values == {JAN: 1.0}


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="no CSV, Excel or Parquet file in this folder"):
        load_sources([source(tmp_path / "empty")], KPIS)
