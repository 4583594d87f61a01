"""Per-tool defaults of the one evaluation reader: header rows, timestamp, respondent, metadata.

Column names are candidates, compared once cleaned and case-folded; the first one present
(for the respondent: present and not empty) is used. Every setting of an evaluation in the
config overrides its preset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from roicli.evaluation.config import Tool

Completed = Callable[[str], bool]


@dataclass(frozen=True)
class Preset:
    """How one tool writes its export."""

    header_rows: int = 1
    code_row: int | None = None  # the header row holding the tool's question codes
    text_rows: tuple[int, ...] = (0,)  # the header rows joined into a question's text
    filler: frozenset[str] = frozenset()  # header cells saying nothing ("Response", "NA")
    timestamp: tuple[str, ...] = ()
    started: tuple[str, ...] = ()  # when the respondent started: a duration with the timestamp
    duration: tuple[str, ...] = ()  # a column of seconds taken
    respondent: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    score: tuple[str, ...] = ()
    max_score: tuple[str, ...] = ()  # a column of each row's maximum
    completed: tuple[tuple[str, Completed], ...] = ()
    metadata: tuple[str, ...] = ()  # regular expressions (full match) of columns never asked
    missing: frozenset[str] = frozenset()  # cells meaning "no answer", besides empty ones
    placeholder_times: frozenset[str] = frozenset()  # timestamps meaning "not recorded"
    skipped_rows: frozenset[str] = frozenset()  # first cells of rows that are not responses
    max_row: str | None = None  # the first cell of a row of maxima (Canvas "Points Possible")
    choice_ticks: frozenset[str] = frozenset()  # cells meaning "ticked"


def _filled(text: str) -> bool:
    return bool(text.strip())


def _true(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "wahr"}


def _submitted(text: str) -> bool:
    return text.strip().lower().startswith("submitted")


PRESETS: dict[Tool, Preset] = {
    Tool.GENERIC: Preset(),
    Tool.GOOGLE_FORMS: Preset(
        timestamp=(
            "Timestamp",
            "Horodateur",
            "Marca temporal",
            "Zeitstempel",
            "Carimbo de data/hora",
        ),
        respondent=("Email Address", "Adresse e-mail", "Email", "Username", "Nom d'utilisateur"),
    ),
    Tool.MICROSOFT_FORMS: Preset(
        timestamp=("Completion time", "Heure de fin"),
        started=("Start time", "Heure de début"),
        respondent=("Email", "Adresse de messagerie", "Name", "Nom"),
        metadata=(r"id", r"last modified time", r"heure de la dernière modification"),
    ),
    Tool.SURVEYMONKEY: Preset(
        header_rows=2,
        text_rows=(0, 1),
        filler=frozenset({"response", "open-ended response", "na", "other (please specify)"}),
        timestamp=("End Date",),
        started=("Start Date",),
        respondent=("Email Address", "Respondent ID"),
        metadata=(
            r"respondent id",
            r"collector id",
            r"start date",
            r"end date",
            r"custom data \d+",
        ),
        missing=frozenset({"NA"}),
    ),
    Tool.QUALTRICS: Preset(
        header_rows=3,  # two in the legacy format, told apart on reading
        code_row=0,
        text_rows=(1,),
        timestamp=("EndDate", "RecordedDate"),
        duration=("Duration (in seconds)",),
        respondent=(
            "RecipientEmail",
            "EmailAddress",
            "ExternalReference",
            "ExternalDataReference",
            "ResponseId",
            "ResponseID",
        ),
        completed=(("Finished", _true),),
        metadata=(
            r"v\d+",
            r"startdate",
            r"enddate",
            r"status",
            r"progress",
            r"duration \(in seconds\)",
            r"finished",
            r"recordeddate",
            r"responseid",
            r"responseset",
            r"externalreference",
            r"externaldatareference",
            r"distributionchannel",
            r"userlanguage",
        ),
    ),
    Tool.LIMESURVEY: Preset(
        timestamp=("submitdate",),
        started=("startdate",),
        duration=("interviewtime",),
        respondent=("token", "email", "id"),
        completed=(("submitdate", _filled),),
        metadata=(
            r"id",
            r"submitdate",
            r"lastpage",
            r"startlanguage",
            r"seed",
            r"startdate",
            r"datestamp",
            r"token",
            r"refurl",
            r"interviewtime",
            r"grouptime\d+",
        ),
        placeholder_times=frozenset({"1980-01-01 00:00:00"}),
        choice_ticks=frozenset({"Y", "1"}),  # multiple-choice and grid cells
    ),
    Tool.TYPEFORM: Preset(
        timestamp=("Submit Date (UTC)",),
        started=("Start Date (UTC)",),
        respondent=("#", "Network ID"),
        metadata=(r"#", r"start date \(utc\)", r"submit date \(utc\)", r"network id"),
    ),
    Tool.MOODLE: Preset(
        timestamp=("Last modified (submission)", "datetime", "Time"),
        respondent=("Email address", "ID number", "Identifier", "anoname", "User full name"),
        group=(),
        score=("Grade",),
        max_score=("Maximum Grade",),
        completed=(("Status", _submitted),),
        metadata=(
            r"identifier",
            r"id number",
            r"institution",
            r"department",
            r"status",
            r"grade can be changed",
            r"last modified \(.*\)",
            r"last downloaded from this course",
            r"feedback comments",
            r"maximum grade",
            r"\w+ sec",
            r"id",
            r"course",
            r"datetime",
            r"time",
        ),
        missing=frozenset({"-"}),
    ),
    Tool.CANVAS: Preset(
        respondent=("SIS Login ID", "SIS User ID", "ID", "Student"),
        group=("Section",),
        metadata=(
            r"student",
            r"id",
            r"sis user id",
            r"sis login id",
            r"section",
            r"integration id",
        ),
        skipped_rows=frozenset({"Student, Test", "Muted"}),
        max_row="Points Possible",
    ),
    Tool.XAPI: Preset(),
}


def metadata_pattern(preset: Preset) -> re.Pattern[str] | None:
    """One pattern for the preset's metadata columns (compared case-folded)."""
    if not preset.metadata:
        return None
    return re.compile("|".join(f"(?:{part})" for part in preset.metadata), re.IGNORECASE)
