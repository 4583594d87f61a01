"""Checks run before a reader parses a file: hostile or mislabelled files stop here.

Each check reads as little as it needs (a text export is streamed in chunks and given up on at
the first over-long line; a workbook's zip directory is read, never its contents), so a 1 GB
line or a zip bomb fails in well under a second with a ``DataError`` that says what to do.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from roicli.errors import DataError, Location
from roicli.ingest.detect import DELIMITERS

MAX_LINE_BYTES = 1 << 20
MAX_FIELDS = 16_384  # Excel's own column limit: no spreadsheet export has more
MAX_ZIP_ENTRIES = 10_000
MAX_UNZIPPED_BYTES = 1 << 30
MAX_ZIP_RATIO = 200  # XML compresses about 10:1; a zip bomb, about 1000:1
RATIO_FLOOR = 1 << 20  # parts smaller than this may compress as well as they like

_CHUNK = 1 << 20
# Any line of 2 windows or more holds a whole window without a newline: only such lines are
# looked at closely, so a line with MAX_FIELDS fields (at least as many bytes) is always seen.
_WINDOW = MAX_FIELDS // 2
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_HEAD = 4096  # enough to tell text from binary when naming a mislabelled file
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DAMAGED_FIX = "open it in Excel or LibreOffice and save it again as .xlsx"

# (magic bytes, what the file is, what to do): the formats most often mistaken for exports.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (_ZIP, "a zip archive (such as an .xlsx workbook)", "give a workbook the .xlsx suffix"),
    (_EOCD, "an empty zip archive", "point the source at the export itself"),
    (
        _OLE2,
        "an old .xls workbook or a password-protected Office file",
        "open it in Excel, remove any password and save it as .xlsx or .csv",
    ),
    (b"%PDF-", "a PDF document", "point the source at the data export, not a printed report"),
    (b"PAR1", "a Parquet file", "give it the .parquet suffix"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first (gunzip)"),
    (b"\x89PNG", "a PNG image", "point the source at the data export"),
    (b"\xff\xd8\xff", "a JPEG image", "point the source at the data export"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """What a file's first bytes say it is, and what to do, for formats that are not text."""
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            return what, fix
    return None


def check_text(
    path: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    on_chunk: Callable[[memoryview], object] | None = None,
) -> None:
    """Refuse a text export that is empty, binary, or has an over-long or over-wide line.

    The file is streamed, each chunk handed to ``on_chunk`` too (to take its digest in the
    same pass); reading stops as soon as a line passes ``MAX_LINE_BYTES``. NUL bytes are
    allowed in UTF-16 and UTF-32 text (a byte-order mark or ``encoding`` says so): the reader
    looks for NULs once it has decoded it.
    """
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
        if not head:
            raise _empty(path)
        known = sniff(head)
        if known is not None:
            what, fix = known
            raise DataError(f"this is {what}, not a text export", location=Location(path), fix=fix)
        # A file with only old-Mac line ends has no "\n" at all.
        newline = b"\r" if b"\n" not in head and b"\r" in head else b"\n"
        separators = {d.encode() for d in (*DELIMITERS, delimiter) if d}
        nul_ok = head.startswith(_UTF16_BOMS) or _wide(encoding)
        scan = _Scan(path, newline, separators, nul_ok=nul_ok)
        scan.run(head, handle, on_chunk)


def _wide(encoding: str | None) -> bool:
    """Whether an encoding writes characters as 2 or 4 bytes, NUL bytes among them."""
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        return False  # the reader names an unknown encoding
    return name.startswith(("utf-16", "utf-32"))


class _Scan:
    """One pass over a text file's chunks, carrying the unfinished last line to the next one."""

    def __init__(self, path: Path, newline: bytes, separators: set[bytes], *, nul_ok: bool) -> None:
        self.path = path
        self.newline = newline
        self.separators = separators
        self.nul_ok = nul_ok  # UTF-16 text is half NUL bytes

    def run(
        self,
        head: bytes,
        handle: io.BufferedReader,
        on_chunk: Callable[[memoryview], object] | None,
    ) -> None:
        """Check every chunk, starting with the one already read.

        Chunks are read into one buffer behind the unfinished line carried over (no new bytes
        object, no copy of a chunk per step: on a 430 MiB export that copying was most of the
        time).
        """
        buffer = bytearray(MAX_LINE_BYTES + _CHUNK)
        view = memoryview(buffer)
        carried = 0  # bytes of the unfinished line at the start of ``buffer``
        offset = 0  # file offset of the chunk read after them
        chunk = len(head)
        buffer[:chunk] = head
        while chunk:
            filled = carried + chunk
            if on_chunk is not None:
                on_chunk(view[carried:filled])
            nul = -1 if self.nul_ok else buffer.find(b"\0", carried, filled)
            if nul >= 0:
                raise DataError(
                    "this is a binary file, not a text export (a NUL byte at byte "
                    f"{offset + nul - carried})",
                    location=Location(self.path),
                    fix="point the source at the CSV export, or re-export it as CSV",
                )
            start = offset - carried  # file offset of ``buffer``
            end = buffer.rfind(self.newline, 0, filled) + 1  # complete lines end here
            self._lines(buffer, end, start)
            carried = filled - end
            if carried > MAX_LINE_BYTES:
                raise self._too_long(start + end)
            buffer[:carried] = buffer[end:filled]
            offset += chunk
            chunk = handle.readinto(view[carried : carried + _CHUNK])
        self._lines(buffer, carried, offset - carried)

    def _lines(self, buffer: bytes | bytearray, end: int, start: int) -> None:
        """Check the lines of ``buffer[:end]``; only those spanning a whole window can be long.

        ``start`` is the file offset of ``buffer``: line numbers are counted only for a message.
        """
        position = 0
        while position < end:
            stop = min(position + _WINDOW, end)
            if buffer.find(self.newline, position, stop) >= 0:
                position = stop
                continue
            begin = buffer.rfind(self.newline, 0, position) + 1
            finish = buffer.find(self.newline, stop, end)
            finish = end if finish < 0 else finish
            if finish - begin > MAX_LINE_BYTES:
                raise self._too_long(start + begin)
            # Separators inside quotes count too: this bounds the fields from above.
            fields = 1 + max(buffer.count(s, begin, finish) for s in self.separators)
            if fields > MAX_FIELDS:
                raise DataError(
                    f"line {self._line_at(start + begin)} has more than {MAX_FIELDS:,} fields",
                    location=Location(self.path),
                    fix="check that the file is one table of KPI values, and its delimiter",
                )
            position = finish + 1

    def _line_at(self, offset: int) -> int:
        """The number of the line starting at byte ``offset`` (read again: errors only)."""
        line = 1
        with self.path.open("rb") as handle:
            while offset > 0:
                chunk = handle.read(min(_CHUNK, offset))
                if not chunk:
                    break
                line += chunk.count(self.newline)
                offset -= len(chunk)
        return line

    def _too_long(self, offset: int) -> DataError:
        return DataError(
            f"line {self._line_at(offset)} is longer than {MAX_LINE_BYTES:,} bytes",
            location=Location(self.path),
            fix="check that the file is a CSV export with one record per line",
        )


