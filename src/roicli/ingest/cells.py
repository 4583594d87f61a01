"""What a value cell may hold before any parsing: the texts for "no value", the largest value."""

from __future__ import annotations

PLACEHOLDERS = frozenset({"", "-", "--", "(not set)", "n/a"})  # compared in lower case
# Larger values are bad values: no KPI export holds them, and ``1e999`` would be infinite.
MAX_ABS_VALUE = 1e15
