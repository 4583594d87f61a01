"""Headless Chromium for the tests: does a page overflow a viewport, how many pages does it print.

Selenium drives Debian's ``chromium`` through ``chromedriver`` (no driver download: both paths
are given). Each session gets a fresh profile in a temporary folder and never touches the network.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WINDOW = (1280, 800)
A4_INCHES = (8.27, 11.69)


@contextmanager
def headless_chromium(
    *, browser: Path = CHROMIUM, driver: Path = CHROMEDRIVER, window: tuple[int, int] = WINDOW
) -> Iterator[WebDriver]:
    """A headless Chromium session with a fresh profile, quit on exit."""
    with tempfile.TemporaryDirectory(prefix="roicli-chromium-") as profile:
        options = Options()
        options.binary_location = str(browser)
        for flag in (
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
        ):
            options.add_argument(flag)
        session = webdriver.Chrome(options=options, service=Service(executable_path=str(driver)))
        try:
            session.set_window_size(*window)
            yield session
        finally:
            session.quit()


def overflow(session: WebDriver, page: Path, width: int, height: int = 900) -> tuple[int, int]:
    """(document scrollWidth, window.innerWidth) of a local page in a viewport ``width`` px wide:
    the page overflows sideways when the first is larger."""
    session.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        session.get(page.resolve().as_uri())
        scroll, inner = session.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
    finally:
        session.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return int(scroll), int(inner)


def print_pdf(session: WebDriver, page: Path) -> bytes:
    """A local page printed to PDF as Chromium prints it: A4 unless the page's CSS sets a size."""
    session.get(page.resolve().as_uri())
    paper_width, paper_height = A4_INCHES
    printed = session.execute_cdp_cmd(
        "Page.printToPDF",
        {
            "paperWidth": paper_width,
            "paperHeight": paper_height,
            "preferCSSPageSize": True,
            "printBackground": True,
        },
    )
    return base64.b64decode(printed["data"])


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)
