"""The example project written by ``roicli init``: Alpine Outdoor's two training programmes.

The config is a packaged template; the sample data is generated from fixed seeds, so every run
writes the same CSV bytes and the same workbook cells.
"""

from __future__ import annotations

import csv
import math
import os
import random
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from roicli.errors import UsageError

FIRST_DAY = date(2024, 11, 1)
LAST_DAY = date(2026, 10, 31)
UPLIFT_START = date(2026, 2, 1)  # the mentoring's effect starts a few weeks after its start
UPLIFT_DAYS = 135  # and builds up over about four and a half months
DAYS_PER_MONTH = 365.25 / 12

# Weekly rhythm of the shop's traffic, Monday first: people plan their trips on Sunday evenings.
WEEKDAY_FACTORS = (1.05, 1.03, 1.00, 0.98, 0.92, 0.93, 1.09)

# Survey: 10 of the 12 participants answer after each of the 12 workshops (120 answers), with
# a mean satisfaction of 4.26 / 5 and 55 % promoters, 15 % detractors (NPS 40).
RESPONDENTS = 10
SATISFACTION_ANSWERS = {5: 50, 4: 54, 3: 13, 2: 3}
RECOMMEND_ANSWERS = {10: 30, 9: 36, 8: 24, 7: 12, 6: 10, 5: 5, 4: 2, 3: 1}

# (participant, measure, annual value in EUR, contribution, confidence), as typed by people.
ESTIMATES = (
    ("Léa", "Time saved on keyword research", "4800", "60%", "80%"),
    ("Marco", "Fewer agency briefs", "7500", "0.5", "0.7"),
    ("Sophie", "Faster content production", "6200", "70%", "75%"),
    ("Jonas", "Time saved on keyword research", "3600", "0.6", "0.9"),
    ("Chiara", "Fewer agency briefs", "9000", "40%", "60%"),
    ("Lukas", "Faster content production", "5400", "0.5", ""),
    ("Emma", "Fewer content rewrites", "2800", "80%", "70%"),
    ("Noah", "Time saved on keyword research", "2400", "0.7", "0.8"),
    ("Anna", "Faster content production", "6800", "55%", "65%"),
    ("Felix", "Fewer agency briefs", "8200", "0.45", ""),
    ("Sara", "Time saved on reporting", "1500", "90%", "90%"),
    ("Tim", "Faster content production", "3900", "0.6", "70%"),
)


def write_example(target: Path, *, force: bool = False) -> list[Path]:
    """Write the example config and sample data under ``target``; return the written paths."""
    writers: dict[str, Callable[[Path], None]] = {
        "configs/roicli.yaml": _write_config,
        "configs/multi_year.yaml": _write_multi_year,
        "sample_data/web_analytics.csv": _write_web_analytics,
        "sample_data/crm_export.xlsx": _write_crm_export,
        "sample_data/training_feedback.csv": _write_training_feedback,
        "sample_data/estimates.csv": _write_estimates,
    }
    return write_files(target, writers, force=force)


def write_files(
    target: Path, writers: Mapping[str, Callable[[Path], None]], *, force: bool = False
) -> list[Path]:
    """Run each writer on ``target / name``; refuse, writing nothing, if any file exists.

    Nothing is written through a symlink: a linked file is refused (--force replaces the link
    itself, as each file is written under a temporary name, then renamed), and so is a linked
    folder inside ``target``, even with --force. An OSError is a UsageError naming the file.
    """
    from roicli.outputs import write_with, writing

    if os.path.lexists(target) and not target.is_dir():
        raise UsageError("not a folder", field=str(target), fix="choose a folder for the project")
    paths = {name: target / name for name in writers}
    folders = {target / folder for name in writers for folder in Path(name).parents[:-1]}
    for folder in sorted(folders):
        if folder.is_symlink():
            raise UsageError(
                f"a symbolic link (to {os.readlink(folder)}); init does not write through links",
                field=str(folder),
                fix="remove the link, or choose another folder",
            )
    links = [path for path in paths.values() if path.is_symlink()]
    if links and not force:
        raise UsageError(
            f"a symbolic link (to {os.readlink(links[0])}); init does not write through links",
            field=str(links[0]),
            fix="use --force to replace the link itself",
        )
    existing = [name for name, path in paths.items() if os.path.lexists(path)]
    if existing and not force:
        raise UsageError(
            f"files already exist in {target}: {', '.join(existing)}",
            fix="use --force to overwrite",
        )
    for path, write in zip(paths.values(), writers.values(), strict=True):
        with writing(path, fix="choose a writable folder"):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_with(path, write)
    return list(paths.values())


def _write_config(path: Path) -> None:
    template = resources.files("roicli").joinpath("data", "example", "roicli.yaml")
    path.write_bytes(template.read_bytes())


def _write_multi_year(path: Path) -> None:
    template = resources.files("roicli").joinpath("data", "example", "multi_year.yaml")
    path.write_bytes(template.read_bytes())


def _rng(name: str) -> random.Random:
    """One generator per file, so changing one file leaves the others as they were."""
    return random.Random(f"alpine-outdoor/{name}")


