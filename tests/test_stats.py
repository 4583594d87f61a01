"""Least squares by hand."""

import pytest

from roicli.stats import fit_line, percent


def test_line_through_three_points_worked_by_hand() -> None:
    # x = 0, 1, 2; y = 1, 3, 4. mean x = 1, mean y = 8/3.
    # sxx = 1 + 0 + 1 = 2; sxy = (-1)(1 - 8/3) + 0 + (1)(4 - 8/3) = 5/3 + 4/3 = 3
    # slope = 3 / 2 = 1.5; intercept = 8/3 - 1.5 = 7/6
    # syy = (5/3)² + (1/3)² + (4/3)² = 42/9; r2 = sxy² / (sxx · syy) = 9 / (2 · 42/9) = 81/84
    line = fit_line([(0, 1), (1, 3), (2, 4)])
    assert line is not None
    assert line.slope == pytest.approx(1.5)
    assert line.intercept == pytest.approx(7 / 6)
    assert line.r2 == pytest.approx(81 / 84)
    assert line.at(4) == pytest.approx(7 / 6 + 6)


def test_gaps_keep_their_place_on_the_x_axis() -> None:
    # Ordinals 10 and 13 (two missing periods between): slope = (16 - 10) / 3 = 2 per period.
    line = fit_line([(10, 10), (13, 16)])
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert line.at(14) == pytest.approx(18.0)


def test_one_point_has_no_line_and_flat_series_no_r2() -> None:
    assert fit_line([(1, 5)]) is None
    flat = fit_line([(1, 5), (2, 5), (3, 5)])
    assert flat is not None
    assert flat.slope == 0
    assert flat.r2 is None


def test_a_percent_that_overflows_does_not_exist() -> None:
    assert percent(1, 4) == 25.0  # 1 / 4 × 100
    assert percent(-3, 2) == -150.0
    assert percent(5, 0) is None
    # 1.8e6 / 1e-300 = 1.8e306, a double; × 100 is past the largest double (1.8e308): none.
    assert percent(1_797_694.0, 1e-300) is None
    assert percent(1.0, 1e-300) == pytest.approx(1e302)
