"""Time ``roicli report --format json`` against a plain ``pandas.read_csv`` of the same file.

    .venv/bin/python -m benchmarks.run                       # 100k, 1M and 10M rows (~5 min)
    .venv/bin/python -m benchmarks.run --sizes 1m --repeat 3 --formats csv

For each generated export (made once by ``benchmarks.generate`` into ``benchmarks/data/``), whole
processes are timed from start to exit, alternating between the two commands, and the medians
compared; peak memory is each process's maximum resident set size. A separate run times the
stages inside ``roicli``. Then ``roicli --help`` is timed against a bare Typer app's ``--help``,
and ``--help``, ``kpis list`` and ``schema`` are checked not to import pandas. Results go to
stdout as Markdown and to ``benchmarks/data/results.{md,json}``. Linux (``wait4``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from benchmarks.generate import generate

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TEMPLATE = HERE / "roicli.bench.yaml"
AS_OF = "2026-10-31"
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
BASELINE = {"csv": "pandas.read_csv", "parquet": "pandas.read_parquet"}
STAGES = ("import", "read", "normalise", "aggregate", "analyse", "render")
STARTUP_RUNS = 15
GIB = 1024.0
# The targets: report time as a multiple of the baseline's, and peak memory.
TARGET_RATIO = {"1m": 1.3, "10m": 3.0}
TARGET_PEAK_MIB = {"10m": 1.5 * GIB}
TARGET_HELP_RATIO = 1.2


@dataclass(frozen=True)
class Process:
    """One finished process: wall-clock seconds from start to exit, and peak memory."""

    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Result:
    """Medians of one export: the baseline, the report, and the report's stages."""

    export: str
    size: str
    fmt: str
    rows: int
    file_mib: float
    baseline_s: float
    baseline_peak_mib: float
    report_s: float
    report_peak_mib: float
    stages: dict[str, float]
    load: float

    @property
    def ratio(self) -> float:
        """The report's median time over the baseline's."""
        return self.report_s / self.baseline_s


@dataclass(frozen=True)
class Startup:
    """``roicli --help`` against a bare Typer app, and which commands import pandas."""

    help_s: float
    bare_typer_help_s: float
    pandas_imported: dict[str, bool]

    @property
    def ratio(self) -> float:
        """``roicli --help``'s median time over the bare app's."""
        return self.help_s / self.bare_typer_help_s


def measure(argv: list[str]) -> Process:
    """Run a command to its end (stdout discarded); stop the benchmark if it fails."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}):\n{message}")
    return Process(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def roicli() -> str:
    """The installed console script next to this interpreter."""
    return str(Path(sys.executable).with_name("roicli"))


def write_config(export: Path) -> Path:
    """A config next to the export that reads it, from the template."""
    config = export.with_name(f"{export.stem}_{export.suffix.lstrip('.')}.yaml")
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(source=export.name)
    config.write_text(text, encoding="utf-8")
    return config


def prepare(size: str, fmt: str) -> tuple[Path, Path]:
    """The export (generated when missing) and a config that reads it."""
    export = DATA / f"long_{size}.{fmt}"
    if not export.exists():
        print(f"generating {export.name} …", file=sys.stderr, flush=True)
        generate(export, SIZES[size])
    return export, write_config(export)


def _warm(path: Path) -> None:
    """Read the file once so that every timed run finds it in the page cache."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


def bench_export(size: str, fmt: str, repeat: int) -> Result:
    """Medians of ``repeat`` alternating runs of the baseline and the report, and the stages."""
    export, config = prepare(size, fmt)
    _warm(export)
    baseline_code = f"import pandas; {BASELINE[fmt]}({str(export)!r})"
    report_argv = [roicli(), "report", "-c", str(config), "--as-of", AS_OF, "--format", "json"]
    stage_argv = [sys.executable, "-m", "benchmarks.stages", str(config), AS_OF]
    baselines, reports, stages, loads = [], [], [], []
    for _ in range(repeat):
        baselines.append(measure([sys.executable, "-c", baseline_code]))
        reports.append(measure(report_argv))
        out = subprocess.run(stage_argv, capture_output=True, check=True, cwd=HERE.parent)
        stages.append(json.loads(out.stdout))
        loads.append(os.getloadavg()[0])
    print(f"{export.name}: done", file=sys.stderr, flush=True)
    return Result(
        export=export.name,
        size=size,
        fmt=fmt,
        rows=SIZES[size],
        file_mib=export.stat().st_size / 2**20,
        baseline_s=statistics.median(p.seconds for p in baselines),
        baseline_peak_mib=statistics.median(p.peak_mib for p in baselines),
        report_s=statistics.median(p.seconds for p in reports),
        report_peak_mib=statistics.median(p.peak_mib for p in reports),
        stages={name: statistics.median(s[name] for s in stages) for name in STAGES},
        load=max(loads),
    )


