"""What a cell may hold before any parsing: the texts for "no value", the largest value, the
years a date may fall in. Both readers (the typed one and the general one) hold to these."""

from __future__ import annotations

PLACEHOLDERS = frozenset({"", "-", "--", "(not set)", "n/a"})  # compared in lower case
# Larger values are bad values: no KPI export holds them, and ``1e999`` would be infinite.
MAX_ABS_VALUE = 1e15
# Earlier or later dates are bad values (a typing mistake, or a number taken for a date).
FIRST_YEAR, LAST_YEAR = 1900, 2200
