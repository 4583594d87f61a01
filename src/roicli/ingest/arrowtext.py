"""Regular-expression work on whole text columns, run by pyarrow's compute kernels (RE2).

pandas falls back to a Python loop for ``str.extract`` and regex ``str.replace``; these helpers
keep that work vectorised for files of millions of rows. Patterns must be RE2 syntax.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow(texts: pd.Series) -> pa.Array:
    return pa.array(texts.astype("str"), type=pa.large_string())


def _series(array: pa.Array, index: pd.Index) -> pd.Series:
    series = pd.Series(array, dtype="str", index=index)
    return series.where(series != "", np.nan)


def extract(texts: pd.Series, pattern: str) -> pd.DataFrame:
    """One column per named group of ``pattern`` (NaN where the text does not match, or the group
    is empty)."""
    found = pc.extract_regex(_arrow(texts), pattern)
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    return pd.DataFrame(
        {
            name: _series(child, texts.index)
            for name, child in zip(names, found.flatten(), strict=True)
        },
        index=texts.index,
    )


def replace(texts: pd.Series, pattern: str, replacement: str) -> pd.Series:
    """``texts`` with every match of ``pattern`` replaced (NaN stays NaN)."""
    replaced = pc.replace_substring_regex(_arrow(texts), pattern, replacement)
    return pd.Series(replaced, dtype="str", index=texts.index)


def fullmatch(texts: pd.Series, pattern: str, *, ignore_case: bool = False) -> pd.Series:
    """Whether each text matches ``pattern`` as a whole (False for NaN)."""
    found = pc.match_substring_regex(_arrow(texts), f"^(?:{pattern})$", ignore_case=ignore_case)
    return pd.Series(found.fill_null(False), dtype=bool, index=texts.index)
