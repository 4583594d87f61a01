"""Formula-injection defences (OWASP CSV injection)."""

from __future__ import annotations

import pytest

from roicli.render.safety import is_formula_like, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_is_neutralised(text: str) -> None:
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Plain text", "12", "a=b", " =1", "'quoted"])
def test_other_text_is_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert neutralise(text) == text
