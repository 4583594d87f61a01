"""The files a source's ``path`` names: one file, every file a glob matches, or a folder's."""

from __future__ import annotations

import glob
from pathlib import Path

from roicli.errors import DataError, Location

READABLE = frozenset(
    {".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
)
_MAGIC = frozenset("*?[")


def source_files(path: Path, index: int) -> list[Path]:
    """The files to read, in name order; a glob or a folder that gives none is a DataError.

    A folder is read with its subfolders (a partitioned dataset, ``year=2026/part-0.parquet``),
    taking the files roicli reads (``READABLE`` suffixes) and passing over hidden and marker
    files (``.name``, ``_SUCCESS``). A plain path is given back as it is: its reader checks it.
    """
    if _MAGIC & set(str(path)):
        found = sorted(
            (Path(name) for name in glob.glob(str(path), recursive=True)),
            key=str,
        )
        files = [file for file in found if file.is_file()]
        if not files:
            raise DataError(
                "no file matches this pattern",
                location=Location(path),
                fix=f"check sources[{index}].path; relative paths start at the config file's "
                "folder",
            )
        return files
    if path.is_dir():
        files = sorted(
            (f for f in path.rglob("*") if _listed(f.relative_to(path)) and f.is_file()),
            key=lambda file: str(file.relative_to(path)),
        )
        if not files:
            raise DataError(
                "no CSV, Excel or Parquet file in this folder",
                location=Location(path),
                fix=f"check sources[{index}].path, or put the exports in the folder",
            )
        return files
    return [path]


def _listed(relative: Path) -> bool:
    """Whether a file under a source's folder is one of its exports."""
    hidden = any(part.startswith((".", "_")) for part in relative.parts)
    return not hidden and relative.suffix.lower() in READABLE
