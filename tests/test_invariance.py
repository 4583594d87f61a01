"""Money must not depend on what should not matter: the display period, the rows' order, a
source split in two, or the file format the same rows come in (property tests)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roicli.analysis import analyse
from roicli.enums import Period
from roicli.project import load_project
from roicli.render.json import to_dict

FIRST = date(2025, 1, 1)
DAYS = 546  # to 30 Jun 2026
CONFIG = """version: 1
business_goals: [Grow]
sources:
{sources}
kpis:
  leads: {{aggregation: sum, direction: increase}}
  cpl: {{aggregation: mean, direction: decrease, unit: EUR}}
programs:
  - name: Prospecting
    start: 2025-07-10
    participants: 5
    costs: [{{item: Time, category: participant_time, amount: 900}}]
    objectives:
      - {{id: by-trend, title: Increase leads by applying the method, kpi: leads, group: T,
          owner: Lead, business_goal: Grow, target: {{change: "+20%"}}, deadline: 2026-06-30,
          value_per_unit: 3, attribution: 0.6, confidence: 0.9, isolation: trend}}
      - {{id: by-control, title: Increase leads by applying the method, kpi: leads, group: T,
          control_group: C, owner: Lead, business_goal: Grow, target: {{change: "+20%"}},
          deadline: 2026-06-30, value_per_unit: 3, attribution: 0.6, confidence: 0.9,
          isolation: control}}
      - {{id: cheaper, title: Cut the cost per lead by applying the method, kpi: cpl, group: T,
          owner: Lead, business_goal: Grow, target: {{change: "-10%"}}, deadline: 2026-06-30,
          value_per_unit: 40, attribution: 0.5, confidence: 0.8}}
"""
MONEY: tuple[str, ...] = ("costs", "benefits", "net_benefit", "roi_pct", "bcr", "payback_months")
MONEY = (*MONEY, "break_even_factor", "sensitivity", "first_year")
FAST = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def rows_for(seed: int, last_day: int) -> list[tuple[str, str, str, float]]:
    """Daily leads (whole numbers) and cost per lead (cents) for groups T and C."""
    rng = random.Random(seed)
    rows = []
    for offset in range(last_day):
        day = (FIRST + timedelta(days=offset)).isoformat()
        lift = 3 if offset > 190 else 0  # after the start, the trained group does better
        for group in ("T", "C"):
            rows.append(
                (day, "leads", group, float(rng.randint(5, 15) + (lift if group == "T" else 0)))
            )
            rows.append((day, "cpl", group, round(rng.uniform(20, 40), 2)))
    return rows


def write_csv(path: Path, rows: list[tuple[str, str, str, float]]) -> None:
    lines = ["Date,Team,Metric,Value", *(f"{d},{g},{k},{v!r}" for d, k, g, v in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(path: Path, rows: list[tuple[str, str, str, float]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Team", "Metric", "Value"])
    for day, kpi, group, value in rows:
        sheet.append([date.fromisoformat(day), group, kpi, value])
    book.save(path)


def write_parquet(path: Path, rows: list[tuple[str, str, str, float]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "Date": pa.array([date.fromisoformat(d) for d, _, _, _ in rows], pa.date32()),
            "Team": [g for _, _, g, _ in rows],
            "Metric": [k for _, k, _, _ in rows],
            "Value": pa.array([v for _, _, _, v in rows], pa.float64()),
        }
    )
    pq.write_table(table, path)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}


def project(folder: Path, parts: list[list[tuple[str, str, str, float]]], suffix: str) -> Path:
    sources = []
    for index, part in enumerate(parts):
        name = f"export{index}.{suffix}"
        WRITERS[suffix](folder / name, part)
        sources.append(
            f"  - {{path: {name}, columns: {{date: Date, kpi: Metric, value: Value, group: Team}}}}"
        )
    path = folder / "roicli.yaml"
    path.write_text(CONFIG.format(sources="\n".join(sources)), encoding="utf-8")
    return path


def report(config: Path, as_of: date, period: Period = Period.MONTH) -> dict[str, Any]:
    data = to_dict(analyse(load_project(config), as_of=as_of, period=period))
    del data["audit"]  # file names and digests differ by construction
    return data


def money(data: dict[str, Any]) -> list[Any]:
    program = data["programs"][0]
    objectives = [(o["id"], o["benefit"], o["first_year"]) for o in program["objectives"]]
    return [[program[key] for key in MONEY], objectives, [data["portfolio"][k] for k in MONEY]]


cases = st.tuples(
    st.integers(0, 2**32), st.integers(400, DAYS), st.dates(date(2026, 2, 1), date(2026, 8, 31))
)


@FAST
@given(case=cases)
def test_money_is_the_same_by_week_month_and_quarter(tmp_path_factory: Any, case: Any) -> None:
    seed, last_day, as_of = case
    config = project(tmp_path_factory.mktemp("p"), [rows_for(seed, last_day)], "csv")
    month = report(config, as_of)
    assert money(report(config, as_of, Period.WEEK)) == money(month)
    assert money(report(config, as_of, Period.QUARTER)) == money(month)


@FAST
@given(case=cases, order=st.integers(0, 2**32))
def test_shuffled_rows_give_the_same_report(tmp_path_factory: Any, case: Any, order: int) -> None:
    seed, last_day, as_of = case
    rows = rows_for(seed, last_day)
    shuffled = rows[:]
    random.Random(order).shuffle(shuffled)
    plain = report(project(tmp_path_factory.mktemp("a"), [rows], "csv"), as_of)
    assert report(project(tmp_path_factory.mktemp("b"), [shuffled], "csv"), as_of) == plain


@FAST
@given(case=cases, cut=st.floats(0.05, 0.95))
def test_a_source_split_in_two_gives_the_same_money(
    tmp_path_factory: Any, case: Any, cut: float
) -> None:
    seed, last_day, as_of = case
    rows = rows_for(seed, last_day)
    at = int(len(rows) * cut)
    whole = report(project(tmp_path_factory.mktemp("a"), [rows], "csv"), as_of)
    split = report(project(tmp_path_factory.mktemp("b"), [rows[:at], rows[at:]], "csv"), as_of)
    assert money(split) == money(whole)


@settings(max_examples=4, deadline=None)
@given(case=cases)
def test_csv_xlsx_and_parquet_give_the_same_money(tmp_path_factory: Any, case: Any) -> None:
    seed, last_day, as_of = case
    rows = rows_for(seed, last_day)
    reports = {
        suffix: money(report(project(tmp_path_factory.mktemp(suffix), [rows], suffix), as_of))
        for suffix in WRITERS
    }
    assert reports["xlsx"] == reports["csv"]
    assert reports["parquet"] == reports["csv"]


def test_the_generated_project_counts_money() -> None:
    """The properties above compare real figures, not empty ones."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = report(project(Path(folder), [rows_for(1, DAYS)], "csv"), date(2026, 6, 30))
    program = data["programs"][0]
    assert program["pending"] is False
    assert all(o["benefit"] is not None for o in program["objectives"])
    assert program["months_counted"] == 12  # Jul 2025 to Jun 2026
    assert program["roi_pct"] is not None
    assert data["portfolio"]["roi_pct"] == program["roi_pct"]
