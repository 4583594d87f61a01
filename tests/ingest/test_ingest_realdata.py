"""Every real export in shared/realdata read as it is, checked against sums computed here with
the csv module and plain Python (never with roicli's own parsers)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import frame_of
from tests.ingest.conftest import kpis, source

from roicli.errors import DataError
from roicli.ingest import Dataset, load_sources
from roicli.ingest.numbers import file_decimal, grouping_decimal, number_parts, to_numbers

GSC = kpis(
    clicks={"label": "Clicks", "aliases": ["Clics"]},
    impressions={},
    ctr={"label": "CTR", "aggregation": "mean", "unit": "%"},
    position={"aggregation": "mean"},
)


def records(path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def table(rows: list[list[str]], first_cell: str) -> list[dict[str, str]]:
    """The rows under the header whose first cell is ``first_cell``, up to the next blank row."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_cell)
    header = rows[start]
    body = []
    for row in rows[start + 1 :]:
        if not row or row[0].startswith("#"):
            break
        body.append(dict(zip(header, row, strict=False)))
    return body


def monthly(
    items: Iterable[dict[str, str]], month_of: Callable[[str], str], date: str, value: str
) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for item in items:
        if item[date] and item[value]:
            sums[month_of(item[date])] += float(item[value])
    return dict(sums)


def frame_monthly(dataset: Dataset, kpi: str) -> dict[str, float]:
    frame = frame_of(dataset)[lambda f: f["kpi"] == kpi]
    sums = frame.groupby(frame["date"].dt.strftime("%Y-%m"))["value"].sum()
    return {month: float(value) for month, value in sums.items()}


def iso_month(text: str) -> str:
    return text[:7]


@pytest.mark.parametrize(
    ("name", "clicks"), [("gsc_Dates.csv", "Clicks"), ("fr/gsc_fr_Dates.csv", "Clics")]
)
def test_search_console_dates(realdata: Path, name: str, clicks: str) -> None:
    path = realdata / "google-search-console" / name
    expected = table(records(path), "Date")
    dataset = load_sources([source(path)], GSC)
    assert frame_monthly(dataset, "clicks") == monthly(expected, iso_month, "Date", clicks)
    assert frame_monthly(dataset, "impressions") == pytest.approx(
        monthly(expected, iso_month, "Date", "Impressions")
    )
    frame = frame_of(dataset)
    ctr = frame[frame["kpi"] == "ctr"].sort_values("date")
    assert ctr["value"].tolist() == [
        float(item["CTR"].rstrip("%")) for item in sorted(expected, key=lambda i: i["Date"])
    ]
    audit = dataset.audits[0]
    assert audit.rows == len(expected)
    assert audit.kpis == ("clicks", "impressions", "ctr", "position")
    assert audit.detected["date_format"] == "%Y-%m-%d"


def test_search_console_dates_in_figures(realdata: Path) -> None:
    """The same check with the figures written out, so a reader can see what the files hold."""
    english = load_sources([source(realdata / "google-search-console" / "gsc_Dates.csv")], GSC)
    assert frame_monthly(english, "clicks") == {"2025-03": 66.0, "2025-04": 44.0}
    french = load_sources(
        [source(realdata / "google-search-console" / "fr" / "gsc_fr_Dates.csv")], GSC
    )
    assert frame_monthly(french, "clicks") == {
        "2024-11": 213312.0,
        "2024-12": 217667.0,
        "2025-01": 212356.0,
        "2025-02": 32976.0,
    }


def dd_mm_yy(text: str) -> str:
    _, month, year = text.split("-")
    return f"20{year}-{month}"


