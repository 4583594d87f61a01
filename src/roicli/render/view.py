"""What every renderer says about a figure's basis, in one place: the money basis, the
first-year figure, a pending programme, stale data, how an objective's gain is adjusted, and
what moved since the last report."""

from __future__ import annotations

from roicli.enums import (
    Basis,
    EstimatePeriod,
    Isolation,
    Lang,
    Outlook,
    PaybackUnit,
    RoiBase,
    RoiObjectiveStatus,
    Status,
)
from roicli.i18n import (
    LABELS,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_share,
    smart_label,
    t,
    term,
)
from roicli.messages import localize
from roicli.model import (
    Action,
    Analysis,
    Changes,
    Delta,
    EstimateRow,
    FindingChange,
    MultiYearFigures,
    NewPeriods,
    ObjectiveResult,
    ProgramChange,
    ProgramRange,
    ProgramResult,
    ProgramVerdict,
    Revision,
    RoiFigures,
    StatusChange,
)
from roicli.payback import shown_payback
from roicli.render.forecast_view import forecast_line, per_participant_line


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
    provisional = t("view.provisional", lang) if program.provisional else ""
    if program.annualised_from is not None:
        provisional += t("view.annualised", lang).format(
            months=months_text(program.annualised_from, lang),
            window=program.benefit_window_months,
        )
    return t("view.first_year", lang).format(
        benefits=fmt_money(program.first_year.benefits, currency, lang),
        roi=fmt_percent(program.first_year.roi_pct, lang),
        provisional=provisional,
    )


def payback_text(months: float | None, lang: Lang) -> str:
    """ "3.8 months", or "5.2 weeks" under 3 months; n/a when there is no payback."""
    shown = shown_payback(months)
    if shown is None:
        return t("na", lang)
    return t("view.payback", lang).format(
        value=fmt_number(shown.value, lang, 1), unit=term(shown.unit, lang)
    )


def payback_weeks_line(figures: RoiFigures, lang: Lang) -> str | None:
    """ "Payback in 5.2 weeks (under 3 months: 1.2 months × 52 / 12)" for a short payback,
    beside the months every table shows; None otherwise."""
    shown = figures.payback
    if shown is None or shown.unit is not PaybackUnit.WEEKS:
        return None
    return t("view.payback_weeks", lang).format(
        weeks=payback_text(figures.payback_months, lang),
        months=fmt_number(figures.payback_months, lang, 1),
    )


def _multi_year_payback(found: MultiYearFigures, lang: Lang) -> str:
    """The payback in years, then, at a discount rate above zero, the discounted payback."""
    payback = (
        t("view.multi_year_no_payback", lang).format(years=found.years)
        if found.payback_years is None
        else t("view.multi_year_payback", lang).format(
            years=fmt_number(found.payback_years, lang, 2)
        )
    )
    if not found.discount_rate:
        return payback  # the same figure twice
    rate = fmt_share(found.discount_rate, lang)
    if found.discounted_payback_years is None:
        return t("view.multi_year_no_discounted_payback", lang).format(
            payback=payback, rate=rate, horizon=found.years
        )
    return t("view.multi_year_discounted_payback", lang).format(
        payback=payback, rate=rate, years=fmt_number(found.discounted_payback_years, lang, 2)
    )


def multi_year_lines(program: ProgramResult, currency: str, lang: Lang) -> list[str]:
    """The opt-in multi-year figures, labelled as such: present values and NPV, the ROI on
    the chosen base then on the other, the payback in years; none without them."""
    found = program.multi_year
    if found is None:
        return []
    rois = {
        RoiBase.TOTAL_COSTS: (found.roi_total_costs, found.roi_total_costs_undiscounted),
        RoiBase.INITIAL_INVESTMENT: (found.roi_initial, found.roi_initial_undiscounted),
    }
    other = next(base for base in RoiBase if base is not found.roi_on)
    payback = _multi_year_payback(found, lang)
    return [
        t("view.multi_year", lang).format(
            years=found.years,
            rate=fmt_share(found.discount_rate, lang),
            benefits=fmt_money(found.pv_benefits, currency, lang),
            costs=fmt_money(found.pv_costs, currency, lang),
            npv=fmt_money(found.npv, currency, lang),
        ),
        t("view.multi_year_roi", lang).format(
            base=term(found.roi_on, lang),
            roi=fmt_percent(rois[found.roi_on][0], lang),
            undiscounted=fmt_percent(rois[found.roi_on][1], lang),
            other_base=term(other, lang),
            other=fmt_percent(rois[other][0], lang),
            other_undiscounted=fmt_percent(rois[other][1], lang),
        ),
        payback,
    ]


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


