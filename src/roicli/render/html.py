"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no script.

Python gathers the texts (the shared ones from `view` and `tables`) and draws the charts; the
Jinja2 template `templates/report.html.j2` lays them out: the verdict first, then the portfolio,
each programme, the trends and the audit. The template autoescapes every value, ours or from
the config and data; the charts reach it as markup built from escaped parts. The page makes no
external request, fits a phone's width and prints on A4.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from itertools import pairwise

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from roicli.enums import Lang, Verdict
from roicli.i18n import (
    fmt_date,
    fmt_meta,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_sensitivity,
    fmt_settings,
    fmt_share,
    labelled,
    role_label,
    smart_label,
    t,
    term,
)
from roicli.messages import localize
from roicli.model import (
    Analysis,
    Cohort,
    Finding,
    KpiTrend,
    ObjectiveResult,
    PeriodPoint,
    ProgramResult,
    RoiFigures,
    Sensitivity,
)
from roicli.render.evaluation_view import Cell as ViewCell
from roicli.render.evaluation_view import ViewTable, chain_table, evaluation_tables, words
from roicli.render.fx_view import conversion_pairs
from roicli.render.safety import clean_labels
from roicli.render.tables import (
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
    changes_heading,
    changes_lines,
    estimate_rows,
    multi_year_heading,
    portfolio_notes,
    program_notes,
    rule_label,
    runs_rows,
    sent_queries,
    stale_lines,
    summary_paragraph,
    verdict_lines,
    year_rows,
)
from roicli.rounding import value_decimals

TEMPLATE = "report.html.j2"
LINE_WIDTH, LINE_HEIGHT = 480, 220
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_RIGHT = 34, 32, 28  # the top margin holds the start's label
CHAR_WIDTH = 7  # a label's width per character at the charts' 11px, rounded up
LABEL_HEIGHT = 12  # a label's height above its baseline
GAP = 6  # between a label and what it names
Y_TICKS = 5
BAR_CHART_WIDTH, BAR_ROW, BAR_LABEL_WIDTH, BAR_LABEL_CHARS = 480, 34, 180, 24


