"""Defences for text that came from the config or the data, before any renderer shows it.

Spreadsheet applications treat a cell that starts with one of these characters as a formula
(OWASP "CSV injection"); text from inputs must never be run that way. A control character (a
terminal escape sequence, a character XML forbids) or a bidirectional control (which reorders
what follows it, so that "1,000" could display as "0,001") is shown escaped, as ``\\x1b`` or
``\\u202e``, by ``clean`` and ``clean_labels``, on every surface alike; a tab is kept.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from enum import Enum
from pathlib import PurePath
from typing import Any, TypeVar

from roicli.messages import Msg

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# C0 controls but the tab (whitespace, harmless everywhere), C1 controls, DEL, the bidirectional
# controls (ALM, LRM, RLM, LRE…RLO, LRI…PDI), line and paragraph separators, lone surrogates and
# the two XML non-characters.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read text as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Text for a CSV cell: a leading quote makes a formula-like value inert (OWASP)."""
    return f"'{text}" if is_formula_like(text) else text


def clean(text: str) -> str:
    """Text with every control and bidirectional character escaped (ESC as ``\\x1b``)."""
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def clean_labels(value: T) -> T:
    """``value`` (an analysis, a result, a tuple of them) with ``clean`` applied to every text in
    it: names, titles, labels, groups, paths. Parts with nothing to clean are kept as they are."""
    return _walk(value)  # type: ignore[no-any-return]


_ATOMS = frozenset({type(None), bool, int, float, date})  # no text in them


def _walk(value: Any) -> Any:
    if type(value) in _ATOMS or isinstance(value, Enum):  # a StrEnum is text, but ours
        return value
    if isinstance(value, Msg):  # text in every language: its parameters are cleaned
        if value.parts:
            parts = _walk(value.parts)
            return value if parts is value.parts else Msg.combine(parts, value.params["separator"])
        params = _walk(value.params)
        return value if params is value.params else Msg(value.key, **params)
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, PurePath):
        text = str(value)
        return value if clean(text) == text else type(value)(clean(text))
    if isinstance(value, tuple | list):
        items = [_walk(item) for item in value]
        same = all(new is old for new, old in zip(items, value, strict=True))
        return value if same else type(value)(items)
    if isinstance(value, Mapping):
        walked = {key: _walk(item) for key, item in value.items()}
        same = all(walked[key] is item for key, item in value.items())
        return value if same else walked
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = _walk(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
