"""The ``evaluations:`` of a programme: participant-level evidence files and how to read them.

Kept apart from ``roicli.config`` (which imports this module) so that the evaluation package
stays one place; the base settings are the same: frozen, unknown keys refused.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from roicli.enums import Level

MAX_HEADER_ROWS = 10
MAX_SCORE = 1e9


class Moment(StrEnum):
    """When an evaluation is collected, relative to the training."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    FOLLOW_UP = "follow_up"


class Tool(StrEnum):
    """The tool that wrote an evaluation file: it decides the reader's defaults (its preset)."""

    GOOGLE_FORMS = "google_forms"
    MICROSOFT_FORMS = "microsoft_forms"
    SURVEYMONKEY = "surveymonkey"
    QUALTRICS = "qualtrics"
    LIMESURVEY = "limesurvey"
    TYPEFORM = "typeform"
    MOODLE = "moodle"
    CANVAS = "canvas"
    XAPI = "xapi"
    GENERIC = "generic"


EVALUATED_LEVELS = (Level.REACTION, Level.LEARNING, Level.APPLICATION)


def _evaluated_level(value: Any) -> Any:
    """Kirkpatrick's "behavior" for application, as for KPIs; only levels 1 to 3 here."""
    from roicli.config import LEVEL_ALIASES  # roicli.config imports this module

    if isinstance(value, str):
        value = LEVEL_ALIASES.get(value.strip().lower(), value.strip().lower())
    if value not in {level.value for level in EVALUATED_LEVELS} and value not in EVALUATED_LEVELS:
        allowed = ", ".join(repr(level.value) for level in EVALUATED_LEVELS)
        raise ValueError(f"expected one of {allowed}, got {value!r}")
    return value


EvaluatedLevel = Annotated[
    Level,
    BeforeValidator(_evaluated_level),
    WithJsonSchema({"enum": [*(level.value for level in EVALUATED_LEVELS), "behavior"]}),
]
# A column: its label (a code such as Q3, its cleaned text) or its 1-based position.
ColumnRef = Annotated[str | int, Field(union_mode="left_to_right")]


def _positive_position(value: str | int) -> str | int:
    if isinstance(value, int) and value < 1:
        raise ValueError(f"column positions start at 1, got {value}")
    if isinstance(value, str) and not value.strip():
        raise ValueError("a column label cannot be empty")
    return value


Column = Annotated[ColumnRef, AfterValidator(_positive_position)]


def _pass_mark(value: Any) -> Any:
    """A pass mark in the score's units (70) or as a share of the maximum ("70%")."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return {"share": float(value.strip()[:-1].replace(",", ".")) / 100}
        except ValueError:
            return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"points": value}
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class PassMark(_Model):
    """The lowest passing score: in points, or as a share of the maximum."""

    points: float | None = Field(default=None, ge=-MAX_SCORE, le=MAX_SCORE, allow_inf_nan=False)
    share: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_form(self) -> PassMark:
        if (self.points is None) == (self.share is None):
            raise ValueError('give a pass mark as a score (70) or a share of the maximum ("70%")')
        return self

    def threshold(self, maximum: float | None) -> float | None:
        """The pass mark in points; None when a share is given and the maximum is unknown."""
        if self.points is not None:
            return self.points
        return None if maximum is None or self.share is None else self.share * maximum


PassMarkField = Annotated[
    PassMark,
    BeforeValidator(_pass_mark),
    WithJsonSchema({"oneOf": [{"type": "number"}, {"type": "string", "pattern": r"%\s*$"}]}),
]


class Evaluation(_Model):
    """One evaluation file of a programme: a survey, a test, a follow-up or LMS records.

    The ``tool`` preset says where the header, the timestamp and the respondent are; every
    setting below overrides it. Columns are named by label (a code such as ``Q3``, or the
    header's text once cleaned of HTML and spaces) or by position (1 = the first column).
    """

    path: Path
    level: EvaluatedLevel
    moment: Moment
    tool: Tool = Tool.GENERIC
    name: str | None = Field(default=None, min_length=1, max_length=200)
    sheet: str | int | None = None
    header_rows: int | None = Field(default=None, ge=1, le=MAX_HEADER_ROWS)
    timestamp: Column | None = None
    respondent: Column | None = None  # the participant key: e-mail, id or name; pseudonymised
    group: Column | None = None
    questions: tuple[Column, ...] = ()  # default: every answer column
    personal: tuple[Column, ...] = ()  # questions answered with people's names: counts only
    score: Column | None = None  # a test's score column
    max_score: float | None = Field(default=None, gt=0, le=MAX_SCORE, allow_inf_nan=False)
    scale: str | dict[str, float] | None = None  # a built-in scale's name, or label: score
    pass_mark: PassMarkField | None = None

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str | dict[str, float] | None) -> str | dict[str, float] | None:
        from roicli.evaluation.scales import check_scale_setting

        return check_scale_setting(value)

    @model_validator(mode="after")
    def _consistent(self) -> Evaluation:
        if self.tool is Tool.XAPI and (
            self.header_rows or self.questions or self.sheet or self.personal
        ):
            raise ValueError("xAPI statements have no header_rows, sheet, questions or personal")
        if self.pass_mark is not None and self.level is not Level.LEARNING:
            raise ValueError("pass_mark is for a learning test (level: learning)")
        mark = self.pass_mark
        if mark and mark.share is not None and self.max_score is None and self.score is not None:
            raise ValueError('a pass mark in percent ("70%") needs max_score')
        if (
            mark is not None
            and mark.points is not None
            and self.max_score is not None
            and mark.points > self.max_score
        ):
            raise ValueError(f"pass_mark {mark.points:g} is above max_score {self.max_score:g}")
        return self

    @property
    def title(self) -> str:
        """How the evaluation is named in figures and messages: its name, else its file name."""
        return self.name or self.path.name
