"""Faults in how sources and the config are read: a file that changes while it is read, a
config from a pipe, a source whose every row is skipped.

Each fault ends in exit 2 and one exact stderr line, or in the figures computed by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from roicli.cli import app
from roicli.ingest import csvread, csvtyped, excel, load
from roicli.yamlsafe import MAX_CONFIG_BYTES, read_config

ROICLI = Path(sys.executable).parent / "roicli"
ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "160", "LANG": "C.UTF-8"}
CHANGED = "changed while it was read (run again when the export is complete)"
# Sessions: January 100, February 50.
CSV = b"Date,Metric,Value\n2026-01-10,Sessions,100\n2026-02-10,Sessions,50\n"
OTHER = b"Date,Metric,Value\n2026-01-10,Sessions,900\n2026-02-10,Sessions,90\n"  # same size
CONFIG = """\
version: 1
currency: EUR
sources:
  - path: {source}
    layout: long
    columns: {{date: Date, kpi: Metric, value: Value}}
kpis:
  sessions: {{label: Sessions, direction: increase, aggregation: sum}}
programs:
  - name: SEO
    start: 2026-03-01
    participants: 2
    costs:
      - {{item: Workshops, category: delivery, amount: 1000}}
    objectives:
      - id: seo
        title: Increase sessions by 20% by applying the SEO techniques taught
        kpi: sessions
        baseline: {{from: 2026-01, to: 2026-02}}
        target: {{change: "+20%"}}
        deadline: 2026-06-30
"""
runner = CliRunner()


def project(tmp_path: Path, name: str = "data.csv", data: bytes = CSV) -> Path:
    """A one-source project; the config's path."""
    (tmp_path / name).write_bytes(data)
    config = tmp_path / "roicli.yaml"
    config.write_text(CONFIG.format(source=name), encoding="utf-8")
    return config


def run(config: Path, *extra: str) -> tuple[int, str, str]:
    args = ["report", "-c", str(config), "--format", "json", "--as-of", "2026-06-30", *extra]
    result = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


def wrapped(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, before: Callable[[], None]
) -> None:
    """Make ``module.name`` call ``before`` first, then do what it did."""
    original = getattr(module, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        before()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, call)


def rewrite(path: Path, data: bytes) -> Callable[[], None]:
    """Write ``data`` over ``path`` in place (as ``cp new.csv data.csv`` does)."""

    def apply() -> None:
        with path.open("r+b") as handle:
            handle.truncate(0)
            handle.write(data)

    return apply


def replace(path: Path, data: bytes) -> Callable[[], None]:
    """Replace ``path`` by a new file through a rename (as exporters that write safely do)."""

    def apply() -> None:
        fresh = path.with_name("fresh" + path.suffix)
        fresh.write_bytes(data)
        os.replace(fresh, path)

    return apply


