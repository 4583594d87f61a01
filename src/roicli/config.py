"""The configuration file: frozen pydantic models plus loading with ``file:line`` errors."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from roicli.enums import (
    Aggregation,
    CostCategory,
    Direction,
    Isolation,
    Layout,
    Level,
    Method,
    Overlap,
    RoiBase,
)
from roicli.errors import ConfigError, Location, shorten
from roicli.evaluation.config import Evaluation
from roicli.model import Conversion
from roicli.periodspec import PeriodRef, check_day, parse_period_ref
from roicli.sqlsource import check_source, refuse_password
from roicli.yamlsafe import KeyPath, dotted, load_yaml, read_config

DEFAULT_CONFIG_PATHS = (Path("roicli.yaml"), Path("configs/roicli.yaml"))
CONFIG_ENV_VAR = "ROICLI_CONFIG"
# Larger numbers in a config are typing mistakes, not figures of a training programme.
MAX_AMOUNT = 1e12
MAX_PARTICIPANTS = 10_000_000
MAX_HORIZON_MONTHS = 1200
# A report of more programmes or objectives would take minutes and say nothing anyone could read.
MAX_PROGRAMS = 200
MAX_OBJECTIVES = 2000
MAX_YEARS = 30  # a multi-year programme's horizon


def _fraction(value: Any) -> Any:
    """Accept 0.8, "0.8" or "80%" for a share."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1].replace(",", ".")) / 100
        except ValueError:
            return value
    return value


Fraction = Annotated[float, BeforeValidator(_fraction), Field(ge=0, le=1, allow_inf_nan=False)]
ConfidenceLevel = Annotated[
    float, BeforeValidator(_fraction), Field(ge=0.5, le=0.999, allow_inf_nan=False)
]


def _percent(value: Any) -> Any:
    """Accept "25%" or 25 for a percentage; 0.25 is refused, as it could mean either."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1].replace(",", "."))
        except ValueError:
            return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < abs(value) < 1:
        raise ValueError(
            f"an ROI objective is in percent: write {value * 100:g}% or 1%, got {value}"
        )
    return value


Percent = Annotated[
    float, BeforeValidator(_percent), Field(ge=-100, le=1_000_000, allow_inf_nan=False)
]
Money = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Rate = Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)]  # 1 unit in `currency:`
Number = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
Day = Annotated[date, AfterValidator(check_day)]


def _one_character(value: str) -> str:
    """A separator or a mark is one character: ';;' or '\\t' written out is a typing mistake."""
    if len(value) == 1:
        return value
    meant = value[0] if len(set(value)) == 1 else "\t" if value.lower() in {"\\t", "tab"} else None
    hint = f" (did you mean {meant!r}?)" if meant else " (write a single character, e.g. ';')"
    raise ValueError(f"expected one character, got {_shown(value)}{hint}")


Character = Annotated[
    str,
    AfterValidator(_one_character),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 1}),
]
# Kirkpatrick's own names of his levels, accepted for the names roicli uses.
LEVEL_ALIASES = {"behavior": "application", "behaviour": "application", "results": "impact"}


def _level_alias(value: Any) -> Any:
    """Kirkpatrick's "behavior" (level 3) and "results" (level 4) for application and impact."""
    if isinstance(value, str):
        return LEVEL_ALIASES.get(value.strip().lower(), value)
    return value


