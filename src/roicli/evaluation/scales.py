"""Answers as they are written: Likert labels, yes/no, 0–10, percentages and "7/10" as scores.

Labels are compared ignoring case, accents, surrounding and repeated spaces, and the kind of
apostrophe (’ or '): exports lose accents and curly quotes on the way (a cp1252 round trip, a
keyboard), and no built-in scale has two labels told apart by those alone; a custom scale
whose labels would be is refused.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from roicli.errors import shorten

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_FRACTION = re.compile(rf"\s*({_NUMBER.pattern})\s*/\s*({_NUMBER.pattern})\s*")
_PERCENT = re.compile(rf"\s*({_NUMBER.pattern})\s*%\s*")
_NUMBERED = re.compile(r"\s*(\d{1,2})\s*[.):-]\s+\S.*")  # "6. Slightly agree"


def answer_key(text: str) -> str:
    """The form answers are compared in (see the module's docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare).strip().casefold()


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale: labels (several may share a score) or a numeric range."""

    name: str
    labels: tuple[tuple[str, float], ...] = ()  # label as written → score, in scale order
    low: float = 0.0
    high: float = 0.0

    @property
    def points(self) -> tuple[float, ...]:
        """The distinct scores, lowest first (every whole number of a numeric range)."""
        if self.labels:
            return tuple(sorted({score for _, score in self.labels}))
        return tuple(float(value) for value in range(int(self.low), int(self.high) + 1))

    @property
    def top_two(self) -> tuple[float, ...]:
        """The two highest points: "top-2-box" answers."""
        return self.points[-2:]

    def label_of(self, score: float) -> str:
        """The first label written for a score, or the number itself."""
        for label, value in self.labels:
            if value == score:
                return label
        return f"{score:g}"

    def score(self, answer: str) -> float | None:
        """The score of an answer on this scale; None when it is not on it."""
        if self.labels:
            return _lookup(self).get(answer_key(answer))
        parsed = parse_number(answer)
        if parsed is None:
            return None
        value, _ = parsed
        return value if self.low <= value <= self.high else None

    def closest(self, answer: str) -> str | None:
        """The scale label closest to a mistyped answer, as the scale writes it."""
        if not self.labels:
            return None
        keys = {answer_key(label): label for label, _ in self.labels}
        found = difflib.get_close_matches(answer_key(answer), list(keys), n=1, cutoff=0.6)
        return keys[found[0]] if found else None


@functools.cache
def _lookup(scale: Scale) -> dict[str, float]:
    return {answer_key(label): score for label, score in scale.labels}


def _ordered(name: str, *steps: str | tuple[str, ...], start: int = 1) -> Scale:
    """A scale from its steps, lowest first; a step may have several spellings."""
    labels = [
        (label, float(start + position))
        for position, step in enumerate(steps)
        for label in ((step,) if isinstance(step, str) else step)
    ]
    return Scale(name, tuple(labels))


# Tried in this order when no scale is given: the first holding every answer of a question wins.
BUILT_IN: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        _ordered(
            "agreement",
            "Strongly disagree",
            "Disagree",
            ("Neither agree nor disagree", "Neither agree or disagree", "Neutral"),
            "Agree",
            "Strongly agree",
        ),
        _ordered(
            "accord",
            "Pas du tout d'accord",
            "Pas d'accord",
            ("Ni d'accord ni pas d'accord", "Neutre", "Sans opinion"),
            "D'accord",
            "Tout à fait d'accord",
        ),
        _ordered(
            "accord4",
            "Pas du tout d'accord",
            "Plutôt pas d'accord",
            "Plutôt d'accord",
            "Tout à fait d'accord",
        ),
        _ordered(
            "satisfaction",
            "Very dissatisfied",
            "Dissatisfied",
            ("Neither satisfied nor dissatisfied", "Neutral"),
            "Satisfied",
            "Very satisfied",
        ),
        _ordered(
            "satisfaction_fr",
            ("Très insatisfait", "Très insatisfaite", "Pas du tout satisfait"),
            ("Insatisfait", "Insatisfaite", "Peu satisfait"),
            ("Ni satisfait ni insatisfait", "Neutre"),
            ("Satisfait", "Satisfaite"),
            ("Très satisfait", "Très satisfaite"),
        ),
        _ordered("frequency", "Never", "Rarely", "Sometimes", "Often", "Always"),
        _ordered(
            "frequence",
            "Jamais",
            "Rarement",
            ("Parfois", "De temps en temps"),
            "Souvent",
            "Toujours",
        ),
        _ordered(
            "confidence",
            "Not at all confident",
            "Slightly confident",
            "Somewhat confident",
            "Very confident",
            "Extremely confident",
        ),
        _ordered(
            "knowledge",
            "Not knowledgeable at all",
            "A little knowledgeable",
            "Somewhat knowledgeable",
            "Very knowledgeable",
            "Extremely knowledgeable",
        ),
        _ordered("extent", "Minimal", "Slight", "Moderate", "Good", "Extensive"),
        _ordered("yes_no", ("No", "Non"), ("Yes", "Oui"), start=0),
        Scale("1-5", low=1, high=5),
        Scale("1-7", low=1, high=7),
        Scale("1-10", low=1, high=10),
        Scale("0-10", low=0, high=10),
        Scale("percent", low=0, high=100),
    )
}
ALIASES = {"nps": "0-10", "likert": "agreement", "oui_non": "yes_no"}
YES_NO = BUILT_IN["yes_no"]
NPS = BUILT_IN["0-10"]


def parse_number(text: str) -> tuple[float, float | None] | None:
    """A number as written in an answer, and the maximum it states: "4", "4,5", "85%", "7/10"."""
    if _NUMBER.fullmatch(text.strip()):
        return _float(text), None
    match = _PERCENT.fullmatch(text)
    if match:
        return _float(match.group(1)), 100.0
    match = _FRACTION.fullmatch(text)
    if match:
        maximum = _float(match.group(2))
        return (_float(match.group(1)), maximum) if maximum > 0 else None
    return None


def _float(text: str) -> float:
    return float(text.strip().replace(",", "."))


def numbered_score(text: str) -> float | None:
    """The number a label starts with ("6. Slightly agree" → 6), as LimeSurvey writes them."""
    match = _NUMBERED.fullmatch(text)
    return float(match.group(1)) if match else None


def named_scale(name: str) -> Scale:
    """A built-in scale by name or alias (names are checked when the config is read)."""
    return BUILT_IN[ALIASES.get(name.strip().lower(), name.strip().lower())]


def custom_scale(mapping: Mapping[str, float]) -> Scale:
    """The config's own scale, ordered by score."""
    return Scale("custom", tuple(sorted(mapping.items(), key=lambda item: item[1])))


def check_scale_setting(
    value: str | dict[str, float] | None,
) -> str | dict[str, float] | None:
    """A scale: setting names a built-in scale, or maps two or more distinct labels to scores."""
    if value is None:
        return None
    if isinstance(value, str):
        key = ALIASES.get(value.strip().lower(), value.strip().lower())
        if key not in BUILT_IN:
            raise ValueError(
                f"unknown scale {shorten(value)!r}"
                + did_you_mean(value, [*BUILT_IN, *ALIASES])
                + f"; built-in scales: {', '.join(BUILT_IN)}"
            )
        return value
    if len(value) < 2:
        raise ValueError("a scale needs at least two labels, each with its score")
    seen: dict[str, str] = {}
    for label, score in value.items():
        if not math.isfinite(score):
            raise ValueError(f"the score of {shorten(label)!r} is not a finite number")
        key = answer_key(label)
        if not key:
            raise ValueError("a scale label cannot be empty")
        if key in seen:
            raise ValueError(
                f"scale labels {shorten(seen[key])!r} and {shorten(label)!r} are the same once "
                "case, accents and spaces are ignored"
            )
        seen[key] = label
    return value


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'X'?)' for the closest choice, compared as answers are; else ''."""
    keys = {answer_key(choice): choice for choice in choices}
    found = difflib.get_close_matches(answer_key(word), list(keys), n=1, cutoff=0.6)
    return f" (did you mean {shorten(keys[found[0]])!r}?)" if found else ""
