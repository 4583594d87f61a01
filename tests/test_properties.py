"""Property-based tests: any valid project analyses without a crash, and the invariants hold."""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_roi_worked import OBJECTIVE, make_project

from roicli.analysis import analyse
from roicli.enums import Period
from roicli.errors import DataError
from roicli.render.json import render_json

MONTHS = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]

values = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))
series = st.lists(values, min_size=len(MONTHS), max_size=len(MONTHS)).map(
    lambda vs: {m: v for m, v in zip(MONTHS, vs, strict=True) if v is not None}
)
shares = st.floats(min_value=0, max_value=1)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, object]:
    return {
        "t": draw(series),
        "c": draw(series),
        "isolation": draw(st.sampled_from(["baseline", "trend", "control"])),
        "kpi": draw(st.sampled_from(["leads", "cpl"])),
        "attribution": draw(shares),
        "confidence": draw(shares),
        "value": draw(st.floats(min_value=0, max_value=1e4)),
        "cost": draw(st.floats(min_value=0, max_value=1e7)),
        "as_of": draw(st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30))),
        "period": draw(st.sampled_from(list(Period))),
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=projects())
def test_any_valid_project_analyses_and_renders(case: dict[str, object]) -> None:
    objective = OBJECTIVE.format(
        id="o",
        kpi=case["kpi"],
        isolation=case["isolation"],
        control="C" if case["isolation"] == "control" else "null",
    )
    objective = objective.replace("attribution: 0.5", f"attribution: {case['attribution']!r}")
    objective = objective.replace("confidence: 0.8", f"confidence: {case['confidence']!r}")
    objective = objective.replace("value_per_unit: 10", f"value_per_unit: {case['value']!r}")
    costs = f"\n      - {{item: All, category: delivery, amount: {case['cost']!r}}}"
    t_values = case["t"]
    assert isinstance(t_values, dict)
    rows = dict(t_values)
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(
            Path(folder),
            objectives=objective,
            costs=costs,
            t_values=rows,
            c_values=case["c"],  # type: ignore[arg-type]
        )
        if case["kpi"] == "cpl":  # the helper puts the series under 'leads'; rename it
            table = project.dataset.table
            names = tuple("cpl" if name == "leads" else name for name in table.kpi_names)
            renamed = type(project.dataset)(replace(table, kpi_names=names), ())
            project = type(project)(project.loaded, "0" * 64, renamed, {})
        try:
            analysis = analyse(project, as_of=case["as_of"], period=case["period"])  # type: ignore[arg-type]
        except DataError as error:  # a clear, expected refusal (trend or control lacking data)
            refusal = str(error)
        else:
            refusal = ""
    if refusal:
        assert refusal.startswith("objective 'o': ")
        return
    text = render_json(analysis)  # allow_nan=False: NaN or infinity would raise here
    data = json.loads(text)
    figures = analysis.programs[0].figures
    if figures.roi_pct is not None and figures.bcr is not None:
        assert figures.roi_pct == pytest.approx((figures.bcr - 1) * 100, rel=1e-9, abs=1e-6)
    else:  # zero, or so close to zero that the ratio is not a finite number: say why
        assert data["programs"][0]["roi_pct"] is None
        assert figures.note
    result = analysis.programs[0].objectives[0]
    if case["value"] == 0:
        assert result.benefit in (None, 0.0)
    if case["attribution"] == 0 or case["confidence"] == 0:  # a gain counts nothing, a loss all
        assert (result.benefit or 0.0) <= 0
    for point in analysis.kpis[0].periods if analysis.kpis else ():
        assert math.isfinite(point.value)
