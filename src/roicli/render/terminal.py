"""The terminal dashboard (Rich): summary panels, objectives, SMART table, ROI and trends.

Everything shown comes from the Analysis; this module only lays it out, in English or French.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from roicli.enums import Isolation, Lang, Outlook, Status, Verdict
from roicli.i18n import (
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    role_label,
    smart_label,
    t,
    term,
)
from roicli.messages import localize
from roicli.model import (
    SMART_CRITERIA,
    Analysis,
    Cohort,
    Finding,
    KpiTrend,
    ObjectiveResult,
    ProgramResult,
    RoiFigures,
    Sensitivity,
)
from roicli.render.evaluation_view import ViewTable, chain_table, evaluation_tables, words
from roicli.render.forecast_view import break_even_line, per_participant_line
from roicli.render.safety import clean_labels
from roicli.render.tables import (
    FORECAST_COLUMNS,
    NUMERIC_KINDS,
    OBJECTIVE_COLUMNS,
    Column,
    Kind,
    Tier,
    cell_text,
    columns,
    figure_values,
    for_objective,
)
from roicli.render.view import (
    ESTIMATE_COLUMNS,
    NUMERIC_ESTIMATE_COLUMNS,
    NUMERIC_YEAR_COLUMNS,
    YEAR_COLUMNS,
    action_lines,
    adjustment_text,
    benefit_text,
    changes_heading,
    changes_lines,
    estimate_rows,
    multi_year_heading,
    pending_line,
    portfolio_notes,
    program_notes,
    range_text,
    shows_progress,
    stale_lines,
    verdict_lines,
    year_rows,
)
from roicli.rounding import value_decimals

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
SPARK_PERIODS = 24
NARROW_SPARK_PERIODS = 12  # below NARROW_WIDTH, the sparklines keep the latest year
NARROW_WIDTH = 100
STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "bold red",
    Status.MISSED: "bold red",
    Status.NOT_YET_MEASURABLE: "cyan",
    Status.NO_DATA: "dim",
    Status.ESTIMATED: "blue",
}
VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "bold red"}
VERDICT_MARK = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗"}


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, scaled between the series' min and max; gaps are spaces."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    chars = []
    for value in values:
        if value is None:
            chars.append(" ")
        elif span == 0:
            chars.append(SPARK_BLOCKS[len(SPARK_BLOCKS) // 2])
        else:
            chars.append(SPARK_BLOCKS[round((value - low) / span * (len(SPARK_BLOCKS) - 1))])
    return "".join(chars)


def progress_bar(fraction: float | None, lang: Lang, width: int = 10) -> str:
    """A text bar for progress towards a target (clamped to 0-100 %), with the percentage."""
    if fraction is None:
        return "—"
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled) + " " + fmt_percent(fraction * 100, lang)


class Prose:
    """Text wrapped at plain spaces only, so that the no-break spaces inside a number
    ("2 992,45 €", "17,7 %") hold it on one line at any width."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = textwrap.wrap(self.text, options.max_width, break_on_hyphens=False) or [""]
        yield Text("\n".join(lines), style=self.style, no_wrap=True, overflow="fold")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = self.text.split(" ")
        longest = max((len(word) for word in words), default=0)
        return Measurement(min(longest, options.max_width), min(len(self.text), options.max_width))


def _columns(table: Table, headers: Sequence[tuple[str, str]]) -> None:
    for header, justify in headers:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]


def _status(status: Status, lang: Lang) -> Prose:
    return Prose(term(status, lang), style=STATUS_STYLE[status])


def _mark(verdict: Verdict) -> Text:
    return Text(VERDICT_MARK[verdict], style=VERDICT_STYLE[verdict])


def _badges(objective: ObjectiveResult) -> Text:
    """One mark per S-M-A-R-T criterion, readable without colour: ✓ pass, ! warn, ✗ fail."""
    text = Text(no_wrap=True)
    for _, finding in objective.smart.items():
        text.append(VERDICT_MARK[finding.verdict], style=VERDICT_STYLE[finding.verdict])
    return text