def range_text(objective: ObjectiveResult, currency: str, lang: Lang) -> str:
    """A benefit's interval, "€2,120 to €3,842", whole amounts; marked rough when thin; "no
    interval" for a benefit without one (Phillips' rules say why)."""
    found = objective.benefit_range
    if found is None:
        if objective.benefit is None:
            return t("na", lang)
        if objective.isolation is Isolation.ESTIMATES:
            return t("view.no_range_estimates", lang)
        return t("view.no_range", lang)
    text = t("view.range", lang).format(
        low=fmt_money(found.low, currency, lang, decimals=0),
        high=fmt_money(found.high, currency, lang, decimals=0),
    )
    return text if found.reliable else f"{text} {t('view.rough', lang)}"


def roi_interval_line(found: ProgramRange | None, analysis: Analysis, lang: Lang) -> str | None:
    """ "ROI likely between 9.4% and 25.9% (90% interval); a positive ROI is 99.9% likely"."""
    if found is None or found.roi_pct is None:
        return None
    line = t("view.roi_interval", lang).format(
        level=fmt_share(analysis.confidence_level, lang, decimals=0),
        low=fmt_percent(found.roi_pct.low, lang),
        high=fmt_percent(found.roi_pct.high, lang),
        chance=fmt_share(found.p_positive, lang),
    )
    return line if found.reliable else f"{line} {t('view.rough', lang)}"


def portfolio_notes(analysis: Analysis, lang: Lang) -> list[str]:
    """The portfolio's ROI interval, its payback in weeks, that multi-year figures are not
    added up, and the pending programmes set apart with their costs."""
    lines = [
        roi_interval_line(analysis.portfolio.range, analysis, lang),
        payback_weeks_line(analysis.portfolio.figures, lang),
    ]
    names = [p.name for p in analysis.programs if p.multi_year is not None]
    if names:
        lines.append(t("view.multi_year_apart", lang).format(names=", ".join(names)))
    return [line for line in (*lines, pending_costs_line(analysis, lang)) if line]


def interval_lines(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[str]:
    """The programme's ROI interval with the chance of a positive ROI, and its ROI objective."""
    found = program.range
    interval = roi_interval_line(found, analysis, lang)
    lines = [interval] if interval else []
    status = program.roi_objective_status
    if program.roi_objective is not None and status is not None:
        chance = found.p_objective if found is not None else None
        key = "view.objective" if chance is None else "view.objective_chance"
        lines.append(
            t(key, lang).format(
                objective=fmt_percent(program.roi_objective, lang),
                status=term(status, lang),
                chance=fmt_share(chance, lang),
            )
        )
    return lines


def shows_progress(objective: ObjectiveResult) -> bool:
    """A not-yet-measurable objective shows no progress bar."""
    return objective.status is not Status.NOT_YET_MEASURABLE and objective.progress is not None


def program_notes(program: ProgramResult, analysis: Analysis, lang: Lang) -> list[str]:
    """What a programme's figures rest on: why it is pending, or its basis, first year and
    figures per participant; then its forecast before launch, when it has one."""
    forecast = forecast_line(program, analysis.currency, lang)
    pending = pending_line(program, analysis, lang)
    multi_year = multi_year_lines(program, analysis.currency, lang)
    if pending:
        return [pending, *multi_year, *([forecast] if forecast else [])]
    first_year = first_year_line(program, analysis.currency, lang)
    weeks = payback_weeks_line(program.figures, lang)
    per_head = per_participant_line(program.figures, analysis.currency, lang)
    return [
        basis_line(program, lang),
        *([first_year] if first_year else []),
        *([weeks] if weeks else []),
        *([per_head] if per_head else []),
        *multi_year,
        *([forecast] if forecast else []),
        *interval_lines(program, analysis, lang),
    ]


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
            annual_text(row, currency, lang),
            fmt_share(row.contribution, lang),
            fmt_share(row.confidence, lang),
            fmt_money(row.adjusted, currency, lang),
        ]
        for row in objective.estimates
    ]


YEAR_COLUMNS = (
    "col.year",
    "col.year_benefits",
    "col.year_costs",
    "col.discount_factor",
    "col.pv_benefits",
    "col.pv_costs",
    "col.cumulative_net",
)
NUMERIC_YEAR_COLUMNS = frozenset(range(1, len(YEAR_COLUMNS)))


