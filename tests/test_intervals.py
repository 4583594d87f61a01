"""Intervals from the evidence: Student's t, each isolation method's spread worked by hand, the
programme's simulation, and a coverage simulation: 90 % intervals hold the true benefit about
90 % of the time."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roicli.intervals import Spread, baseline_spread, control_spread, trend_spread
from roicli.propagation import Uncertain, money, objective_range, program_range
from roicli.tdist import t_cdf, t_quantile


@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.975, 0.995])
def test_t_with_one_degree_is_cauchy(p: float) -> None:
    """df = 1: F(t) = 1/2 + atan(t)/π, so t_p = tan(π (p − 1/2))."""
    assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-11)
    assert t_cdf(math.tan(math.pi * (p - 0.5)), 1) == pytest.approx(p, rel=1e-12)


@pytest.mark.parametrize("p", [0.6, 0.95, 0.975])
def test_t_with_two_degrees_in_closed_form(p: float) -> None:
    """df = 2: t_p = (2p − 1) / √(2 p (1 − p))."""
    expected = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    assert t_quantile(p, 2) == pytest.approx(expected, rel=1e-11)


def test_t_quantiles_from_the_printed_table() -> None:
    """The two-sided 90 % and 95 % values every statistics textbook prints."""
    table = {(5, 0.95): 2.015, (10, 0.975): 2.228, (30, 0.95): 1.697, (1000, 0.975): 1.962}
    for (df, p), value in table.items():
        assert round(t_quantile(p, df), 3) == value
    assert t_quantile(0.05, 5) == -t_quantile(0.95, 5)
    assert t_quantile(0.5, 7) == 0.0


def test_t_refuses_what_is_not_a_probability() -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        t_quantile(1.0, 3)
    with pytest.raises(ValueError, match="positive"):
        t_cdf(1.0, 0)


def test_trend_spread_by_hand() -> None:
    """Points (1, 1), (2, 3), (3, 2), (4, 4): x̄ = ȳ = 2.5, Sxx = 5, Sxy = 2.25 − 0.25 − 0.25 +
    2.25 = 4, slope 0.8, intercept 0.5; fitted 1.3, 2.1, 2.9, 3.7; residuals −0.3, 0.9, −0.9,
    0.3, whose squares sum to 1.8; σ² = 1.8 / 2 = 0.9. Counted months 5 and 6: m = 2,
    Σ(x − x̄) = 2.5 + 3.5 = 6; Var(D) = 0.9 · (2 + 4/4 + 36/5) = 0.9 · 10.2 = 9.18."""
    spread = trend_spread([(1, 1), (2, 3), (3, 2), (4, 4)], [5, 6])
    assert spread is not None
    assert spread.scale == pytest.approx(math.sqrt(9.18), rel=1e-12)
    assert (spread.df, spread.periods, spread.reliable) == (2, 4, False)
    # 90 %: D̂ ± t(0.95, 2) · √9.18 = ± 2.919986 · 3.029851 = ± 8.847…
    low, high = spread.bounds(10.0, 0.90)
    assert high - 10.0 == pytest.approx(2.9199855803537 * math.sqrt(9.18), rel=1e-10)
    assert 10.0 - low == pytest.approx(high - 10.0, rel=1e-12)


def test_a_month_far_from_the_fitted_range_widens_the_trend_interval() -> None:
    before = [(float(x), float(x % 3)) for x in range(12)]
    near = trend_spread(before, [12.0])
    far = trend_spread(before, [30.0])
    assert near is not None
    assert far is not None
    assert far.scale > near.scale
    assert far.reliable


def test_trend_spread_needs_three_points() -> None:
    assert trend_spread([(1, 1), (2, 2)], [3]) is None
    assert trend_spread([(1, 1), (1, 2), (1, 3)], [3]) is None  # no spread of x


def test_control_spread_by_hand() -> None:
    """Differences 2, 4, 3, 5: mean 3.5, s² = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3. Three counted
    months over baselines of 3 months: Var(D) = 5/3 · (3 + 9/3) = 10; df 3, reliable (4)."""
    spread = control_spread([2, 4, 3, 5], months=3, baseline_months=3)
    assert spread == Spread(math.sqrt(10), 3, 4, reliable=True)
    assert control_spread([2], months=3, baseline_months=1) is None


def test_baseline_spread_by_hand() -> None:
    """Baseline months 10, 12, 14: s² = 4. Two months counted: Var(D) = 4 · (2 + 4/3) = 40/3."""
    spread = baseline_spread([10, 12, 14], months=2)
    assert spread is not None
    assert spread.scale == pytest.approx(math.sqrt(40 / 3), rel=1e-12)
    assert (spread.df, spread.reliable) == (2, True)
    assert baseline_spread([10, 12], 2) == Spread(math.sqrt(2 * (2 + 4 / 2)), 1, 2, False)


def test_an_objective_range_credits_a_gain_and_counts_a_loss_in_full() -> None:
    """D̂ = 10 ± 8.847: the upper bound 18.847 is a gain, × 5 × (0.5 × 0.8); the lower bound
    1.153 is a gain too, credited the same way."""
    spread = trend_spread([(1, 1), (2, 3), (3, 2), (4, 4)], [5, 6])
    assert spread is not None
    item = Uncertain(10.0, spread, value_per_unit=5.0, attribution=0.5, confidence=0.8)
    half = 2.9199855803537 * math.sqrt(9.18)
    found = objective_range(item, 0.90)
    assert found.high == pytest.approx((10 + half) * 5 * 0.4, rel=1e-10)
    assert found.low == pytest.approx((10 - half) * 5 * 0.4, rel=1e-10)
    loss = objective_range(Uncertain(-2.0, spread, 5.0, 0.5, 0.8), 0.90)
    assert loss.low == pytest.approx((-2 - half) * 5, rel=1e-10)  # a loss in full
    assert loss.high == pytest.approx((-2 + half) * 5 * 0.4, rel=1e-10)


def test_one_objective_s_programme_range_matches_its_own() -> None:
    """With one objective and no fixed benefit, the simulated percentiles are the objective's
    interval, to the simulation's precision (20,000 draws)."""
    spread = Spread(scale=100.0, df=10, periods=12, reliable=True)
    item = Uncertain(1_000.0, spread, value_per_unit=2.0, attribution=1.0, confidence=1.0)
    exact = objective_range(item, 0.90)
    found = program_range([item], fixed=500.0, costs=1_000.0, level=0.90, roi_objective=150.0)
    assert found.benefits.low - 500 == pytest.approx(exact.low, rel=0.01)
    assert found.benefits.high - 500 == pytest.approx(exact.high, rel=0.01)
    assert found.net_benefit.low == pytest.approx(found.benefits.low - 1_000)
    assert found.roi_pct is not None
    assert found.roi_pct.low == pytest.approx((found.benefits.low - 1_000) / 10)
    # Benefits 2,500 on average: ROI ≥ 150 % exactly when D ≥ 1,000, half the draws.
    assert found.p_objective == pytest.approx(0.5, abs=0.01)
    # ROI > 0 when 2D + 500 > 1,000: D > 250, 7.5 scales below the mean: all but ~1e-5.
    assert found.p_positive == pytest.approx(1 - t_cdf(-7.5, 10), abs=1e-4)
    assert found.reliable


