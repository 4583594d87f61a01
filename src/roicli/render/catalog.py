"""Terminal views of the KPI catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from rich.panel import Panel
from rich.table import Table

from roicli.catalog import CatalogEntry, Suggestion


def catalog_table(entries: Sequence[CatalogEntry], *, lang: str) -> Table:
    """Key, name, level, unit, direction, aggregation and lag of each entry."""
    table = Table(title=f"KPI catalogue ({len(entries)})", title_justify="left")
    for header in ("Key", "Name", "Level", "Unit", "Direction", "Aggregation", "Lag (months)"):
        table.add_column(header)
    for entry in entries:
        table.add_row(
            entry.key,
            entry.name(lang),
            f"{entry.level.number} {entry.level.value}",
            entry.unit,
            entry.direction.value,
            entry.aggregation.value,
            str(entry.lag_months),
        )
    return table


def suggestions_table(suggestions: Sequence[Suggestion], *, lang: str) -> Table:
    """The suggested KPIs, best first, with their score."""
    table = Table(title="Suggested KPIs", title_justify="left")
    for header in ("Score", "Key", "Name", "Level", "Definition"):
        table.add_column(header)
    for suggestion in suggestions:
        entry = suggestion.entry
        table.add_row(
            f"{suggestion.score:.2f}",
            entry.key,
            entry.name(lang),
            f"{entry.level.number} {entry.level.value}",
            entry.definition(lang),
        )
    return table


def entry_panel(entry: CatalogEntry, *, lang: str) -> Panel:
    """Everything the catalogue says about one KPI."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("Definition", entry.definition(lang)),
        ("Level", f"{entry.level.number} {entry.level.value}"),
        ("Unit", entry.unit),
        ("Direction", entry.direction.value),
        ("Aggregation", entry.aggregation.value),
        ("Typical lag", f"{entry.lag_months} months"),
        ("Into money", entry.monetisation),
        ("Data source", entry.source),
    ]
    if entry.ratio:
        rows.append(("Ratio", f"{entry.ratio[0]} / {entry.ratio[1]}"))
    for label, value in rows:
        grid.add_row(label, value)
    return Panel(grid, title=f"{entry.key} · {entry.name(lang)}", title_align="left")
