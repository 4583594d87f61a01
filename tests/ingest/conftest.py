"""Helpers for the ingestion tests: the real exports folder, sources and KPIs built literally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roicli.config import Kpi, Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
REALDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"


def source(path: Path, **settings: Any) -> Source:
    """A validated Source; ``columns`` defaults to a wide layout keyed on a "Date" column."""
    settings.setdefault("columns", {"date": "Date"})
    settings.setdefault("layout", "wide")
    return Source.model_validate({"path": path, **settings})


def kpis(**definitions: dict[str, Any]) -> dict[str, Kpi]:
    """Configured KPIs from keyword arguments: ``kpis(clicks={"label": "Clicks"})``."""
    return {key: Kpi.model_validate(value) for key, value in definitions.items()}


@pytest.fixture
def realdata() -> Path:
    """The folder of real exports shared by the team; tests using it skip when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"the real exports folder {REALDATA} is not present")
    return REALDATA.resolve()
