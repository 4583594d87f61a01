"""Money is rounded half-up to cents at the edge, never before."""

from decimal import Decimal

from roicli.rounding import figure, money, money_float


def test_binary_noise_never_loses_a_cent() -> None:
    assert 336000 * 0.7 != 235200  # the float is 235199.99999999997
    assert money(336000 * 0.7) == Decimal("235200.00")
    assert money_float(336000 * 0.7) == 235200.0


def test_half_up_not_bankers_rounding() -> None:
    assert money(2.675) == Decimal("2.68")  # Python's round(2.675, 2) gives 2.67
    assert money(1.005) == Decimal("1.01")
    assert money(0.125) == Decimal("0.13")
    assert money(-1.005) == Decimal("-1.01")  # away from zero for losses


def test_figures_lose_binary_noise_and_none_stays_none() -> None:
    assert figure(0.1 + 0.2) == 0.3
    assert figure(None) is None
    assert money_float(None) is None


def test_huge_and_tiny_figures_round_without_overflow() -> None:
    assert figure(2e280) == 2e280
    assert money_float(1e300) == 1e300
    assert figure(5e-281) == 0.0


def test_figures_are_kept_when_they_have_no_more_decimals_than_shown() -> None:
    # Six decimals or fewer: returned as they are (the shortcut); more: rounded half-up.
    assert figure(5402.0) == 5402.0
    assert figure(71.5) == 71.5
    assert figure(-0.123456) == -0.123456
    assert figure(123.4567895) == 123.45679  # ...789|5 rounds up to ...790
    assert figure(1 / 3) == 0.333333
    assert figure(1.5e-06) == 2e-06  # written with an exponent: 0.0000015 → 0.000002
    assert figure(2.5e-07) == 0.0
    assert figure(1e16) == 1e16
    assert figure(0.125, 2) == 0.13