def multi_year_heading(program: ProgramResult, lang: Lang) -> str | None:
    """ "Multi-year, year by year (opt-in): over 3 years, discounted at 15.0%"; None without."""
    found = program.multi_year
    if found is None:
        return None
    return t("heading.multi_year", lang).format(
        years=found.years, rate=fmt_share(found.discount_rate, lang)
    )


def year_rows(program: ProgramResult, currency: str, lang: Lang) -> list[list[str]]:
    """The multi-year figures year by year, year 0 the initial investment; none without."""
    found = program.multi_year
    if found is None:
        return []
    return [
        [
            t("view.initial_year", lang) if row.year == 0 else str(row.year),
            fmt_money(row.benefits, currency, lang),
            fmt_money(row.costs, currency, lang),
            fmt_number(row.discount_factor, lang, 4),
            fmt_money(row.pv_benefits, currency, lang),
            fmt_money(row.pv_costs, currency, lang),
            fmt_money(row.cumulative_net, currency, lang),
        ]
        for row in found.rows
    ]


def annual_text(row: EstimateRow, currency: str, lang: Lang) -> str:
    """An estimate's annual figure, with how it was worked out when not a year's value as
    given: "€6,500.00 (€500.00 a week × 52 × margin 25.0%)"."""
    annual = fmt_money(row.annual_value, currency, lang)
    basis = annual_basis(row, currency, lang)
    return annual if basis is None else f"{annual} ({basis})"


def annual_basis(row: EstimateRow, currency: str, lang: Lang) -> str | None:
    """ "€500.00 a week × 52 × margin 25.0%"; None for a year's value with no margin."""
    if row.given is None or (row.period is EstimatePeriod.YEAR and row.margin is None):
        return None
    text = t(f"estimate.per.{row.period.value}", lang).format(
        value=fmt_money(row.given, currency, lang)
    )
    if row.margin is not None:
        text += t("estimate.margin", lang).format(margin=fmt_share(row.margin, lang))
    return text


def verdict_line(verdict: ProgramVerdict, analysis: Analysis, lang: Lang) -> str:
    """ "SEO …: paying back — ROI 17.7% to date (range -70.6% to 105.4%), 52% measured, 48%
    estimated; data to 31 Oct 2026"."""
    head = t("verdict.head", lang).format(name=verdict.name, outlook=term(verdict.outlook, lang))
    day = verdict.measurable_from
    multi_year = multi_year_part(verdict.multi_year, analysis.currency, lang)
    if verdict.outlook is Outlook.NO_MONEY:
        return f"{head} — {t('verdict.no_money', lang)}"
    if verdict.outlook is Outlook.PROJECTED:
        return f"{head} — {multi_year}"
    if verdict.outlook is Outlook.TOO_EARLY:
        assert day is not None
        key = "verdict.measurable" if day > analysis.as_of else "verdict.waiting"
        pending = [t(key, lang).format(day=fmt_date(day, lang))]
        pending += [part for part in (forecast_part(verdict, lang), multi_year) if part]
        return f"{head} — " + t("verdict.separator", lang).join(pending)
    parts = [_roi_part(verdict, lang)]
    objective = _objective_part(verdict, lang)
    if objective:
        parts.append(objective)
    if verdict.outlook is Outlook.NOT_YET and verdict.payback_months is not None:
        parts.append(
            t("verdict.payback", lang).format(payback=payback_text(verdict.payback_months, lang))
        )
    if verdict.outlook is not Outlook.PAYING_BACK:
        parts.append(
            t("verdict.first_year", lang).format(roi=fmt_percent(verdict.first_year_roi_pct, lang))
        )
    split = _split(verdict, analysis.currency, lang)
    if split:
        parts.append(split)
    if verdict.data_to is not None:
        key = "verdict.stale" if verdict.stale else "verdict.fresh"
        parts.append(t(key, lang).format(day=fmt_date(verdict.data_to, lang)))
    measured = ", ".join(parts)
    return f"{head} — " + t("verdict.separator", lang).join([measured, *filter(None, [multi_year])])


