"""More property-based tests: generated projects (config, export, estimates) run through the
whole stack, from files on disk to the JSON; no crash, and the ROI arithmetic always holds."""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roicli.analysis import analyse
from roicli.enums import Period, Status
from roicli.errors import DataError
from roicli.model import Analysis, ProgramResult
from roicli.project import load_project
from roicli.render.json import render_json

MONTHS = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
GROUPS = ("T", "C")
KPIS = {
    "leads": "{direction: increase, aggregation: sum}",
    "cpl": "{direction: decrease, aggregation: mean, unit: EUR}",
    "score": "{direction: increase, aggregation: median, level: learning}",
}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))
shares = st.sampled_from([0.0, 0.25, 0.5, 0.8, 1.0]) | st.floats(min_value=0, max_value=1)
# A month's value, or no value (a gap in the export).
cells = st.none() | st.floats(min_value=0, max_value=1e9).map(lambda x: round(x, 3))


@dataclass(frozen=True)
class Objective:
    """The generated settings of one objective, written out as YAML."""

    kpi: str | None  # None: isolation by estimates
    isolation: str
    value_per_unit: float
    attribution: float
    confidence: float
    target: str

    def yaml(self, oid: str, estimates: Path) -> str:
        common = (
            f"      - id: {oid}\n"
            f"        title: Grow {self.kpi or 'gains'} by applying the method taught\n"
            f"        deadline: 2027-06-30\n"
            f"        business_goal: Grow\n"
            f"        owner: Lead\n"
        )
        if self.kpi is None:
            return common + f"        isolation: estimates\n        estimates: {estimates}\n"
        control = "        control_group: C\n" if self.isolation == "control" else ""
        return common + (
            f"        kpi: {self.kpi}\n        group: T\n{control}"
            f"        isolation: {self.isolation}\n"
            f"        target: {self.target}\n"
            f"        value_per_unit: {self.value_per_unit!r}\n"
            f"        attribution: {self.attribution!r}\n"
            f"        confidence: {self.confidence!r}\n"
        )


objectives = st.builds(
    Objective,
    kpi=st.sampled_from([*KPIS, None]),
    isolation=st.sampled_from(["baseline", "trend", "control"]),
    value_per_unit=st.floats(min_value=0, max_value=1e4).map(lambda x: round(x, 2)),
    attribution=shares,
    confidence=shares,
    target=st.sampled_from(['{change: "+20%"}', '{change: "-10%"}', "{value: 500}", "{change: 3}"]),
)
costs = st.lists(
    st.one_of(
        amounts.map(lambda a: f"{{item: Fixed, category: delivery, amount: {a!r}}}"),
        st.tuples(amounts, st.integers(0, 500)).map(
            lambda t: f"{{item: Time, category: participant_time, hours: {t[1]}, rate: {t[0]!r}}}"
        ),
        amounts.map(lambda a: f"{{item: Seats, category: tools, per_participant: {a!r}}}"),
    ),
    max_size=4,
)


@dataclass(frozen=True)
class Program:
    start: str
    participants: int
    window: int
    costs: list[str]
    objectives: list[Objective]


programs = st.builds(
    Program,
    start=st.sampled_from(MONTHS[6:]).map(lambda m: f"{m}-{10:02d}"),
    participants=st.integers(0, 200),
    window=st.integers(1, 24),
    costs=costs,
    objectives=st.lists(objectives, min_size=1, max_size=3),
)
estimate_rows = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1e6).map(lambda x: round(x, 2)),
        shares,
        st.none() | shares,
    ),
    max_size=5,
)


@dataclass(frozen=True)
class Case:
    programs: list[Program]
    series: dict[tuple[str, str], list[float | None]]  # (kpi, group) → one cell per month
    estimates: list[tuple[float, float, float | None]]
    as_of: date
    period: Period


cases = st.builds(
    Case,
    programs=st.lists(programs, min_size=1, max_size=3),
    series=st.fixed_dictionaries(
        {
            (kpi, group): st.lists(cells, min_size=len(MONTHS), max_size=len(MONTHS)).map(
                lambda values: [1.0 if values[0] is None else values[0], *values[1:]]
            )  # the first month always has a value: every KPI is in the export
            for kpi in KPIS
            for group in GROUPS
        }
    ),
    estimates=estimate_rows,
    as_of=st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30)),
    period=st.sampled_from(list(Period)),
)


