"""The one evaluation reader: a file as its tool exports it → a pseudonymised EvaluationData.

The tool's preset places the header, the timestamp, the participant key and the metadata; the
evaluation's settings override it. The participant key is hashed as each cell is read and
never kept; columns that identify a person (e-mail, names, IP address) are never answers,
and answers that name people (who was your mentor?) are only counted.
Rows are numbered as a spreadsheet shows the file: 1 is the first header row.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roicli.enums import Level
from roicli.errors import DataError, Location, shorten
from roicli.evaluation.answers import (
    classify,
    counted_only,
    numbered_scale,
    without_names,
)
from roicli.evaluation.config import Evaluation, Tool
from roicli.evaluation.grid import Row, read_grid
from roicli.evaluation.headers import find, questions, resolve
from roicli.evaluation.model import Answers, EvaluationData, Kind, Question, Response, Score
from roicli.evaluation.presets import PRESETS, Completed, Preset, metadata_pattern
from roicli.evaluation.privacy import Pseudonymiser, is_personal_header, looks_like_email
from roicli.evaluation.scales import Scale, answer_key, custom_scale, named_scale, parse_number
from roicli.evaluation.timestamps import parse_column
from roicli.ingest.values import cell_text

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_IMPORT_ID = '{"ImportId"'


@dataclass(frozen=True)
class _Table:
    """The body of a tabular file: per column, each response's cell."""

    path: Path
    columns: list[Question]
    rows: list[int]  # each response's row number
    cells: list[list[object]]  # cells[column][response], as read
    texts: list[list[str]]  # the same as text; "" for empty and the tool's "no answer" marks
    maxima: dict[int, float]  # a column's maximum from a row of maxima (Canvas)


def read_evaluation(evaluation: Evaluation, pseudonymise: Pseudonymiser) -> EvaluationData:
    """Read one evaluation file; every problem is a DataError naming the file, row and column."""
    if evaluation.tool is Tool.XAPI or evaluation.path.suffix.lower() in JSON_SUFFIXES:
        from roicli.evaluation.xapi import read_xapi

        return read_xapi(evaluation, pseudonymise)
    preset = PRESETS[evaluation.tool]
    table = _table(evaluation, preset)
    roles = _Roles.find(evaluation, preset, table)
    responses = _responses(evaluation, preset, table, roles, pseudonymise)
    chosen = _questions(evaluation, preset, table, roles)
    answers = _answers(
        evaluation, preset, table, chosen, _listed_personal(evaluation, table, roles)
    )
    score = _score(evaluation, table, roles, answers)
    return EvaluationData(evaluation, responses, answers, score)


def _table(evaluation: Evaluation, preset: Preset) -> _Table:
    path = evaluation.path
    grid = read_grid(path, sheet=evaluation.sheet)
    count = evaluation.header_rows or _header_rows(evaluation.tool, preset, grid)
    if len([row for row in grid[:count] if any(cell_text(c) for c in row)]) < count:
        raise DataError(
            f"expected {count} header row{'s' if count > 1 else ''}, found fewer",
            location=Location(path),
            fix="check the file is the tool's export, or set header_rows:",
        )
    head = [[cell_text(cell) for cell in row] for row in grid[:count]]
    columns = questions(head, preset, codes=evaluation.tool is Tool.LIMESURVEY)
    width = len(columns)
    rows: list[int] = []
    body: list[Row] = []
    maxima: dict[int, float] = {}
    for number, row in enumerate(grid[count:], start=count + 1):
        shown = [cell_text(cell) for cell in row[:width]]
        first = shown[0] if shown else ""
        if not any(shown) or first in preset.skipped_rows:
            continue
        if preset.max_row is not None and first == preset.max_row:
            maxima = {i: n[0] for i, t in enumerate(shown) if (n := parse_number(t)) is not None}
            continue
        rows.append(number)
        body.append([*row[:width], *([None] * (width - len(row)))])
    cells = [[row[i] for row in body] for i in range(width)]
    texts = [[_text(cell, preset) for cell in column] for column in cells]
    return _Table(path, columns, rows, cells, texts, maxima)


def _header_rows(tool: Tool, preset: Preset, grid: Sequence[Row]) -> int:
    """The preset's header rows; Qualtrics' legacy format has two (no ImportId row)."""
    if tool is Tool.QUALTRICS:
        third = [cell_text(cell) for cell in grid[2]] if len(grid) > 2 else []
        return 3 if any(text.startswith(_IMPORT_ID) for text in third) else 2
    return preset.header_rows


def _text(cell: object, preset: Preset) -> str:
    text = cell_text(cell)
    return "" if text in preset.missing else text


@dataclass(frozen=True)
class _Roles:
    """The columns that are not answers: who, when, which group, the score, and the like."""

    respondent: Question | None
    timestamp: Question | None
    started: Question | None
    duration: Question | None
    group: Question | None
    score: Question | None
    max_score: Question | None
    completed: tuple[Question, Completed] | None

    @classmethod
    def find(cls, evaluation: Evaluation, preset: Preset, table: _Table) -> _Roles:
        def pick(
            setting: str | int | None, candidates: Sequence[str], role: str
        ) -> Question | None:
            if setting is not None:
                return resolve(setting, table.columns, role=role, path=table.path)
            filled = [
                c for c in find(candidates, table.columns) if any(table.texts[c.position - 1])
            ]
            return filled[0] if filled else None

        respondent = pick(evaluation.respondent, preset.respondent, "respondent")
        if respondent is None and evaluation.level is Level.LEARNING:
            looked = ", ".join(repr(name) for name in preset.respondent) or "none for this tool"
            raise DataError(
                f"no participant key column (looked for: {looked}); a learning test pairs "
                "each participant's scores by it",
                location=Location(table.path),
                fix="set respondent: to the column holding the participant's e-mail, id or name",
            )
        completed = next(
            ((c, test) for name, test in preset.completed for c in find([name], table.columns)),
            None,
        )
        return cls(
            respondent=respondent,
            timestamp=pick(evaluation.timestamp, preset.timestamp, "timestamp"),
            started=pick(None, preset.started, "started"),
            duration=pick(None, preset.duration, "duration"),
            group=pick(evaluation.group, preset.group, "group"),
            score=pick(evaluation.score, preset.score, "score"),
            max_score=pick(None, preset.max_score, "max_score"),
            completed=completed,
        )

    def taken(self) -> set[int]:
        """The positions of the role columns."""
        named = (
            self.respondent,
            self.timestamp,
            self.started,
            self.duration,
            self.group,
            self.score,
            self.max_score,
        )
        return {column.position for column in named if column is not None}


def _responses(
    evaluation: Evaluation,
    preset: Preset,
    table: _Table,
    roles: _Roles,
    pseudonymise: Pseudonymiser,
) -> tuple[Response, ...]:
    count = len(table.rows)
    keys = _column(table, roles.respondent)
    participants = [pseudonymise(key) if key else None for key in keys]
    del keys  # the raw keys go no further
    ends = _times(table, roles.timestamp, preset)
    starts = _times(table, roles.started, preset)
    groups = _column(table, roles.group)
    seconds = _column(table, roles.duration)
    completed: list[bool | None] = [None] * count
    if roles.completed is not None:
        column, test = roles.completed
        completed = [test(text) for text in table.texts[column.position - 1]]
    return tuple(
        Response(
            row=table.rows[i],
            participant=participants[i],
            timestamp=ends[i],
            group=groups[i] or None,
            completed=completed[i],
            duration=_duration(seconds[i], starts[i], ends[i]),
        )
        for i in range(count)
    )


def _column(table: _Table, column: Question | None) -> list[str]:
    if column is None:
        return [""] * len(table.rows)
    return table.texts[column.position - 1]


def _times(table: _Table, column: Question | None, preset: Preset) -> list[dt.datetime | None]:
    if column is None:
        return [None] * len(table.rows)
    cells = [
        None if cell_text(cell) in preset.placeholder_times | preset.missing else cell
        for cell in table.cells[column.position - 1]
    ]
    return parse_column(cells, path=table.path, rows=table.rows, column=column.label)


def _duration(seconds: str, start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    parsed = parse_number(seconds) if seconds else None
    if parsed is not None:
        return parsed[0]
    if start is not None and end is not None and end >= start:
        return (end - start).total_seconds()
    return None


def _questions(
    evaluation: Evaluation, preset: Preset, table: _Table, roles: _Roles
) -> list[Question]:
    """The configured questions, else every answered column that is not a role or metadata."""
    if evaluation.questions:
        chosen = [
            resolve(ref, table.columns, role="questions", path=table.path)
            for ref in evaluation.questions
        ]
        for column in chosen:
            if _personal(table, column):
                raise DataError(
                    f"column {shorten(column.label)!r} identifies people (names, e-mail or IP "
                    "addresses): it cannot be a question",
                    location=Location(table.path),
                    fix="remove it from questions: (set respondent: to it to link answers)",
                )
        return chosen
    metadata = metadata_pattern(preset)
    taken = roles.taken()
    return [
        column
        for column in table.columns
        if column.position not in taken
        and not (metadata and _is_metadata(metadata, column))
        and any(table.texts[column.position - 1])
        and not _personal(table, column)
    ]


def _is_metadata(pattern: re.Pattern[str], column: Question) -> bool:
    names = [answer_key(name) for name in (column.code, column.text) if name]
    return any(pattern.fullmatch(name) for name in names)


def _personal(table: _Table, column: Question) -> bool:
    if any(is_personal_header(name) for name in (column.code, column.text) if name):
        return True
    return any(looks_like_email(text) for text in table.texts[column.position - 1])


def _listed_personal(evaluation: Evaluation, table: _Table, roles: _Roles) -> set[int]:
    """The positions of the columns listed under ``personal:``; none may be the group, whose
    answers every output names."""
    listed = [
        resolve(ref, table.columns, role="personal", path=table.path) for ref in evaluation.personal
    ]
    if roles.group is not None and roles.group in listed:
        raise DataError(
            f"column {shorten(roles.group.label)!r} is listed under personal: (its answers name "
            "people), so it cannot be the group: every report names the groups",
            location=Location(table.path),
            fix="set group: to a column of roles, waves or teams",
        )
    return {column.position for column in listed}


def _answers(
    evaluation: Evaluation,
    preset: Preset,
    table: _Table,
    chosen: Sequence[Question],
    personal: set[int],
) -> tuple[Answers, ...]:
    scale = _configured_scale(evaluation.scale)
    numbered = None if scale else numbered_scale([table.texts[c.position - 1] for c in chosen])
    return tuple(
        answers
        for column in chosen
        if (answers := _read_answers(column, table, preset, scale, numbered, personal)) is not None
    )


def _read_answers(
    column: Question,
    table: _Table,
    preset: Preset,
    scale: Scale | None,
    numbered: Scale | None,
    personal: set[int],
) -> Answers | None:
    """A column's answers; those that name people counted only (see ``answers``)."""
    cells = table.texts[column.position - 1]
    if column.position in personal:
        return counted_only(column, cells, ticks=preset.choice_ticks)
    found = classify(
        column,
        cells,
        table.rows,
        path=table.path,
        scale=scale,
        numbered=numbered,
        ticks=preset.choice_ticks,
    )
    return without_names(found)


def _configured_scale(setting: str | dict[str, float] | None) -> Scale | None:
    if setting is None:
        return None
    return named_scale(setting) if isinstance(setting, str) else custom_scale(setting)


def _score(
    evaluation: Evaluation, table: _Table, roles: _Roles, answers: Sequence[Answers]
) -> Score | None:
    """A test's score column, checked against its maximum; else, for a learning evaluation,
    each response's mean answer on its scale questions."""
    if roles.score is not None:
        return _score_column(evaluation, table, roles)
    if evaluation.level is not Level.LEARNING:
        return None
    scaled = [a for a in answers if a.kind is Kind.SCALE]
    if not scaled:
        return None
    values = []
    for i in range(len(table.rows)):
        given = [a.scores[i] for a in scaled if a.scores[i] is not None]
        values.append(statistics.fmean(v for v in given if v is not None) if given else None)
    maxima = {a.maximum for a in scaled}
    maximum = evaluation.max_score or (maxima.pop() if len(maxima) == 1 else None)
    source = f"mean of {len(scaled)} scale question{'s' if len(scaled) > 1 else ''}"
    return Score(source, tuple(values), maximum)


def _score_column(evaluation: Evaluation, table: _Table, roles: _Roles) -> Score:
    column = roles.score
    assert column is not None
    row_max = _column(table, roles.max_score)
    values: list[float | None] = []
    stated: set[float] = set()
    for i, text in enumerate(table.texts[column.position - 1]):
        if not text:
            values.append(None)
            continue
        parsed = parse_number(text)
        if parsed is None:
            raise DataError(
                f"cannot read {shorten(text)!r} as a score",
                location=Location(table.path, row=table.rows[i], column=column.label),
                fix="scores are numbers such as 72, 72.5, 72% or 18/25",
            )
        value, cell_max = parsed
        given = parse_number(row_max[i]) if row_max[i] else None
        maximum = (
            evaluation.max_score
            or cell_max
            or (given[0] if given else None)
            or table.maxima.get(column.position - 1)
        )
        if maximum is not None:
            stated.add(maximum)
            if value > maximum:
                raise DataError(
                    f"score {value:g} is above the maximum {maximum:g}",
                    location=Location(table.path, row=table.rows[i], column=column.label),
                    fix="check the score, or set max_score: to the test's maximum",
                )
        values.append(value)
    maximum = stated.pop() if len(stated) == 1 else None
    return Score(column.label, tuple(values), maximum)
