"""The history's part in a report run: what to compare with, read before the analysis is
rendered, and the run recorded once every output is written.

The previous run is the latest recorded run of the config with an earlier as-of date, or what
``--compare-to`` names: a JSON report written by roicli, or the month of a recorded run. A
history that cannot be read or written never stops the report: the run goes on without it and
says why in one warning line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roicli.errors import UsageError, shorten
from roicli.paths import shown_path

if TYPE_CHECKING:
    from roicli.config import LoadedConfig
    from roicli.history import Run
    from roicli.model import Analysis, RunRoi
    from roicli.project import Project

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
MAX_REPORT_BYTES = 256 << 20  # a --compare-to file larger than this is not a roicli report


@dataclass
class HistoryRun:
    """What one report run reads from the history and will record in it."""

    config: str  # the config file's name: one history may hold several configs' runs
    folder: Path  # the config's folder: input paths are recorded relative to it
    path: Path | None  # the history file; None when the run has none
    record: bool  # record this run once its outputs are written
    compare: bool  # add "since last report" to the outputs
    previous: dict[str, Any] | None = None  # the report to compare with
    compared_with: str | None = None  # a --compare-to file's name
    earlier: list[RunRoi] = field(default_factory=list)  # recorded runs before this as-of
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (path, SHA-256) read
    warning: str | None = None  # why the history is not used: it is then not updated


def start(
    project: Project,
    *,
    as_of: date,
    history: Path | None,
    no_history: bool,
    compare_to: str | None,
) -> HistoryRun:
    """Read, before anything is rendered, the run to compare with and the earlier runs' ROI.

    A bad ``--compare-to`` is a UsageError; a history that cannot be read only sets
    ``warning``.
    """
    from roicli.history import HistoryError

    loaded = project.loaded
    path = history_path(loaded, history)
    month = compare_to if compare_to and MONTH.fullmatch(compare_to) else None
    run = HistoryRun(
        config=loaded.path.name,
        folder=loaded.base_dir,
        path=path,
        record=path is not None and not no_history,
        compare=path is not None and (not no_history or month is not None),
    )
    if month is not None and path is None:
        raise UsageError(
            f"--compare-to {month}: the config is not a file, so it has no history beside it",
            fix="give --history PATH, or a JSON report file",
        )
    if compare_to is not None and month is None:
        run.previous, run.compare = _report_file(Path(compare_to)), True
        run.compared_with = shown_path(compare_to)
    if path is None or not (run.record or month is not None):
        return run  # --no-history: the history is read only for a --compare-to month
    if run.record:
        run.inputs = _estimates_inputs(project)
    try:
        _read(run, as_of, month)
    except HistoryError as exc:
        run.warning = str(exc)
        run.earlier = []
        if month is not None:
            run.compare = False
    return run


def annotate(analysis: Analysis, run: HistoryRun) -> Analysis:
    """The analysis with "since last report" and the ROI across the runs, for the outputs."""
    if not run.compare or (run.warning and run.previous is None):
        return analysis
    from roicli.changes import compare, first_run, run_roi
    from roicli.render.json import to_dict

    current = to_dict(analysis)
    if run.previous is None:
        changes = first_run()
    else:
        changes = compare(run.previous, current, compared_with=run.compared_with)
    runs = (*run.earlier, run_roi(current)) if run.record and not run.warning else ()
    return dataclasses.replace(analysis, changes=changes, runs=runs)


def finish(run: HistoryRun, analysis: Analysis, json_text: str) -> str | None:
    """Record the run, after every output was written; the warning line when it is not."""
    if not run.record or run.path is None:
        return None
    if run.warning is None:
        from roicli.history import HistoryError, record_run

        audit = analysis.audit
        inputs = [
            (_relative(audit.config, run.folder), audit.config_sha256),
            *((_relative(source.path, run.folder), source.sha256) for source in audit.sources),
            *((_relative(item.path, run.folder), item.sha256) for item in audit.evaluations),
            *run.inputs,
        ]
        try:
            record_run(
                run.path,
                config=run.config,
                as_of=analysis.as_of,
                roicli_version=analysis.version,
                config_sha256=audit.config_sha256,
                inputs=inputs,
                report_text=json_text,
            )
        except HistoryError as exc:
            run.warning = str(exc)
    if run.warning is None:
        return None
    return f"roicli: warning: the history was not updated: {run.warning}"


def history_path(loaded: LoadedConfig, explicit: Path | None) -> Path | None:
    """--history, else the config's ``history:``, else ``.roicli/history.sqlite`` beside the
    config file; None for a config that is not a file (a pipe, /dev/stdin)."""
    from roicli.history import default_path

    if explicit is not None:
        return explicit
    if loaded.config.history is not None:
        return loaded.config.history
    return default_path(loaded.path) if loaded.path.is_file() else None


def _read(run: HistoryRun, as_of: date, month: str | None) -> None:
    """The earlier runs' ROI and, unless a file was given, the run to compare with."""
    from roicli.changes import run_roi
    from roicli.history import HistoryError, read_runs

    assert run.path is not None
    runs = read_runs(run.path, run.config)
    try:
        run.earlier = [run_roi(r.report()) for r in runs if r.as_of < as_of]
        if run.previous is None and run.compare:
            chosen = _chosen(runs, as_of, month)
            run.previous = chosen.report() if chosen else None
    except ValueError as exc:  # a stored report that is not JSON or not a report
        raise HistoryError(f"{shown_path(run.path)}: a recorded run cannot be read: {exc}") from exc


