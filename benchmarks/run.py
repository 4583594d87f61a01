"""Time ``roicli report --format json`` against yardsticks doing as much or less on the same file:
a plain ``pandas.read_csv`` (or ``read_parquet``), and the same monthly aggregation in DuckDB and
in polars (``benchmarks/peers``, run from their own virtual environment).

    .venv/bin/python -m benchmarks.run          # 100k to 10M rows: CSV, shuffled CSV, Parquet
    .venv/bin/python -m benchmarks.run --sizes 1m --repeat 3 --formats csv
    .venv/bin/python -m benchmarks.run --sizes 100m --formats dataset --repeat 1

For each generated export (made once by ``benchmarks.generate`` into ``benchmarks/data/``), whole
processes are timed from start to exit, alternating between the commands, and the medians
compared; peak memory is each process's maximum resident set size. A separate run times the
stages inside ``roicli``. Then ``roicli --help`` is timed against a bare Typer app's ``--help``,
and ``--help``, ``kpis list`` and ``schema`` are checked not to import pandas. Results go to
stdout as Markdown and to ``benchmarks/data/results.{md,json}``. Linux (``wait4``).

The peers' virtual environment (``benchmarks/data/peers-venv``) is made on first use with
``pip install duckdb polars``; ``--no-peers`` leaves them out (and needs no network).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
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

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TEMPLATE = HERE / "roicli.bench.yaml"
PEERS_VENV = DATA / "peers-venv"
PEERS = {
    "duckdb": HERE / "peers" / "duckdb_monthly.py",
    "polars": HERE / "peers" / "polars_monthly.py",
}
AS_OF = "2026-10-31"
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000, "100m": 100_000_000}
# csv and parquet: one file; shuffled: a CSV of the same rows in a random order; dataset: a
# folder of monthly Parquet files (written a chunk at a time).
FORMATS = ("csv", "shuffled", "parquet", "dataset")
BASELINE = {
    "csv": "pandas.read_csv",
    "shuffled": "pandas.read_csv",
    "parquet": "pandas.read_parquet",
}
STAGES = ("import", "load", "aggregate", "analyse", "render")
STARTUP_RUNS = 15
GIB = 1024.0
TARGET_RATIO = {("1m", "csv"): 1.3}  # the report's time over the pandas baseline's
TARGET_PEERS = {("10m", "shuffled"): {"polars": 1.0, "duckdb": 1.5}}  # over the peers' times
TARGET_PEAK_MIB = {("10m", "shuffled"): 1.0 * GIB, ("100m", "dataset"): 1.5 * GIB}
TARGET_HELP_RATIO = 1.2


@dataclass(frozen=True)
class Process:
    """One finished process: wall-clock seconds from start to exit, and peak memory."""

    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Result:
    """Medians of one export: each command's time and peak memory, and the report's stages."""

    export: str
    size: str
    fmt: str
    rows: int
    file_mib: float
    seconds: dict[str, float]  # command ("roicli", a baseline, a peer) → median seconds
    peak_mib: dict[str, float]
    stages: dict[str, float]
    load: float

    def ratio(self, other: str) -> float | None:
        """The report's median time over another command's (None: not measured)."""
        found = self.seconds.get(other)
        return self.seconds["roicli"] / found if found else None


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


def write_config(export: Path, name: str) -> Path:
    """A config next to the export that reads it, from the template."""
    config = export.with_name(f"{name}.yaml")
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(source=export.name)
    config.write_text(text, encoding="utf-8")
    return config


def prepare(size: str, fmt: str) -> tuple[Path, Path]:
    """The export (generated when missing) and a config that reads it."""
    rows = SIZES[size]
    if fmt == "dataset":
        export = DATA / f"long_{size}_dataset"
        if not export.exists():
            print(f"generating {export.name} …", file=sys.stderr, flush=True)
            _generate(export, rows, "--partitions")
    else:
        suffix = "parquet" if fmt == "parquet" else "csv"
        export = DATA / f"long_{size}{'_shuffled' if fmt == 'shuffled' else ''}.{suffix}"
        if not export.exists():
            print(f"generating {export.name} …", file=sys.stderr, flush=True)
            _generate(export, rows, *(["--shuffle"] if fmt == "shuffled" else []))
    return export, write_config(export, f"long_{size}_{fmt}")


def _generate(path: Path, rows: int, *options: str) -> None:
    """Generate an export in a child process: on Linux a process started from this one reports
    at least this one's peak memory as its own, so this one must stay small."""
    argv = [sys.executable, "-m", "benchmarks.generate", "--rows", str(rows), *options, str(path)]
    subprocess.run(argv, check=True, cwd=HERE.parent)


