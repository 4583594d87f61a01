"""xAPI statements (a JSON array, or one statement per line) as one response per learner.

A learner is the actor's ``mbox`` (normalised e-mail, so it links with a survey's e-mail
column), ``mbox_sha1sum``, ``openid`` or ``account`` (home page and name), pseudonymised at
once. Per learner: completed (a ``completed`` or ``passed`` verb), passed (``passed``, or a
completion with ``result.success``), the latest score, the time taken (``result.duration``),
and each answered item's latest rating or choice as a question. ``id``, ``timestamp`` and
``stored`` are optional. A score gives ``raw`` of ``max`` when both are there, else
``scaled`` as a percentage; a ``scaled`` that disagrees with raw/max is ignored and said so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roicli.errors import DataError, Location, shorten
from roicli.evaluation.answers import classify
from roicli.evaluation.config import Evaluation
from roicli.evaluation.model import EvaluationData, Question, Response, Score
from roicli.evaluation.privacy import Pseudonymiser
from roicli.ingest.guards import check_text

COMPLETING = frozenset({"completed", "passed"})
RATING_EXTENSIONS = ("http://learninglocker.net/xapi/moodle/feedback_item_rating",)
_DURATION = re.compile(
    r"P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)
_SCALED_TOLERANCE = 1e-6


@dataclass
class _Learner:
    """What the statements say of one learner, in statement order."""

    first: int  # the position of the learner's first statement
    completed: bool = False
    passed: bool | None = None
    score: tuple[float, float | None] | None = None  # value, maximum
    duration: float | None = None
    timestamp: dt.datetime | None = None
    answers: dict[str, str] = field(default_factory=dict)  # item id → rating or choice


def read_xapi(evaluation: Evaluation, pseudonymise: Pseudonymiser) -> EvaluationData:
    """Read statements into one response per learner (see the module's docstring)."""
    path = evaluation.path
    learners: dict[str, _Learner] = {}
    items: dict[str, str] = {}  # item id → its name
    scaled_ignored = 0
    for position, statement in _statements(path):
        where = Location(path, row=position)
        key = _actor_key(statement.get("actor"), where)
        if key is None:
            continue
        pseudonym = pseudonymise(key)
        if pseudonym is None:
            continue
        learner = learners.setdefault(pseudonym, _Learner(first=position))
        verb = _verb(statement)
        given = statement.get("result")
        result: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        learner.timestamp = _timestamp(statement.get("timestamp"), where) or learner.timestamp
        score, disagrees = _score(result.get("score"), where)
        scaled_ignored += disagrees
        if verb in COMPLETING:
            learner.completed = True
            learner.duration = _seconds(result.get("duration")) or learner.duration
            if verb == "passed" or result.get("success") is not None:
                learner.passed = verb == "passed" or result.get("success") is True
            learner.score = score or learner.score
        elif verb == "answered":
            answer = _answer(result)
            item = _object(statement)
            if answer is not None and item is not None:
                items.setdefault(item[0], item[1])
                learner.answers[item[0]] = answer
        elif verb == "scored" and score is not None:
            learner.score = score
    return _data(evaluation, learners, items, scaled_ignored)


def _data(
    evaluation: Evaluation, learners: Mapping[str, _Learner], items: Mapping[str, str], ignored: int
) -> EvaluationData:
    people = sorted(learners.items(), key=lambda item: item[1].first)
    rows = [learner.first for _, learner in people]
    responses = tuple(
        Response(
            row=learner.first,
            participant=pseudonym,
            timestamp=learner.timestamp,
            completed=learner.completed,
            passed=learner.passed,
            duration=learner.duration,
        )
        for pseudonym, learner in people
    )
    answers = tuple(
        classify(
            Question(position=i + 1, code=None, text=name),
            [learner.answers.get(item, "") for _, learner in people],
            rows,
            path=evaluation.path,
        )
        for i, (item, name) in enumerate(items.items())
    )
    scores = [learner.score for _, learner in people]
    maxima = {score[1] for score in scores if score is not None}
    maximum = evaluation.max_score or (maxima.pop() if len(maxima) == 1 else None)
    score = (
        Score("result.score", tuple(s[0] if s else None for s in scores), maximum)
        if any(scores)
        else None
    )
    notes = (
        (
            f"result.score.scaled disagreed with raw/max in {ignored} statement"
            f"{'s' if ignored > 1 else ''}: raw/max used",
        )
        if ignored
        else ()
    )
    return EvaluationData(evaluation, responses, answers, score, notes)


def _statements(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Each statement with its position (1 = the first), from an array or JSON lines."""
    check_text(path)
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            loaded = json.loads(stripped)
            found = loaded if isinstance(loaded, list) else [loaded]
        else:
            found = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise DataError(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            location=Location(path),
            fix="export the statements again as a JSON array or as JSON lines",
        ) from None
    for position, statement in enumerate(found, start=1):
        if not isinstance(statement, Mapping):
            raise DataError(
                "expected a statement (a JSON object)",
                location=Location(path, row=position),
                fix="export the statements again as a JSON array or as JSON lines",
            )
        yield position, statement


def _actor_key(actor: Any, where: Location) -> str | None:
    """The actor's identifier as text, or None for a group (counted through its members)."""
    if not isinstance(actor, Mapping):
        raise DataError("the statement has no actor", location=where, fix="check the export")
    if actor.get("objectType") == "Group" and "mbox" not in actor and "account" not in actor:
        return None
    for name in ("mbox", "mbox_sha1sum", "openid"):
        value = actor.get(name)
        if isinstance(value, str) and value.strip():
            return value
    account = actor.get("account")
    if isinstance(account, Mapping) and account.get("name") not in (None, ""):
        return f"{account.get('homePage', '')}|{account['name']}"
    raise DataError(
        "the actor has no mbox, mbox_sha1sum, openid or account",
        location=where,
        fix="check the export: xAPI identifies an actor by one of these",
    )


def _verb(statement: Mapping[str, Any]) -> str:
    verb = statement.get("verb")
    verb_id = verb.get("id") if isinstance(verb, Mapping) else None
    return verb_id.rstrip("/").rsplit("/", 1)[-1].lower() if isinstance(verb_id, str) else ""


def _object(statement: Mapping[str, Any]) -> tuple[str, str] | None:
    target = statement.get("object")
    if not isinstance(target, Mapping) or not isinstance(target.get("id"), str):
        return None
    definition = target.get("definition")
    names = definition.get("name") if isinstance(definition, Mapping) else None
    name = next(iter(names.values()), None) if isinstance(names, Mapping) and names else None
    return target["id"], str(name or target["id"])


def _answer(result: Mapping[str, Any]) -> str | None:
    """An item's rating (a rating extension, else the raw score), else the response given."""
    extensions = result.get("extensions")
    if isinstance(extensions, Mapping):
        for name in RATING_EXTENSIONS:
            if _number(extensions.get(name)) is not None:
                return f"{extensions[name]:g}"
    score = result.get("score")
    raw = _number(score.get("raw")) if isinstance(score, Mapping) else None
    if raw is not None:
        return f"{raw:g}"
    response = result.get("response")
    return response if isinstance(response, str) and response.strip() else None


def _score(score: Any, where: Location) -> tuple[tuple[float, float | None] | None, int]:
    """(value, maximum) and 1 when ``scaled`` disagreed with raw/max and was set aside."""
    if not isinstance(score, Mapping):
        return None, 0
    raw, top, low, scaled = (_number(score.get(k)) for k in ("raw", "max", "min", "scaled"))
    if raw is not None and top is not None:
        if raw > top:
            raise DataError(
                f"result.score.raw {raw:g} is above result.score.max {top:g}",
                location=where,
                fix="check the statement's score",
            )
        expected = (raw - (low or 0.0)) / (top - (low or 0.0)) if top != (low or 0.0) else None
        disagrees = (
            scaled is not None
            and expected is not None
            and abs(scaled - expected) > _SCALED_TOLERANCE
        )
        return (raw, top), int(disagrees)
    if scaled is not None:
        return (scaled * 100, 100.0), 0
    return ((raw, None), 0) if raw is not None else (None, 0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _seconds(value: Any) -> float | None:
    """An ISO 8601 duration (``PT1M30S``) in seconds."""
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if not match or not any(match.groupdict().values()):
        return None
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def _timestamp(value: Any, where: Location) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise DataError(
            f"cannot read the timestamp {shorten(str(value))!r}",
            location=where,
            fix="xAPI timestamps are ISO 8601, e.g. 2026-03-01T09:30:00Z",
        ) from None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
