"""Starter projects for ``roicli init --template``: one programme each, with sample exports.

Each template is a packaged, commented config plus 18 months of sample exports (May 2025 to
October 2026) generated from fixed seeds, so every run writes the same bytes.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from importlib import resources
from pathlib import Path

from roicli import mentoring_evaluations
from roicli.enums import Template
from roicli.errors import UsageError
from roicli.example import days, months, write_files

TEMPLATES: tuple[str, ...] = tuple(template.value for template in Template)

FIRST_DAY = date(2025, 5, 1)
LAST_DAY = date(2026, 10, 31)

Writer = Callable[[Path], None]
Row = Sequence[object]


def write_template(name: str, target: Path, *, force: bool = False) -> list[Path]:
    """Write template ``name``'s config and sample data under ``target``; return the paths."""
    if name not in TEMPLATES:
        raise UsageError(f"unknown template {name!r}", fix=f"choose one of {', '.join(TEMPLATES)}")
    writers: dict[str, Writer] = {"configs/roicli.yaml": partial(_write_config, name)}
    writers.update({f"sample_data/{file}": write for file, write in _DATA[name].items()})
    return write_files(target, writers, force=force)


def _write_config(name: str, path: Path) -> None:
    template = resources.files("roicli").joinpath("data", "templates", name, "roicli.yaml")
    path.write_bytes(template.read_bytes())


def _rng(template: str, file: str) -> random.Random:
    """One generator per file, so changing one file leaves the others as they were."""
    return random.Random(f"roicli-template/{template}/{file}")


def _ramp(day: date, start: date, *, over_months: float) -> float:
    """Share of a programme's full effect reached on ``day``: 0 before ``start``, then up to 1."""
    return min(max((day - start).days / (over_months * 30.44), 0.0), 1.0)


def _months_since_first(day: date) -> int:
    return (day.year - FIRST_DAY.year) * 12 + day.month - FIRST_DAY.month


