"""KPIs that count answers (aggregation count or nunique) take any text as a value, in every
reader; the counts below are made by hand from the files the tests write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.ingest.conftest import kpis, source

from roicli.config import Kpi
from roicli.enums import Period
from roicli.errors import DataError
from roicli.ingest import Dataset, load_sources
from roicli.periods import aggregate, period_start

QUESTION = "Would you recommend the course?"
COUNT = kpis(answers={"label": QUESTION, "aggregation": "count"})
NUNIQUE = kpis(answers={"label": QUESTION, "aggregation": "nunique"})
# January: 3 answers (2 distinct), February: 2 answers (2 distinct); empty and n/a not counted.
WORDS = (
    f"Date,{QUESTION}\n"
    "2026-01-05,Yes absolutely\n"
    "2026-01-09,No\n"
    "2026-01-20,\n"
    "2026-01-21,Yes absolutely\n"
    '2026-02-02,"Yes, absolutely"\n'
    "2026-02-03,n/a\n"
    "2026-02-04,No\n"
)


def monthly(dataset: Dataset, configured: dict[str, Kpi]) -> dict[str, float]:
    data = aggregate(dataset.table, configured, Period.MONTH)
    return {
        period_start(ordinal, Period.MONTH).strftime("%Y-%m"): value
        for ordinal, value in data.shown("answers").values.items()
    }


def test_word_answers_counted_by_the_text_reader(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(WORDS, encoding="utf-8")
    counted = load_sources([source(path)], COUNT)
    assert monthly(counted, COUNT) == {"2026-01": 3.0, "2026-02": 2.0}
    assert counted.audits[0].detected["reader"] == "pandas"
    assert counted.audits[0].rows == 5
    assert counted.audits[0].detected["missing_values"] == 2  # the empty answer and n/a
    assert monthly(load_sources([source(path)], NUNIQUE), NUNIQUE) == {
        "2026-01": 2.0,
        "2026-02": 2.0,
    }


def test_word_answers_still_refused_for_a_sum(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(WORDS, encoding="utf-8")
    summed = kpis(answers={"label": QUESTION, "aggregation": "sum"})
    with pytest.raises(DataError, match=r"row 2, .*cannot read 'Yes absolutely' as a number"):
        load_sources([source(path)], summed)


def test_numeric_answers_counted_by_the_typed_reader(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(f"Date,{QUESTION}\n2026-01-05,5\n2026-01-09,4\n2026-01-21,5\n2026-02-02,3\n")
    counted = load_sources([source(path)], COUNT)
    assert counted.audits[0].detected["reader"] == "pyarrow"
    assert monthly(counted, COUNT) == {"2026-01": 3.0, "2026-02": 1.0}
    distinct = load_sources([source(path)], NUNIQUE)
    assert monthly(distinct, NUNIQUE) == {"2026-01": 2.0, "2026-02": 1.0}  # 5 and 4; 3


def test_a_late_word_sends_a_clean_file_to_the_text_reader(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(f"Date,{QUESTION}\n2026-01-05,5\n2026-01-09,4\n2026-02-02,No idea\n")
    counted = load_sources([source(path)], COUNT)
    assert monthly(counted, COUNT) == {"2026-01": 2.0, "2026-02": 1.0}


def test_long_layout_counts_words_only_for_counted_kpis(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "Date,Metric,Value\n"
        "2026-01-05,Feedback,Great\n"
        "2026-01-06,Feedback,Too long\n"
        "2026-01-06,Feedback,Great\n"
        "2026-01-07,Hours,2.5\n"
    )
    configured = kpis(
        feedback={"label": "Feedback", "aggregation": "nunique"}, hours={"label": "Hours"}
    )
    long = source(path, layout="long", columns={"date": "Date", "kpi": "Metric", "value": "Value"})
    data = aggregate(load_sources([long], configured).table, configured, Period.MONTH)
    assert list(data.shown("feedback").values.values()) == [2.0]  # Great, Too long
    assert list(data.shown("hours").values.values()) == [2.5]
    path.write_text(path.read_text() + "2026-01-08,Hours,two\n")
    with pytest.raises(DataError, match="row 6, column 'Value': cannot read 'two' as a number"):
        load_sources([long], configured)


def test_word_answers_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", QUESTION])
    for day, answer in [(5, "Yes absolutely"), (9, 4), (12, True), (20, None), (21, 4)]:
        sheet.append([dt.datetime(2026, 1, day), answer])
    book.save(path)
    assert monthly(load_sources([source(path)], COUNT), COUNT) == {"2026-01": 4.0}
    # "Yes absolutely", 4 and TRUE: the second 4 is no new answer.
    assert monthly(load_sources([source(path)], NUNIQUE), NUNIQUE) == {"2026-01": 3.0}


def test_word_answers_in_parquet(tmp_path: Path) -> None:
    path = tmp_path / "survey.parquet"
    table = pa.table(
        {
            "Date": pa.array([dt.date(2026, 1, 5), dt.date(2026, 1, 9), dt.date(2026, 2, 1)]),
            QUESTION: pa.array(["No", "No", None]),
        }
    )
    pq.write_table(table, path)
    assert monthly(load_sources([source(path)], COUNT), COUNT) == {"2026-01": 2.0}
    assert monthly(load_sources([source(path)], NUNIQUE), NUNIQUE) == {"2026-01": 1.0}
