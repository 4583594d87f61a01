"""The conftest's tool check in a pytest run of its own: a test skipped for a missing tool is a
skip on a developer's machine and a failed run under CI (CI set and non-empty)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")

TESTS = """
import pytest

@pytest.mark.needs_tool("roicli-no-such-tool")
def test_needs_a_missing_tool():
    pass

def test_plain():
    pass

def test_skipped_for_another_reason():
    pytest.skip("not on this platform")
"""

FIXTURE_TESTS = """
def test_needs_soffice(soffice):
    assert soffice.name == "soffice"

def test_needs_chromium(chromium):
    pass
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A scratch pytest project whose conftest is this repository's."""
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    return pytester


def run(pytester: pytest.Pytester) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "-rs")


def test_a_missing_tool_fails_the_run_under_ci(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    inner.makepyfile(test_inner=TESTS)
    result = run(inner)
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*tool missing under CI: the run fails*",
            "test_inner.py::test_needs_a_missing_tool: tool missing: roicli-no-such-tool *",
        ]
    )


@pytest.mark.parametrize("ci", [None, ""])
def test_a_missing_tool_is_a_skip_outside_ci(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    inner.makepyfile(test_inner=TESTS)
    result = run(inner)
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skipped: tool missing*"])


def test_other_skips_pass_under_ci(inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    inner.makepyfile(test_inner=TESTS.replace("roicli-no-such-tool", "python3"))
    result = run(inner)
    result.assert_outcomes(passed=2, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    assert "tool missing" not in result.stdout.str()


def test_the_tool_fixtures_skip_when_the_tools_are_not_on_path(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CI", "true")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    inner.makepyfile(test_inner=FIXTURE_TESTS)
    result = run(inner)
    result.assert_outcomes(skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines_random(
        [
            "*test_needs_soffice: tool missing: soffice (apt-get install libreoffice-calc-nogui)",
            "*test_needs_chromium: tool missing: chromium, chromedriver "
            "(apt-get install chromium chromium-driver)",
        ]
    )
