"""Starter templates: each writes a project that runs end to end, with hand-checked figures."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roicli.cli import app
from roicli.errors import UsageError
from roicli.templates import TEMPLATES, write_template

AS_OF = "2026-11-15"  # after the data, which ends on 2026-10-31

DATA_FILES = {
    "mentoring": [
        "hris_monthly.csv",
        "onboarding.csv",
        "mentoring_log.csv",
        "mentoring_survey.csv",
        "evaluations/reaction.csv",
        "evaluations/pre-test.csv",
        "evaluations/post-test.csv",
        "evaluations/follow-up.csv",
    ],
    "seo": ["ga4_organic.csv", "search_console.csv", "cms_articles.csv"],
    "sales": ["crm_monthly.csv"],
    "content": ["cms_content.csv", "social_posts.csv", "email_campaigns.csv", "estimates.csv"],
}

# Fully loaded costs, line by line from each template's config.
COSTS = {
    # needs analysis, design, mentors 216 h × 55, mentees 288 h × 32, events, 24 × 40, evaluation
    "mentoring": 800 + 3200 + 216 * 55 + 288 * 32 + 1400 + 24 * 40 + 700,
    # audit, trainer, 200 h × 45, 10 seats × 300, evaluation
    "seo": 1500 + 6400 + 200 * 45 + 10 * 300 + 600,
    # call reviews, design, coach, sellers 192 h × 50, managers 32 h × 70, 8 × 240, evaluation
    "sales": 1200 + 3500 + 7200 + 192 * 50 + 32 * 70 + 8 * 240 + 800,
    # audit, design, trainer days, 252 h × 42, 9 seats × 180, evaluation
    "content": 900 + 2800 + 5600 + 252 * 42 + 9 * 180 + 600,
}


def _files(name: str) -> list[str]:
    return ["configs/roicli.yaml", *(f"sample_data/{file}" for file in DATA_FILES[name])]


def _rows(path: Path, *, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        lines = [line for line in file if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=delimiter))


def _report(config: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["report", "-c", str(config), "--as-of", AS_OF, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _objective(report: dict[str, Any], objective_id: str) -> dict[str, Any]:
    (program,) = report["programs"]
    found: dict[str, Any] = next(o for o in program["objectives"] if o["id"] == objective_id)
    return found


def test_templates_are_the_four_themes() -> None:
    assert TEMPLATES == ("mentoring", "seo", "sales", "content")


@pytest.mark.parametrize("name", TEMPLATES)
def test_writes_the_config_and_sample_data(tmp_path: Path, name: str) -> None:
    written = write_template(name, tmp_path)

    assert written == [tmp_path / file for file in _files(name)]
    assert all(path.stat().st_size > 0 for path in written)


@pytest.mark.parametrize("name", TEMPLATES)
def test_same_bytes_on_every_run(tmp_path: Path, name: str) -> None:
    write_template(name, tmp_path / "a")
    write_template(name, tmp_path / "b")

    for file in _files(name):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


@pytest.mark.parametrize("name", TEMPLATES)
def test_refuses_to_overwrite_then_force_overwrites(tmp_path: Path, name: str) -> None:
    write_template(name, tmp_path)
    config = tmp_path / "configs" / "roicli.yaml"
    packaged = config.read_bytes()
    config.write_text("edited\n", encoding="utf-8")

    with pytest.raises(UsageError) as caught:
        write_template(name, tmp_path)

    assert str(caught.value) == (
        f"files already exist in {tmp_path}: {', '.join(_files(name))} (use --force to overwrite)"
    )
    assert config.read_text(encoding="utf-8") == "edited\n"
    write_template(name, tmp_path, force=True)
    assert config.read_bytes() == packaged


def test_unknown_template_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write_template("webinar", tmp_path)

    assert str(caught.value) == (
        "unknown template 'webinar' (choose one of mentoring, seo, sales, content)"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_report_runs_end_to_end(tmp_path: Path, name: str) -> None:
    write_template(name, tmp_path)

    report = _report(tmp_path / "configs" / "roicli.yaml")

    (program,) = report["programs"]
    assert program["costs"]["total"] == COSTS[name]
    assert "participant_time" in program["costs"]["by_category"]
    assert program["objectives"]
    assert [o["id"] for o in program["objectives"] if o["status"] == "no_data"] == []
    isolations = {o["isolation"] for o in program["objectives"]}
    assert len(isolations) >= 2, isolations


@pytest.mark.parametrize("name", TEMPLATES)
def test_check_passes(tmp_path: Path, name: str) -> None:
    write_template(name, tmp_path)
    config = tmp_path / "configs" / "roicli.yaml"

    result = CliRunner().invoke(app, ["check", "-c", str(config), "--as-of", AS_OF])

    assert result.exit_code == 0, result.output


def test_costs_totals() -> None:
    assert COSTS == {"mentoring": 28156, "seo": 20500, "sales": 26460, "content": 22104}


# One monthly value per template, read from its CSV by hand and found again in the report.


def test_mentoring_retention_in_october(tmp_path: Path) -> None:
    write_template("mentoring", tmp_path)
    rows = _rows(tmp_path / "sample_data" / "hris_monthly.csv", delimiter=";")

    (october,) = [
        r for r in rows if r["Month"] == "2026-10" and r["Population"] == "Young marketers"
    ]
    retention = float(october["12-month retention (%)"].replace(",", "."))

    assert retention == 76.2
    objective = _objective(_report(tmp_path / "configs" / "roicli.yaml"), "retention")
    assert (objective["current_period"], objective["current"]) == ("2026-10", retention)
    assert objective["status"] == "achieved"  # baseline 71.83 + 4 points = 75.83


def test_seo_organic_sessions_in_october(tmp_path: Path) -> None:
    write_template("seo", tmp_path)
    rows = _rows(tmp_path / "sample_data" / "ga4_organic.csv")

    sessions = sum(
        int(r["Value"])
        for r in rows
        if r["Date"].startswith("202610") and r["Metric"] == "Sessions"
    )

    assert sessions == 116732  # 31 days, about 3,770 a day
    objective = _objective(_report(tmp_path / "configs" / "roicli.yaml"), "organic-traffic")
    assert (objective["current_period"], objective["current"]) == ("2026-10", sessions)


def test_sales_team_north_conversion_in_october(tmp_path: Path) -> None:
    write_template("sales", tmp_path)
    rows = _rows(tmp_path / "sample_data" / "crm_monthly.csv")

    (october,) = [r for r in rows if r["Month"] == "Oct 2026" and r["Team"] == "Team North"]
    leads, customers = int(october["Qualified leads"]), int(october["New customers"])

    assert (leads, customers) == (131, 28)
    objective = _objective(_report(tmp_path / "configs" / "roicli.yaml"), "conversion")
    assert objective["current_period"] == "2026-10"
    assert objective["current"] == pytest.approx(customers / leads * 100, abs=1e-6)  # 21.37 %


def test_content_email_click_rate_in_october(tmp_path: Path) -> None:
    write_template("content", tmp_path)
    rows = _rows(tmp_path / "sample_data" / "email_campaigns.csv")

    rates = [float(r["Click rate (%)"]) for r in rows if r["Sent"].startswith("2026-10")]

    assert len(rates) == 4
    assert sum(rates) / len(rates) == pytest.approx(3.0175)
    objective = _objective(_report(tmp_path / "configs" / "roicli.yaml"), "email-clicks")
    assert objective["current_period"] == "2026-10"
    assert objective["current"] == pytest.approx(sum(rates) / len(rates))


def test_content_estimates_add_up(tmp_path: Path) -> None:
    write_template("content", tmp_path)
    rows = _rows(tmp_path / "sample_data" / "estimates.csv")

    def share(text: str) -> float:
        return float(text.rstrip("%")) / 100

    adjusted = sum(
        float(r["annual_value"]) * share(r["contribution"]) * share(r["confidence"]) for r in rows
    )

    assert adjusted == pytest.approx(17292)
    objective = _objective(_report(tmp_path / "configs" / "roicli.yaml"), "participant-estimates")
    # The annual figure is the first year's; to date it accrues month by month: 10 of 12.
    assert objective["first_year"] == pytest.approx(adjusted)
    assert objective["benefit"] == pytest.approx(adjusted * 10 / 12)  # 14,410


def test_every_template_choice_has_a_packaged_config() -> None:
    from importlib import resources

    from roicli.enums import Template

    for template in Template:
        packaged = resources.files("roicli") / "data" / "templates" / template.value / "roicli.yaml"
        assert packaged.is_file(), template
