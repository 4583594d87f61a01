"""Labels in both languages, and Babel formatting of money, percentages, numbers and dates."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from roicli.enums import (
    Aggregation,
    Basis,
    CostCategory,
    Direction,
    Isolation,
    Lang,
    Level,
    Method,
    Outlook,
    Period,
    Status,
    Verdict,
)
from roicli.i18n import (
    LABELS,
    fmt_before_after,
    fmt_date,
    fmt_meta,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_ratio,
    fmt_sensitivity,
    fmt_settings,
    fmt_share,
    labelled,
    role_label,
    smart_label,
    t,
    term,
)
from roicli.model import SMART_CRITERIA

NBSP, NNBSP = "\u00a0", "\u202f"
LABELLED_ENUMS: list[type[StrEnum]] = [
    Status,
    Verdict,
    Isolation,
    CostCategory,
    Level,
    Method,
    Direction,
    Period,
    Aggregation,
    Basis,
    Outlook,
]


def test_both_languages_define_exactly_the_same_keys() -> None:
    assert set(LABELS) == set(Lang)
    assert LABELS[Lang.EN].keys() == LABELS[Lang.FR].keys()


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize("enum", LABELLED_ENUMS, ids=lambda enum: enum.__name__)
def test_every_enum_member_has_a_label(enum: type[StrEnum], lang: Lang) -> None:
    labels = [term(member, lang) for member in enum]
    assert all(labels)
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("lang", list(Lang))
def test_every_smart_criterion_and_cohort_role_has_a_label(lang: Lang) -> None:
    assert all(smart_label(name, lang) for name in SMART_CRITERIA)
    assert role_label("trained", lang) != "trained"
    assert role_label("exotic", lang) == "exotic"


def test_labels_differ_by_language() -> None:
    assert term(Status.ON_TRACK, Lang.EN) == "On track"
    assert term(Status.ON_TRACK, Lang.FR) == "En bonne voie"
    assert term(Status.MISSED, Lang.FR) == "Manqué"
    assert term(Basis.FIRST_YEAR, Lang.FR) == "première année"
    assert t("sheet.summary", Lang.FR) == "Synthèse"
    assert term(Level.REACTION, Lang.FR) == "Niveau 1 – Réaction"


def test_an_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", Lang.EN)


def test_money_is_rounded_half_up_to_cents_in_the_locale_layout() -> None:
    assert fmt_money(1234.56, "EUR", Lang.EN) == "€1,234.56"
    assert fmt_money(1234.56, "EUR", Lang.FR) == f"1{NNBSP}234,56{NBSP}€"
    assert fmt_money(336000 * 0.7, "EUR", Lang.EN) == "€235,200.00"
    assert fmt_money(0.125, "EUR", Lang.EN) == "€0.13"
    assert fmt_money(-12.5, "USD", Lang.EN) == "-$12.50"
    assert fmt_money(None, "EUR", Lang.FR) == "n.d."


def test_amounts_past_babels_28_digits_are_still_written_out() -> None:
    # A value per unit of 1e12 times a KPI gain near 1e15 (both allowed) gives 1e27 and more.
    assert fmt_money(1e27, "EUR", Lang.EN) == "€1" + ",000" * 9 + ".00"
    assert fmt_number(-3.5e40, Lang.EN) == "-35" + ",000" * 13
    assert fmt_percent(1e30, Lang.EN) == "1" + ",000" * 10 + ".0%"
    assert fmt_ratio(2.5e29, Lang.EN) == "250" + ",000" * 9 + ".00"


def test_percentages_have_one_decimal_rounded_half_up() -> None:
    assert fmt_percent(12.345, Lang.EN) == "12.3%"
    assert fmt_percent(12.25, Lang.EN) == "12.3%"
    assert fmt_percent(12.345, Lang.FR) == f"12,3{NBSP}%"
    assert fmt_percent(-5.05, Lang.EN) == "-5.1%"
    assert fmt_percent(None, Lang.EN) == "n/a"
    assert fmt_share(0.755, Lang.EN) == "75.5%"
    assert fmt_share(1.1, Lang.FR) == f"110,0{NBSP}%"


def test_numbers_ratios_months_and_dates() -> None:
    assert fmt_number(12000, Lang.EN) == "12,000"
    assert fmt_number(1234.567, Lang.FR) == f"1{NNBSP}234,57"
    assert fmt_number(7, Lang.EN, 0) == "7"
    assert fmt_ratio(1.5, Lang.EN) == "1.50"
    assert fmt_ratio(1.5, Lang.FR) == "1,50"
    assert fmt_number(4.25, Lang.FR, 1) == "4,3"
    assert fmt_date(date(2026, 6, 30), Lang.EN) == "30 Jun 2026"
    assert fmt_date(date(2026, 6, 30), Lang.FR) == "30 juin 2026"
    assert fmt_date(date(2026, 11, 1), Lang.FR) == "1er nov. 2026"  # French typography
    assert fmt_date(date(2026, 11, 1), Lang.EN) == "1 Nov 2026"
    assert fmt_date(date(2026, 11, 11), Lang.FR) == "11 nov. 2026"


def test_composed_texts() -> None:
    assert labelled("Période", "Mois", Lang.FR) == f"Période{NBSP}: Mois"
    assert labelled("Period", "Month", Lang.EN) == "Period: Month"
    assert fmt_before_after(12000, 13200, 10, Lang.EN) == "12,000 → 13,200 (+10.0%)"
    assert fmt_before_after(10, 9, -10, Lang.EN) == "10 → 9 (-10.0%)"
    assert fmt_before_after(None, 9, None, Lang.EN) == "n/a"
    assert fmt_settings({"delimiter": ";", "header_row": 3, "dayfirst": True}) == (
        "delimiter=';'; header_row=3; dayfirst=True"
    )
    assert fmt_sensitivity(5.04, 12.3, None, Lang.EN) == (
        "ROI % if attribution and confidence were × 0.5 / as set / × 1.5",
        "5.0% / 12.3% / n/a",
    )
    meta = fmt_meta(date(2026, 6, 30), Period.MONTH, "EUR", "0.1.0", Lang.EN)
    assert meta == "As of: 30 Jun 2026 · Period: Month · Currency: EUR · roicli 0.1.0"


def test_basis_pending_and_stale_texts() -> None:
    assert t("view.basis", Lang.EN).format(
        basis=term(Basis.TO_DATE, Lang.EN), counted=5, window=12
    ) == ("Money to date (5 of 12 months counted)")
    assert t("view.pending", Lang.FR).format(day=fmt_date(date(2026, 9, 1), Lang.FR)) == (
        "Trop tôt pour conclure : mesurable à partir du 1er sept. 2026"
    )
    stale = t("view.stale", Lang.EN).format(
        label="Organic sessions", day=fmt_date(date(2026, 5, 31), Lang.EN), behind="1 month"
    )
    assert stale == "Organic sessions: data to 31 May 2026, 1 month behind"