def _figures_table(figures: RoiFigures, currency: str, lang: Lang) -> Table:
    """Costs, benefits, net, ROI %, BCR and payback, with their basis."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(justify="right", no_wrap=True)
    for row, value in figure_values(figures, Tier.CORE):
        text = Text(cell_text(row, value, currency, lang))
        if row.key == "col.roi_pct" and value is not None:
            text.stylize("bold green" if value >= 0 else "bold red")
        grid.add_row(t(row.key, lang), text)
    return grid


def _range(s: Sensitivity, lang: Lang) -> Prose:
    return Prose(
        t("term.roi_range", lang).format(
            conservative=fmt_percent(s.conservative, lang),
            base=fmt_percent(s.base, lang),
            optimistic=fmt_percent(s.optimistic, lang),
        ),
        style="dim",
    )


def program_panel(program: ProgramResult, analysis: Analysis, lang: Lang) -> Panel:
    """The summary panel of one programme."""
    currency = analysis.currency
    lines: list[RenderableType] = [_figures_table(program.figures, currency, lang)]
    pending = pending_line(program, analysis, lang)
    for note in program_notes(program, analysis, lang):
        lines.append(Prose(note, style="cyan" if pending else "dim"))
    if not pending:
        lines.append(_range(program.sensitivity, lang))
    if program.figures.note and not pending:
        lines.append(Prose(localize(program.figures.note, lang) or "", style="yellow"))
    if program.intangibles:
        names = ", ".join(program.intangibles)
        lines.append(Prose(t("term.intangibles", lang).format(names=names)))
    end = fmt_date(program.end, lang) if program.end else t("term.open_end", lang)
    about = f"{term(program.method, lang)} · {fmt_date(program.start, lang)} → {end}"
    lines.insert(0, Prose(about, style="dim"))
    title = Text(program.name, style="bold")
    return Panel(Group(*lines), title=title, title_align="left", border_style="blue")


UNWRAPPED = frozenset({Kind.SMART, Kind.STATUS, Kind.RANGE})  # one line each, whatever the width


def objectives_view(
    objectives: Sequence[ObjectiveResult],
    shown: Sequence[Column],
    title: str,
    currency: str,
    lang: Lang,
    width: int,
) -> RenderableType:
    """The objectives as a table where every column fits whole, or else every word does
    (text wraps between words); narrower still, stacked cards: nothing is ever cut."""
    for layout in (_full_widths, _word_widths):
        widths = layout(objectives, shown, currency, lang)
        if sum(widths) + 3 * len(shown) + 1 <= width:  # each cell's padding and rule
            return objectives_table(objectives, shown, widths, title, currency, lang)
    return objectives_cards(objectives, shown, title, currency, lang)


def _full_widths(
    objectives: Sequence[ObjectiveResult], shown: Sequence[Column], currency: str, lang: Lang
) -> list[int]:
    """Each column as wide as its widest cell or header."""
    return [
        max(
            len(text)
            for text in [t(c.key, lang), *(_plain(c, o, currency, lang) for o in objectives)]
        )
        for c in shown
    ]


def _word_widths(
    objectives: Sequence[ObjectiveResult], shown: Sequence[Column], currency: str, lang: Lang
) -> list[int]:
    """Each column as wide as its widest word; columns that never wrap, as their widest cell."""
    return [
        max(
            len(part)
            for text in [t(c.key, lang), *(_plain(c, o, currency, lang) for o in objectives)]
            for part in ([text] if _unwrapped(c) else text.split(" "))
        )
        for c in shown
    ]


def _unwrapped(column: Column) -> bool:
    return column.key in ("col.id", "col.progress") or column.kind in UNWRAPPED


def objectives_table(
    objectives: Sequence[ObjectiveResult],
    shown: Sequence[Column],
    widths: Sequence[int],
    title: str,
    currency: str,
    lang: Lang,
) -> Table:
    """One row per objective, these columns of the objectives table, at these widths."""
    table = Table(title=title, title_justify="left", expand=False)
    for column, width in zip(shown, widths, strict=True):
        numeric = column.kind in NUMERIC_KINDS and column.key != "col.progress"
        table.add_column(
            t(column.key, lang),
            justify="right" if numeric else "left",
            no_wrap=_unwrapped(column),
            width=width,
        )
    for objective in objectives:
        table.add_row(*(_cell(column, objective, currency, lang) for column in shown))
    return table


def _plain(column: Column, objective: ObjectiveResult, currency: str, lang: Lang) -> str:
    """A cell's text as the terminal shows it, to measure it."""
    column = for_objective(column, objective)
    value = column.value(objective)
    if column.kind is Kind.SMART:
        return "✓" * len(SMART_CRITERIA)
    if column.key == "col.progress":
        return progress_bar(value, lang)
    text = cell_text(column, value, currency, lang)
    if column.kind in (Kind.NUMBER, Kind.WHOLE) and objective.unit and value is not None:
        text = f"{text} {objective.unit}"
    return text


