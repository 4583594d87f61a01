"""Phillips estimates files, read like any export (encodings, separators, decimal commas)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roicli.benefits import adjusted_estimate
from roicli.errors import DataError
from roicli.estimates import read_estimates
from roicli.model import EstimateInput


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