def _files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def _warm(path: Path) -> None:
    """Read the export once so that every timed run finds it in the page cache."""
    for file in _files(path):
        with file.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def peers_python(*, wanted: bool) -> Path | None:
    """The peers' interpreter, its virtual environment made on first use; None without peers."""
    if not wanted:
        return None
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(
            "making the peers' virtual environment (pip install duckdb polars) …", file=sys.stderr
        )
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "duckdb", "polars"]
        subprocess.run(pip, check=True)
    return python


def commands(export: Path, config: Path, fmt: str, peers: Path | None) -> dict[str, list[str]]:
    """The report and its yardsticks for one export."""
    report = [roicli(), "report", "-c", str(config), "--as-of", AS_OF, "--format", "json"]
    found = {"roicli": [*report, "--no-history"]}  # no run history written into the data
    if fmt in BASELINE:
        code = f"import pandas; {BASELINE[fmt]}({str(export)!r})"
        found[BASELINE[fmt]] = [sys.executable, "-c", code]
    if peers is not None:
        found |= {name: [str(peers), str(script), str(export)] for name, script in PEERS.items()}
    return found


def bench_export(size: str, fmt: str, repeat: int, peers: Path | None) -> Result:
    """Medians of ``repeat`` alternating runs of the report and its yardsticks, and the stages."""
    export, config = prepare(size, fmt)
    _warm(export)
    argvs = commands(export, config, fmt, peers)
    stage_argv = [sys.executable, "-m", "benchmarks.stages", str(config), AS_OF]
    runs: dict[str, list[Process]] = {name: [] for name in argvs}
    stages, loads = [], []
    for _ in range(repeat):
        for name, argv in argvs.items():
            runs[name].append(measure(argv))
        out = subprocess.run(stage_argv, capture_output=True, check=True, cwd=HERE.parent)
        stages.append(json.loads(out.stdout))
        loads.append(os.getloadavg()[0])
    print(f"{export.name}: done", file=sys.stderr, flush=True)
    return Result(
        export=export.name + ("/" if export.is_dir() else ""),
        size=size,
        fmt=fmt,
        rows=SIZES[size],
        file_mib=sum(file.stat().st_size for file in _files(export)) / 2**20,
        seconds={name: statistics.median(p.seconds for p in done) for name, done in runs.items()},
        peak_mib={name: statistics.median(p.peak_mib for p in done) for name, done in runs.items()},
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
    python = PEERS_VENV / "bin" / "python"
    if python.exists():
        code = (
            "import duckdb, polars; "
            "print(f'DuckDB {duckdb.__version__}, polars {polars.__version__}')"
        )
        found = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
        libraries += f", {found.stdout.strip()}" if found.returncode == 0 else ""
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {libraries}"
    )


