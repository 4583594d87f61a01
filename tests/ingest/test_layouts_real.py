"""Layouts of real exports (shared/realdata): survey answers counted as words, every stacked
table of a GA4 snapshot, the sheet search of a workbook. Expected figures are counted here with
the csv module, and the first ones by hand from the file."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.config import Kpi
from roicli.enums import Period
from roicli.errors import DataError
from roicli.ingest import Dataset, load_sources
from roicli.ingest.excel import read_excel
from roicli.ingest.kpimatch import kpi_lookup
from roicli.periods import aggregate, period_start

FORMS = Path("evaluations") / "google-forms"
EXPERIENCE = "¿Cómo calificarías tu nivel de experiencia usando R?"
COUNTED = kpis(answers={"label": EXPERIENCE, "aggregation": "count"})
DISTINCT = kpis(levels={"label": EXPERIENCE, "aggregation": "nunique"})


def monthly(dataset: Dataset, configured: dict[str, Kpi], kpi: str) -> dict[str, float]:
    """A KPI per month as roicli aggregates it for the report."""
    data = aggregate(dataset.table, configured, Period.MONTH)
    return {
        period_start(ordinal, Period.MONTH).strftime("%Y-%m"): value
        for ordinal, value in data.shown(kpi).values.items()
    }


def form_answers(path: Path, column: int) -> dict[str, list[str]]:
    """The non-empty answers of one question per month of the M/D/YYYY timestamp."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    answers: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        month, _, year = row[0].split()[0].split("/")
        if row[column]:
            answers[f"{year}-{int(month):02d}"].append(row[column])
    return answers


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_survey_word_answers_are_counted(realdata: Path, suffix: str) -> None:
    path = realdata / FORMS / f"r_community_survey_2019_es_responses.{suffix}"
    expected = form_answers(realdata / FORMS / "r_community_survey_2019_es_responses.csv", 1)
    assert {month: len(found) for month, found in expected.items()} == {
        "2019-12": 227,
        "2020-01": 111,
    }
    dataset = load_sources([source(path, columns={"date": "Timestamp"})], COUNTED)
    assert monthly(dataset, COUNTED, "answers") == {"2019-12": 227.0, "2020-01": 111.0}
    distinct = load_sources([source(path, columns={"date": "Timestamp"})], DISTINCT)
    # "Sin experiencia", "Inicial", "Intermedio", "Experto" were all given in both months.
    assert monthly(distinct, DISTINCT, "levels") == {"2019-12": 4.0, "2020-01": 4.0}
    assert {month: len(set(found)) for month, found in expected.items()} == {
        "2019-12": 4,
        "2020-01": 4,
    }
    assert dataset.audits[0].rows == 338


def test_survey_word_answers_are_not_numbers_to_add_up(realdata: Path) -> None:
    path = realdata / FORMS / "r_community_survey_2019_es_responses.csv"
    summed = kpis(answers={"label": EXPERIENCE, "aggregation": "sum"})
    with pytest.raises(DataError, match=r"row 2, .*cannot read 'Inicial' as a number"):
        load_sources([source(path, columns={"date": "Timestamp"})], summed)


def test_typeform_ticked_options_are_counted(realdata: Path) -> None:
    path = realdata / "evaluations" / "typeform" / "coderefinery_pre_workshop_aalto-may-2018.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    git, submitted = header.index("Git"), header.index("Submit Date (UTC)")
    ticked: dict[str, int] = defaultdict(int)
    for row in rows[1:]:
        if row[git]:
            ticked[row[submitted][:7]] += 1
    assert ticked == {"2018-04": 17, "2018-05": 14}
    configured = kpis(git={"label": "Git", "aggregation": "count"})
    dataset = load_sources([source(path, columns={"date": "Submit Date (UTC)"})], configured)
    assert monthly(dataset, configured, "git") == {"2018-04": 17.0, "2018-05": 14.0}


def test_ga4_snapshot_reads_every_stacked_table_with_the_date(realdata: Path) -> None:
    path = realdata / "google-analytics-4" / "ga4_Reports_snapshot.csv"
    configured = kpis(
        active_users={"label": "Active users"},
        new_users={"label": "New users"},
        engagement={"label": "Average engagement time per active user", "aggregation": "mean"},
    )
    dataset = load_sources([source(path, columns={"date": "Nth week"})], configured)
    audit = dataset.audits[0]
    assert audit.kpis == ("active_users", "new_users", "engagement")
    assert audit.detected["header_row"] == "9, 66, 123"
    frame = frame_of(dataset)

    def weekly(kpi: str) -> list[tuple[dt.date, float]]:
        rows = frame[frame["kpi"] == kpi].head(3)
        return [(day.date(), value) for day, value in zip(rows["date"], rows["value"], strict=True)]

    weeks = [dt.date(2025, 1, 1), dt.date(2025, 1, 8), dt.date(2025, 1, 15)]
    # Lines 10-12, 67-69 and 124-126 of the file: weeks 0000, 0001, 0002 from 2025-01-01.
    assert weekly("active_users") == list(zip(weeks, [13.0, 22.0, 18.0], strict=True))
    assert weekly("new_users") == list(zip(weeks, [13.0, 19.0, 18.0], strict=True))
    engagement = [65.76923076923077, 25.727272727272727, 53.72222222222222]
    assert weekly("engagement") == list(zip(weeks, engagement, strict=True))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    second = rows[66 : rows.index([], 66)]  # the New users table, up to its blank line
    assert len(second) == 53
    new_users = frame[frame["kpi"] == "new_users"]
    assert len(new_users) == 53
    assert new_users["value"].sum() == sum(float(row[1]) for row in second)


def test_ga4_kpi_in_two_stacked_tables_is_refused(tmp_path: Path, realdata: Path) -> None:
    text = (realdata / "google-analytics-4" / "ga4_Reports_snapshot.csv").read_bytes()
    first = text[: text.index(b"\r\n\r\n") + 4]  # the Active users table and its blank line
    path = tmp_path / "twice.csv"
    path.write_bytes(first + first)
    with pytest.raises(DataError, match=r"'active_users' is in two stacked tables .*9 and 72"):
        load_sources(
            [source(path, columns={"date": "Nth week"})],
            kpis(active_users={"label": "Active users"}),
        )


def test_workbook_without_the_mapped_columns_lists_its_sheets(realdata: Path) -> None:
    path = realdata / "semrush-xlsx" / "EV USA Keywords - SEMrush.xlsx"
    with pytest.raises(DataError) as raised:
        load_sources([source(path)], kpis(volume={"label": "Search Volume"}))
    assert str(raised.value) == (
        f"{path}: no sheet has a row holding all the mapped columns ('Date'); the workbook has "
        "sheets: 'Keywords', 'All competitors', 'Share of voice' (set sheet: to one of "
        "'Keywords', 'All competitors', 'Share of voice', and columns to the names in its "
        "header row)"
    )


def test_workbook_sheet_search_prefers_the_sheet_with_a_kpi(realdata: Path) -> None:
    path = realdata / "semrush-xlsx" / "EV USA Keywords - SEMrush.xlsx"
    # "Url" heads the second and the third sheets; only the third has the KPI's column.
    lookup = kpi_lookup(kpis(voice={"label": "Share of Voice level"}))
    table = read_excel(path, source(path, columns={"date": "Url"}), lookup)
    assert table.detected["sheet"] == "Share of voice"
    assert table.detected["header_row"] == 1
    assert table.columns.iloc[0].tolist() == ["tesla.com", 47.65482]
    assert dict(table.mapped.values) == {"Share of Voice level": "voice"}