def multi_year_part(found: MultiYearFigures | None, currency: str, lang: Lang) -> str | None:
    """ "pays over 3 years on stated benefits: multi-year ROI 701.6% on the initial investment,
    discounted at 15.0% (NPV €601,569.82), opt-in, not Phillips' first-year rule"; whether it
    pays is the NPV's sign. None without multi-year figures."""
    if found is None:
        return None
    pays = "verdict.multi_year.pays" if found.npv >= 0 else "verdict.multi_year.does_not_pay"
    benefits = "stated" if found.stated else "persistence"
    return t("verdict.multi_year", lang).format(
        pays=t(pays, lang),
        years=found.years,
        benefits=t(f"verdict.multi_year.{benefits}", lang),
        roi=fmt_percent(found.roi_pct, lang),
        base=term(found.roi_on, lang),
        rate=fmt_share(found.discount_rate, lang),
        npv=fmt_money(found.npv, currency, lang),
    )


def forecast_part(verdict: ProgramVerdict, lang: Lang) -> str | None:
    """ "forecast, before launch: ROI 23.9%, payback 9.7 months" for a pending programme;
    None without a forecast."""
    found = verdict.forecast
    if found is None:
        return None
    text = t("verdict.forecast", lang).format(
        basis=term(Basis.FORECAST, lang), roi=fmt_percent(found.roi_pct, lang)
    )
    if found.payback_months is None:
        return text
    return text + t("verdict.forecast_payback", lang).format(
        payback=payback_text(found.payback_months, lang)
    )


def _roi_part(verdict: ProgramVerdict, lang: Lang) -> str:
    """ "ROI 17.7% to date, likely between 9.4% and 25.9%", the interval when there is one."""
    text = t("verdict.roi", lang).format(roi=fmt_percent(verdict.roi_pct, lang))
    if verdict.low_pct is None or verdict.high_pct is None:
        return text
    likely = t("verdict.likely", lang).format(
        low=fmt_percent(verdict.low_pct, lang), high=fmt_percent(verdict.high_pct, lang)
    )
    rough = f" {t('verdict.rough', lang)}" if verdict.rough else ""
    return f"{text}, {likely}{rough}"


def _objective_part(verdict: ProgramVerdict, lang: Lang) -> str | None:
    """ "objective 25% met with 78% probability", when the programme has an ROI objective."""
    if verdict.roi_objective is None or verdict.objective_status is None:
        return None
    if verdict.objective_status is RoiObjectiveStatus.NOT_YET_MEASURABLE:
        return None
    met = verdict.objective_status is RoiObjectiveStatus.MET
    if verdict.p_objective is None:
        key = "verdict.objective.unknown" if met else "verdict.objective.not_met_unknown"
    else:
        key = "verdict.objective.met" if met else "verdict.objective.not_met"
    return t(key, lang).format(
        objective=fmt_percent(verdict.roi_objective, lang),
        chance=fmt_share(verdict.p_objective, lang),
    )


def _split(verdict: ProgramVerdict, currency: str, lang: Lang) -> str | None:
    """How much of the benefit is measured and how much estimated: shares, else amounts."""
    if not verdict.estimated:
        return None
    total = verdict.measured + verdict.estimated
    if total > 0 and verdict.measured >= 0:
        measured = fmt_share(verdict.measured / total, lang)
        estimated = fmt_share(verdict.estimated / total, lang)
    else:
        measured = fmt_money(verdict.measured, currency, lang)
        estimated = fmt_money(verdict.estimated, currency, lang)
    return t("verdict.split", lang).format(measured=measured, estimated=estimated)


def rule_label(check: str, lang: Lang) -> str:
    """A Phillips rule's name in words ("Costs fully loaded"), never its id."""
    return t(f"rule.{check}", lang)


def action_line(action: Action, lang: Lang) -> str:
    """One thing to do, in words."""
    return t(f"action.{action.kind.value}", lang).format(
        subject=action.subject,
        detail=localize(action.detail, lang) or "",
        day=fmt_date(action.day, lang) if action.day else "",
    )


def summary_money(analysis: Analysis, lang: Lang) -> str:
    """The run summary's money: the measured programmes' ROI and net benefit, or that none is
    measured yet; then a programme's multi-year figure, labelled, or that several are not
    added up."""
    portfolio = analysis.portfolio
    text = t("summary.not_measured", lang)
    if any(not program.pending for program in analysis.programs):
        text = t("summary.money", lang).format(
            roi=fmt_percent(portfolio.figures.roi_pct, lang),
            net=fmt_money(portfolio.figures.net_benefit, analysis.currency, lang),
        )
    found = [p.multi_year for p in analysis.programs if p.multi_year is not None]
    if len(found) > 1:
        return text + t("summary.multi_years", lang).format(count=len(found))
    if not found:
        return text
    horizon = found[0]
    return text + t("summary.multi_year", lang).format(
        roi=fmt_percent(horizon.roi_pct, lang),
        base=term(horizon.roi_on, lang),
        years=horizon.years,
        rate=fmt_share(horizon.discount_rate, lang),
        benefits=t(f"verdict.multi_year.{'stated' if horizon.stated else 'persistence'}", lang),
        npv=fmt_money(horizon.npv, analysis.currency, lang),
    )


