"""The README's error lines are true: every indented ``roicli: `` line of "Errors and exit codes"
(the exit-2 errors and the ``--fail-on`` lines) is printed by the real CLI on a copy of the
bundled example with one small edit.

Each scenario copies configs/ and sample_data/ into a fresh folder, makes its edit, runs the
console script there with relative paths (``-c configs/roicli.yaml``) and compares stderr with
the README line, character for character. roicli names a file relative to the current folder
(``sample_data/web_analytics.csv``, not ``configs/../sample_data/…``). The line numbers the
README shows
are those of the bundled configs/roicli.yaml: every config edit keeps them, and finds the line
it changes by its content.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import LOCAL_STATE
from tests.pg import Server
from tests.sqlrows import example_from_postgres, load_example
from tests.test_hardening import both, config, edit, part, zeros, zip_archive

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
ROICLI = Path(sys.executable).parent / "roicli"
ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "160", "LANG": "C.UTF-8"}
INDENT = "    "
PREFIX = "roicli: "
DATA = "sample_data/"  # how roicli names a source of the example
CONFIG = "configs/roicli.yaml"
MULTI_YEAR = "configs/multi_year.yaml"
WEB = "sample_data/web_analytics.csv"
CRM = "sample_data/crm_export.xlsx"
FEEDBACK = "sample_data/training_feedback.csv"
ESTIMATES = "sample_data/estimates.csv"
SHEET = "xl/worksheets/sheet1.xml"
MIB = 1 << 20
CHECK = ("check", "-c", CONFIG, "--as-of", "2026-10-31")
REPORT = ("report", "-c", CONFIG, "--as-of", "2026-10-31")

Edit = Callable[[Path], None]


def readme_lines() -> list[str]:
    """The README's indented ``roicli: `` lines, without their indent."""
    text = README.read_text(encoding="utf-8")
    return [
        line.removeprefix(INDENT) for line in text.splitlines() if line.startswith(INDENT + PREFIX)
    ]


# ── edits of the example ─────────────────────────────────────────────────────────────────────


def unchanged(root: Path) -> None:
    """No edit: the command line is the mistake."""


def first_line_replaced(new: str) -> Edit:
    """The config's first line (a comment in the example) replaced by ``new``."""

    def apply(root: Path) -> None:
        path = root / CONFIG
        first, rest = path.read_text(encoding="utf-8").split("\n", 1)
        assert first.startswith("#"), first
        path.write_text(f"{new}\n{rest}", encoding="utf-8")

    return apply


def written(relative: str, text: str) -> Edit:
    def apply(root: Path) -> None:
        (root / relative).write_text(text, encoding="utf-8")

    return apply


def row_2_value(value: str) -> Edit:
    """Row 2 of the web analytics export (its first data line) with another value."""

    def apply(root: Path) -> None:
        path = root / WEB
        lines = path.read_text(encoding="utf-8").split("\n")
        date, team, metric, _ = lines[1].split(",")
        lines[1] = ",".join((date, team, metric, value))
        path.write_text("\n".join(lines), encoding="utf-8")

    return apply


def nul_byte_at_7(root: Path) -> None:
    path = root / WEB
    data = path.read_bytes()
    path.write_bytes(data[:7] + b"\0" + data[7:])


def text_named_xlsx(root: Path) -> None:
    """The web analytics CSV saved under the workbook's name."""
    (root / CRM).write_bytes((root / WEB).read_bytes())


def formula_without_value(root: Path) -> None:
    """A formula written with openpyxl (which stores no value for it) in the Leads sheet, row 14,
    column 'MQL'."""
    path = root / CRM
    book = openpyxl.load_workbook(path)
    sheet = book["Leads"]
    header = [cell.value for cell in sheet[3]]
    column = header.index("MQL") + 1
    sheet.cell(row=14, column=column, value="=SUM(100, 20)")
    book.save(path)


def zip_bomb(root: Path) -> None:
    """The workbook with its first sheet replaced by 512 MiB of zero bytes, deflated (written
    by hand in milliseconds, see tests/test_hardening.py). roicli refuses it from its
    directory, unopened."""
    path = root / CRM
    with zipfile.ZipFile(path) as book:
        parts = [
            zeros(name, 512) if name == SHEET else part(name, book.read(name))
            for name in book.namelist()
        ]
    path.write_bytes(zip_archive(parts))


