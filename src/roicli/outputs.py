"""Report files: the writer chosen by suffix, path templates, and all-or-nothing atomic writes.

Every output is rendered in memory first, then staged as a temporary file next to its target,
and only when all are staged are they renamed into place: a failure never leaves a partial
report, never destroys the previous one, and never writes over an input file. A folder that
cannot be written is a UsageError naming the output.
"""

from __future__ import annotations

import contextlib
import os
import string
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from roicli.enums import Lang
from roicli.errors import UsageError

if TYPE_CHECKING:
    from roicli.model import Analysis

TEMPLATE_FIELD = "as_of"


class OutputKind(StrEnum):
    """A report format, named by its file suffix."""

    XLSX = "xlsx"
    JSON = "json"
    CSV = "csv"
    MD = "md"
    HTML = "html"

    @classmethod
    def for_path(cls, path: Path) -> OutputKind:
        """The kind a path's suffix asks for; an unknown suffix is a UsageError."""
        suffix = path.suffix.lower().lstrip(".")
        try:
            return cls(suffix)
        except ValueError:
            allowed = ", ".join(f".{kind.value}" for kind in cls)
            shown = f'"{path.suffix}"' if path.suffix else "no suffix"
            raise UsageError(
                f"cannot tell which report to write from {shown}",
                field=str(path),
                fix=f"end the output path with one of {allowed}",
            ) from None


def expand_template(path_text: str, as_of: date) -> Path:
    """The output path with `{as_of}` / `{as_of:%Y-%m}` replaced by the as-of date."""
    try:
        fields = [
            (name, conversion)
            for _, name, _, conversion in string.Formatter().parse(path_text)
            if name is not None
        ]
    except ValueError as error:
        raise _template_error(path_text, str(error)) from None
    unknown = sorted({name for name, _ in fields if name != TEMPLATE_FIELD})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        raise _template_error(path_text, f"unknown field {names}")
    if any(conversion for _, conversion in fields):
        raise _template_error(path_text, "conversions such as !r are not allowed")
    try:
        expanded = path_text.format(as_of=as_of)
    except (ValueError, TypeError) as error:
        raise _template_error(path_text, str(error)) from None
    if not expanded.strip():
        raise _template_error(path_text, "the path is empty")
    return Path(expanded)


def _template_error(path_text: str, problem: str) -> UsageError:
    return UsageError(
        f"bad output path template: {problem}",
        field=path_text,
        fix='only {as_of} is allowed, e.g. "reports/roi-{as_of:%Y-%m}.xlsx"; double braces '
        "{{ }} for literal ones",
    )


def check_outputs(outputs: Sequence[Path], inputs: Sequence[Path]) -> None:
    """Refuse unknown suffixes, duplicate outputs, folders, and any output that is an input."""
    protected = {path.resolve(): path for path in inputs}
    seen: set[Path] = set()
    for output in outputs:
        OutputKind.for_path(output)
        resolved = output.resolve()
        if resolved in protected:
            raise UsageError(
                f"refusing to write over the input file {protected[resolved]}",
                field=str(output),
                fix="choose another output path",
            )
        if resolved in seen:
            raise UsageError("the same output path is given twice", field=str(output))
        if resolved.is_dir():
            raise UsageError(
                "the output path is a folder", field=str(output), fix="add a file name"
            )
        seen.add(resolved)


Renderer = Callable[["Analysis", Lang, str], bytes]


def _xlsx(analysis: Analysis, lang: Lang, json_text: str) -> bytes:
    from roicli.render.excel import workbook_bytes

    return workbook_bytes(analysis, lang=lang)


def _json(analysis: Analysis, lang: Lang, json_text: str) -> bytes:
    return json_text.encode("utf-8")


def _csv(analysis: Analysis, lang: Lang, json_text: str) -> bytes:
    from roicli.render.csvtable import render_objectives_csv

    # A byte-order mark lets Excel read accents in a CSV correctly.
    return render_objectives_csv(analysis, lang=lang).encode("utf-8-sig")


def _md(analysis: Analysis, lang: Lang, json_text: str) -> bytes:
    from roicli.render.markdown import render_markdown

    return render_markdown(analysis, lang=lang).encode("utf-8")


def _html(analysis: Analysis, lang: Lang, json_text: str) -> bytes:
    from roicli.render.html import render_html

    return render_html(analysis, lang=lang).encode("utf-8")


# Every format's renderer, imported only when asked for (a test holds it exhaustive).
RENDERERS: dict[OutputKind, Renderer] = {
    OutputKind.XLSX: _xlsx,
    OutputKind.JSON: _json,
    OutputKind.CSV: _csv,
    OutputKind.MD: _md,
    OutputKind.HTML: _html,
}


def render_output(kind: OutputKind, analysis: Analysis, *, lang: Lang, json_text: str) -> bytes:
    """One report's bytes, from the format's renderer."""
    return RENDERERS[kind](analysis, lang, json_text)


def write_outputs(
    analysis: Analysis, outputs: Sequence[Path], *, lang: Lang, json_text: str
) -> None:
    """Render every output, stage them all, then rename them all: all or nothing.

    An OSError (a read-only folder, a file where a folder should be) is a UsageError; the
    folders this call created are removed again when it fails.
    """
    rendered = [
        (path, render_output(OutputKind.for_path(path), analysis, lang=lang, json_text=json_text))
        for path in outputs
    ]
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    done = False
    try:
        for path, data in rendered:
            with _writing(path):
                _make_folders(path.parent, created)
                staged.append((_stage(path, data), path))
        for temporary, path in staged:
            with _writing(path):
                _commit(temporary, path)
        done = True
    finally:
        # Renamed files are gone from their temporary names; only leftovers are removed.
        for temporary, _ in staged:
            _discard(temporary)
        if not done:
            for folder in reversed(created):
                with contextlib.suppress(OSError):  # not empty: it holds a committed output
                    folder.rmdir()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file all at once: a temporary file in the same folder, fsync, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _stage(path, data.encode("utf-8") if isinstance(data, str) else data)
    try:
        _commit(temporary, path)
    except BaseException:
        _discard(temporary)
        raise


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` becomes a UsageError naming it."""
    try:
        yield
    except OSError as exc:
        raise UsageError(
            f"cannot write {path}: {exc.strerror or exc}", fix="choose a writable output path"
        ) from exc


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create a folder and its missing parents, adding each one made to ``created``."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        created.append(new)


def _stage(path: Path, data: bytes) -> Path:
    """A synced temporary copy of data beside path, in a folder that exists."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
    except BaseException:
        _discard(temporary)
        raise
    return temporary


def _commit(temporary: Path, path: Path) -> None:
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _discard(temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()


def _file_mode(path: Path) -> int:
    """The previous file's mode, else what a plain new file would get under the umask."""
    with contextlib.suppress(FileNotFoundError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows syncing a folder."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
