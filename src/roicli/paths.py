"""How a file is named to a reader: short, relative where it can be, with no "/../"."""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(text: str | Path, *folders: Path) -> str:
    """The path relative to the current folder, else to the first of ``folders`` holding it,
    normalised ("configs/../data/a.csv" is "data/a.csv"); absolute when it is under none. A
    database source's URL is shown as it is."""
    if "://" in str(text):
        return str(text)
    path = Path(os.path.normpath(text))
    if path.is_absolute():
        for folder in (Path.cwd(), *folders):
            if path.is_relative_to(folder):
                return str(path.relative_to(folder))
    return str(path)
