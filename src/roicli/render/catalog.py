"""Terminal views of the KPI catalogue, in the chosen language."""

from __future__ import annotations

from collections.abc import Sequence

from rich.panel import Panel
from rich.table import Table

from roicli.catalog import CatalogEntry, Suggestion
from roicli.enums import Lang
from roicli.evaluation.questions import Proposal, proposals_for
from roicli.i18n import fmt_number, plural, t, term


def _level(entry: CatalogEntry, lang: Lang) -> str:
    return term(entry.level, lang)  # "Level 4 – Impact and results", numbered already


def catalog_table(entries: Sequence[CatalogEntry], *, lang: Lang) -> Table:
    """Key, name, level, unit, direction, aggregation and lag of each entry."""
    title = t("cat.title", lang).format(count=plural("kpi", len(entries), lang))
    table = Table(title=title, title_justify="left")
    for key in ("cat.key", "cat.name", "col.level", "col.unit", "col.direction"):
        table.add_column(t(key, lang))
    table.add_column(t("col.aggregation", lang))
    table.add_column(t("cat.lag", lang), justify="right")
    for entry in entries:
        table.add_row(
            entry.key,
            entry.name(lang.value),
            _level(entry, lang),
            entry.unit,
            term(entry.direction, lang),
            term(entry.aggregation, lang),
            fmt_number(entry.lag_months, lang, 0),
        )
    return table


def suggestions_table(suggestions: Sequence[Suggestion], *, lang: Lang) -> Table:
    """The suggested KPIs, best first, with their score."""
    table = Table(title=t("cat.suggested", lang), title_justify="left")
    for key in ("cat.score", "cat.key", "cat.name", "col.level", "cat.definition"):
        table.add_column(t(key, lang))
    for suggestion in suggestions:
        entry = suggestion.entry
        table.add_row(
            fmt_number(suggestion.score, lang, 2),
            entry.key,
            entry.name(lang.value),
            _level(entry, lang),
            entry.definition(lang.value),
        )
    return table


def entry_panel(entry: CatalogEntry, *, lang: Lang) -> Panel:
    """Everything the catalogue says about one KPI."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        (t("cat.definition", lang), entry.definition(lang.value)),
        (t("col.level", lang), _level(entry, lang)),
        (t("col.unit", lang), entry.unit),
        (t("col.direction", lang), term(entry.direction, lang)),
        (t("col.aggregation", lang), term(entry.aggregation, lang)),
        (t("cat.lag", lang), fmt_number(entry.lag_months, lang, 0)),
        (t("cat.into_money", lang), entry.monetisation),
        (t("cat.source", lang), entry.source),
    ]
    if entry.ratio:
        rows.append((t("cat.ratio", lang), f"{entry.ratio[0]} / {entry.ratio[1]}"))
    for proposal in proposals_for([entry.key]):  # levels 1-3: the report's own figure
        rows.append((t("cat.question", lang), _asked(proposal, lang)))
        rows.append((t("cat.figure", lang), proposal.figure(lang)))
    for label, value in rows:
        grid.add_row(label, value)
    return Panel(grid, title=f"{entry.key} · {entry.name(lang.value)}", title_align="left")


def _asked(proposal: Proposal, lang: Lang) -> str:
    """ "I use what I learned … (agreement; before the training, at a follow-up)"."""
    moments = ", ".join(t(f"moment.{moment.value}", lang) for moment in proposal.moments)
    return f"{proposal.text(lang)} ({proposal.scale}; {moments})"


def questions_table(proposals: Sequence[Proposal], *, lang: Lang) -> Table:
    """The evaluation questions that measure the suggested level 1-3 KPIs, and the figure each
    gives in the report."""
    table = Table(title=t("cat.questions", lang), title_justify="left")
    for key in ("cat.key", "col.level", "cat.question", "cat.answers", "cat.when", "cat.figure"):
        table.add_column(t(key, lang))
    for proposal in proposals:
        table.add_row(
            proposal.kpi,
            term(proposal.level, lang),
            proposal.text(lang),
            proposal.scale,
            ", ".join(t(f"moment.{moment.value}", lang) for moment in proposal.moments),
            proposal.figure(lang),
        )
    return table
