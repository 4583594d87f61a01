"""Answers as written: labels compared forgivingly, numbers in their usual forms."""

from __future__ import annotations

import pytest

from roicli.evaluation.scales import (
    BUILT_IN,
    answer_key,
    check_scale_setting,
    custom_scale,
    named_scale,
    numbered_score,
    parse_number,
)


@pytest.mark.parametrize(
    ("written", "scale", "score"),
    [
        ("Strongly agree", "agreement", 5),
        ("  strongly   AGREE ", "agreement", 5),
        ("Tout à fait d’accord", "accord", 5),
        ("TOUT A FAIT D'ACCORD", "accord", 5),  # accents and apostrophes lost on the way
        ("Plutôt pas d'accord", "accord4", 2),
        ("Très satisfaite", "satisfaction_fr", 5),
        ("Sometimes", "frequency", 3),
        ("Jamais", "frequence", 1),
        ("Oui", "yes_no", 1),
        ("no", "yes_no", 0),
        ("7", "nps", 7),
        ("85%", "percent", 85),
    ],
)
def test_built_in_scales(written: str, scale: str, score: float) -> None:
    assert named_scale(scale).score(written) == score


def test_off_scale_and_out_of_range() -> None:
    assert named_scale("agreement").score("Sort of") is None
    assert named_scale("1-5").score("6") is None
    assert named_scale("agreement").closest("Stronly agree") == "Strongly agree"


def test_numbers_as_written() -> None:
    assert parse_number("4") == (4.0, None)
    assert parse_number("4,5") == (4.5, None)
    assert parse_number(" 85 % ") == (85.0, 100.0)
    assert parse_number("7/10") == (7.0, 10.0)
    assert parse_number("7/0") is None
    assert parse_number("seven") is None
    assert numbered_score("6. Slightly agree") == 6
    assert numbered_score("6 apples") is None


def test_answer_key() -> None:
    assert answer_key(" Pas  d’accord ") == answer_key("pas d'accord") == "pas d'accord"


def test_custom_scales_checked() -> None:
    assert custom_scale({"High": 3, "Low": 1, "Mid": 2}).points == (1, 2, 3)
    with pytest.raises(ValueError, match="are the same once case, accents and spaces"):
        check_scale_setting({"Élevé": 3, "eleve": 2})
    with pytest.raises(
        ValueError, match=r"unknown scale 'frequncy' \(did you mean 'frequency'\?\)"
    ):
        check_scale_setting("frequncy")


def test_every_built_in_scale_is_ordered_and_named() -> None:
    for name, scale in BUILT_IN.items():
        assert scale.name == name
        assert len(scale.points) >= 2
        assert scale.top_two == scale.points[-2:]
