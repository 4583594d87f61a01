"""Report files: the writer chosen by suffix, path templates, and all-or-nothing atomic writes.

Every output is rendered in memory first, then staged as a temporary file next to its target,
and only when all are staged are they renamed into place: a failure, or Ctrl-C or SIGTERM,
never leaves a partial report or a mix of new and previous files, and never writes over an
input file. A folder that cannot be written is a UsageError naming the output. Temporary files
are named ``.NAME.PID.RANDOM.tmp`` so that a later run can remove those of a killed one.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import signal
import stat
import string
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from roicli.enums import Lang
from roicli.errors import UsageError
from roicli.paths import shown_path

if TYPE_CHECKING:
    from roicli.model import Analysis

TEMPLATE_FIELD = "as_of"
NAME_MAX = 255  # bytes in a file name, on the usual file systems
TEMPORARY_ROOM = len("..4294967295.01234567.tmp")  # what a temporary name adds to NAME
STALE_SECONDS = 3600  # a temporary file of ours this old is a killed run's leftover
DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PAUSE_VARIABLE = "ROICLI_TEST_PAUSE"
_TEMPORARY = re.compile(r"\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{8}\.tmp")


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
        with writing(output), contextlib.suppress(FileNotFoundError):
            output.stat()  # a symlink loop, a name too long, a file where a folder should be
        resolved = output.resolve()
        if resolved in protected:
            raise UsageError(
                f"refusing to write over the input file {shown_path(protected[resolved])}",
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

    Each output folder is made if missing (another run making it meanwhile is fine) and cleared
    of the temporary files a killed run of ours left there. Each output is staged beside its
    target and the previous file, if any, is hard-linked aside; only then are they all renamed,
    with SIGINT and SIGTERM deferred, and a failed rename or a signal received meanwhile puts
    every previous file back. An OSError is a UsageError naming the output; the folders this
    call made are removed again when it fails.
    """
    rendered = [
        (path, render_output(OutputKind.for_path(path), analysis, lang=lang, json_text=json_text))
        for path in outputs
    ]
    created: list[Path] = []
    swaps: list[_Swap] = []
    done = False
    try:
        for path, data in rendered:
            with writing(path):
                _make_folders(path.parent, created)
                _clear_stale(path)
                swap = _Swap(path, _stage(path, data))
                swaps.append(swap)
                swap.backup = _backup(path)
        _swap_all(swaps)
        done = True
    finally:
        # Renamed or restored files are gone from their temporary names: this removes the rest.
        for swap in swaps:
            discard(swap.staged)
            if swap.backup is not None:
                discard(swap.backup)
        if not done:
            for folder in reversed(created):
                with contextlib.suppress(OSError):  # not empty: another run wrote there
                    folder.rmdir()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file all at once: a temporary file in the same folder, fsync, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _stage(path, data.encode("utf-8") if isinstance(data, str) else data)
    try:
        os.replace(temporary, path)
        _sync_folder(path.parent)
    except BaseException:
        discard(temporary)
        raise


def write_with(path: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it onto ``path``: a
    symlink at ``path`` is replaced by the file, never written through."""
    temporary = _temporary_name(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        discard(temporary)


@contextlib.contextmanager
def writing(path: Path, fix: str = "choose a writable output path") -> Iterator[None]:
    """An OSError while writing ``path`` becomes a UsageError naming it."""
    try:
        yield
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}", fix=fix) from exc


def discard(temporary: Path) -> None:
    """Remove a temporary file of ours, if it is still there."""
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()


@dataclass
class _Swap:
    """One output being replaced: its staged new copy, and a link to the previous file."""

    path: Path
    staged: Path
    backup: Path | None = None


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create a folder and its missing parents, adding each one this call made to ``created``;
    one that another process makes meanwhile is taken as it is."""
    missing = []
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        try:
            new.mkdir()
        except FileExistsError:
            if not new.is_dir():
                raise
        else:
            created.append(new)


def _stem(path: Path) -> str:
    """What names ``path`` in its temporary files: its name, or a hash of a name so long that
    ``.NAME.PID.RANDOM.tmp`` would not fit a file name's 255 bytes."""
    name = os.fsencode(path.name)
    if len(name) + TEMPORARY_ROOM > NAME_MAX:
        return hashlib.sha256(name).hexdigest()[:16]
    return path.name


def _temporary_name(path: Path) -> Path:
    """A fresh name beside ``path``: ``.NAME.PID.RANDOM.tmp``."""
    return path.with_name(f".{_stem(path)}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _clear_stale(path: Path) -> None:
    """Remove the temporary files ``path``'s name had in runs that were killed: ours by name,
    and left by a process that is gone or made more than STALE_SECONDS ago."""
    prefix = f".{_stem(path)}"
    now = time.time()
    with os.scandir(path.parent) as entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            ours = _TEMPORARY.fullmatch(entry.name, len(prefix))
            if ours is None or not entry.is_file(follow_symlinks=False):
                continue
            made = entry.stat(follow_symlinks=False).st_ctime  # a hard link renews it
            if now - made > STALE_SECONDS or not _alive(int(ours["pid"])):
                discard(Path(entry.path))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _stage(path: Path, data: bytes) -> Path:
    """A synced temporary copy of data beside path, in a folder that exists."""
    temporary = _temporary_name(path)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
    except BaseException:
        discard(temporary)
        raise
    return temporary


def _backup(path: Path) -> Path | None:
    """A second name, beside it, for the file (or symlink) now at ``path``; None if there is
    none. A folder there is an IsADirectoryError."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    backup = _temporary_name(path)
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup, follow_symlinks=False)
    return backup


def _swap_all(swaps: Sequence[_Swap]) -> None:
    """Rename every staged file onto its output with SIGINT and SIGTERM deferred; if a rename
    fails or a signal came meanwhile, put the previous files back (the signal is then raised)."""
    with _signals_deferred() as received:
        renamed: list[_Swap] = []
        try:
            for swap in swaps:
                with writing(swap.path):
                    os.replace(swap.staged, swap.path)
                renamed.append(swap)
                if len(renamed) == 1:
                    _test_pause()
            for folder in dict.fromkeys(swap.path.parent for swap in swaps):
                with writing(folder):
                    _sync_folder(folder)
        except BaseException:
            _restore(renamed)
            raise
        if received:
            _restore(renamed)


def _restore(renamed: Sequence[_Swap]) -> None:
    """Put back the previous file of each output (remove the new one where there was none)."""
    for swap in reversed(renamed):
        with contextlib.suppress(OSError):
            if swap.backup is None:
                swap.path.unlink()
            else:
                os.replace(swap.backup, swap.path)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[list[int]]:
    """Record SIGINT and SIGTERM instead of acting on them inside the block; the first one
    received is raised again, to its own handler, when the block ends."""
    received: list[int] = []

    def record(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, record) for signum in DEFERRED_SIGNALS}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])


def _test_pause() -> None:
    """Test hook: with ROICLI_TEST_PAUSE=FILE, create FILE once the first output is renamed and
    wait until it is removed (tests/test_faults_outputs.py sends a signal meanwhile)."""
    flag = os.environ.get(PAUSE_VARIABLE)
    if flag:
        Path(flag).touch()
        while os.path.lexists(flag):
            time.sleep(0.01)


def _file_mode(path: Path) -> int:
    """The previous file's mode, else what a plain new file would get under the umask."""
    with contextlib.suppress(OSError):  # none there, or a dangling link or a loop
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
