"""Nothing depends on the rows' order (issue 17): the JSON report of a file and of the same rows
shuffled are the same bytes, for every aggregation; the day table is the same table; sums are
exact in any order; ``last`` breaks a tie on the latest day by the largest value."""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import long_table

from roicli import exactsum
from roicli.analysis import analyse
from roicli.config import Kpi
from roicli.daytable import DayBuilder, DayTable, Needs, of_rows
from roicli.enums import Aggregation, Period
from roicli.periods import aggregate, period_of
from roicli.project import load_project
from roicli.render.json import render_json

FIRST = date(2025, 9, 1)
AS_OF = date(2026, 4, 30)
CONFIG = """version: 1
business_goals: [Grow]
sources:
  - {path: export.csv, columns: {date: Date, kpi: Metric, value: Value, group: Team}}
kpis:
  sessions: {aggregation: sum}
  cpl: {aggregation: mean, direction: decrease}
  quiz: {aggregation: median}
  completions: {aggregation: count}
  answers: {aggregation: nunique}
  headcount: {aggregation: last}
  recommend: {aggregation: nps}
  leads: {aggregation: sum}
  conversion: {unit: "%", ratio: {numerator: leads, denominator: sessions}}
programs:
  - name: Mentoring
    start: 2026-01-05
    participants: 4
    costs: [{item: Time, category: participant_time, amount: 800}]
    objectives:
      - {id: traffic, title: Increase sessions by applying the method, kpi: sessions, group: A,
         owner: Lead, business_goal: Grow, target: {change: "+20%"}, deadline: 2026-04-30,
         value_per_unit: 0.5, attribution: 0.6, confidence: 0.9, isolation: trend}
      - {id: cheaper, title: Cut the cost per lead by applying the method, kpi: cpl, group: A,
         control_group: B, owner: Lead, business_goal: Grow, target: {change: "-10%"},
         deadline: 2026-04-30, value_per_unit: 20, attribution: 0.5, confidence: 0.8,
         isolation: control}
      - {id: quiz, title: Raise the quiz score by practising the exercises, kpi: quiz,
         owner: Lead, business_goal: Grow, target: {value: 80}, deadline: 2026-04-30}
      - {id: heads, title: Keep the headcount by applying the method, kpi: headcount,
         owner: Lead, business_goal: Grow, target: {value: 12}, deadline: 2026-04-30}
      - {id: nps, title: Raise the recommendation score by adapting the format, kpi: recommend,
         owner: Lead, business_goal: Grow, target: {change: 10}, deadline: 2026-04-30}
      - {id: conv, title: Raise the conversion by applying the checklist, kpi: conversion,
         owner: Lead, business_goal: Grow, target: {change: "+10%"}, deadline: 2026-04-30}
"""
Row = tuple[str, str, str, float]


