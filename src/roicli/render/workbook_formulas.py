"""The Assumptions sheet and the formulas that read it.

Every input that turns data into money sits on the Assumptions sheet as a number (inputs in
yellow): cost lines, each counted objective's total improvement, value per unit, attribution
and confidence, and each estimate row. The amounts are formulas over those cells, with the
analysis's rules: a gain is credited at attribution × confidence, a loss counted in full,
estimates accrue annual × months / 12, a missing confidence counts zero. The Summary's costs,
benefits, net benefit, ROI %, BCR, payback and break-even are formulas over these amounts, so
that changing a value per unit moves the ROI. Level-1/2 objectives, objectives without money and
pending programmes' objectives are listed apart and never summed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from roicli.benefits import MONTHS_PER_YEAR
from roicli.enums import Isolation, Lang
from roicli.i18n import t, term
from roicli.messages import Msg
from roicli.model import Analysis, CostLine, ObjectiveResult, ProgramResult
from roicli.render.view import annual_basis, benefit_text
from roicli.render.workbook_sheet import (
    INPUT_FILL,
    INTEGER,
    LABEL_WIDTH,
    MAX_WIDTH,
    MONEY,
    NAME_WIDTH,
    NUMBER,
    PERCENT,
    Col,
    Formula,
    Row,
    Sheet,
    Span,
    Styled,
    Table,
)
from roicli.rounding import figure


@dataclass(frozen=True)
class ProgramLinks:
    """Where a programme's inputs and amounts sit on the Assumptions sheet (None: nowhere)."""

    participants: str | None
    costs: str | None  # its cost lines' amounts
    benefits: str | None  # its counted objectives' benefits to date
    monthly: str | None  # their monthly benefits


def assumptions(sheet: Sheet, analysis: Analysis, lang: Lang) -> list[ProgramLinks]:
    """Fill the Assumptions sheet; where each programme's figures are, in programme order."""
    programs = analysis.programs
    sheet.title(t("sheet.assumptions", lang), t("wb.inputs", lang))
    people = sheet.table(
        Table(
            PROGRAMMES.cols(lang),
            [
                [
                    program.name,
                    Styled(program.participants, INPUT_FILL if _per_head(program) else None),
                    program.benefit_window_months,
                    program.months_counted,
                ]
                for program in programs
            ],
            heading=t("heading.programmes", lang),
        )
    )
    assert people is not None
    column = PROGRAMMES.letter("col.participants")
    heads = [f"${column}${people.first + index}" for index in range(len(programs))]
    costs = _costs(sheet, programs, heads, lang)
    estimates = _estimates(sheet, programs, analysis.currency, lang)
    benefits = _benefits(sheet, programs, estimates, lang)
    left_out = [
        f"{objective.id} — {benefit_text(objective, analysis.currency, lang)}"
        for program in programs
        for objective in program.objectives
        if objective.benefit is None
    ]
    if left_out:
        sheet.skip(1)
        sheet.paragraph(t("wb.not_counted", lang).format(objectives="; ".join(left_out)))
    return [
        ProgramLinks(
            participants=None if program.participants is None else f"{sheet.name}!{cell}",
            costs=_range(sheet, cost_rows, COSTS.letter("col.amount")),
            benefits=_range(sheet, benefit_rows, BENEFITS.letter("col.benefit")),
            monthly=_range(sheet, benefit_rows, BENEFITS.letter("col.monthly_benefit")),
        )
        for program, cell, cost_rows, benefit_rows in zip(
            programs, heads, costs, benefits, strict=True
        )
    ]


def figure_formulas(
    costs: str, benefits: str, monthly: Sequence[str], na: str
) -> dict[str, Formula]:
    """Net benefit, ROI % (a fraction, for a % format), BCR, payback and break-even from the
    cells holding costs and benefits and the ranges of monthly benefits, as `roi_figures`
    computes them; ``na`` where a figure does not exist."""
    text = '"' + na.replace('"', '""') + '"'
    rate = f"SUM({','.join(monthly)})" if monthly else "0"
    return {
        "col.net_benefit": Formula(f"{benefits}-{costs}"),
        "col.roi_pct": Formula(f"IF({costs}=0,{text},({benefits}-{costs})/{costs})"),
        "col.bcr": Formula(f"IF({costs}=0,{text},{benefits}/{costs})"),
        "col.payback": Formula(f"IF(AND({costs}<>0,{rate}>0),{costs}/{rate},{text})"),
        "col.break_even": Formula(f"IF(AND({costs}<>0,{benefits}>0),{costs}/{benefits},{text})"),
    }


