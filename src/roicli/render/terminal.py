"""The terminal dashboard (Rich): summary panels, objectives, SMART table, ROI and trends.

Everything shown comes from the Analysis; this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from roicli.enums import Isolation, Status, Verdict
from roicli.model import (
    Analysis,
    Cohort,
    Finding,
    KpiTrend,
    ObjectiveResult,
    ProgramResult,
    RoiFigures,
)
from roicli.rounding import money

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
ROLLING = "3-period"
STATUS_STYLE = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "bold red",
    Status.NOT_YET_MEASURABLE: "cyan",
    Status.NO_DATA: "dim",
    Status.ESTIMATED: "blue",
}
VERDICT_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "bold red"}
VERDICT_MARK = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗"}


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, scaled between the series' min and max; gaps are spaces."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    chars = []
    for value in values:
        if value is None:
            chars.append(" ")
        elif span == 0:
            chars.append(SPARK_BLOCKS[len(SPARK_BLOCKS) // 2])
        else:
            chars.append(SPARK_BLOCKS[round((value - low) / span * (len(SPARK_BLOCKS) - 1))])
    return "".join(chars)


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """A text bar for progress towards a target (clamped to 0-100 %), with the percentage."""
    if fraction is None:
        return "—"
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:5.1f}%"


def fmt_money(value: float | None, currency: str) -> str:
    """Money rounded half-up to cents, with thousands separators."""
    return "—" if value is None else f"{money(value):,.2f} {currency}"


def fmt_pct(value: float | None) -> str:
    """A percentage with one decimal."""
    return "n/a" if value is None else f"{value:,.1f}%"


def fmt_number(value: float | None) -> str:
    """A KPI value: integers plainly, others with two decimals."""
    if value is None:
        return "—"
    if abs(value - round(value)) < 1e-9 and abs(value) < 1e12:
        return f"{round(value):,}"
    return f"{value:,.2f}"


def _status(status: Status) -> Text:
    return Text(status.value.replace("_", " "), style=STATUS_STYLE[status])


def _badges(objective: ObjectiveResult) -> Text:
    """One mark per S-M-A-R-T criterion, readable without colour: ✓ pass, ! warn, ✗ fail."""
    text = Text()
    for index, (_, finding) in enumerate(objective.smart.items()):
        text.append(("" if index == 0 else " ") + VERDICT_MARK[finding.verdict])
        text.stylize(VERDICT_STYLE[finding.verdict], len(text) - 1, len(text))
    return text


def _figures_table(figures: RoiFigures, currency: str) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(justify="right")
    grid.add_row("Costs (fully loaded)", fmt_money(figures.costs, currency))
    grid.add_row("Benefits (isolated)", fmt_money(figures.benefits, currency))
    grid.add_row("Net benefit", fmt_money(figures.net_benefit, currency))
    roi_style = "green" if (figures.roi_pct or 0) >= 0 else "red"
    grid.add_row("ROI", Text(fmt_pct(figures.roi_pct), style=f"bold {roi_style}"))
    grid.add_row("Benefit-cost ratio", "n/a" if figures.bcr is None else f"{figures.bcr:.2f}")
    payback = figures.payback_months
    grid.add_row("Payback", "—" if payback is None else f"{payback:.1f} months")
    return grid


def program_panel(program: ProgramResult, currency: str) -> Panel:
    """The summary panel of one programme."""
    figures = _figures_table(program.figures, currency)
    s = program.sensitivity
    lines: list[RenderableType] = [figures]
    lines.append(
        Text(
            f"ROI range: {fmt_pct(s.conservative)} (conservative) · {fmt_pct(s.base)} (base) · "
            f"{fmt_pct(s.optimistic)} (optimistic)",
            style="dim",
        )
    )
    if program.figures.note:
        lines.append(Text(program.figures.note, style="yellow"))
    if program.intangibles:
        lines.append(Text("Intangibles (not monetised): " + ", ".join(program.intangibles)))
    period = f"{program.start} → {program.end or 'open'}"
    counted = f"{program.months_counted} of {program.benefit_window_months} months counted"
    title = f"[bold]{program.name}[/] · {program.method.value} · {period} · {counted}"
    return Panel(Group(*lines), title=title, title_align="left", border_style="blue")


def objectives_table(analysis: Analysis) -> Table:
    """One row per objective: SMART badges, progress, status, current vs target, benefit."""
    table = Table(title="Objectives", title_justify="left", expand=False)
    for header, justify in [
        ("Objective", "left"),
        ("KPI", "left"),
        ("S M A R T", "left"),
        ("Progress", "left"),
        ("Status", "left"),
        ("Current / target", "right"),
        ("Isolation", "left"),
        ("Benefit", "right"),
    ]:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for _, objective in analysis.objectives():
        kpi = objective.kpi_label or "estimates"
        if objective.group:
            kpi += f" ({objective.group})"
        current = f"{fmt_number(objective.current)} / {fmt_number(objective.target)}"
        if objective.unit:
            current += f" {objective.unit}"
        table.add_row(
            objective.id,
            kpi,
            _badges(objective),
            progress_bar(objective.progress),
            _status(objective.status),
            current,
            objective.isolation.value,
            fmt_money(objective.benefit, analysis.currency),
        )
    return table


def smart_table(analysis: Analysis) -> Table:
    """Pass/warn/fail per criterion with the reason and a suggested fix."""
    table = Table(title="SMART check", title_justify="left", show_lines=True)
    table.add_column("Objective")
    table.add_column("Criterion")
    table.add_column("", justify="center")
    table.add_column("Reason")
    table.add_column("Suggested fix", style="dim")
    for _, objective in analysis.objectives():
        for index, (name, finding) in enumerate(objective.smart.items()):
            table.add_row(
                objective.id if index == 0 else "",
                name.replace("_", "-"),
                Text(VERDICT_MARK[finding.verdict], style=VERDICT_STYLE[finding.verdict]),
                finding.reason,
                finding.fix or "",
            )
    return table


def rules_table(analysis: Analysis) -> Table:
    """Phillips' conservative rules per programme."""
    table = Table(title="Phillips conservative rules", title_justify="left")
    table.add_column("Programme")
    table.add_column("", justify="center")
    table.add_column("Finding")
    table.add_column("Fix", style="dim")
    for program in analysis.programs:
        for rule in program.rules:
            table.add_row(program.name, *_finding_cells(rule))
    return table


