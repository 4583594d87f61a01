"""Loading a whole project from disk: the config, its data sources and estimates files."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from roicli.config import LoadedConfig, load_config
from roicli.enums import Isolation
from roicli.errors import DataError, Location
from roicli.model import EstimateRow

if TYPE_CHECKING:
    from roicli.ingest import Dataset


@dataclass(frozen=True)
class Project:
    """Everything read from disk for one run; the analysis works on this and nothing else."""

    loaded: LoadedConfig
    config_sha256: str
    dataset: Dataset
    estimates: Mapping[str, tuple[EstimateRow, ...]]


def load_project(path: Path, *, skip_bad_rows: bool = False) -> Project:
    """Read and validate the config, every source and every estimates file."""
    from roicli.ingest import load_sources

    loaded = load_config(path)
    config = loaded.config
    dataset = load_sources(config.sources, config.kpis, skip_bad_rows=skip_bad_rows)
    _check_used_kpis_found(loaded, dataset)
    return Project(
        loaded=loaded,
        config_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        dataset=dataset,
        estimates=_estimates(loaded),
    )


def _estimates(loaded: LoadedConfig) -> dict[str, tuple[EstimateRow, ...]]:
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
            if kpi is None or kpi not in loaded.config.kpis or kpi in found:
                continue
            raise DataError(
                f"KPI {kpi!r} is used by objective {objective.id!r} but found in no source",
                location=Location(loaded.path),
                field=f"programs[{index}].objectives[{position}].kpi",
                fix="add a source that holds it, or add the name used in the export to the "
                "KPI's aliases",
            )