# The micro-learning programme (the example's last) given evaluation files: its last line, then
# the evaluations, each written to sample_data/.
LAST_OBJECTIVE_LINE = "        forecast: target\n\n# Each measured benefit"
SIX = range(6)  # six participants, p0 … p5; the fifth (row 6, under the header) is the odd one
PRE_TEST = "Email,Score\n" + "".join(f"p{i}@example.com,{10 + i}\n" for i in SIX)


def with_evaluations(files: dict[str, str], *settings: str) -> Edit:
    """The files written to sample_data/ and listed, with ``settings``, as the programme's
    evaluations."""

    def apply(root: Path) -> None:
        for name, text in files.items():
            (root / DATA / name).write_text(text, encoding="utf-8")
        listed = "".join(f"      - {{{item}}}\n" for item in settings)
        new = f"        forecast: target\n    evaluations:\n{listed}\n# Each measured benefit"
        config(LAST_OBJECTIVE_LINE, new)(root)

    return apply


# Installed with PYTHONPATH in the roicli process: the first time the process opens the file
# (roicli takes its identity just before), a row is appended to it, as to an export still being
# written. An audit hook, so that no part of roicli is patched.
GROWING = '''\
"""Test hook of tests/test_readme_errors.py: {name} grows as roicli opens it."""

import sys

opened = []


def grow(event, args):
    if event == "open" and str(args[0]).endswith({name!r}) and not opened:
        opened.append(args[0])
        with open(args[0], "a", encoding="utf-8") as export:
            export.write({row!r})


sys.addaudithook(grow)
'''


def no_usd_rate_at_start(root: Path) -> None:
    """The content licence in USD, with a rate only from after the programme's start."""
    path = root / CONFIG
    text = path.read_text(encoding="utf-8").replace(
        "{item: Content licence, category: tools, amount: 4800}",
        "{item: Content licence, category: tools, amount: 4800, currency: USD}",
    )
    path.write_text(text + "fx:\n  USD: [{from: 2026-10-01, rate: 0.95}]\n", encoding="utf-8")


# ── the scenarios ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Scenario:
    """One README line, as the README shows it (no indent), and how to make roicli print it."""

    name: str
    line: str
    edit: Edit = unchanged
    args: tuple[str, ...] = CHECK
    code: int = 2
    grows: str | None = None  # a source that grows while it is read (GROWING)


