"""Hardening: broken and hostile inputs through the real CLI, byte-level limits, atomic outputs.

Every broken project is a copy of the bundled example with one defect. For each: exit 2, exactly
one stderr line ``roicli: error: …`` naming the file, no traceback, nothing on stdout, the
previous report byte-identical and no file added, changed or removed anywhere in the project.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest
from tests.conftest import copy_example, frame_of
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import Kpi, Source
from roicli.errors import DataError
from roicli.ingest import guards, load_sources
from roicli.ingest.guards import MAX_FIELDS, MAX_LINE_BYTES, check_openpyxl, check_text

AS_OF = "2026-10-31"
CONFIG = "configs/roicli.yaml"
WEB = "sample_data/web_analytics.csv"
CRM = "sample_data/crm_export.xlsx"
FEEDBACK = "sample_data/training_feedback.csv"
ESTIMATES = "sample_data/estimates.csv"
FIRST_ROW = "2024-11-01,Marketing,Organic sessions,304"
REPORT = b'{"previous": "report"}\n'
MIB = 1 << 20
ROICLI = Path(sys.executable).parent / "roicli"
BUNDLED_BYTES = (Path(__file__).resolve().parents[1] / CONFIG).stat().st_size
ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "160", "LANG": "C.UTF-8"}
runner = CliRunner()

Defect = Callable[[Path], None]


# ── building broken projects ─────────────────────────────────────────────────────────────────


def edit(relative: str, old: str, new: str) -> Defect:
    """Replace the first ``old`` in a text file of the project."""

    def apply(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def config(old: str, new: str) -> Defect:
    return edit(CONFIG, old, new)


def write(relative: str, data: bytes | str) -> Defect:
    """Replace a file of the project (or add one) with literal content."""

    def apply(root: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (root / relative).write_bytes(raw)

    return apply


def both(*defects: Defect) -> Defect:
    def apply(root: Path) -> None:
        for defect in defects:
            defect(root)

    return apply


def copied(source: str, target: str) -> Defect:
    def apply(root: Path) -> None:
        shutil.copyfile(root / source, root / target)

    return apply


def with_bytes(relative: str, change: Callable[[bytes], bytes]) -> Defect:
    def apply(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))

    return apply


class Part(NamedTuple):
    """One member of a hand-made zip: its deflated bytes, declared size and CRC."""

    name: str
    data: bytes
    size: int
    crc: int


def part(name: str, raw: bytes) -> Part:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Part(name, packer.compress(raw) + packer.flush(), len(raw), zlib.crc32(raw))


def zeros(name: str, mib: int, *, declared: int | None = None) -> Part:
    """``mib`` MiB of zero bytes, deflated in milliseconds (the CRC is left at 0).

    After a full flush the compressor's state is reset, so one compressed MiB repeated is a
    valid stream of many. The archives holding such a part are refused before it is unpacked,
    or while it is, for being larger than declared.
    """
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = block.compress(bytes(MIB)) + block.flush(zlib.Z_FULL_FLUSH)
    data = one * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return Part(name, data, mib * MIB if declared is None else declared, 0)


def zip_archive(parts: Sequence[Part]) -> bytes:
    """A zip written by hand: zipfile stores only what it compresses itself, and compressing a
    gigabyte takes seconds."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in parts:
        offset = len(out)
        encoded = name.encode()
        local = (20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *local) + encoded + data
        entry = (20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, *entry) + encoded
    end = (0, 0, len(parts), len(parts), len(central), len(out), 0)
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, *end))


SHEET = "xl/worksheets/sheet1.xml"


def workbook_parts(sheet: Part | None = None) -> list[Part]:
    """The example workbook's parts; ``sheet`` replaces its first sheet."""
    with zipfile.ZipFile(Path(__file__).parents[1] / CRM) as book:
        parts = [part(info.filename, book.read(info.filename)) for info in book.infolist()]
    return [sheet if sheet is not None and p.name == SHEET else p for p in parts]


