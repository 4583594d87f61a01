"""Money is rounded half-up to cents at the edge, never before."""

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from roicli.rounding import apportion, figure, money, money_float


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
    assert figure(5e-281) == 5e-281  # ten significant digits, however small


def test_figures_are_kept_when_they_have_no_more_decimals_than_shown() -> None:
    # Six decimals, or as many as keep 10 significant digits: kept as they are when they have
    # no more (the shortcut); else rounded half-up.
    assert figure(5402.0) == 5402.0
    assert figure(71.5) == 71.5
    assert figure(-0.123456) == -0.123456
    assert figure(123.4567895) == 123.4567895  # ten significant digits already
    assert figure(123.45678955) == 123.4567896  # ...895|5 rounds up to ...896
    assert figure(1234567.12345678) == 1234567.123457  # six decimals: 13 significant digits
    assert figure(1 / 3) == 0.3333333333
    assert figure(1.5e-06) == 1.5e-06
    assert figure(3.78e-06) == 3.78e-06  # a slope per period on a KPI kept as a fraction
    assert figure(2.123456789012e-07) == 2.123456789e-07
    assert figure(1e16) == 1e16
    assert figure(1.5e-06, 6) == 2e-06  # an explicit number of decimals is kept as asked
    assert figure(0.125, 2) == 0.13


def test_rows_apportioned_add_up_to_the_total_shown() -> None:
    # 2,456.466 = 818.822 × 3: each row rounds to 818.82, three of them 2,456.46, but the
    # total shows 2,456.47; the largest remainder (all equal: the first) takes the cent.
    rows = apportion([818.822, 818.822, 818.822], 2456.466)
    assert rows == [Decimal("818.83"), Decimal("818.82"), Decimal("818.82")]
    assert sum(rows) == Decimal("2456.47") == money(2456.466)
    # Negative rows round down to -0.01 each (-0.03); the total shows -0.01, so the two
    # largest remainders (0.006 each, the earliest on a tie) get a cent back.
    assert apportion([-0.004, -0.004, -0.004], -0.012) == [
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("-0.01"),
    ]
    assert apportion([], 0.0) == []


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=30))
def test_apportioned_rows_always_add_up(millis: list[int]) -> None:
    values = [m / 1000 for m in millis]
    total = math.fsum(values)
    rows = apportion(values, total)
    assert sum(rows) == money(total)
    assert all(
        abs(row - Decimal(repr(v))) < Decimal("0.01") for row, v in zip(rows, values, strict=True)
    )


def test_a_half_cent_lost_in_binary_rounds_as_a_spreadsheet_shows_it() -> None:
    # 44.87 × 150 × 0.5 × 0.7 = 2,355.675 by hand; summed month by month in binary it is
    # 2,355.6749999999984, which a spreadsheet (15 significant digits) shows as 2,355.68.
    assert money(2355.6749999999984) == Decimal("2355.68")
    assert money(2355.6749) == Decimal("2355.67")  # a real 2,355.6749 stays below the half
    assert money(123456789012.675) == Decimal("123456789012.68")
    assert money(-0.005) == Decimal("-0.01")  # half away from zero
