"""The bundled example's data loaded into PostgreSQL gives the same report as its files."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

from tests.conftest import LOCAL_STATE
from tests.pg import Server
from tests.sqlrows import report, without_sources

AS_OF = "2026-10-31"
SQL_SOURCES = """sources:
  - url_env: ROICLI_EXAMPLE_URL
    table: web_analytics
    layout: long
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
  - url_env: ROICLI_EXAMPLE_URL
    table: crm leads
    layout: wide
    columns: {date: Month, group: Team}
  - url_env: ROICLI_EXAMPLE_URL
    query: SELECT "Date", "Team", "Question", "Score" FROM training_feedback
    layout: long
    columns: {date: Date, kpi: Question, value: Score, group: Team}

"""


def _load(postgres: Server, data: Path) -> None:
    """Every table of the example, typed as a database would hold it."""
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


def test_the_example_from_postgresql_gives_the_files_report(
    postgres: Server, repo: Path, tmp_path: Path
) -> None:
    shutil.copytree(repo / "configs", tmp_path / "configs", ignore=LOCAL_STATE)
    shutil.copytree(repo / "sample_data", tmp_path / "sample_data")
    files = tmp_path / "configs" / "roicli.yaml"
    _load(postgres, tmp_path / "sample_data")
    text = files.read_text(encoding="utf-8")
    start = text.index("sources:\n")
    end = text.index("# ── KPIs")
    tables = files.with_name("from-postgres.yaml")
    tables.write_text(text[:start] + SQL_SOURCES + text[end:], encoding="utf-8")
    from_files = report(files, as_of=AS_OF)
    from_tables = report(tables, env={"ROICLI_EXAMPLE_URL": postgres.url()}, as_of=AS_OF)
    assert from_files.exit_code == 0, from_files.output
    assert from_tables.exit_code == 0, from_tables.output
    assert without_sources(from_tables.stdout) == without_sources(from_files.stdout)
    sources = json.loads(from_tables.stdout)["audit"]["sources"]
    # At most one row per day, KPI and group received: the web table has 2 teams × 730 days
    # of organic sessions (plus the distinct metric names); the survey, days × 2 questions.
    web = sources[0]
    assert web["kpis"] == ["organic_sessions"]
    assert web["unmatched"] == ["Avg. engagement time"]
    assert web["detected"]["rows_received"] == 2 + 2 * 730
    assert sources[1]["kpis"] == ["cost_per_lead", "customers", "qualified_leads"]
