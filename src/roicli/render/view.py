"""What every renderer says about a figure's basis, in one place: the money basis, the
first-year figure, a pending programme, stale data and how an objective's gain is adjusted."""

from __future__ import annotations

from roicli.enums import Basis, Isolation, Lang, Status
from roicli.i18n import fmt_date, fmt_money, fmt_percent, fmt_share, t, term
from roicli.model import Analysis, ObjectiveResult, ProgramResult


def basis_line(program: ProgramResult, lang: Lang) -> str:
    """ "Money to date (9 of 12 months counted)"."""
    return t("view.basis", lang).format(
        basis=term(Basis.TO_DATE, lang),
        counted=program.months_counted,
        window=program.benefit_window_months,
    )


def first_year_line(program: ProgramResult, currency: str, lang: Lang) -> str | None:
    """Phillips' first-year figure, marked provisional on fewer than 3 months; None if pending."""
    if program.pending:
        return None
    return t("view.first_year", lang).format(
        benefits=fmt_money(program.first_year.benefits, currency, lang),
        roi=fmt_percent(program.first_year.roi_pct, lang),
        provisional=t("view.provisional", lang) if program.provisional else "",
    )


def pending_line(program: ProgramResult, analysis: Analysis, lang: Lang) -> str | None:
    """Why a pending programme has no ROI yet; None when it has one."""
    if not program.pending:
        return None
    day = program.measurable_from
    if day is None:
        return t("view.no_money", lang)
    key = "view.pending" if day > analysis.as_of else "view.waiting"
    return t(key, lang).format(day=fmt_date(day, lang))


def months_text(count: int, lang: Lang) -> str:
    """ "1 month", "2 months"."""
    return t("view.months" if count == 1 else "view.months_plural", lang).format(count=count)


def stale_lines(analysis: Analysis, lang: Lang) -> list[str]:
    """One line per KPI whose data end before the last complete month."""
    return [
        t("view.stale", lang).format(
            label=stale.label,
            day=fmt_date(stale.data_to, lang),
            behind=months_text(stale.months_behind, lang),
        )
        for stale in analysis.stale
    ]


def pending_costs_line(analysis: Analysis, lang: Lang) -> str | None:
    """The pending programmes and their costs, set apart from the portfolio's ROI."""
    portfolio = analysis.portfolio
    if not portfolio.pending:
        return None
    return t("view.pending_costs", lang).format(
        names=", ".join(portfolio.pending),
        costs=fmt_money(portfolio.pending_costs, analysis.currency, lang),
    )


def adjustment_text(objective: ObjectiveResult, lang: Lang) -> str:
    """How a gain is credited: "60 % × 80 %", or the estimates' effective share per row."""
    if objective.attribution is None or objective.confidence is None:
        return t("view.per_row", lang).format(share=fmt_share(objective.adjustment, lang))
    return t("view.adjustment", lang).format(
        attribution=fmt_share(objective.attribution, lang),
        confidence=fmt_share(objective.confidence, lang),
    )


def benefit_text(objective: ObjectiveResult, currency: str, lang: Lang) -> str:
    """The objective's benefit to date; what a level-1/2 KPI would be worth, kept apart; or
    why there is none: not converted to money, or too early to tell."""
    if objective.unconverted_benefit is not None and objective.level is not None:
        return t("view.unconverted", lang).format(
            level=objective.level.number,
            amount=fmt_money(objective.unconverted_benefit, currency, lang),
        )
    if objective.benefit is not None:
        return fmt_money(objective.benefit, currency, lang)
    if objective.value_per_unit is None and objective.isolation is not Isolation.ESTIMATES:
        return t("term.not_monetised", lang)
    return t("basis.pending", lang)


def shows_progress(objective: ObjectiveResult) -> bool:
    """A not-yet-measurable objective shows no progress bar."""
    return objective.status is not Status.NOT_YET_MEASURABLE and objective.progress is not None


def program_notes(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[str]:
    """What a programme's figures rest on: why it is pending, or its basis and first year."""
    pending = pending_line(program, analysis, lang)
    if pending:
        return [pending]
    first_year = first_year_line(program, analysis.currency, lang)
    return [basis_line(program, lang), *([first_year] if first_year else [])]


ESTIMATE_COLUMNS = (
    "col.row",
    "col.measure",
    "col.annual_value",
    "col.contribution",
    "col.confidence",
    "col.adjusted",
)
NUMERIC_ESTIMATE_COLUMNS = frozenset({0, 2, 3, 4, 5})


def estimate_rows(objective: ObjectiveResult, currency: str, lang: Lang) -> list[list[str]]:
    """Each estimate as the file gave it (by row, no name) and what it counts for a year."""
    return [
        [
            str(row.row),
            row.measure,
            fmt_money(row.annual_value, currency, lang),
            fmt_share(row.contribution, lang),
            fmt_share(row.confidence, lang),
            fmt_money(row.adjusted, currency, lang),
        ]
        for row in objective.estimates
    ]
