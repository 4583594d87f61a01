"""Amounts in another currency, converted once at load with the config's dated rate table.

A cost item is converted at the rate in force on its ``date:`` (when it is paid), else on the
programme's start; a value per unit at the programme's start, so that no figure moves with the
exchange rate after the decision to fund. The rate in force on a day is the table's latest entry
from that day or before. Everything downstream sees the config's own currency; the conversions
are kept for the audit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from roicli.config import Config, CostItem, FxRate, Objective, Program, reference_error
from roicli.errors import ConfigError
from roicli.model import Conversion
from roicli.yamlsafe import KeyPath

COST_FIELDS = ("amount", "rate", "per_participant")


def rate_on(rates: Sequence[FxRate], day: date) -> tuple[date, float] | None:
    """The latest entry's (from, rate) on or before ``day``; None when every entry is later."""
    table = sorted((entry.from_, entry.rate) for entry in rates)
    index = bisect_right([start for start, _ in table], day)
    return None if index == 0 else table[index - 1]


def convert_currencies(
    config: Config, path: Path, lines: Mapping[KeyPath, int]
) -> tuple[Config, tuple[Conversion, ...]]:
    """The config with every amount in its own currency, and the conversions made."""
    conversions: list[Conversion] = []
    programs = []
    for index, program in enumerate(config.programs):
        costs = tuple(
            _cost(config, program, cost, conversions, _Where(path, lines, ("programs", index)), n)
            for n, cost in enumerate(program.costs)
        )
        objectives = tuple(
            _objective(
                config, program, objective, conversions, _Where(path, lines, ("programs", index)), n
            )
            for n, objective in enumerate(program.objectives)
        )
        programs.append(program.model_copy(update={"costs": costs, "objectives": objectives}))
    if not conversions:
        return config, ()
    return config.model_copy(update={"programs": tuple(programs)}), tuple(conversions)


class _Where:
    """Where a programme sits in the config file, for an error at one of its keys."""

    def __init__(self, path: Path, lines: Mapping[KeyPath, int], loc: KeyPath) -> None:
        self.path, self.lines, self.loc = path, lines, loc

    def error(self, key: KeyPath, problem: str, fix: str) -> ConfigError:
        return reference_error(
            self.path, self.lines, (*self.loc, *key), problem, name="", choices=(), fix=fix
        )


def _cost(
    config: Config,
    program: Program,
    cost: CostItem,
    conversions: list[Conversion],
    where: _Where,
    position: int,
) -> CostItem:
    if cost.currency is None or cost.currency == config.currency:
        return cost
    day = cost.date or program.start
    found = _rate(config, cost.currency, day, where, ("costs", position, "currency"))
    update: dict[str, float | None] = {"currency": None}  # now in the config's currency
    for name in COST_FIELDS:
        amount = getattr(cost, name)
        if amount is not None:
            converted = amount * found[1]
            update[name] = converted
            conversions.append(
                Conversion(
                    program.name, cost.item, name, cost.currency, amount, day, *found, converted
                )
            )
    return cost.model_copy(update=update)


def _objective(
    config: Config,
    program: Program,
    objective: Objective,
    conversions: list[Conversion],
    where: _Where,
    position: int,
) -> Objective:
    currency, value = objective.currency, objective.value_per_unit
    if currency is None or currency == config.currency or value is None:
        return objective
    day = program.start
    found = _rate(config, currency, day, where, ("objectives", position, "currency"))
    converted = value * found[1]
    conversions.append(
        Conversion(
            program.name, objective.id, "value_per_unit", currency, value, day, *found, converted
        )
    )
    return objective.model_copy(update={"value_per_unit": converted, "currency": None})


def _rate(
    config: Config, currency: str, day: date, where: _Where, key: KeyPath
) -> tuple[date, float]:
    found = rate_on(config.fx.get(currency, ()), day)
    if found is None:
        raise where.error(
            key,
            f"no {currency} rate on or before {day.isoformat()} under fx:",
            f"add one, e.g. fx: {{{currency}: [{{from: {day.isoformat()}, rate: 0.9}}]}} for "
            f"1 {currency} = 0.9 {config.currency}",
        )
    return found
