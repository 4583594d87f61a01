"""The report as Markdown, for an e-mail or a wiki page: headings, tables and short lists.

Text from the config or the data is escaped so it can never add markup: Markdown and HTML
characters get a backslash, pipes cannot break a table, newlines become <br>.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from roicli.enums import Lang, Verdict
from roicli.i18n import (
    fmt_date,
    fmt_meta,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_sensitivity,
    fmt_settings,
    labelled,
    role_label,
    smart_label,
    t,
    term,
)
from roicli.messages import localize
from roicli.model import (
    Analysis,
    ProgramResult,
    RoiFigures,
    Sensitivity,
)
from roicli.render.evaluation_view import ViewTable, chain_table, evaluation_tables, words
from roicli.render.fx_view import conversion_pairs
from roicli.render.safety import clean_labels
from roicli.render.tables import (
    NUMERIC_KINDS,
    OBJECTIVE_COLUMNS,
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
    runs_rows,
    sent_queries,
    stale_lines,
    summary_paragraph,
    verdict_lines,
    year_rows,
)
from roicli.rounding import value_decimals

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ORDERED = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_BLOCK_STARTS = ("#", "+", "-", "=", ">")


def render_markdown(analysis: Analysis, *, lang: Lang) -> str:
    """The whole report as one Markdown document."""
    analysis = clean_labels(analysis)
    blocks = [
        [f"# {md(t('report.title', lang))}", "", md(_meta(analysis, lang))],
        _verdict(analysis, lang),
        _changes(analysis, lang),
        *(_chain(program, analysis, lang) for program in analysis.programs),
        _portfolio(analysis, lang),
        *(_program(program, analysis, lang) for program in analysis.programs),
        _kpis(analysis, lang),
        _cohorts(analysis, lang),
        _audit(analysis, lang),
    ]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def _verdict(analysis: Analysis, lang: Lang) -> list[str]:
    """Whether the training pays, what to do, and a paragraph to paste into an e-mail."""
    lines = [f"## {md(t('heading.verdict', lang))}", ""]
    lines += [f"- {md(line)}" for line in verdict_lines(analysis, lang)]
    lines += [f"- {md(line)}" for line in stale_lines(analysis, lang)]
    actions = action_lines(analysis, lang)
    if actions:
        lines += ["", f"**{md(t('heading.actions', lang))}**", ""]
        lines += [f"{index}. {md_inline(line)}" for index, line in enumerate(actions, start=1)]
    lines += [
        "",
        f"**{md(t('heading.in_short', lang))}**",
        "",
        md(summary_paragraph(analysis, lang)),
    ]
    return lines


def _changes(analysis: Analysis, lang: Lang) -> list[str]:
    """What moved since the last report, and the ROI % to date run by run."""
    heading = changes_heading(analysis, lang)
    if heading is None:
        return []
    lines = [f"## {md(heading)}", ""]
    lines += [f"- {md(line)}" for line in changes_lines(analysis, lang)]
    names, rows = runs_rows(analysis)
    if len(rows) > 1:
        lines += ["", f"**{md(t('heading.roi_runs', lang))}**", ""]
        cells = [
            [fmt_date(run.as_of, lang), *(fmt_percent(value, lang) for value in row)]
            for run, row in zip(analysis.runs, rows, strict=True)
        ]
        numeric = range(1, len(names) + 1)
        lines += _table([t("col.as_of", lang), *names], cells, numeric)
    return lines


def _meta(analysis: Analysis, lang: Lang) -> str:
    return fmt_meta(analysis.as_of, analysis.period, analysis.currency, analysis.version, lang)


def md(text: str) -> str:
    """Text for a heading, a list item or a paragraph: `md_inline`, and no block markup."""
    escaped = md_inline(text)
    ordered = _ORDERED.match(escaped)
    if ordered:
        return f"{ordered[1]}\\{ordered[2]}{escaped[ordered.end() :]}"
    return f"\\{escaped}" if escaped.startswith(_BLOCK_STARTS) else escaped


def md_inline(text: str) -> str:
    """Text for a table cell: Markdown and HTML characters escaped, newlines as <br>."""
    return "<br>".join(_INLINE.sub(r"\\\1", line) for line in text.splitlines())


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Collection[int] = ()
) -> list[str]:
    """A GitHub-flavoured table; every cell is escaped, numeric columns right-aligned."""
    rule = ["---:" if index in numeric else "---" for index in range(len(headers))]
    return [
        _table_row(headers),
        f"|{'|'.join(rule)}|",
        *(_table_row(row) for row in rows),
    ]


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(md_inline(cell) for cell in cells) + " |"


def _figures_rows(figures: RoiFigures, currency: str, lang: Lang) -> list[list[str]]:
    return [
        [t(row.key, lang), cell_text(row, value, currency, lang)]
        for row, value in figure_values(figures, Tier.REPORT)
        if value is not None or row.kind is not Kind.MESSAGE
    ]


def _portfolio(analysis: Analysis, lang: Lang) -> list[str]:
    portfolio = analysis.portfolio
    ranking = [f"{rank}. {md(name)}" for rank, name in enumerate(portfolio.ranking, start=1)]
    return [
        f"## {md(t('heading.portfolio', lang))}",
        "",
        *_table(
            [t("col.setting", lang), t("col.value", lang)],
            [
                *_figures_rows(portfolio.figures, analysis.currency, lang),
                list(_sensitivity(portfolio.sensitivity, lang)),
            ],
            numeric={1},
        ),
        *(["", f"**{md(t('heading.ranking', lang))}**", "", *ranking] if ranking else []),
        *(line for note in portfolio_notes(analysis, lang) for line in ("", md(note))),
    ]


def _sensitivity(sensitivity: Sensitivity, lang: Lang) -> tuple[str, str]:
    return fmt_sensitivity(sensitivity.conservative, sensitivity.base, sensitivity.optimistic, lang)


def _program(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[str]:
    currency = analysis.currency
    sensitivity = fmt_sensitivity(
        program.sensitivity.conservative,
        program.sensitivity.base,
        program.sensitivity.optimistic,
        lang,
    )
    rows = [
        [t("col.method", lang), term(program.method, lang)],
        [t("col.start", lang), fmt_date(program.start, lang)],
        [t("col.end", lang), fmt_date(program.end, lang)],
        [t("col.participants", lang), fmt_number(program.participants, lang, 0)],
        *_figures_rows(program.figures, currency, lang),
        list(sensitivity),
    ]
    lines = [
        f"## {md(program.name)}",
        "",
        *(md(note) + "  " for note in program_notes(program, analysis, lang)),
        "",
        *_table([t("col.setting", lang), t("col.value", lang)], rows, numeric={1}),
        *_years(program, currency, lang),
        "",
        f"### {md(t('heading.objectives', lang))}",
        "",
        *_objectives_table(program, currency, lang),
        *_estimates(program, currency, lang),
        *_smart_findings(program, lang),
        "",
        f"### {md(t('heading.costs', lang))}",
        "",
        *_table(
            [t(key, lang) for key in ("col.item", "col.category", "col.basis", "col.amount")],
            [
                [
                    line.item,
                    term(line.category, lang),
                    localize(line.basis, lang) or "",
                    fmt_money(line.amount, currency, lang),
                ]
                for line in program.costs
            ],
            numeric={3},
        ),
    ]
    if program.intangibles:
        items = [f"- {md(item)}" for item in program.intangibles]
        lines += ["", f"### {md(t('heading.intangibles', lang))}", "", *items]
    lines += ["", f"### {md(t('heading.rules', lang))}", "", *_rules_table(program, lang)]
    tables = evaluation_tables(program, analysis, lang)
    if tables:
        lines += ["", f"### {md(t('heading.evaluation', lang))}"]
    for table in tables:
        lines += ["", f"#### {md(table.heading)}", "", *_view_table(table, currency, lang)]
        if table.note:
            lines += ["", md(table.note)]
    return lines


def _years(program: ProgramResult, currency: str, lang: Lang) -> list[str]:
    """A multi-year programme's figures year by year; nothing without them."""
    heading = multi_year_heading(program, lang)
    if heading is None:
        return []
    return [
        "",
        f"### {md(heading)}",
        "",
        *_table(
            [t(key, lang) for key in YEAR_COLUMNS],
            year_rows(program, currency, lang),
            numeric=NUMERIC_YEAR_COLUMNS,
        ),
    ]


def _chain(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[str]:
    """The chain of impact, what a manager reads first after the verdict."""
    table = chain_table(program, analysis, lang)
    return [f"## {md(table.heading)}", "", *_view_table(table, analysis.currency, lang)]


def _view_table(table: ViewTable, currency: str, lang: Lang) -> list[str]:
    numeric = {
        index
        for index in range(len(table.headers))
        if table.rows and all(row[index].kind in NUMERIC_KINDS for row in table.rows)
    }
    rows = [[words(cell, currency, lang) for cell in row] for row in table.rows]
    return _table(table.headers, rows, numeric)


def _estimates(program: ProgramResult, currency: str, lang: Lang) -> list[str]:
    """Each estimates objective's rows, and the share of their annual value counted."""
    lines: list[str] = []
    for objective in program.objectives:
        if not objective.estimates:
            continue
        lines += [
            "",
            f"### {md(t('heading.estimates', lang))} · {md(objective.id)}",
            "",
            md(adjustment_text(objective, lang)),
            "",
            *_table(
                [t(key, lang) for key in ESTIMATE_COLUMNS],
                estimate_rows(objective, currency, lang),
                numeric=NUMERIC_ESTIMATE_COLUMNS,
            ),
        ]
    return lines


def _objectives_table(program: ProgramResult, currency: str, lang: Lang) -> list[str]:
    shown = columns(OBJECTIVE_COLUMNS, Tier.REPORT)
    rows = [
        [
            cell_text(for_objective(column, objective), column.value(objective), currency, lang)
            for column in shown
        ]
        for objective in program.objectives
    ]
    numeric = {index for index, column in enumerate(shown) if column.kind in NUMERIC_KINDS}
    return _table([t(column.key, lang) for column in shown], rows, numeric=numeric)


def _smart_findings(program: ProgramResult, lang: Lang) -> list[str]:
    """The SMART criteria that do not pass, with their reason and suggested fix."""
    rows = [
        [
            objective.id,
            smart_label(criterion, lang),
            term(finding.verdict, lang),
            localize(finding.reason, lang) or "",
            localize(finding.fix, lang) or "",
        ]
        for objective in program.objectives
        for criterion, finding in objective.smart.items()
        if finding.verdict is not Verdict.PASS
    ]
    if not rows:
        return []
    keys = ("col.id", "col.criterion", "col.verdict", "col.reason", "col.fix")
    return [
        "",
        f"### {md(t('heading.smart', lang))}",
        "",
        *_table([t(key, lang) for key in keys], rows),
    ]


def _rules_table(program: ProgramResult, lang: Lang) -> list[str]:
    return _table(
        [t(key, lang) for key in ("col.check", "col.verdict", "col.reason", "col.fix")],
        [
            [
                finding.check,
                term(finding.verdict, lang),
                localize(finding.reason, lang) or "",
                localize(finding.fix, lang) or "",
            ]
            for finding in program.rules
        ],
    )


def _kpis(analysis: Analysis, lang: Lang) -> list[str]:
    if not analysis.kpis:
        return []
    keys = ("col.kpi", "col.label", "col.last_period", "col.last_value", "col.slope", "col.r2")
    rows = [
        [
            trend.key,
            trend.label,
            trend.periods[-1].period if trend.periods else "",
            fmt_number(
                trend.periods[-1].value if trend.periods else None,
                lang,
                value_decimals(trend.aggregation),
            ),
            fmt_number(trend.slope_per_period, lang),
            fmt_number(trend.r2, lang, 3),
        ]
        for trend in analysis.kpis
    ]
    return [
        f"## {md(t('heading.kpis', lang))}",
        "",
        *_table([t(key, lang) for key in keys], rows, numeric={3, 4, 5}),
    ]


def _cohorts(analysis: Analysis, lang: Lang) -> list[str]:
    if not analysis.cohorts:
        return []
    keys = ("col.group", "col.role", "col.before_mean", "col.after_mean", "col.change_pct")
    lines = [f"## {md(t('heading.cohorts', lang))}"]
    for cohort in analysis.cohorts:
        did = fmt_number(cohort.difference_in_differences, lang)
        did_text = labelled(t("col.did", lang), did, lang)
        caption = f"{cohort.kpi} · {', '.join(cohort.objectives)} — {did_text}"
        rows = [
            [
                group.group,
                role_label(group.role, lang),
                fmt_number(group.pre_post.before_mean, lang),
                fmt_number(group.pre_post.after_mean, lang),
                fmt_percent(group.pre_post.change_pct, lang),
            ]
            for group in cohort.groups
        ]
        lines += ["", f"**{md(caption)}**", ""]
        lines += _table([t(key, lang) for key in keys], rows, numeric={2, 3, 4})
    return lines


def _audit(analysis: Analysis, lang: Lang) -> list[str]:
    audit = analysis.audit
    settings = [
        [t("col.config", lang), audit.config],
        [t("col.config_sha256", lang), audit.config_sha256],
        [t("col.include_partial", lang), t("yes" if analysis.include_partial else "no", lang)],
        *([label, value] for label, value in conversion_pairs(analysis, lang)),
    ]
    source_keys = (
        "col.file",
        "col.sha256",
        "col.rows",
        "col.skipped_rows",
        "col.excluded_rows",
        "col.detected",
    )
    sources = [
        [
            source.path,
            source.sha256,
            fmt_number(source.rows, lang, 0),
            fmt_number(source.skipped_rows, lang, 0),
            fmt_number(source.excluded_rows, lang, 0),
            fmt_settings(source.detected),
        ]
        for source in audit.sources
    ]
    lines = [
        f"## {md(t('heading.audit', lang))}",
        "",
        *_table([t("col.setting", lang), t("col.value", lang)], settings),
        "",
        f"### {md(t('heading.sources', lang))}",
        "",
        *_table([t(key, lang) for key in source_keys], sources, numeric={2, 3, 4}),
    ]
    bad_rows = [
        [source.path, str(bad.row), bad.column, bad.value, bad.reason]
        for source in audit.sources
        for bad in source.bad_rows
    ]
    if bad_rows:
        keys = ("col.file", "col.row", "col.column", "col.value", "col.reason")
        lines += ["", f"### {md(t('heading.bad_rows', lang))}", ""]
        lines += _table([t(key, lang) for key in keys], bad_rows, numeric={1})
    queries = [[path, sql] for path, sql in sent_queries(analysis)]
    if queries:
        lines += ["", f"### {md(t('heading.queries', lang))}", ""]
        lines += _table([t("col.file", lang), t("col.sql", lang)], queries)
    if audit.unused_kpis:
        lines += ["", f"### {md(t('heading.unused_kpis', lang))}", ""]
        lines += [f"- {md(kpi)}" for kpi in audit.unused_kpis]
    return lines