def write_project(folder: Path, case: Case) -> Path:
    """The generated project as files: a long CSV export, an estimates CSV and the config."""
    export = folder / "export.csv"
    lines = ["Date,Team,Metric,Value"]
    for (kpi, group), values in case.series.items():
        lines += [
            f"{m}-15,{group},{kpi},{v!r}"
            for m, v in zip(MONTHS, values, strict=True)
            if v is not None
        ]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    estimates = folder / "estimates.csv"
    rows = [
        f"P{i},Gain,{annual!r},{contribution!r},{'' if confidence is None else repr(confidence)}"
        for i, (annual, contribution, confidence) in enumerate(case.estimates)
    ]
    text = "participant,measure,annual_value,contribution,confidence\n" + "\n".join(rows)
    estimates.write_text(text + "\n", encoding="utf-8")
    config = (
        "version: 1\nbusiness_goals: [Grow]\n"
        "sources:\n  - {path: export.csv, columns: {date: Date, kpi: Metric, value: Value, "
        "group: Team}}\n"
        "kpis:\n" + "".join(f"  {key}: {spec}\n" for key, spec in KPIS.items()) + "programs:\n"
    )
    for index, program in enumerate(case.programs):
        config += (
            f"  - name: Programme {index}\n    start: {program.start}\n"
            f"    participants: {program.participants}\n"
            f"    benefit_window_months: {program.window}\n"
            f"    costs: [{', '.join(program.costs)}]\n    objectives:\n"
        )
        config += "".join(
            o.yaml(f"o{index}-{i}", estimates) for i, o in enumerate(program.objectives)
        )
    path = folder / "roicli.yaml"
    path.write_text(config, encoding="utf-8")
    return path


def run(case: Case) -> Analysis | None:
    """The analysis of a generated project; None when it is refused for lack of data."""
    with tempfile.TemporaryDirectory() as folder:
        project = load_project(write_project(Path(folder), case))
    try:
        return analyse(project, as_of=case.as_of, period=case.period)
    except DataError as error:  # trend or control isolation without enough data: a clear refusal
        refusal = str(error)
    assert refusal.startswith("objective 'o")
    return None


def finite_numbers(data: object) -> bool:
    """Whether every number in a JSON document is finite."""
    if isinstance(data, dict):
        return all(finite_numbers(value) for value in data.values())
    if isinstance(data, list):
        return all(finite_numbers(value) for value in data)
    return not isinstance(data, float) or math.isfinite(data)


def check_programme(program: ProgramResult) -> None:
    """C, B, net, ROI %, BCR, payback and break-even agree with each other; a pending programme
    has no ratio; conservative ≤ base ≤ optimistic always, losses included."""
    figures = program.figures
    assert figures.costs == pytest.approx(sum(line.amount for line in program.costs))
    benefits = sum(o.benefit or 0.0 for o in program.objectives)
    assert figures.benefits == pytest.approx(benefits, rel=1e-9, abs=1e-6)
    sensitivity = program.sensitivity
    if program.pending:
        assert figures.net_benefit is None
        assert (figures.roi_pct, figures.bcr, figures.payback_months) == (None, None, None)
        assert (sensitivity.conservative, sensitivity.base, sensitivity.optimistic) == (
            None,
            None,
            None,
        )
        assert figures.note  # too early is said, never shown as a loss
        return
    assert figures.net_benefit == pytest.approx(figures.benefits - figures.costs, abs=1e-6)
    if figures.costs > 0 and figures.roi_pct is not None:
        assert figures.net_benefit is not None
        assert figures.roi_pct == pytest.approx(figures.net_benefit / figures.costs * 100)
        assert figures.bcr == pytest.approx(figures.benefits / figures.costs)
    if figures.roi_pct is None:
        assert figures.note  # never a silent gap
    monthly = sum(o.money.monthly for o in program.objectives if o.money and o.benefit is not None)
    if figures.payback_months is not None:
        assert figures.payback_months == pytest.approx(figures.costs / monthly)
    if figures.benefits <= 0:
        assert figures.break_even_factor is None
    assert sensitivity.base == pytest.approx(figures.roi_pct)
    if None not in (sensitivity.conservative, sensitivity.base, sensitivity.optimistic):
        low, base, high = sensitivity.conservative, sensitivity.base, sensitivity.optimistic
        assert low is not None
        assert base is not None
        assert high is not None
        assert low <= base + 1e-9
        assert base <= high + 1e-9