def days(first: date, last: date) -> Iterator[date]:
    """Every day from ``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def months(first: date, last: date) -> Iterator[date]:
    """The first day of every month from ``first`` (a first of the month) to ``last``."""
    month = first
    while month <= last:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def _yearly(day: date) -> float:
    """Yearly demand for outdoor gear, from -1 in mid-November to +1 in mid-May."""
    day_of_year = day.timetuple().tm_yday
    return math.cos(2 * math.pi * (day_of_year - 135) / 365.25)


def _ramp(day: date) -> float:
    """Share of the mentoring's full effect reached on ``day``: 0 before, then up to 1."""
    return min(max((day - UPLIFT_START).days / UPLIFT_DAYS, 0.0), 1.0)


def _months_elapsed(day: date) -> float:
    return (day - FIRST_DAY).days / DAYS_PER_MONTH


def _write_web_analytics(path: Path) -> None:
    """Daily sessions and engagement time per team; Marketing's traffic grows after mentoring."""
    rng = _rng("web_analytics")
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["Date", "Team", "Metric", "Value"])
        for day in days(FIRST_DAY, LAST_DAY):
            rhythm = (1 + 0.03 * _yearly(day)) * WEEKDAY_FACTORS[day.weekday()]
            growth = 1.007 ** _months_elapsed(day)  # the slow pre-programme trend
            uplift = 1 + 0.22 * _ramp(day)
            teams = {
                "Marketing": (309 * growth * uplift, 52 + 8 * _ramp(day)),
                "Sales": (134.0, 47.0),
            }
            for team, (sessions, engagement) in teams.items():
                value = round(sessions * rhythm * rng.gauss(1, 0.06))
                writer.writerow([day.isoformat(), team, "Organic sessions", value])
                seconds = round(engagement * rng.gauss(1, 0.08))
                writer.writerow([day.isoformat(), team, "Avg. engagement time", seconds])


def _write_crm_export(path: Path) -> None:
    """Monthly leads, customers and cost per lead per team, as a CRM report in Excel."""
    import openpyxl

    rng = _rng("crm_export")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Leads"
    sheet.append(["Alpine Outdoor — CRM leads by month"])
    sheet.append([])
    sheet.append(["Month", "Team", "MQL", "Customers", "Cost per lead"])
    for index, month in enumerate(months(FIRST_DAY, LAST_DAY)):
        mid_month = month + timedelta(days=14)
        market = 8 * _yearly(mid_month) + rng.gauss(0, 3)  # ups and downs shared by both teams
        effect = _ramp(mid_month)
        mql = round(120 + 0.4 * index + market + 25 * effect + rng.gauss(0, 3))
        customers = round(mql * rng.uniform(0.11, 0.13))
        cost_per_lead = round(46 * rng.gauss(1, 0.015) - 6.2 * effect, 2)
        sheet.append([month, "Marketing", mql, customers, cost_per_lead])
        mql = round(80 + market + rng.gauss(0, 3))
        customers = round(mql * rng.uniform(0.095, 0.105))
        sheet.append([month, "Sales", mql, customers, round(52 * rng.gauss(1, 0.015), 2)])
    for row in sheet.iter_rows(min_row=4):
        row[0].number_format = "mmm yyyy"
        row[4].number_format = '#,##0.00 "€"'
    notes = workbook.create_sheet("Notes")
    notes.append(
        ["Exported from the CRM; leads are marketing-qualified (MQL) by the scoring rules."]
    )
    workbook.save(path)


def _write_training_feedback(path: Path) -> None:
    """LMS survey answers after each mentoring workshop, February to July 2026."""
    rng = _rng("training_feedback")
    answered: list[date] = []
    for month in range(2, 8):
        for first_day in (date(2026, month, 8), date(2026, month, 20)):
            workshop = first_day + timedelta(days=(1 - first_day.weekday()) % 7)  # a Tuesday
            delays = rng.choices((0, 1, 2, 3), weights=(4, 3, 2, 1), k=RESPONDENTS)
            answered.extend(workshop + timedelta(days=delay) for delay in sorted(delays))
    satisfaction = _shuffled_deck(rng, SATISFACTION_ANSWERS)
    recommend = _shuffled_deck(rng, RECOMMEND_ANSWERS)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\n")
        writer.writerow(["Date", "Team", "Question", "Score"])
        for day, liked, would_recommend in zip(answered, satisfaction, recommend, strict=True):
            writer.writerow([day.strftime("%d/%m/%Y"), "Marketing", "Satisfaction", liked])
            writer.writerow([day.strftime("%d/%m/%Y"), "Marketing", "Recommend", would_recommend])


def _shuffled_deck(rng: random.Random, counts: dict[int, int]) -> list[int]:
    """Every answer as often as ``counts`` says, in random order: exact shares, random months."""
    deck = [score for score, count in counts.items() for _ in range(count)]
    rng.shuffle(deck)
    return deck


def _write_estimates(path: Path) -> None:
    """Participants' own estimates of their annual gains (Phillips), two without confidence."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["participant", "measure", "annual_value", "contribution", "confidence"])
        writer.writerows(ESTIMATES)
