"""Reading a workbook's XML parts as the cell scanners need them: the zip path of a sheet, the
attributes of a small part's elements, a big part in blocks cut at a safe place, and column
letters as indices. Shared by ``percentcells`` and ``formulacells``."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

from defusedxml.ElementTree import iterparse

BLOCK_BYTES = 1 << 22  # about this much of a part is searched at a time


def sheet_part(book: zipfile.ZipFile, sheet: str) -> str:
    """The zip path of the named sheet's XML, through the workbook's relationships."""
    ids = {
        element.get("name"): attribute(element, "id")
        for element in elements(book, "xl/workbook.xml", "sheet")
    }
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in elements(book, "xl/_rels/workbook.xml.rels", "Relationship")
    }
    target = targets[ids[sheet]]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


def elements(book: zipfile.ZipFile, part: str, name: str) -> Iterator[dict[str, str]]:
    """The attributes of each element of a small XML part with the given local name."""
    with book.open(part) as stream:
        for _, element in iterparse(stream):
            if local_name(element.tag) == name:
                yield dict(element.attrib)


def blocks(stream: IO[bytes], cut: Callable[[bytes], int]) -> Iterator[bytes]:
    """An XML part in blocks of about ``BLOCK_BYTES``, each ending where ``cut`` says (just
    before a tag, or a row), so no tag or row is split across two blocks."""
    carried = b""
    while chunk := stream.read(BLOCK_BYTES):
        data = carried + chunk
        at = cut(data)
        if at > 0:
            yield data[:at]
        carried = data[at:] if at > 0 else data
    yield carried


def column_index(letters: bytes) -> int:
    """The 0-based index of a column's letters (``A`` is 0, ``AA`` is 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def local_name(tag: str) -> str:
    """A tag or attribute name without its namespace (``{ns}sheet`` is ``sheet``)."""
    return tag.rsplit("}", 1)[-1]


def attribute(attributes: dict[str, str], name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``)."""
    return next((value for key, value in attributes.items() if local_name(key) == name), None)
