"""The French CSV opens in French spreadsheets: ";" between fields, a decimal comma."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from roicli.analysis import analyse
from roicli.enums import Lang
from roicli.project import load_project
from roicli.render.csvtable import render_objectives_csv

EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "roicli.yaml"


def test_french_uses_semicolons_and_decimal_commas_english_commas_and_points() -> None:
    analysis = analyse(load_project(EXAMPLE), as_of=date(2026, 10, 31))
    english = list(csv.reader(io.StringIO(render_objectives_csv(analysis, lang=Lang.EN))))
    french = list(
        csv.reader(io.StringIO(render_objectives_csv(analysis, lang=Lang.FR)), delimiter=";")
    )
    assert len(english[0]) == len(french[0])  # the same columns, split the same way
    benefit_en = english[0].index("Benefit (EUR)")
    benefit_fr = french[0].index("Bénéfice (EUR)")
    seo_en = next(row for row in english if row[1] == "seo-traffic")
    seo_fr = next(row for row in french if row[1] == "seo-traffic")
    assert seo_en[benefit_en] == "2981.27"
    assert seo_fr[benefit_fr] == "2981,27"  # no grouping: still one number for a spreadsheet
    baseline_fr = french[0].index("Valeur de référence")
    assert seo_fr[baseline_fr] == seo_en[english[0].index("Baseline")].replace(".", ",")