def _finding_cells(finding: Finding) -> tuple[Text, str, str]:
    mark = Text(VERDICT_MARK[finding.verdict], style=VERDICT_STYLE[finding.verdict])
    return mark, finding.reason, finding.fix or ""


def kpi_table(trends: Sequence[KpiTrend]) -> Table:
    """Per KPI: the latest value, its change, a sparkline and the fitted slope and R²."""
    table = Table(title="KPI trends (all groups)", title_justify="left")
    for header, justify in [
        ("KPI", "left"),
        ("Last period", "left"),
        ("Value", "right"),
        ("Change", "right"),
        ("Trend", "left"),
        ("Slope/period", "right"),
        ("R²", "right"),
    ]:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for trend in trends:
        complete = [p for p in trend.periods if p.complete]
        last = complete[-1] if complete else None
        spark = sparkline(_with_gaps(trend))
        slope = trend.slope_per_period
        good = slope is not None and slope * trend.direction.sign > 0
        arrow = "" if slope is None or slope == 0 else ("↗" if slope > 0 else "↘")
        table.add_row(
            trend.label + (f" ({trend.unit})" if trend.unit else ""),
            last.period if last else "—",
            fmt_number(last.value) if last else "—",
            fmt_pct(last.change_pct) if last and last.change_pct is not None else "—",
            Text(spark, style="cyan"),
            Text(
                f"{arrow} {fmt_number(slope)}" if slope is not None else "—",
                style="green" if good else ("red" if slope else ""),
            ),
            "—" if trend.r2 is None else f"{trend.r2:.2f}",
        )
    return table


def _with_gaps(trend: KpiTrend) -> list[float | None]:
    points = [p for p in trend.periods if p.complete]
    if not points:
        return []
    by_ordinal = {p.ordinal: p.value for p in points}
    first, last = points[0].ordinal, points[-1].ordinal
    return [by_ordinal.get(o) for o in range(first, last + 1)][-24:]