def total(ranges: Sequence[str]) -> Formula | float:
    """The sum of some cells or ranges as a formula; 0 when there are none."""
    return Formula(f"SUM({','.join(ranges)})") if ranges else 0.0


@dataclass(frozen=True)
class _Layout:
    """A table's columns: label key, number format, and the width text wraps at (None: none)."""

    columns: tuple[tuple[str, str | None, int | None], ...]

    def cols(self, lang: Lang) -> list[Col]:
        return [
            Col(t(key, lang), fmt, wrap is not None, wrap or MAX_WIDTH)
            for key, fmt, wrap in self.columns
        ]

    def letter(self, key: str) -> str:
        """The column letter of a label key, for formulas."""
        keys = [column[0] for column in self.columns]
        return str(get_column_letter(keys.index(key) + 1))

    def cell(self, key: str) -> str:
        """The cell of that column on the formula's own row."""
        return f"{self.letter(key)}{{row}}"


PROGRAMME = ("col.programme", None, NAME_WIDTH)
PROGRAMMES = _Layout(
    (
        PROGRAMME,
        ("col.participants", INTEGER, None),
        ("col.benefit_window", INTEGER, None),
        ("col.months_counted", INTEGER, None),
    )
)
COSTS = _Layout(
    (
        PROGRAMME,
        ("col.item", None, LABEL_WIDTH),
        ("col.category", None, None),
        ("col.hours", NUMBER, None),
        ("col.rate", MONEY, None),
        ("col.per_participant", MONEY, None),
        ("col.participants", INTEGER, None),
        ("col.amount", MONEY, None),
    )
)
ESTIMATES = _Layout(
    (
        PROGRAMME,
        ("col.id", None, None),
        ("col.row", INTEGER, None),
        ("col.measure", None, LABEL_WIDTH),
        ("col.annual_value", MONEY, None),
        ("col.contribution", PERCENT, None),
        ("col.confidence", PERCENT, None),
        ("col.adjusted", MONEY, None),
        ("col.annual_basis", None, LABEL_WIDTH),
    )
)
BENEFITS = _Layout(
    (
        PROGRAMME,
        ("col.id", None, None),
        ("col.isolation", None, LABEL_WIDTH),
        ("col.improvement_total", NUMBER, None),
        ("col.months_counted", INTEGER, None),
        ("col.value_per_unit", MONEY, None),
        ("col.attribution", PERCENT, None),
        ("col.confidence", PERCENT, None),
        ("col.benefit", MONEY, None),
        ("col.monthly_benefit", MONEY, None),
    )
)

Block = tuple[int, int]  # the first and last sheet row of some table rows


def _costs(
    sheet: Sheet, programs: Sequence[ProgramResult], heads: Sequence[str], lang: Lang
) -> list[Block | None]:
    """Each programme's cost lines: an amount, hours × rate or per participant × participants."""
    rows: list[Row] = []
    blocks = []
    for program, participants in zip(programs, heads, strict=True):
        start = len(rows)
        rows += [
            [program.name, line.item, term(line.category, lang), *_cost_cells(line, participants)]
            for line in program.costs
        ]
        blocks.append((start, len(rows)))
    span = sheet.table(Table(COSTS.cols(lang), rows, heading=t("heading.costs", lang)))
    return _blocks(span, blocks)


def _cost_cells(line: CostLine, participants: str) -> list[Styled | Formula | None]:
    """Hours, rate, per participant, participants and the line's amount. The line's basis is
    the message saying how its amount was worked out; its parameters are the inputs."""
    basis = line.basis if isinstance(line.basis, Msg) else None
    given = basis.params if basis is not None else {}
    if basis is not None and basis.key == "basis.hours":
        product = Formula(f"{COSTS.cell('col.hours')}*{COSTS.cell('col.rate')}")
        return [_input(given["hours"]), _input(given["rate"]), None, None, product]
    if basis is not None and basis.key == "basis.participants":
        product = Formula(f"{COSTS.cell('col.per_participant')}*{COSTS.cell('col.participants')}")
        return [None, None, _input(given["amount"]), Formula(participants), product]
    return [None, None, None, None, _input(line.amount)]