def verdicts(results: list[Result], startup: Startup) -> list[str]:
    """Each target of the issues, met or not, with the measured figure."""
    lines = []
    for r in results:
        key = (r.size, r.fmt)
        limit = TARGET_RATIO.get(key)
        ratio = r.ratio(BASELINE.get(r.fmt, ""))
        if limit is not None and ratio is not None:
            held = "met" if ratio <= limit else "MISSED"
            lines.append(f"{r.export} ≤ {limit}× {BASELINE[r.fmt]}: {ratio:.2f}× {held}")
        for peer, most in TARGET_PEERS.get(key, {}).items():
            ratio = r.ratio(peer)
            if ratio is not None:
                held = "met" if ratio <= most else "MISSED"
                lines.append(f"{r.export} ≤ {most}× {peer}: {ratio:.2f}× {held}")
        peak = TARGET_PEAK_MIB.get(key)
        if peak is not None:
            mine = r.peak_mib["roicli"]
            held = "met" if mine < peak else "MISSED"
            lines.append(f"{r.export} peak < {peak / GIB:.1f} GiB: {mine / GIB:.2f} GiB {held}")
    held = "met" if startup.ratio <= TARGET_HELP_RATIO else "MISSED"
    lines.append(f"roicli --help ≤ {TARGET_HELP_RATIO}× bare Typer: {startup.ratio:.2f}× {held}")
    for command, loaded in startup.pandas_imported.items():
        lines.append(f"roicli {command} imports pandas: {'yes MISSED' if loaded else 'no, met'}")
    return lines


def markdown(results: list[Result], startup: Startup, repeat: int) -> str:
    """The results as Markdown tables, with the machine they were measured on."""
    names = list(dict.fromkeys(name for r in results for name in r.seconds))
    out = [
        f"Machine: {machine()}. {time.strftime('%Y-%m-%d')}.",
        f"Medians of {repeat} alternating runs; whole processes, files in the page cache. "
        "Load: the highest 1-minute load average seen during an export's runs (the runs "
        "themselves count for about 1; well above 2, other work shared the CPUs: rerun).",
        "",
        "Seconds (and peak MiB) of each command; ratio: roicli's time over the command's.",
        "",
        "| export | rows | MiB | " + " | ".join(names) + " | load |",
        "|---|--:|--:|" + "--:|" * len(names) + "--:|",
    ]
    for r in results:
        cells = []
        for name in names:
            if name not in r.seconds:
                cells.append("–")
                continue
            ratio = r.ratio(name)
            shown = "" if name == "roicli" or ratio is None else f" ({ratio:.2f}×)"
            cells.append(f"{r.seconds[name]:.2f} s{shown}, {r.peak_mib[name]:.0f} MiB")
        out.append(
            f"| {r.export} | {r.rows:,} | {r.file_mib:.0f} | "
            + " | ".join(cells)
            + f" | {r.load:.1f} |"
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


def compile_roicli() -> None:
    """Write roicli's bytecode, as ``pip install`` does: with ``PYTHONDONTWRITEBYTECODE`` set,
    a source file edited since its ``.pyc`` was written would be compiled on every run."""
    spec = importlib.util.find_spec("roicli")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["100k", "1m", "10m"])
    parser.add_argument(
        "--formats", nargs="+", choices=FORMATS, default=["csv", "shuffled", "parquet"]
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--no-peers", action="store_true", help="leave DuckDB and polars out")
    args = parser.parse_args(argv)
    os.chdir(HERE.parent)  # so that ``-m benchmarks.stages`` resolves in the children
    compile_roicli()
    peers = peers_python(wanted=not args.no_peers)
    results = [
        bench_export(size, fmt, args.repeat, peers)
        for size in args.sizes
        for fmt in args.formats
        if (fmt == "dataset") == (size == "100m")  # 100M rows only as a dataset
    ]
    startup = bench_startup()
    text = markdown(results, startup, args.repeat)
    (DATA / "results.md").write_text(text, encoding="utf-8")
    payload = {
        "machine": machine(),
        "repeat": args.repeat,
        "exports": [asdict(r) for r in results],
        "startup": asdict(startup) | {"ratio": startup.ratio},
    }
    (DATA / "results.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