def roi_detail(program: ProgramResult, currency: str) -> Table:
    """Costs by category, item by item, then each objective's benefit with its isolation."""
    table = Table(title=f"{program.name}: costs and benefits", title_justify="left")
    table.add_column("Line")
    table.add_column("How it is worked out", style="dim")
    table.add_column("Amount", justify="right")
    for category, amount in program.costs_by_category().items():
        table.add_row(
            Text(f"costs · {category.value}", style="bold"), "", fmt_money(amount, currency)
        )
        for line in program.costs:
            if line.category is category:
                table.add_row(f"  {line.item}", line.basis, fmt_money(line.amount, currency))
    table.add_row(
        Text("total costs (fully loaded)", style="bold"),
        "",
        Text(fmt_money(program.figures.costs, currency), style="bold"),
        end_section=True,
    )
    for objective in program.objectives:
        if objective.isolation is Isolation.ESTIMATES:
            used = sum(1 for row in objective.estimates if row.confidence is not None)
            basis = f"estimates: {used} of {len(objective.estimates)} rows with a confidence"
        else:
            gained = sum(row.improvement for row in objective.improvements)
            basis = (
                f"{objective.isolation.value}: Σ improvement {fmt_number(gained)} over "
                f"{objective.periods_counted} periods × {fmt_number(objective.value_per_unit)} "
                f"× attribution {objective.attribution:g} × confidence {objective.confidence:g}"
            )
        benefit = (
            "not monetised" if objective.benefit is None else fmt_money(objective.benefit, currency)
        )
        table.add_row(f"benefit · {objective.id}", basis, benefit)
    table.add_row(
        Text("total benefits (isolated)", style="bold"),
        "",
        Text(fmt_money(program.figures.benefits, currency), style="bold"),
    )
    return table


def render_dashboard(console: Console, analysis: Analysis) -> None:
    """Print the full report: panels, objectives, trends, Phillips rules, portfolio."""
    console.print(
        f"[bold]roicli report[/] · as of {analysis.as_of} · {analysis.period.value}ly periods · "
        f"{analysis.currency}"
    )
    for program in analysis.programs:
        console.print(program_panel(program, analysis.currency))
    console.print(objectives_table(analysis))
    if analysis.kpis:
        console.print(kpi_table(analysis.kpis))
    console.print(rules_table(analysis))
    if len(analysis.programs) > 1:
        console.print(portfolio_panel(analysis))


def portfolio_panel(analysis: Analysis) -> Panel:
    """The portfolio's figures and the programmes ranked by ROI %."""
    ranking = Text("Ranked by ROI: " + " › ".join(analysis.portfolio.ranking), style="dim")
    return Panel(
        Group(_figures_table(analysis.portfolio.figures, analysis.currency), ranking),
        title="[bold]Portfolio[/]",
        title_align="left",
        border_style="magenta",
    )


def sources_table(analysis: Analysis) -> Table:
    """What was read from each source and what was detected."""
    table = Table(title="Sources", title_justify="left")
    table.add_column("File")
    table.add_column("Rows", justify="right")
    table.add_column("Skipped", justify="right")
    table.add_column("KPIs found")
    table.add_column("Detected", style="dim")
    table.add_column("Ignored (no matching KPI)", style="dim")
    for source in analysis.audit.sources:
        detected = ", ".join(f"{k}={v}" for k, v in source.detected.items() if v is not None)
        table.add_row(
            Path(source.path).name,
            f"{source.rows:,}",
            f"{source.skipped_rows:,}",
            ", ".join(source.kpis),
            detected,
            ", ".join(source.unmatched),
        )
    return table


def render_check(console: Console, analysis: Analysis) -> None:
    """The `check` view: sources, the SMART table and Phillips' rules."""
    console.print(sources_table(analysis))
    console.print(smart_table(analysis))
    console.print(rules_table(analysis))
    fails = sum(1 for _, o in analysis.objectives() if o.smart.worst is Verdict.FAIL)
    warns = sum(1 for _, o in analysis.objectives() if o.smart.worst is Verdict.WARN)
    total = sum(1 for _ in analysis.objectives())
    console.print(
        f"{total} objectives: {total - fails - warns} SMART, {warns} with warnings, "
        f"{fails} failing a criterion"
    )


