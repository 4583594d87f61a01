"""Loading a whole project from disk: the config, its data sources and estimates files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from roicli.config import LoadedConfig, load_config, reference_error
from roicli.enums import Isolation
from roicli.errors import DataError, Location, shorten
from roicli.model import EstimateInput

if TYPE_CHECKING:
    from roicli.daytable import DayTable
    from roicli.evaluation.load import LoadedEvaluations
    from roicli.ingest import Dataset

_LISTED = 20  # groups named in an error before "… and N more"
_BLOCK = 1 << 20  # rows read at a time when collecting each KPI's groups


@dataclass(frozen=True)
class Project:
    """Everything read from disk for one run; the analysis works on this and nothing else."""

    loaded: LoadedConfig
    config_sha256: str
    dataset: Dataset
    estimates: Mapping[str, tuple[EstimateInput, ...]]
    evaluations: LoadedEvaluations | None = None  # None: no programme has evaluations


def load_project(path: Path, *, skip_bad_rows: bool = False, as_of: date | None = None) -> Project:
    """Read and validate the config, every source, estimates file and evaluation file (a
    database source's days up to ``as_of``)."""
    from roicli.ingest import load_sources

    loaded = load_config(path)
    config = loaded.config
    dataset = load_sources(
        config.sources,
        config.kpis,
        skip_bad_rows=skip_bad_rows,
        as_of=as_of,
        base=loaded.base_dir,
    )
    _check_used_kpis_found(loaded, dataset)
    _check_groups(path, loaded, dataset.table)
    return Project(
        loaded=loaded,
        config_sha256=loaded.sha256,
        dataset=dataset,
        estimates=_estimates(loaded),
        evaluations=_evaluations(loaded),
    )


def _evaluations(loaded: LoadedConfig) -> LoadedEvaluations | None:
    """Every programme's evaluation files, read under one pseudonymiser for the run."""
    if not any(program.evaluations for program in loaded.config.programs):
        return None
    from roicli.evaluation.load import load_evaluations

    return load_evaluations(loaded.config)


def _estimates(loaded: LoadedConfig) -> dict[str, tuple[EstimateInput, ...]]:
    """The rows of each estimates objective's file."""
    files = {
        objective.id: objective.estimates
        for program in loaded.config.programs
        for objective in program.objectives
        if objective.isolation is Isolation.ESTIMATES and objective.estimates is not None
    }
    if not files:
        return {}
    from roicli.estimates import read_estimates  # imports pandas: only when there are some

    return {key: read_estimates(path) for key, path in files.items()}


def found_kpis(loaded: LoadedConfig, dataset: Dataset) -> set[str]:
    """Configured KPIs present in some source (a ratio when both of its parts are)."""
    found = {kpi for audit in dataset.audits for kpi in audit.kpis}
    for key, kpi in loaded.config.kpis.items():
        if kpi.ratio and {kpi.ratio.numerator, kpi.ratio.denominator} <= found:
            found.add(key)
    return found


def _check_used_kpis_found(loaded: LoadedConfig, dataset: Dataset) -> None:
    found = found_kpis(loaded, dataset)
    for index, program in enumerate(loaded.config.programs):
        for position, objective in enumerate(program.objectives):
            kpi = objective.kpi
            if kpi is None or kpi in found:
                continue
            raise DataError(
                f"KPI {kpi!r} is used by objective {objective.id!r} but found in no source",
                location=Location(loaded.path),
                field=f"programs[{index}].objectives[{position}].kpi",
                fix="add a source that holds it, or add the name used in the export to the "
                "KPI's aliases",
            )


def _check_groups(path: Path, loaded: LoadedConfig, table: DayTable) -> None:
    """Each objective's group and control group is a group the data has for its KPI.

    An objective whose KPI has no data at all is left to its "no data" status.
    """
    named = [
        (("programs", index, "objectives", position, key), objective.kpi, group)
        for index, program in enumerate(loaded.config.programs)
        for position, objective in enumerate(program.objectives)
        for key, group in (("group", objective.group), ("control_group", objective.control_group))
        if objective.kpi and group
    ]
    if not named:
        return
    found = _groups_by_kpi(loaded, table)
    for loc, kpi, group in named:
        groups = found.get(kpi)
        if groups is None or group in groups:
            continue
        listed = ", ".join(repr(shorten(name)) for name in groups[:_LISTED]) or "none"
        if len(groups) > _LISTED:
            listed += f", … and {len(groups) - _LISTED} more"
        raise reference_error(
            path,
            loaded.lines,
            loc,
            f"no group {shorten(group)!r} in the data for {kpi}",
            name=group,
            choices=groups,
            details=f"; groups found: {listed}",
            fix="fix the name, or check the source's group column",
        )


def _groups_by_kpi(loaded: LoadedConfig, table: DayTable) -> dict[str, list[str]]:
    """The named groups of each KPI that has rows, sorted; a ratio has those of both parts."""
    import numpy as np

    width = len(table.group_names)
    seen = np.zeros(len(table.kpi_names) * width, dtype=np.bool_)
    for start in range(0, len(table), _BLOCK):  # a block at a time: no row-sized 64-bit copy
        cell = table.kpi[start : start + _BLOCK].astype(np.int64) * width
        seen[cell + table.group[start : start + _BLOCK]] = True
    rows = seen.reshape(len(table.kpi_names), width).tolist()
    with_rows = {
        kpi: {group for group, there in zip(table.group_names, row, strict=True) if there}
        for kpi, row in zip(table.kpi_names, rows, strict=True)
        if any(row)
    }
    found = dict(with_rows)
    for key, definition in loaded.config.kpis.items():
        ratio = definition.ratio
        if ratio and {ratio.numerator, ratio.denominator} <= with_rows.keys():
            found[key] = with_rows[ratio.numerator] & with_rows[ratio.denominator]
    return {kpi: sorted(filter(None, groups)) for kpi, groups in found.items()}
