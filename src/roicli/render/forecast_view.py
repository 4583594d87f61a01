"""What every renderer says about a programme's forecast before launch, its break-even changes
and its figures per participant, in one place."""

from __future__ import annotations

from roicli.enums import Lang
from roicli.i18n import fmt_money, fmt_number, fmt_percent, t, term
from roicli.messages import localize
from roicli.model import ObjectiveForecast, ProgramResult, RoiFigures


def forecast_line(program: ProgramResult, currency: str, lang: Lang) -> str | None:
    """ "Forecast, before launch (first-year rule): benefits €9,072.00, ROI 23.9%, payback 9.7
    months; actual first year: ROI 5.0%", the actual once measured; None without a forecast."""
    found = program.forecast
    if found is None or found.figures is None:
        return None
    figures = found.figures
    actual = ""
    if not program.pending:
        actual = t("view.forecast_actual", lang).format(
            roi=fmt_percent(program.first_year.roi_pct, lang)
        )
    return t("view.forecast", lang).format(
        benefits=fmt_money(figures.benefits, currency, lang),
        roi=fmt_percent(figures.roi_pct, lang),
        payback=fmt_number(figures.payback_months, lang, 1),
        actual=actual,
    )


def per_participant_line(figures: RoiFigures, currency: str, lang: Lang) -> str | None:
    """ "Per participant (to date): costs €915.00, benefits €1,200.00, net benefit €285.00";
    None without participants."""
    if figures.costs_per_participant is None:
        return None
    return t("view.per_participant", lang).format(
        basis=term(figures.basis, lang),
        costs=fmt_money(figures.costs_per_participant, currency, lang),
        benefits=fmt_money(figures.benefits_per_participant, currency, lang),
        net=fmt_money(figures.net_per_participant, currency, lang),
    )


def break_even_line(objective: ObjectiveForecast, lang: Lang) -> str:
    """ "leads: Qualified leads must rise by 13.89 a month for the programme to pay for itself
    (this objective alone)", or why it has none."""
    amount = objective.break_even
    if amount is None:
        return t("view.break_even.none", lang).format(
            id=objective.id, reason=localize(objective.note, lang) or ""
        )
    key = "view.break_even.rise" if amount >= 0 else "view.break_even.fall"
    unit = f" {objective.unit}" if objective.unit else ""
    line = t(key, lang).format(
        id=objective.id,
        label=objective.kpi_label or objective.id,
        amount=fmt_number(abs(amount), lang) + unit,
    )
    if objective.beyond_baseline:
        line += t("view.break_even.beyond", lang)
    return line
