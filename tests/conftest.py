"""Shared helpers: tiny long frames and configs written out literally."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


def long_frame(rows: Iterable[tuple[str, str, str, float]]) -> pd.DataFrame:
    """A normalised long frame from (date, kpi, group, value) tuples."""
    frame = pd.DataFrame(list(rows), columns=["date", "kpi", "group", "value"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["value"] = frame["value"].astype(float)
    return frame


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO
