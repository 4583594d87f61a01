"""Header rows made into questions, and columns found by code, position or cleaned text.

A column is named in the config, in this order of precedence, by the tool's code (``Q1``), by
its header's text once cleaned (HTML tags removed, entities decoded, the rows of a multi-row
header joined with " — ", spaces, tabs and line breaks collapsed; compared as answers are), or
by its position (``3``, ``"3"`` or ``"Q3"``; 1 = the first column). A text two columns share
must be given by position.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from roicli.errors import DataError, Location, shorten
from roicli.evaluation.model import Question
from roicli.evaluation.presets import Preset
from roicli.evaluation.scales import answer_key, did_you_mean

_BREAK = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr|/?td|/?h\d)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_POSITION = re.compile(r"[Qq]?(\d+)")
_LIME = re.compile(r"([A-Za-z][\w#\[\]]*)\. (.*)", re.DOTALL)  # "G1Q2[SQ1]. Question text"
JOIN = " — "


def clean(text: str) -> str:
    """A header cell's text: no HTML, entities decoded, spaces collapsed."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", _BREAK.sub(" ", text)))).strip()


def questions(rows: Sequence[Sequence[str]], preset: Preset, *, codes: bool) -> list[Question]:
    """One question per column of the header rows; ``codes`` splits LimeSurvey's ``code. text``.

    A multi-row header's first row is carried right over empty cells (a matrix question names
    itself once, over its first column); cells in ``preset.filler`` add nothing.
    """
    width = max((len(row) for row in rows), default=0)
    grid = [[clean(row[i]) if i < len(row) else "" for i in range(width)] for row in rows]
    if len(grid) > 1:
        carried = ""
        for i, cell in enumerate(grid[0]):
            carried = cell or carried
            grid[0][i] = carried
    found = []
    for i in range(width):
        code = grid[preset.code_row][i] if preset.code_row is not None else None
        parts = [grid[r][i] for r in preset.text_rows if r < len(grid)]
        kept = [p for p in dict.fromkeys(parts) if p and p.lower() not in preset.filler]
        text = JOIN.join(kept)
        if codes and code is None:
            match = _LIME.fullmatch(text)
            code, text = (match.group(1), clean(match.group(2))) if match else (text or None, "")
        found.append(Question(position=i + 1, code=code or None, text=text))
    return found


def resolve(ref: str | int, columns: Sequence[Question], *, role: str, path: Path) -> Question:
    """The column a config setting names (see the module's docstring)."""
    if isinstance(ref, int):
        if ref <= len(columns):
            return columns[ref - 1]
        raise DataError(
            f"column {ref} ({role}) is beyond the file's {len(columns)} columns",
            location=Location(path),
            fix=f"set {role} to a position from 1 to {len(columns)}, or to a header",
        )
    key = answer_key(ref)
    by_code = [c for c in columns if c.code and answer_key(c.code) == key]
    if by_code:
        return _one(by_code, ref, role=role, path=path)
    by_text = [c for c in columns if answer_key(c.text) == key]
    if by_text:
        return _one(by_text, ref, role=role, path=path)
    position = _POSITION.fullmatch(ref.strip())
    if position and 1 <= int(position.group(1)) <= len(columns):
        return columns[int(position.group(1)) - 1]
    names = [name for c in columns for name in (c.code, c.text) if name]
    raise DataError(
        f"column {shorten(ref)!r} ({role}) not found" + did_you_mean(ref, names),
        location=Location(path),
        fix=f"set {role} to a column's header, code or position (1 = the first column)",
    )


def find(candidates: Sequence[str], columns: Sequence[Question]) -> list[Question]:
    """The columns a preset's candidate names match, in the candidates' order."""
    found = []
    for name in candidates:
        key = answer_key(name)
        found += [c for c in columns if key in {answer_key(c.code or ""), answer_key(c.text)}]
    return found


def _one(matches: list[Question], ref: str, *, role: str, path: Path) -> Question:
    if len(matches) == 1:
        return matches[0]
    positions = ", ".join(str(c.position) for c in matches)
    raise DataError(
        f"{shorten(ref)!r} ({role}) heads several columns ({positions})",
        location=Location(path),
        fix=f"set {role} to the position of the one meant",
    )
