"""The objectives CSV: one row per objective, labels per language, injection-safe text."""

from __future__ import annotations

import csv
import io

from tests.render.conftest import AT, HYPERLINK, MINUS, PLUS, QUOTES, SCRIPT

from roicli.enums import Lang
from roicli.model import Analysis
from roicli.render.csvtable import DELIMITERS, render_objectives_csv


def _rows(analysis: Analysis, lang: Lang) -> list[dict[str, str]]:
    text = render_objectives_csv(analysis, lang=lang)
    return list(csv.DictReader(io.StringIO(text), delimiter=DELIMITERS[lang]))


def test_one_row_per_objective_with_english_labels(analysis: Analysis) -> None:
    rows = _rows(analysis, Lang.EN)
    assert len(rows) == sum(len(program.objectives) for program in analysis.programs)
    first = rows[0]
    assert first["ID"] == "seo-traffic"
    assert first["Status"] == "On track"
    assert first["Isolation"] == "Trend-line analysis"
    assert first["SMART Time-bound"] == "Pass"
    assert first["Deadline"] == "2026-07-31"


def test_french_labels(analysis: Analysis) -> None:
    rows = _rows(analysis, Lang.FR)
    assert rows[0]["Statut"] == "En bonne voie"
    assert rows[0]["Bénéfice (EUR)"] == "235200,00"  # French spreadsheets read a decimal comma
    assert rows[-1]["Statut"] == "Aucune donnée"
    assert rows[-1]["SMART Temporellement défini"] == "Échec"


def test_formula_like_text_is_neutralised_but_numbers_are_not(analysis: Analysis) -> None:
    by_id = {row["ID"]: row for row in _rows(analysis, Lang.EN)}
    assert by_id["seo-traffic"]["Objective"] == "'" + HYPERLINK
    assert by_id["leads"]["Objective"] == "'" + PLUS
    assert by_id["cpl"]["Objective"] == "'" + AT
    assert by_id["cpl"]["Owner"] == "'" + MINUS
    assert by_id["nps"]["Objective"] == SCRIPT
    assert by_id["coaching-estimates"]["Objective"] == QUOTES
    assert by_id["nps"]["Baseline"] == "-2"
    assert by_id["nps"]["Progress %"] == "-20"
    assert by_id["leads"]["Benefit (EUR)"] == "-12.50"


def test_money_is_rounded_half_up_and_missing_figures_are_empty(analysis: Analysis) -> None:
    by_id = {row["ID"]: row for row in _rows(analysis, Lang.EN)}
    assert by_id["seo-traffic"]["Benefit (EUR)"] == "235200.00"
    assert by_id["seo-traffic"]["Progress %"] == "75"
    assert by_id["seo-traffic"]["Change %"] == "9.5"
    assert by_id["no-data"]["Current"] == ""
    assert by_id["no-data"]["Benefit (EUR)"] == ""
    # Estimates accrue month by month: 9,000 a year × 5 of 12 months = 3,750.
    assert by_id["coaching-estimates"]["Benefit (EUR)"] == "3750.00"
    # A level-1 KPI's money is kept out of the benefits: no amount in the benefit column.
    assert by_id["nps"]["Benefit (EUR)"] == ""
