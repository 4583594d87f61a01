"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no script.

The page makes no external request and prints well. Every piece of text, ours or from the
config and data, goes through `html.escape`, so nothing from the inputs can become markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
from roicli.render.tables import (
    NUMERIC_KINDS,
    OBJECTIVE_COLUMNS,
    Column,
    Kind,
    Tier,
    cell_text,
    columns,
    figure_values,
)
from roicli.render.view import (
    ESTIMATE_COLUMNS,
    NUMERIC_ESTIMATE_COLUMNS,
    adjustment_text,
    estimate_rows,
    pending_costs_line,
    program_notes,
    stale_lines,
)

CSS = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb;
  --good: #15803d; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--line); }
.meta, .muted, figcaption { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f3f4f6; } td.num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .8rem 1rem; }
.card h3 { margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .15rem 1rem; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 .45em; border-radius: .3em; font-size: .8rem;
  font-weight: 600; white-space: nowrap; }
.status-achieved, .verdict-pass { background: #c6efce; color: #14532d; }
.status-on_track { background: #e2efda; color: #166534; }
.status-at_risk, .verdict-warn { background: #ffeb9c; color: #78350f; }
.status-off_track, .status-missed, .verdict-fail { background: #ffc7ce; color: #7f1d1d; }
.nowrap { white-space: nowrap; }
.stale { background: #fff4ce; border-left: 4px solid #d97706; padding: 6px 10px; }
.status-not_yet_measurable, .status-no_data { background: #e5e7eb; color: #374151; }
.status-estimated { background: #ddebf7; color: #1e3a8a; }
.bar { display: inline-block; width: 5rem; height: .55rem; background: var(--line);
  border-radius: .3rem; overflow: hidden; vertical-align: middle; margin-right: .3rem; }
.bar > span { display: block; height: 100%; background: var(--accent); }
figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; font-size: 11px; }
svg .axis { stroke: #9ca3af; } svg .grid { stroke: var(--line); }
svg .value { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .point { fill: var(--accent); } svg .partial { fill: #fff; stroke: var(--accent); }
svg .target { stroke: var(--good); stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .start { stroke: var(--muted); stroke-dasharray: 2 3; }
svg .positive { fill: var(--accent); } svg .negative { fill: var(--bad); }
svg text { fill: var(--ink); } svg .label { fill: var(--muted); }
code { font-size: .8rem; word-break: break-all; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; } .card, figure, tr { break-inside: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
}
"""

CHART_WIDTH, CHART_HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72, 24, 16, 40
Y_TICKS = 5
MAX_X_LABELS = 8
BAR_ROW, BAR_LABEL_WIDTH, BAR_LABEL_CHARS = 34, 220, 32


def render_html(analysis: Analysis, *, lang: Lang) -> str:
    """The whole report as one self-contained HTML document."""
    title = t("report.title", lang)
    body = [
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(_meta(analysis, lang))}</p></header>',
        *(f'<p class="stale">{_e(line)}</p>' for line in stale_lines(analysis, lang)),
        _summary(analysis, lang),
        *(_program(program, analysis.currency, lang) for program in analysis.programs),
        _kpis(analysis.kpis, lang),
        _cohorts(analysis.cohorts, lang),
        _audit(analysis, lang),
        f'<footer class="muted">{_e(_generated_by(analysis, lang))}</footer>',
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang.value}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _generated_by(analysis: Analysis, lang: Lang) -> str:
    return t("report.generated_by", lang).format(version=analysis.version)


def _meta(analysis: Analysis, lang: Lang) -> str:
    return fmt_meta(analysis.as_of, analysis.period, analysis.currency, analysis.version, lang)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- building blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: already-escaped markup, right-aligned when numeric."""

    markup: str
    numeric: bool = False


def _text(value: str | None) -> Cell:
    return Cell(_e(value or ""))


def _num(value: str) -> Cell:
    return Cell(_e(value), numeric=True)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    head = "".join(f"<th>{_e(header)}</th>" for header in headers)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c.markup}</td>' if c.numeric else f"<td>{c.markup}</td>" for c in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _badge(css_class: str, label: str, tooltip: str | None = None) -> str:
    title = f' title="{_e(tooltip)}"' if tooltip else ""
    return f'<span class="badge {css_class}"{title}>{_e(label)}</span>'


def _definitions(pairs: Sequence[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in pairs)
    return f"<dl>{items}</dl>"


def _section(heading: str, *parts: str, level: int = 2) -> str:
    return f"<section>\n<h{level}>{_e(heading)}</h{level}>\n" + "\n".join(parts) + "\n</section>"


# --- summary --------------------------------------------------------------------------------


def _figure_pairs(figures: RoiFigures, currency: str, lang: Lang) -> list[tuple[str, str]]:
    return [
        (t(row.key, lang), cell_text(row, value, currency, lang))
        for row, value in figure_values(figures, Tier.REPORT)
        if value is not None or row.kind is not Kind.MESSAGE
    ]


def _summary(analysis: Analysis, lang: Lang) -> str:
    portfolio = analysis.portfolio
    pending = pending_costs_line(analysis, lang)
    ranking = "".join(f"<li>{_e(name)}</li>" for name in portfolio.ranking)
    portfolio_card = (
        f'<div class="card"><h3>{_e(t("heading.portfolio", lang))}</h3>'
        + _definitions(
            [
                *_figure_pairs(portfolio.figures, analysis.currency, lang),
                _sensitivity(portfolio.sensitivity, lang),
            ]
        )
        + (
            f'<p class="muted">{_e(t("heading.ranking", lang))}</p><ol>{ranking}</ol>'
            if ranking
            else ""
        )
        + (f'<p class="muted">{_e(pending)}</p>' if pending else "")
        + "</div>"
    )
    cards = [portfolio_card, *(_program_card(p, analysis, lang) for p in analysis.programs)]
    chart = _roi_chart(analysis.programs, lang) if analysis.programs else ""
    return _section(
        t("heading.programmes", lang), f'<div class="cards">{"".join(cards)}</div>', chart
    )


def _sensitivity(sensitivity: Sensitivity, lang: Lang) -> tuple[str, str]:
    return fmt_sensitivity(sensitivity.conservative, sensitivity.base, sensitivity.optimistic, lang)


def _program_card(program: ProgramResult, analysis: Analysis, lang: Lang) -> str:
    currency = analysis.currency
    sensitivity = _sensitivity(program.sensitivity, lang)
    notes = "".join(
        f'<p class="muted">{_e(note)}</p>' for note in program_notes(program, analysis, lang)
    )
    dates = f"{fmt_date(program.start, lang)} – {fmt_date(program.end, lang)}"
    about = f"{term(program.method, lang)} · {dates}"
    if program.participants is not None:
        about += (
            f" · {fmt_number(program.participants, lang, 0)} {t('col.participants', lang).lower()}"
        )
    pairs = [
        *_figure_pairs(program.figures, currency, lang),
        sensitivity,
        (t("col.months_counted", lang), fmt_number(program.months_counted, lang, 0)),
    ]
    return (
        f'<div class="card"><h3>{_e(program.name)}</h3><p class="muted">{_e(about)}</p>'
        f"{notes}{_definitions(pairs)}</div>"
    )


# --- programmes -----------------------------------------------------------------------------


def _program(program: ProgramResult, currency: str, lang: Lang) -> str:
    parts = [
        _section(
            t("heading.objectives", lang), _objectives_table(program, currency, lang), level=3
        ),
        *(
            _section(
                f"{t('heading.estimates', lang)} · {o.id}",
                f'<p class="muted">{_e(adjustment_text(o, lang))}</p>'
                + _table(
                    [t(key, lang) for key in ESTIMATE_COLUMNS],
                    [
                        [
                            _num(cell) if index in NUMERIC_ESTIMATE_COLUMNS else _text(cell)
                            for index, cell in enumerate(row)
                        ]
                        for row in estimate_rows(o, currency, lang)
                    ],
                ),
                level=3,
            )
            for o in program.objectives
            if o.estimates
        ),
        _smart_findings(program, lang),
        _charts(program, lang),
        _section(t("heading.costs", lang), _costs_table(program, currency, lang), level=3),
    ]
    if program.intangibles:
        items = "".join(f"<li>{_e(item)}</li>" for item in program.intangibles)
        parts.append(_section(t("heading.intangibles", lang), f"<ul>{items}</ul>", level=3))
    parts.append(_section(t("heading.rules", lang), _rules_table(program.rules, lang), level=3))
    return _section(program.name, *(part for part in parts if part))


def _objectives_table(program: ProgramResult, currency: str, lang: Lang) -> str:
    shown = columns(OBJECTIVE_COLUMNS, Tier.REPORT)
    rows = [
        [_objective_cell(column, objective, currency, lang) for column in shown]
        for objective in program.objectives
    ]
    return _table([t(column.key, lang) for column in shown], rows)


def _objective_cell(column: Column, objective: ObjectiveResult, currency: str, lang: Lang) -> Cell:
    """A cell as text, but for the status and SMART badges and the progress bar."""
    value = column.value(objective)
    if column.kind is Kind.STATUS:
        reason = localize(objective.status_reason, lang) or ""
        return Cell(_badge(f"status-{value.value}", term(value, lang), reason))
    if column.kind is Kind.SMART:
        return Cell(_smart_badges(objective, lang))
    if column.key == "col.progress":
        return Cell(_progress(value, lang), numeric=True)
    text = _e(cell_text(column, value, currency, lang))
    if column.kind in NUMERIC_KINDS:
        return Cell(f'<span class="nowrap">{text}</span>', numeric=True)
    return Cell(text)


def _progress(progress: float | None, lang: Lang) -> str:
    if progress is None:
        return _e(t("na", lang))
    width = max(0.0, min(100.0, progress * 100))
    bar = f'<span class="bar"><span style="width:{width:.0f}%"></span></span>'
    return bar + _e(fmt_share(progress, lang))


def _smart_badges(objective: ObjectiveResult, lang: Lang) -> str:
    return " ".join(
        _badge(
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


def _smart_findings(program: ProgramResult, lang: Lang) -> str:
    """The SMART criteria that do not pass, with their reason and suggested fix."""
    rows = [
        [
            _text(objective.id),
            _text(smart_label(criterion, lang)),
            Cell(_badge(f"verdict-{finding.verdict.value}", term(finding.verdict, lang))),
            _text(localize(finding.reason, lang)),
            _text(localize(finding.fix, lang)),
        ]
        for objective in program.objectives
        for criterion, finding in objective.smart.items()
        if finding.verdict is not Verdict.PASS
    ]
    if not rows:
        return ""
    keys = ("col.id", "col.criterion", "col.verdict", "col.reason", "col.fix")
    return _section(t("heading.smart", lang), _table([t(k, lang) for k in keys], rows), level=3)


def _costs_table(program: ProgramResult, currency: str, lang: Lang) -> str:
    keys = ("col.item", "col.category", "col.basis", "col.amount")
    rows = [
        [
            _text(line.item),
            _text(term(line.category, lang)),
            _text(localize(line.basis, lang)),
            _num(fmt_money(line.amount, currency, lang)),
        ]
        for line in program.costs
    ]
    return _table([t(key, lang) for key in keys], rows)


def _rules_table(rules: Sequence[Finding], lang: Lang) -> str:
    keys = ("col.check", "col.verdict", "col.reason", "col.fix")
    rows = [
        [
            _text(finding.check),
            Cell(_badge(f"verdict-{finding.verdict.value}", term(finding.verdict, lang))),
            _text(localize(finding.reason, lang)),
            _text(localize(finding.fix, lang)),
        ]
        for finding in rules
    ]
    return _table([t(key, lang) for key in keys], rows)


# --- charts ---------------------------------------------------------------------------------


def _charts(program: ProgramResult, lang: Lang) -> str:
    figures = [
        _line_chart(program, objective, lang)
        for objective in program.objectives
        if objective.kpi is not None and objective.series
    ]
    return _section(t("heading.charts", lang), *figures, level=3) if figures else ""


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


def _line_chart(program: ProgramResult, objective: ObjectiveResult, lang: Lang) -> str:
    """The objective's period values, its target as a dashed line and the programme start."""
    points = objective.series
    target = objective.target
    bottom = CHART_HEIGHT - MARGIN_BOTTOM
    right = CHART_WIDTH - MARGIN_RIGHT
    # The axis always reaches the programme start, even when the data stops before it.
    days = [points[0].start.toordinal(), points[-1].start.toordinal(), program.start.toordinal()]
    x = _Scale(min(days), max(days), MARGIN_LEFT, right)
    ticks = _ticks([p.value for p in points] + ([target] if target is not None else []))
    y = _Scale(ticks[0], ticks[-1], bottom, MARGIN_TOP)
    title = f"{objective.kpi_label or objective.kpi} · {objective.id}"
    parts = [
        *_y_axis(y, ticks, lang),
        *_x_labels(points, x, bottom),
        _svg_line(MARGIN_LEFT, bottom, right, bottom, "axis"),
        *_start_marker(program.start, x, lang),
        *_target_line(target, y, lang),
        f'<path class="value" d="{_path(points, x, y)}"/>',
        *(_point(point, x, y, lang) for point in points),
    ]
    caption = (
        f"{t('col.value', lang)} ({objective.unit or ''}) — "
        f"{labelled(t('col.target', lang), fmt_number(target, lang), lang)} — "
        f"{labelled(t('col.programme_start', lang), fmt_date(program.start, lang), lang)}"
    )
    return (
        f'<figure><svg viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img">'
        f"<title>{_e(title)}</title>{''.join(parts)}</svg>"
        f"<figcaption><strong>{_e(title)}</strong> — {_e(caption)}</figcaption></figure>"
    )


def _svg_line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


def _svg_text(x: float, y: float, text: str, css: str = "", anchor: str = "start") -> str:
    """An escaped SVG text element."""
    attributes = f' class="{css}"' if css else ""
    return f'<text{attributes} x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{_e(text)}</text>'


def _y_axis(y: _Scale, ticks: Sequence[float], lang: Lang) -> list[str]:
    right = CHART_WIDTH - MARGIN_RIGHT
    return [
        _svg_line(MARGIN_LEFT, y(tick), right, y(tick), "grid")
        + _svg_text(MARGIN_LEFT - 6, y(tick) + 4, fmt_number(tick, lang), "label", "end")
        for tick in ticks
    ]


def _x_labels(points: Sequence[PeriodPoint], x: _Scale, bottom: float) -> list[str]:
    step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    shown = range((len(points) - 1) % step, len(points), step)  # always the latest period
    return [
        _svg_text(x(points[i].start.toordinal()), bottom + 16, points[i].period, "label", "middle")
        for i in shown
    ]


def _start_marker(start: date, x: _Scale, lang: Lang) -> list[str]:
    left = x(start.toordinal())
    side, anchor = (-1, "end") if left > CHART_WIDTH / 2 else (1, "start")
    bottom = CHART_HEIGHT - MARGIN_BOTTOM
    return [
        _svg_line(left, MARGIN_TOP, left, bottom, "start"),
        # The label sits on the side of the marker that has room for it.
        _svg_text(left + 4 * side, bottom - 6, t("col.programme_start", lang), "label", anchor),
    ]


def _target_line(target: float | None, y: _Scale, lang: Lang) -> list[str]:
    if target is None:
        return []
    level = y(target)
    right = CHART_WIDTH - MARGIN_RIGHT
    label = f"{t('col.target', lang)} {fmt_number(target, lang)}"
    return [
        _svg_line(MARGIN_LEFT, level, right, level, "target"),
        _svg_text(right, level - 5, label, anchor="end"),
    ]


def _path(points: Sequence[PeriodPoint], x: _Scale, y: _Scale) -> str:
    """A polyline that breaks where periods are missing, so gaps stay visible."""
    commands = []
    for index, point in enumerate(points):
        joined = index > 0 and point.ordinal == points[index - 1].ordinal + 1
        commands.append(
            f"{'L' if joined else 'M'}{x(point.start.toordinal()):.1f},{y(point.value):.1f}"
        )
    return " ".join(commands)


def _point(point: PeriodPoint, x: _Scale, y: _Scale, lang: Lang) -> str:
    css = "point" if point.complete else "point partial"
    return (
        f'<circle class="{css}" cx="{x(point.start.toordinal()):.1f}" cy="{y(point.value):.1f}" '
        f'r="3"><title>{_e(point.period)}: {_e(fmt_number(point.value, lang))}</title></circle>'
    )


def _roi_chart(programs: Sequence[ProgramResult], lang: Lang) -> str:
    """Horizontal ROI % bars, one per programme, negative ones to the left of zero."""
    values = [program.figures.roi_pct for program in programs]
    known = [value for value in values if value is not None]
    low, high = min([0.0, *known]), max([0.0, *known])
    width = CHART_WIDTH
    x = _Scale(low, high if high > low else 1.0, BAR_LABEL_WIDTH, width - 70)
    height = BAR_ROW * len(programs) + 10
    rows = [
        _bar(index, program.name, value, x, lang)
        for index, (program, value) in enumerate(zip(programs, values, strict=True))
    ]
    zero = x(0)
    title = t("heading.roi_chart", lang)
    return (
        f'<figure><svg viewBox="0 0 {width} {height}" role="img"><title>{_e(title)}</title>'
        f"{_svg_line(zero, 0, zero, height, 'axis')}{''.join(rows)}</svg>"
        f"<figcaption>{_e(title)}</figcaption></figure>"
    )


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


# --- KPI trends and audit -------------------------------------------------------------------


def _kpis(kpis: Sequence[KpiTrend], lang: Lang) -> str:
    if not kpis:
        return ""
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
            _num(fmt_number(trend.periods[-1].value if trend.periods else None, lang)),
            _num(fmt_number(trend.slope_per_period, lang)),
            _num(fmt_number(trend.r2, lang, 3)),
            _text(localize(trend.note, lang)),
        ]
        for trend in kpis
    ]
    return _section(t("heading.kpis", lang), _table([t(key, lang) for key in keys], rows))


def _cohorts(cohorts: Sequence[Cohort], lang: Lang) -> str:
    if not cohorts:
        return ""
    keys = ("col.group", "col.role", "col.before_mean", "col.after_mean", "col.change_pct")
    tables = []
    for cohort in cohorts:
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
        did = fmt_number(cohort.difference_in_differences, lang)
        did_text = labelled(t("col.did", lang), did, lang)
        caption = f"{cohort.kpi} · {', '.join(cohort.objectives)} — {did_text}"
        tables.append(
            f"<p><strong>{_e(caption)}</strong></p>{_table([t(k, lang) for k in keys], rows)}"
        )
    return _section(t("heading.cohorts", lang), *tables)


def _audit(analysis: Analysis, lang: Lang) -> str:
    audit = analysis.audit
    settings = [
        (t("col.config", lang), audit.config),
        (t("col.config_sha256", lang), audit.config_sha256),
        (t("col.include_partial", lang), t("yes" if analysis.include_partial else "no", lang)),
    ]
    parts = [_definitions(settings), _sources(analysis, lang)]
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
    if bad_rows:
        keys = ("col.file", "col.row", "col.column", "col.value", "col.reason")
        table = _table([t(key, lang) for key in keys], bad_rows)
        parts.append(_section(t("heading.bad_rows", lang), table, level=3))
    if audit.unused_kpis:
        items = "".join(f"<li>{_e(kpi)}</li>" for kpi in audit.unused_kpis)
        parts.append(_section(t("heading.unused_kpis", lang), f"<ul>{items}</ul>", level=3))
    return _section(t("heading.audit", lang), *parts)


def _count(value: int, lang: Lang) -> Cell:
    return _num(fmt_number(value, lang, 0))


def _sources(analysis: Analysis, lang: Lang) -> str:
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
            Cell(f"<code>{_e(source.sha256)}</code>"),
            _count(source.rows, lang),
            _count(source.skipped_rows, lang),
            _count(source.excluded_rows, lang),
            _text(", ".join(source.kpis)),
            _text(", ".join(source.unmatched)),
            _text(fmt_settings(source.detected)),
        ]
        for source in analysis.audit.sources
    ]
    return _section(
        t("heading.sources", lang), _table([t(key, lang) for key in keys], rows), level=3
    )
