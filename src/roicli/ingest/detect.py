"""Find how a text export is written: its encoding, its separator, where its table starts and ends.

Pure functions on bytes and text; reading the file and raising errors is the caller's job.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from roicli.ingest.kpimatch import name_key

DELIMITERS = (",", ";", "\t", "|")
_GUESS_LINES = 200
_START_DATE = re.compile(r"^#\s*start date:\s*(\d{8})\s*$", re.IGNORECASE)
_TABLE_BREAK = re.compile(r"\n[ \t]*\n|\n#")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the encoding it was read with.

    With no ``encoding`` given: a byte-order mark decides, then strict UTF-8, then cp1252, then
    latin-1 (which reads any bytes). Line endings (old Mac ``\\r`` too) become ``\\n``.
    """
    if encoding is not None:
        text = data.decode(encoding)
        used = encoding
    elif data.startswith(codecs.BOM_UTF8):
        text, used = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, used = data.decode("utf-16"), "utf-16"
    else:
        text, used = _first_decoding(data)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), used


def _first_decoding(data: bytes) -> tuple[str, str]:
    for candidate in ("utf-8", "cp1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


@dataclass(frozen=True)
class Header:
    """Where a table's header line is and how its fields are separated."""

    line: int  # 1-based line number
    offset: int  # character offset of the line in the text
    delimiter: str
    names: tuple[str, ...]
    comments: tuple[str, ...]  # the ``#`` lines just above the header

    @property
    def start_date(self) -> str | None:
        """The ``# Start date: YYYYMMDD`` a GA4 table carries above its header, if any."""
        for comment in self.comments:
            if match := _START_DATE.match(comment):
                return match.group(1)
        return None


@dataclass(frozen=True)
class HeaderGuess:
    """The best header candidate when no line holds every wanted column (for the error)."""

    line: int
    names: tuple[str, ...]


def split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one CSV line (quotes honoured, unless a field is too long for csv)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(1-based number, offset, text) of each line, lazily: headers are usually near the top."""
    offset = 0
    number = 1
    while offset < len(text):
        end = text.find("\n", offset)
        end = len(text) if end < 0 else end
        yield number, offset, text[offset:end]
        offset = end + 1
        number += 1


def find_header(
    text: str,
    wanted: Sequence[str],
    *,
    delimiter: str | None = None,
    skip_rows: int | None = None,
    accept: Callable[[Sequence[str]], bool] | None = None,
) -> Header | None:
    """The first line holding every wanted column name (case-insensitive), or None.

    Comment (``#``) and blank lines are passed over; with ``skip_rows`` only the line right after
    the skipped ones is considered. The separator is the one that splits that line into fields
    holding the wanted names, preferring the one that gives the most fields. ``accept`` may
    further pick among such lines (a stacked table that holds a configured KPI).
    """
    keys = [name_key(name) for name in wanted]
    comments: list[str] = []
    for number, offset, line in _lines(text):
        if skip_rows is not None and number <= skip_rows:
            continue
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped)
            continue
        if not stripped:
            comments = []
            continue
        lowered = name_key(line)
        if all(key in lowered for key in keys):
            found = _split_holding(line, keys, delimiter)
            if found is not None and (accept is None or accept(found[1])):
                used, names = found
                return Header(number, offset, used, tuple(names), tuple(comments))
        if skip_rows is not None:
            return None
        comments = []
    return None


def _split_holding(
    line: str, keys: Sequence[str], delimiter: str | None
) -> tuple[str, list[str]] | None:
    best: tuple[str, list[str]] | None = None
    for candidate in (delimiter,) if delimiter else DELIMITERS:
        names = split_line(line, candidate)
        found = {name_key(name) for name in names}
        if all(key in found for key in keys) and (best is None or len(names) > len(best[1])):
            best = (candidate, names)
    return best


def guess_header(
    text: str,
    wanted: Sequence[str],
    *,
    delimiter: str | None = None,
    skip_rows: int | None = None,
) -> HeaderGuess | None:
    """The line that most looks like the header, to list its columns when some are missing.

    The separator giving the most fields on the first data-looking lines wins; the header is the
    line holding the most wanted names, else the first line with the most common field count.
    """
    candidates = [
        (number, line)
        for number, _, line in _head(text, skip_rows)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not candidates:
        return None
    keys = {name_key(name) for name in wanted}
    chosen = delimiter or max(
        DELIMITERS, key=lambda d: _modal_width([split_line(line, d) for _, line in candidates])
    )
    rows = [(number, split_line(line, chosen)) for number, line in candidates]
    if skip_rows is not None:
        number, names = rows[0]
        return HeaderGuess(number, tuple(names))
    hits = [len(keys & {name_key(name) for name in names}) for _, names in rows]
    if max(hits) > 0:
        number, names = rows[hits.index(max(hits))]
        return HeaderGuess(number, tuple(names))
    width = _modal_width([names for _, names in rows])
    number, names = next((n, f) for n, f in rows if len(f) == width)
    return HeaderGuess(number, tuple(names))


def _head(text: str, skip_rows: int | None) -> Iterator[tuple[int, int, str]]:
    for count, item in enumerate(_lines(text)):
        if count >= _GUESS_LINES:
            return
        if skip_rows is None or item[0] > skip_rows:
            yield item


def _modal_width(rows: Sequence[Sequence[str]]) -> int:
    """The most common field count (the larger one on ties)."""
    counts: dict[int, int] = {}
    for row in rows:
        counts[len(row)] = counts.get(len(row), 0) + 1
    return max(counts, key=lambda width: (counts[width], width))


def table_end(text: str, header: Header) -> int:
    """Offset where the table that starts at ``header`` ends.

    A ``#`` line ends it, and so does a blank line after which comes nothing, a ``#`` line or a
    line with another number of fields (the next stacked table). Breaks inside quotes do not count.
    """
    start = header.offset
    for match in _TABLE_BREAK.finditer(text, start):
        if text.count('"', start, match.start()) % 2:
            continue  # inside a quoted field
        if match.group().endswith("#"):
            return match.start() + 1
        following = text[match.end() :].lstrip("\n \t")
        next_line = following.split("\n", 1)[0]
        if not next_line or next_line.startswith("#"):
            return match.start() + 1
        if len(split_line(next_line, header.delimiter)) != len(header.names):
            return match.start() + 1
    return len(text)
