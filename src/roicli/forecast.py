"""Forecast ROI before launch (Phillips), pure: each objective's expected change of its KPI a
month valued with the report's own rules, and the change each objective alone must reach for
the programme to pay for itself.

The forecast counts like the report's first year: a month's improvement × value per unit × the
credited share (attribution × confidence for a gain, all of a loss), × the benefit window. The
break-even change of an objective alone is costs ÷ (value per unit × attribution × confidence ×
the window's months), in KPI units a month as the KPI moves (a fall for a KPI that should
decrease).
"""

from __future__ import annotations

from collections.abc import Sequence

from roicli.benefits import UNCONVERTED_LEVELS, credited_share, month_benefit
from roicli.config import FORECAST_TARGET, Objective, Target
from roicli.enums import Basis, Isolation
from roicli.messages import Msg
from roicli.model import Forecast, ObjectiveForecast, ObjectiveResult, RoiFigures
from roicli.roi import roi_figures


def forecast_change(given: float | str | None, result: ObjectiveResult) -> float | None:
    """The forecast change of the KPI a month: as given, "+20%" of the baseline, or the target's
    change from the baseline; None without a forecast or without the baseline it needs."""
    if given is None or isinstance(given, float | int):
        return given
    if result.baseline is None:
        return None
    if given == FORECAST_TARGET:
        return None if result.target is None else result.target - result.baseline
    return Target(change=given).resolve(result.baseline) - result.baseline


def objective_forecast(
    given: float | str | None, result: ObjectiveResult, *, costs: float, window: int
) -> ObjectiveForecast:
    """An objective's forecast money and break-even change (alone) over ``window`` months."""
    change = forecast_change(given, result)
    note = _no_money(result)
    monthly = first_year = break_even = None
    beyond = False
    if note is None:
        assert result.value_per_unit is not None
        assert result.attribution is not None
        assert result.confidence is not None
        sign = result.direction.sign
        if change is not None:
            improvement = change * sign
            share = credited_share(improvement, result.attribution, result.confidence)
            monthly = month_benefit(improvement, result.value_per_unit, share)
            first_year = monthly * window
        credited = result.value_per_unit * result.attribution * result.confidence
        if costs <= 0:
            note = Msg("forecast.no_costs")
        elif credited <= 0:
            note = Msg("forecast.no_credit")
        else:
            break_even = costs / (credited * window) * sign
            # A KPI that should fall cannot fall below zero: a fall past its baseline is
            # beyond reach (a cost per lead of 39 cannot fall by 48).
            baseline = result.baseline
            beyond = sign < 0 and baseline is not None and 0 < baseline < -break_even
        if given is not None and change is None:
            note = Msg("forecast.no_baseline")
    return ObjectiveForecast(
        id=result.id,
        kpi_label=result.kpi_label,
        unit=result.unit,
        direction=result.direction,
        change=change,
        monthly_benefit=monthly,
        first_year=first_year,
        break_even=break_even,
        beyond_baseline=beyond,
        note=note,
    )


def _no_money(result: ObjectiveResult) -> Msg | None:
    """Why an objective's KPI change cannot be counted as money; None when it can."""
    if result.isolation is Isolation.ESTIMATES:
        return Msg("forecast.estimates")
    if result.level in UNCONVERTED_LEVELS:
        assert result.level is not None
        return Msg("forecast.unconverted", level=result.level.number)
    if result.value_per_unit is None:
        return Msg("forecast.no_value")
    return None


def program_forecast(
    objectives: Sequence[Objective],
    results: Sequence[ObjectiveResult],
    *,
    costs: float,
    window: int,
) -> Forecast:
    """The programme's forecast figures (None when no objective has a forecast with money) and
    every objective's break-even, on the report's cost lines and benefit window."""
    found = tuple(
        objective_forecast(objective.forecast, result, costs=costs, window=window)
        for objective, result in zip(objectives, results, strict=True)
    )
    counted = [o for o in found if o.monthly_benefit is not None and o.first_year is not None]
    figures: RoiFigures | None = None
    if counted:
        figures = roi_figures(
            costs,
            sum(o.first_year or 0.0 for o in counted),
            sum(o.monthly_benefit or 0.0 for o in counted),
            Basis.FORECAST,
        )
    return Forecast(figures, found)