def objectives_cards(
    objectives: Sequence[ObjectiveResult],
    shown: Sequence[Column],
    title: str,
    currency: str,
    lang: Lang,
) -> Group:
    """One card per objective, headed by its id and status, each figure on its own line."""
    cards: list[RenderableType] = [Text(title, style="italic")]
    for objective in objectives:
        head = Text(objective.id, style="bold")
        head.append("  ")
        head.append(term(objective.status, lang), style=STATUS_STYLE[objective.status])
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for column in shown:
            if column.key in CARD_HEAD or (
                column.key == "col.progress" and not shows_progress(objective)
            ):
                continue
            grid.add_row(t(column.key, lang), _cell(column, objective, currency, lang))
        cards.append(Panel(Group(head, grid), border_style="dim", padding=(0, 1)))
    return Group(*cards)


CARD_HEAD = frozenset({"col.id", "col.status"})


def _cell(column: Column, objective: ObjectiveResult, currency: str, lang: Lang) -> RenderableType:
    """A cell of the objectives: a bar for progress, marks for SMART, colour for the status."""
    value = column.value(objective)
    if column.kind is Kind.STATUS:
        return _status(value, lang)
    if column.kind is Kind.SMART:
        return _badges(objective)
    if column.key == "col.progress":
        return progress_bar(value, lang)
    return Prose(_plain(column, objective, currency, lang))  # never breaks inside a number


def _number(value: float | None, lang: Lang, decimals: int = 2) -> str:
    return "—" if value is None else fmt_number(value, lang, decimals)


def smart_table(analysis: Analysis, lang: Lang) -> Table:
    """Pass/warn/fail per criterion with the reason and a suggested fix."""
    table = Table(title=t("heading.smart", lang), title_justify="left", show_lines=True)
    table.add_column(t("col.objective", lang))
    table.add_column(t("col.criterion", lang))
    table.add_column("", justify="center")
    table.add_column(t("col.reason", lang))
    table.add_column(t("col.fix", lang), style="dim")
    for _, objective in analysis.objectives():
        for index, (name, finding) in enumerate(objective.smart.items()):
            table.add_row(
                objective.id if index == 0 else "",
                smart_label(name, lang),
                _mark(finding.verdict),
                localize(finding.reason, lang),
                localize(finding.fix, lang) or "",
            )
    return table


def rules_table(analysis: Analysis, lang: Lang) -> Table:
    """Phillips' conservative rules and the data-collection checks, per programme."""
    table = Table(title=t("heading.rules", lang), title_justify="left")
    table.add_column(t("col.programme", lang))
    table.add_column("", justify="center")
    table.add_column(t("term.finding", lang))
    table.add_column(t("col.fix", lang))
    for program in analysis.programs:
        for rule in program.rules:
            table.add_row(program.name, *_finding_cells(rule, lang))
    return table


def _finding_cells(finding: Finding, lang: Lang) -> tuple[Text, Prose, Prose]:
    reason = localize(finding.reason, lang) or ""
    return _mark(finding.verdict), Prose(reason), Prose(localize(finding.fix, lang) or "", "dim")