SCENARIOS = [
    # ── config errors ──
    Scenario(
        "duplicate-key",
        "roicli: error: configs/roicli.yaml:14: duplicate key 'currency' (first at line 13) "
        "(keep only one of them)",
        config("currency: EUR\n", "currency: EUR\ncurrency: EUR\n"),
    ),
    Scenario(
        "unknown-key",
        "roicli: error: configs/roicli.yaml:101: programs[0].methd: unknown key 'methd' "
        "(did you mean 'method'?)",
        config("    method: blended", "    methd: blended"),
    ),
    Scenario(
        "attribution-1.5",
        "roicli: error: configs/roicli.yaml:150: programs[0].objectives[0].attribution: input "
        "should be less than or equal to 1, got 1.5",
        config("attribution: 0.6", "attribution: 1.5"),
    ),
    Scenario(
        "value-per-unit-1e300",
        "roicli: error: configs/roicli.yaml:148: programs[0].objectives[0].value_per_unit: "
        "input should be less than or equal to 1,000,000,000,000, got '1e300'",
        config("value_per_unit: 0.35", "value_per_unit: 1e300"),
    ),
    Scenario(
        "anchor",
        "roicli: error: configs/roicli.yaml:1: invalid YAML: anchors and aliases (&name, *name) "
        "are not allowed; write the value out",
        first_line_replaced("defaults: &defaults {attribution: 0.6, confidence: 0.8}"),
    ),
    Scenario(
        "unknown-kpi",
        "roicli: error: configs/roicli.yaml:141: programs[0].objectives[0].kpi: unknown KPI "
        "'organic_session' (did you mean 'organic_sessions'?) (define it under kpis:, or fix "
        "the name)",
        config("kpi: organic_sessions\n", "kpi: organic_session\n"),
    ),
    Scenario(
        "unknown-control-group",
        "roicli: error: configs/roicli.yaml:157: programs[0].objectives[1].control_group: no "
        "group 'Sale' in the data for qualified_leads (did you mean 'Sales'?); groups found: "
        "'Marketing', 'Sales' (fix the name, or check the source's group column)",
        config("control_group: Sales ", "control_group: Sale "),
    ),
    Scenario(
        "discount-rate-15",
        "roicli: error: configs/multi_year.yaml:25: programs[0].multi_year.discount_rate: "
        "expected a discount rate from 0% to 100%, like 15% or 0.15, got 15",
        edit(MULTI_YEAR, "discount_rate: 15%", "discount_rate: 15"),
        ("roi", "-c", MULTI_YEAR),
    ),
    Scenario(
        "benefits-by-year-4",
        "roicli: error: configs/multi_year.yaml:26: programs[0].multi_year.benefits_by_year: 4 "
        "values for years: 3 (give one value per year, year 1 first, or set years: 4)",
        edit(MULTI_YEAR, "[300000, 500000, 500000]", "[300000, 500000, 500000, 500000]"),
        ("roi", "-c", MULTI_YEAR),
    ),
    Scenario(
        "password-in-url",
        "roicli: error: configs/roicli.yaml:27: sources[0].url: a password does not belong in "
        "the config (put the whole URL in an environment variable and name it with url_env:, "
        "e.g. url_env: ROICLI_CRM_URL, or leave the password to the driver's own file "
        "(~/.pgpass))",
        both(
            config(
                "- path: ../sample_data/web_analytics.csv",
                "- url: postgresql+psycopg://roicli:s3cret@db.example.com/crm",
            ),
            config("    layout: long\n", "    table: web_analytics\n"),
        ),
    ),
    # ── data errors ──
    Scenario(
        "url-env-not-set",
        "roicli: error: sources[0].url_env: the environment variable ROICLI_CRM_URL is not set "
        "(set ROICLI_CRM_URL to the database's URL, e.g. "
        "ROICLI_CRM_URL=postgresql+psycopg://user:password@host/database)",
        both(
            config("- path: ../sample_data/web_analytics.csv", "- url_env: ROICLI_CRM_URL"),
            config("    layout: long\n", "    table: web_analytics\n"),
        ),
    ),
    Scenario(
        "nan",
        f"roicli: error: {DATA}web_analytics.csv, row 2, column 'Value': cannot read 'nan' as a "
        "number (fix the value, or use --skip-bad-rows to skip such rows)",
        row_2_value("nan"),
    ),
    Scenario(
        "ambiguous-dates",
        f"roicli: error: {DATA}training_feedback.csv, column 'Date': cannot tell the day from "
        "the month: every date fits both orders (e.g. '01/02/2026', '03/04/2026') (set "
        "dayfirst: true (dd/mm) or dayfirst: false (mm/dd) in the source)",
        written(
            FEEDBACK,
            "Date;Team;Question;Score\n"
            "01/02/2026;Marketing;Satisfaction;4\n"
            "03/04/2026;Sales;Satisfaction;5\n",
        ),
    ),
    Scenario(
        "missing-column",
        f"roicli: error: {DATA}web_analytics.csv: column 'Valeur' (columns.value) not found "
        "(did you mean 'Value'?); the header on line 1 has: 'Date', 'Team', 'Metric', 'Value' "
        "(set columns.value to one of the file's columns, or skip_rows to the lines before the "
        "header)",
        config("value: Value", "value: Valeur"),
    ),
    Scenario(
        "text-as-xlsx",
        f"roicli: error: {DATA}crm_export.xlsx: this is a text file, not a .xlsx workbook (if "
        "it is a CSV export, give it the .csv suffix)",
        text_named_xlsx,
    ),
    Scenario(
        "estimates-150%",
        f"roicli: error: {DATA}estimates.csv, row 2, column 'contribution': expected a share "
        "between 0 and 1 (or 0% to 100%), got '150%'",
        edit(ESTIMATES, ",4800,60%,", ",4800,150%,"),
    ),
    Scenario(
        "estimates-period",
        f"roicli: error: {DATA}estimates.csv, row 2, column 'period': expected month, week, year "
        "or once, got 'fortnight' (write what the value is per, or leave the cell empty for a "
        "year)",
        written(
            ESTIMATES,
            "participant,measure,annual_value,contribution,confidence,period\n"
            "Léa,Time saved on keyword research,200,60%,80%,fortnight\n",
        ),
    ),
    Scenario(
        "estimates-margin",
        f"roicli: error: {DATA}estimates.csv, row 2, column 'margin': expected a share between "
        "0 and 1 (or 0% to 100%), got '125%'",
        written(
            ESTIMATES,
            "participant,measure,annual_value,contribution,confidence,margin\n"
            "Léa,Extra sales,40000,60%,80%,125%\n",
        ),
    ),
    Scenario(
        "forecast-word",
        "roicli: error: configs/roicli.yaml:236: programs[1].objectives[0].forecast: expected a "
        'change of the KPI a month (14, -3 or "+20%") or "target", got \'plenty\'',
        config("forecast: target", "forecast: plenty"),
    ),
    Scenario(
        "fx-no-rate",
        "roicli: error: configs/roicli.yaml:217: programs[1].costs[0].currency: no USD rate on "
        "or before 2026-09-01 under fx: (add one, e.g. fx: {USD: [{from: 2026-09-01, rate: "
        "0.9}]} for 1 USD = 0.9 EUR)",
        no_usd_rate_at_start,
    ),
    Scenario(
        "changed-while-read",
        f"roicli: error: {DATA}web_analytics.csv: changed while it was read (run again when the "
        "export is complete)",
        grows="web_analytics.csv",
    ),
    Scenario(
        "formula-without-value",
        f"roicli: error: {DATA}crm_export.xlsx, sheet 'Leads', row 14, column 'MQL': a formula "
        "with no saved value (open the workbook in Excel or LibreOffice and save it, so the "
        "values are stored)",
        formula_without_value,
    ),
    Scenario(
        "all-rows-skipped",
        f"roicli: error: {DATA}web_analytics.csv: all 2 rows were skipped as bad rows (first: "
        "row 2, column 'Value': cannot read 'abc' as a number) (fix the export, or check the "
        "source's columns and its decimal, thousands and dayfirst settings)",
        written(
            WEB,
            "Date,Team,Metric,Value\n"
            "2026-01-01,Marketing,Organic sessions,abc\n"
            "2026-02-01,Marketing,Organic sessions,3O4\n",
        ),
        (*CHECK, "--skip-bad-rows"),
    ),
    Scenario(
        "nul-byte",
        f"roicli: error: {DATA}web_analytics.csv: this is a binary file, not a text export (a "
        "NUL byte at byte 7) (point the source at the CSV export, or re-export it as CSV)",
        nul_byte_at_7,
    ),
    Scenario(
        "long-line",
        f"roicli: error: {DATA}web_analytics.csv: line 2 is longer than 1,048,576 bytes (check "
        "that the file is a CSV export with one record per line)",
        row_2_value("304" + "x" * MIB),
    ),
    Scenario(
        "zip-bomb",
        f"roicli: error: {DATA}crm_export.xlsx: part 'xl/worksheets/sheet1.xml' unpacks 1,011 "
        "times its packed size (more than 200): this looks like a zip bomb (open it in Excel or "
        "LibreOffice and save it again as .xlsx, if it comes from a trusted source)",
        zip_bomb,
    ),
    Scenario(
        "evaluation-likert-label",
        f"roicli: error: {DATA}reaction.csv, row 6, column 'The module was useful': 'Agre' is "
        "not on the agreement scale (did you mean 'Agree'?) (correct the answer, or give the "
        "evaluation a scale: that holds it, and list under questions: the columns on that scale)",
        with_evaluations(
            {
                "reaction.csv": "Timestamp,Email Address,The module was useful\n"
                + "".join(
                    f"10/1{i}/2026 10:00:00,p{i}@example.com,{'Agre' if i == 4 else 'Agree'}\n"
                    for i in SIX
                )
            },
            "path: ../sample_data/reaction.csv, level: reaction, moment: after, tool: google_forms",
        ),
    ),
    Scenario(
        "evaluation-no-participant-key",
        f"roicli: error: {DATA}post-test.csv: no participant key column (looked for: none for "
        "this tool); a learning test pairs each participant's scores by it (set respondent: to "
        "the column holding the participant's e-mail, id or name)",
        with_evaluations(
            {"post-test.csv": "Score\n" + "".join(f"{14 + i}\n" for i in SIX)},
            "path: ../sample_data/post-test.csv, level: learning, moment: after, score: Score",
        ),
    ),
    Scenario(
        "evaluation-score-above-maximum",
        f"roicli: error: {DATA}post-test.csv, row 6, column 'Score': score 22 is above the "
        "maximum 20 (check the score, or set max_score: to the test's maximum)",
        with_evaluations(
            {
                "pre-test.csv": PRE_TEST,
                "post-test.csv": "Email,Score\n"
                + "".join(f"p{i}@example.com,{14 + 2 * i}\n" for i in SIX),
            },
            *(
                f"path: ../sample_data/{name}.csv, level: learning, moment: {moment}, "
                "respondent: Email, score: Score, max_score: 20"
                for name, moment in (("pre-test", "before"), ("post-test", "after"))
            ),
        ),
    ),
    # ── usage errors ──
    Scenario(
        "output-is-input",
        "roicli: error: sample_data/estimates.csv: refusing to write over the input file "
        f"{DATA}estimates.csv (choose another output path)",
        args=(*REPORT, "-o", ESTIMATES),
    ),
    Scenario(
        "unknown-suffix",
        'roicli: error: out/report.pdf: cannot tell which report to write from ".pdf" (end the '
        "output path with one of .xlsx, .json, .csv, .md, .html)",
        args=(*REPORT, "-o", "out/report.pdf"),
    ),
    Scenario(
        "bad-template",
        "roicli: error: out/roi-{date}.json: bad output path template: unknown field {date} "
        '(only {as_of} is allowed, e.g. "reports/roi-{as_of:%Y-%m}.xlsx"; double braces {{ }} '
        "for literal ones)",
        args=(*REPORT, "-o", "out/roi-{date}.json"),
    ),
    Scenario(
        "unknown-kpi-option",
        "roicli: error: --kpi 'nope' is not a configured KPI (choose one of organic_sessions, "
        "qualified_leads, customers, cost_per_lead, conversion_rate, training_satisfaction, "
        "training_nps)",
        args=("trend", "-c", CONFIG, "--as-of", "2026-10-31", "--kpi", "nope"),
    ),
    Scenario(
        "as-of-not-a-date",
        "roicli: error: --as-of: expected a date like 2026-10-31, got '2026-13-45'",
        args=("report", "-c", CONFIG, "--as-of", "2026-13-45"),
    ),
    Scenario(
        "output-under-a-file",
        "roicli: error: cannot write sample_data/estimates.csv/report.json: Not a directory "
        "(choose a writable output path)",
        args=(*REPORT, "-o", f"{ESTIMATES}/report.json"),
    ),
    Scenario(
        "lang-value",
        "roicli: error: --lang: 'de' is not one of 'en', 'fr' (choose one of them)",
        args=(*REPORT, "--lang", "de"),
    ),
    Scenario(
        "lang-misspelt",
        "roicli: error: --lnag: no such option (did you mean --lang?)",
        args=(*REPORT, "--lnag", "fr"),
    ),
    # ── --fail-on (exit 1, after the summary line) ──
    Scenario(
        "fail-on-off-track",
        "roicli: --fail-on off-track: cost-per-lead, satisfaction, leads-x3",
        args=(*REPORT, "--fail-on", "off-track"),
        code=1,
    ),
    Scenario(
        "fail-on-smart",
        "roicli: --fail-on smart: satisfaction, leads-x3 fail a SMART criterion",
        args=(*REPORT, "--fail-on", "smart"),
        code=1,
    ),
    Scenario(
        "fail-on-stale-data",  # run on 4 December, with exports that end in October
        "roicli: --fail-on stale-data: organic_sessions (data to 2026-10-31), qualified_leads "
        "(data to 2026-10-31), cost_per_lead (data to 2026-10-31), conversion_rate (data to "
        "2026-10-31)",
        args=("report", "-c", CONFIG, "--as-of", "2026-12-04", "--fail-on", "stale-data"),
        code=1,
    ),
]


