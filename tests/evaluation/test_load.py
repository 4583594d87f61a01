"""Reading a run's evaluation files: one version of each file, one key for the run."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from tests.evaluation.test_mentoring_cli import ENV, ROICLI, init

from roicli.config import load_config
from roicli.errors import DataError
from roicli.evaluation import read as reader
from roicli.evaluation.load import load_evaluations
from roicli.evaluation.model import EvaluationData


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init(tmp_path_factory.mktemp("load") / "project")


def test_each_file_read_once_with_its_digest(template: Path) -> None:
    config = load_config(template / "configs/roicli.yaml").config
    loaded = load_evaluations(config, {"ROICLI_PSEUDONYM_KEY": "k" * 16})
    (files,) = loaded.data
    assert [data.title for data in files] == [
        "reaction.csv",
        "pre-test.csv",
        "post-test.csv",
        "follow-up.csv",
    ]
    for audit, evaluation in zip(loaded.audits, config.programs[0].evaluations, strict=True):
        assert audit.sha256 == hashlib.sha256(evaluation.path.read_bytes()).hexdigest()
    # One key for the run: the same e-mail in Google Forms and in Moodle is one pseudonym.
    reaction, pre = files[0], files[1]
    assert {r.participant for r in reaction.responses} < {r.participant for r in pre.responses}


def test_a_file_that_changes_while_it_is_read_stops_the_run(
    template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(template / "configs/roicli.yaml").config
    original = reader.read_evaluation

    def growing(evaluation: Any, pseudonymise: Any) -> EvaluationData:
        found = original(evaluation, pseudonymise)
        if evaluation.path.name == "post-test.csv":
            with evaluation.path.open("a", encoding="utf-8") as file:
                file.write("Participant 9,Late Comer,late@example.com,Submitted,12.00\n")
        return found

    monkeypatch.setattr(reader, "read_evaluation", growing)
    post = template / "sample_data/evaluations/post-test.csv"
    kept = post.read_bytes()
    try:
        with pytest.raises(DataError, match="changed while it was read") as caught:
            load_evaluations(config, {})
    finally:
        post.write_bytes(kept)
    assert caught.value.location is not None
    assert isinstance(caught.value.location.path, Path)
    assert caught.value.location.path.name == "post-test.csv"


def test_a_short_pseudonymisation_key_is_one_line_exit_2(template: Path) -> None:
    import subprocess

    done = subprocess.run(
        [str(ROICLI), "check", "-c", "configs/roicli.yaml", "--as-of", "2026-11-15"],
        cwd=template,
        env={**ENV, "ROICLI_PSEUDONYM_KEY": "short"},
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "roicli: error: $ROICLI_PSEUDONYM_KEY is shorter than 16 characters (set it to a long "
        "random secret (e.g. from 'openssl rand -hex 32'), or unset it)\n"
    )
