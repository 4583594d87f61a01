"""The mentoring template's HTML report in headless Chromium, in English and French: the chain
of impact right after the verdict, the evaluation tables on a phone without sideways scrolling,
and no internal rule id shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver
from tests.browser import overflow
from tests.evaluation.test_mentoring_cli import init, report

WIDTHS = (1280, 390)  # a laptop, a phone

ORDER = """
const ids = ['section#verdict', 'section#chain', 'section.programme'];
const [verdict, chain, programme] = ids.map(selector => document.querySelector(selector));
const after = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
return [after(verdict, chain), after(chain, programme),
        [...chain.querySelectorAll('tbody tr')].map(row => row.cells[0].textContent)];
"""
INTERNAL_IDS = r"""
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (/\b(phillips|smart|evaluation)\.[a-z_]+/.test(node.textContent)) found.push(node.textContent);
}
return found;
"""


@pytest.fixture(scope="module", params=["en", "fr"])
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init(tmp_path_factory.mktemp("html") / "project")
    done = report(root, "--no-history", "-q", "--lang", request.param, "-o", "report.html")
    assert done.returncode == 0, done.stderr
    return root / "report.html"


def test_the_chain_comes_right_after_the_verdict(chromium: WebDriver, page: Path) -> None:
    chromium.get(page.resolve().as_uri())
    verdict_first, before_programmes, levels = chromium.execute_script(ORDER)
    assert verdict_first
    assert before_programmes
    assert len(levels) == 7  # levels 0 to 5 and the intangibles
    assert levels[1] in ("Level 1 – Reaction", "Niveau 1 – Réaction")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling(chromium: WebDriver, page: Path, width: int) -> None:
    scroll_width, inner_width = overflow(chromium, page, width)
    assert inner_width == width
    assert scroll_width <= inner_width


def test_no_internal_id_is_shown(chromium: WebDriver, page: Path) -> None:
    chromium.get(page.resolve().as_uri())
    assert chromium.execute_script(INTERNAL_IDS) == []