def kpi_table(trends: Sequence[KpiTrend], lang: Lang, width: int = NARROW_WIDTH) -> Table:
    """Per KPI: the latest value, its change, a sparkline of the latest periods (a year below
    NARROW_WIDTH columns, two above) and the fitted slope and R²."""
    wide = width >= NARROW_WIDTH
    periods = SPARK_PERIODS if wide else NARROW_SPARK_PERIODS
    table = Table(title=t("term.kpi_trends", lang), title_justify="left")
    table.add_column(t("col.kpi", lang), ratio=1)
    if wide:
        table.add_column(t("col.last_period", lang), no_wrap=True)
    for header in (t("col.value", lang), t("col.change", lang)):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column(t("term.trend", lang), no_wrap=True, min_width=periods)
    if wide:
        for header in (t("col.slope", lang), t("col.r2", lang)):
            table.add_column(header, justify="right", no_wrap=True)
    for trend in trends:
        complete = [p for p in trend.periods if p.complete]
        last = complete[-1] if complete else None
        slope = trend.slope_per_period
        good = slope is not None and slope * trend.direction.sign > 0
        arrow = "" if slope is None or slope == 0 else ("↗" if slope > 0 else "↘")
        change = last.change_pct if last else None
        label = trend.label + (f" ({trend.unit})" if trend.unit else "")
        spark = Text(sparkline(_with_gaps(trend)[-periods:]), style="cyan")
        value = _number(last.value if last else None, lang, value_decimals(trend.aggregation))
        change_text = "—" if change is None else fmt_percent(change, lang)
        if not wide:
            table.add_row(Prose(label), value, change_text, spark)
            continue
        table.add_row(
            Prose(label),
            last.period if last else "—",
            value,
            change_text,
            spark,
            Text(
                "—" if slope is None else f"{arrow} {fmt_number(slope, lang)}",
                style="green" if good else ("red" if slope else ""),
            ),
            "—" if trend.r2 is None else fmt_number(trend.r2, lang),
        )
    return table


def _with_gaps(trend: KpiTrend) -> list[float | None]:
    points = [p for p in trend.periods if p.complete]
    if not points:
        return []
    by_ordinal = {p.ordinal: p.value for p in points}
    first, last = points[0].ordinal, points[-1].ordinal
    return [by_ordinal.get(o) for o in range(first, last + 1)][-SPARK_PERIODS:]


def roi_detail(program: ProgramResult, currency: str, lang: Lang) -> Table:
    """Costs by category, item by item, then each objective's benefit with its isolation."""
    title = t("term.costs_and_benefits", lang).format(name=program.name)
    table = Table(title=title, title_justify="left")
    table.add_column(t("term.line", lang))
    table.add_column(t("term.worked_out", lang), style="dim")
    table.add_column(t("col.amount", lang), justify="right")
    for category, amount in program.costs_by_category().items():
        label = t("term.costs_of", lang).format(category=term(category, lang))
        table.add_row(Text(label, style="bold"), "", fmt_money(amount, currency, lang))
        for line in program.costs:
            if line.category is category:
                basis = localize(line.basis, lang)
                table.add_row(f"  {line.item}", basis, fmt_money(line.amount, currency, lang))
    table.add_row(
        Text(t("term.total_costs", lang), style="bold"),
        "",
        Text(fmt_money(program.figures.costs, currency, lang), style="bold"),
        end_section=True,
    )
    for objective in program.objectives:
        benefit = benefit_text(objective, currency, lang)
        label = t("term.benefit_of", lang).format(id=objective.id)
        table.add_row(label, _benefit_basis(objective, currency, lang), benefit)
    table.add_row(
        Text(t("term.total_benefits", lang), style="bold"),
        "",
        Text(fmt_money(program.figures.benefits, currency, lang), style="bold"),
    )
    return table


def _benefit_basis(objective: ObjectiveResult, currency: str, lang: Lang) -> str:
    if objective.isolation is Isolation.ESTIMATES:
        used = sum(1 for row in objective.estimates if row.confidence is not None)
        counted = t("term.estimates_basis", lang).format(used=used, total=len(objective.estimates))
        return f"{counted} · {adjustment_text(objective, lang)}"
    amount = objective.benefit if objective.benefit is not None else objective.unconverted_benefit
    basis = t("term.kpi_basis", lang).format(
        isolation=term(objective.isolation, lang),
        gained=fmt_number(sum(row.improvement for row in objective.improvements), lang),
        periods=objective.periods_counted,
        value=_number(objective.value_per_unit, lang),
        share=t("term.loss_in_full", lang)
        if objective.adjustment == 1 and (amount or 0) < 0
        else adjustment_text(objective, lang),
    )
    if objective.benefit_range is None:
        return basis
    likely = range_text(objective, currency, lang)
    return f"{basis} · {t('view.likely_range', lang).format(range=likely)}"


