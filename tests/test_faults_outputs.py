"""Fault injection on report files, `roicli init`, signals and standard output: each case is
an exact one-line error (exit 2) or the right behaviour, never a mix of new and previous files."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import copy_example
from tests.render.conftest import build_analysis
from typer.testing import CliRunner, Result

from roicli.cli import app
from roicli.enums import Lang
from roicli.errors import UsageError
from roicli.model import Analysis
from roicli.outputs import PAUSE_VARIABLE, STALE_SECONDS, write_outputs

ROICLI = Path(sys.executable).with_name("roicli")
AS_OF = "2026-10-31"
JSON_TEXT = '{"roicli_version": "0.1.0"}\n'
PREVIOUS = {"a.xlsx": b"previous a", "b.html": b"previous b", "c.json": b"previous c"}
STDOUT_FULL = (
    "roicli: error: cannot write to standard output: No space left on device "
    "(free space on the disk it goes to, or send it elsewhere)\n"
)
DEV_FULL = Path("/dev/full")

runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args], env={"COLUMNS": "160"})


@pytest.fixture
def project(tmp_path: Path, repo: Path) -> Path:
    """A copy of the bundled example."""
    return copy_example(tmp_path)


@pytest.fixture
def analysis() -> Analysis:
    return build_analysis()


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A folder holding a previous a.xlsx, b.html and c.json."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, data in PREVIOUS.items():
        (folder / name).write_bytes(data)
    return folder


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _tree(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


# --- init never writes through a symlink ----------------------------------------------------


def test_init_refuses_a_dangling_symlink_then_force_replaces_the_link(
    tmp_path: Path, repo: Path
) -> None:
    target = tmp_path / "project"
    (target / "configs").mkdir(parents=True)
    outside = tmp_path / "outside.yaml"
    link = target / "configs" / "roicli.yaml"
    link.symlink_to(outside)

    refused = invoke("init", target)

    assert refused.exit_code == 2
    assert refused.stderr == (
        f"roicli: error: {link}: a symbolic link (to {outside}); init does not write through "
        "links (use --force to replace the link itself)\n"
    )
    assert not outside.exists()
    assert _tree(target) == ["configs", "configs/roicli.yaml"]

    forced = invoke("init", target, "--force")

    assert forced.exit_code == 0, forced.output
    assert not outside.exists()
    assert not link.is_symlink()
    assert link.read_bytes() == (repo / "configs" / "roicli.yaml").read_bytes()
    assert [name for name in _tree(target) if name.endswith(".tmp")] == []


def test_init_force_replaces_a_symlinked_sample_file_not_what_it_points_to(
    tmp_path: Path, repo: Path
) -> None:
    target = tmp_path / "project"
    (target / "sample_data").mkdir(parents=True)
    precious = tmp_path / "precious.csv"
    precious.write_bytes(b"precious\n")
    link = target / "sample_data" / "estimates.csv"
    link.symlink_to(precious)

    result = invoke("init", target, "--force")

    assert result.exit_code == 0, result.output
    assert precious.read_bytes() == b"precious\n"
    assert not link.is_symlink()
    assert link.read_bytes() == (repo / "sample_data" / "estimates.csv").read_bytes()


def test_init_refuses_a_symlinked_folder_even_with_force(tmp_path: Path) -> None:
    target = tmp_path / "project"
    target.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (target / "sample_data").symlink_to(elsewhere)

    result = invoke("init", target, "--force")

    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: {target / 'sample_data'}: a symbolic link (to {elsewhere}); init does "
        "not write through links (remove the link, or choose another folder)\n"
    )
    assert _tree(target) == ["sample_data"]
    assert list(elsewhere.iterdir()) == []


def test_init_onto_a_file_is_a_usage_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"mine\n")

    result = invoke("init", notes)

    assert result.exit_code == 2
    assert (
        result.stderr == f"roicli: error: {notes}: not a folder (choose a folder for the project)\n"
    )
    assert notes.read_bytes() == b"mine\n"


def test_init_that_cannot_write_a_file_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: str | Path, target: str | Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = invoke("init", tmp_path)

    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: cannot write {tmp_path / 'configs' / 'roicli.yaml'}: Permission denied "
        "(choose a writable folder)\n"
    )
    assert _tree(tmp_path) == ["configs"]


# --- several outputs are replaced all together or not at all --------------------------------


def test_a_rename_failing_midway_puts_the_renamed_reports_back(
    project: Path, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "b.html":
            raise PermissionError(errno.EACCES, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    outputs = [reports / name for name in PREVIOUS]
    result = invoke("report", "-c", project, "--as-of", AS_OF, "-q", *_each("-o", outputs))

    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: cannot write {reports / 'b.html'}: Permission denied "
        "(choose a writable output path)\n"
    )
    assert _contents(reports) == PREVIOUS  # a.xlsx was renamed, then put back


def test_without_hard_links_the_previous_file_is_copied_aside(
    analysis: Analysis, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "c.json":
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(UsageError, match=r"c\.json: Input/output error"):
        write_outputs(analysis, [reports / n for n in PREVIOUS], lang=Lang.EN, json_text=JSON_TEXT)
    assert _contents(reports) == PREVIOUS


def test_ctrl_c_during_the_renames_is_deferred_then_undoes_them(
    analysis: Analysis, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def interrupted_replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "b.html":
            signal.raise_signal(signal.SIGINT)  # Ctrl-C between two renames
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(analysis, [reports / n for n in PREVIOUS], lang=Lang.EN, json_text=JSON_TEXT)
    assert _contents(reports) == PREVIOUS


def test_sigterm_mid_commit_exits_143_with_the_previous_reports(
    project: Path, reports: Path, tmp_path: Path
) -> None:
    flag = tmp_path / "paused"
    outputs = [reports / name for name in PREVIOUS]
    process = subprocess.Popen(
        [ROICLI, "report", "-c", project, "--as-of", AS_OF, "-q", *_each("-o", outputs)],
        env={**os.environ, PAUSE_VARIABLE: str(flag)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert (reports / "a.xlsx").read_bytes()[:2] == b"PK"  # renamed: the run is mid-commit
        process.send_signal(signal.SIGTERM)
        flag.unlink()
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 143
    assert (stdout, stderr) == (b"", b"roicli: terminated\n")
    assert _contents(reports) == PREVIOUS  # and no temporary file is left


# --- folders, temporary names and leftovers -------------------------------------------------


def test_temporaries_of_killed_runs_are_removed_and_others_kept(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = ".roi.json.4999999.0123abcd.tmp"  # above Linux's largest pid: never alive
    alive = f".roi.json.{os.getppid()}.89abcdef.tmp"
    others = [
        ".roi.json.tmp",
        ".roi.json.4999999.xyz.tmp",
        ".other.json.4999999.0123abcd.tmp",
        "roi.json.4999999.0123abcd.tmp",
    ]
    for name in [dead, alive, *others]:
        (tmp_path / name).write_bytes(b"x" * 1000)

    write_outputs(analysis, [tmp_path / "roi.json"], lang=Lang.EN, json_text=JSON_TEXT)

    assert sorted(os.listdir(tmp_path)) == sorted([alive, *others, "roi.json"])

    later = time.time() + STALE_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
    write_outputs(analysis, [tmp_path / "roi.json"], lang=Lang.EN, json_text=JSON_TEXT)

    assert sorted(os.listdir(tmp_path)) == sorted([*others, "roi.json"])


@pytest.mark.parametrize("name", ["r" * 250 + ".json", "é" * 125 + ".json"])
def test_a_255_byte_file_name_is_written(analysis: Analysis, tmp_path: Path, name: str) -> None:
    assert len(name.encode()) == 255
    write_outputs(analysis, [tmp_path / name], lang=Lang.EN, json_text=JSON_TEXT)
    assert _contents(tmp_path) == {name: JSON_TEXT.encode()}


def test_a_folder_another_run_makes_meanwhile_is_used_and_kept(
    analysis: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = Path.mkdir

    def racing_mkdir(path: Path, mode: int = 0o777, parents: bool = False) -> None:
        real_mkdir(path)  # the other cron run wins the race
        real_mkdir(path, mode, parents)

    monkeypatch.setattr(Path, "mkdir", racing_mkdir)
    write_outputs(analysis, [tmp_path / "new" / "roi.json"], lang=Lang.EN, json_text=JSON_TEXT)
    assert (tmp_path / "new" / "roi.json").read_text() == JSON_TEXT

    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(UsageError, match="Not a directory"):
        write_outputs(
            analysis,
            [tmp_path / "other" / "roi.json", tmp_path / "data.csv" / "roi.json"],
            lang=Lang.EN,
            json_text=JSON_TEXT,
        )
    assert (tmp_path / "other").is_dir()  # the other run's folder, not this run's to remove


def test_an_output_that_is_a_symlink_loop_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop.name)

    result = invoke("report", "-c", project, "--as-of", AS_OF, "-q", "-o", loop)

    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: cannot write {loop}: Too many levels of symbolic links "
        "(choose a writable output path)\n"
    )
    assert os.readlink(loop) == loop.name


def test_a_folder_name_over_255_bytes_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    output = tmp_path / ("d" * 256) / "roi.json"

    result = invoke("report", "-c", project, "--as-of", AS_OF, "-q", "-o", output)

    assert result.exit_code == 2
    assert result.stderr == (
        f"roicli: error: cannot write {output}: File name too long "
        "(choose a writable output path)\n"
    )


# --- standard output ------------------------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full")


@needs_dev_full
@pytest.mark.parametrize("shown", [[], ["--format", "json"]], ids=["dashboard", "json"])
def test_report_to_a_full_disk_is_one_line_after_the_files(
    project: Path, tmp_path: Path, shown: list[str]
) -> None:
    output = tmp_path / "roi.json"
    with DEV_FULL.open("wb") as full:
        result = subprocess.run(
            [ROICLI, "report", "-c", project, "--as-of", AS_OF, *shown, "-o", output],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.decode() == STDOUT_FULL
    assert json.loads(output.read_text(encoding="utf-8"))["as_of"] == AS_OF


@needs_dev_full
@pytest.mark.parametrize(
    "args", [["--version"], ["kpis", "list"], ["kpis", "suggest", "reduce the cost per lead"]]
)
def test_other_commands_on_a_full_disk_are_one_line(args: list[str]) -> None:
    with DEV_FULL.open("wb") as full:
        result = subprocess.run(
            [ROICLI, *args], stdout=full, stderr=subprocess.PIPE, timeout=120, check=False
        )
    assert result.returncode == 2
    assert result.stderr.decode() == STDOUT_FULL


def test_a_stdout_that_cannot_encode_the_euro_is_switched_to_utf8(project: Path) -> None:
    result = subprocess.run(
        [ROICLI, "report", "-c", project, "--as-of", AS_OF],
        env={**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "160"},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    dashboard = result.stdout.decode("utf-8")
    assert dashboard.startswith("roicli report · as of 31 Oct 2026")
    assert "€" in dashboard


def _each(option: str, paths: list[Path]) -> list[str | Path]:
    return [item for path in paths for item in (option, path)]