def rows_for(seed: int) -> list[Row]:
    """Every day of eight months, several rows per day and group for each KPI: cents and whole
    numbers to add up, scores, answers, and levels with ties on a day."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for offset in range((AS_OF - FIRST).days + 1):
        day = (FIRST + timedelta(days=offset)).isoformat()
        for group in ("A", "B"):
            for _ in range(rng.randint(1, 3)):
                rows.append((day, "sessions", group, float(rng.randint(0, 400))))
                rows.append((day, "leads", group, float(rng.randint(0, 9))))
                rows.append((day, "cpl", group, round(rng.uniform(5, 60), 2)))
                rows.append((day, "quiz", group, round(rng.uniform(40, 100), 1)))
                rows.append((day, "completions", group, 1.0))
                rows.append((day, "answers", group, float(rng.randint(1, 5))))
                rows.append((day, "headcount", group, float(rng.randint(8, 14))))
                rows.append((day, "recommend", group, float(rng.randint(0, 10))))
    return rows


def write(folder: Path, rows: list[Row]) -> Path:
    lines = ["Date,Team,Metric,Value", *(f"{d},{g},{k},{v!r}" for d, k, g, v in rows)]
    (folder / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = folder / "roicli.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), order=st.integers(0, 2**32))
def test_a_shuffled_export_gives_the_same_json_bytes(
    tmp_path_factory: Any, seed: int, order: int
) -> None:
    rows = rows_for(seed)
    shuffled = rows[:]
    random.Random(order).shuffle(shuffled)
    folder = tmp_path_factory.mktemp("p")
    plain = analyse(load_project(write(folder, rows)), as_of=AS_OF)
    other = analyse(load_project(write(folder, shuffled)), as_of=AS_OF)
    # The audit records the file itself: its digest and the order its KPIs come first in.
    (mine,), (theirs,) = plain.audit.sources, other.audit.sources
    assert theirs.sha256 != mine.sha256
    assert sorted(theirs.kpis) == sorted(mine.kpis)
    assert dataclasses.replace(theirs, sha256=mine.sha256, kpis=mine.kpis) == mine
    other = dataclasses.replace(other, audit=plain.audit)
    assert render_json(other).encode() == render_json(plain).encode()
    for period in (Period.WEEK, Period.QUARTER):
        by = analyse(load_project(write(folder, rows)), as_of=AS_OF, period=period)
        again = analyse(load_project(write(folder, shuffled)), as_of=AS_OF, period=period)
        again = dataclasses.replace(again, audit=by.audit)
        assert render_json(again) == render_json(by)


def test_the_report_covers_every_aggregation(tmp_path: Path) -> None:
    """The property above compares real figures of each aggregation, not empty ones."""
    data = analyse(load_project(write(tmp_path, rows_for(1))), as_of=AS_OF)
    shown = {trend.key for trend in data.kpis}
    assert shown == {
        "sessions",
        "cpl",
        "quiz",
        "completions",
        "answers",
        "headcount",
        "recommend",
        "leads",
        "conversion",
    }


cells = st.lists(
    st.tuples(
        st.integers(0, 70),
        st.sampled_from(["a", "b"]),
        st.sampled_from(["", "X", "Y"]),
        st.one_of(
            st.integers(-(10**6), 10**6).map(float),
            st.decimals(-(10**4), 10**4, places=2).map(float),
            st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False),
        ),
    ),
    max_size=60,
)


@given(found=cells, order=st.randoms(use_true_random=False))
def test_the_day_table_of_shuffled_rows_is_the_same_table(
    found: list[tuple[int, str, str, float]], order: random.Random
) -> None:
    rows = [((FIRST + timedelta(days=d)).isoformat(), k, g, v) for d, k, g, v in found]
    shuffled = rows[:]
    order.shuffle(shuffled)
    wants = Needs(extremes=frozenset({"a"}), values=frozenset({"b"}), nps=frozenset({"a"}))
    _same_tables(of_rows(long_table(rows), wants), of_rows(long_table(shuffled), wants))


def _same_tables(one: DayTable, two: DayTable) -> None:
    for name in ("days", "kpi", "group", "count", "values"):
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name))
    for name in ("low", "high", "nps", "limbs"):
        np.testing.assert_array_equal(getattr(one.cells, name), getattr(two.cells, name))
    assert (one.kpi_names, one.group_names) == (two.kpi_names, two.group_names)
    assert sorted(one.kept.values.tolist()) == sorted(two.kept.values.tolist())


@given(
    found=cells,
    far=st.booleans(),
    order=st.randoms(use_true_random=False),
    cuts=st.lists(st.integers(1, 60), max_size=6),
)
def test_rows_given_a_batch_at_a_time_make_the_same_table(
    found: list[tuple[int, str, str, float]],
    far: bool,
    order: random.Random,
    cuts: list[int],
) -> None:
    """Batches that fit the builder's grid, reach outside it (earlier or later days, a group
    first named in a later batch) or are too spread out for a grid (``far``: days 30 years
    apart) give the table of all the rows at once."""
    rows = [
        ((FIRST + timedelta(days=d * (400 if far else 1))).isoformat(), k, g, v)
        for d, k, g, v in found
    ]
    order.shuffle(rows)
    wants = Needs(extremes=frozenset({"a"}), values=frozenset({"b"}), nps=frozenset({"a"}))
    table = long_table(rows)
    builder = DayBuilder(table.kpi_names, wants)
    start = 0
    for size in [*cuts, len(rows)]:
        batch = table.take(np.arange(start, min(start + size, len(rows))))
        start += size
        builder.add(
            batch.days.view(np.int64),
            batch.kpi,
            builder.groups([table.group_names[g] for g in batch.group.tolist()]),
            batch.values,
        )
    _same_tables(builder.table(), of_rows(table, wants))


@given(
    st.lists(
        st.one_of(
            st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False),
            st.floats(-1e-200, 1e-200, allow_nan=False),
            st.decimals(-1000, 1000, places=3).map(float),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_exact_sums_are_fsum_in_any_order(values: list[float]) -> None:
    expected = math.fsum(values)
    for order in (values, values[::-1], sorted(values)):
        limbs, extra = exactsum.add(np.zeros(len(order), dtype=np.intp), np.array(order), 1)
        found = exactsum.total(limbs[0].tolist(), extra.get(0, 0))
        assert found == expected or (found == 0 and expected == 0)


@given(
    st.lists(
        st.one_of(
            st.floats(-(2.0**32) + 1, 2.0**32 - 1, allow_nan=False),
            st.integers(-(2**33), 2**33).map(lambda n: n / 2),  # halves: rint rounds to even
            st.floats(-1e-200, 1e-200, allow_nan=False),
            st.decimals(-1000, 1000, places=2).map(float),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_exact_sums_of_values_below_2_to_the_32_are_fsum(values: list[float]) -> None:
    """Values below 2**32, whole ones (one bincount) and others (split into limbs) mixed,
    give fsum's sum too, halves and values far below the grid included."""
    values = [v for v in values if abs(v) < 2.0**32] or [0.5]
    expected = math.fsum(values)
    for order in (values, values[::-1]):
        limbs, extra = exactsum.add(np.zeros(len(order), dtype=np.intp), np.array(order), 1)
        found = exactsum.total(limbs[0].tolist(), extra.get(0, 0))
        assert found == expected or (found == 0 and expected == 0)