LevelField = Annotated[
    Level,
    BeforeValidator(_level_alias),
    WithJsonSchema({"enum": [*(level.value for level in Level), *LEVEL_ALIASES]}),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Columns(_Model):
    """Which columns of a source hold the date, the KPI name, the value and the group."""

    date: str | None = None  # required, except for layout: dates_in_columns
    kpi: str | None = None
    value: str | None = None
    group: str | None = None


class Source(_Model):
    """One export file and how to read it; detection fills whatever is not set.

    ``path`` may be a glob (``exports/ga4-*.csv``) or a folder: every matching file is read, in
    name order, and ``overlap`` says what a (date, KPI, group) found in two of them does.
    """

    path: Path | None = None  # a file source; or a database's url: / url_env: (``SqlSource``)
    url: str | None = None  # an SQLAlchemy URL without a password
    url_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    table: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    query: str | None = None
    timeout: float = Field(default=300, gt=0, le=86_400, allow_inf_nan=False)  # seconds
    overlap: Overlap = Overlap.ERROR
    layout: Layout = Layout.LONG
    columns: Columns
    sheet: str | int | None = None
    delimiter: Character | None = None
    decimal: Character | None = None
    thousands: Character | None = None
    encoding: str | None = None
    dayfirst: bool | None = None
    skip_rows: int | None = Field(default=None, ge=0)
    year: int | None = Field(default=None, ge=1900, le=2200)  # of dates written without one

    @field_validator("url")
    @classmethod
    def _no_password(cls, url: str | None) -> str | None:
        return refuse_password(url)

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        check_source(self)
        return self

    @model_validator(mode="after")
    def _columns_fit_layout(self) -> Source:
        columns = self.columns
        if self.layout is Layout.DATES_IN_COLUMNS:
            if columns.kpi is None or columns.date is not None or columns.value is not None:
                raise ValueError(
                    "layout dates_in_columns takes its dates from the column headers: set "
                    "columns.kpi (and optionally columns.group), not columns.date or columns.value"
                )
            return self
        if columns.date is None:
            raise ValueError(f"a {self.layout.value} layout needs columns.date")
        if self.layout is Layout.LONG and (columns.kpi is None or columns.value is None):
            raise ValueError(
                "a long layout needs columns.kpi and columns.value "
                "(or use layout: wide for one column per KPI)"
            )
        return self


class Ratio(_Model):
    """A KPI computed per period as sum(numerator) / sum(denominator)."""

    numerator: str
    denominator: str


class Kpi(_Model):
    """A KPI definition: how to recognise it in the data and how to aggregate it."""

    label: str | None = None
    unit: str | None = None
    aliases: tuple[str, ...] = ()
    direction: Direction = Direction.INCREASE
    aggregation: Aggregation = Aggregation.SUM
    level: LevelField = Level.IMPACT
    lag_months: int = Field(default=0, ge=0, le=60)
    ratio: Ratio | None = None

    @model_validator(mode="before")
    @classmethod
    def _ratio_implies_aggregation(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "ratio" in data and "aggregation" not in data:
            return {**data, "aggregation": Aggregation.RATIO.value}
        return data

    @model_validator(mode="after")
    def _ratio_consistent(self) -> Kpi:
        if (self.aggregation is Aggregation.RATIO) != (self.ratio is not None):
            raise ValueError("aggregation: ratio and a ratio: {numerator, denominator} go together")
        return self


class CostItem(_Model):
    """One cost line: a fixed amount, hours × rate, or an amount per participant."""

    item: str
    category: CostCategory = CostCategory.OTHER
    amount: Money | None = None
    hours: Money | None = None
    rate: Money | None = None
    per_participant: Money | None = None
    year: int | None = Field(default=None, ge=0, le=MAX_YEARS)  # multi-year: 0 is the initial
    recurring: bool = False  # multi-year: the amount falls in every year of the horizon
    currency: Currency | None = None  # of the amount, rate or per_participant; see fx:
    date: Day | None = None  # when it is paid: the day of its exchange rate (default: start)

    @model_validator(mode="after")
    def _one_form(self) -> CostItem:
        forms = [
            self.amount is not None,
            self.hours is not None or self.rate is not None,
            self.per_participant is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("give exactly one of amount, hours with rate, or per_participant")
        if (self.hours is None) != (self.rate is None):
            raise ValueError("hours and rate go together (cost = hours × rate)")
        if self.recurring and self.year is not None:
            raise ValueError("give either year: (a one-off cost) or recurring: true, not both")
        return self


def _discount_rate(value: Any) -> Any:
    """Accept "15%" or 0.15 for a discount rate; a bare 15 is refused (15 % or 1,500 %?)."""
    rate = value
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            rate = float(value.strip()[:-1].replace(",", ".")) / 100
        except ValueError:
            return value
    if isinstance(rate, int | float) and not isinstance(rate, bool) and not 0 <= rate <= 1:
        raise ValueError(
            f"expected a discount rate from 0% to 100%, like 15% or 0.15, got {_shown(value)}"
        )
    return rate


DiscountRate = Annotated[float, BeforeValidator(_discount_rate), Field(allow_inf_nan=False)]


class MultiYear(_Model):
    """Opt-in value over several years: benefits per year (stated, or the first year's kept at
    a share each year), discounted at a rate; costs fall in the year their item names."""

    years: int = Field(ge=1, le=MAX_YEARS)
    discount_rate: DiscountRate
    benefits_by_year: tuple[Number, ...] | None = None  # year 1 first
    persistence: tuple[Fraction, ...] | None = None  # year n = the first-year benefit × share
    roi_on: RoiBase = RoiBase.TOTAL_COSTS

    @model_validator(mode="after")
    def _one_benefit_form(self) -> MultiYear:
        if (self.benefits_by_year is None) == (self.persistence is None):
            raise ValueError(
                "give one of benefits_by_year: [year 1, year 2, …] or persistence: "
                "[100%, 80%, …] (the share of the first-year benefit kept each year)"
            )
        return self


class Intangible(_Model):
    """A benefit listed but never converted to money (Phillips)."""

    name: str
    value: Number | None = None
    note: str | None = None


def _period_ref(value: Any) -> Any:
    if isinstance(value, PeriodRef):
        return value
    ref = parse_period_ref(value)
    try:
        check_day(ref.start)
        check_day(ref.end)
    except ValueError:
        raise ValueError(
            f"expected a period from 1900 to 2200, got {_shown(ref.text)} (check the year)"
        ) from None
    return ref


PeriodField = Annotated[
    PeriodRef,
    BeforeValidator(_period_ref),
    WithJsonSchema(
        {"type": "string", "examples": ["2025-10", "2025-Q4", "2025-W40", "2025-10-31"]}
    ),
]


class Baseline(_Model):
    """The reference value: a number, one period, or the mean of a range of periods."""

    value: Number | None = None
    period: PeriodField | None = None
    from_: PeriodField | None = Field(default=None, alias="from")
    to: PeriodField | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Baseline:
        forms = [self.value is not None, self.period is not None, self.from_ or self.to]
        if sum(bool(form) for form in forms) != 1:
            raise ValueError("give one of {value: X}, {period: P} or {from: P1, to: P2}")
        if (self.from_ is None) != (self.to is None):
            raise ValueError("a baseline range needs both from and to")
        if self.from_ and self.to and self.from_.start > self.to.end:
            raise ValueError(f"baseline from ({self.from_.text}) is after to ({self.to.text})")
        return self

    def last_day(self) -> date | None:
        """The last day of the baseline's periods, when it names periods."""
        named = self.to or self.period
        return named.end if named else None


_CHANGE_RE = re.compile(r"^\s*([+-]?\s*\d+(?:[.,]\d+)?)\s*(%?)\s*$")


def _change_amount(match: re.Match[str]) -> float:
    return float(match.group(1).replace(" ", "").replace(",", "."))


class Target(_Model):
    """The goal: an absolute value, or a change from the baseline ("+20%", -10, 2400)."""

    value: Number | None = None
    change: Number | str | None = None

    @field_validator("change")
    @classmethod
    def _check_change(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, str):
            match = _CHANGE_RE.match(value)
            if not match:
                raise ValueError(f'expected a number or a change like "+20%", got {value!r}')
            if abs(_change_amount(match)) > MAX_AMOUNT:
                raise ValueError(
                    f"input should be at most {_bound(MAX_AMOUNT)} in size, got {value!r}"
                )
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Target:
        if (self.value is None) == (self.change is None):
            raise ValueError('give one of {value: X} or {change: "+20%"} / {change: 2400}')
        return self

    def resolve(self, baseline: float) -> float:
        """The target value for a given baseline."""
        if self.value is not None:
            return self.value
        if isinstance(self.change, str):
            match = _CHANGE_RE.match(self.change)
            assert match is not None  # validated above
            amount = _change_amount(match)
            if match.group(2):
                return baseline * (1 + amount / 100)
            return baseline + amount
        assert self.change is not None
        return baseline + self.change


FORECAST_TARGET = "target"  # a forecast of the objective's own target change


def _check_forecast(value: float | str | None) -> float | str | None:
    """A forecast change of the KPI a month: a number, "+20%" of the baseline, or "target"."""
    if isinstance(value, str) and value.strip() != FORECAST_TARGET:
        match = _CHANGE_RE.match(value)
        if not match:
            raise ValueError(
                f'expected a change of the KPI a month (14, -3 or "+20%") or "target", '
                f"got {_shown(value)}"
            )
    return value.strip() if isinstance(value, str) else value


ForecastChange = Annotated[Number | str, AfterValidator(_check_forecast)]


class Objective(_Model):
    """A measurable objective of a programme, tied to one KPI or to an estimates file."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    kpi: str | None = None
    group: str | None = None
    baseline: Baseline | None = None
    target: Target | None = None
    deadline: Day | None = None
    business_goal: str | None = None
    owner: str | None = None
    value_per_unit: Number | None = None
    isolation: Isolation = Isolation.BASELINE
    control_group: str | None = None
    attribution: Fraction = 1.0
    confidence: Fraction = 1.0
    estimates: Path | None = None
    annualise: bool = False  # the first-year figure from few months, stated as annualised
    forecast: ForecastChange | None = None  # the KPI's expected change a month, before launch
    margin: Fraction | None = None  # of the estimates' values (a sales gain at its profit margin)
    currency: Currency | None = None  # of value_per_unit; see fx:

    @model_validator(mode="after")
    def _margin_of_estimates(self) -> Objective:
        if self.margin is not None and self.isolation is not Isolation.ESTIMATES:
            raise ValueError(
                "margin: applies to an estimates objective's values; for a KPI, count the "
                "margin in value_per_unit"
            )
        return self

    @model_validator(mode="after")
    def _forecast_inputs(self) -> Objective:
        if self.forecast is None:
            return self
        if self.isolation is Isolation.ESTIMATES:
            raise ValueError(
                "forecast: is the change of a KPI; an estimates objective has none "
                "(its money comes from the estimates)"
            )
        if self.forecast == FORECAST_TARGET and self.target is None:
            raise ValueError("forecast: target needs the objective's target:")
        return self

    @model_validator(mode="after")
    def _isolation_inputs(self) -> Objective:
        if self.isolation is Isolation.ESTIMATES:
            if self.estimates is None:
                raise ValueError("isolation: estimates needs an estimates: path to a CSV file")
            if self.annualise:
                raise ValueError(
                    "annualise: estimates are annual figures already (remove annualise)"
                )
        elif self.kpi is None:
            raise ValueError(f"isolation: {self.isolation.value} needs a kpi")
        if self.isolation is Isolation.CONTROL and not self.control_group:
            raise ValueError("isolation: control needs a control_group (the untrained group)")
        if self.control_group and self.control_group == self.group:
            raise ValueError("control_group must differ from group")
        last = self.baseline.last_day() if self.baseline else None
        if self.deadline is not None and last is not None and self.deadline <= last:
            raise ValueError(
                f"the deadline {self.deadline} is not after the baseline (which ends {last})"
            )
        return self


class Program(_Model):
    """A training or mentoring programme with its fully-loaded costs and objectives."""

    name: str
    method: Method = Method.BLENDED
    start: Day
    end: Day | None = None
    participants: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    benefit_window_months: int = Field(default=12, ge=1, le=60)
    roi_objective: Percent | None = None  # set before the programme, e.g. 25%
    costs: tuple[CostItem, ...] = ()
    intangibles: tuple[Intangible, ...] = ()
    objectives: tuple[Objective, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()  # surveys, tests, LMS records (levels 1-3)
    min_group_size: int = Field(default=5, ge=1, le=1000)  # fewer: a breakdown is withheld
    response_rate_warn: Fraction = 0.30  # a survey answered by fewer is flagged
    annualise: bool = False  # every measured objective's first-year figure, stated as annualised
    multi_year: MultiYear | None = None  # opt-in value over several years (not Phillips' rule)
    hours: float | None = Field(default=None, gt=0, le=10_000, allow_inf_nan=False)  # each

    @field_validator("intangibles", mode="before")
    @classmethod
    def _names_as_intangibles(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        needs_participants = any(c.per_participant is not None for c in self.costs)
        if needs_participants and self.participants is None:
            raise ValueError("a per_participant cost needs the programme's participants")
        seen: set[str] = set()
        for objective in self.objectives:
            if objective.id in seen:
                raise ValueError(f"objective id {objective.id!r} is used twice")
            seen.add(objective.id)
        return self


class FxRate(_Model):
    """One entry of a currency's rate table: 1 unit = ``rate`` of the config's currency, from
    the day ``from`` on (until a later entry)."""

    from_: Day = Field(alias="from")
    rate: Rate


class Thresholds(_Model):
    """Tunable limits of the SMART and Phillips checks."""

    achievable_warn_ratio: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    achievable_fail_sigmas: float = Field(default=5.0, gt=0, allow_inf_nan=False)
    horizon_months: int = Field(default=24, ge=1, le=MAX_HORIZON_MONTHS)
    outlier_z: float = Field(default=3.5, gt=0, allow_inf_nan=False)
    outlier_benefit_share: float = Field(default=0.5, gt=0, le=1)


class Config(_Model):
    """A whole roicli project."""

    version: Literal[1] = 1
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    # Exchange rates: USD: [{from: 2026-01-01, rate: 0.92}] is 1 USD = 0.92 of `currency`.
    fx: dict[Currency, tuple[FxRate, ...]] = Field(default_factory=dict)
    business_goals: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    kpis: dict[str, Kpi] = Field(default_factory=dict)
    programs: tuple[Program, ...] = Field(min_length=1)
    thresholds: Thresholds = Thresholds()
    confidence_level: ConfidenceLevel = 0.9  # of every interval: 0.9 for 90 %
    history: Path | None = None  # the run history; default .roicli/history.sqlite beside it

    @model_validator(mode="before")
    @classmethod
    def _catalog_defaults(cls, data: Any) -> Any:
        """A KPI whose key is in the catalogue inherits its fields; the config overrides."""
        if not isinstance(data, Mapping) or not isinstance(data.get("kpis"), Mapping):
            return data
        kpis = {key: inherit_from_catalog(key, fields) for key, fields in data["kpis"].items()}
        return {**data, "kpis": kpis}

    @model_validator(mode="before")
    @classmethod
    def _program_shorthand(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "program" in data:
            if "programs" in data:
                raise ValueError("give either program: or programs:, not both")
            rest = {k: v for k, v in data.items() if k != "program"}
            return {**rest, "programs": [data["program"]]}
        return data


def inherit_from_catalog(key: str, fields: Any) -> Any:
    """The catalogue entry's label, unit, direction, level, lag and aggregation under ``fields``.

    The catalogue's ratio comes along only when the config sets neither aggregation nor ratio.
    """
    from roicli.catalog import get_entry

    entry = get_entry(key)
    if entry is None or not (fields is None or isinstance(fields, Mapping)):
        return fields
    own = dict(fields or {})
    inherited: dict[str, Any] = {
        "label": entry.name_en,
        "unit": entry.unit,
        "direction": entry.direction.value,
        "level": entry.level.value,
        "lag_months": entry.lag_months,
    }
    if "aggregation" not in own and "ratio" not in own:
        inherited["aggregation"] = entry.aggregation.value
        if entry.ratio is not None:
            inherited["ratio"] = {"numerator": entry.ratio[0], "denominator": entry.ratio[1]}
    return inherited | own


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {shorten(close[0])!r}?)" if close else ""


class LoadedConfig(BaseModel):
    """A validated config plus where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    config: Config
    lines: Mapping[KeyPath, int] = Field(repr=False)  # each YAML key path's line
    sha256: str  # of the bytes read and parsed
    conversions: tuple[Conversion, ...] = ()  # amounts in another currency, with their rates

    @property
    def base_dir(self) -> Path:
        """The folder that relative paths in the config are resolved against."""
        return self.path.parent


def find_config(explicit: Path | None) -> Path:
    """The config: -c, then $ROICLI_CONFIG, then ./roicli.yaml, then ./configs/roicli.yaml."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(CONFIG_ENV_VAR)
    if from_env:
        return Path(from_env)
    for candidate in DEFAULT_CONFIG_PATHS:
        if candidate.is_file():
            return candidate
    raise ConfigError(
        "no config file found (looked for ./roicli.yaml and ./configs/roicli.yaml)",
        fix=f"pass -c PATH, set ${CONFIG_ENV_VAR}, or create a project with 'roicli init'",
    )


def load_config(path: Path) -> LoadedConfig:
    """Read, validate and resolve a config file; every error names ``file:line``."""
    raw = read_config(path)
    data, lines = load_yaml(path, raw)
    if not isinstance(data, dict):
        raise ConfigError(
            "expected a mapping with version, sources, kpis and programs",
            location=Location(path, line=1),
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise _config_error(exc, path, lines, data) from None
    _check_size(config, path, lines)
    _check_kpi_references(config, path, lines)
    _check_multi_year(config, path, lines)
    from roicli.fx import convert_currencies

    converted, conversions = convert_currencies(config, path, lines)
    resolved = _resolve_paths(converted, path.resolve().parent)
    return LoadedConfig(
        path=path.resolve(),
        config=resolved,
        lines=lines,
        sha256=hashlib.sha256(raw).hexdigest(),
        conversions=conversions,
    )


def _check_size(config: Config, path: Path, lines: Mapping[KeyPath, int]) -> None:
    """At most MAX_PROGRAMS programmes and MAX_OBJECTIVES objectives in all, named at the first
    one beyond."""
    fix = "split the programmes across several configs, one report each"
    if len(config.programs) > MAX_PROGRAMS:
        loc: KeyPath = ("programs", MAX_PROGRAMS)
        problem = f"more than {MAX_PROGRAMS:,} programmes"
        raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)
    counted = 0
    for index, program in enumerate(config.programs):
        if counted + len(program.objectives) > MAX_OBJECTIVES:
            loc = ("programs", index, "objectives", MAX_OBJECTIVES - counted)
            problem = f"more than {MAX_OBJECTIVES:,} objectives in all"
            raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)
        counted += len(program.objectives)


def _check_kpi_references(config: Config, path: Path, lines: Mapping[KeyPath, int]) -> None:
    """Every KPI a ratio or an objective names is a configured KPI."""
    for key, kpi in config.kpis.items():
        for part in (kpi.ratio.numerator, kpi.ratio.denominator) if kpi.ratio else ():
            if part not in config.kpis:
                raise reference_error(
                    path,
                    lines,
                    ("kpis", key, "ratio"),
                    f"refers to {part!r}, which is not a configured KPI",
                    name=part,
                    choices=config.kpis,
                )
    for index, program in enumerate(config.programs):
        for position, objective in enumerate(program.objectives):
            name = objective.kpi
            if name is not None and name not in config.kpis:
                raise reference_error(
                    path,
                    lines,
                    ("programs", index, "objectives", position, "kpi"),
                    f"unknown KPI {name!r}",
                    name=name,
                    choices=config.kpis,
                    fix=_unknown_kpi_fix(name),
                )


def _check_multi_year(config: Config, path: Path, lines: Mapping[KeyPath, int]) -> None:
    """Years of costs and benefits fit the programme's horizon; a cost's year needs one."""
    for index, program in enumerate(config.programs):
        horizon = program.multi_year
        for position, cost in enumerate(program.costs):
            key = "year" if cost.year is not None else "recurring" if cost.recurring else None
            if key is None:
                continue
            loc: KeyPath = ("programs", index, "costs", position, key)
            if horizon is None:
                problem = f"{key}: needs a multi_year: block on the programme"
                fix = f"add multi_year: {{years: …, discount_rate: …}}, or remove {key}:"
                raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)
            if cost.year is not None and cost.year > horizon.years:
                problem = f"year {cost.year} is beyond multi_year.years ({horizon.years})"
                fix = "give a year from 0 (the initial investment) to multi_year.years"
                raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)
        if horizon is None:
            continue
        here: KeyPath = ("programs", index, "multi_year")
        for key, given in (
            ("benefits_by_year", horizon.benefits_by_year),
            ("persistence", horizon.persistence),
        ):
            if given is not None and len(given) != horizon.years:
                problem = f"{len(given)} values for years: {horizon.years}"
                fix = f"give one value per year, year 1 first, or set years: {len(given)}"
                loc = (*here, key)
                raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)
        initial = any(c.year in (None, 0) and not c.recurring for c in program.costs)
        if horizon.roi_on is RoiBase.INITIAL_INVESTMENT and not initial:
            problem = "initial_investment needs a cost in year 0"
            fix = "give the initial investment a cost without year:, or year: 0"
            loc = (*here, "roi_on")
            raise reference_error(path, lines, loc, problem, name="", choices=(), fix=fix)


def _unknown_kpi_fix(name: str) -> str:
    """How to fix an objective's unknown KPI; a catalogue KPI is used once listed under kpis:."""
    from roicli.catalog import get_entry

    if get_entry(name) is None:
        return "define it under kpis:, or fix the name"
    return f"add {name}: {{}} under kpis: to use the catalogue's KPI, or fix the name"


def reference_error(
    path: Path,
    lines: Mapping[KeyPath, int],
    loc: KeyPath,
    problem: str,
    *,
    name: str,
    choices: Iterable[str],
    details: str = "",
    fix: str | None = None,
) -> ConfigError:
    """A key that names something that does not exist, at the key's ``file:line``.

    ``loc`` is the key's path in the model (``programs``, also under the one-programme
    shorthand); the message is the problem, the closest of the choices, then ``details``.
    """
    shorthand = loc[:1] == ("programs",) and ("program",) in lines
    key_path = ("program", *loc[2:]) if shorthand else loc
    return ConfigError(
        problem + _did_you_mean(name, choices) + details,
        location=Location(path, line=_line_of(key_path, lines)),
        field=dotted(key_path),
        fix=fix,
    )


def _resolve_paths(config: Config, base: Path) -> Config:
    sources = tuple(
        s.model_copy(update={"path": base / s.path}) if s.path is not None else s
        for s in config.sources
    )
    programs = tuple(
        p.model_copy(
            update={
                "objectives": tuple(
                    o.model_copy(update={"estimates": base / o.estimates}) if o.estimates else o
                    for o in p.objectives
                ),
                "evaluations": tuple(
                    e.model_copy(update={"path": base / e.path}) for e in p.evaluations
                ),
            }
        )
        for p in config.programs
    )
    history = base / config.history if config.history is not None else None
    return config.model_copy(update={"sources": sources, "programs": programs, "history": history})


def _config_error(
    exc: ValidationError, path: Path, lines: dict[KeyPath, int], data: Any
) -> ConfigError:
    raw = exc.errors()
    # A failed item also makes its container "too short": keep the item's own error.
    specific = [e for e in raw if not any(_is_prefix(e["loc"], o["loc"]) for o in raw)]
    # Each member of a union (a number or a text) fails on its own: one problem per key.
    by_key: dict[KeyPath, Any] = {}
    for error in specific:
        by_key.setdefault(_yaml_path(error["loc"], data), error)
    errors = sorted(
        by_key.items(),
        key=lambda item: (_line_of(item[0], lines), item[1]["type"] != "extra_forbidden"),
    )
    key_path, first = errors[0]
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ConfigError(
        _describe(first, key_path, data) + (more if len(errors) > 1 else ""),
        location=Location(path, line=_line_of(key_path, lines)),
        field=dotted(key_path) or None,
    )


def _is_prefix(short: tuple[int | str, ...], long: tuple[int | str, ...]) -> bool:
    return len(short) < len(long) and long[: len(short)] == short


def _yaml_path(loc: tuple[int | str, ...], data: Any) -> KeyPath:
    """Map a pydantic error location back to the key path in the YAML document."""
    result: list[str | int] = []
    node = data
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        shorthand = isinstance(node, Mapping) and "program" in node and "programs" not in node
        if part == "programs" and shorthand:  # the one-programme shorthand has no list index
            result.append("program")
            node = node["program"]
            parts = parts[1:]
            continue
        key = "from" if part == "from_" else part
        if isinstance(node, Mapping):
            result.append(key)
            if key not in node:
                break
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            result.append(key)
            node = node[key]
        else:
            break  # pydantic's inner tags (union members, validators) have no place in YAML
    return tuple(result)


def _line_of(key_path: KeyPath, lines: Mapping[KeyPath, int]) -> int:
    for end in range(len(key_path), -1, -1):
        if key_path[:end] in lines:
            return lines[key_path[:end]]
    return 1


_BOUNDS = {
    "greater_than_equal": ("ge", "greater than or equal to"),
    "less_than_equal": ("le", "less than or equal to"),
    "greater_than": ("gt", "greater than"),
    "less_than": ("lt", "less than"),
}


def _bound(limit: float) -> str:
    """A limit as people write it: 1,000,000,000,000 rather than 1000000000000.0."""
    return f"{int(limit):,}" if float(limit).is_integer() else str(limit)


def _describe(error: Any, key_path: KeyPath, data: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        key = str(key_path[-1]) if key_path else "?"
        return f"unknown key {key!r}" + _did_you_mean(key, _sibling_fields(error["loc"]))
    if kind == "missing":
        return "this field is required"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        hint = _did_you_mean(str(given), re.findall(r"'([^']*)'", expected))
        return f"expected one of {expected}, got {_shown(given)}{hint}"
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        return f"expected a number, got {_shown(given)}"
    if kind in {
        "date_from_datetime_inexact",
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
    }:
        return f"expected a date like 2026-06-30, got {_shown(given)}"
    if kind in _BOUNDS:
        name, relation = _BOUNDS[kind]
        return f"input should be {relation} {_bound(error['ctx'][name])}, got {_shown(given)}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "too_short" and key_path and key_path[-1] in {"programs", "program"}:
        return "at least one programme is required"
    return f"{error['msg']}, got {_shown(given)}"


def _shown(value: Any) -> str:
    """A value as the config wrote it, cut short (see ``errors.shorten``)."""
    return repr(shorten(value)) if isinstance(value, str) else shorten(repr(value))


def _sibling_fields(loc: tuple[int | str, ...]) -> list[str]:
    """Field names allowed next to an unknown key, for the "did you mean" hint."""
    model: type[BaseModel] | None = Config
    skip_next_key = False
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if skip_next_key:  # a key of a mapping such as kpis: {name: ...}
            skip_next_key = False
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return []
        skip_next_key = getattr(field.annotation, "__origin__", None) is dict
        model = _model_in(field.annotation)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