def render_html(analysis: Analysis, *, lang: Lang) -> str:
    """The whole report as one self-contained HTML document."""
    analysis = clean_labels(analysis)
    portfolio = analysis.portfolio
    outlooks = [verdict.outlook.value for verdict in analysis.verdicts]
    template = _environment().get_template(TEMPLATE)
    return template.render(
        lang=lang.value,
        t=partial(t, lang=lang),
        meta=fmt_meta(analysis.as_of, analysis.period, analysis.currency, analysis.version, lang),
        verdicts=list(zip(outlooks, verdict_lines(analysis, lang), strict=True)),
        stale=stale_lines(analysis, lang),
        changes_heading=changes_heading(analysis, lang),
        changes=changes_lines(analysis, lang),
        runs_chart=_runs_chart(analysis, lang),
        chains=[
            _view_block(chain_table(program, analysis, lang), analysis.currency, lang)
            for program in analysis.programs
        ],
        actions=action_lines(analysis, lang),
        in_short=summary_paragraph(analysis, lang),
        portfolio=Card(
            pairs=(
                *_figure_pairs(portfolio.figures, analysis.currency, lang),
                _sensitivity(portfolio.sensitivity, lang),
            ),
            ranking=portfolio.ranking,
            notes=tuple(portfolio_notes(analysis, lang)),
        ),
        roi_chart=_roi_chart(analysis.programs, lang) if analysis.programs else None,
        programs=[_program(program, analysis, lang) for program in analysis.programs],
        kpis=_kpis(analysis.kpis, lang),
        cohorts=[_cohort(cohort, lang) for cohort in analysis.cohorts],
        audit=_audit(analysis, lang),
        generated_by=t("report.generated_by", lang).format(version=analysis.version),
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("roicli.render", "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _escape(value: object) -> Markup:
    """Every value the template writes, escaped as `html.escape` does (`&quot;`, `&#x27;`);
    markup built here, the charts, as it is."""
    return value if isinstance(value, Markup) else Markup(_e(value))


# A minus sign before a currency symbol ("-€4,020.00") is a place where a browser may break a
# line, leaving the amount on the next line to be read as a gain: an invisible word joiner
# (U+2060) holds them together. Before a digit ("-35.0%") browsers never break.
_MINUS_BEFORE_SYMBOL = re.compile(r"(?<![\w-])-(?=[^\d\s-])")


def _e(text: object) -> str:
    return html.escape(_MINUS_BEFORE_SYMBOL.sub("-\u2060", str(text)), quote=True)


# --- what the template lays out -------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A coloured label (a status, a verdict, a SMART letter) with its tooltip."""

    css: str
    label: str
    tip: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell: text, badges or a progress bar; css "num" for a figure (right-aligned,
    never wrapped), "words" for words around figures (right-aligned, wrapped between words)."""

    text: str = ""
    css: str = ""
    badges: tuple[Badge, ...] = ()
    bar: int | None = None  # the filled share of a progress bar, 0–100
    code: bool = False  # a digest, set in monospace and broken anywhere


@dataclass(frozen=True)
class Table:
    """Column headers and rows of cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def right(self) -> tuple[bool, ...]:
        """Per column, whether its header aligns right: every cell holds figures."""
        return tuple(
            bool(self.rows) and all(row[index].css for row in self.rows)
            for index in range(len(self.headers))
        )


@dataclass(frozen=True)
class Block:
    """A titled table with an optional note above it."""

    heading: str
    table: Table
    note: str = ""


@dataclass(frozen=True)
class Pair:
    """A named value; a figure never wraps."""

    name: str
    value: str
    figure: bool = False


@dataclass(frozen=True)
class Card:
    """A programme's or the portfolio's figures at a glance, under its section's heading."""

    pairs: tuple[Pair, ...]
    about: str = ""
    notes: tuple[str, ...] = ()
    ranking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart's title and caption, shown above it, and its SVG."""

    title: str
    caption: str
    svg: Markup


@dataclass(frozen=True)
class Program:
    """One programme's detail, in the order the page shows it."""

    name: str
    card: Card
    objectives: Table
    estimates: tuple[Block, ...]
    smart: Table | None
    charts: tuple[Chart, ...]
    costs: Table
    intangibles: tuple[str, ...]
    rules: Table
    years: Block | None = None  # a multi-year programme's figures year by year
    evaluation: tuple[Block, ...] = ()  # levels 1 to 3 from the evaluation files


@dataclass(frozen=True)
class Audit:
    """Where the figures come from: settings, sources, bad rows and unused KPIs."""

    settings: tuple[Pair, ...]
    sources: Table
    bad_rows: Table | None
    unused_kpis: tuple[str, ...]
    queries: Table | None = None  # the statements sent to database sources


def _text(value: str | None) -> Cell:
    return Cell(value or "")


def _is_figure(text: str) -> bool:
    """Whether text is one figure: Babel joins a figure's parts with non-breaking spaces, so
    an ordinary space means words around figures, which may wrap between them."""
    return " " not in text


def _num(text: str) -> Cell:
    return Cell(text, "num" if _is_figure(text) else "words")


def _badge(verdict: Verdict, lang: Lang) -> Cell:
    return Cell(badges=(Badge(f"verdict-{verdict.value}", term(verdict, lang)),))


def _table(keys: Sequence[str], rows: Sequence[Sequence[Cell]], lang: Lang) -> Table:
    return Table(tuple(t(key, lang) for key in keys), tuple(tuple(row) for row in rows))


# --- portfolio and programme cards ----------------------------------------------------------


def _figure_pairs(figures: RoiFigures, currency: str, lang: Lang) -> list[Pair]:
    return [
        _pair(t(row.key, lang), cell_text(row, value, currency, lang), row.kind in NUMERIC_KINDS)
        for row, value in figure_values(figures, Tier.REPORT)
        if value is not None or row.kind is not Kind.MESSAGE
    ]


def _pair(name: str, value: str, numeric: bool = True) -> Pair:
    return Pair(name, value, numeric and _is_figure(value))


def _sensitivity(sensitivity: Sensitivity, lang: Lang) -> Pair:
    return _pair(
        *fmt_sensitivity(sensitivity.conservative, sensitivity.base, sensitivity.optimistic, lang)
    )


def _program_card(program: ProgramResult, analysis: Analysis, lang: Lang) -> Card:
    about = (
        f"{term(program.method, lang)} · "
        f"{fmt_date(program.start, lang)} – {fmt_date(program.end, lang)}"
    )
    if program.participants is not None:
        about += (
            f" · {fmt_number(program.participants, lang, 0)} {t('col.participants', lang).lower()}"
        )
    return Card(
        pairs=(
            *_figure_pairs(program.figures, analysis.currency, lang),
            _sensitivity(program.sensitivity, lang),
            _pair(t("col.months_counted", lang), fmt_number(program.months_counted, lang, 0)),
        ),
        about=about,
        notes=tuple(program_notes(program, analysis, lang)),
    )


# --- programmes -----------------------------------------------------------------------------


def _program(program: ProgramResult, analysis: Analysis, lang: Lang) -> Program:
    currency = analysis.currency
    return Program(
        name=program.name,
        card=_program_card(program, analysis, lang),
        objectives=_objectives_table(program, currency, lang),
        estimates=tuple(_estimates(o, currency, lang) for o in program.objectives if o.estimates),
        smart=_smart_findings(program, lang),
        charts=tuple(
            _line_chart(program, objective, lang)
            for objective in program.objectives
            if objective.kpi is not None and objective.series
        ),
        costs=_costs_table(program, currency, lang),
        intangibles=program.intangibles,
        rules=_rules_table(program.rules, lang),
        years=_years(program, currency, lang),
        evaluation=tuple(
            _view_block(table, currency, lang)
            for table in evaluation_tables(program, analysis, lang)
        ),
    )


def _view_block(table: ViewTable, currency: str, lang: Lang) -> Block:
    """A shared evaluation or chain table: figures right-aligned, a digest in monospace."""
    rows = tuple(tuple(_view_cell(cell, currency, lang) for cell in row) for row in table.rows)
    return Block(table.heading, Table(table.headers, rows), note=table.note)


def _view_cell(cell: ViewCell, currency: str, lang: Lang) -> Cell:
    text = words(cell, currency, lang)
    if cell.kind in NUMERIC_KINDS:
        return _num(text)
    return Cell(text, code=cell.digest)


def _years(program: ProgramResult, currency: str, lang: Lang) -> Block | None:
    """A multi-year programme's figures year by year, under their basis; None without."""
    heading = multi_year_heading(program, lang)
    if heading is None:
        return None
    rows = [
        [
            _num(cell) if index in NUMERIC_YEAR_COLUMNS else _text(cell)
            for index, cell in enumerate(row)
        ]
        for row in year_rows(program, currency, lang)
    ]
    return Block(heading, _table(YEAR_COLUMNS, rows, lang))


def _estimates(objective: ObjectiveResult, currency: str, lang: Lang) -> Block:
    """An objective's participant estimates, row by row, under how they are adjusted."""
    rows = [
        [
            _num(cell) if index in NUMERIC_ESTIMATE_COLUMNS else _text(cell)
            for index, cell in enumerate(row)
        ]
        for row in estimate_rows(objective, currency, lang)
    ]
    return Block(
        f"{t('heading.estimates', lang)} · {objective.id}",
        _table(ESTIMATE_COLUMNS, rows, lang),
        note=adjustment_text(objective, lang),
    )


def _objectives_table(program: ProgramResult, currency: str, lang: Lang) -> Table:
    shown = columns(OBJECTIVE_COLUMNS, Tier.REPORT)
    rows = [
        [_objective_cell(column, objective, currency, lang) for column in shown]
        for objective in program.objectives
    ]
    return Table(tuple(t(column.key, lang) for column in shown), tuple(map(tuple, rows)))


def _objective_cell(column: Column, objective: ObjectiveResult, currency: str, lang: Lang) -> Cell:
    """A cell as text, but for the status and SMART badges and the progress bar."""
    column = for_objective(column, objective)
    value = column.value(objective)
    if column.kind is Kind.STATUS:
        reason = localize(objective.status_reason, lang) or ""
        return Cell(badges=(Badge(f"status-{value.value}", term(value, lang), reason),))
    if column.kind is Kind.SMART:
        return Cell(badges=_smart_badges(objective, lang))
    if column.key == "col.progress" and value is not None:
        bar = round(max(0.0, min(100.0, value * 100)))
        return Cell(fmt_share(value, lang), "num", bar=bar)
    text = cell_text(column, value, currency, lang)
    return _num(text) if column.kind in NUMERIC_KINDS else Cell(text)


def _smart_badges(objective: ObjectiveResult, lang: Lang) -> tuple[Badge, ...]:
    return tuple(
        Badge(
            f"verdict-{finding.verdict.value}",
            letter,
            labelled(
                smart_label(criterion, lang),
                f"{term(finding.verdict, lang)} — {localize(finding.reason, lang)}",
                lang,
            ),
        )
        for letter, (criterion, finding) in zip("SMART", objective.smart.items(), strict=True)
    )


def _smart_findings(program: ProgramResult, lang: Lang) -> Table | None:
    """The SMART criteria that do not pass, with their reason and suggested fix."""
    rows = [
        [
            _text(objective.id),
            _text(smart_label(criterion, lang)),
            _badge(finding.verdict, lang),
            _text(localize(finding.reason, lang)),
            _text(localize(finding.fix, lang)),
        ]
        for objective in program.objectives
        for criterion, finding in objective.smart.items()
        if finding.verdict is not Verdict.PASS
    ]
    keys = ("col.id", "col.criterion", "col.verdict", "col.reason", "col.fix")
    return _table(keys, rows, lang) if rows else None


def _costs_table(program: ProgramResult, currency: str, lang: Lang) -> Table:
    rows = [
        [
            _text(line.item),
            _text(term(line.category, lang)),
            _text(localize(line.basis, lang)),
            _num(fmt_money(line.amount, currency, lang)),
        ]
        for line in program.costs
    ]
    return _table(("col.item", "col.category", "col.basis", "col.amount"), rows, lang)


def _rules_table(rules: Sequence[Finding], lang: Lang) -> Table:
    """Each rule by its name in words, never its id."""
    rows = [
        [
            _text(rule_label(finding.check, lang)),
            _badge(finding.verdict, lang),
            _text(localize(finding.reason, lang)),
            _text(localize(finding.fix, lang)),
        ]
        for finding in rules
    ]
    return _table(("col.check", "col.verdict", "col.reason", "col.fix"), rows, lang)


# --- charts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """A linear map from a data interval onto a pixel interval."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def _ticks(values: Sequence[float]) -> list[float]:
    """Round axis ticks (steps of 1, 2, 2.5 or 5 × 10^k) spanning the values."""
    low, high = min(values), max(values)
    if high == low:
        low, high = low - (abs(low) * 0.1 or 1.0), high + (abs(high) * 0.1 or 1.0)
    rough = (high - low) / (Y_TICKS - 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9) + 1
    return [first + index * step for index in range(count)]


def _line_chart(program: ProgramResult, objective: ObjectiveResult, lang: Lang) -> Chart:
    """An objective's chart, titled by its KPI and id, captioned with its unit and target."""
    target = objective.target
    title = f"{objective.kpi_label or objective.kpi} · {objective.id}"
    decimals = value_decimals(objective.aggregation)
    caption = (
        f"{t('col.value', lang)} ({objective.unit or ''}) — "
        f"{labelled(t('col.target', lang), fmt_number(target, lang, decimals), lang)} — "
        f"{labelled(t('col.programme_start', lang), fmt_date(program.start, lang), lang)}"
    )
    chart = line_chart(objective.series, target, program.start, title, lang, decimals=decimals)
    return Chart(title, caption, chart)


def line_chart(
    points: Sequence[PeriodPoint],
    target: float | None,
    start: date,
    title: str,
    lang: Lang,
    *,
    decimals: int = 2,
) -> Markup:
    """The period values as a line, the target as a dashed line labelled past its right end,
    the programme start as a dotted line labelled beside its top, above the plot. The margins
    fit the labels, so neither marker's label can meet the other, the data or an axis label.
    Values and the target are written with at most ``decimals`` decimals."""
    ticks = _ticks([p.value for p in points] + ([target] if target is not None else []))
    tick_labels = [fmt_number(tick, lang) for tick in ticks]
    left = 2 * GAP + max(map(_width, tick_labels))
    target_label = f"{t('col.target', lang)} {fmt_number(target, lang, decimals)}"
    right = LINE_WIDTH - (
        MARGIN_RIGHT if target is None else max(MARGIN_RIGHT, 2 * GAP + _width(target_label))
    )
    bottom = LINE_HEIGHT - MARGIN_BOTTOM
    # The axis always reaches the programme start, even when the data stops before it.
    days = [points[0].start.toordinal(), points[-1].start.toordinal(), start.toordinal()]
    x = _Scale(min(days), max(days), left, right)
    y = _Scale(ticks[0], ticks[-1], bottom, MARGIN_TOP)
    parts = [
        *(
            _svg_line(left, y(tick), right, y(tick), "grid")
            + _svg_text(left - GAP, y(tick) + 4, label, "label", "end")
            for tick, label in zip(ticks, tick_labels, strict=True)
        ),
        *_x_labels(points, x, bottom),
        _svg_line(left, bottom, right, bottom, "axis"),
        *_start_marker(x(start.toordinal()), bottom, t("col.programme_start", lang)),
        *(
            [
                _svg_line(left, y(target), right, y(target), "target"),
                _svg_text(right + GAP, y(target) + 4, target_label, "marker"),
            ]
            if target is not None
            else []
        ),
        f'<path class="value" d="{_path(points, x, y)}"/>',
        *(_point(point, x, y, lang, decimals) for point in points),
    ]
    return _svg(LINE_WIDTH, LINE_HEIGHT, title, parts)


def _width(label: str) -> int:
    """A label's width in the charts, estimated on the safe side."""
    return CHAR_WIDTH * len(label)


def _svg(width: int, height: int, title: str, parts: Sequence[str]) -> Markup:
    """The chart's parts, each built from escaped text, as markup for the template."""
    return Markup(
        f'<svg viewBox="0 0 {width} {height}" role="img"><title>{_e(title)}</title>'
        f"{''.join(parts)}</svg>"
    )


def _svg_line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _svg_text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    """An escaped SVG text element."""
    attributes = f' class="{css}"' if css else ""
    return f'<text{attributes} x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{_e(text)}</text>'


def _x_labels(points: Sequence[PeriodPoint], x: _Scale, bottom: float) -> list[str]:
    """Period labels under the axis, every so many so that they never touch; the latest
    period always has one."""
    at = [x(point.start.toordinal()) for point in points]
    closest = min((b - a for a, b in pairwise(at)), default=math.inf)
    room = 2 * GAP + max(_width(point.period) for point in points)
    step = max(1, math.ceil(room / closest)) if closest > 0 else len(points)
    shown = range((len(points) - 1) % step, len(points), step)
    return [_svg_text(at[i], bottom + 18, points[i].period, "label", "middle") for i in shown]


def _start_marker(at: float, bottom: float, label: str) -> list[str]:
    """A dotted line from the axis up past the plot, labelled beside its top, above the plot,
    on the side with room."""
    baseline = MARGIN_TOP - 10
    width = _width(label)
    if at + 4 + width <= LINE_WIDTH:
        text = _svg_text(at + 4, baseline, label, "marker")
    else:
        text = _svg_text(max(at - 4, width), baseline, label, "marker", "end")
    return [_svg_line(at, baseline - LABEL_HEIGHT, at, bottom, "start"), text]


def _path(points: Sequence[PeriodPoint], x: _Scale, y: _Scale) -> str:
    """A polyline that breaks where periods are missing, so gaps stay visible."""
    commands = []
    for index, point in enumerate(points):
        joined = index > 0 and point.ordinal == points[index - 1].ordinal + 1
        commands.append(
            f"{'L' if joined else 'M'}{x(point.start.toordinal()):.1f},{y(point.value):.1f}"
        )
    return " ".join(commands)


def _point(point: PeriodPoint, x: _Scale, y: _Scale, lang: Lang, decimals: int) -> str:
    css = "point" if point.complete else "point partial"
    value = fmt_number(point.value, lang, decimals)
    return (
        f'<circle class="{css}" cx="{x(point.start.toordinal()):.1f}" cy="{y(point.value):.1f}" '
        f'r="3"><title>{_e(point.period)}: {_e(value)}</title></circle>'
    )


def _roi_chart(programs: Sequence[ProgramResult], lang: Lang) -> Chart:
    """Horizontal ROI % bars, one per programme, negative ones to the left of zero."""
    values = [program.figures.roi_pct for program in programs]
    known = [value for value in values if value is not None]
    low, high = min([0.0, *known]), max([0.0, *known])
    x = _Scale(low, high if high > low else 1.0, BAR_LABEL_WIDTH, BAR_CHART_WIDTH - 70)
    height = BAR_ROW * len(programs) + 10
    zero = x(0)
    parts = [
        _svg_line(zero, 0, zero, height, "axis"),
        *(
            _bar(index, program.name, value, x, lang)
            for index, (program, value) in enumerate(zip(programs, values, strict=True))
        ),
    ]
    title = t("heading.roi_chart", lang)
    return Chart(title, "", _svg(BAR_CHART_WIDTH, height, title, parts))


def _bar(index: int, name: str, value: float | None, x: _Scale, lang: Lang) -> str:
    top = 5 + index * BAR_ROW
    middle = top + BAR_ROW / 2
    shown = name if len(name) <= BAR_LABEL_CHARS else name[: BAR_LABEL_CHARS - 1] + "…"
    label = (
        f'<text x="{BAR_LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end">'
        f"<title>{_e(name)}</title>{_e(shown)}</text>"
    )
    zero = x(0)
    if value is None:
        return label + _svg_text(zero + 6, middle + 4, t("basis.pending", lang), "label")
    end = x(value)
    css = "positive" if value >= 0 else "negative"
    bar = (
        f'<rect class="{css}" x="{min(zero, end):.1f}" y="{top + 6}" '
        f'width="{abs(end - zero):.1f}" height="{BAR_ROW - 12}"/>'
    )
    text = _svg_text(max(zero, end) + 6, middle + 4, fmt_percent(value, lang))
    return label + bar + text


RUN_SERIES = 6  # colours of the programmes' lines, repeated beyond
LEGEND_ROW = 16


def _runs_chart(analysis: Analysis, lang: Lang) -> Chart | None:
    """Each programme's ROI % to date at every recorded run and this one, a line each, with a
    legend below; None with fewer than two runs."""
    names, rows = runs_rows(analysis)
    shown = [i for i, _ in enumerate(names) if any(row[i] is not None for row in rows)]
    if len(rows) < 2 or not shown:
        return None
    values = [row[i] for row in rows for i in shown if row[i] is not None]
    ticks = _ticks([0.0, *(value for value in values if value is not None)])
    tick_labels = [fmt_percent(tick, lang) for tick in ticks]
    labels = [fmt_date(run.as_of, lang) for run in analysis.runs]
    half = max(map(_width, labels)) / 2 + GAP  # a date label is centred on its run
    left = max(2 * GAP + max(map(_width, tick_labels)), half)
    right = LINE_WIDTH - max(MARGIN_RIGHT, half)
    bottom = LINE_HEIGHT - MARGIN_BOTTOM
    days = [run.as_of.toordinal() for run in analysis.runs]
    x = _Scale(days[0], days[-1], left, right)
    y = _Scale(ticks[0], ticks[-1], bottom, GAP * 2)
    step = max(1, math.ceil((2 * GAP + max(map(_width, labels))) / ((right - left) / len(days))))
    parts = [
        *(
            _svg_line(left, y(tick), right, y(tick), "grid")
            + _svg_text(left - GAP, y(tick) + 4, label, "label", "end")
            for tick, label in zip(ticks, tick_labels, strict=True)
        ),
        _svg_line(left, y(0.0), right, y(0.0), "axis"),
        *(
            _svg_text(x(days[i]), bottom + 18, labels[i], "label", "middle")
            for i in range((len(days) - 1) % step, len(days), step)
        ),
    ]
    for order, index in enumerate(shown):
        css = f"series series-{order % RUN_SERIES}"
        points = [(day, row[index]) for day, row in zip(days, rows, strict=True)]
        path = " ".join(
            f"{'L' if j and points[j - 1][1] is not None else 'M'}{x(day):.1f},{y(value):.1f}"
            for j, (day, value) in enumerate(points)
            if value is not None
        )
        parts.append(f'<path class="{css}" d="{path}"/>')
        parts += [
            f'<circle class="{css}" cx="{x(day):.1f}" cy="{y(value):.1f}" r="3"><title>'
            f"{_e(names[index])} · {_e(fmt_date(date.fromordinal(day), lang))}: "
            f"{_e(fmt_percent(value, lang))}</title></circle>"
            for day, value in points
            if value is not None
        ]
        top = LINE_HEIGHT + order * LEGEND_ROW + 4
        parts.append(_svg_line(left, top, left + 24, top, css))
        parts.append(_svg_text(left + 30, top + 4, names[index]))
    title = t("heading.roi_runs", lang)
    height = LINE_HEIGHT + len(shown) * LEGEND_ROW + 4
    return Chart(title, "", _svg(LINE_WIDTH, height, title, parts))


# --- KPI trends, cohorts and audit ----------------------------------------------------------


def _kpis(kpis: Sequence[KpiTrend], lang: Lang) -> Table | None:
    if not kpis:
        return None
    keys = (
        "col.kpi",
        "col.label",
        "col.level",
        "col.direction",
        "col.last_period",
        "col.last_value",
        "col.slope",
        "col.r2",
        "col.note",
    )
    rows = [
        [
            _text(trend.key),
            _text(trend.label),
            _text(term(trend.level, lang)),
            _text(term(trend.direction, lang)),
            _text(trend.periods[-1].period if trend.periods else None),
            _num(
                fmt_number(
                    trend.periods[-1].value if trend.periods else None,
                    lang,
                    value_decimals(trend.aggregation),
                )
            ),
            _num(fmt_number(trend.slope_per_period, lang)),
            _num(fmt_number(trend.r2, lang, 3)),
            _text(localize(trend.note, lang)),
        ]
        for trend in kpis
    ]
    return _table(keys, rows, lang)


def _cohort(cohort: Cohort, lang: Lang) -> Block:
    """A KPI's groups before and after the start, headed by the difference in differences."""
    rows = [
        [
            _text(group.group),
            _text(role_label(group.role, lang)),
            _num(fmt_number(group.pre_post.before_mean, lang)),
            _num(fmt_number(group.pre_post.after_mean, lang)),
            _num(fmt_percent(group.pre_post.change_pct, lang)),
        ]
        for group in cohort.groups
    ]
    did = labelled(t("col.did", lang), fmt_number(cohort.difference_in_differences, lang), lang)
    keys = ("col.group", "col.role", "col.before_mean", "col.after_mean", "col.change_pct")
    return Block(f"{cohort.kpi} · {', '.join(cohort.objectives)} — {did}", _table(keys, rows, lang))


def _audit(analysis: Analysis, lang: Lang) -> Audit:
    audit = analysis.audit
    bad_rows = [
        [
            _text(source.path),
            _num(str(bad.row)),
            _text(bad.column),
            _text(bad.value),
            _text(bad.reason),
        ]
        for source in audit.sources
        for bad in source.bad_rows
    ]
    bad_keys = ("col.file", "col.row", "col.column", "col.value", "col.reason")
    return Audit(
        settings=(
            Pair(t("col.config", lang), audit.config),
            Pair(t("col.config_sha256", lang), audit.config_sha256),
            Pair(
                t("col.include_partial", lang), t("yes" if analysis.include_partial else "no", lang)
            ),
            *(Pair(label, value) for label, value in conversion_pairs(analysis, lang)),
        ),
        sources=_sources(analysis, lang),
        bad_rows=_table(bad_keys, bad_rows, lang) if bad_rows else None,
        unused_kpis=audit.unused_kpis,
        queries=_queries(analysis, lang),
    )


def _queries(analysis: Analysis, lang: Lang) -> Table | None:
    rows = [[_text(path), Cell(sql, code=True)] for path, sql in sent_queries(analysis)]
    return _table(("col.file", "col.sql"), rows, lang) if rows else None


def _count(value: int, lang: Lang) -> Cell:
    return _num(fmt_number(value, lang, 0))


def _sources(analysis: Analysis, lang: Lang) -> Table:
    keys = (
        "col.file",
        "col.sha256",
        "col.rows",
        "col.skipped_rows",
        "col.excluded_rows",
        "col.kpis",
        "col.unmatched",
        "col.detected",
    )
    rows = [
        [
            _text(source.path),
            Cell(source.sha256, code=True),
            _count(source.rows, lang),
            _count(source.skipped_rows, lang),
            _count(source.excluded_rows, lang),
            _text(", ".join(source.kpis)),
            _text(", ".join(source.unmatched)),
            _text(fmt_settings(source.detected)),
        ]
        for source in analysis.audit.sources
    ]
    return _table(keys, rows, lang)