def check_workbook(path: Path) -> None:
    """Refuse a workbook whose bytes are not what its suffix says, or a zip bomb.

    Only the zip directory is read: the number of parts, their total unpacked size and each
    part's compression ratio are checked before any XML is parsed.
    """
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head:
        raise _empty(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        if not head.startswith(_OLE2):
            raise _mislabelled(path, head, suffix)
        return
    if not head.startswith(_ZIP):
        raise _mislabelled(path, head, suffix)
    _check_zip(path)


def check_parquet(path: Path) -> None:
    """Refuse an empty file, or one that is not Parquet."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head:
        raise _empty(path)
    if not head.startswith(b"PAR1"):
        raise _mislabelled(path, head, path.suffix.lower())


def _check_zip(path: Path) -> None:
    declared = _declared_entries(path)
    if declared is not None and declared > MAX_ZIP_ENTRIES:
        raise _too_many_parts(path, declared)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise DataError(
            f"the workbook is damaged: {exc}", location=Location(path), fix=_DAMAGED_FIX
        ) from None
    if len(parts) > MAX_ZIP_ENTRIES:
        raise _too_many_parts(path, len(parts))
    total = sum(part.file_size for part in parts)
    if total > MAX_UNZIPPED_BYTES:
        raise DataError(
            f"the workbook unpacks to {total:,} bytes, more than the {MAX_UNZIPPED_BYTES:,} "
            "allowed",
            location=Location(path),
            fix="export less data per file, or use CSV or Parquet for large exports",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
            raise DataError(
                f"part {part.filename!r} unpacks {ratio:,.0f} times its packed size "
                f"(more than {MAX_ZIP_RATIO}): this looks like a zip bomb",
                location=Location(path),
                fix=_DAMAGED_FIX + ", if it comes from a trusted source",
            )


def _declared_entries(path: Path) -> int | None:
    """The number of parts the zip's end record declares, read before zipfile lists them all.

    None when there is no plain end record (zipfile then finds the problem, or the zip64 one).
    """
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        start = max(0, size - (_EOCD_SIZE + 0xFFFF))  # the record, then a comment of < 64 KiB
        handle.seek(start)
        tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    return None if entries == 0xFFFF else int(entries)


def _too_many_parts(path: Path, count: int) -> DataError:
    return DataError(
        f"the workbook holds {count:,} parts, more than the {MAX_ZIP_ENTRIES:,} allowed",
        location=Location(path),
        fix=_DAMAGED_FIX,
    )


def _empty(path: Path) -> DataError:
    return DataError(
        "the file is empty", location=Location(path), fix="export the data again, or fix the path"
    )


def _mislabelled(path: Path, head: bytes, suffix: str) -> DataError:
    """The error for a file whose content does not match its suffix, saying what it is."""
    wanted = "Parquet" if suffix in (".parquet", ".pq") else f"a {suffix} workbook"
    known = sniff(head)
    if known is not None:
        what, fix = known
    elif b"\0" not in head:
        what, fix = "a text file", "if it is a CSV export, give it the .csv suffix"
    else:
        what, fix = "an unknown kind of file", _DAMAGED_FIX
    return DataError(f"this is {what}, not {wanted}", location=Location(path), fix=fix)


def check_openpyxl(path: Path) -> None:
    """Refuse to let openpyxl parse a workbook unless it uses defusedxml (no XML entity bombs)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise DataError(
            "openpyxl is not using defusedxml, so reading the workbook with it would be unsafe",
            location=Location(path),
            fix="install defusedxml (pip install defusedxml) and unset OPENPYXL_DEFUSEDXML",
        )