def _chosen(runs: list[Run], as_of: date, month: str | None) -> Run | None:
    """The latest run before ``as_of``, or the latest of ``month``."""
    if month is None:
        return next((r for r in reversed(runs) if r.as_of < as_of), None)
    found = next((r for r in reversed(runs) if r.as_of.isoformat()[:7] == month), None)
    if found is None:
        recorded = ", ".join(r.as_of.isoformat() for r in runs) or "none"
        raise UsageError(
            f"--compare-to {month}: no recorded run of that month (recorded: {recorded})",
            fix="choose a month of a recorded run (see 'roicli history'), or a JSON report file",
        )
    return found


def _report_file(path: Path) -> dict[str, Any]:
    """A JSON report written by roicli, checked to hold what the comparison reads."""
    from pydantic import ValidationError

    from roicli.changes import read_report

    def bad(problem: str) -> UsageError:
        return UsageError(
            f"--compare-to {shown_path(path)}: {problem}",
            fix="give a JSON report written by roicli report -o FILE.json, or a month YYYY-MM "
            "of a recorded run",
        )

    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise bad(f"cannot read it: {exc.strerror or exc}") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise bad(f"larger than {MAX_REPORT_BYTES >> 20} MiB, not a roicli report")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise bad(f"not JSON ({shorten(str(exc))})") from None
    if not isinstance(data, dict):
        raise bad("not a roicli JSON report (expected an object)")
    try:
        read_report(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "the report"
        raise bad(f"not a roicli JSON report ({where}: {error['msg'].lower()})") from None
    return data


def _estimates_inputs(project: Project) -> list[tuple[str, str]]:
    """The estimates files' SHA-256 (the sources' are in the audit)."""
    files = sorted(
        {
            objective.estimates
            for program in project.loaded.config.programs
            for objective in program.objectives
            if objective.estimates is not None
        }
    )
    inputs = []
    for path in files:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        inputs.append((_relative(str(path), project.loaded.base_dir), digest))
    return inputs


def _relative(path: str, folder: Path) -> str:
    """A path as the config would write it: relative to the config's folder (a database
    source's URL as it is)."""
    if "://" in path:
        return path
    try:
        return os.path.relpath(os.path.normpath(path), folder)
    except ValueError:  # another drive
        return path