@SETTINGS
@given(case=cases)
def test_any_generated_project_analyses_with_consistent_figures(case: Case) -> None:
    analysis = run(case)
    if analysis is None:
        return
    data = json.loads(render_json(analysis))  # allow_nan=False inside: NaN or inf would raise
    assert finite_numbers(data)
    for program in analysis.programs:
        check_programme(program)
        for result in program.objectives:
            assert isinstance(result.status, Status)
            if result.value_per_unit == 0:
                assert result.benefit in (None, 0.0)
            if result.attribution == 0 or result.confidence == 0:
                assert (result.benefit or 0.0) <= 0  # a gain credits nothing; a loss counts
    measured = [p for p in analysis.programs if not p.pending]
    portfolio = analysis.portfolio.figures
    assert portfolio.costs == pytest.approx(sum(p.figures.costs for p in measured))
    assert analysis.portfolio.pending_costs == pytest.approx(
        sum(p.figures.costs for p in analysis.programs if p.pending)
    )
    assert portfolio.benefits == pytest.approx(
        sum(p.figures.benefits for p in measured), rel=1e-9, abs=1e-6
    )
    assert portfolio.net_benefit == pytest.approx(portfolio.benefits - portfolio.costs, abs=1e-6)
    ranked = set(analysis.portfolio.ranking)
    assert ranked == {p.name for p in measured if p.figures.roi_pct is not None}


@SETTINGS
@given(case=cases)
def test_estimates_add_annual_value_times_contribution_times_confidence(case: Case) -> None:
    program = replace(case.programs[0], objectives=[Objective(None, "estimates", 0, 1, 1, "")])
    analysis = run(replace(case, programs=[program]))
    assert analysis is not None
    result = analysis.programs[0].objectives[0]
    annual = sum(a * c * (f or 0.0) for a, c, f in case.estimates)
    # Annual figures accrue month by month: complete months from the start's, at most the window.
    start = date.fromisoformat(program.start)
    last = case.as_of.replace(day=1) - timedelta(days=1)  # the last complete month's end
    if case.as_of.month != (case.as_of + timedelta(days=1)).month:
        last = case.as_of
    elapsed = (last.year - start.year) * 12 + last.month - start.month + 1
    months = min(max(0, elapsed), program.window)
    if months == 0:
        assert result.benefit is None
        return
    assert result.benefit == pytest.approx(annual * months / 12, rel=1e-9, abs=1e-6)
    assert result.money is not None
    assert result.money.first_year == pytest.approx(annual * program.window / 12, rel=1e-9)


@SETTINGS
@given(case=cases, factor=st.sampled_from([2.0, 0.5, 10.0]))
def test_a_benefit_scales_with_the_value_and_ignores_the_order_of_the_shares(
    case: Case, factor: float
) -> None:
    """Benefit = Σ improvement × value_per_unit × attribution × confidence (SPEC §6)."""
    first = case.programs[0].objectives[0]
    if first.kpi is None:
        return
    variants = [
        first,
        replace(first, value_per_unit=first.value_per_unit * factor),
        replace(first, attribution=first.confidence, confidence=first.attribution),
    ]
    benefits = []
    for objective in variants:
        program = replace(case.programs[0], objectives=[objective])
        analysis = run(replace(case, programs=[program]))
        if analysis is None:
            return
        benefits.append(analysis.programs[0].objectives[0].benefit)
    base, scaled, swapped = benefits
    if base is None:
        assert scaled is None
        assert swapped is None
        return
    assert scaled == pytest.approx(base * factor, rel=1e-9, abs=1e-6)
    assert swapped == pytest.approx(base, rel=1e-9, abs=1e-6)