def _write_csv(
    path: Path, header: Row, rows: Iterable[Row], *, delimiter: str = ",", preamble: str = ""
) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(preamble)
        writer = csv.writer(file, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# ── mentoring: a cross-team mentoring programme for young marketers ────────────────────────────

MENTORING_START = date(2026, 1, 12)
MENTEES = 12
SATISFACTION = "Satisfaction with mentoring (1-5)"
RECOMMEND = "Would recommend (0-10)"


def _mentoring_hris(path: Path) -> None:
    """HRIS report, French style (";" and decimal commas): 12-month retention per population."""
    rng = _rng("mentoring", "hris_monthly")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        # Retention of young marketers was sliding; mentoring lifts it over about nine months.
        effect = 6.0 * _ramp(month, MENTORING_START, over_months=9)
        populations = {
            "Young marketers": (72.5 - 0.1 * _months_since_first(month) + effect, 64),
            "Other marketing staff": (86.0, 92),
        }
        for population, (retention, size) in populations.items():
            value = round(retention + rng.gauss(0, 0.5), 1)
            headcount = size + rng.randint(-2, 2)
            leavers = round(headcount * (100 - value) / 100)
            text = f"{value:.1f}".replace(".", ",")
            rows.append([f"{month:%Y-%m}", population, headcount, leavers, text])
    header = ["Month", "Population", "Headcount", "Leavers (12 months)", "12-month retention (%)"]
    _write_csv(path, header, rows, delimiter=";")


def _mentoring_onboarding(path: Path) -> None:
    """One row per new hire: days until the manager rated them fully productive."""
    rng = _rng("mentoring", "onboarding")
    hires = []
    start = date(2024, 12, 2)
    while start <= LAST_DAY:
        # New hires are paired with a mentor from their first week once the programme runs.
        effect = 16 * _ramp(start, MENTORING_START, over_months=3)
        days_needed = round(rng.gauss(93 - effect, 9))
        rated = start + timedelta(days=days_needed)
        if FIRST_DAY <= rated <= LAST_DAY:
            team = rng.choice(("SEO", "CRM", "Brand", "Social media", "Performance"))
            hires.append((rated, start, team, days_needed))
        start += timedelta(days=rng.randint(5, 10))
    rows = [
        [f"E{1040 + index}", team, started.isoformat(), rated.isoformat(), days_needed]
        for index, (rated, started, team, days_needed) in enumerate(sorted(hires))
    ]
    header = ["Employee ID", "Team", "Start date", "Rated productive on", "Days to productivity"]
    _write_csv(path, header, rows)


def _mentoring_log(path: Path) -> None:
    """The mentoring platform's monthly report: the 2025 buddy scheme, then the programme."""
    rng = _rng("mentoring", "mentoring_log")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        buddies = rng.randint(3, 7)
        sessions = round(buddies * rng.uniform(1.0, 1.6))
        pairs = buddies
        if month >= MENTORING_START.replace(day=1):
            share = 0.6 if month < MENTORING_START else rng.uniform(0.85, 1.0)  # kick-off month
            pairs += MENTEES
            sessions += round(MENTEES * 2 * share)  # a session every two weeks
        hours = round(sessions * rng.uniform(0.8, 1.0), 1)
        rows.append([f"{month:%Y-%m}", pairs, sessions, hours])
    _write_csv(path, ["Month", "Active pairs", "Sessions held", "Hours"], rows)


def _mentoring_survey(path: Path) -> None:
    """Monthly pulse survey of mentees: satisfaction (1-5) and would-recommend (0-10)."""
    rng = _rng("mentoring", "mentoring_survey")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        running = month >= MENTORING_START.replace(day=1)
        respondents = rng.randint(3, 5) + (MENTEES - rng.randint(0, 3) if running else 0)
        liked = (52, 42, 5, 1) if running else (15, 45, 30, 10)
        would = (35, 30, 20, 8, 5, 2) if running else (10, 15, 30, 20, 15, 10)
        sent = sorted(
            datetime.combine(month + timedelta(days=rng.randint(24, 27)), time(9))
            + timedelta(minutes=rng.randint(0, 8 * 60))
            for _ in range(respondents)
        )
        for stamp in sent:
            when = f"{stamp:%Y-%m-%d %H:%M}"
            rows.append([when, SATISFACTION, rng.choices((5, 4, 3, 2), liked)[0]])
            rows.append([when, RECOMMEND, rng.choices(range(10, 4, -1), would)[0]])
    _write_csv(path, ["Submitted", "Question", "Score"], rows)


# ── seo: SEO training for the content team ─────────────────────────────────────────────────────

SEO_START = date(2026, 2, 2)
GA4_PREAMBLE = (
    "# ----------------------------------------\n"
    "# Organic search: sessions by date\n"
    "# Property: www.example.com - GA4\n"
    "# Filter: Session default channel group exactly matches Organic Search\n"
    "# ----------------------------------------\n"
    "#\n"
    f"# Start date: {FIRST_DAY:%Y%m%d}\n"
    f"# End date: {LAST_DAY:%Y%m%d}\n"
)
# B2B traffic: busy on weekdays, quiet at weekends (Monday first).
B2B_WEEKDAYS = (1.12, 1.14, 1.12, 1.08, 0.98, 0.72, 0.76)


def _seo_uplift(day: date) -> float:
    """The training's effect: pages rewritten from March need months to climb the rankings."""
    return _ramp(day, date(2026, 3, 15), over_months=6)


def _seo_ga4(path: Path) -> None:
    """GA4 daily export in long form (date, metric, value), with GA4's ``#`` preamble."""
    rng = _rng("seo", "ga4_organic")
    rows = []
    for day in days(FIRST_DAY, LAST_DAY):
        growth = 1.004 ** _months_since_first(day)  # the slow pre-programme trend
        sessions = round(3000 * growth * B2B_WEEKDAYS[day.weekday()] * rng.gauss(1, 0.05))
        sessions = round(sessions * (1 + 0.2 * _seo_uplift(day)))
        engaged = round(sessions * rng.uniform(0.58, 0.64))
        rows.append([f"{day:%Y%m%d}", "Sessions", sessions])
        rows.append([f"{day:%Y%m%d}", "Engaged sessions", engaged])
    _write_csv(path, ["Date", "Metric", "Value"], rows, preamble=GA4_PREAMBLE)


def _seo_search_console(path: Path) -> None:
    """Google Search Console "Dates" export: clicks, impressions, CTR and average position."""
    rng = _rng("seo", "search_console")
    # Search engine updates shift every ranking for weeks: one shock per month.
    shocks = [rng.gauss(0, 0.35) for _ in months(FIRST_DAY, LAST_DAY)]
    rows = []
    for day in days(FIRST_DAY, LAST_DAY):
        position = 18.4 - 0.03 * _months_since_first(day) - 3.8 * _seo_uplift(day)
        position = round(position + shocks[_months_since_first(day)] + rng.gauss(0, 0.35), 2)
        impressions = round(92000 * B2B_WEEKDAYS[day.weekday()] * rng.gauss(1, 0.05))
        clicks = round(impressions * (0.021 + 0.003 * _seo_uplift(day)) * rng.gauss(1, 0.04))
        rows.append([day.isoformat(), clicks, impressions, f"{clicks / impressions:.2%}", position])
    _write_csv(path, ["Date", "Clicks", "Impressions", "CTR", "Position"], rows)


def _seo_cms(path: Path) -> None:
    """The CMS's monthly report: articles published and updated per section."""
    rng = _rng("seo", "cms_articles")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        effect = _ramp(month, SEO_START, over_months=2)
        for section, before, after in (("Blog", 8, 13), ("Guides", 4, 7)):
            mean = before + (after - before) * effect
            published = max(0, round(rng.gauss(mean, 1.5)))
            updated = max(0, round(rng.gauss(3 + 6 * effect, 1.5)))
            rows.append([f"{month:%Y-%m}", section, published, updated])
    _write_csv(path, ["Month", "Section", "Published", "Updated"], rows)


# ── sales: sales enablement, one team trained and one as the control group ─────────────────────

SALES_START = date(2026, 3, 2)
# Demand shared by both teams, January first: a summer lull and a quiet December.
SALES_SEASON = (0.95, 1.0, 1.06, 1.04, 1.05, 1.02, 0.9, 0.84, 1.04, 1.08, 1.05, 0.88)


def _sales_crm(path: Path) -> None:
    """CRM monthly report per team: qualified leads, new customers and revenue."""
    rng = _rng("sales", "crm_monthly")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        market = SALES_SEASON[month.month - 1] * rng.gauss(1, 0.03)
        effect = _ramp(month, SALES_START, over_months=4)
        teams = {
            # (leads, conversion, deal size): Team North follows the programme, South does not.
            "Team North": (112 * (1 + 0.06 * effect), 0.175 + 0.03 * effect, 4300 + 130 * effect),
            "Team South": (104.0, 0.17, 4200.0),
        }
        for team, (leads_mean, conversion, deal) in teams.items():
            leads = round(leads_mean * market * rng.gauss(1, 0.04))
            customers = round(leads * conversion * rng.gauss(1, 0.06))
            revenue = round(customers * deal * rng.gauss(1, 0.04))
            rows.append([f"{month:%b %Y}", team, leads, customers, revenue])
    header = ["Month", "Team", "Qualified leads", "New customers", "Revenue (EUR)"]
    _write_csv(path, header, rows)


# ── content: content marketing training ────────────────────────────────────────────────────────

CONTENT_START = date(2026, 1, 19)


def _content_cms(path: Path) -> None:
    """The CMS's monthly report: pieces published per format."""
    rng = _rng("content", "cms_content")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        effect = _ramp(month, CONTENT_START, over_months=3)
        for content_format, before, after in (
            ("Article", 9, 13),
            ("Video", 2, 4),
            ("Case study", 2, 3),
        ):
            mean = before + (after - before) * effect
            rows.append([f"{month:%Y-%m}", content_format, max(0, round(rng.gauss(mean, 1.2)))])
    _write_csv(path, ["Month", "Format", "Pieces published"], rows)


def _content_social(path: Path) -> None:
    """Post-level social media export with US-style dates; organic reach was slowly falling."""
    rng = _rng("content", "social_posts")
    rows = []
    for day in days(FIRST_DAY, LAST_DAY):
        if day.weekday() not in (1, 3):  # posts go out on Tuesdays and Thursdays
            continue
        effect = _ramp(day, CONTENT_START + timedelta(days=30), over_months=4)
        drift = 0.015 * _months_since_first(day)
        for network, rate, reach in (("LinkedIn", 2.2, 5200), ("Instagram", 1.7, 3800)):
            posted = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
            impressions = round(reach * rng.gauss(1, 0.15))
            expected = rate - drift + 0.8 * effect
            engagements = round(impressions * max(expected + rng.gauss(0, 0.35), 0.2) / 100)
            share = f"{engagements / impressions * 100:.2f}"
            rows.append([f"{posted:%m/%d/%Y %I:%M %p}", network, impressions, engagements, share])
    header = ["Date", "Network", "Impressions", "Engagements", "Engagement rate (%)"]
    _write_csv(path, header, rows)


def _content_email(path: Path) -> None:
    """One row per e-mail campaign sent, with its click rate."""
    rng = _rng("content", "email_campaigns")
    rows = []
    for month in months(FIRST_DAY, LAST_DAY):
        for week, name in enumerate(("Newsletter", "Product news", "Newsletter", "Webinar invite")):
            sent = month + timedelta(days=2 + 7 * week + rng.randint(0, 2))
            effect = _ramp(sent, CONTENT_START + timedelta(days=20), over_months=3)
            delivered = round(rng.gauss(10400, 400))
            opens = round(delivered * rng.gauss(0.31, 0.02))
            clicks = round(delivered * max(rng.gauss(2.3 + 0.7 * effect, 0.18), 0.5) / 100)
            rate = f"{clicks / delivered * 100:.2f}"
            rows.append([sent.isoformat(), f"{name} {sent:%b %Y}", delivered, opens, clicks, rate])
    header = ["Sent", "Campaign", "Delivered", "Opens", "Clicks", "Click rate (%)"]
    _write_csv(path, header, rows)


# (participant, measure, annual value in EUR, contribution, confidence), as answered in the
# follow-up questionnaire three months after the training.
CONTENT_ESTIMATES = (
    ("Amelia", "Time saved writing content briefs", "4200", "70%", "80%"),
    ("Ben", "Fewer rewrites after legal review", "3600", "60%", "70%"),
    ("Clara", "Content reused across channels", "6400", "50%", "70%"),
    ("David", "Time saved writing content briefs", "3000", "80%", "90%"),
    ("Elif", "Faster video editing with templates", "5200", "60%", "75%"),
    ("Finn", "Content reused across channels", "4800", "50%", "60%"),
    ("Grace", "Faster approval of social posts", "7000", "40%", "70%"),
    ("Hugo", "Time saved on reporting", "2400", "90%", "90%"),
    ("Ines", "Fewer rewrites after legal review", "2800", "60%", "80%"),
)


def _content_estimates(path: Path) -> None:
    """Participants' own estimates of their annual gains (Phillips), each with a confidence."""
    header = ["participant", "measure", "annual_value", "contribution", "confidence"]
    _write_csv(path, header, CONTENT_ESTIMATES)


_DATA: dict[str, dict[str, Writer]] = {
    "mentoring": {
        "hris_monthly.csv": _mentoring_hris,
        "onboarding.csv": _mentoring_onboarding,
        "mentoring_log.csv": _mentoring_log,
        "mentoring_survey.csv": _mentoring_survey,
        "evaluations/reaction.csv": mentoring_evaluations.write_reaction,
        "evaluations/pre-test.csv": mentoring_evaluations.write_pre_test,
        "evaluations/post-test.csv": mentoring_evaluations.write_post_test,
        "evaluations/follow-up.csv": mentoring_evaluations.write_follow_up,
    },
    "seo": {
        "ga4_organic.csv": _seo_ga4,
        "search_console.csv": _seo_search_console,
        "cms_articles.csv": _seo_cms,
    },
    "sales": {"crm_monthly.csv": _sales_crm},
    "content": {
        "cms_content.csv": _content_cms,
        "social_posts.csv": _content_social,
        "email_campaigns.csv": _content_email,
        "estimates.csv": _content_estimates,
    },
}
