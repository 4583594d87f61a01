"""Multi-year programmes (opt-in), recurring costs and the payback in years, worked by hand.

The published three-year pro forma: benefits 300,000 / 500,000 / 500,000 in years 1-3,
deployment costs 100,000 / 150,000 / 100,000 in years 1-3 plus an initial 100,000 (year 0),
discounted at 15 % at the end of each year.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_roi_worked import make_project, objective, run
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import CostItem, MultiYear
from roicli.enums import Lang, RoiBase
from roicli.multiyear import (
    benefit_schedule,
    cost_schedule,
    discount_factor,
    in_first_year,
    multi_year_figures,
    payback_years,
)
from roicli.render.view import multi_year_lines
from roicli.rounding import money_float

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()

PRO_FORMA = MultiYear(
    years=3,
    discount_rate=0.15,
    benefits_by_year=(300000, 500000, 500000),
    roi_on=RoiBase.INITIAL_INVESTMENT,
)


def pro_forma_costs() -> tuple[float, ...]:
    items = [
        (CostItem(item="Initial", amount=100000), 100000.0),
        (CostItem(item="Deployment 1", amount=100000, year=1), 100000.0),
        (CostItem(item="Deployment 2", amount=150000, year=2), 150000.0),
        (CostItem(item="Deployment 3", amount=100000, year=3), 100000.0),
    ]
    return cost_schedule(items, 3)


def test_published_pro_forma_to_the_cent() -> None:
    found = multi_year_figures(PRO_FORMA, [300000, 500000, 500000], pro_forma_costs())
    # 1 / 1.15 = 0.869565…, 1 / 1.15² = 0.756144…, 1 / 1.15³ = 0.657516…
    assert [row.discount_factor for row in found.rows] == pytest.approx(
        [1, 1 / 1.15, 1 / 1.15**2, 1 / 1.15**3]
    )
    # PV benefits: 300,000 / 1.15 = 260,869.57; 500,000 / 1.3225 = 378,071.83;
    # 500,000 / 1.520875 = 328,758.12; Σ = 967,699.52
    assert [money_float(row.pv_benefits) for row in found.rows] == [
        0.0,
        260869.57,
        378071.83,
        328758.12,
    ]
    assert money_float(found.pv_benefits) == 967699.52
    # PV deployment costs: 100,000 / 1.15 = 86,956.52; 150,000 / 1.3225 = 113,421.55;
    # 100,000 / 1.520875 = 65,751.62; Σ = 266,129.70; with the initial 100,000: 366,129.70
    assert [money_float(row.pv_costs) for row in found.rows] == [
        100000.0,
        86956.52,
        113421.55,
        65751.62,
    ]
    assert money_float(found.pv_costs) == 366129.70
    assert money_float(found.initial) == 100000.0
    # ROI on the initial investment (the pro forma's): (967,699.52 − 266,129.70) / 100,000
    # = 701,569.82 / 100,000 = 701.57 % → 702 %; undiscounted (1,300,000 − 350,000) / 100,000
    # = 950 %
    assert found.roi_initial == pytest.approx(701.569820, abs=1e-6)
    assert found.roi_initial is not None
    assert round(found.roi_initial) == 702
    assert found.roi_initial_undiscounted == pytest.approx(950.0)
    assert found.roi_pct == found.roi_initial  # the headline is on the base chosen
    # NPV = PV benefits − PV of all costs, the initial included:
    # 967,699.52 − 366,129.70 = 601,569.82
    assert money_float(found.npv) == 601569.82
    # Phillips' base, total costs: (967,699.52 − 366,129.70) / 366,129.70 = 164.305 %;
    # undiscounted (1,300,000 − 450,000) / 450,000 = 188.889 %; BCR 967,699.52 / 366,129.70
    assert found.roi_total_costs == pytest.approx(601569.82 / 366129.70 * 100, abs=1e-4)
    assert found.roi_total_costs_undiscounted == pytest.approx(850000 / 450000 * 100)
    assert found.bcr == pytest.approx(967699.52 / 366129.70, abs=1e-6)
    # Net savings 200,000 in year 1 cover the initial 100,000 halfway through: 0.5 years
    assert found.payback_years == pytest.approx(0.5)
    # Cumulative net after the initial: −100,000; +200,000; +350,000; +400,000
    assert [row.cumulative_net for row in found.rows] == [-100000, 100000, 450000, 850000]


def test_pro_forma_through_the_real_config_and_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(
        app,
        ["roi", "-c", "configs/multi_year.yaml", "--as-of", "2026-12-31", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    program = json.loads(result.stdout)["programs"][0]
    found = program["multi_year"]
    assert found["basis"] == "multi_year"
    assert (found["years"], found["discount_rate"], found["roi_on"]) == (
        3,
        0.15,
        "initial_investment",
    )
    assert [row["benefits"] for row in found["by_year"]] == [0.0, 300000.0, 500000.0, 500000.0]
    assert [row["costs"] for row in found["by_year"]] == [100000.0, 100000.0, 150000.0, 100000.0]
    assert found["pv_benefits"] == 967699.52
    assert found["pv_costs"] == 366129.70
    assert found["npv"] == 601569.82
    # The JSON's rows add up to their totals to the cent: 86,956.5217 + 113,421.5501 +
    # 65,751.6232 rounded one by one give 266,129.69, a cent short of 266,129.695 → .70; the
    # cent goes to the largest remainder (65,751.6232 → 65,751.63)
    assert [row["pv_costs"] for row in found["by_year"]] == [
        100000.0,
        86956.52,
        113421.55,
        65751.63,
    ]
    assert [row["pv_benefits"] for row in found["by_year"]] == [
        0.0,
        260869.57,
        378071.83,
        328758.12,
    ]
    assert found["roi_pct"] == pytest.approx(701.56982)
    assert found["roi_pct_undiscounted"] == 950.0
    assert found["roi_on_initial_investment"] == {"discounted": 701.56982, "undiscounted": 950.0}
    assert found["roi_on_total_costs"]["discounted"] == pytest.approx(164.3051159)
    assert found["payback_years"] == 0.5
    # Phillips' one-year figures keep the initial investment and year 1's costs only:
    # 100,000 + 100,000; the later years' costs belong to the multi-year figures
    assert program["costs"]["total"] == 200000.0
    assert [item["item"] for item in program["costs"]["items"]] == [
        "Academy design and launch",
        "Deployment year 1",
    ]


def test_pro_forma_lines_name_their_basis() -> None:
    found = multi_year_figures(PRO_FORMA, [300000, 500000, 500000], pro_forma_costs())

    class Program:  # the fields multi_year_lines reads
        multi_year = found

    lines = multi_year_lines(Program(), "EUR", Lang.EN)  # type: ignore[arg-type]
    assert lines == [
        "Multi-year (opt-in, not Phillips' first-year rule): over 3 years, discounted at 15.0%: "
        "benefits €967,699.52, costs €366,129.70 at present value, NPV €601,569.82",
        "Multi-year ROI on the initial investment 701.6% (950.0% undiscounted); on total costs "
        "164.3% (188.9% undiscounted)",
        # Year 1: benefits 300,000 − costs 100,000 = 200,000 against the 100,000 invested: 0.5
        # years; at present value 200,000 / 1.15 = 173,913.04 → 100,000 / 173,913.04 = 0.575.
        "Multi-year payback: 0.5 years of net savings; discounted at 15.0%: 0.58 years",
    ]
    assert found.discounted_payback_years == pytest.approx(0.575)
    french = multi_year_lines(Program(), "EUR", Lang.FR)  # type: ignore[arg-type]
    assert french[0].startswith("Pluriannuel (sur option")
    assert french[2] == (
        "Retour pluriannuel : 0,5 ans d'économies nettes ; actualisé à 15,0\u00a0% : 0,58 ans"
    )


RECURRING = """\
version: 1
currency: EUR
programs:
  - name: Customer service e-learning rollout
    start: 2026-01-05
    participants: 100
    costs:
      - {item: Platform build and content, category: design, amount: 420000}
      - {item: Participants' time, category: participant_time, hours: 2000, rate: 40}
      - {item: Platform licence, category: tools, amount: 40000, recurring: true}
      - {item: Coaching hours, category: delivery, hours: 200, rate: 100, recurring: true}
    multi_year:
      years: 5
      discount_rate: 5%
      benefits_by_year: [184000, 184000, 184000, 184000, 184000]
"""


def roi_json(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    (tmp_path / "roicli.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["roi", "-c", "roicli.yaml", "--as-of", "2026-12-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    program: dict[str, object] = json.loads(result.stdout)["programs"][0]
    return program


def test_recurring_costs_payback_in_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A published-style rollout: initial investment 420,000 + 2,000 h × 40 = 500,000 (year 0);
    # a licence of 40,000 and 200 coaching hours × 100 = 20,000 every year (recurring): 60,000;
    # fewer escalations worth 184,000 a year → net savings 184,000 − 60,000 = 124,000 a year.
    # Cumulative: 124,000, 248,000, 372,000, 496,000 after 4 years: 4,000 short of 500,000;
    # year 5 covers it after 4,000 / 124,000 = 0.032258 of the year → 4.032258 → 4.03 years.
    program = roi_json(tmp_path, RECURRING, monkeypatch)
    found = program["multi_year"]
    assert isinstance(found, dict)
    assert found["payback_years"] == pytest.approx(4.032258, abs=1e-6)
    # Discounted at 5 %, the net savings are 124,000 / 1.05^k: 118,095.24, 112,471.66,
    # 107,115.86, 102,015.11 (439,697.86 after 4 years: 60,302.14 short) and 97,157.24 in
    # year 5, which covers it after 60,302.14 / 97,157.24 = 0.620665 of the year → 4.62 years.
    assert found["discounted_payback_years"] == pytest.approx(4.620665, abs=1e-6)
    assert [row["costs"] for row in found["by_year"]] == [500000.0] + [60000.0] * 5
    # Discounted at 5 %: PV benefits 175,238.10 + 166,893.42 + 158,946.12 + 151,377.26
    # + 144,168.81 = 796,623.71; PV costs 500,000 + 57,142.86 + 54,421.77 + 51,830.26
    # + 49,362.15 + 47,011.57 = 759,768.60; NPV = 36,855.11
    assert found["pv_benefits"] == 796623.71
    assert found["pv_costs"] == 759768.60
    assert found["npv"] == 36855.11
    # ROI on total costs (the default base): 36,855.11 / 759,768.60 = 4.85 %
    assert found["roi_on"] == "total_costs"
    assert found["roi_pct"] == pytest.approx(4.850833, abs=1e-6)
    # Undiscounted on total costs: (920,000 − 800,000) / 800,000 = 15 %
    assert found["roi_pct_undiscounted"] == pytest.approx(15.0)
    # Phillips' one-year costs: the initial 500,000 and one year of each recurring cost
    assert program["costs"] == {
        "total": 560000.0,
        "items": program["costs"]["items"],  # type: ignore[index]
        "by_category": {
            "design": 420000.0,
            "participant_time": 80000.0,
            "tools": 40000.0,
            "delivery": 20000.0,
        },
    }


def test_payback_not_within_the_horizon_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three years only: 3 × 124,000 = 372,000 < 500,000 → not paid back, never a negative or
    # infinite number
    text = RECURRING.replace("years: 5", "years: 3").replace(
        "[184000, 184000, 184000, 184000, 184000]", "[184000, 184000, 184000]"
    )
    program = roi_json(tmp_path, text, monkeypatch)
    found = program["multi_year"]
    assert isinstance(found, dict)
    assert found["payback_years"] is None
    assert found["discounted_payback_years"] is None
    result = runner.invoke(app, ["roi", "-c", "roicli.yaml", "--as-of", "2026-12-31"])
    assert (
        "Multi-year payback: not within the 3 years; discounted at 5.0%: not within the 3 years"
        in " ".join(result.stdout.split())
    )


@pytest.mark.parametrize(
    ("initial", "savings", "expected"),
    [
        (500000, [124000] * 5, 4 + 4000 / 124000),  # 4.03: the case above
        (100000, [200000, 350000], 0.5),  # 100,000 / 200,000 of year 1
        (300000, [-50000, 200000, 200000], 2.75),  # −50,000 + 200,000 = 150,000 after 2;
        # 150,000 more needed of 200,000 → 2 + 0.75
        (0, [10, 10], 0.0),  # nothing to pay back
        (100, [50, 30], None),  # 80 < 100 within the horizon
    ],
)
def test_payback_years_interpolates_within_the_year(
    initial: float, savings: list[float], expected: float | None
) -> None:
    found = payback_years(initial, savings)
    assert found == (None if expected is None else pytest.approx(expected))


def test_a_cost_year_beyond_one_stays_out_of_phillips_one_year_figures() -> None:
    assert in_first_year(CostItem(item="a", amount=1))  # year 0: the initial investment
    assert in_first_year(CostItem(item="b", amount=1, year=1))
    assert not in_first_year(CostItem(item="c", amount=1, year=2))
    assert in_first_year(CostItem(item="d", amount=1, recurring=True))  # its year 1


amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@given(
    benefits=st.lists(amounts, min_size=1, max_size=6),
    costs=st.lists(amounts, min_size=7, max_size=7),
)
def test_a_zero_rate_discounts_nothing(benefits: list[float], costs: list[float]) -> None:
    years = len(benefits)
    horizon = MultiYear(years=years, discount_rate=0, benefits_by_year=tuple(benefits))
    found = multi_year_figures(horizon, benefits, costs[: years + 1])
    assert found.pv_benefits == pytest.approx(found.benefits)
    assert found.pv_costs == pytest.approx(found.costs)
    assert found.roi_total_costs == pytest.approx(found.roi_total_costs_undiscounted)
    assert found.roi_initial == pytest.approx(found.roi_initial_undiscounted)
    assert found.discounted_payback_years == found.payback_years


@given(
    benefits=st.lists(amounts, min_size=1, max_size=6),
    costs=st.lists(amounts, min_size=7, max_size=7),
    rate=st.floats(min_value=0.001, max_value=1),
)
def test_the_discounted_payback_never_comes_sooner(
    benefits: list[float], costs: list[float], rate: float
) -> None:
    """Money later is worth less today: discounted, the investment is paid back later or not
    within the horizon, never sooner."""
    years = len(benefits)
    horizon = MultiYear(years=years, discount_rate=rate, benefits_by_year=tuple(benefits))
    found = multi_year_figures(horizon, benefits, costs[: years + 1])
    if found.discounted_payback_years is not None:
        assert found.payback_years is not None
        assert found.discounted_payback_years >= found.payback_years - 1e-9


@given(
    amount=amounts,
    share=st.floats(min_value=0, max_value=1),
    year=st.integers(min_value=0, max_value=4),
    rate=st.floats(min_value=0, max_value=1),
)
def test_splitting_a_cost_across_two_items_changes_nothing(
    amount: float, share: float, year: int, rate: float
) -> None:
    horizon = MultiYear(years=4, discount_rate=rate, benefits_by_year=(1000, 2000, 3000, 4000))
    initial = (CostItem(item="initial", amount=5000), 5000.0)
    whole = cost_schedule([initial, (CostItem(item="x", amount=amount, year=year), amount)], 4)
    part, rest = amount * share, amount - amount * share
    split = cost_schedule(
        [
            initial,
            (CostItem(item="x1", amount=part, year=year), part),
            (CostItem(item="x2", amount=rest, year=year), rest),
        ],
        4,
    )
    assert split == pytest.approx(whole)
    one = multi_year_figures(horizon, [1000, 2000, 3000, 4000], whole)
    two = multi_year_figures(horizon, [1000, 2000, 3000, 4000], split)
    assert two.npv == pytest.approx(one.npv)
    assert two.payback_years == pytest.approx(one.payback_years)


@given(amount=amounts, years=st.integers(min_value=1, max_value=8))
def test_a_recurring_cost_is_the_same_cost_given_for_each_year(amount: float, years: int) -> None:
    recurring = cost_schedule([(CostItem(item="r", amount=amount, recurring=True), amount)], years)
    each = cost_schedule(
        [(CostItem(item=f"y{y}", amount=amount, year=y), amount) for y in range(1, years + 1)],
        years,
    )
    assert recurring == each
    assert recurring[0] == 0.0


@given(rate=st.floats(min_value=0, max_value=1), year=st.integers(min_value=0, max_value=30))
def test_a_later_year_is_never_worth_more_today(rate: float, year: int) -> None:
    assert discount_factor(rate, year + 1) <= discount_factor(rate, year) <= 1


BASE = """\
version: 1
programs:
  - name: Academy
    start: 2026-01-05
    costs:
      - {item: Launch, amount: 100000}
      - {item: Deployment, amount: 50000, year: 1}
    multi_year:
      years: 3
      discount_rate: 15%
      benefits_by_year: [300000, 500000, 500000]
"""


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "discount_rate: 15%",
            "discount_rate: 150%",
            "roicli: error: roicli.yaml:10: programs[0].multi_year.discount_rate: expected a "
            "discount rate from 0% to 100%, like 15% or 0.15, got '150%'",
        ),
        (
            "discount_rate: 15%",
            "discount_rate: 15",
            "roicli: error: roicli.yaml:10: programs[0].multi_year.discount_rate: expected a "
            "discount rate from 0% to 100%, like 15% or 0.15, got 15",
        ),
        (
            "[300000, 500000, 500000]",
            "[300000, 500000, 500000, 500000]",
            "roicli: error: roicli.yaml:11: programs[0].multi_year.benefits_by_year: 4 values "
            "for years: 3 (give one value per year, year 1 first, or set years: 4)",
        ),
        (
            "benefits_by_year: [300000, 500000, 500000]",
            "persistence: [100%, 80%]",
            "roicli: error: roicli.yaml:11: programs[0].multi_year.persistence: 2 values for "
            "years: 3 (give one value per year, year 1 first, or set years: 2)",
        ),
        (
            "benefits_by_year: [300000, 500000, 500000]",
            "persistence: [100%, 80%, 160%]",
            "roicli: error: roicli.yaml:11: programs[0].multi_year.persistence[2]: input "
            "should be less than or equal to 1, got '160%'",
        ),
        (
            "      benefits_by_year: [300000, 500000, 500000]\n",
            "",
            "roicli: error: roicli.yaml:8: programs[0].multi_year: give one of "
            "benefits_by_year: [year 1, year 2, …] or persistence: [100%, 80%, …] (the share of "
            "the first-year benefit kept each year)",
        ),
        (
            "amount: 50000, year: 1}",
            "amount: 50000, year: 4}",
            "roicli: error: roicli.yaml:7: programs[0].costs[1].year: year 4 is beyond "
            "multi_year.years (3) (give a year from 0 (the initial investment) to "
            "multi_year.years)",
        ),
        (
            "amount: 50000, year: 1}",
            "amount: 50000, year: 1, recurring: true}",
            "roicli: error: roicli.yaml:7: programs[0].costs[1]: give either year: (a one-off "
            "cost) or recurring: true, not both",
        ),
        (
            "      benefits_by_year: [300000, 500000, 500000]\n",
            "      benefits_by_year: [300000, 500000, 500000]\n      roi_on: initial_investement\n",
            "roicli: error: roicli.yaml:12: programs[0].multi_year.roi_on: expected one of "
            "'total_costs' or 'initial_investment', got 'initial_investement' (did you "
            "mean 'initial_investment'?)",
        ),
        (
            "{item: Launch, amount: 100000}",
            "{item: Launch, amount: 100000, recurring: true}",
            "roicli: error: roicli.yaml:12: programs[0].multi_year.roi_on: initial_investment "
            "needs a cost in year 0 (give the initial investment a cost without year:, or "
            "year: 0)",
        ),
    ],
)
def test_multi_year_errors_are_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, line: str
) -> None:
    assert old in BASE
    text = BASE.replace(old, new)
    if "roi_on: initial_investment needs" in line:
        text += "      roi_on: initial_investment\n"
    (tmp_path / "roicli.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["roi", "-c", "roicli.yaml", "--as-of", "2026-12-31"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line]


def test_a_cost_year_without_multi_year_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = BASE.split("    multi_year:")[0]
    (tmp_path / "roicli.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["roi", "-c", "roicli.yaml", "--as-of", "2026-12-31"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "roicli: error: roicli.yaml:7: programs[0].costs[1].year: year: needs a multi_year: "
        "block on the programme (add multi_year: {years: …, discount_rate: …}, or remove year:)"
    ]


def test_every_output_shows_the_pro_forma_year_by_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    outputs = [tmp_path / name for name in ("r.md", "r.html", "r.xlsx")]
    args = ["report", "-c", "configs/multi_year.yaml", "--as-of", "2026-12-31", "--no-history"]
    result = runner.invoke(
        app,
        [*args, *(arg for path in outputs for arg in ("-o", str(path)))],
        env={"COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    heading = "Multi-year, year by year (opt-in): over 3 years, discounted at 15.0%"
    year_2 = ["2", "€500,000.00", "€150,000.00", "0.7561", "€378,071.83", "€113,421.55"]
    year_2.append("€450,000.00")  # −100,000 + 200,000 + 350,000
    assert heading in result.stdout
    assert "Multi-year payback: 0.5 years of net savings" in result.stdout
    markdown = outputs[0].read_text(encoding="utf-8")
    assert f"### {heading}" in markdown
    assert "| " + " | ".join(year_2) + " |" in markdown
    assert "NPV €601,569.82" in markdown
    page = outputs[1].read_text(encoding="utf-8")
    assert heading in page
    assert all(cell in page for cell in year_2)
    assert "on the initial investment 701.6% (950.0% undiscounted)" in page
    workbook = openpyxl.load_workbook(outputs[2])
    cells = [
        [cell.value for cell in row]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        if row[0].value == "Sales academy three-year pro forma"
        and len(row) > 7
        and row[1].value in (0, 1, 2, 3)
    ]
    assert [row[:8] for row in cells] == [
        ["Sales academy three-year pro forma", 0, 0, 100000, 1, 0, 100000, -100000],
        [
            "Sales academy three-year pro forma",
            1,
            300000,
            100000,
            pytest.approx(0.8695652174),
            260869.57,
            86956.52,
            100000,
        ],
        [
            "Sales academy three-year pro forma",
            2,
            500000,
            150000,
            pytest.approx(0.7561436673),
            378071.83,
            113421.55,
            450000,
        ],
        [
            "Sales academy three-year pro forma",
            3,
            500000,
            100000,
            pytest.approx(0.6575162324),
            328758.12,
            65751.62,
            850000,
        ],
    ]
    summary = " ".join(
        str(cell.value) for row in workbook.worksheets[0].iter_rows() for cell in row if cell.value
    )
    assert "Multi-year ROI on the initial investment 701.6%" in summary


def test_persistence_keeps_a_share_of_the_measured_first_year(tmp_path: Path) -> None:
    # The worked programme of test_roi_worked: 168 over Jan–Mar, 56 a month → first year
    # 56 × 12 = 672; costs 850, all in year 0 (no year:). Persistence 100 %, 50 %:
    # year 1 = 672, year 2 = 336. At 10 %: PVB = 672 / 1.1 + 336 / 1.21 = 610.909091 +
    # 277.685950 = 888.595041; NPV = 888.595041 − 850 = 38.595041;
    # ROI on total costs = 38.595041 / 850 = 4.5406 %; undiscounted (1,008 − 850) / 850
    # = 18.5882 %; payback: year 1's 672 short of 850 by 178, of year 2's 336 → 1.529762 years
    horizon = "\n    multi_year: {years: 2, discount_rate: 10%, persistence: [100%, 50%]}\n"
    project = make_project(tmp_path, objectives=objective() + horizon)
    program = run(project).programs[0]
    assert program.first_year.benefits == pytest.approx(672)
    found = program.multi_year
    assert found is not None
    assert [row.benefits for row in found.rows] == pytest.approx([0, 672, 336])
    assert found.pv_benefits == pytest.approx(888.595041)
    assert found.npv == pytest.approx(38.595041)
    assert found.roi_total_costs == pytest.approx(4.540593, abs=1e-6)
    assert found.roi_total_costs_undiscounted == pytest.approx(18.588235, abs=1e-6)
    assert found.payback_years == pytest.approx(1 + 178 / 336)
    assert not found.stated
    # Before the first month is counted there is no first year to keep: no multi-year figures
    early = run(make_project(tmp_path, objectives=objective() + horizon), as_of=date(2026, 1, 20))
    assert early.programs[0].pending
    assert early.programs[0].multi_year is None


@given(
    initial=st.floats(min_value=0, max_value=1e6),
    savings=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=8),
)
def test_the_payback_is_where_the_cumulative_net_turns(
    initial: float, savings: list[float]
) -> None:
    # Cumulative net after year k: −initial + savings of years 1 … k. The payback p is the
    # first time it reaches 0 (linear within a year): before p it is negative, at the end of
    # p's year it is not; no payback means it stays negative at the end of every year.
    found = payback_years(initial, savings)
    net = [-initial]
    for saved in savings:
        net.append(net[-1] + saved)
    if found is None:
        assert all(value < 0 for value in net)
        return
    assert 0 <= found <= len(savings)
    whole = int(found)
    assert all(value < 0 for value in net[:whole]) or found == 0
    end = min(len(savings), whole + (0 if found == whole else 1))
    assert net[end] >= -1e-6 * max(1.0, initial)


def test_a_full_persistence_at_zero_rate_is_the_first_year_times_the_years() -> None:
    # 672 kept at 100 % for 3 years, undiscounted: 3 × 672 = 2,016
    horizon = MultiYear(years=3, discount_rate=0, persistence=(1, 1, 1))
    benefits = benefit_schedule(horizon, 672)
    assert benefits == (672, 672, 672)
    assert benefits is not None
    assert multi_year_figures(horizon, benefits, (850, 0, 0, 0)).pv_benefits == 2016
