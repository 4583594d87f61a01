"""Fuzz the config loader (YAML parsing, validation, error messages) with atheris.

Any exception other than a ConfigError is a crash: roicli would exit 3 on such a config. The
input is the config file's bytes.

Run from the repository root, like fuzz_csv.py (see fuzz/README.md):

    /tmp/fuzzvenv/bin/python fuzz/fuzz_config.py /tmp/fuzz-config fuzz/seeds_config \\
        -max_total_time=600 -timeout=20 -rss_limit_mb=8192
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["roicli"]):
    from roicli.config import load_config
    from roicli.errors import ConfigError

PATH = Path(tempfile.mkdtemp(prefix="roicli-fuzz-config-")) / "roicli.yaml"


def test_one(data: bytes) -> None:
    """Load one fuzzed config file; only a ConfigError may come out."""
    PATH.write_bytes(data)
    with contextlib.suppress(ConfigError):
        load_config(PATH)


def main() -> None:
    """Run libFuzzer with the command line's options (corpus folders, -max_total_time, …)."""
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