def render_dashboard(console: Console, analysis: Analysis, lang: Lang = Lang.EN) -> None:
    """Print the report, verdict first: whether each programme pays and what to do, then the
    portfolio, each programme, the objectives, the trends and Phillips' rules."""
    analysis = clean_labels(analysis)
    header = t("term.header", lang).format(
        as_of=fmt_date(analysis.as_of, lang),
        period=term(analysis.period, lang).lower(),
        currency=analysis.currency,
    )
    console.print(Text(header, style="bold"))
    console.print(verdict_panel(analysis, lang))
    changes = changes_panel(analysis, lang)
    if changes is not None:
        console.print(changes)
    for program in analysis.programs:  # what a manager reads first after the verdict
        console.print(view_table(chain_table(program, analysis, lang), analysis.currency, lang))
    if len(analysis.programs) > 1:
        console.print(portfolio_panel(analysis, lang))
    for program in analysis.programs:
        console.print(program_panel(program, analysis, lang))
        years = years_table(program, analysis.currency, lang)
        if years is not None:
            console.print(years)
    console.print(
        objectives_view(
            [objective for _, objective in analysis.objectives()],
            columns(OBJECTIVE_COLUMNS, Tier.CORE),
            t("heading.objectives", lang),
            analysis.currency,
            lang,
            console.width,
        )
    )
    if analysis.kpis:
        console.print(kpi_table(analysis.kpis, lang, console.width))
    console.print(rules_table(analysis, lang))
    for program in analysis.programs:
        tables = evaluation_tables(program, analysis, lang)
        if tables:
            heading = f"{t('heading.evaluation', lang)} · {program.name}"
            console.print(Text(heading, style="bold"))
        for table in tables:
            console.print(view_table(table, analysis.currency, lang))


def view_table(table: ViewTable, currency: str, lang: Lang) -> Table:
    """A shared evaluation or chain table, its note as the caption; figures right-aligned."""
    shown = Table(
        title=table.heading,
        title_justify="left",
        caption=table.note or None,
        caption_justify="left",
    )
    for index, header in enumerate(table.headers):
        numeric = bool(table.rows) and all(row[index].kind in NUMERIC_KINDS for row in table.rows)
        shown.add_column(header, justify="right" if numeric else "left")
    for row in table.rows:
        shown.add_row(*(Prose(words(cell, currency, lang)) for cell in row))
    return shown


OUTLOOK_STYLE = {
    Outlook.PAYING_BACK: "bold green",
    Outlook.NOT_YET: "yellow",
    Outlook.LOSS: "bold red",
    Outlook.TOO_EARLY: "cyan",
    Outlook.NO_MONEY: "dim",
    Outlook.PROJECTED: "cyan",
}


def verdict_panel(analysis: Analysis, lang: Lang) -> Panel:
    """Whether each programme pays, stale data, and the most useful actions, numbered."""
    lines: list[RenderableType] = [
        Prose(line, style=OUTLOOK_STYLE[verdict.outlook])
        for verdict, line in zip(analysis.verdicts, verdict_lines(analysis, lang), strict=True)
    ]
    lines += [Prose(line, style="yellow") for line in stale_lines(analysis, lang)]
    actions = action_lines(analysis, lang)
    if actions:
        lines.append(Text(t("heading.actions", lang), style="bold"))
        lines += [Prose(f"{index}. {line}") for index, line in enumerate(actions, start=1)]
    return Panel(
        Group(*lines),
        title=Text(t("heading.verdict", lang), style="bold"),
        title_align="left",
        border_style="green",
    )


def changes_panel(analysis: Analysis, lang: Lang) -> Panel | None:
    """What moved since the last report, one line each; None when not compared."""
    heading = changes_heading(analysis, lang)
    if heading is None:
        return None
    return Panel(
        Group(*(Prose(line) for line in changes_lines(analysis, lang))),
        title=Text(heading, style="bold"),
        title_align="left",
        border_style="blue",
    )


def _print_stale(console: Console, analysis: Analysis, lang: Lang) -> None:
    for line in stale_lines(analysis, lang):
        console.print(Prose(line, style="yellow"))


