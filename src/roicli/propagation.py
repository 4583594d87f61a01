"""From the objectives' intervals to the programme's: benefits, net benefit, ROI % and how
likely the ROI is positive or meets its objective (pure).

Each measured objective's total improvement is drawn from its Student's t (``Spread``), the
objectives independently of each other, and turned into money by the same rule as the point
figure (a gain credited at attribution × confidence, a loss in full). Benefits without an
interval (participants' estimates) are added as they are. The simulation is seeded, so the same
inputs give the same figures on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roicli.benefits import credited_share
from roicli.intervals import Spread
from roicli.model import Interval, ProgramRange

DRAWS = 20_000
_SEED = 20_261_204


@dataclass(frozen=True)
class Uncertain:
    """A measured objective's total improvement with its spread and how it becomes money."""

    improvement: float
    spread: Spread
    value_per_unit: float
    attribution: float
    confidence: float


def money(improvements: npt.NDArray[np.float64], item: Uncertain) -> npt.NDArray[np.float64]:
    """Total improvements as money: credited at attribution × confidence for a gain, in full
    for a loss (``benefits.credited_share``)."""
    gain_share = credited_share(1.0, item.attribution, item.confidence)
    loss_share = credited_share(-1.0, item.attribution, item.confidence)
    share = np.where(improvements > 0, gain_share, loss_share)
    return improvements * item.value_per_unit * share


def objective_range(item: Uncertain, level: float) -> Interval:
    """An objective's money interval: money increases with the improvement, so the interval
    of the improvement maps onto it bound for bound."""
    low, high = money(np.array(item.spread.bounds(item.improvement, level)), item)
    return Interval(float(low), float(high))


def program_range(
    items: Sequence[Uncertain],
    fixed: float,
    costs: float,
    *,
    level: float,
    roi_objective: float | None = None,
    complete: bool = True,
) -> ProgramRange:
    """The programme's intervals at ``level`` (0.9 for 90 %), by seeded simulation.

    ``fixed`` is the benefit counted without an interval; ``roi_objective`` is in percent;
    ``complete`` is False when a measured objective has too few months for an interval (its
    benefit is then in ``fixed``, and the ranges are not reliable).
    """
    rng = np.random.default_rng(_SEED)
    benefits = np.full(DRAWS, fixed, dtype=np.float64)
    # Figures beyond a double's range become infinite, which the outputs show as n/a.
    with np.errstate(over="ignore", invalid="ignore"):
        for item in items:
            draws = item.improvement + item.spread.scale * rng.standard_t(item.spread.df, DRAWS)
            benefits += money(draws, item)
    reliable = complete and all(item.spread.reliable for item in items)
    tail = (1 - level) / 2
    low, high = np.quantile(benefits, [tail, 1 - tail])
    benefit_range = Interval(float(low), float(high))
    net_range = Interval(float(low) - costs, float(high) - costs)
    if costs == 0:
        return ProgramRange(benefit_range, net_range, None, None, None, reliable)
    with np.errstate(over="ignore", invalid="ignore"):
        roi = (benefits - costs) / costs * 100
    p_objective = None if roi_objective is None else float(np.mean(roi >= roi_objective))
    return ProgramRange(
        benefits=benefit_range,
        net_benefit=net_range,
        roi_pct=Interval((float(low) - costs) / costs * 100, (float(high) - costs) / costs * 100),
        p_positive=float(np.mean(roi > 0)),
        p_objective=p_objective,
        reliable=reliable,
    )
