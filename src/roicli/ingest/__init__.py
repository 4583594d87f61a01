"""Reading KPI exports (CSV, Excel, Parquet) into one long frame: date, kpi, group, value.

``load_sources`` is the entry point; every problem with a file is a ``DataError`` naming the
file, the row as the user sees it, the column and what to do.
"""

from roicli.ingest.kpimatch import match_kpi
from roicli.ingest.load import DETECTED_KEYS, load_sources
from roicli.ingest.model import BadRow, Dataset, SourceAudit

__all__ = ["DETECTED_KEYS", "BadRow", "Dataset", "SourceAudit", "load_sources", "match_kpi"]