def portfolio_panel(analysis: Analysis, lang: Lang) -> Panel:
    """The measurable programmes' figures, ranked by ROI %, the pending ones apart."""
    portfolio = analysis.portfolio
    names = " › ".join(portfolio.ranking)
    lines: list[RenderableType] = [
        _figures_table(portfolio.figures, analysis.currency, lang),
        _range(portfolio.sensitivity, lang),
        Prose(t("term.ranked", lang).format(names=names), style="dim"),
    ]
    lines += [Prose(note, style="cyan") for note in portfolio_notes(analysis, lang)]
    return Panel(
        Group(*lines),
        title=Text(t("heading.portfolio", lang), style="bold"),
        title_align="left",
        border_style="magenta",
    )


def sources_table(analysis: Analysis, lang: Lang) -> Table:
    """What was read from each source and what was detected."""
    table = Table(title=t("heading.sources", lang), title_justify="left")
    _columns(
        table,
        [
            (t("col.file", lang), "left"),
            (t("col.rows", lang), "right"),
            (t("col.skipped_rows", lang), "right"),
            (t("col.kpis", lang), "left"),
            (t("col.detected", lang), "left"),
            (t("term.ignored", lang), "left"),
        ],
    )
    for source in analysis.audit.sources:
        detected = ", ".join(f"{k}={v}" for k, v in source.detected.items() if v is not None)
        table.add_row(
            source.path if "://" in source.path else Path(source.path).name,
            fmt_number(source.rows, lang),
            fmt_number(source.skipped_rows, lang),
            ", ".join(source.kpis),
            Text(detected, style="dim"),
            Text(", ".join(source.unmatched), style="dim"),
        )
    return table


def render_check(console: Console, analysis: Analysis, lang: Lang = Lang.EN) -> None:
    """The `check` view: sources, the SMART table and Phillips' rules."""
    analysis = clean_labels(analysis)
    console.print(sources_table(analysis, lang))
    console.print(smart_table(analysis, lang))
    console.print(rules_table(analysis, lang))
    worst = [o.smart.worst for _, o in analysis.objectives()]
    summary = t("term.check_summary", lang).format(
        total=len(worst),
        smart=worst.count(Verdict.PASS),
        warn=worst.count(Verdict.WARN),
        fail=worst.count(Verdict.FAIL),
    )
    console.print(summary)


def estimates_table(objective: ObjectiveResult, currency: str, lang: Lang) -> Table:
    """An estimates objective's rows as the file gave them, and the share counted."""
    title = f"{t('heading.estimates', lang)} · {objective.id} · {adjustment_text(objective, lang)}"
    rows = estimate_rows(objective, currency, lang)
    return _view_rows(title, ESTIMATE_COLUMNS, NUMERIC_ESTIMATE_COLUMNS, rows, lang)


def years_table(program: ProgramResult, currency: str, lang: Lang) -> Table | None:
    """A multi-year programme's figures year by year; None without them."""
    title = multi_year_heading(program, lang)
    if title is None:
        return None
    rows = year_rows(program, currency, lang)
    return _view_rows(title, YEAR_COLUMNS, NUMERIC_YEAR_COLUMNS, rows, lang)


def _view_rows(
    title: str,
    keys: Sequence[str],
    numeric: Collection[int],
    rows: Iterable[Sequence[str]],
    lang: Lang,
) -> Table:
    """A table of the view's rows in words, its numeric columns right-aligned."""
    table = Table(title=title, title_justify="left")
    for index, key in enumerate(keys):
        table.add_column(t(key, lang), justify="right" if index in numeric else "left")
    for row in rows:
        table.add_row(*row)
    return table


def render_roi(console: Console, analysis: Analysis, lang: Lang = Lang.EN) -> None:
    """The `roi` view: per programme the figures, then costs and benefits line by line."""
    analysis = clean_labels(analysis)
    _print_stale(console, analysis, lang)
    for program in analysis.programs:
        console.print(program_panel(program, analysis, lang))
        console.print(roi_detail(program, analysis.currency, lang))
        years = years_table(program, analysis.currency, lang)
        if years is not None:
            console.print(years)
        for objective in program.objectives:
            if objective.estimates:
                console.print(estimates_table(objective, analysis.currency, lang))
    if len(analysis.programs) > 1:
        console.print(portfolio_panel(analysis, lang))


