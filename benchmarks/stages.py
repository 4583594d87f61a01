"""Time one ``roicli report --format json`` run stage by stage, in this process.

    python -m benchmarks.stages CONFIG AS_OF

prints a JSON object of seconds per stage: ``import`` (roicli and the libraries it loads),
``load`` (the config and every file read, a part at a time, into the day table: parsing,
the byte-level guard and digest, and the sums per day, KPI and group go together),
``aggregate`` (the day table to periods), ``analyse`` (everything else of the analysis) and
``render`` (the JSON text). The stages are timed by wrapping the functions that do them, so the
run is the same code path as the command's.
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
    from roicli import analysis, project
    from roicli.enums import Period
    from roicli.render.json import render_json

    stages = {"import": time.perf_counter() - _STARTED}
    spent = {"aggregate": 0.0}
    # The name analyse looks up at call time.
    analysis.aggregate = _timed(spent, "aggregate", analysis.aggregate)  # type: ignore[attr-defined]
    start = time.perf_counter()
    loaded = project.load_project(config)
    stages["load"] = time.perf_counter() - start
    start = time.perf_counter()
    result = analysis.analyse(loaded, as_of=as_of, period=Period.MONTH)
    total_analyse = time.perf_counter() - start
    start = time.perf_counter()
    text = render_json(result)
    stages["render"] = time.perf_counter() - start
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