def test_google_analytics_ua_nl_second_table(realdata: Path) -> None:
    path = realdata / "google-analytics-ua" / "ga_ua_browser_version_nl-NL.csv"
    daily = table(records(path), "Dagindex")
    total_row = next(item for item in daily if not item["Dagindex"])
    dataset = load_sources(
        [source(path, columns={"date": "Dagindex"})], kpis(sessions={"aliases": ["Sessies"]})
    )
    sessions = frame_monthly(dataset, "sessions")
    assert sessions == monthly(daily, dd_mm_yy, "Dagindex", "Sessies")
    assert sessions["2014-09"] == 214.0
    assert sessions["2015-05"] == 1214.0
    assert sum(sessions.values()) == int(total_row["Sessies"].replace(".", ""))  # "7.374"
    audit = dataset.audits[0]
    assert (audit.rows, audit.excluded_rows, audit.skipped_rows) == (len(daily) - 1, 1, 0)
    assert audit.detected["header_row"] == 236
    assert audit.detected["date_format"] == "%d-%m-%y"
    assert audit.detected["dayfirst"] is True


def test_google_analytics_ua_nl_first_table_numbers(realdata: Path) -> None:
    """The browser table has no date: its number formats, read column by column, as a unit."""
    path = realdata / "google-analytics-ua" / "ga_ua_browser_version_nl-NL.csv"
    browsers = table(records(path), "Browser")[:-1]  # without the total row
    columns = {name: pd.Series([b[name] for b in browsers], dtype="str") for name in browsers[0]}
    assert file_decimal(columns.values()) == ","
    sessions, bad = to_numbers(number_parts(columns["Sessies"]), ",")
    assert not bad.any()
    assert sessions.tolist() == [float(b["Sessies"].replace(".", "")) for b in browsers]
    assert sessions[0] == 2546.0
    duration, _ = to_numbers(number_parts(columns["Gem. sessieduur"]), ",")
    hours_minutes_seconds = [b["Gem. sessieduur"].split(":") for b in browsers]
    assert duration.tolist() == [
        int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in hours_minutes_seconds
    ]
    money, _ = to_numbers(number_parts(columns["Doelwaarde"]), ",")
    assert money.eq(0.0).all()
    rate, _ = to_numbers(number_parts(columns["% nieuwe sessies"]), ",")
    assert rate[0] == 99.88


def test_google_analytics_ua_en_grouped_sessions(realdata: Path) -> None:
    path = realdata / "google-analytics-ua" / "ga_ua_browser_os_sessions_en-US.csv"
    rows = table(records(path), "Browser")[:-1]
    sessions = pd.Series([r["Sessions"] for r in rows], dtype="str")
    parts = number_parts(sessions)
    assert grouping_decimal(parts.core) == "."
    values, _ = to_numbers(parts, ".")
    assert values.tolist() == [float(r["Sessions"].replace(",", "")) for r in rows]
    assert values[0] == 2533.0


def ga4_day(start: str, unit: int) -> Callable[[str], str]:
    origin = dt.date(int(start[:4]), int(start[4:6]), int(start[6:]))
    return lambda index: (origin + dt.timedelta(days=unit * int(index))).strftime("%Y-%m")


def test_google_analytics_4_snapshot_tables(realdata: Path) -> None:
    path = realdata / "google-analytics-4" / "ga4_Reports_snapshot.csv"
    rows = records(path)
    configured = kpis(
        active_users={"label": "Active users"},
        new_users={"label": "New users"},
        active_30={"label": "30 days"},
        active_7={"label": "7 days"},
        active_1={"label": "1 day"},
    )
    daily = load_sources([source(path, columns={"date": "Nth day"})], configured)
    expected = table(rows, "Nth day")
    for kpi, column in (("active_30", "30 days"), ("active_7", "7 days"), ("active_1", "1 day")):
        assert frame_monthly(daily, kpi) == monthly(
            expected, ga4_day("20250101", 1), "Nth day", column
        )
    assert daily.audits[0].detected["header_row"] == 377
    assert daily.audits[0].detected["date_format"] == "day index from 2025-01-01"
    assert frame_monthly(daily, "active_1")["2025-01"] == 114.0

    weekly = load_sources([source(path, columns={"date": "Nth week"})], configured)
    # Two stacked tables hold "Nth week" and a configured KPI: both are read.
    assert weekly.audits[0].kpis == ("active_users", "new_users")
    assert weekly.audits[0].detected["header_row"] == "9, 66"
    first = table(rows, "Nth week")
    assert frame_monthly(weekly, "active_users") == monthly(
        first, ga4_day("20250101", 7), "Nth week", "Active users"
    )
    only_new = kpis(new_users={"label": "New users"})
    new = load_sources([source(path, columns={"date": "Nth week"})], only_new)
    assert new.audits[0].detected["header_row"] == 66
    second = table(rows[65:], "Nth week")  # the second table holding "Nth week"
    assert second[0] == {"Nth week": "0000", "New users": "13"}
    assert frame_of(new)["value"].sum() == sum(float(item["New users"]) for item in second)


