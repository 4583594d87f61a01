"""Time one ``roicli report --format json`` run stage by stage, in this process.

    python -m benchmarks.stages CONFIG AS_OF

prints a JSON object of seconds per stage: ``import`` (roicli and the libraries it loads),
``read`` (config and files into raw tables), ``normalise`` (raw tables to the long frame, all
sources combined), ``aggregate`` (the long frame to periods), ``analyse`` (everything else of
the analysis) and ``render`` (the JSON text). The stages are timed by wrapping the functions
that do them, so the run is the same code path as the command's.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

_STARTED = time.perf_counter()


def _timed(spent: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    return wrapper


def run(config: Path, as_of: date) -> dict[str, float]:
    """Seconds spent in each stage of one report."""
    from roicli import analysis, ingest, project
    from roicli.enums import Period
    from roicli.ingest import load
    from roicli.render.json import render_json

    stages = {"import": time.perf_counter() - _STARTED}
    spent = {"read": 0.0, "sources": 0.0, "aggregate": 0.0}
    # The names the callers look up at call time: load_project imports ingest.load_sources,
    # which calls load._read per source; analyse calls analysis.aggregate.
    load._read = _timed(spent, "read", load._read)
    ingest.load_sources = _timed(spent, "sources", ingest.load_sources)
    analysis.aggregate = _timed(spent, "aggregate", analysis.aggregate)  # type: ignore[attr-defined]
    start = time.perf_counter()
    loaded = project.load_project(config)
    total_load = time.perf_counter() - start
    start = time.perf_counter()
    result = analysis.analyse(loaded, as_of=as_of, period=Period.MONTH)
    total_analyse = time.perf_counter() - start
    start = time.perf_counter()
    text = render_json(result)
    stages["render"] = time.perf_counter() - start
    stages["read"] = total_load - spent["sources"] + spent["read"]
    stages["normalise"] = spent["sources"] - spent["read"]
    stages["aggregate"] = spent["aggregate"]
    stages["analyse"] = total_analyse - spent["aggregate"]
    assert text.startswith("{")
    return stages


def main() -> None:
    """Command line: ``python -m benchmarks.stages CONFIG AS_OF``."""
    from roicli.allocator import reuse_freed_memory

    reuse_freed_memory()  # as the console script does, before numpy and pyarrow are imported
    config, as_of = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
    sys.stdout.write(json.dumps(run(config, as_of)) + "\n")


if __name__ == "__main__":
    main()
