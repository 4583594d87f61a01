"""Closed sets of the configuration and the results, used directly as CLI choices."""

from __future__ import annotations

from enum import StrEnum


class Period(StrEnum):
    """Length of a reporting period."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class Layout(StrEnum):
    """Shape of a data source."""

    LONG = "long"  # one row per (date, kpi[, group]) value
    WIDE = "wide"  # a date column and one column per KPI
    DATES_IN_COLUMNS = "dates_in_columns"  # one row per KPI, one column per date


class Overlap(StrEnum):
    """What a source read from several files does with a (date, KPI, group) found in two."""

    ERROR = "error"  # stop, naming both files and the first such row
    LATEST = "latest"  # the later file in name order wins (a re-export that extends the last)
    SUM = "sum"  # add them up


class Aggregation(StrEnum):
    """How a KPI's rows in one period become the period's value."""

    SUM = "sum"
    MEAN = "mean"
    MEDIAN = "median"
    LAST = "last"
    MIN = "min"
    MAX = "max"
    COUNT = "count"
    NUNIQUE = "nunique"
    NPS = "nps"
    RATIO = "ratio"


class Direction(StrEnum):
    """Which way a KPI improves."""

    INCREASE = "increase"
    DECREASE = "decrease"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return 1 if self is Direction.INCREASE else -1


class Level(StrEnum):
    """Kirkpatrick's four levels plus Phillips' fifth (ROI) and level 0 (inputs)."""

    INPUT = "input"
    REACTION = "reaction"
    LEARNING = "learning"
    APPLICATION = "application"
    IMPACT = "impact"
    ROI = "roi"

    @property
    def number(self) -> int:
        """The level's number, 0 (inputs) to 5 (ROI)."""
        return list(Level).index(self)


class Method(StrEnum):
    """Delivery method of a programme."""

    CLASSROOM = "classroom"
    ONLINE = "online"
    BLENDED = "blended"
    MICRO_LEARNING = "micro-learning"
    MENTORING = "mentoring"


class CostCategory(StrEnum):
    """Phillips' fully-loaded cost categories."""

    NEEDS_ASSESSMENT = "needs_assessment"
    DESIGN = "design"
    DELIVERY = "delivery"
    PARTICIPANT_TIME = "participant_time"
    TRAVEL = "travel"
    FACILITIES = "facilities"
    TOOLS = "tools"
    MATERIALS = "materials"
    ADMINISTRATION = "administration"
    EVALUATION = "evaluation"
    OVERHEAD = "overhead"
    OTHER = "other"


class Isolation(StrEnum):
    """How an objective isolates the training's effect from other factors."""

    BASELINE = "baseline"
    TREND = "trend"
    CONTROL = "control"
    ESTIMATES = "estimates"


class Status(StrEnum):
    """Where an objective stands at the as-of date."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"  # the deadline passed without the target
    NOT_YET_MEASURABLE = "not_yet_measurable"
    NO_DATA = "no_data"
    ESTIMATED = "estimated"  # benefit from participant estimates; no KPI series to track


class Verdict(StrEnum):
    """Outcome of one check."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


class FailOn(StrEnum):
    """Conditions that turn a successful run into exit code 1."""

    SMART = "smart"
    OFF_TRACK = "off-track"
    NEGATIVE_ROI = "negative-roi"
    STALE_DATA = "stale-data"
    ROI_OBJECTIVE = "roi-objective"  # a programme's ROI to date is below its ROI objective


class Basis(StrEnum):
    """What a money figure counts."""

    TO_DATE = "to_date"  # the months counted so far
    FIRST_YEAR = "first_year"  # Phillips: the monthly rate over the benefit window
    MULTI_YEAR = "multi_year"  # opt-in: benefits and costs per year over a horizon, discounted
    FORECAST = "forecast"  # before launch: the expected monthly rate over the benefit window


class RoiBase(StrEnum):
    """What a multi-year programme's headline ROI divides by."""

    TOTAL_COSTS = "total_costs"  # Phillips: (PV benefits − PV costs) / PV costs
    INITIAL_INVESTMENT = "initial_investment"  # (PV benefits − PV later costs) / year-0 costs


class PaybackUnit(StrEnum):
    """The unit a payback is shown in: weeks when it is short, else months."""

    WEEKS = "weeks"
    MONTHS = "months"


class EstimatePeriod(StrEnum):
    """What an estimate's value is per: it is turned into the annual figure that counts."""

    MONTH = "month"
    WEEK = "week"
    YEAR = "year"
    ONCE = "once"  # a one-off gain: counted once, as that year's figure

    @property
    def per_year(self) -> int:
        """How many times the value falls in a year: 12, 52, 1; a one-off counts once."""
        return {"month": 12, "week": 52, "year": 1, "once": 1}[self.value]


class Reliability(StrEnum):
    """Whether an interval rests on enough months of data for its isolation method."""

    RELIABLE = "reliable"
    ROUGH = "rough"


class RoiObjectiveStatus(StrEnum):
    """Whether a programme's ROI to date reaches the ROI objective set before it started."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_YET_MEASURABLE = "not_yet_measurable"


class OutputFormat(StrEnum):
    """What `--format` prints on stdout."""

    TABLE = "table"
    JSON = "json"


class Lang(StrEnum):
    """Language of the reports."""

    EN = "en"
    FR = "fr"


class TrendBy(StrEnum):
    """How `roicli trend` splits a KPI."""

    GROUP = "group"


class Template(StrEnum):
    """Starter projects written by `roicli init --template`."""

    MENTORING = "mentoring"
    SEO = "seo"
    SALES = "sales"
    CONTENT = "content"


class Outlook(StrEnum):
    """What a programme's money says so far."""

    PAYING_BACK = "paying_back"  # ROI to date ≥ 0
    NOT_YET = "not_yet"  # ROI to date < 0, but the first year pays back
    LOSS = "loss"  # neither to date nor over the first year
    TOO_EARLY = "too_early"  # no objective measurable yet
    NO_MONEY = "no_money"  # no objective converts to money
    PROJECTED = "projected"  # nothing measured, only multi-year benefits as stated (a projection)


class ActionKind(StrEnum):
    """Where an action comes from, in order of urgency."""

    STALE = "stale"
    MISSED = "missed"
    OFF_TRACK = "off_track"
    SMART = "smart"
    RULE = "rule"
