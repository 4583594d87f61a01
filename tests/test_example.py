"""The example project: the repository copy is what `roicli init` writes, and it tells a story."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from roicli.config import load_config
from roicli.errors import UsageError
from roicli.example import write_example

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
FILES = [
    "configs/roicli.yaml",
    "configs/multi_year.yaml",
    "sample_data/web_analytics.csv",
    "sample_data/crm_export.xlsx",
    "sample_data/training_feedback.csv",
    "sample_data/estimates.csv",
]


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=delimiter))


def _leads() -> dict[tuple[str, str], tuple[int, int, float]]:
    """(month "YYYY-MM", team) → (MQL, customers, cost per lead), read from the workbook."""
    rows = _cells(SAMPLE_DATA / "crm_export.xlsx")["Leads"][3:]
    return {(f"{m:%Y-%m}", team): (mql, cust, cpl) for m, team, mql, cust, cpl in rows}


def test_repository_copy_equals_a_fresh_generation(tmp_path: Path) -> None:
    written = write_example(tmp_path)

    assert written == [tmp_path / name for name in FILES]
    for name in FILES:
        if name.endswith(".xlsx"):
            assert _cells(tmp_path / name) == _cells(REPO / name), name
        else:
            assert (tmp_path / name).read_bytes() == (REPO / name).read_bytes(), name


def test_config_is_the_packaged_template_and_loads(tmp_path: Path) -> None:
    write_example(tmp_path)

    loaded = load_config(tmp_path / "configs" / "roicli.yaml")

    config = loaded.config
    assert [source.path is not None and source.path.is_file() for source in config.sources] == [
        True,
        True,
        True,
    ]
    assert [program.name for program in config.programs] == [
        "SEO and content cross-mentoring 2026",
        "Consultative selling micro-learning",
    ]
    objectives = [o for program in config.programs for o in program.objectives]
    assert [o.id for o in objectives] == [
        "seo-traffic",
        "lead-growth",
        "cost-per-lead",
        "coaching-estimates",
        "satisfaction",
        "leads-x3",
        "conversion-uplift",
    ]
    estimates = next(o.estimates for o in objectives if o.estimates is not None)
    assert estimates.is_file()


def test_refuses_to_overwrite_without_force_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "sample_data").mkdir()
    (tmp_path / "sample_data" / "estimates.csv").write_text("mine\n", encoding="utf-8")

    with pytest.raises(UsageError) as caught:
        write_example(tmp_path)

    assert str(caught.value) == (
        f"files already exist in {tmp_path}: sample_data/estimates.csv (use --force to overwrite)"
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "sample_data",
        "sample_data/estimates.csv",
    ]
    assert (tmp_path / "sample_data" / "estimates.csv").read_text(encoding="utf-8") == "mine\n"


def test_lists_every_existing_file(tmp_path: Path) -> None:
    write_example(tmp_path)

    with pytest.raises(UsageError, match="use --force to overwrite") as caught:
        write_example(tmp_path)

    assert caught.value.message == f"files already exist in {tmp_path}: {', '.join(FILES)}"


def test_force_overwrites(tmp_path: Path) -> None:
    write_example(tmp_path)
    config = tmp_path / "configs" / "roicli.yaml"
    config.write_text("edited\n", encoding="utf-8")

    write_example(tmp_path, force=True)

    assert config.read_bytes() == (REPO / "configs" / "roicli.yaml").read_bytes()


def test_web_analytics_covers_24_months_of_daily_rows() -> None:
    rows = _rows(SAMPLE_DATA / "web_analytics.csv")

    # 730 days × 2 teams × 2 metrics
    assert len(rows) == 2920
    assert (rows[0]["Date"], rows[-1]["Date"]) == ("2024-11-01", "2026-10-31")
    assert {r["Metric"] for r in rows} == {"Organic sessions", "Avg. engagement time"}
    assert {r["Team"] for r in rows} == {"Marketing", "Sales"}


def test_marketing_sessions_grow_after_the_mentoring() -> None:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in _rows(SAMPLE_DATA / "web_analytics.csv"):
        if row["Metric"] == "Organic sessions":
            totals[row["Date"][:7], row["Team"]] += int(row["Value"])

    assert totals["2024-11", "Marketing"] == 9354  # ≈ 312 a day
    baseline_months = [totals[month, "Marketing"] for month in ("2025-10", "2025-11", "2025-12")]
    assert sum(baseline_months) == 30126  # baseline 10,042 a month, target +20 %: 12,050
    assert totals["2026-09", "Marketing"] == 13018  # past the +20 % target at the deadline
    assert totals["2026-10", "Sales"] == 4061  # ≈ 131 a day, flat


def test_crm_workbook_layout() -> None:
    cells = _cells(SAMPLE_DATA / "crm_export.xlsx")

    leads = cells["Leads"]
    assert leads[0][0] == "Alpine Outdoor — CRM leads by month"
    assert all(value is None for value in leads[1])
    assert leads[2] == ("Month", "Team", "MQL", "Customers", "Cost per lead")
    assert len(leads) == 3 + 24 * 2
    assert leads[3][:2] == (datetime(2024, 11, 1), "Marketing")
    assert list(cells) == ["Leads", "Notes"]


def test_lead_difference_in_differences_is_about_30_a_month() -> None:
    leads = _leads()

    def mean_mql(team: str, months: list[str]) -> float:
        return sum(leads[month, team][0] for month in months) / len(months)

    before = ["2025-10", "2025-11", "2025-12"]
    after = ["2026-07", "2026-08", "2026-09", "2026-10"]
    marketing = mean_mql("Marketing", after) - mean_mql("Marketing", before)
    sales = mean_mql("Sales", after) - mean_mql("Sales", before)

    # (151.75 - 116.33) - (78.25 - 75.67)
    assert marketing - sales == pytest.approx(32.83, abs=0.01)


def test_cost_per_lead_falls_for_marketing_only() -> None:
    leads = _leads()

    assert leads["2025-12", "Marketing"][2] == 46.19
    assert leads["2026-10", "Marketing"][2] == 39.56  # just short of the -15 % target, 39.26
    assert leads["2026-10", "Sales"][2] == 51.25


def test_training_feedback_is_a_french_style_lms_export() -> None:
    rows = _rows(SAMPLE_DATA / "training_feedback.csv", delimiter=";")
    days = [datetime.strptime(r["Date"], "%d/%m/%Y").date() for r in rows]
    satisfaction = [int(r["Score"]) for r in rows if r["Question"] == "Satisfaction"]
    recommend = [int(r["Score"]) for r in rows if r["Question"] == "Recommend"]

    assert len(rows) == 240
    assert any(day.day > 12 for day in days)
    assert min(days) >= date(2026, 2, 1)
    assert max(days) <= date(2026, 7, 31)
    assert sum(satisfaction) / len(satisfaction) == pytest.approx(4.258, abs=0.001)
    promoters = sum(score >= 9 for score in recommend)
    detractors = sum(score <= 6 for score in recommend)
    assert (promoters, detractors, len(recommend)) == (66, 18, 120)  # NPS 40


def _fraction(text: str) -> float:
    return float(text.rstrip("%")) / 100 if text.endswith("%") else float(text or 0)


def test_estimates_add_up_to_20484_after_adjustment() -> None:
    rows = _rows(SAMPLE_DATA / "estimates.csv")
    adjusted = [
        float(r["annual_value"]) * _fraction(r["contribution"]) * _fraction(r["confidence"])
        for r in rows
    ]

    assert len(rows) == 12
    assert sum(not r["confidence"] for r in rows) == 2
    assert sum(adjusted) == pytest.approx(20484)
