"""Shared helpers: tiny long tables and configs written out literally; the system tools
(Chromium, LibreOffice) that the real-tool checks need, skipped locally but never under CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from roicli.config import Kpi
from roicli.daytable import DayTable, needs, of_rows
from roicli.ingest import Dataset
from roicli.longtable import LongTable

# What a copy of the example leaves out: the run history a `make report` may have written.
LOCAL_STATE = shutil.ignore_patterns(".roicli")

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from tests.pg import Server

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"


def long_table(rows: Iterable[tuple[str, str, str, float]]) -> LongTable:
    """A normalised long table from (date, kpi, group, value) tuples."""
    rows = list(rows)
    kpis = sorted({kpi for _, kpi, _, _ in rows})
    groups = sorted({group for _, _, group, _ in rows})
    return LongTable(
        days=np.array([day for day, _, _, _ in rows], dtype="datetime64[D]"),
        kpi=np.array([kpis.index(kpi) for _, kpi, _, _ in rows], dtype=np.int32),
        group=np.array([groups.index(group) for _, _, group, _ in rows], dtype=np.int32),
        values=np.array([value for _, _, _, value in rows], dtype=np.float64),
        kpi_names=tuple(kpis),
        group_names=tuple(groups),
    )


def day_table(
    rows: Iterable[tuple[str, str, str, float]], kpis: Mapping[str, Kpi] | None = None
) -> DayTable:
    """The day table of (date, kpi, group, value) tuples, keeping what ``kpis``' aggregations
    need (sums and counts only without them)."""
    return of_rows(long_table(rows), needs(kpis or {}))


def frame_of(data: Dataset | LongTable | DayTable) -> pd.DataFrame:
    """A long or day table as a frame (date, kpi, group, value), for assertions."""
    table = data.table if isinstance(data, Dataset) else data
    return pd.DataFrame(
        {
            "date": pd.Series(table.days.astype("datetime64[ns]")),
            "kpi": pd.Series([table.kpi_names[code] for code in table.kpi.tolist()], dtype="str"),
            "group": pd.Series(
                [table.group_names[code] for code in table.group.tolist()], dtype="str"
            ),
            "value": table.values,
        }
    )


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO


def copy_example(root: Path) -> Path:
    """Copy the bundled example (its config folder and sample data, no local run state) into
    ``root`` and return the copy's config file."""
    shutil.copytree(REPO / "configs", root / "configs", ignore=LOCAL_STATE)
    shutil.copytree(REPO / "sample_data", root / "sample_data")
    return root / "configs" / "roicli.yaml"


# System tools (Chromium, LibreOffice) for the real-tool checks. A test that needs one asks for
# its fixture, or carries @pytest.mark.needs_tool("executable"). Where the tool is absent the test
# is skipped with a reason starting "tool missing:"; when the environment variable CI is set
# (non-empty, as .ci/run sets it), any such skip fails the run: CI installs every tool.

TOOL_MISSING = "tool missing:"
TOOLS: dict[str, tuple[tuple[str, ...], str]] = {
    # fixture name: (executables on PATH, Debian packages that bring them)
    "chromium": (("chromium", "chromedriver"), "chromium chromium-driver"),
    "soffice": (("soffice",), "libreoffice-calc-nogui"),
}


def tool_paths(name: str) -> tuple[Path, ...]:
    """The executables of a tool (a TOOLS key, or one executable's name), found on PATH; when one
    is absent the calling test is skipped as 'tool missing: ...'."""
    executables, package = TOOLS.get(name, ((name,), name))
    found = {executable: shutil.which(executable) for executable in executables}
    absent = [executable for executable, path in found.items() if path is None]
    if absent:
        pytest.skip(f"{TOOL_MISSING} {', '.join(absent)} (apt-get install {package})")
    return tuple(Path(path) for path in found.values() if path is not None)


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    """A headless Chromium driven by Selenium, shared by the session's tests."""
    browser, driver = tool_paths("chromium")
    from tests.browser import headless_chromium

    with headless_chromium(browser=browser, driver=driver) as session:
        yield session


@pytest.fixture(scope="session")
def soffice() -> Path:
    """The LibreOffice executable."""
    (executable,) = tool_paths("soffice")
    return executable


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """A real PostgreSQL server of the session (tests/pg.py), stopped at the end."""
    from tests import pg

    absent = pg.missing()
    if absent is not None:
        pytest.skip(f"{TOOL_MISSING} {absent}")
    with pg.running() as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_tool(*executables): skip as 'tool missing:' unless all are on PATH"
    )
    config.pluginmanager.register(_ToolCheck(), "roicli-tool-check")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs_tool"):
        for name in mark.args:
            tool_paths(name)


class _ToolCheck:
    """Counts the tests skipped for a missing tool, and fails the run on them under CI."""

    def __init__(self) -> None:
        self.skipped: dict[str, str] = {}  # test id: reason

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
            if reason.startswith(TOOL_MISSING):
                self.skipped[report.nodeid] = reason

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.skipped and os.environ.get("CI") and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.skipped:
            return
        strict = bool(os.environ.get("CI"))
        title = "tool missing under CI: the run fails" if strict else "skipped: tool missing"
        terminalreporter.section(title, sep="=", red=strict, yellow=not strict)
        for nodeid, reason in self.skipped.items():
            terminalreporter.line(f"{nodeid}: {reason}")
