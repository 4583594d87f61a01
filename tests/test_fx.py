"""Costs and values per unit in another currency, converted with the config's dated rates.

The programme of test_roi_worked starts on 2026-01-10; its rates: 1 USD = 0.92 EUR from
2026-01-01, 0.95 from 2026-07-01.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import LOCAL_STATE
from tests.test_roi_worked import make_project, objective, run
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import FxRate, load_config
from roicli.enums import Lang
from roicli.errors import ConfigError
from roicli.fx import rate_on
from roicli.project import Project
from roicli.render.fx_view import conversion_pairs
from roicli.render.json import to_dict

FX = """
fx:
  USD:
    - {from: 2026-01-01, rate: 0.92}
    - {from: 2026-07-01, rate: 0.95}
"""


def with_fx(tmp_path: Path, costs: str, objectives: str, fx: str = FX) -> Project:
    """make_project with the rate table appended to its config, then loaded again."""
    text = objectives.replace("        currency: USD\n", "")
    project = make_project(tmp_path, objectives=text, costs=costs.replace(", currency: USD", ""))
    path = tmp_path / "roicli.yaml"
    base = path.read_text(encoding="utf-8").replace(text, objectives)
    if costs:
        base = base.replace(costs.replace(", currency: USD", ""), costs)
    path.write_text(base + fx, encoding="utf-8")
    return Project(load_config(path), project.config_sha256, project.dataset, {})


def test_rate_on_takes_the_latest_entry_on_or_before_the_day() -> None:
    rates = [
        FxRate(**{"from": date(2026, 7, 1)}, rate=0.95),
        FxRate(**{"from": date(2026, 1, 1)}, rate=0.92),
    ]
    assert rate_on(rates, date(2026, 1, 1)) == (date(2026, 1, 1), 0.92)  # on the day itself
    assert rate_on(rates, date(2026, 6, 30)) == (date(2026, 1, 1), 0.92)
    assert rate_on(rates, date(2026, 7, 1)) == (date(2026, 7, 1), 0.95)
    assert rate_on(rates, date(2025, 12, 31)) is None


def test_a_usd_licence_and_usd_hours_are_converted(tmp_path: Path) -> None:
    """A published-study style case: a US licence bought in dollars.

    Licence 4,800 USD paid on 2026-08-15 (its date:): the rate from 2026-07-01, 0.95 →
    4,560 EUR. Coaching 10 h × 40 USD at the start (2026-01-10): 0.92 → 10 × 36.80 = 368 EUR.
    Workshops 500 EUR as they are. Costs 4,560 + 368 + 500 = 5,428 EUR.
    """
    costs = """
      - {item: Licence, category: tools, amount: 4800, currency: USD, date: 2026-08-15}
      - {item: Coaching, category: delivery, hours: 10, rate: 40, currency: USD}
      - {item: Workshops, category: delivery, amount: 500}"""
    analysis = run(with_fx(tmp_path, costs, objective()))
    program = analysis.programs[0]
    assert [line.amount for line in program.costs] == pytest.approx([4560.0, 368.0, 500.0])
    assert program.figures.costs == pytest.approx(5428.0)
    licence, coaching = analysis.audit.conversions
    assert (licence.day, licence.rate_from, licence.rate) == (
        date(2026, 8, 15),
        date(2026, 7, 1),
        0.95,
    )
    assert (coaching.field, coaching.amount) == ("rate", 40.0)
    assert coaching.converted == pytest.approx(36.8)  # 40 × 0.92
    assert conversion_pairs(analysis, Lang.EN)[0] == (
        "Exchange rate · Prospecting · Licence (amount)",
        "$4,800.00 × 0.95 (rate from 1 Jul 2026, for 15 Aug 2026) = €4,560.00",
    )
    audit = to_dict(analysis)["audit"]["conversions"][0]
    assert (audit["currency"], audit["rate"], audit["rate_from"], audit["converted"]) == (
        "USD",
        0.95,
        "2026-07-01",
        4560.0,
    )


def test_a_value_per_unit_in_usd_is_converted_at_the_start(tmp_path: Path) -> None:
    # 10 USD a lead at 0.92 = 9.20 EUR; credited at 0.5 × 0.8: 3.68 a lead. Jan..Mar improve
    # by 8 + 16 + 18 = 42 leads: 42 × 3.68 = 154.56 to date.
    text = objective() + "        currency: USD\n"
    result = run(with_fx(tmp_path, "", text)).programs[0].objectives[0]
    assert result.value_per_unit == pytest.approx(9.2)
    assert result.benefit == pytest.approx(154.56)


def test_no_rate_before_the_day_is_one_line(tmp_path: Path) -> None:
    costs = (
        "\n      - {item: Licence, category: tools, amount: 4800, currency: USD, date: 2025-12-31}"
    )
    with pytest.raises(ConfigError) as caught:
        with_fx(tmp_path, costs, objective())
    assert str(caught.value) == (
        f"{tmp_path / 'roicli.yaml'}:13: programs[0].costs[0].currency: no USD rate on or "
        "before 2025-12-31 under fx: (add one, e.g. fx: {USD: [{from: 2025-12-31, rate: 0.9}]} "
        "for 1 USD = 0.9 EUR)"
    )


def test_a_currency_without_any_rate_is_refused(tmp_path: Path) -> None:
    costs = "\n      - {item: Licence, category: tools, amount: 100, currency: GBP}"
    with pytest.raises(ConfigError, match="no GBP rate on or before 2026-01-10 under fx:"):
        with_fx(tmp_path, costs, objective())


@settings(max_examples=25, deadline=None)
@given(amount=st.floats(min_value=0, max_value=1e6), value=st.floats(min_value=0.01, max_value=1e3))
def test_converting_at_rate_1_changes_nothing(
    amount: float, value: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    costs = "\n      - {{item: Licence, category: tools, amount: {amount!r}{currency}}}"
    text = objective().replace("value_per_unit: 10", f"value_per_unit: {value!r}")
    fx = "\nfx:\n  USD: [{from: 2020-01-01, rate: 1}]\n"
    plain = run(
        with_fx(tmp_path_factory.mktemp("a"), costs.format(amount=amount, currency=""), text, fx)
    )
    usd = run(
        with_fx(
            tmp_path_factory.mktemp("b"),
            costs.format(amount=amount, currency=", currency: USD"),
            text + "        currency: USD\n",
            fx,
        )
    )
    assert usd.programs == plain.programs
    assert len(usd.audit.conversions) == 2


def test_the_cli_error_line_and_exit_2(tmp_path: Path, repo: Path) -> None:
    shutil.copytree(repo / "configs", tmp_path / "configs", ignore=LOCAL_STATE)
    shutil.copytree(repo / "sample_data", tmp_path / "sample_data")
    path = tmp_path / "configs" / "roicli.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "{item: Content licence, category: tools, amount: 4800}",
        "{item: Content licence, category: tools, amount: 4800, currency: USD}",
    )
    path.write_text(text + "fx:\n  USD: [{from: 2026-10-01, rate: 0.95}]\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["roi", "-c", str(path), "--as-of", "2026-10-31", "--format", "json"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "programs[1].costs[0].currency: no USD rate on or before 2026-09-01 under fx: (add one, "
        "e.g. fx: {USD: [{from: 2026-09-01, rate: 0.9}]} for 1 USD = 0.9 EUR)\n"
    )
    path.write_text(text + "fx:\n  USD: [{from: 2026-01-01, rate: 0.95}]\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["roi", "-c", str(path), "--as-of", "2026-10-31", "--format", "json"]
    )
    assert result.exit_code == 0
    costs = json.loads(result.stdout)["programs"][1]["costs"]
    assert costs["items"][0]["amount"] == 4560.0  # 4,800 × 0.95
    assert costs["total"] == 7080.0  # 4,560 + 48 × 40 + 600
