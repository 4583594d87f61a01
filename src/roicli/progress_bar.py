"""A progress bar on stderr for long reads: on a terminal only, and only after a couple of seconds.

Runs in pipes, cron and CI, and the small files most runs read, stay silent; a big export shows
how much of it has been read, on stderr (stdout carries data). Rich is imported only when a bar
is actually shown.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from rich.progress import Progress, TaskID

DELAY_S = 2.0  # a read that ends sooner shows nothing

Report = Callable[[int], None]  # how many bytes have been read so far
_shown: ContextVar[bool] = ContextVar("roicli_progress_shown", default=True)


def ignore(done: int) -> None:
    """A report that goes nowhere (when nothing shows progress)."""


@contextmanager
def silenced() -> Iterator[None]:
    """No progress bar inside this block, even on a terminal (for ``--quiet``)."""
    token = _shown.set(False)
    try:
        yield
    finally:
        _shown.reset(token)


@contextmanager
def reading(label: str, total: int) -> Iterator[Report]:
    """Yield a report of bytes read; a bar appears on stderr if the block lasts over DELAY_S."""
    if not _shown.get() or not sys.stderr.isatty():
        yield ignore
        return
    bar = _DelayedBar(label, total)
    timer = threading.Timer(DELAY_S, bar.start)
    timer.daemon = True
    timer.start()
    try:
        yield bar.report
    finally:
        timer.cancel()
        bar.close()


class CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes have been read from it."""

    def __init__(self, raw: io.BufferedIOBase, report: Report) -> None:
        super().__init__()
        self._raw = raw
        self._report = report
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        count = self._raw.readinto(buffer)
        self._done += count
        self._report(self._done)
        return count


class _DelayedBar:
    """A Rich bar started from a timer thread, unless the read is over by then."""

    def __init__(self, label: str, total: int) -> None:
        self._label = label
        self._total = total
        self._done = 0
        self._lock = threading.Lock()
        self._closed = False
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def report(self, done: int) -> None:
        self._done = done
        progress, task = self._progress, self._task
        if progress is not None and task is not None:
            progress.update(task, completed=done)

    def start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        with self._lock:
            if self._closed:
                return
            progress = Progress(
                TextColumn("reading {task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = progress.add_task(self._label, total=self._total, completed=self._done)
            progress.start()
            self._progress = progress

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()