def _estimates(
    sheet: Sheet, programs: Sequence[ProgramResult], currency: str, lang: Lang
) -> dict[tuple[int, int], Block]:
    """Each counted estimates objective's rows: annual value × contribution × confidence (an
    empty confidence counts zero), and how the annual value came from the value as given."""
    rows: list[Row] = []
    found: dict[tuple[int, int], Block] = {}
    adjusted = "*".join(
        ESTIMATES.cell(key) for key in ("col.annual_value", "col.contribution", "col.confidence")
    )
    for key, program, objective in _counted(programs):
        if objective.isolation is not Isolation.ESTIMATES or not objective.estimates:
            continue
        start = len(rows)
        rows += [
            [
                program.name,
                objective.id,
                row.row,
                row.measure,
                _input(row.annual_value),
                _input(row.contribution),
                _input(row.confidence),
                Formula(adjusted),
                annual_basis(row, currency, lang),
            ]
            for row in objective.estimates
        ]
        found[key] = (start, len(rows))
    span = sheet.table(Table(ESTIMATES.cols(lang), rows, heading=t("heading.estimates", lang)))
    placed = _blocks(span, list(found.values()))
    return {key: block for key, block in zip(found, placed, strict=True) if block is not None}


def _benefits(
    sheet: Sheet,
    programs: Sequence[ProgramResult],
    estimates: dict[tuple[int, int], Block],
    lang: Lang,
) -> list[Block | None]:
    """Each counted objective's benefit to date and monthly benefit, programme by programme."""
    counted = _counted(programs)
    rows: list[Row] = []
    blocks = []
    for index, program in enumerate(programs):
        start = len(rows)
        rows += [
            [
                program.name,
                objective.id,
                term(objective.isolation, lang),
                *_benefit_cells(objective, estimates.get(key)),
            ]
            for key, _, objective in counted
            if key[0] == index
        ]
        blocks.append((start, len(rows)))
    span = sheet.table(Table(BENEFITS.cols(lang), rows, heading=t("heading.benefits", lang)))
    return _blocks(span, blocks)


def _benefit_cells(
    objective: ObjectiveResult, estimates: Block | None
) -> list[Styled | Formula | float | int | None]:
    """Improvement, months, value per unit, attribution, confidence, the benefit to date and
    the monthly benefit (benefit ÷ months, for payback)."""
    assert objective.money is not None
    months, benefit = objective.money.months, BENEFITS.cell("col.benefit")
    monthly = Formula(f"{benefit}/{BENEFITS.cell('col.months_counted')}")
    if objective.isolation is Isolation.ESTIMATES:
        accrued: Formula | float = 0.0
        if estimates is not None:
            column = ESTIMATES.letter("col.adjusted")
            rows = f"{column}{estimates[0]}:{column}{estimates[1]}"
            months_cell = BENEFITS.cell("col.months_counted")
            accrued = Formula(f"SUM({rows})*{months_cell}/{MONTHS_PER_YEAR}")
        return [None, months, None, None, None, accrued, monthly]
    improvement, value = BENEFITS.cell("col.improvement_total"), BENEFITS.cell("col.value_per_unit")
    shares = f"{BENEFITS.cell('col.attribution')}*{BENEFITS.cell('col.confidence')}"
    # A gain is credited at attribution × confidence; a loss is counted in full.
    credited = f"IF({improvement}>0,{improvement}*{value}*{shares},{improvement}*{value})"
    return [
        sum(step.improvement for step in objective.improvements),  # unrounded: an input
        months,
        _input(objective.value_per_unit),
        _input(objective.attribution),
        _input(objective.confidence),
        Formula(credited),
        monthly,
    ]


def _counted(
    programs: Sequence[ProgramResult],
) -> list[tuple[tuple[int, int], ProgramResult, ObjectiveResult]]:
    """The objectives in the benefits, keyed by (programme, objective) position."""
    return [
        ((p, o), program, objective)
        for p, program in enumerate(programs)
        for o, objective in enumerate(program.objectives)
        if objective.benefit is not None and objective.money is not None
    ]


def _blocks(span: Span | None, blocks: Sequence[tuple[int, int]]) -> list[Block | None]:
    """Where blocks of table rows (start, end: positions among the rows) sit on the sheet."""
    if span is None:
        return [None] * len(blocks)
    return [
        (span.first + start, span.first + end - 1) if end > start else None for start, end in blocks
    ]


def _range(sheet: Sheet, rows: Block | None, column: str) -> str | None:
    if rows is None:
        return None
    first, last = rows
    return f"{sheet.name}!${column}${first}:${column}${last}"


def _per_head(program: ProgramResult) -> bool:
    """Whether a cost line of the programme is per participant."""
    return any(
        isinstance(line.basis, Msg) and line.basis.key == "basis.participants"
        for line in program.costs
    )


def _input(value: float | None) -> Styled:
    """A number the reader may change, marked as an input."""
    return Styled(figure(value), INPUT_FILL)