def test_the_programme_range_is_deterministic() -> None:
    spread = Spread(scale=50.0, df=4, periods=6, reliable=True)
    items = [Uncertain(80.0, spread, 3.0, 0.6, 0.7), Uncertain(-20.0, spread, 1.0, 0.5, 0.5)]
    first = program_range(items, 0.0, 200.0, level=0.9, roi_objective=20.0)
    assert program_range(items, 0.0, 200.0, level=0.9, roi_objective=20.0) == first


def test_without_costs_there_is_no_roi_range_and_missing_spreads_are_unreliable() -> None:
    spread = Spread(scale=1.0, df=8, periods=10, reliable=True)
    found = program_range([Uncertain(5.0, spread, 1.0, 1.0, 1.0)], 0.0, 0.0, level=0.9)
    assert (found.roi_pct, found.p_positive, found.p_objective) == (None, None, None)
    assert not program_range([], 10.0, 5.0, level=0.9, complete=False).reliable


SEEDS = 1_000


def _covered(low: float, high: float, truth: float) -> bool:
    return low <= truth <= high


def test_trend_intervals_cover_the_true_effect_90_percent_of_the_time() -> None:
    """14 pre-programme months of a drifting KPI, 6 months with a known effect of 30 a month:
    the 90 % interval of the total improvement holds 180 in 85 % to 95 % of 1,000 series."""
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(SEEDS):
        x = np.arange(20, dtype=float)
        y = 500 + 4 * x + rng.normal(0, 25, 20)
        y[14:] += 30
        before = list(zip(x[:14], y[:14], strict=True))
        slope, intercept = np.polyfit(x[:14], y[:14], 1)
        estimate = float(np.sum(y[14:] - (intercept + slope * x[14:])))
        spread = trend_spread(before, list(x[14:]))
        assert spread is not None
        hits += _covered(*spread.bounds(estimate, 0.90), 180.0)
    assert 0.85 <= hits / SEEDS <= 0.95


