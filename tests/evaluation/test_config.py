"""The evaluations: settings of a programme, validated and resolved beside the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from roicli.config import load_config
from roicli.enums import Level
from roicli.errors import ConfigError
from roicli.evaluation.config import Evaluation, Moment, Tool
from roicli.evaluation.presets import PRESETS

CONFIG = """\
version: 1
program:
  name: Mentoring
  start: 2026-01-01
  participants: 40
  min_group_size: 8
  evaluations:
    - path: surveys/pre.csv
      level: learning
      moment: before
      tool: surveymonkey
      pass_mark: 70%
      max_score: 20
      score: Total
{extra}"""


def write(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "configs" / "roicli.yaml"
    path.parent.mkdir()
    path.write_text(CONFIG.format(extra=extra), encoding="utf-8")
    return path


def test_paths_resolve_beside_the_config(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path))
    program = loaded.config.programs[0]
    (evaluation,) = program.evaluations
    assert evaluation.path == tmp_path / "configs" / "surveys" / "pre.csv"
    assert (evaluation.level, evaluation.moment, evaluation.tool) == (
        Level.LEARNING,
        Moment.BEFORE,
        Tool.SURVEYMONKEY,
    )
    assert evaluation.pass_mark is not None
    assert evaluation.pass_mark.threshold(20) == 14
    assert (program.min_group_size, program.response_rate_warn) == (8, 0.30)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "      scale: agree\n",
            "roicli.yaml:15: program.evaluations[0].scale: unknown scale 'agree' (did you mean "
            "'agreement'?)",
        ),
        (
            "      moments: after\n",
            "roicli.yaml:15: program.evaluations[0].moments: unknown key 'moments' (did you mean "
            "'moment'?)",
        ),
    ],
)
def test_mistakes_name_their_line(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, extra))
    assert str(caught.value).split("configs/")[-1].startswith(message)


def test_levels_and_kirkpatrick_names() -> None:
    behaviour = Evaluation(path=Path("f.csv"), level="behaviour", moment="follow_up")
    assert behaviour.level is Level.APPLICATION
    with pytest.raises(ValidationError, match="expected one of 'reaction', 'learning'"):
        Evaluation(path=Path("f.csv"), level="impact", moment="after")
    with pytest.raises(ValidationError, match="pass_mark is for a learning test"):
        Evaluation(path=Path("f.csv"), level="reaction", moment="after", pass_mark=3)


def test_every_tool_has_a_preset() -> None:
    assert set(PRESETS) == set(Tool)