def test_exact_sums_worked_by_hand() -> None:
    # 0.1 + 0.2 + 0.3 rounded at each step is 0.6000000000000001; exactly, 0.6.
    limbs, _ = exactsum.add(np.zeros(3, dtype=np.intp), np.array([0.1, 0.2, 0.3]), 1)
    assert exactsum.total(limbs[0].tolist()) == 0.6
    assert 0.1 + 0.2 + 0.3 == 0.6000000000000001
    # Halves and cents with whole numbers: 0.5 + 2.5 + 37.71 + 0.29 is exactly 41.
    limbs, _ = exactsum.add(np.zeros(4, dtype=np.intp), np.array([0.5, 2.5, 37.71, 0.29]), 1)
    assert exactsum.total(limbs[0].tolist()) == 41.0
    # Across keys, whole numbers past 2**53 in a running float sum stay exact.
    values = np.array([2.0**52, 1.0, 1.0, 2.0**52, 3.0])
    limbs, _ = exactsum.add(np.array([0, 0, 0, 1, 1]), values, 2)
    assert exactsum.totals(limbs).tolist() == [2.0**52 + 2, 2.0**52 + 3]


JAN = period_of(date(2026, 1, 1), Period.MONTH)


def kpis(**aggregations: Aggregation) -> dict[str, Kpi]:
    return {key: Kpi(aggregation=aggregation) for key, aggregation in aggregations.items()}


def test_last_is_the_largest_value_of_the_latest_day_in_any_order() -> None:
    rows = [
        ("2026-01-20", "k", "A", 1.0),
        ("2026-01-31", "k", "A", 3.0),
        ("2026-01-31", "k", "B", 7.0),  # the latest day holds 3, 7 and 2: the total is 7
        ("2026-01-31", "k", "A", 2.0),  # group A's latest day holds 3 and 2: A is 3
        ("2026-01-05", "k", "B", 9.0),
    ]
    for order in (rows, rows[::-1], rows[2:] + rows[:2]):
        data = aggregate(long_table(order), kpis(k=Aggregation.LAST), Period.MONTH)
        assert data.shown("k").values == {JAN: 7.0}
        assert data.shown("k", "A").values == {JAN: 3.0}
        assert data.shown("k", "B").values == {JAN: 7.0}


def test_every_aggregation_by_hand_from_day_cells() -> None:
    """Several rows per day and group, worked by hand: what each cell keeps is enough."""
    rows = [
        ("2026-01-02", "k", "A", 9.0),
        ("2026-01-02", "k", "A", 6.0),
        ("2026-01-02", "k", "B", 10.0),
        ("2026-01-09", "k", "A", 7.5),
        ("2026-01-09", "k", "A", 9.0),
    ]
    expected = {
        Aggregation.SUM: 41.5,  # 9 + 6 + 10 + 7.5 + 9
        Aggregation.MEAN: 8.3,  # 41.5 / 5
        Aggregation.MEDIAN: 9.0,  # 6, 7.5, 9, 9, 10
        Aggregation.LAST: 9.0,  # 2026-01-09: 7.5 and 9
        Aggregation.MIN: 6.0,
        Aggregation.MAX: 10.0,
        Aggregation.COUNT: 5.0,
        Aggregation.NUNIQUE: 4.0,  # 6, 7.5, 9, 10
        Aggregation.NPS: 40.0,  # promoters 9, 10, 9 (60 %) minus the detractor 6 (20 %)
    }
    for aggregation, value in expected.items():
        data = aggregate(long_table(rows), kpis(k=aggregation), Period.MONTH)
        assert data.shown("k").values == {JAN: value}, aggregation