def test_control_intervals_cover_the_true_effect_90_percent_of_the_time() -> None:
    """Trained and control groups, 12 pre months (baselines: the last 3), 6 months with an
    effect of 10 a month on the trained group only."""
    rng = np.random.default_rng(2)
    hits = 0
    for _ in range(SEEDS):
        trained = 200 + rng.normal(0, 8, 18)
        control = 150 + rng.normal(0, 8, 18)
        trained[12:] += 10
        differences = trained[:12] - control[:12]
        estimate = float(np.sum((trained[12:] - control[12:]) - differences[9:12].mean()))
        spread = control_spread(list(differences), months=6, baseline_months=3)
        assert spread is not None
        hits += _covered(*spread.bounds(estimate, 0.90), 60.0)
    assert 0.85 <= hits / SEEDS <= 0.95


def test_baseline_intervals_cover_the_true_effect_90_percent_of_the_time() -> None:
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(SEEDS):
        values = 80 + rng.normal(0, 5, 9)
        values[3:] += 4
        estimate = float(np.sum(values[3:] - values[:3].mean()))
        spread = baseline_spread(list(values[:3]), months=6)
        assert spread is not None
        hits += _covered(*spread.bounds(estimate, 0.90), 24.0)
    assert 0.85 <= hits / SEEDS <= 0.95


def test_programme_intervals_cover_the_true_benefit_90_percent_of_the_time() -> None:
    """Two trend objectives and an estimate: the simulated 90 % interval of the benefits holds
    the true benefit in 85 % to 95 % of 300 programmes."""
    rng = np.random.default_rng(4)
    hits = 0
    runs = 300
    x = np.arange(20, dtype=float)
    for _ in range(runs):
        items = []
        for effect, value in ((30.0, 2.0), (12.0, 5.0)):
            y = 300 + 2 * x + rng.normal(0, 20, 20)
            y[14:] += effect
            slope, intercept = np.polyfit(x[:14], y[:14], 1)
            estimate = float(np.sum(y[14:] - (intercept + slope * x[14:])))
            spread = trend_spread(list(zip(x[:14], y[:14], strict=True)), list(x[14:]))
            assert spread is not None
            items.append(Uncertain(estimate, spread, value, 1.0, 1.0))
        truth = 1_000.0 + 6 * 30 * 2.0 + 6 * 12 * 5.0
        found = program_range(items, fixed=1_000.0, costs=500.0, level=0.90)
        hits += _covered(found.benefits.low, found.benefits.high, truth)
    assert 0.85 <= hits / runs <= 0.95


def test_the_t_distribution_agrees_with_scipy() -> None:
    """Dev-only cross-check (SciPy is a development dependency, not roicli's)."""
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 3, 4, 7, 13, 29, 120, 10_000):
        for p in (0.55, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995):
            assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9)
        for t in (-40.0, -3.0, -0.2, 0.0, 0.7, 2.5, 15.0):
            assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), rel=1e-9, abs=1e-15)


def test_the_trend_interval_agrees_with_statsmodels() -> None:
    """OLS prediction of a sum of m new months: m·σ² for the months' own noise plus the
    variance of the fitted line's sum, which statsmodels gives as the mean's standard error at
    the summed regressors (m, Σx)."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(5)
    x = np.arange(14, dtype=float)
    y = 40 + 1.5 * x + rng.normal(0, 3, 14)
    counted = [14.0, 15.0, 16.0, 17.0]
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    summed = np.array([[len(counted), sum(counted)]])
    mean_se = fit.get_prediction(summed).se_mean[0]
    expected = math.sqrt(len(counted) * fit.scale + mean_se**2)
    spread = trend_spread(list(zip(x, y, strict=True)), counted)
    assert spread is not None
    assert spread.scale == pytest.approx(expected, rel=1e-10)
    assert spread.df == int(fit.df_resid)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(
    values=st.lists(finite, min_size=3, max_size=24),
    months=st.integers(min_value=1, max_value=12),
    value_per_unit=st.floats(min_value=0.01, max_value=1e4),
    attribution=st.floats(min_value=0.0, max_value=1.0),
    confidence=st.floats(min_value=0.0, max_value=1.0),
    improvement=finite,
)
@settings(max_examples=200, deadline=None)
def test_an_objective_range_holds_its_benefit(
    values: list[float],
    months: int,
    value_per_unit: float,
    attribution: float,
    confidence: float,
    improvement: float,
) -> None:
    """Whatever the series, the interval is ordered and holds the benefit's own figure."""
    before = [(float(x), y) for x, y in enumerate(values)]
    counted = [float(len(values) + month) for month in range(months)]
    for spread in (
        trend_spread(before, counted),
        baseline_spread(values, months),
        control_spread(values, months, 3),
    ):
        assert spread is not None
        assert spread.scale >= 0
        item = Uncertain(improvement, spread, value_per_unit, attribution, confidence)
        found = objective_range(item, 0.9)
        point = float(money(np.array([improvement]), item)[0])
        assert found.low <= point <= found.high
