"""Reading a run's evaluation files: one pseudonymiser for the run, each file as one version.

Each file's SHA-256 is taken before and after it is read: a file that changes meanwhile stops
the run (as a data source does), so the digest in the audit and the history is that of the
very bytes the figures rest on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from roicli.config import Config
from roicli.enums import Level
from roicli.errors import DataError, Location
from roicli.evaluation.config import Evaluation, Moment, Tool
from roicli.evaluation.model import EvaluationData
from roicli.evaluation.privacy import pseudonymiser


@dataclass(frozen=True)
class EvaluationAudit:
    """What was read from one evaluation file, for the audit and the run history."""

    program: str
    title: str
    path: str
    sha256: str  # of the file's bytes
    level: Level
    moment: Moment
    tool: Tool
    responses: int  # rows (or learners) read


@dataclass(frozen=True)
class LoadedEvaluations:
    """Every programme's evaluation files read, in the config's order, and their audits."""

    data: tuple[tuple[EvaluationData, ...], ...] = ()  # per programme
    audits: tuple[EvaluationAudit, ...] = ()


def load_evaluations(config: Config, environ: Mapping[str, str] | None = None) -> LoadedEvaluations:
    """Read every programme's evaluations under one pseudonymiser (a random key unless
    ``ROICLI_PSEUDONYM_KEY`` is set); nothing is read when no programme has any."""
    if not any(program.evaluations for program in config.programs):
        return LoadedEvaluations()
    from roicli.evaluation.read import read_evaluation

    pseudonymise = pseudonymiser(environ)
    data: list[tuple[EvaluationData, ...]] = []
    audits: list[EvaluationAudit] = []
    for program in config.programs:
        read: list[EvaluationData] = []
        for evaluation in program.evaluations:
            before = _sha256(evaluation.path)
            found = read_evaluation(evaluation, pseudonymise)
            if _sha256(evaluation.path) != before:
                raise DataError(
                    "changed while it was read",
                    location=Location(evaluation.path),
                    fix="run again when the export is complete",
                )
            read.append(found)
            audits.append(_audit(program.name, evaluation, found, before))
        data.append(tuple(read))
    return LoadedEvaluations(tuple(data), tuple(audits))


def _audit(
    program: str, evaluation: Evaluation, found: EvaluationData, sha256: str
) -> EvaluationAudit:
    return EvaluationAudit(
        program=program,
        title=evaluation.title,
        path=str(evaluation.path),
        sha256=sha256,
        level=evaluation.level,
        moment=evaluation.moment,
        tool=evaluation.tool,
        responses=len(found.responses),
    )


def _sha256(path: Path) -> str:
    """The file's digest; a missing file is left to the reader's own message."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""