def test_instagram_posts(realdata: Path) -> None:
    path = realdata / "instagram" / "Instagram_data.csv"
    posts = table(records(path), "Date")
    configured = kpis(impressions={}, likes={}, follows={}, conversion={"label": "Conversion Rate"})
    dataset = load_sources([source(path)], configured)
    for kpi, column in (("impressions", "Impressions"), ("likes", "Likes"), ("follows", "Follows")):
        assert frame_monthly(dataset, kpi) == monthly(posts, iso_month, "Date", column)
    assert frame_monthly(dataset, "impressions")["2022-04"] == 954802.0
    audit = dataset.audits[0]
    assert audit.rows == 176
    assert audit.detected["reader"] == "pyarrow"
    assert "Hashtags" in audit.unmatched


def test_facebook_ads_single_day(realdata: Path) -> None:
    path = realdata / "facebook-ads" / "facebook_ads_data.csv"
    ads = table(records(path), "campaign_name")
    configured = kpis(spend={}, purchases={"label": "purchase"}, impressions={})
    dataset = load_sources(
        [source(path, columns={"date": "date_start", "group": "gender"})], configured
    )
    spend = frame_of(dataset)[lambda f: f["kpi"] == "spend"]
    assert spend["date"].unique().tolist() == [pd.Timestamp("2024-08-06")]
    assert spend["value"].sum() == pytest.approx(sum(float(a["spend"]) for a in ads))
    assert spend["value"].sum() == pytest.approx(1053.21, abs=0.01)
    by_gender = spend.groupby("group")["value"].sum().to_dict()
    for gender in ("female", "male", "unknown"):
        expected = sum(float(a["spend"]) for a in ads if a["gender"] == gender)
        assert by_gender[gender] == pytest.approx(expected)
    assert frame_monthly(dataset, "purchases") == {"2024-08": 11.0}
    assert dataset.audits[0].rows == 123


def test_marketing_campaign_semicolons_bom_crlf(realdata: Path) -> None:
    path = realdata / "public-datasets" / "marketing_campaign_customer_personality.csv"
    customers = records(path, delimiter=";", encoding="utf-8-sig")
    items = [dict(zip(customers[0], row, strict=True)) for row in customers[1:]]
    configured = kpis(wine_spend={"label": "MntWines"}, income={"label": "Income"})
    dataset = load_sources([source(path, columns={"date": "Dt_Customer"})], configured)
    assert frame_monthly(dataset, "wine_spend") == monthly(
        items, iso_month, "Dt_Customer", "MntWines"
    )
    assert frame_monthly(dataset, "income") == monthly(items, iso_month, "Dt_Customer", "Income")
    audit = dataset.audits[0]
    assert audit.rows == 2240
    assert audit.detected["missing_values"] == 24  # empty Income cells: missing, never zero
    assert (audit.detected["encoding"], audit.detected["delimiter"]) == ("utf-8-sig", ";")
    table = dataset.table
    income = table.kpi_names.index("income")
    assert int(table.count[table.kpi == income].sum()) == 2240 - 24


