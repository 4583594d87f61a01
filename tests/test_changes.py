"""Since last report, worked out from two tiny literal JSON reports (pure), and its sentences."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from roicli.changes import compare, first_run, read_report, run_roi
from roicli.enums import Lang, Status, Verdict
from roicli.model import Delta, FindingChange, NewPeriods, StatusChange
from roicli.render.json import _changes


def report(
    as_of: str,
    *,
    roi: float | None,
    benefits: float,
    status: str = "on_track",
    relevant: str = "pass",
    rules: tuple[tuple[str, str], ...] = (),
    periods: tuple[tuple[str, float, bool], ...] = (),
    period: str = "month",
) -> dict[str, Any]:
    """A JSON report with one programme, one objective and one KPI."""
    return {
        "roicli_version": "0.1.0",
        "as_of": as_of,
        "period": period,
        "currency": "EUR",
        "programs": [
            {
                "name": "Mentoring",
                "roi_pct": roi,
                "benefits": benefits,
                "objectives": [
                    {
                        "id": "lead-growth",
                        "status": status,
                        "smart": {
                            "specific": {"status": "pass"},
                            "relevant": {"status": relevant},
                        },
                    }
                ],
                "rules": [{"check": check, "status": verdict} for check, verdict in rules],
            }
        ],
        "portfolio": {"roi_pct": roi, "benefits": benefits},
        "kpis": [
            {
                "name": "leads",
                "label": "Qualified leads",
                "periods": [
                    {"period": name, "value": value, "complete": complete}
                    for name, value, complete in periods
                ],
            }
        ],
    }


def test_roi_and_benefits_move_by_the_difference_worked_out_by_hand() -> None:
    changes = compare(
        report("2026-09-30", roi=2.5, benefits=1000.0),
        report("2026-10-31", roi=17.75, benefits=1234.56),
    )
    assert changes.previous_as_of == date(2026, 9, 30)
    (programme,) = changes.programs
    assert programme.name == "Mentoring"
    assert programme.roi_pct.change == pytest.approx(15.25)  # 17.75 − 2.5 points
    assert programme.benefits.change == pytest.approx(234.56)
    assert changes.portfolio is not None
    assert changes.portfolio.roi_pct.change == 15.25


def test_a_pending_programme_has_no_roi_change() -> None:
    changes = compare(
        report("2026-09-30", roi=None, benefits=0.0), report("2026-10-31", roi=5.0, benefits=10.0)
    )
    assert changes.programs[0].roi_pct == Delta(None, 5.0)
    assert changes.programs[0].roi_pct.change is None


def test_a_status_transition_is_listed_and_an_unchanged_one_is_not() -> None:
    before = report("2026-09-30", roi=1.0, benefits=1.0, status="at_risk")
    after = report("2026-10-31", roi=1.0, benefits=1.0, status="on_track")
    assert compare(before, after).statuses == (
        StatusChange("Mentoring", "lead-growth", Status.AT_RISK, Status.ON_TRACK),
    )
    assert compare(after, after).statuses == ()


def test_new_and_resolved_smart_failures_and_phillips_findings() -> None:
    passing = report("2026-09-30", roi=1.0, benefits=1.0, rules=(("phillips.all", "pass"),))
    failing = report(
        "2026-10-31",
        roi=1.0,
        benefits=1.0,
        relevant="fail",
        rules=(("phillips.fully_loaded", "warn"), ("phillips.interval", "warn")),
    )
    new = compare(passing, failing).findings
    assert new == (
        FindingChange("Mentoring", "lead-growth", "relevant", Verdict.FAIL, resolved=False),
        FindingChange("Mentoring", None, "phillips.fully_loaded", Verdict.WARN, resolved=False),
        FindingChange("Mentoring", None, "phillips.interval", Verdict.WARN, resolved=False),
    )
    resolved = compare(failing, passing).findings
    assert [finding.resolved for finding in resolved] == [True, True, True]
    assert [finding.check for finding in resolved] == [
        "relevant",
        "phillips.fully_loaded",
        "phillips.interval",
    ]


def test_new_periods_and_a_revised_period_with_its_size() -> None:
    before = report(
        "2026-09-30",
        roi=1.0,
        benefits=1.0,
        periods=(("2026-08", 100.0, True), ("2026-09", 120.0, True), ("2026-10", 3.0, False)),
    )
    after = report(
        "2026-10-31",
        roi=1.0,
        benefits=1.0,
        periods=(("2026-08", 112.5, True), ("2026-09", 120.0, True), ("2026-10", 130.0, True)),
    )
    changes = compare(before, after)
    # 2026-10 was partial before: new now, not a revision.
    assert changes.new_periods == (NewPeriods("leads", "Qualified leads", ("2026-10",)),)
    (revision,) = changes.revisions
    assert (revision.kpi, revision.period) == ("leads", "2026-08")
    assert revision.value.change == 12.5
    data = _changes(changes)
    assert data is not None
    assert data["revisions"][0]["change_pct"] == 12.5  # 12.5 on 100


def test_reports_in_other_periods_compare_no_periods() -> None:
    monthly = report("2026-09-30", roi=1.0, benefits=1.0, periods=(("2026-08", 1.0, True),))
    quarterly = report(
        "2026-10-31", roi=1.0, benefits=1.0, periods=(("2026-Q3", 9.0, True),), period="quarter"
    )
    changes = compare(monthly, quarterly)
    assert changes.new_periods == ()
    assert changes.revisions == ()


def test_a_first_run_has_nothing_to_compare_and_null_in_json() -> None:
    assert first_run().first
    assert _changes(first_run()) is None
    assert _changes(None) is None


def test_a_document_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(ValidationError):
        read_report({"programs": []})
    with pytest.raises(ValidationError):
        read_report({**report("2026-10-31", roi=1.0, benefits=1.0), "as_of": "soon"})


def test_run_roi_reads_each_programmes_roi() -> None:
    point = run_roi(report("2026-10-31", roi=12.5, benefits=1.0))
    assert point.as_of == date(2026, 10, 31)
    assert point.programs == (("Mentoring", 12.5),)


@pytest.mark.parametrize("lang", list(Lang))
def test_the_sentences_say_each_change_once(lang: Lang, repo: Any) -> None:
    from roicli.analysis import analyse
    from roicli.project import load_project
    from roicli.render.view import changes_heading, changes_lines

    analysis = analyse(load_project(repo / "configs" / "roicli.yaml"), as_of=date(2026, 10, 31))
    before = report(
        "2026-09-30", roi=2.5, benefits=1000.0, status="at_risk", periods=(("2026-08", 10, True),)
    )
    after = report(
        "2026-10-31",
        roi=17.75,
        benefits=1234.56,
        relevant="fail",
        periods=(("2026-08", 12, True), ("2026-09", 11, True)),
    )
    shown = dataclasses.replace(analysis, changes=compare(before, after))
    lines = changes_lines(shown, lang)
    if lang is Lang.EN:
        assert changes_heading(shown, lang) == "Since last report (30 Sep 2026)"
        assert lines == [
            "Mentoring: ROI 2.5% → 17.8% (+15.3 points); benefits €1,000.00 → €1,234.56 (+€234.56)",
            "lead-growth: At risk → On track",
            "New SMART failure: lead-growth · Relevant",
            "New data: 2026-09 for Qualified leads",
            "Revised: Qualified leads, 2026-08: 10 → 12 (+2)",
        ]
    else:
        assert changes_heading(shown, lang) == "Depuis le dernier rapport (30 sept. 2026)"
        assert lines[0].startswith("Mentoring : ROI 2,5\u00a0% → 17,8\u00a0% (+15,3 points)")
        assert "lead-growth : À risque → En bonne voie" in lines
    first = dataclasses.replace(analysis, changes=first_run())
    assert len(changes_lines(first, lang)) == 1
    assert changes_lines(analysis, lang) == []
    assert changes_heading(analysis, lang) is None
