"""The further tables of a text export with several stacked tables (GA4 report snapshots)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from roicli.config import Source
from roicli.enums import Layout
from roicli.ingest.columns import wanted
from roicli.ingest.detect import Header, find_header
from roicli.ingest.kpimatch import name_key


def next_header(text: str, after: int, source: Source, lookup: Mapping[str, str]) -> Header | None:
    """The header of the next table from offset ``after`` that holds the mapped columns (and,
    for a wide layout, a configured KPI), with its line and offset in the whole text."""
    names = wanted(source)
    taken = {name_key(name) for name in names}

    def holds_kpi(found: Sequence[str]) -> bool:
        return any(name_key(n) in lookup for n in found if name_key(n) not in taken)

    header = find_header(
        text[after:],
        names,
        delimiter=source.delimiter,
        accept=holds_kpi if source.layout is Layout.WIDE else None,
    )
    if header is None:
        return None
    return dataclasses.replace(
        header, line=header.line + text.count("\n", 0, after), offset=header.offset + after
    )