def verdict_lines(analysis: Analysis, lang: Lang) -> list[str]:
    """The verdict of every programme, one line each."""
    return [verdict_line(verdict, analysis, lang) for verdict in analysis.verdicts]


def action_lines(analysis: Analysis, lang: Lang) -> list[str]:
    """The most useful actions, most urgent first."""
    return [action_line(action, lang) for action in analysis.actions]


def summary_paragraph(analysis: Analysis, lang: Lang) -> str:
    """A plain-language paragraph a manager can paste into an e-mail."""
    sentences = [t("para.opening", lang).format(day=fmt_date(analysis.as_of, lang))]
    currency = analysis.currency
    for program, verdict in zip(analysis.programs, analysis.verdicts, strict=True):
        day = verdict.measurable_from
        key = f"para.{verdict.outlook.value}"
        if verdict.outlook is Outlook.TOO_EARLY and day is not None and day <= analysis.as_of:
            key = "para.waiting"
        total = verdict.measured + verdict.estimated
        sentences.append(
            t(key, lang).format(
                name=program.name,
                benefits=fmt_money(program.figures.benefits, currency, lang),
                costs=fmt_money(program.figures.costs, currency, lang),
                roi=fmt_percent(verdict.roi_pct, lang),
                first_year=fmt_percent(verdict.first_year_roi_pct, lang),
                payback=payback_text(verdict.payback_months, lang),
                measured=fmt_share(verdict.measured / total if total > 0 else None, lang),
                day=fmt_date(day, lang),
                multi_year=multi_year_part(verdict.multi_year, currency, lang),
            )
        )
    measured = [p for p in analysis.programs if not p.pending]
    if len(measured) > 1:
        figures = analysis.portfolio.figures
        sentences.append(
            t("para.portfolio", lang).format(
                count=len(measured),
                roi=fmt_percent(figures.roi_pct, lang),
                costs=fmt_money(figures.costs, currency, lang),
            )
        )
    return " ".join(sentences)


# --- since last report ----------------------------------------------------------------------

LISTED_PERIODS = 3  # new periods named one by one; more are shown as a range


def changes_heading(analysis: Analysis, lang: Lang) -> str | None:
    """ "Since last report (30 Sep 2026)"; None when the run is not compared with another."""
    changes = analysis.changes
    if changes is None:
        return None
    if changes.previous_as_of is None:
        return t("heading.changes", lang)
    day = fmt_date(changes.previous_as_of, lang)
    if changes.compared_with:
        return t("changes.heading_file", lang).format(day=day, file=changes.compared_with)
    return t("changes.heading_day", lang).format(day=day)


def changes_lines(analysis: Analysis, lang: Lang) -> list[str]:
    """What moved since the previous run, one line each: ROI and benefits per programme,
    objectives' statuses, SMART failures and Phillips findings, new and revised periods."""
    changes = analysis.changes
    if changes is None:
        return []
    if changes.previous_as_of is None:
        return [t("changes.first", lang)]
    currency = analysis.currency
    lines = [_program_line(change, currency, lang) for change in changes.programs]
    measured = [change for change in changes.programs if change.roi_pct.after is not None]
    if changes.portfolio is not None and len(measured) > 1:
        lines.append(_program_line(changes.portfolio, currency, lang))
    lines += [_status_line(change, lang) for change in changes.statuses]
    lines += [_finding_line(finding, lang) for finding in changes.findings]
    lines += _periods_lines(changes.new_periods, lang)
    lines += [_revision_line(revision, lang) for revision in changes.revisions]
    kept = [line for line in lines if line]
    return kept if _moved(changes) else [*kept, t("changes.nothing", lang)]


def _moved(changes: Changes) -> bool:
    figures = [c.roi_pct for c in changes.programs] + [c.benefits for c in changes.programs]
    return bool(
        any(delta.before != delta.after for delta in figures)
        or changes.statuses
        or changes.findings
        or changes.new_periods
        or changes.revisions
    )


def _signed(text: str, value: float | None) -> str:
    """A change with its sign: "+€4.00", "-1.2%"."""
    return f"+{text}" if value is not None and value > 0 else text