def rewrite_part(source: Path, target: Path, change: Callable[[bytes], bytes]) -> None:
    """Copy a workbook, changing the XML of its first sheet."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w") as out:
        for info in book.infolist():
            data = book.read(info.filename)
            if info.filename == SHEET:
                data = change(data)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def damaged_sheet(root: Path) -> None:
    """The first sheet's XML cut in half, in an otherwise valid workbook."""
    rewrite_part(Path(__file__).parents[1] / CRM, root / CRM, lambda data: data[: len(data) // 2])


ALIAS_BOMB = "\n".join(
    ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


# ── the battery ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Case:
    """One broken project: its defect, the exact error (``{root}``: the project folder)."""

    id: str
    defect: Defect
    message: str | None  # None: not pinned yet (an expected failure)
    names: str  # the file (or option) the message must name
    args: tuple[str, ...] = ()
    command: str = "report"
    xfail: str | None = None  # why it still fails, until the named change is made


DATA = "{root}/sample_data/"
YAML = "{root}/configs/roicli.yaml"
WEB_AT = DATA + "web_analytics.csv"
CRM_AT = DATA + "crm_export.xlsx"
BAD_ROW = "(fix the value, or use --skip-bad-rows to skip such rows)"
BINARY = "this is a binary file, not a text export (a NUL byte at byte {}) (point the source at "
BINARY += "the CSV export, or re-export it as CSV)"
DAMAGED = "open it in Excel or LibreOffice and save it again as .xlsx"


def bad_value(text: str, column: str = "Value") -> str:
    return f"{WEB_AT}, row 2, column {column!r}: cannot read {text!r} as a number {BAD_ROW}"


def row(value: str) -> Defect:
    """The first data row of the web analytics export with another value."""
    return edit(WEB, FIRST_ROW, FIRST_ROW.removesuffix("304") + value)


CASES = [
    # ── config ──
    Case(
        "config-missing",
        lambda root: (root / CONFIG).unlink(),
        f"{YAML}: cannot read the config file: No such file or directory "
        "(check the path given with -c/--config)",
        "roicli.yaml",
    ),
    Case(
        "config-empty",
        write(CONFIG, ""),
        f"{YAML}:1: expected a mapping with version, sources, kpis and programs",
        "roicli.yaml",
    ),
    Case(
        "config-not-yaml",
        write(CONFIG, "version: 1\nkpis: [unclosed\n"),
        f"{YAML}:3: invalid YAML: expected ',' or ']', but got '<stream end>'",
        "roicli.yaml",
    ),
    Case(
        "config-not-utf8",
        with_bytes(CONFIG, lambda b: b.replace("qualifiés".encode(), b"qualifi\xe9s", 1)),
        f"{YAML}: the config file is not UTF-8 (byte 3357) (save it as UTF-8)",
        "roicli.yaml",
    ),
    Case(
        "config-alias-bomb",
        write(CONFIG, ALIAS_BOMB),
        f"{YAML}:1: invalid YAML: anchors and aliases (&name, *name) are not allowed; "
        "write the value out",
        "roicli.yaml",
    ),
    Case(
        "config-duplicate-key",
        config("currency: EUR", "currency: EUR\ncurrency: USD"),
        f"{YAML}:14: duplicate key 'currency' (first at line 13) (keep only one of them)",
        "roicli.yaml",
    ),
    Case(
        "config-unknown-key",
        config("    method: blended", "    methd: blended"),
        f"{YAML}:101: programs[0].methd: unknown key 'methd' (did you mean 'method'?)",
        "roicli.yaml",
    ),
    Case(
        "config-wrong-type",
        config("participants: 12", "participants: twelve"),
        f"{YAML}:104: programs[0].participants: expected a number, got 'twelve'",
        "roicli.yaml",
    ),
    Case(
        "config-negative-cost",
        config("amount: 9000", "amount: -9000"),
        f"{YAML}:116: programs[0].costs[2].amount: input should be greater than or equal to 0, "
        "got -9000",
        "roicli.yaml",
    ),
    Case(
        "config-attribution-1.5",
        config("attribution: 0.6", "attribution: 1.5"),
        f"{YAML}:150: programs[0].objectives[0].attribution: input should be less than or "
        "equal to 1, got 1.5",
        "roicli.yaml",
    ),
    Case(
        "config-confidence-negative",
        config("confidence: 0.8", "confidence: -0.2"),
        f"{YAML}:151: programs[0].objectives[0].confidence: input should be greater than or "
        "equal to 0, got -0.2",
        "roicli.yaml",
    ),
    Case(
        "config-deadline-before-baseline",
        config("deadline: 2026-09-30", "deadline: 2025-09-30"),
        f"{YAML}:139: programs[0].objectives[0]: the deadline 2025-09-30 is not after the "
        "baseline (which ends 2025-12-31)",
        "roicli.yaml",
    ),
    Case(
        "config-ratio-unknown-kpi",
        config("numerator: customers", "numerator: clients"),
        f"{YAML}:81: kpis.conversion_rate.ratio: refers to 'clients', which is not a "
        "configured KPI",
        "roicli.yaml",
    ),
    Case(
        "config-too-large",
        config("version: 1", "# " + "x" * 1_000_000 + "\nversion: 1"),
        f"{YAML}: the config file is {BUNDLED_BYTES + len('# ') + 1_000_000 + 1:,} bytes, "
        "more than the 1,000,000 allowed "
        "(a config holds settings; keep data in the source files)",
        "roicli.yaml",
    ),
    Case(
        "config-python-tag",
        config("currency: EUR", "!!python/object/apply:os.system currency: EUR"),
        f"{YAML}:13: cannot read the key 'currency': could not determine a constructor for the "
        "tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        "roicli.yaml",
    ),
    Case(
        "config-bad-binary-value",
        config("currency: EUR", "currency: !!binary x"),
        f"{YAML}:13: currency: cannot read the value 'x': failed to decode base64 data: Invalid "
        "base64-encoded string: number of data characters (1) cannot be 1 more than a multiple "
        "of 4",
        "roicli.yaml",
    ),
    Case(
        "config-value-per-unit-1e300",
        config("value_per_unit: 0.35", "value_per_unit: 1e300"),
        f"{YAML}:148: programs[0].objectives[0].value_per_unit: input should be less than or "
        "equal to 1,000,000,000,000, got '1e300'",
        "roicli.yaml",
    ),
    Case(
        "config-participants-1e20",
        config("participants: 12", "participants: 100000000000000000000"),
        f"{YAML}:104: programs[0].participants: input should be less than or equal to "
        "10,000,000, got 100000000000000000000",
        "roicli.yaml",
    ),
    # ── data: text exports ──
    Case(
        "data-missing-file",
        config("web_analytics.csv", "web_analytic.csv"),
        f"{DATA}web_analytic.csv: file not found (check sources[0].path (relative paths start "
        "at the config file's folder))",
        "web_analytic.csv",
    ),
    Case(
        "data-empty-file",
        write(WEB, b""),
        f"{WEB_AT}: the file is empty (export the data again, or fix the path)",
        "web_analytics.csv",
    ),
    Case(
        "data-binary-file", write(WEB, ELF), f"{WEB_AT}: " + BINARY.format(7), "web_analytics.csv"
    ),
    Case(
        "data-nul-byte",
        with_bytes(WEB, lambda data: data[:100] + b"\0" + data[100:]),
        f"{WEB_AT}: " + BINARY.format(100),
        "web_analytics.csv",
    ),
    Case(
        "data-pdf-as-csv",
        write(WEB, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        f"{WEB_AT}: this is a PDF document, not a text export (point the source at the data "
        "export, not a printed report)",
        "web_analytics.csv",
    ),
    Case(
        "data-xlsx-as-csv",
        copied(CRM, WEB),
        f"{WEB_AT}: this is a zip archive (such as an .xlsx workbook), not a text export "
        "(give a workbook the .xlsx suffix)",
        "web_analytics.csv",
    ),
    Case(
        "data-missing-column",
        config("value: Value", "value: Valeur"),
        f"{WEB_AT}: column 'Valeur' (columns.value) not found (did you mean 'Value'?); the "
        "header on line 1 has: 'Date', 'Team', 'Metric', 'Value' (set columns.value to one of "
        "the file's columns, or skip_rows to the lines before the header)",
        "web_analytics.csv",
    ),
    Case("data-bad-number", row("3O4"), bad_value("3O4"), "web_analytics.csv"),
    Case(
        "data-bad-date",
        edit(WEB, FIRST_ROW, FIRST_ROW.replace("2024-11-01", "2024-11-xx")),
        f"{WEB_AT}, row 2, column 'Date': cannot read '2024-11-xx' as a date (write the date "
        "like 2026-01-31, or use --skip-bad-rows to skip such rows)",
        "web_analytics.csv",
    ),
    Case(
        "data-ambiguous-dates",
        write(
            FEEDBACK,
            "Date;Team;Question;Score\n01/02/2026;Marketing;Satisfaction;4\n"
            "03/04/2026;Sales;Satisfaction;5\n",
        ),
        f"{DATA}training_feedback.csv, column 'Date': cannot tell the day from the month: every "
        "date fits both orders (e.g. '01/02/2026', '03/04/2026') (set dayfirst: true (dd/mm) "
        "or dayfirst: false (mm/dd) in the source)",
        "training_feedback.csv",
    ),
    Case(
        "data-10000-character-cell",
        row("3O4" + "x" * 10_000),
        bad_value("3O4" + "x" * 56 + "…"),
        "web_analytics.csv",
    ),
    Case(
        "data-10000-character-header",
        edit(WEB, "Metric,Value", "Metric,Value" + "x" * 10_000),
        f"{WEB_AT}: column 'Value' (columns.value) not found; the header on line 1 has: "
        f"'Date', 'Team', 'Metric', '{'Value' + 'x' * 54}…' (set columns.value to one of the "
        "file's columns, or skip_rows to the lines before the header)",
        "web_analytics.csv",
    ),
    Case("data-nan", row("nan"), bad_value("nan"), "web_analytics.csv"),
    Case("data-inf", row("-inf"), bad_value("-inf"), "web_analytics.csv"),
    Case("data-1e999", row("1e999"), bad_value("1e999"), "web_analytics.csv"),
    Case("data-1e300", row("1e300"), bad_value("1e300"), "web_analytics.csv"),
    Case(
        "data-too-many-columns",
        row("304" + "," * MAX_FIELDS),
        f"{WEB_AT}: line 2 has more than 16,384 fields (check that the file is one table of KPI "
        "values, and its delimiter)",
        "web_analytics.csv",
    ),
    Case(
        "data-wide-row",
        row("304" + ",x" * 100),
        f"{WEB_AT}: line 2 has 104 fields, far more than the 4 of the header on line 1 (check "
        "the delimiter and the quotes, or remove that line)",
        "web_analytics.csv",
    ),
    Case(
        "data-huge-line",
        row("304" + "x" * 3 * MIB),
        f"{WEB_AT}: line 2 is longer than 1,048,576 bytes (check that the file is a CSV export "
        "with one record per line)",
        "web_analytics.csv",
    ),
    Case(
        "data-text-as-parquet",
        both(copied(WEB, "sample_data/web.parquet"), config("web_analytics.csv", "web.parquet")),
        f"{DATA}web.parquet: this is a text file, not Parquet (if it is a CSV export, give it "
        "the .csv suffix)",
        "web.parquet",
    ),
    # ── data: workbooks ──
    Case(
        "data-wrong-sheet",
        config("sheet: Leads", "sheet: Leeds"),
        f"{CRM_AT}: sheet 'Leeds' not found (did you mean 'Leads'?); the workbook has sheets: "
        "'Leads', 'Notes' (set sheet to one of them (or to its index from 0))",
        "crm_export.xlsx",
    ),
    Case(
        "data-csv-as-xlsx",
        copied(WEB, CRM),
        f"{CRM_AT}: this is a text file, not a .xlsx workbook (if it is a CSV export, give it "
        "the .csv suffix)",
        "crm_export.xlsx",
    ),
    Case(
        "data-empty-xlsx",
        write(CRM, b""),
        f"{CRM_AT}: the file is empty (export the data again, or fix the path)",
        "crm_export.xlsx",
    ),
    Case(
        "data-encrypted-xlsx",
        write(CRM, OLE2),
        f"{CRM_AT}: this is an old .xls workbook or a password-protected Office file, not a "
        ".xlsx workbook (open it in Excel, remove any password and save it as .xlsx or .csv)",
        "crm_export.xlsx",
    ),
    Case(
        "data-zip-bomb",
        write(CRM, zip_archive(workbook_parts(zeros(SHEET, 512)))),
        f"{CRM_AT}: part 'xl/worksheets/sheet1.xml' unpacks 1,011 times its packed size (more "
        f"than 200): this looks like a zip bomb ({DAMAGED}, if it comes from a trusted source)",
        "crm_export.xlsx",
    ),
    Case(
        "data-damaged-sheet",
        damaged_sheet,
        f"{CRM_AT}: cannot read the workbook: v ({DAMAGED})",
        "crm_export.xlsx",
    ),
    # ── data: estimates ──
    Case(
        "estimates-missing",
        config("estimates: ../sample_data/estimates.csv", "estimates: ../sample_data/nope.csv"),
        f"{DATA}nope.csv: cannot read the estimates file: No such file or directory (check the "
        "objective's estimates: path (relative to the config file))",
        "nope.csv",
    ),
    Case(
        "estimates-bad-share",
        edit(ESTIMATES, "4800,60%", "4800,150%"),
        f"{DATA}estimates.csv, row 2, column 'contribution': expected a share between 0 and 1 "
        "(or 0% to 100%), got '150%'",
        "estimates.csv",
    ),
    Case(
        "estimates-binary",
        write(ESTIMATES, ELF),
        f"{DATA}estimates.csv: " + BINARY.format(7),
        "estimates.csv",
    ),
    Case(
        "estimates-escape-sequence",
        edit(ESTIMATES, "contribution,", "\x1b[2J\x1b]0;pwned\x07contribution,"),
        f"{DATA}estimates.csv, row 1: missing column(s) contribution; found participant, "
        "measure, annual_value, \\x1b[2j\\x1b]0;pwned\\x07contribution, confidence (the header "
        "must be: participant,measure,annual_value,contribution,confidence)",
        "estimates.csv",
    ),
    # ── usage ──
    Case(
        "usage-output-is-input",
        lambda root: None,
        "{root}/sample_data/estimates.csv: refusing to write over the input file "
        f"{DATA}estimates.csv (choose another output path)",
        "estimates.csv",
        ("-o", "{root}/" + ESTIMATES),
    ),
    Case(
        "usage-unknown-suffix",
        lambda root: None,
        '{root}/out/report.pdf: cannot tell which report to write from ".pdf" (end the output '
        "path with one of .xlsx, .json, .csv, .md, .html)",
        "report.pdf",
        ("-o", "{root}/out/report.pdf"),
    ),
    Case(
        "usage-bad-template",
        lambda root: None,
        "{root}/out/roi-{date}.json: bad output path template: unknown field {date} (only "
        '{as_of} is allowed, e.g. "reports/roi-{as_of:%Y-%m}.xlsx"; double braces {{ }} for '
        "literal ones)",
        "roi-{date}.json",
        ("-o", "{root}/out/roi-{date}.json"),
    ),
    Case(
        "usage-unknown-kpi",
        lambda root: None,
        "--kpi 'nope' is not a configured KPI (choose one of organic_sessions, qualified_leads, "
        "customers, cost_per_lead, conversion_rate, training_satisfaction, training_nps)",
        "--kpi",
        ("--kpi", "nope"),
        "trend",
    ),
    Case(
        "usage-as-of-not-a-date",
        lambda root: None,
        "--as-of: expected a date like 2026-10-31, got '2026-13-45'",
        "--as-of",
        ("--as-of", "2026-13-45"),
    ),
    Case(
        "usage-output-under-a-file",
        lambda root: None,
        "cannot write {root}/sample_data/estimates.csv/report.json: Not a directory (choose a "
        "writable output path)",
        "report.json",
        ("-o", "{root}/sample_data/estimates.csv/report.json"),
    ),
]


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the digest of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def example(tmp_path: Path, repo: Path) -> Path:
    """A copy of the bundled example with a previous report in its output folder."""
    root = tmp_path / "project"
    copy_example(root)
    (root / "out").mkdir()
    (root / "out" / "report.json").write_bytes(REPORT)
    return root


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def in_process(args: list[str]) -> Outcome:
    result = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "160"})
    return Outcome(result.exit_code, result.stdout, result.stderr)


def in_subprocess(args: list[str]) -> Outcome:
    done = subprocess.run(
        [str(ROICLI), *args], capture_output=True, text=True, timeout=60, env=ENV, check=False
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def check_broken(case: Case, root: Path, run: Callable[[list[str]], Outcome]) -> None:
    """Break the project, run the CLI and check every promise of the error path."""
    case.defect(root)
    before = snapshot(root)
    args = [case.command, "-c", str(root / CONFIG), "--as-of", AS_OF]
    args += [arg.replace("{root}", str(root)) for arg in case.args]
    if case.command == "report":
        args += ["-o", str(root / "out" / "report.json")]
    outcome = run(args)
    assert outcome.code == 2, outcome
    assert outcome.stdout == ""
    assert "Traceback" not in outcome.stderr
    assert snapshot(root) == before  # the old report untouched, no new or temporary file
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith("roicli: error: ")
    assert lines[0].isprintable()  # no terminal escape sequence from a hostile file
    assert case.names in lines[0]
    if case.message is not None:
        assert lines[0] == "roicli: error: " + case.message.replace("{root}", str(root))


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_broken_project_fails_cleanly(case: Case, example: Path) -> None:
    check_broken(case, example, in_process)


REAL_RUNS = ("config-alias-bomb", "data-binary-file", "data-zip-bomb", "usage-output-is-input")


@pytest.mark.parametrize("case", [c for c in CASES if c.id in REAL_RUNS], ids=REAL_RUNS)
def test_broken_project_fails_cleanly_in_a_real_process(case: Case, example: Path) -> None:
    check_broken(case, example, in_subprocess)


def test_the_battery_is_big_enough() -> None:
    assert len({case.id for case in CASES}) == len(CASES) >= 30


# ── hostile inputs fail fast ─────────────────────────────────────────────────────────────────


def timed(action: Callable[[], object]) -> tuple[float, BaseException | None]:
    """Seconds an action takes, and the exception it raised."""
    start = time.perf_counter()
    try:
        action()
    except BaseException as exc:  # the caller checks which
        return time.perf_counter() - start, exc
    return time.perf_counter() - start, None


def test_an_alias_bomb_is_refused_within_a_second(example: Path) -> None:
    write(CONFIG, ALIAS_BOMB)(example)
    seconds, _ = timed(lambda: in_process(["check", "-c", str(example / CONFIG)]))
    assert seconds < 1


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"  # 2 GiB of zeros in 2 MiB
    path.write_bytes(zip_archive(workbook_parts(zeros(SHEET, 2048))))
    seconds, error = timed(lambda: guards.check_workbook(path))
    assert isinstance(error, DataError)
    assert "unpacks to 2,147," in str(error)
    assert seconds < 1


WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stderr)
"""


def test_a_huge_line_is_refused_without_reading_the_file(example: Path) -> None:
    """256 MiB of real digits on one line: the run fails fast and its memory stays below that."""
    with (example / WEB).open("wb") as handle:
        handle.write(b"Date,Team,Metric,Value\n2024-11-01,Marketing,Organic sessions,")
        for _ in range(32):
            handle.write(b"9" * (8 * MIB))
    args = [str(ROICLI), "report", "-c", str(example / CONFIG), "-o", str(example / "r.json")]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    code, max_rss_kib, message = done.stdout.split(" ", 2)
    assert code == "2"
    assert "line 2 is longer than 1,048,576 bytes" in message
    assert int(max_rss_kib) < 256 * 1024
    assert seconds < 20  # mostly starting Python: the guard itself takes milliseconds


def test_the_line_guard_stops_reading_at_the_first_long_line(tmp_path: Path) -> None:
    """A 1 GiB file: 4 MiB of text on line 2, then a hole of NUL bytes the guard never sees."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"Date,Leads\n2026-01-01," + b"9" * (4 * MIB))
        handle.truncate(1 << 30)  # sparse: no disk used
    seconds, error = timed(lambda: check_text(path))
    assert str(error) == (
        f"{path}: line 2 is longer than 1,048,576 bytes "
        "(check that the file is a CSV export with one record per line)"
    )
    assert seconds < 0.5


# ── the guards, one by one ───────────────────────────────────────────────────────────────────


def test_lines_and_fields_up_to_the_limits_pass(tmp_path: Path) -> None:
    path = tmp_path / "limits.csv"
    path.write_bytes(b"x" * MAX_LINE_BYTES + b"\n" + b"," * (MAX_FIELDS - 1) + b"\n")
    check_text(path)
    path.write_bytes(b"Date\n" + b"," * MAX_FIELDS)
    with pytest.raises(DataError, match="line 2 has more than 16,384 fields"):
        check_text(path)


def test_a_long_line_is_numbered_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"a,b\n" * 700_000 + b"x" * (2 * MIB))  # 2.8 MB of short lines first
    with pytest.raises(DataError, match="line 700001 is longer than"):
        check_text(path)


def test_chunks_are_checked_and_hashed_whole_across_their_boundaries(tmp_path: Path) -> None:
    # Lines of 37 bytes never end on a 1 MiB boundary: each chunk carries a part line over.
    body = b"".join(b"2026-01-01,Leads,%08d,Marketing\n" % n for n in range(100_000))
    path = tmp_path / "long.csv"
    path.write_bytes(b"Date,Metric,Value,Team\n" + body)
    digest = hashlib.sha256()
    check_text(path, on_chunk=digest.update)
    assert digest.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    at = 3 * MIB + 12_345
    path.write_bytes(body[:at] + b"\0" + body[at:])
    with pytest.raises(DataError, match=rf"a NUL byte at byte {at}\)"):
        check_text(path)
    wide = b"," * MAX_FIELDS  # more fields than allowed, on a line across a chunk boundary
    path.write_bytes(body[: MIB - 100] + b"\n" + wide + b"\n" + body)
    with pytest.raises(DataError, match="more than 16,384 fields"):
        check_text(path)


def test_a_semicolon_or_configured_delimiter_counts_fields(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"Date\n" + b":" * MAX_FIELDS + b"\n")
    check_text(path)
    with pytest.raises(DataError, match="more than 16,384 fields"):
        check_text(path, delimiter=":")


def test_utf16_text_is_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("Date,Leads\n2026-01-01,3\n".encode("utf-16"))
    check_text(path)


def test_old_mac_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Date,Leads\r2026-01-01,3\r2026-02-01,4\r")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    dataset = load_sources([source], {"leads": Kpi.model_validate({})})
    assert frame_of(dataset)["value"].tolist() == [3.0, 4.0]


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("zip.xls", b"PK\x03\x04" + bytes(100), "a zip archive (such as an .xlsx workbook)"),
        ("text.xls", b"<html><table>", "a text file"),
        ("random.ods", bytes(range(256)), "an unknown kind of file"),
        ("pdf.parquet", b"%PDF-1.4", "a PDF document"),
    ],
)
def test_a_file_is_named_for_what_it_is(tmp_path: Path, name: str, data: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    check = guards.check_parquet if name.endswith(".parquet") else guards.check_workbook
    with pytest.raises(DataError, match=re.escape(f"this is {what}, not ")):
        check(path)


def test_real_workbooks_and_parquet_pass(tmp_path: Path, repo: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    guards.check_workbook(repo / CRM)
    pq.write_table(pa.table({"Date": ["2026-01-01"], "Leads": [1.0]}), tmp_path / "a.parquet")
    guards.check_parquet(tmp_path / "a.parquet")


def test_too_many_zip_parts_are_refused_from_the_end_record(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    path.write_bytes(zip_archive([part(f"p{i}", b"") for i in range(10_001)]))
    with pytest.raises(DataError, match="holds 10,001 parts, more than the 10,000 allowed"):
        guards.check_workbook(path)


def test_a_lying_part_size_is_caught_when_the_sheet_is_read(tmp_path: Path) -> None:
    """Declared sizes pass the guard; the readers stop at them (python-calamine, zipfile)."""
    path = tmp_path / "liar.xlsx"
    path.write_bytes(zip_archive(workbook_parts(zeros(SHEET, 256, declared=1000))))
    source = Source.model_validate(
        {"path": path, "sheet": "Leads", "layout": "wide", "columns": {"date": "Month"}}
    )
    seconds, error = timed(lambda: load_sources([source], {"mql": Kpi.model_validate({})}))
    assert isinstance(error, DataError)
    assert "cannot read the workbook" in str(error)
    assert seconds < 1


def test_openpyxl_is_refused_without_defusedxml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML  # the installed openpyxl uses defusedxml
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(DataError, match="openpyxl is not using defusedxml"):
        check_openpyxl(tmp_path / "book.xlsx")


XML_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_an_xml_entity_bomb_in_a_sheet_is_not_expanded(tmp_path: Path, engine: str) -> None:
    from roicli.ingest.excel import read_excel

    path = tmp_path / "lol.xlsx"
    with zipfile.ZipFile(Path(__file__).parents[1] / CRM) as book:
        sheet = book.read(SHEET).decode()
    sheet = XML_BOMB + sheet.split("?>", 1)[-1].replace("Marketing", "&lol9;", 1)
    path.write_bytes(zip_archive(workbook_parts(part(SHEET, sheet.encode()))))
    source = Source.model_validate(
        {"path": path, "sheet": "Leads", "layout": "wide", "columns": {"date": "Month"}}
    )
    seconds, error = timed(lambda: read_excel(path, source, {"mql": "mql"}, engine=engine))
    assert isinstance(error, DataError)  # calamine: unknown entity; openpyxl: defusedxml refuses
    assert str(error).startswith(f"{path}: cannot read the workbook: ")
    assert seconds < 1


# ── values that are not finite numbers ───────────────────────────────────────────────────────


def test_nan_beyond_the_typed_readers_sample_is_a_bad_value(tmp_path: Path) -> None:
    """The fast reader judges a file on its first lines; a later 'nan' still gets named."""
    path = tmp_path / "late-nan.csv"
    path.write_text("Date,Leads\n" + "2026-01-01,3\n" * 1500 + "2026-01-02,nan\n")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    with pytest.raises(DataError, match="row 1502, column 'Leads': cannot read 'nan'"):
        load_sources([source], {"leads": Kpi.model_validate({})})


def test_a_first_row_wider_than_the_header_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "wide-first.csv"
    path.write_text("Date,Leads\n2026-01-01,3,x\n2026-02-01,4\n")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    with pytest.raises(DataError, match="row 2: more fields than the header"):
        load_sources([source], {"leads": Kpi.model_validate({})})


@pytest.mark.parametrize(("suffix", "row"), [(".xlsx", 2), (".parquet", 1)])
@pytest.mark.parametrize(("typed", "shown"), [("1e999", "inf"), ("-1e300", "-1e+300")])
def test_typed_values_out_of_range_are_bad_rows(
    tmp_path: Path, suffix: str, row: int, typed: str, shown: str
) -> None:
    """Numbers no spreadsheet writes are named like bad text cells, and --skip-bad-rows skips
    them."""
    path = tmp_path / f"inf{suffix}"
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["Date", "Leads"])
        book.active.append(["2026-01-01", 1])
        book.active.append(["2026-02-01", 2])
        book.save(tmp_path / "one.xlsx")  # then the 1 becomes a number no spreadsheet writes
        change = typed.encode()
        rewrite_part(
            tmp_path / "one.xlsx", path, lambda xml: xml.replace(b"<v>1<", b"<v>" + change + b"<")
        )
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        leads = [float(typed), 2.0]
        pq.write_table(pa.table({"Date": ["2026-01-01", "2026-02-01"], "Leads": leads}), path)
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    kpis = {"leads": Kpi.model_validate({})}
    with pytest.raises(DataError) as error:
        load_sources([source], kpis)
    assert str(error.value) == (
        f"{path}, row {row}, column 'Leads': cannot read {shown!r} as a number {BAD_ROW}"
    )
    dataset = load_sources([source], kpis, skip_bad_rows=True)
    assert frame_of(dataset)["value"].tolist() == [2.0]


def test_a_field_too_long_for_the_csv_module_is_a_data_error(tmp_path: Path) -> None:
    from roicli.estimates import read_estimates

    path = tmp_path / "long-field.csv"
    path.write_text('"Date' + "x" * 200_000 + '",Leads\n2026-01-01,5\n')
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    with pytest.raises(DataError, match=r"column 'Date' \(columns.date\) not found"):
        load_sources([source], {"leads": Kpi.model_validate({})})
    path.write_text(
        "participant,measure,annual_value,contribution,confidence\n"
        + '"'
        + "x" * 200_000
        + '",m,1,1,1\n'
    )
    with pytest.raises(DataError, match="cannot read the file as CSV: field larger than"):
        read_estimates(path)


# ── crashes found by fuzz/fuzz_csv.py, kept as regressions ───────────────────────────────────


def test_a_fractional_excel_serial_date_is_read(tmp_path: Path) -> None:
    """'46023.0000001' is 8.6 ms past midnight: below pandas' microseconds, it crashed."""
    path = tmp_path / "serial.csv"
    path.write_text("Date,Leads\n46023.0000001,3\n46054,4\n")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    dataset = load_sources([source], {"leads": Kpi.model_validate({})})
    assert frame_of(dataset)["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-01-01",
        "2026-02-01",
    ]


def test_a_zip_needing_an_unknown_version_is_damaged(tmp_path: Path) -> None:
    """Found by mutating the example workbook: zipfile raised NotImplementedError."""
    data = bytearray(zip_archive(workbook_parts()))
    entry = data.find(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = struct.pack("<H", 129)  # "version needed to extract": 12.9
    path = tmp_path / "future.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"the workbook is damaged: zip file version 12\.9"):
        guards.check_workbook(path)


def test_a_byte_order_mark_before_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """Found by mutating the estimates file: UnicodeDecodeError escaped from read_estimates."""
    from roicli.estimates import read_estimates

    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfDate,Leads\n2026-01-01,\x87\n")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    with pytest.raises(DataError, match=r"not valid utf-8 \(byte 22\) \(it starts with a byte"):
        load_sources([source], {"leads": Kpi.model_validate({})})
    with pytest.raises(DataError, match=r"not valid utf-8 \(byte 22\) \(save it again as UTF-8"):
        read_estimates(path)


def test_a_huge_bad_cell_is_kept_short_in_the_audit(tmp_path: Path) -> None:
    """--skip-bad-rows keeps samples of the bad rows in the report: 200 characters at most."""
    path = tmp_path / "leads.csv"
    path.write_text("Date,Leads\n2026-01-01,3" + "x" * 10_000 + "\n2026-02-01,4\n")
    source = Source.model_validate({"path": path, "layout": "wide", "columns": {"date": "Date"}})
    dataset = load_sources([source], {"leads": Kpi.model_validate({})}, skip_bad_rows=True)
    (sample,) = dataset.audits[0].bad_rows
    assert (sample.row, sample.column) == (2, "Leads")
    assert sample.value == "3" + "x" * 198 + "…"
    assert sample.reason == f"cannot read {'3' + 'x' * 58 + '…'!r} as a number"
    assert frame_of(dataset)["value"].tolist() == [4.0]
