"""Two more cases in the style of published training-ROI studies, written as a training lead
would (config and CSV files), run through the real CLI and checked to the cent by hand:

(a) a sales training: 20 reps, the sales gain estimated by the reps per week and counted at a
    30 % profit margin, a coaching licence bought in US dollars at a dated rate;
(b) a six-week onboarding programme whose one month observed is annualised (× 12) and whose
    payback, under 3 months, is given in weeks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roicli.cli import app

runner = CliRunner()


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "roicli.yaml"


def roi_json(config: Path, as_of: str) -> dict[str, Any]:
    result = runner.invoke(app, ["roi", "-c", str(config), "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def markdown(config: Path, as_of: str, lang: str) -> list[str]:
    out = config.parent / f"report.{lang}.md"
    args = ["-c", str(config), "--as-of", as_of, "--no-history", "--lang", lang, "-o", str(out)]
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8").splitlines()


# --- (a) sales training: weekly estimates at a margin, a USD licence ---------------------------

SALES = """\
version: 1
currency: EUR
fx:
  USD:
    - {from: 2026-01-01, rate: 0.90}
    - {from: 2026-02-01, rate: 0.92}
business_goals: [Grow sales]
programs:
  - name: Consultative sales training
    start: 2026-01-05
    participants: 20
    costs:
      - {item: Coaching licence, category: tools, amount: 12000, currency: USD, date: 2026-02-15}
      - {item: Facilitator, category: delivery, amount: 3000}
      - {item: Reps' time (20 × 6 h), category: participant_time, hours: 120, rate: 35}
    objectives:
      - id: sales-gain
        title: Reps' estimated extra sales from the consultative method
        isolation: estimates
        estimates: estimates.csv
        margin: 30%
        business_goal: Grow sales
        deadline: 2026-12-31
"""

# Three of the 20 reps answered; the others count for nothing (Phillips: no answer, no gain).
SALES_ESTIMATES = """\
participant,measure,annual_value,period,contribution,confidence
Rep A,Extra sales,1000,week,50%,80%
Rep B,Extra sales,800,week,60%,70%
Rep C,Extra sales,1500,week,40%,90%
"""


def test_sales_training_weekly_estimates_at_a_margin_and_a_usd_licence(tmp_path: Path) -> None:
    config = write(tmp_path, {"roicli.yaml": SALES, "estimates.csv": SALES_ESTIMATES})
    data = roi_json(config, "2026-12-31")
    program = data["programs"][0]
    # Each rep's weekly sales gain × 52 weeks × the 30 % margin, then × contribution × confidence:
    #   A: 1,000 × 52 × 0.30 = 15,600; × 0.50 × 0.80 = 6,240.00
    #   B:   800 × 52 × 0.30 = 12,480; × 0.60 × 0.70 = 5,241.60
    #   C: 1,500 × 52 × 0.30 = 23,400; × 0.40 × 0.90 = 8,424.00
    rows = program["objectives"][0]["estimates"]
    assert [row["annual_value"] for row in rows] == [15600.0, 12480.0, 23400.0]
    assert [row["adjusted"] for row in rows] == [6240.0, 5241.6, 8424.0]
    assert [(row["given_value"], row["period"], row["margin"]) for row in rows] == [
        (1000.0, "week", 0.3),
        (800.0, "week", 0.3),
        (1500.0, "week", 0.3),
    ]
    assert [row["participant"] for row in rows] == ["P1", "P2", "P3"]  # never the names
    # 12 months counted on 31 Dec: to date = the year's 6,240 + 5,241.60 + 8,424 = 19,905.60
    assert program["months_counted"] == 12
    assert program["benefits"] == 19905.6
    # Licence 12,000 USD paid 15 Feb 2026, at the rate from 1 Feb (0.92): 11,040.00 EUR;
    # facilitator 3,000; reps' time 120 h × 35 = 4,200; costs 11,040 + 3,000 + 4,200 = 18,240
    assert [item["amount"] for item in program["costs"]["items"]] == [11040.0, 3000.0, 4200.0]
    assert program["costs"]["total"] == 18240.0
    assert data["audit"]["conversions"] == [
        {
            "program": "Consultative sales training",
            "item": "Coaching licence",
            "field": "amount",
            "currency": "USD",
            "amount": 12000.0,
            "day": "2026-02-15",
            "rate_from": "2026-02-01",
            "rate": 0.92,
            "converted": 11040.0,
        }
    ]
    # Net 19,905.60 − 18,240 = 1,665.60; ROI 1,665.60 / 18,240 = 9.13 %; BCR 1.09
    assert program["net_benefit"] == 1665.6
    assert program["roi_pct"] == pytest.approx(1665.6 / 18240 * 100)  # 9.131578947
    assert program["bcr"] == pytest.approx(19905.6 / 18240)  # 1.091315789
    # Payback 18,240 / (19,905.60 / 12) = 18,240 / 1,658.80 = 11.0 months: months, not weeks
    assert program["payback_months"] == pytest.approx(18240 / 1658.8)
    assert program["payback"]["unit"] == "months"
    # Per rep (all 20, not the 3 who answered): 18,240 / 20 = 912.00, 19,905.60 / 20 = 995.28,
    # 1,665.60 / 20 = 83.28
    assert program["per_participant"] == {"costs": 912.0, "benefits": 995.28, "net_benefit": 83.28}

    lines = markdown(config, "2026-12-31", "en")
    assert lines[6] == (
        "- Consultative sales training: paying back — ROI 9.1% to date, 0.0% measured, "
        "100.0% estimated"
    )
    text = "\n".join(lines)
    assert "€15,600.00 (€1,000.00 a week × 52 × margin 30.0%)" in text
    assert "$12,000.00 × 0.92 (rate from 1 Feb 2026, for 15 Feb 2026) = €11,040.00" in text
    assert "Per participant (to date): costs €912.00, benefits €995.28, net benefit €83.28" in text
    text = "\n".join(markdown(config, "2026-12-31", "fr"))
    assert (
        "15\u202f600,00\u00a0€ (1\u202f000,00\u00a0€ par semaine × 52 × marge 30,0\u00a0%)" in text
    )


# --- (b) six-week onboarding: one month annualised, payback in weeks ---------------------------

ONBOARDING = """\
version: 1
currency: EUR
business_goals: [Lower service costs]
sources:
  - path: escalations.csv
    columns: {date: Month, kpi: Measure, value: Count}
kpis:
  escalations: {label: Escalations, direction: decrease, aggregation: sum, lag_months: 1}
programs:
  - name: Six-week onboarding for new agents
    start: 2026-03-02
    end: 2026-04-10
    participants: 8
    costs:
      - {item: Onboarding design, category: design, amount: 1500}
      - {item: Agents' time (8 × 6 × 5 h), category: participant_time, hours: 240, rate: 10}
    objectives:
      - id: escalations
        title: Cut escalations by 30% by applying the onboarding playbook
        kpi: escalations
        owner: Service manager
        business_goal: Lower service costs
        baseline: {value: 400}
        target: {change: "-30%"}
        deadline: 2026-09-30
        value_per_unit: 40
        attribution: 0.6
        confidence: 0.75
        annualise: true
"""

ESCALATIONS = """\
Month,Measure,Count
2025-10-01,Escalations,410
2025-11-01,Escalations,395
2025-12-01,Escalations,400
2026-01-01,Escalations,405
2026-02-01,Escalations,390
2026-03-01,Escalations,380
2026-04-01,Escalations,250
"""


def test_six_week_onboarding_annualised_with_a_payback_in_weeks(tmp_path: Path) -> None:
    config = write(tmp_path, {"roicli.yaml": ONBOARDING, "escalations.csv": ESCALATIONS})
    program = roi_json(config, "2026-05-10")["programs"][0]
    # Started 2 March, the KPI lags a month: April is the one month counted (May is partial).
    # Escalations 400 → 250: 150 fewer × 40 an escalation × 0.6 × 0.75 = 2,700 for the month
    assert program["months_counted"] == 1
    objective = program["objectives"][0]
    assert (objective["baseline"], objective["current"], objective["benefit"]) == (
        400.0,
        250.0,
        2700.0,
    )
    assert objective["annualised"] is True
    # Costs 1,500 + 240 h × 10 = 3,900; to date 2,700 − 3,900 = −1,200, ROI −30.77 %
    assert program["costs"]["total"] == 3900.0
    assert program["benefits"] == 2700.0
    assert program["net_benefit"] == -1200.0
    assert program["roi_pct"] == pytest.approx(-1200 / 3900 * 100)  # −30.76923077
    # Annualised, one month's difference × 12: 2,700 × 12 = 32,400; ROI 28,500 / 3,900 = 730.8 %
    first_year = program["first_year"]
    assert first_year["benefits"] == 32400.0
    assert first_year["net_benefit"] == 28500.0
    assert first_year["roi_pct"] == pytest.approx(28500 / 3900 * 100)  # 730.7692308
    assert first_year["annualised_from_months"] == 1
    assert first_year["provisional"] is False
    # Payback 3,900 / 2,700 = 1.4444 months, under 3: in weeks, 1.4444 × 52 / 12 = 6.2593
    assert program["payback_months"] == pytest.approx(3900 / 2700)
    assert program["payback"] == {"value": pytest.approx(3900 / 2700 * 52 / 12), "unit": "weeks"}
    # Per new agent (8): costs 487.50; to date 2,700 / 8 = 337.50, net −150.00; first year
    # 32,400 / 8 = 4,050.00, net 28,500 / 8 = 3,562.50
    assert program["per_participant"] == {"costs": 487.5, "benefits": 337.5, "net_benefit": -150.0}
    assert first_year["per_participant"] == {
        "costs": 487.5,
        "benefits": 4050.0,
        "net_benefit": 3562.5,
    }

    lines = markdown(config, "2026-05-10", "en")
    assert lines[6] == (
        "- Six-week onboarding for new agents: not yet paying back — ROI -30.8% to date, pays "
        "back in 6.3 weeks, first year 730.8%, data to 30 Apr 2026"
    )
    text = "\n".join(lines)
    assert (
        "First year (Phillips): benefits €32,400.00, ROI 730.8% — annualised from 1 month × 12"
    ) in text
    assert "Payback in 6.3 weeks (under 3 months: 1.4 months × 52 / 12)" in text
    lines = markdown(config, "2026-05-10", "fr")
    assert lines[6] == (
        "- Six-week onboarding for new agents : pas encore rentable — ROI -30,8\u00a0% à date, "
        "rentabilisé en 6,3 semaines, première année 730,8\u00a0%, données jusqu'au 30 avr. 2026"
    )
