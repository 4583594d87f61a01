"""Phillips estimates files, read like any export (encodings, separators, decimal commas)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_roi_worked import make_project, run

from roicli.benefits import adjusted_estimate, annual_value
from roicli.enums import EstimatePeriod, Lang
from roicli.errors import ConfigError, DataError
from roicli.estimates import read_estimates
from roicli.model import EstimateInput
from roicli.render.json import to_dict
from roicli.render.view import annual_text


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "estimates.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_french_export_with_semicolons_decimal_commas_and_percentages(tmp_path: Path) -> None:
    text = (
        "participant;measure;annual_value;contribution;confidence\r\n"
        "Élodie;Temps gagné;1 200,50;60 %;0,8\r\n"
        "\r\n"
        "Marc;Moins d'erreurs;3 000;0,25;\r\n"
    )
    rows = read_estimates(write(tmp_path, text, "cp1252"))
    assert [row.row for row in rows] == [2, 4]  # the blank line keeps its number
    # The reader returns the rows as read; the adjusted value is the analysis's job.
    assert all(type(row) is EstimateInput for row in rows)
    assert rows[0] == EstimateInput(2, "Élodie", "Temps gagné", 1200.5, 0.6, 0.8)
    assert rows[1] == EstimateInput(4, "Marc", "Moins d'erreurs", 3000.0, 0.25, None)
    # What the analysis makes of them: 1,200.50 × 0.60 × 0.80 = 576.24; no confidence, zero.
    assert adjusted_estimate(1200.5, 0.6, 0.8) == pytest.approx(576.24)
    assert adjusted_estimate(3000.0, 0.25, None) == 0


def test_share_above_one_is_a_percentage(tmp_path: Path) -> None:
    text = "participant,measure,annual_value,contribution,confidence\nA,x,1000,50,80\n"
    (row,) = read_estimates(write(tmp_path, text))
    assert (row.annual_value, row.contribution, row.confidence) == (1000.0, 0.5, 0.8)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "A,x,lots,0.5,0.5\n",
            "row 2, column 'annual_value': expected a number, got 'lots' "
            "(write a plain number such as 4500, 0.6 or 60%)",
        ),
        (
            "A,x,100,150%,0.5\n",
            "row 2, column 'contribution': expected a share between 0 and 1 (or 0% to 100%), "
            "got '150%'",
        ),
        ("A,x,,0.5,0.5\n", "row 2: annual_value and contribution are required"),
    ],
)
def test_bad_rows_name_the_row_and_column(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "participant,measure,annual_value,contribution,confidence\n" + body)
    with pytest.raises(DataError) as caught:
        read_estimates(path)
    assert str(caught.value).startswith(f"{path}, {message}")


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "participant,measure,value\nA,x,1\n")
    with pytest.raises(DataError, match="missing column\\(s\\) annual_value, contribution"):
        read_estimates(path)
    with pytest.raises(DataError, match="cannot read the estimates file"):
        read_estimates(tmp_path / "nope.csv")


# ── the period a value is per, and a margin ────────────────────────────────────────────────


HEADER = "participant,measure,annual_value,contribution,confidence,period,margin\n"


def test_period_and_margin_columns_are_read_in_english_and_french(tmp_path: Path) -> None:
    text = HEADER + (
        "A,Time saved,500,60%,80%,week,\n"
        "B,Extra sales,40000,50%,70%,,25%\n"
        "C,Fewer errors,1000,50%,50%,Mois,\n"
        "D,Avoided fine,2000,100%,90%,une fois,\n"
        "E,Rework,300,50%,50%,semaine,0.3\n"
    )
    rows = read_estimates(write(tmp_path, text))
    periods = [row.period for row in rows]
    assert periods == [
        EstimatePeriod.WEEK,
        EstimatePeriod.YEAR,  # an empty cell: a year's value
        EstimatePeriod.MONTH,
        EstimatePeriod.ONCE,
        EstimatePeriod.WEEK,
    ]
    assert [row.margin for row in rows] == [None, 0.25, None, None, 0.3]
    assert rows[0].annual_value == 500.0  # the reader keeps the value as written


def test_without_the_optional_columns_every_value_is_a_year(tmp_path: Path) -> None:
    text = "participant,measure,annual_value,contribution,confidence\nA,x,1000,50%,80%\n"
    (row,) = read_estimates(write(tmp_path, text))
    assert (row.period, row.margin) == (EstimatePeriod.YEAR, None)


def test_annual_value_from_period_and_margin() -> None:
    # A week's 500 is 500 × 52 = 26,000 a year; a month's 1,000 is 12,000; a one-off 2,000
    # counts once; a sales gain of 40,000 at a 25 % margin is 10,000 of profit.
    assert annual_value(500, EstimatePeriod.WEEK, None) == 26_000
    assert annual_value(1000, EstimatePeriod.MONTH, None) == 12_000
    assert annual_value(2000, EstimatePeriod.ONCE, None) == 2_000
    assert annual_value(40_000, EstimatePeriod.YEAR, 0.25) == 10_000
    assert annual_value(300, EstimatePeriod.WEEK, 0.3) == pytest.approx(4_680)  # 300 × 52 × 0.3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "A,x,100,50%,50%,fortnight,\n",
            "row 2, column 'period': expected month, week, year or once, got 'fortnight' "
            "(write what the value is per, or leave the cell empty for a year)",
        ),
        (
            "A,x,100,50%,50%,week,125%\n",
            "row 2, column 'margin': expected a share between 0 and 1 (or 0% to 100%), got '125%'",
        ),
        (
            "A,x,100,50%,50%,week,-5%\n",
            "row 2, column 'margin': expected a share between 0 and 1 (or 0% to 100%), got '-5%'",
        ),
    ],
)
def test_bad_period_or_margin_names_the_row(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, HEADER + body)
    with pytest.raises(DataError) as caught:
        read_estimates(path)
    assert str(caught.value) == f"{path}, {message}"


ESTIMATES_OBJECTIVE = """
      - id: est
        title: Savings estimated by participants
        isolation: estimates
        estimates: estimates.csv