def points_text(change: float | None, lang: Lang) -> str:
    """A change of a percentage in points: "+14.9 points"."""
    return t("changes.points", lang).format(value=_signed(fmt_number(change, lang, 1), change))


def money_change(change: float | None, currency: str, lang: Lang) -> str:
    """A change of money with its sign: "+€4,530.27"."""
    return _signed(fmt_money(change, currency, lang), change)


def _program_line(change: ProgramChange, currency: str, lang: Lang) -> str | None:
    """ "SEO …: ROI 2.8% → 17.7% (+14.9 points), benefits €31,320.27 → €35,850.54
    (+€4,530.27)"; None for a pending programme that did not move."""
    roi, benefits = change.roi_pct, change.benefits
    if roi.before is None and roi.after is None and benefits.before == benefits.after:
        return None
    name = change.name or t("heading.portfolio", lang)
    return t("changes.programme", lang).format(
        name=name,
        roi=_moved_text(roi, fmt_percent(roi.before, lang), fmt_percent(roi.after, lang), lang),
        benefits=_moved_text(
            benefits,
            fmt_money(benefits.before, currency, lang),
            fmt_money(benefits.after, currency, lang),
            lang,
            money_change(benefits.change, currency, lang),
        ),
    )


def _moved_text(delta: Delta, before: str, after: str, lang: Lang, change: str = "") -> str:
    """ "2.8% → 17.7% (+14.9 points)"; the change left out when a side has no figure."""
    if delta.change is None:
        return f"{before} → {after}"
    return f"{before} → {after} ({change or points_text(delta.change, lang)})"


def _status_line(change: StatusChange, lang: Lang) -> str:
    """ "lead-growth: At risk → On track"."""
    before = term(change.before, lang) if change.before else t("changes.absent", lang)
    after = term(change.after, lang) if change.after else t("changes.removed", lang)
    return t("changes.status", lang).format(objective=change.objective, before=before, after=after)


def _finding_line(finding: FindingChange, lang: Lang) -> str:
    """A SMART failure or a Phillips finding that appeared or was resolved."""
    state = "resolved" if finding.resolved else "new"
    if finding.objective is not None:
        return t(f"changes.smart_{state}", lang).format(
            objective=finding.objective, criterion=smart_label(finding.check, lang)
        )
    return t(f"changes.rule_{state}", lang).format(
        rule=_rule_name(finding.check, lang), name=finding.program
    )


def _rule_name(check: str, lang: Lang) -> str:
    """A rule's name in words; its id when this roicli does not know it (an older report)."""
    return LABELS[lang].get(f"rule.{check}", check)


def _periods_lines(added: tuple[NewPeriods, ...], lang: Lang) -> list[str]:
    """ "New data: 2026-10 for Organic sessions, Qualified leads", KPIs with the same new
    periods on one line."""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for item in added:
        grouped.setdefault(item.periods, []).append(item.label)
    return [
        t("changes.periods", lang).format(
            periods=_periods_text(periods, lang), labels=", ".join(labels)
        )
        for periods, labels in grouped.items()
    ]


def _periods_text(periods: tuple[str, ...], lang: Lang) -> str:
    if len(periods) <= LISTED_PERIODS:
        return ", ".join(periods)
    return t("changes.period_range", lang).format(
        first=periods[0], last=periods[-1], count=len(periods)
    )


def _revision_line(revision: Revision, lang: Lang) -> str:
    """ "Revised: Organic sessions, 2026-08: 16,500 → 16,620 (+120)"."""
    value = revision.value
    change = _signed(fmt_number(value.change, lang), value.change)
    return t("changes.revised", lang).format(
        label=revision.label,
        period=revision.period,
        before=fmt_number(value.before, lang),
        after=fmt_number(value.after, lang),
        change=change,
    )


def runs_rows(analysis: Analysis) -> tuple[list[str], list[list[float | None]]]:
    """The ROI across the runs as (programme names, one row per run of their ROI % to date):
    every programme with an ROI in some run (not a pending one), in order of first
    appearance."""
    names: list[str] = []
    for run in analysis.runs:
        names += [name for name, roi in run.programs if roi is not None and name not in names]
    rows = [[dict(run.programs).get(name) for name in names] for run in analysis.runs]
    return names, rows


def sent_queries(analysis: Analysis) -> list[tuple[str, str]]:
    """(source, statement) of every statement sent to a database source, in order."""
    return [(source.path, sql) for source in analysis.audit.sources for sql in source.sql]