def render_forecast(console: Console, analysis: Analysis, lang: Lang = Lang.EN) -> None:
    """The `forecast` view: per programme the forecast figures before launch, each objective's
    forecast and the change of its KPI that alone would pay the costs."""
    analysis = clean_labels(analysis)
    currency = analysis.currency
    for program in analysis.programs:
        found = program.forecast
        assert found is not None
        lines: list[RenderableType] = []
        if found.figures is None:
            lines.append(Prose(t("view.no_forecast", lang), style="yellow"))
        else:
            lines.append(_figures_table(found.figures, currency, lang))
            per_head = per_participant_line(found.figures, currency, lang)
            if per_head:
                lines.append(Prose(per_head, style="dim"))
        table = Table(title=t("heading.forecast", lang), title_justify="left")
        shown = list(FORECAST_COLUMNS)
        _columns(
            table,
            [(t(c.key, lang), "right" if c.kind in NUMERIC_KINDS else "left") for c in shown],
        )
        for objective in found.objectives:
            table.add_row(*(cell_text(c, c.value(objective), currency, lang) for c in shown))
        lines.append(table)
        lines += [Prose(break_even_line(o, lang)) for o in found.objectives]
        title = Text(program.name, style="bold")
        console.print(Panel(Group(*lines), title=title, title_align="left", border_style="blue"))


PROJECTION_KEYS = frozenset(
    {"col.id", "col.kpi", "col.baseline", "col.target", "col.deadline", "col.current"}
    | {"col.projected", "col.status", "col.before_after"}
)


def cohort_table(cohort: Cohort, lang: Lang) -> Table:
    """The groups of one objective's KPI side by side, with the difference in differences."""
    did = cohort.difference_in_differences
    caption = None
    if did is not None:
        sign = "+" if did >= 0 else ""
        caption = t("term.did", lang).format(value=sign + fmt_number(did, lang))
    title = t("term.by_group", lang).format(kpi=cohort.kpi, objectives=", ".join(cohort.objectives))
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    _columns(
        table,
        [
            (t("col.group", lang), "left"),
            (t("col.role", lang), "left"),
            (t("col.before_mean", lang), "right"),
            (t("col.after_mean", lang), "right"),
            (t("col.change", lang), "right"),
            (t("term.trend", lang), "left"),
        ],
    )
    for group in cohort.groups:
        comparison = group.pre_post
        change = "—"
        if comparison.change_pct is not None:
            change = ("+" if comparison.change_pct >= 0 else "") + fmt_percent(
                comparison.change_pct, lang
            )
        values = [p.value for p in group.series if p.complete][-SPARK_PERIODS:]
        table.add_row(
            group.group,
            role_label(group.role, lang),
            _number(comparison.before_mean, lang),
            _number(comparison.after_mean, lang),
            change,
            Text(sparkline(values), style="cyan"),
        )
    return table


def render_trends(
    console: Console,
    analysis: Analysis,
    trends: Sequence[KpiTrend],
    cohorts: Sequence[Cohort] = (),
    lang: Lang = Lang.EN,
) -> None:
    """The `trend` view: KPI summary, objectives' projections, cohorts, then each KPI's periods."""
    analysis, trends, cohorts = clean_labels((analysis, tuple(trends), tuple(cohorts)))
    console.print(kpi_table(trends, lang, console.width))
    keys = {trend.key for trend in trends}
    objectives = [o for _, o in analysis.objectives() if o.kpi in keys]
    if objectives:
        shown = [column for column in OBJECTIVE_COLUMNS if column.key in PROJECTION_KEYS]
        title = t("term.projection", lang)
        console.print(
            objectives_view(objectives, shown, title, analysis.currency, lang, console.width)
        )
    for cohort in cohorts:
        console.print(cohort_table(cohort, lang))
    for trend in trends:
        table = Table(title=trend.label, title_justify="left")
        _columns(
            table,
            [
                (t("col.period", lang), "left"),
                (t("col.value", lang), "right"),
                (t("col.change", lang), "right"),
                (t("col.change_pct", lang), "right"),
                (t("term.rolling", lang), "right"),
            ],
        )
        for point in trend.periods:
            partial = "" if point.complete else t("term.partial", lang)
            table.add_row(
                point.period + partial,
                _number(point.value, lang),
                _number(point.change, lang),
                "—" if point.change_pct is None else fmt_percent(point.change_pct, lang),
                _number(point.rolling_mean, lang),
                style="" if point.complete else "dim italic",
            )
        console.print(table)
        if trend.note:
            console.print(Text(localize(trend.note, lang) or "", style="dim"))