def bench_startup() -> Startup:
    """Time ``roicli --help`` and a bare Typer app's; see which commands import pandas."""
    help_runs, bare_runs = [], []
    for _ in range(STARTUP_RUNS):
        help_runs.append(measure([roicli(), "--help"]).seconds)
        bare_runs.append(measure([sys.executable, str(HERE / "bare_typer.py"), "--help"]).seconds)
    imports = {}
    for command in (["--help"], ["kpis", "list"], ["schema"]):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "roicli", *command],
            capture_output=True,
            text=True,
            check=True,
        )
        imports[" ".join(command)] = any(
            line.rsplit("|", 1)[-1].strip() == "pandas" for line in out.stderr.splitlines()
        )
    return Startup(statistics.median(help_runs), statistics.median(bare_runs), imports)


def machine() -> str:
    """CPU, cores, memory, OS and the versions that matter, in one line."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    libraries = ", ".join(f"{name} {version(name)}" for name in ("pandas", "pyarrow", "numpy"))
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {libraries}"
    )


def verdicts(results: list[Result], startup: Startup) -> list[str]:
    """Each target of the issue, met or not, with the measured figure."""
    lines = []
    for result in results:
        if result.fmt != "csv":
            continue
        limit = TARGET_RATIO.get(result.size)
        if limit is not None:
            held = "met" if result.ratio <= limit else "MISSED"
            lines.append(
                f"{result.size} CSV report ≤ {limit}× read_csv: {result.ratio:.2f}× {held}"
            )
        peak = TARGET_PEAK_MIB.get(result.size)
        if peak is not None:
            held = "met" if result.report_peak_mib < peak else "MISSED"
            lines.append(
                f"{result.size} CSV peak < {peak / GIB:.1f} GiB: "
                f"{result.report_peak_mib / GIB:.2f} GiB {held}"
            )
    held = "met" if startup.ratio <= TARGET_HELP_RATIO else "MISSED"
    lines.append(f"roicli --help ≤ {TARGET_HELP_RATIO}× bare Typer: {startup.ratio:.2f}× {held}")
    for command, loaded in startup.pandas_imported.items():
        lines.append(f"roicli {command} imports pandas: {'yes MISSED' if loaded else 'no, met'}")
    return lines


def markdown(results: list[Result], startup: Startup, repeat: int) -> str:
    """The results as Markdown tables, with the machine they were measured on."""
    out = [
        f"Machine: {machine()}.",
        f"Medians of {repeat} alternating runs; whole processes, file in the page cache. "
        "Load: the highest 1-minute load average seen during an export's runs (the runs "
        "themselves count for about 1; well above 2, other work shared the CPUs: rerun).",
        "",
        "| export | rows | file MiB | baseline | baseline s | roicli s | ratio "
        "| baseline peak MiB | roicli peak MiB | load |",
        "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        out.append(
            f"| {r.export} | {r.rows:,} | {r.file_mib:.0f} | `{BASELINE[r.fmt]}` "
            f"| {r.baseline_s:.2f} | {r.report_s:.2f} | {r.ratio:.2f}× "
            f"| {r.baseline_peak_mib:.0f} | {r.report_peak_mib:.0f} | {r.load:.1f} |"
        )
    out += ["", "Stages of `roicli report --format json` (seconds, in-process medians):", ""]
    out.append("| export | " + " | ".join(STAGES) + " |")
    out.append("|---|" + "--:|" * len(STAGES))
    for r in results:
        out.append(f"| {r.export} | " + " | ".join(f"{r.stages[s]:.3f}" for s in STAGES) + " |")
    out += [
        "",
        f"`roicli --help`: {startup.help_s:.3f} s; a bare Typer app's `--help`: "
        f"{startup.bare_typer_help_s:.3f} s ({startup.ratio:.2f}×), medians of {STARTUP_RUNS}.",
        "",
        "Targets:",
        "",
        *(f"- {line}" for line in verdicts(results, startup)),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--formats", nargs="+", choices=list(BASELINE), default=list(BASELINE))
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    args = parser.parse_args(argv)
    os.chdir(HERE.parent)  # so that ``-m benchmarks.stages`` resolves in the children
    results = [bench_export(size, fmt, args.repeat) for size in args.sizes for fmt in args.formats]
    startup = bench_startup()
    text = markdown(results, startup, args.repeat)
    (DATA / "results.md").write_text(text, encoding="utf-8")
    payload = {
        "machine": machine(),
        "repeat": args.repeat,
        "exports": [asdict(r) | {"ratio": r.ratio} for r in results],
        "startup": asdict(startup) | {"ratio": startup.ratio},
    }
    (DATA / "results.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
