"""The objectives table as CSV: one row per objective, safe to open in a spreadsheet.

The columns are the objectives table's (render/tables.py), every tier, after the programme.
Numbers are plain (no grouping, money half-up to cents, percentages in points with one
decimal) so the file stays machine-readable; labels, the separator and the decimal mark follow
the report language: "," and "2.5" in English, ";" and "2,5" in French, as each language's
spreadsheets expect. Text cells that a spreadsheet could run as a formula are neutralised
(OWASP), numbers never are. The SMART column spreads over one column per criterion and the
overall verdict.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from roicli.enums import Lang
from roicli.i18n import smart_label, t, term
from roicli.messages import localize
from roicli.model import SMART_CRITERIA, Analysis, ObjectiveResult, Smart
from roicli.render.safety import neutralise
from roicli.render.tables import OBJECTIVE_COLUMNS, WORDS_ONLY, Column, Kind, Tier, columns
from roicli.rounding import figure, money

DELIMITERS = {Lang.EN: ",", Lang.FR: ";"}  # French spreadsheets split on ";", read "2,5"
# The before → after words are given as their three numbers, the export tier's own columns.
SHOWN = [c for c in columns(OBJECTIVE_COLUMNS, Tier.EXPORT) if c.kind not in WORDS_ONLY]


def render_objectives_csv(analysis: Analysis, *, lang: Lang) -> str:
    """Every objective of every programme as one CSV row, with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITERS[lang])
    writer.writerow([neutralise(label) for label in _header(analysis.currency, lang)])
    for program, objective in analysis.objectives():
        cells = [_text(program.name)]
        for column in SHOWN:
            cells += _cells(column, objective, lang)
        writer.writerow(cells)
    return buffer.getvalue()


def _header(currency: str, lang: Lang) -> list[str]:
    labels = [t("col.programme", lang)]
    for column in SHOWN:
        label = t(column.key, lang)
        if column.kind is Kind.SMART:
            labels += [f"{label} {smart_label(name, lang)}" for name in SMART_CRITERIA]
        elif column.kind is Kind.SHARE:
            label += " %"
        elif column.kind in (Kind.BENEFIT, Kind.MONEY):
            label += f" ({currency})"
        labels.append(label)
    return labels


def _cells(column: Column, objective: ObjectiveResult, lang: Lang) -> list[str]:
    """A column's cells: plain numbers, ISO dates, words in the report's language."""
    value: Any = column.value(objective)
    kind = column.kind
    if kind is Kind.SMART:
        smart: Smart = value
        verdicts = [finding.verdict for _, finding in smart.items()]
        return [_text(term(verdict, lang)) for verdict in [*verdicts, smart.worst]]
    if kind is Kind.BENEFIT:
        benefit = objective.benefit
        return [_number(None if benefit is None else money(benefit), lang)]
    if kind is Kind.MONEY:
        return [_number(None if value is None else money(value), lang)]
    if kind is Kind.SHARE:
        return [_number(None if value is None else figure(value * 100, 1), lang)]
    if kind is Kind.POINTS:
        return [_number(figure(value, 1), lang)]
    if kind in (Kind.NUMBER, Kind.RATIO, Kind.MONTHS):
        return [_number(figure(value), lang)]
    if kind is Kind.COUNT:
        return [_number(value, lang)]
    if kind is Kind.DATE:
        return [_date(value)]
    if kind in (Kind.TERM, Kind.STATUS):
        return [_text(None if value is None else term(value, lang))]
    if kind is Kind.MESSAGE:
        return [_text(localize(value, lang))]
    return [_text(value)]


def _text(value: str | None) -> str:
    return "" if value is None else neutralise(value)


def _number(value: float | int | Decimal | None, lang: Lang) -> str:
    """A number as plain text with the language's decimal mark and no grouping: never
    neutralised, so a negative stays a number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if lang is Lang.FR else str(value)


def _date(value: date | None) -> str:
    return "" if value is None else value.isoformat()
