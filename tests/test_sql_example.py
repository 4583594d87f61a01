"""The bundled example's data loaded into PostgreSQL gives the same report as its files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import LOCAL_STATE
from tests.pg import Server
from tests.sqlrows import example_from_postgres, load_example, report, without_sources

AS_OF = "2026-10-31"


def test_the_example_from_postgresql_gives_the_files_report(
    postgres: Server, repo: Path, tmp_path: Path
) -> None:
    shutil.copytree(repo / "configs", tmp_path / "configs", ignore=LOCAL_STATE)
    shutil.copytree(repo / "sample_data", tmp_path / "sample_data")
    files = tmp_path / "configs" / "roicli.yaml"
    load_example(postgres, tmp_path / "sample_data")
    tables = example_from_postgres(tmp_path)
    from_files = report(files, as_of=AS_OF)
    from_tables = report(tables, env={"ROICLI_CRM_URL": postgres.url()}, as_of=AS_OF)
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