def render_roi(console: Console, analysis: Analysis) -> None:
    """The `roi` view: per programme the figures, then costs and benefits line by line."""
    for program in analysis.programs:
        console.print(program_panel(program, analysis.currency))
        console.print(roi_detail(program, analysis.currency))
    if len(analysis.programs) > 1:
        console.print(portfolio_panel(analysis))


def projections_table(objectives: Sequence[ObjectiveResult]) -> Table:
    """Per objective: baseline, target and deadline, the projection, and before vs after."""
    table = Table(title="Objectives: projection to the deadline", title_justify="left")
    for header, justify in [
        ("Objective", "left"),
        ("KPI", "left"),
        ("Baseline", "right"),
        ("Target", "right"),
        ("Deadline", "left"),
        ("Current", "right"),
        ("Projected", "right"),
        ("Status", "left"),
        ("Before → after (mean)", "right"),
    ]:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for objective in objectives:
        comparison = objective.pre_post
        before_after = "—"
        if comparison and comparison.before_mean is not None and comparison.after_mean is not None:
            before_after = (
                f"{fmt_number(comparison.before_mean)} → {fmt_number(comparison.after_mean)}"
            )
            if comparison.change_pct is not None:
                before_after += f" ({comparison.change_pct:+.1f}%)"
        table.add_row(
            objective.id,
            (objective.kpi_label or "") + (f" ({objective.group})" if objective.group else ""),
            fmt_number(objective.baseline),
            fmt_number(objective.target),
            str(objective.deadline or "—"),
            fmt_number(objective.current),
            fmt_number(objective.projected),
            _status(objective.status),
            before_after,
        )
    return table


def cohort_table(cohort: Cohort) -> Table:
    """The groups of one objective's KPI side by side, with the difference in differences."""
    did = cohort.difference_in_differences
    caption = None if did is None else f"difference in differences (trained − control): {did:+,.2f}"
    table = Table(
        title=f"{cohort.kpi} by group · {', '.join(cohort.objectives)}",
        title_justify="left",
        caption=caption,
        caption_justify="left",
    )
    for header, justify in [
        ("Group", "left"),
        ("Role", "left"),
        ("Before (mean)", "right"),
        ("After (mean)", "right"),
        ("Change", "right"),
        ("Trend", "left"),
    ]:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for group in cohort.groups:
        comparison = group.pre_post
        change = "—" if comparison.change_pct is None else f"{comparison.change_pct:+.1f}%"
        values = [p.value for p in group.series if p.complete][-24:]
        table.add_row(
            group.group,
            group.role,
            fmt_number(comparison.before_mean),
            fmt_number(comparison.after_mean),
            change,
            Text(sparkline(values), style="cyan"),
        )
    return table


def render_trends(
    console: Console,
    analysis: Analysis,
    trends: Sequence[KpiTrend],
    cohorts: Sequence[Cohort] = (),
) -> None:
    """The `trend` view: KPI summary, objectives' projections, cohorts, then each KPI's periods."""
    console.print(kpi_table(trends))
    keys = {trend.key for trend in trends}
    objectives = [o for _, o in analysis.objectives() if o.kpi in keys]
    if objectives:
        console.print(projections_table(objectives))
    for cohort in cohorts:
        console.print(cohort_table(cohort))
    for trend in trends:
        table = Table(title=trend.label, title_justify="left")
        table.add_column("Period")
        table.add_column("Value", justify="right")
        table.add_column("Change", justify="right")
        table.add_column("Change %", justify="right")
        table.add_column(f"{ROLLING} mean", justify="right")
        for point in trend.periods:
            style = "" if point.complete else "dim italic"
            table.add_row(
                point.period + ("" if point.complete else " (partial)"),
                fmt_number(point.value),
                fmt_number(point.change),
                fmt_pct(point.change_pct) if point.change_pct is not None else "—",
                fmt_number(point.rolling_mean),
                style=style,
            )
        console.print(table)
        if trend.note:
            console.print(Text(trend.note, style="dim"))
