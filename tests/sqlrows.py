"""Rows shared by the database tests: a long table with every aggregation, worked by hand in
tests/test_sql_postgres.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

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


def report(config: Path, *, env: dict[str, str] | None = None, as_of: str = "2026-02-28") -> Result:
    return CliRunner().invoke(
        app,
        ["report", "-c", str(config), "--as-of", as_of, "--format", "json", "--no-history", "-q"],
        env={"COLUMNS": "160", "NO_COLOR": "1", **(env or {})},
    )


def without_sources(text: str) -> dict[str, Any]:
    """A JSON report without what differs between two runs of the same rows from different
    sources: the audit's source entries and the config's name and digest."""
    found = json.loads(text)
    for key in ("sources", "config", "config_sha256"):
        found["audit"].pop(key)
    return dict(found)
