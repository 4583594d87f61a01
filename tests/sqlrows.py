"""Rows shared by the database tests: a long table with every aggregation, worked by hand in
tests/test_sql_postgres.py."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.pg import Server
from typer.testing import CliRunner, Result

from roicli.cli import app
from roicli.config import Kpi
from roicli.enums import Aggregation

# (day, metric, team, value): every aggregation, worked by hand below.
LONG_ROWS = [
    ("2026-01-05", "leads", "A", 10),
    ("2026-01-20", "  qualified LEADS ", "A", 30),  # an alias, matched as a file's would be
    ("2026-01-31", "leads", "B", 5),
    ("2026-02-02", "leads", "A", 12),
    ("2026-03-05", "leads", "A", 1000),  # after the as-of date: never asked for
    ("2026-01-03", "cost", "A", 100),
    ("2026-01-04", "cost", "A", 50),
    ("2026-01-10", "cost", "B", 30),
    ("2026-01-30", "stock", "A", 7),
    ("2026-01-31", "stock", "A", 9),
    ("2026-01-31", "stock", "B", 4),
    ("2026-01-02", "wait", "A", 1),
    ("2026-01-02", "wait", "A", 5),
    ("2026-01-03", "wait", "A", 2),
    ("2026-01-04", "wait", "B", 10),
    ("2026-01-06", "visitors", "A", 7),
    ("2026-01-06", "visitors", "A", 7),
    ("2026-01-06", "visitors", "A", 8),
    ("2026-01-07", "visitors", "B", 8),
    ("2026-01-08", "recommend", "A", 10),
    ("2026-01-08", "recommend", "A", 9),
    ("2026-01-09", "recommend", "B", 7),
    ("2026-01-09", "recommend", "B", 3),
    ("2026-01-11", "low", "A", 3),
    ("2026-01-12", "low", "A", 8),
    ("2026-01-11", "high", "A", 3),
    ("2026-01-12", "high", "A", 8),
    ("2026-01-15", "Bounce rate", "A", 0.4),  # matches no KPI: listed, never aggregated
]
KPIS = {
    "leads": Kpi(aggregation=Aggregation.SUM, aliases=("Qualified leads",)),
    "cost": Kpi(aggregation=Aggregation.MEAN),
    "stock": Kpi(aggregation=Aggregation.LAST),
    "wait": Kpi(aggregation=Aggregation.MEDIAN),
    "visitors": Kpi(aggregation=Aggregation.NUNIQUE),
    "recommend": Kpi(aggregation=Aggregation.NPS),
    "low": Kpi(aggregation=Aggregation.MIN),
    "high": Kpi(aggregation=Aggregation.MAX),
}


def write_csv(path: Path) -> Path:
    """The long rows as a CSV export, with a header."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "metric", "team", "value"])
        writer.writerows(LONG_ROWS)
    return path


def config_with(folder: Path, source: str) -> Path:
    config = folder / "roicli.yaml"
    kpis = "\n".join(
        f"  {key}: {{aggregation: {kpi.aggregation.value}}}" for key, kpi in KPIS.items()
    )
    kpis = kpis.replace(
        "  leads: {aggregation: sum}", '  leads: {aggregation: sum, aliases: ["Qualified leads"]}'
    )
    config.write_text(
        f"""version: 1
sources:
{source}
    columns: {{date: day, kpi: metric, value: value, group: team}}
kpis:
{kpis}
programs:
  - name: Leads course
    start: 2026-01-15
    costs: [{{item: Trainer, amount: 900}}]
    objectives:
      - id: leads
        title: More leads in team A
        kpi: leads
        group: A
        baseline: {{value: 20}}
        target: {{change: "+50%"}}
        deadline: 2026-06-30
        value_per_unit: 25
""",
        encoding="utf-8",
    )
    return config


def report(
    config: Path,
    *,
    env: dict[str, str] | None = None,
    as_of: str = "2026-02-28",
    extra: list[str] | None = None,
) -> Result:
    """``roicli report --format json`` on a config, through the real CLI."""
    return CliRunner().invoke(
        app,
        [
            *("report", "-c", str(config), "--as-of", as_of, "--format", "json"),
            *("--no-history", "-q", *(extra or [])),
        ],
        env={"COLUMNS": "160", "NO_COLOR": "1", **(env or {})},
    )


def without_sources(text: str) -> dict[str, Any]:
    """A JSON report without what differs between two runs of the same rows from different
    sources: the audit's source entries and the config's name and digest."""
    found = json.loads(text)
    for key in ("sources", "config", "config_sha256"):
        found["audit"].pop(key)
    return dict(found)


SQL_SOURCES = """sources:
  - url_env: ROICLI_CRM_URL
    table: web_analytics
    layout: long
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
  - url_env: ROICLI_CRM_URL
    table: crm leads
    layout: wide
    columns: {date: Month, group: Team}
  - url_env: ROICLI_CRM_URL
    query: SELECT "Date", "Team", "Question", "Score" FROM training_feedback
    layout: long
    columns: {date: Date, kpi: Question, value: Score, group: Team}

"""


def load_example(postgres: Server, data: Path) -> None:
    """Every table of the example, typed as a database would hold it (made anew)."""
    postgres.execute('DROP TABLE IF EXISTS web_analytics, training_feedback, "crm leads"')
    with (data / "web_analytics.csv").open(encoding="utf-8") as handle:
        web = [(r["Date"], r["Team"], r["Metric"], r["Value"]) for r in csv.DictReader(handle)]
    postgres.execute(
        'CREATE TABLE web_analytics ("Date" date, "Team" text, "Metric" text, "Value" numeric)',
        "INSERT INTO web_analytics VALUES (%s, %s, %s, %s)",
        rows=web,
    )
    with (data / "training_feedback.csv").open(encoding="utf-8") as handle:
        survey = [
            (datetime.strptime(r["Date"], "%d/%m/%Y").date(), r["Team"], r["Question"], r["Score"])
            for r in csv.DictReader(handle, delimiter=";")
        ]
    postgres.execute(
        'CREATE TABLE training_feedback ("Date" date, "Team" text, "Question" text, "Score" int)',
        "INSERT INTO training_feedback VALUES (%s, %s, %s, %s)",
        rows=survey,
    )
    import openpyxl

    sheet = openpyxl.load_workbook(data / "crm_export.xlsx", read_only=True)["Leads"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))  # under the title and header
    postgres.execute(
        'CREATE TABLE "crm leads" ("Month" date, "Team" text, "MQL" int, "Customers" int, '
        '"Cost per lead" numeric)',
        'INSERT INTO "crm leads" VALUES (%s, %s, %s, %s, %s)',
        rows=[row[:5] for row in rows if row[0] is not None],
    )


def example_from_postgres(root: Path) -> Path:
    """Beside the example's config, the same config reading the example's tables."""
    files = root / "configs" / "roicli.yaml"
    text = files.read_text(encoding="utf-8")
    start = text.index("sources:\n")
    end = text.index("# ── KPIs")
    tables = files.with_name("from-postgres.yaml")
    tables.write_text(text[:start] + SQL_SOURCES + text[end:], encoding="utf-8")
    return tables