def test_google_ads_report_has_no_date_column(realdata: Path) -> None:
    path = realdata / "google-ads" / "gads_Ad_report_2026-01-20_21.csv"
    with pytest.raises(DataError) as raised:
        load_sources([source(path, columns={"date": "Day"})], kpis(cost={}))
    message = str(raised.value)
    assert message.startswith(
        f"{path}: column 'Day' (columns.date) not found; the header on line 3 has: "
        "'Ad status', 'Final URL',"
    )
    assert message.endswith(
        "… and 70 more (set columns.date to one of the file's columns, "
        "or skip_rows to the lines before the header)"
    )


def test_semrush_workbook_has_no_date_column(realdata: Path) -> None:
    path = realdata / "semrush-xlsx" / "EV USA Keywords - SEMrush.xlsx"
    with pytest.raises(DataError) as raised:
        load_sources([source(path, sheet="Keywords")], kpis(volume={"label": "Search Volume"}))
    assert str(raised.value) == (
        f"{path}: column 'Date' (columns.date) not found; the header on row 1 of sheet "
        "'Keywords' has: 'Keyword', 'Michelin Ranking', 'Michelin Type', "
        "'Michelin Landing Page', 'cars.com/ Ranking', 'cars.com/ Landing Page', "
        "'Motortrend Ranking', 'motortrend.com/ Landing Page', 'Tags', 'Search Volume', "
        "'Keyword Difficulty' (set columns.date to one of the file's columns, "
        "or skip_rows to the lines before the header)"
    )
    with pytest.raises(DataError, match="sheet 'Share of voices' not found"):
        load_sources([source(path, sheet="Share of voices")], kpis(volume={}))


@pytest.mark.parametrize(
    ("name", "header_line"),
    [
        ("public-datasets/uci_bank-additional.csv", 1),
        ("lms-xapi/xAPI-Edu-Data.csv", 1),
        ("surveys/employee_survey.csv", 1),
        ("google-analytics-ua/ga_ua_browser_os_sessions_en-US.csv", 7),
        ("google-search-console/gsc_Queries.csv", 1),
        ("google-search-console/gsc_Devices.csv", 1),
        ("google-search-console/fr/gsc_fr_Requêtes.csv", 1),
        ("google-search-console/fr/gsc_fr_Appareils.csv", 1),
        ("google-search-console/fr/gsc_fr_Filtres.csv", 1),
    ],
)
def test_exports_without_dates_are_a_clear_error(
    realdata: Path, name: str, header_line: int
) -> None:
    path = realdata / name
    with pytest.raises(DataError) as raised:
        load_sources([source(path, columns={"date": "Datum"})], GSC)
    assert str(raised.value).startswith(
        f"{path}: column 'Datum' (columns.date) not found; the header on line {header_line} has: "
    )


def test_google_ads_metrics_as_a_unit(realdata: Path) -> None:
    """The Ads report has no date, so its metric columns are checked through the number reader:
    ad rows add up to the report's own "Total: All but removed ads" row."""
    path = realdata / "google-ads" / "gads_Ad_report_2026-01-20_21.csv"
    rows = table(records(path), "Ad status")
    ads = [row for row in rows if not row["Ad status"].startswith("Total")]
    total = next(row for row in rows if row["Ad status"] == "Total: All but removed ads")
    for column in ("Cost", "Impr.", "Interactions"):
        values, bad = to_numbers(
            number_parts(pd.Series([a[column] for a in ads], dtype="str")), "."
        )
        assert not bad.any()
        assert values.sum() == pytest.approx(float(total[column].replace(",", "")))
    rates = number_parts(pd.Series([r["Interaction rate"] for r in rows], dtype="str"))
    assert rates.missing.sum() == sum(r["Interaction rate"] == " --" for r in rows) == 2
    values, _ = to_numbers(rates, ".")
    assert values[0] == 14.29
