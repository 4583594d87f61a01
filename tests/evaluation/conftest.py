"""Helpers for the evaluation tests: the real exports folder, evaluations built literally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roicli.evaluation.config import Evaluation
from roicli.evaluation.model import EvaluationData
from roicli.evaluation.privacy import Pseudonymiser
from roicli.evaluation.read import read_evaluation

REALDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata" / "evaluations"
PSEUDONYMISE = Pseudonymiser(b"a fixed key for the tests only", stable=True)


def evaluation(path: Path, **settings: Any) -> Evaluation:
    """A validated Evaluation; level reaction and moment after unless given."""
    settings.setdefault("level", "reaction")
    settings.setdefault("moment", "after")
    return Evaluation.model_validate({"path": path, **settings})


def read(path: Path, **settings: Any) -> EvaluationData:
    """An evaluation file read with the tests' fixed pseudonymisation key."""
    return read_evaluation(evaluation(path, **settings), PSEUDONYMISE)


@pytest.fixture
def realdata() -> Path:
    """The real evaluation exports; tests using it skip when the folder is absent (CI clone)."""
    if not REALDATA.is_dir():
        pytest.skip(f"the real exports folder {REALDATA} is not present")
    return REALDATA.resolve()