def example(tmp_path: Path) -> Path:
    """A copy of the bundled example (configs/ and sample_data/ side by side)."""
    root = tmp_path.resolve() / "project"
    for folder in ("configs", "sample_data"):
        shutil.copytree(REPO / folder, root / folder, ignore=LOCAL_STATE)
    return root


def run(scenario: Scenario, tmp_path: Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the scenario's command on an edited copy of the example;
    the copy's folder is shown as the README's."""
    root = example(tmp_path)
    scenario.edit(root)
    env = dict(ENV)
    if scenario.grows:
        hooks = tmp_path / "hooks"
        hooks.mkdir()
        row = "2026-10-31,Marketing,Organic sessions,1\n"
        (hooks / "sitecustomize.py").write_text(
            GROWING.format(name=scenario.grows, row=row), encoding="utf-8"
        )
        env["PYTHONPATH"] = str(hooks)
    done = subprocess.run(
        [str(ROICLI), *scenario.args],
        cwd=root,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in SCENARIOS])
def test_the_readme_line_is_what_roicli_prints(scenario: Scenario, tmp_path: Path) -> None:
    code, out, err = run(scenario, tmp_path)
    if scenario.code == 2:
        assert (code, out, err) == (2, "", scenario.line + "\n")
    else:
        summary, *conditions = err.splitlines()
        assert summary.startswith("roicli: as of "), err
        assert (code, conditions) == (scenario.code, [scenario.line])


# ── database sources: the example's tables in the test's PostgreSQL server ────────────────────
# The server is reached on a socket in a temporary folder; its URL is shown as the README's.
SHOWN_URL = "postgresql+psycopg://roicli:***@db.example.com/crm"
DATABASE_SCENARIOS = [
    Scenario(
        "sql-missing-column",
        f"roicli: error: {SHOWN_URL}: sources[0].columns.value: no column 'Valeu' in table "
        "'web_analytics' (did you mean 'Value'?); its columns: 'Date', 'Team', 'Metric', "
        "'Value' (write the column's name as the database spells it)",
        edit("configs/from-postgres.yaml", "value: Value", "value: Valeu"),
    ),
    Scenario(
        "sql-missing-table",
        f'roicli: error: {SHOWN_URL}: sources[0]: relation "web_analytic" does not exist '
        "(check the source's table: and schema:, or its query:)",
        edit("configs/from-postgres.yaml", "table: web_analytics", "table: web_analytic"),
    ),
    Scenario(
        "sql-timeout",
        f"roicli: error: {SHOWN_URL}: sources[0]: the query ran longer than timeout: 1 s and "
        "was stopped (raise the source's timeout:, or give the database an index or a narrower "
        "table)",
        edit(
            "configs/from-postgres.yaml",
            "    table: web_analytics\n",
            '    query: "SELECT w.* FROM web_analytics AS w, (SELECT pg_sleep(30)) AS s"\n'
            "    timeout: 1\n",
        ),
    ),
    Scenario(
        "sql-write",
        f"roicli: error: {SHOWN_URL}: sources[0]: the query tried to write, which roicli "
        "refuses (cannot execute INSERT in a read-only transaction) (give roicli a query that "
        "only reads)",
        edit(
            "configs/from-postgres.yaml",
            "    table: web_analytics\n",
            '    query: "SELECT \\"Date\\", \\"Team\\", \\"Metric\\", '
            '\\"Value\\" + visit() AS \\"Value\\" FROM web_analytics"\n',
        ),
    ),
]


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in DATABASE_SCENARIOS])
def test_the_readme_line_for_a_database(
    scenario: Scenario, postgres: Server, tmp_path: Path
) -> None:
    root = example(tmp_path)
    load_example(postgres, root / "sample_data")
    postgres.execute(
        "CREATE TABLE IF NOT EXISTS visits (n int)",
        "CREATE OR REPLACE FUNCTION visit() RETURNS int LANGUAGE sql VOLATILE "
        "AS 'INSERT INTO visits VALUES (1) RETURNING 0'",
    )
    example_from_postgres(root)
    scenario.edit(root)
    done = subprocess.run(
        [str(ROICLI), "check", "-c", "configs/from-postgres.yaml", "--as-of", "2026-10-31"],
        cwd=root,
        env={**ENV, "ROICLI_CRM_URL": postgres.url()},
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    server = re.escape("postgresql+psycopg://roicli:***@/kpis?host=") + r"[^:&]*&port=\d+"
    shown = re.sub(server, SHOWN_URL, done.stderr)
    assert (done.returncode, done.stdout, shown) == (2, "", scenario.line + "\n")


def test_every_readme_line_has_a_scenario() -> None:
    shown = readme_lines()
    pinned = [scenario.line for scenario in (*SCENARIOS, *DATABASE_SCENARIOS)]
    assert len(shown) == len(set(shown)), "a line shown twice in the README"
    named = {scenario.name for scenario in (*SCENARIOS, *DATABASE_SCENARIOS)}
    assert len(named) == len(SCENARIOS) + len(DATABASE_SCENARIOS)
    assert sorted(set(shown) - set(pinned)) == [], "README lines without a scenario"
    assert sorted(set(pinned) - set(shown)) == [], "scenarios whose line left the README"
