"""The `history` command's views: the recorded runs one line each, one programme run by run,
and the same as JSON. They read the runs' JSON reports and compute nothing new."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import Any

from rich.table import Table

from roicli.changes import Report, ReportProgram, read_report
from roicli.enums import Lang, Status
from roicli.errors import UsageError, shorten
from roicli.history import Run
from roicli.i18n import fmt_date, fmt_money, fmt_percent, t, term
from roicli.render.safety import clean
from roicli.rounding import figure, money_float

ON_TRACK = frozenset({Status.ON_TRACK, Status.ACHIEVED})


def _reports(runs: Sequence[Run]) -> list[tuple[Run, Report]]:
    return [(run, read_report(run.report())) for run in runs]


def _currency(run: Run) -> str:
    currency = run.report().get("currency")
    return currency if isinstance(currency, str) else "EUR"


def _on_track(report: Report) -> tuple[int, int]:
    statuses = [o.status for p in report.programs for o in p.objectives]
    return sum(1 for status in statuses if status in ON_TRACK), len(statuses)


def programme_names(runs: Sequence[Run]) -> list[str]:
    """Every programme of every run, in order of first appearance."""
    names: list[str] = []
    for _, report in _reports(runs):
        names += [p.name for p in report.programs if p.name not in names]
    return names


def runs_table(runs: Sequence[Run], lang: Lang) -> Table:
    """One row per run: the as-of date, each programme's ROI % to date, objectives on track."""
    names = programme_names(runs)
    table = Table(title=t("heading.history", lang), title_justify="left")
    table.add_column(t("col.as_of", lang), no_wrap=True)
    for name in names:
        table.add_column(clean(name), justify="right")
    table.add_column(t("col.on_track", lang), justify="right", no_wrap=True)
    table.add_column(t("col.version", lang), no_wrap=True)
    for run, report in _reports(runs):
        roi = {p.name: p.roi_pct for p in report.programs}
        on_track, count = _on_track(report)
        table.add_row(
            fmt_date(report.as_of, lang),
            *(fmt_percent(roi[name], lang) if name in roi else "" for name in names),
            f"{on_track} / {count}",
            clean(run.roicli_version),
        )
    return table


def programme_table(runs: Sequence[Run], name: str, lang: Lang) -> Table:
    """How one programme's ROI to date, benefits and objectives' statuses moved, run by run."""
    rows = _programme_runs(runs, name)
    ids: list[str] = []
    for _, program in rows:
        ids += [o.id for o in program.objectives if o.id not in ids]
    title = t("history.programme", lang).format(name=clean(name))
    table = Table(title=title, title_justify="left")
    table.add_column(t("col.as_of", lang), no_wrap=True)
    table.add_column(t("col.roi_pct", lang), justify="right", no_wrap=True)
    table.add_column(t("col.benefits", lang), justify="right", no_wrap=True)
    for objective in ids:
        table.add_column(clean(objective))
    for run, program in rows:
        statuses = {o.id: o.status for o in program.objectives}
        table.add_row(
            fmt_date(run.as_of, lang),
            fmt_percent(program.roi_pct, lang),
            fmt_money(program.benefits, _currency(run), lang),
            *(term(statuses[i], lang) if i in statuses else "" for i in ids),
        )
    return table


def runs_json(runs: Sequence[Run], *, path: str, config: str) -> str:
    """The runs as JSON: where each came from (inputs' SHA-256) and its headline figures."""
    items = []
    for run, report in _reports(runs):
        on_track, count = _on_track(report)
        items.append(
            {
                "as_of": report.as_of.isoformat(),
                "recorded_at": run.recorded_at,
                "roicli_version": run.roicli_version,
                "config_sha256": run.config_sha256,
                "inputs": [{"path": p, "sha256": digest} for p, digest in run.inputs],
                "programs": [
                    {
                        "name": p.name,
                        "roi_pct": figure(p.roi_pct),
                        "benefits": money_float(p.benefits),
                    }
                    for p in report.programs
                ],
                "objectives": count,
                "on_track": on_track,
            }
        )
    return _dump({"history": path, "config": config, "runs": items})


def programme_json(runs: Sequence[Run], name: str) -> str:
    """One programme run by run as JSON."""
    items = [
        {
            "as_of": run.as_of.isoformat(),
            "roi_pct": figure(program.roi_pct),
            "benefits": money_float(program.benefits),
            "objectives": {o.id: o.status.value for o in program.objectives},
        }
        for run, program in _programme_runs(runs, name)
    ]
    return _dump({"programme": name, "runs": items})


def _programme_runs(runs: Sequence[Run], name: str) -> list[tuple[Run, ReportProgram]]:
    """The runs that hold the programme, with its part of each; an unknown name is a
    UsageError with the names recorded."""
    rows = [
        (run, program)
        for run, report in _reports(runs)
        for program in report.programs
        if program.name == name
    ]
    if rows:
        return rows
    names = programme_names(runs)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {shorten(close[0])!r}?)" if close else ""
    listed = ", ".join(repr(shorten(n)) for n in names) or "none"
    raise UsageError(
        f"--programme: no programme {shorten(name)!r} in the recorded runs{hint}",
        fix=f"choose one of {listed}",
    )


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
