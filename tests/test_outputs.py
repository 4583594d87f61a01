"""Report files: writer choice by suffix, path templates, input protection, atomic writes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from tests.render.conftest import build_analysis

from roicli.enums import Lang
from roicli.errors import UsageError
from roicli.model import Analysis
from roicli.outputs import (
    OutputKind,
    check_outputs,
    expand_template,
    render_output,
    write_atomic,
    write_outputs,
)

JSON_TEXT = '{"roicli_version": "0.1.0"}\n'
AS_OF = date(2026, 6, 30)


@pytest.fixture
def analysis() -> Analysis:
    return build_analysis()


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob("*.tmp"))


# --- writer choice --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(OutputKind))
def test_every_kind_is_chosen_by_its_suffix_and_renders(
    kind: OutputKind, analysis: Analysis
) -> None:
    assert OutputKind.for_path(Path(f"reports/roi.{kind.value}")) is kind
    assert OutputKind.for_path(Path(f"ROI.{kind.value.upper()}")) is kind
    data = render_output(kind, analysis, lang=Lang.FR, json_text=JSON_TEXT)
    assert data


@pytest.mark.parametrize("name", ["roi.pdf", "roi", "roi.xls"])
def test_an_unknown_suffix_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError) as error:
        OutputKind.for_path(Path(name))
    message = str(error.value)
    assert name in message
    assert ".xlsx, .json, .csv, .md, .html" in message
    if name != "roi":
        assert Path(name).suffix in message


def test_csv_is_written_with_a_byte_order_mark(analysis: Analysis) -> None:
    data = render_output(OutputKind.CSV, analysis, lang=Lang.EN, json_text=JSON_TEXT)
    assert data.startswith("\ufeff".encode())
    assert render_output(OutputKind.JSON, analysis, lang=Lang.EN, json_text=JSON_TEXT) == (
        JSON_TEXT.encode()
    )


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("reports/roi-{as_of:%Y-%m}.xlsx", "reports/roi-2026-06.xlsx"),
        ("roi-{as_of}.json", "roi-2026-06-30.json"),
        ("plain.md", "plain.md"),
        ("{{literal}}-{as_of:%Y}.csv", "{literal}-2026.csv"),
    ],
)
def test_templates_expand_the_as_of_date(template: str, expected: str) -> None:
    assert expand_template(template, AS_OF) == Path(expected)


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("roi-{date}.xlsx", "unknown field {date}"),
        ("roi-{}.xlsx", "unknown field {}"),
        ("roi-{0}.xlsx", "unknown field {0}"),
        ("roi-{as_of.year}.xlsx", "unknown field {as_of.year}"),
        ("roi-{as_of.xlsx", "bad output path template"),
        ("roi-}.xlsx", "bad output path template"),
        ("{as_of!r}", "conversions such as !r are not allowed"),
    ],
)
def test_bad_templates_are_usage_errors(template: str, problem: str) -> None:
    with pytest.raises(UsageError, match="bad output path template") as error:
        expand_template(template, AS_OF)
    assert problem in str(error.value)
    assert "{as_of:%Y-%m}" in str(error.value)


# --- protection of inputs -------------------------------------------------------------------


def test_an_output_equal_to_an_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    estimates = tmp_path / "data" / "estimates.csv"
    estimates.parent.mkdir()
    estimates.write_text("participant\n")
    config = tmp_path / "configs" / "roicli.yaml"
    monkeypatch.chdir(tmp_path / "data")
    with pytest.raises(UsageError, match="refusing to write over the input file") as error:
        check_outputs([Path("../data/./estimates.csv")], [config, estimates])
    assert "the input file estimates.csv" in str(error.value)  # as the current folder sees it
    check_outputs([Path("estimates-report.csv")], [config, estimates])


def test_a_symlinked_input_is_recognised(tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text("a,b\n")
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    with pytest.raises(UsageError, match="input file"):
        check_outputs([link], [source])


def test_duplicate_outputs_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="twice"):
        check_outputs([tmp_path / "a.md", tmp_path / "." / "a.md"], [])
    folder = tmp_path / "report.html"
    folder.mkdir()
    with pytest.raises(UsageError, match="folder"):
        check_outputs([folder], [])
    with pytest.raises(UsageError, match=r"\.txt"):
        check_outputs([tmp_path / "a.txt"], [])


# --- atomic writes --------------------------------------------------------------------------


def test_write_atomic_creates_the_folder_and_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "report.md"
    write_atomic(path, "first")
    write_atomic(path, b"second")
    assert path.read_text() == "second"
    assert _leftovers(tmp_path) == []


def test_write_atomic_keeps_the_previous_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.md"
    path.write_text("previous")

    def fail(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "x" * 100_000)
    assert path.read_text() == "previous"
    assert _leftovers(tmp_path) == []


def test_write_atomic_keeps_the_mode_of_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("previous")
    path.chmod(0o640)
    write_atomic(path, "next")
    assert path.stat().st_mode & 0o777 == 0o640


def test_write_outputs_writes_every_kind(analysis: Analysis, tmp_path: Path) -> None:
    paths = [tmp_path / "out" / f"roi.{kind.value}" for kind in OutputKind]
    write_outputs(analysis, paths, lang=Lang.EN, json_text=JSON_TEXT)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    assert openpyxl.load_workbook(tmp_path / "out" / "roi.xlsx").sheetnames[0] == "Summary"
    assert (tmp_path / "out" / "roi.json").read_text() == JSON_TEXT
    assert (tmp_path / "out" / "roi.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _previous_reports(folder: Path) -> list[Path]:
    paths = [folder / "roi.md", folder / "roi.xlsx", folder / "roi.html"]
    for path in paths:
        path.write_text(f"previous {path.suffix}")
    return paths


def test_a_failing_renderer_writes_nothing(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _previous_reports(tmp_path)
    new = tmp_path / "new" / "roi.csv"

    def broken(analysis: Analysis, *, lang: Lang) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr("roicli.render.html.render_html", broken)
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_outputs(analysis, [*paths, new], lang=Lang.EN, json_text=JSON_TEXT)
    assert [path.read_text() for path in paths] == [
        "previous .md",
        "previous .xlsx",
        "previous .html",
    ]
    assert not new.parent.exists()
    assert _leftovers(tmp_path) == []


def test_a_failure_while_writing_keeps_every_previous_file(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _previous_reports(tmp_path)
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync_then_fail(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 2:  # the second staged file is half written when the disk fails
            raise OSError("disk full")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync_then_fail)
    with pytest.raises(UsageError) as error:
        write_outputs(analysis, paths, lang=Lang.EN, json_text=JSON_TEXT)
    assert str(error.value) == f"cannot write {paths[1]}: disk full (choose a writable output path)"
    assert [path.read_text() for path in paths] == [
        "previous .md",
        "previous .xlsx",
        "previous .html",
    ]
    assert _leftovers(tmp_path) == []


def test_a_failing_rename_leaves_no_temporary_file(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _previous_reports(tmp_path)

    def refuse(source: object, target: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UsageError, match=f"cannot write {paths[0]}: read-only"):
        write_outputs(analysis, paths, lang=Lang.EN, json_text=JSON_TEXT)
    assert paths[0].read_text() == "previous .md"
    assert _leftovers(tmp_path) == []


def test_an_output_under_a_file_is_a_usage_error_and_nothing_is_written(
    analysis: Analysis, tmp_path: Path
) -> None:
    paths = _previous_reports(tmp_path)
    blocked = tmp_path / "data.csv" / "reports" / "roi.json"
    (tmp_path / "data.csv").write_text("a,b\n")
    new = tmp_path / "new" / "folder" / "roi.csv"
    with pytest.raises(UsageError) as error:
        write_outputs(analysis, [*paths, new, blocked], lang=Lang.EN, json_text=JSON_TEXT)
    assert str(error.value) == (
        f"cannot write {blocked}: Not a directory (choose a writable output path)"
    )
    assert [path.read_text() for path in paths] == [
        "previous .md",
        "previous .xlsx",
        "previous .html",
    ]
    assert not (tmp_path / "new").exists()  # the folders made for the run are removed again
    assert _leftovers(tmp_path) == []
