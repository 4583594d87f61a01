"""Shared helpers: tiny long tables and configs written out literally."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from roicli.ingest import Dataset
from roicli.longtable import LongTable

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


def long_table(rows: Iterable[tuple[str, str, str, float]]) -> LongTable:
    """A normalised long table from (date, kpi, group, value) tuples."""
    rows = list(rows)
    kpis = sorted({kpi for _, kpi, _, _ in rows})
    groups = sorted({group for _, _, group, _ in rows})
    return LongTable(
        days=np.array([day for day, _, _, _ in rows], dtype="datetime64[D]"),
        kpi=np.array([kpis.index(kpi) for _, kpi, _, _ in rows], dtype=np.int32),
        group=np.array([groups.index(group) for _, _, group, _ in rows], dtype=np.int32),
        values=np.array([value for _, _, _, value in rows], dtype=np.float64),
        kpi_names=tuple(kpis),
        group_names=tuple(groups),
    )


def frame_of(data: Dataset | LongTable) -> pd.DataFrame:
    """A long table as a frame (date, kpi, group, value), for assertions."""
    table = data.table if isinstance(data, Dataset) else data
    return pd.DataFrame(
        {
            "date": pd.Series(table.days.astype("datetime64[ns]")),
            "kpi": pd.Series([table.kpi_names[code] for code in table.kpi.tolist()], dtype="str"),
            "group": pd.Series(
                [table.group_names[code] for code in table.group.tolist()], dtype="str"
            ),
            "value": table.values,
        }
    )


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO
