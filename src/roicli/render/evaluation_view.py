"""Levels 1 to 3 and the chain of impact as tables every renderer shows alike: the terminal,
Markdown, HTML and the workbook lay out the same headings, columns and cells, each writing a
cell's kind its own way (words here, a number format in the workbook)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from roicli.enums import Lang, Level
from roicli.evaluation.chain import ChainFigure, ChainStep
from roicli.evaluation.figures import (
    OTHER,
    CompletionFigures,
    Difference,
    LearningFigures,
    QuestionFigures,
    SurveyFigures,
)
from roicli.evaluation.inference import Interval
from roicli.evaluation.load import EvaluationAudit
from roicli.evaluation.model import Kind as AnswerKind
from roicli.evaluation.programme import LearningResult, ProgramEvaluation, SurveyResult
from roicli.i18n import fmt_number, fmt_share, t, term
from roicli.model import Analysis, ProgramResult
from roicli.render.tables import Column, Kind, cell_text
from roicli.render.view import multi_year_part

SECONDS_PER_MINUTE = 60
# The answers whose share of yes (or of ticks) has a column of its own; a scale's is its top-2-box.
SAID_YES = frozenset({AnswerKind.YES_NO, AnswerKind.CHOICE})
# Questions whose answers are counted, never shown, and why.
_COUNTED_ONLY = {AnswerKind.TEXT: "eval.free_text", AnswerKind.PERSON: "eval.person"}


@dataclass(frozen=True)
class Cell:
    """A value and its kind; ``Kind.TEXT`` for words (a withheld figure says so in words)."""

    kind: Kind
    value: Any
    digest: bool = False  # a SHA-256: set in monospace where a renderer can


@dataclass(frozen=True)
class ViewTable:
    """A titled table: headers, rows of cells, and a line to read above it."""

    heading: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def words(cell: Cell, currency: str, lang: Lang) -> str:
    """A cell in words, as the report's tables write its kind."""
    return cell_text(Column("", cell.kind, _same), cell.value, currency, lang)


def _same(value: Any) -> Any:
    return value


def _text(value: str) -> Cell:
    return Cell(Kind.TEXT, value)


# --- the chain of impact ----------------------------------------------------------------------


def chain_table(program: ProgramResult, analysis: Analysis, lang: Lang) -> ViewTable:
    """One row per level: the level, its headline figures in words, what they rest on."""
    rows = tuple(
        (
            _text(_step_name(step, lang)),
            _text(headline(step, analysis.currency, lang)),
            _text(evidence(step, lang)),
        )
        for step in program.chain
    )
    headers = (t("col.level", lang), t("col.headline", lang), t("col.evidence", lang))
    return ViewTable(f"{t('heading.chain', lang)} · {program.name}", headers, rows)


def _step_name(step: ChainStep, lang: Lang) -> str:
    return t("chain.intangibles_level", lang) if step.level is None else term(step.level, lang)


def headline(step: ChainStep, currency: str, lang: Lang) -> str:
    """The step's figures in words, headline first; why there are none, or why some are
    withheld."""
    parts = [t("chain.withheld", lang)] if step.withheld else []
    if step.pending:
        parts.append(t("chain.pending", lang))
    parts += [_figure_text(item, step, currency, lang) for item in step.figures]
    return t("chain.separator", lang).join(parts) if parts else t("chain.none", lang)


def _figure_text(item: ChainFigure, step: ChainStep, currency: str, lang: Lang) -> str:
    if item.multi_year is not None:  # in the verdict's words: horizon, benefits, base, rate
        return multi_year_part(item.multi_year, currency, lang) or ""
    kind = Kind(item.measure.value)
    value = words(Cell(kind, item.value), currency, lang)
    if item.unit and item.value is not None:
        value = f"{value} {item.unit}"
    text = t(f"chain.{item.key}", lang).format(
        value=value,
        of=item.of,
        names=", ".join(step.sources),
        basis=term(item.basis, lang) if item.basis is not None else "",
        label=item.label,
        status=term(item.status, lang) if item.status is not None else "",
    )
    if item.low is not None and item.high is not None and item.confidence is not None:
        text += " " + t("chain.interval", lang).format(
            level=fmt_share(item.confidence, lang, decimals=0),
            low=words(Cell(kind, item.low), currency, lang),
            high=words(Cell(kind, item.high), currency, lang),
        )
    return text


def evidence(step: ChainStep, lang: Lang) -> str:
    """What a step rests on: how many people, and which files or objectives (the intangibles
    name theirs in the headline)."""
    parts = []
    if step.n is not None:
        parts.append(t("chain.n", lang).format(n=fmt_number(step.n, lang, 0)))
    shown = bool(step.figures) or step.withheld
    if step.level is None or not shown:
        return " · ".join(parts)
    if step.sources:
        parts.append(", ".join(step.sources))
    elif step.level is Level.INPUT:
        parts.append(t("chain.from_config", lang))
    elif step.level is Level.ROI:
        only_multi_year = all(item.multi_year is not None for item in step.figures)
        parts.append(t("chain.from_multi_year" if only_multi_year else "chain.from_roi", lang))
    return " · ".join(parts)


# --- levels 1 to 3 ----------------------------------------------------------------------------


def evaluation_tables(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[ViewTable]:
    """A programme's evaluation figures: each survey, each pre/post pair with the groups side
    by side and their differences, completions, then the files read; none without any."""
    found = program.evaluation
    if found is None:
        return []
    tables: list[ViewTable] = []
    for result in found.surveys:
        tables.append(_survey_table(result, found, program, lang))
        if result.differences:
            name = result.overall.evaluation
            tables.append(_differences(result.differences, name, found, lang))
    for test in found.learning:
        tables.append(_learning_table(test, found, lang))
        if test.differences:
            name = f"{test.overall.pre} → {test.overall.post}"
            tables.append(_differences(test.differences, name, found, lang))
    if found.completions:
        tables.append(_completion_table(found.completions, lang))
    files = [a for a in analysis.audit.evaluations if a.program == program.name]
    if files:
        tables.append(_files_table(files, lang))
    return tables


def _withheld(found: ProgramEvaluation, lang: Lang) -> Cell:
    return _text(t("eval.withheld", lang).format(minimum=found.min_group_size))


def _survey_table(
    result: SurveyResult, found: ProgramEvaluation, program: ProgramResult, lang: Lang
) -> ViewTable:
    overall = result.overall
    everyone = [overall, *result.groups]
    # Each question for everyone, then for each group: the groups side by side.
    rows = [
        _question_row(figures.questions[index], figures, found, lang)
        for index in range(len(overall.questions))
        for figures in everyone
    ]
    headers = tuple(
        t(key, lang)
        for key in (
            "col.question",
            "col.group",
            "col.answered",
            "col.mean",
            "col.top_two",
            "col.applying",
            "col.nps",
            "col.answers",
        )
    )
    return ViewTable(
        f"{term(result.level, lang)} · {overall.evaluation}",
        headers,
        tuple(rows),
        note=_respondents_note(result, program, lang),
    )


def _respondents_note(result: SurveyResult, program: ProgramResult, lang: Lang) -> str:
    overall = result.overall
    key = "eval.respondents" if program.participants else "eval.respondents_only"
    note = t(key, lang).format(
        moment=t(f"moment.{result.moment.value}", lang),
        respondents=fmt_number(overall.respondents, lang, 0),
        participants=fmt_number(program.participants, lang, 0),
        rate=fmt_share(overall.response_rate, lang),
    )
    if result.groups:
        sizes = ", ".join(f"{g.group} {fmt_number(g.respondents, lang, 0)}" for g in result.groups)
        note += " " + t("eval.groups", lang).format(groups=sizes)
    return note


def _group_cell(figures: SurveyFigures | LearningFigures, lang: Lang) -> Cell:
    return _text(figures.group if figures.group is not None else t("eval.all", lang))


def _question_row(
    question: QuestionFigures, figures: SurveyFigures, found: ProgramEvaluation, lang: Lang
) -> tuple[Cell, ...]:
    label = question.label
    if question.text and question.text != label:
        label = f"{label} — {question.text}"
    head = (_text(label), _group_cell(figures, lang), Cell(Kind.COUNT, question.answered))
    if figures.suppressed:
        return (*head, _withheld(found, lang), *(_text("") for _ in range(4)))
    if question.kind in _COUNTED_ONLY:
        reason = t(_COUNTED_ONLY[question.kind], lang)
        return (*head, _text(reason), *(_text("") for _ in range(4)))
    shown = ", ".join(
        f"{t('eval.other', lang) if count.label == OTHER else count.label} {count.count}"
        for count in question.distribution
    )
    return (
        *head,
        Cell(Kind.NUMBER, question.mean),
        Cell(Kind.SHARE, question.top_two),
        Cell(Kind.SHARE, question.applying if question.kind in SAID_YES else None),
        Cell(Kind.WHOLE, question.nps),
        _text(shown),
    )


def _interval_text(found: Interval | None, lang: Lang) -> str:
    if found is None:
        return t("na", lang)
    return t("eval.interval", lang).format(
        low=fmt_number(found.low, lang, 2), high=fmt_number(found.high, lang, 2)
    )


def _learning_table(test: LearningResult, found: ProgramEvaluation, lang: Lang) -> ViewTable:
    keys = (
        "col.group",
        "col.paired",
        "col.unpaired",
        "col.pre_mean",
        "col.post_mean",
        "col.gain",
        "col.gain_interval",
        "col.d_z",
        "col.normalised_gain",
        "col.improved",
        "col.pass_before",
        "col.pass_after",
    )
    headers = tuple(
        t(key, lang).format(level=fmt_share(found.confidence, lang, decimals=0)) for key in keys
    )
    rows = tuple(_learning_row(figures, found, lang) for figures in (test.overall, *test.groups))
    overall = test.overall
    note = t("eval.pairing", lang).format(
        pre=overall.pre,
        post=overall.post,
        maximum=fmt_number(overall.maximum, lang),
        mark=fmt_number(overall.pass_mark, lang),
    )
    return ViewTable(
        f"{term(Level.LEARNING, lang)} · {overall.pre} → {overall.post}", headers, rows, note
    )


def _learning_row(
    figures: LearningFigures, found: ProgramEvaluation, lang: Lang
) -> tuple[Cell, ...]:
    unpaired = f"{fmt_number(figures.unpaired_pre, lang, 0)} / "
    unpaired += fmt_number(figures.unpaired_post, lang, 0)
    head = (_group_cell(figures, lang), Cell(Kind.COUNT, figures.paired), _text(unpaired))
    gain = figures.gain
    if figures.suppressed or gain is None:
        reason = _withheld(found, lang) if figures.suppressed else _text(t("na", lang))
        return (*head, reason, *(_text("") for _ in range(8)))
    return (
        *head,
        Cell(Kind.NUMBER, gain.pre_mean),
        Cell(Kind.NUMBER, gain.post_mean),
        Cell(Kind.NUMBER, gain.mean),
        _text(_interval_text(gain.interval, lang)),
        Cell(Kind.RATIO, gain.d_z),
        Cell(Kind.RATIO, figures.normalised_gain),
        Cell(Kind.SHARE, gain.improved),
        Cell(Kind.SHARE, figures.pass_rate_pre),
        Cell(Kind.SHARE, figures.pass_rate_post),
    )


def _differences(
    items: Sequence[Difference], name: str, found: ProgramEvaluation, lang: Lang
) -> ViewTable:
    keys = ("col.measure", "col.reference", "col.group", "col.difference", "col.gain_interval")
    level = fmt_share(found.confidence, lang, decimals=0)
    headers = tuple(t(key, lang).format(level=level) for key in keys)
    rows = tuple(
        (
            _text(t("eval.gain", lang) if item.measure == "gain" else item.measure),
            _text(item.reference),
            _text(item.group),
            Cell(Kind.NUMBER, item.difference)
            if item.difference is not None
            else _text(t("eval.withheld_short", lang)),
            _text(_interval_text(item.interval, lang)),
        )
        for item in items
    )
    return ViewTable(f"{t('heading.eval_differences', lang)} · {name}", headers, rows)


def _completion_table(items: Sequence[CompletionFigures], lang: Lang) -> ViewTable:
    keys = (
        "col.evaluation",
        "col.learners",
        "col.completed",
        "col.completion_rate",
        "col.passed",
        "col.median_minutes",
    )
    rows = tuple(
        (
            _text(item.evaluation),
            Cell(Kind.COUNT, item.learners),
            Cell(Kind.COUNT, item.completed),
            Cell(Kind.SHARE, item.completion_rate),
            Cell(Kind.COUNT, item.passed),
            Cell(
                Kind.NUMBER,
                None if item.median_seconds is None else item.median_seconds / SECONDS_PER_MINUTE,
            ),
        )
        for item in items
    )
    return ViewTable(t("heading.eval_completion", lang), tuple(t(k, lang) for k in keys), rows)


def _files_table(files: Sequence[EvaluationAudit], lang: Lang) -> ViewTable:
    keys = ("col.evaluation", "col.level", "col.moment", "col.tool", "col.responses", "col.sha256")
    rows = tuple(
        (
            _text(item.title),
            _text(term(item.level, lang)),
            _text(t(f"moment.{item.moment.value}", lang)),
            _text(item.tool.value),
            Cell(Kind.COUNT, item.responses),
            Cell(Kind.TEXT, item.sha256, digest=True),
        )
        for item in files
    )
    return ViewTable(t("heading.eval_files", lang), tuple(t(k, lang) for k in keys), rows)
