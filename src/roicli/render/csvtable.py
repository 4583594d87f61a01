"""The objectives table as CSV: one row per objective, safe to open in a spreadsheet.

Numbers are plain (no grouping, money half-up to cents, percentages in points with one
decimal) so the file stays machine-readable; labels, the separator and the decimal mark follow
the report language: "," and "2.5" in English, ";" and "2,5" in French, as each language's
spreadsheets expect. Text cells
that a spreadsheet could run as a formula are neutralised (OWASP), numbers never are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from roicli.enums import Lang
from roicli.i18n import smart_label, t, term
from roicli.model import SMART_CRITERIA, Analysis, ObjectiveResult, PrePost, ProgramResult
from roicli.render.safety import neutralise
from roicli.render.view import shows_progress
from roicli.rounding import figure, money

Text = str | None
Number = float | int | Decimal | None

_HEADERS = (
    "col.programme",
    "col.id",
    "col.objective",
    "col.kpi",
    "col.group",
    "col.owner",
    "col.business_goal",
    "col.isolation",
    "col.deadline",
    "col.unit",
    "col.baseline",
    "col.target",
    "col.current",
    "col.current_period",
    "col.progress",
    "col.projected",
    "col.before_mean",
    "col.after_mean",
    "col.change_pct",
    "col.status",
    "col.periods_counted",
    "col.benefit",
    "col.data_to",
)


def render_objectives_csv(analysis: Analysis, *, lang: Lang) -> str:
    """Every objective of every programme as one CSV row, with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITERS[lang])
    writer.writerow([neutralise(label) for label in _header(analysis.currency, lang)])
    for program, objective in analysis.objectives():
        writer.writerow(_row(program, objective, lang))
    return buffer.getvalue()


DELIMITERS = {Lang.EN: ",", Lang.FR: ";"}  # French spreadsheets split on ";", read "2,5"


def _header(currency: str, lang: Lang) -> list[str]:
    labels = [t(key, lang) for key in _HEADERS]
    labels[_HEADERS.index("col.progress")] += " %"
    labels[_HEADERS.index("col.benefit")] += f" ({currency})"
    criteria = [f"{t('col.smart', lang)} {smart_label(name, lang)}" for name in SMART_CRITERIA]
    return [*labels, *criteria, t("col.smart", lang)]


def _row(program: ProgramResult, objective: ObjectiveResult, lang: Lang) -> list[str]:
    texts: Sequence[Text] = (
        program.name,
        objective.id,
        objective.title,
        objective.kpi,
        objective.group,
        objective.owner,
        objective.business_goal,
        term(objective.isolation, lang),
    )
    progress = (objective.progress or 0.0) * 100 if shows_progress(objective) else None
    return [
        *(_text(value) for value in texts),
        _date(objective.deadline),
        _text(objective.unit),
        _number(figure(objective.baseline), lang),
        _number(figure(objective.target), lang),
        _number(figure(objective.current), lang),
        _text(objective.current_period),
        _number(figure(progress, 1), lang),
        _number(figure(objective.projected), lang),
        *_pre_post(objective.pre_post, lang),
        _text(term(objective.status, lang)),
        _number(objective.periods_counted, lang),
        _number(None if objective.benefit is None else money(objective.benefit), lang),
        _date(objective.data_to),
        *(_text(term(finding.verdict, lang)) for _, finding in objective.smart.items()),
        _text(term(objective.smart.worst, lang)),
    ]


def _pre_post(comparison: PrePost | None, lang: Lang) -> list[str]:
    if comparison is None:
        return ["", "", ""]
    return [
        _number(figure(comparison.before_mean), lang),
        _number(figure(comparison.after_mean), lang),
        _number(figure(comparison.change_pct, 1), lang),
    ]


def _text(value: Text) -> str:
    return "" if value is None else neutralise(value)


def _number(value: Number, lang: Lang) -> str:
    """A number as plain text with the language's decimal mark and no grouping: never
    neutralised, so a negative stays a number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if lang is Lang.FR else str(value)


def _date(value: date | None) -> str:
    return "" if value is None else value.isoformat()