def test_an_unchanged_source_is_hashed_as_read(tmp_path: Path) -> None:
    code, out, _ = run(project(tmp_path))
    assert code == 0
    audit = json.loads(out)["audit"]["sources"][0]
    assert audit["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert audit["detected"]["reader"] == "pyarrow"


def test_a_source_rewritten_while_pyarrow_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path)
    data = tmp_path / "data.csv"
    wrapped(monkeypatch, csvtyped, "_arrow_read", rewrite(data, OTHER[:40]))
    assert run(config) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def test_a_source_rewritten_while_the_text_reader_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cut file makes the reader fail: the change is blamed, not the half-written row."""
    config = project(tmp_path, data=CSV.replace(b"50", b"5,0"))  # not clean: the text reader
    data = tmp_path / "data.csv"
    wrapped(monkeypatch, csvread, "read_csv", rewrite(data, CSV[:-10]))
    assert run(config) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def test_the_text_reader_parses_the_bytes_the_guard_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the file's times do not show a change (a coarse clock), the digest does."""
    config = project(tmp_path, data=CSV.replace(b"50", b"5,0"))
    data = tmp_path / "data.csv"
    monkeypatch.setattr(load, "_identity", lambda path: (1, 2, 3))
    wrapped(monkeypatch, Path, "read_bytes", rewrite(data, OTHER))  # the text reader's read
    assert run(config) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def test_a_source_replaced_by_a_rename_while_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow would read the new file and the audit hash it too: the rename is caught."""
    config = project(tmp_path)
    data = tmp_path / "data.csv"
    wrapped(monkeypatch, csvtyped, "_arrow_read", replace(data, OTHER))
    assert run(config) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def workbook(path: Path, values: list[float]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Metric", "Value"])
    for month, value in enumerate(values, start=1):
        sheet.append([f"2026-{month:02d}-10", "Sessions", value])
    book.save(path)
    return path.read_bytes()


def test_a_workbook_replaced_while_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path, "data.xlsx", workbook(tmp_path / "data.xlsx", [100, 50]))
    data = tmp_path / "data.xlsx"
    newer = workbook(tmp_path / "newer.xlsx", [900, 90])
    wrapped(monkeypatch, excel, "_open", replace(data, newer))
    assert run(config) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def test_a_source_removed_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project(tmp_path)
    data = tmp_path / "data.csv"
    wrapped(monkeypatch, csvtyped, "_arrow_read", data.unlink)
    code, out, err = run(config)
    assert (code, out, err) == (2, "", f"roicli: error: {data}: {CHANGED}\n")


def test_every_row_skipped_is_named_as_such(tmp_path: Path) -> None:
    config = project(
        tmp_path, data=b"Date,Metric,Value\n2026-01-10,Sessions,abc\n2026-02-10,Sessions,1e999\n"
    )
    assert run(config, "--skip-bad-rows") == (
        2,
        "",
        f"roicli: error: {tmp_path / 'data.csv'}: all 2 rows were skipped as bad rows "
        "(first: row 2, column 'Value': cannot read 'abc' as a number) (fix the export, or "
        "check the source's columns and its decimal, thousands and dayfirst settings)\n",
    )


def test_some_rows_skipped_keep_the_others(tmp_path: Path) -> None:
    config = project(tmp_path, data=CSV + b"2026-03-10,Sessions,abc\n")
    code, out, _ = run(config, "--skip-bad-rows")
    audit = json.loads(out)["audit"]["sources"][0]
    assert (code, audit["rows"], audit["skipped_rows"]) == (0, 2, 1)


def absolute_config(tmp_path: Path) -> bytes:
    (tmp_path / "data.csv").write_bytes(CSV)
    return CONFIG.format(source=tmp_path / "data.csv").encode()


def test_a_config_from_a_pipe_is_hashed_as_read(tmp_path: Path) -> None:
    config = absolute_config(tmp_path)
    done = subprocess.run(
        [str(ROICLI), "report", "-c", "/dev/stdin", "--format", "json", "--as-of", "2026-06-30"],
        input=config,
        capture_output=True,
        timeout=60,
        env=ENV,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    audit = json.loads(done.stdout)["audit"]
    assert audit["config_sha256"] == hashlib.sha256(config).hexdigest()
    assert audit["config_sha256"] != hashlib.sha256(b"").hexdigest()


def test_a_huge_config_from_a_pipe_is_refused_after_the_limit(tmp_path: Path) -> None:
    """1 GiB offered on stdin: roicli stops reading past the limit and exits at once."""
    process = subprocess.Popen(
        [str(ROICLI), "check", "-c", "/dev/stdin"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=ENV,
    )
    assert process.stdin is not None
    assert process.stderr is not None
    sent = 0

    def feed() -> None:
        nonlocal sent
        block = b"# a comment line\n" * (1 << 16)
        try:
            while sent < 1 << 30:
                process.stdin.write(block)  # type: ignore[union-attr]
                sent += len(block)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    start = time.monotonic()
    writer.start()
    err = process.stderr.read().decode()
    code = process.wait(timeout=30)
    elapsed = time.monotonic() - start
    writer.join(timeout=30)
    assert (code, err) == (
        2,
        "roicli: error: /dev/stdin: the config file holds more than the 1,000,000 bytes "
        "allowed (a config holds settings; keep data in the source files)\n",
    )
    assert sent < 64 * MAX_CONFIG_BYTES
    assert elapsed < 10


def test_a_huge_config_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "roicli.yaml"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: 1 GiB that costs no disk
    start = time.monotonic()
    with pytest.raises(Exception, match="is 1,073,741,824 bytes, more than the 1,000,000 allowed"):
        read_config(path)
    assert time.monotonic() - start < 1