"""


def test_weekly_estimates_and_a_sales_gain_at_its_margin_in_the_benefits(tmp_path: Path) -> None:
    """Published-study style: a weekly time saving annualised, a sales gain at 25 % margin.

    Row A: 500 a week × 52 = 26,000 a year × 60 % × 80 % = 12,480.
    Row B: 40,000 of extra sales × 25 % (its own margin) = 10,000 × 50 % × 70 % = 3,500.
    Row C: 8,000 of sales a year at its 30 % margin = 2,400 × 50 % × 50 % = 600.
    Σ adjusted = 16,580 a year; from 2026-01-10 to 2026-03-31, 3 months: 16,580 × 3 / 12 =
    4,145 to date, 16,580 over a 12-month first year.
    """
    text = HEADER + (
        "Ann,Time saved on proposals,500,60%,80%,week,\n"
        "Bob,Extra sales,40000,50%,70%,year,25%\n"
        "Cat,Extra sales,8000,50%,50%,,30%\n"
    )
    project = make_project(tmp_path, objectives=ESTIMATES_OBJECTIVE, estimates=text)
    analysis = run(project)
    result = analysis.programs[0].objectives[0]
    assert [row.annual_value for row in result.estimates] == pytest.approx([26_000, 10_000, 2_400])
    assert [row.adjusted for row in result.estimates] == pytest.approx([12_480, 3_500, 600])
    assert [row.margin for row in result.estimates] == [None, 0.25, 0.3]
    assert result.money is not None
    assert result.money.to_date == pytest.approx(4_145)
    assert analysis.programs[0].first_year.benefits == pytest.approx(16_580)
    row_a, row_b, _ = result.estimates
    assert annual_text(row_b, "EUR", Lang.EN) == "€10,000.00 (€40,000.00 a year × margin 25.0%)"
    assert annual_text(row_a, "EUR", Lang.FR) == (
        "26\u202f000,00\u00a0€ (500,00\u00a0€ par semaine × 52)"
    )
    data = to_dict(analysis)["programs"][0]["objectives"][0]["estimates"][0]
    assert {k: data[k] for k in ("annual_value", "given_value", "period", "margin")} == {
        "annual_value": 26000.0,
        "given_value": 500.0,
        "period": "week",
        "margin": None,
    }


def test_the_objective_margin_applies_to_rows_without_their_own(tmp_path: Path) -> None:
    # margin: 25% on the objective; row A has none (40,000 × 25 % = 10,000 × 50 % × 70 % =
    # 3,500), row B keeps its own 10 % (40,000 × 10 % = 4,000 × 50 % × 70 % = 1,400).
    text = HEADER + "A,Extra sales,40000,50%,70%,,\nB,Extra sales,40000,50%,70%,,10%\n"
    objectives = ESTIMATES_OBJECTIVE + "        margin: 25%\n"
    result = run(make_project(tmp_path, objectives=objectives, estimates=text))
    rows = result.programs[0].objectives[0].estimates
    assert [row.margin for row in rows] == [0.25, 0.1]
    assert [row.adjusted for row in rows] == pytest.approx([3_500, 1_400])


def test_a_margin_on_a_kpi_objective_is_refused(tmp_path: Path) -> None:
    from tests.test_roi_worked import objective

    text = objective() + "        margin: 25%\n"
    with pytest.raises(ConfigError, match="margin: applies to an estimates objective's values"):
        make_project(tmp_path, objectives=text)


@given(
    value=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    period=st.sampled_from(list(EstimatePeriod)),
)
def test_a_full_margin_changes_nothing(value: float, period: EstimatePeriod) -> None:
    assert annual_value(value, period, 1.0) == annual_value(value, period, None)
