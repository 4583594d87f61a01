"""The progress bar for long reads: silent off a terminal, with --quiet, and for short reads."""

from __future__ import annotations

import io
import sys

import pytest

from roicli import progress_bar
from roicli.progress_bar import CountingReader, ignore, reading, silenced


def test_off_a_terminal_nothing_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    with reading("big.csv", 100) as report:
        assert report is ignore
        report(50)
    assert capsys.readouterr().err == ""


def test_silenced_shows_nothing_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with silenced(), reading("big.csv", 100) as report:
        assert report is ignore


def test_a_short_read_on_a_terminal_ends_before_any_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(progress_bar, "DELAY_S", 60.0)
    with reading("small.csv", 100) as report:
        assert report is not ignore
        report(100)
    assert capsys.readouterr().err == ""


def test_counting_reader_reports_the_bytes_read_so_far() -> None:
    seen: list[int] = []
    reader = io.BufferedReader(CountingReader(io.BytesIO(b"x" * 10), seen.append), buffer_size=4)
    assert reader.read() == b"x" * 10
    assert seen[-1] == 10
    assert seen == sorted(seen)
