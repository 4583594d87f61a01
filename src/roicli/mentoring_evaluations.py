"""The mentoring template's evaluation files: levels 1 to 3 of 12 mentors and 12 mentees.

Synthetic people (invented names at example.com) answer as the tools export: a Google Forms
reaction survey, a 20-point quiz on mentoring practice before (Moodle's gradebook export) and
after (its assignment grading worksheet), a LimeSurvey follow-up three weeks after the end.
Their names and e-mails are in these input files only, to show that roicli pseudonymises
them: no report names anyone. Fixed seeds: the same bytes on every run.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

FIRST_NAMES = (
    "Camille", "Hugo", "Léa", "Lucas", "Chloé", "Nathan", "Manon", "Louis", "Inès", "Jules",
    "Sarah", "Adam", "Emma", "Noah", "Alice", "Tom", "Zoé", "Théo", "Lina", "Paul",
    "Jade", "Victor", "Rose", "Sacha",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "Andre", "Mercier",
)  # fmt: skip
AGREEMENT = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
ROLE = "Your role in the programme"
MAX_POINTS = 20
LATE_JOINER = 23  # joined after the pre-test
MISSED_POST = 5  # absent on the post-test day
SILENT = (7, 16)  # did not answer the reaction survey
REMARKS = (
    "Sessions of {minutes} minutes instead of an hour",
    "Thanks to {partner}, it changed how I work!",
    "",
    "Meet in person at least once a month ({minutes} min)",
    "A shared calendar of sessions, {partner} and I often forgot",
    "",
    "More cross-team workshops (say {minutes} minutes each)",
)
NO_FOLLOW_UP = (2, 9, 12, 14, 19, 21)  # did not answer the follow-up


@dataclass(frozen=True)
class Person:
    """A synthetic participant."""

    index: int
    first: str
    last: str
    role: str  # "Mentee" or "Mentor"

    @property
    def email(self) -> str:
        """An address at example.com, written as a person would (capitals and all)."""
        plain = self.first.replace("é", "e").replace("è", "e").replace("ï", "i")
        return f"{plain}.{self.last}@example.com"


PEOPLE = tuple(
    Person(i, first, last, "Mentee" if i % 2 == 0 else "Mentor")
    for i, (first, last) in enumerate(zip(FIRST_NAMES, LAST_NAMES, strict=True))
)


def _rng(file: str) -> random.Random:
    return random.Random(f"roicli-template/mentoring/{file}")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_reaction(path: Path) -> None:
    """Google Forms responses on the closing day: two agreement questions, recommendation
    (0-10) and a free-text remark (never shown: one names a mentor)."""
    rng = _rng("reaction")
    start = datetime(2026, 10, 9, 16, 30)
    header = [
        "Timestamp",
        "Email Address",
        ROLE,
        "The mentoring sessions were useful for my work",
        "My mentoring partner was well prepared",
        "How likely are you to recommend this programme to a colleague?",
        "What would you change?",
    ]
    rows: list[list[object]] = []
    for person in PEOPLE:
        if person.index in SILENT:
            continue
        start += timedelta(minutes=rng.randint(3, 40))
        mentee = person.role == "Mentee"
        useful = rng.choices(range(5), (0, 1, 1, 4, 6) if mentee else (0, 1, 3, 5, 3))[0]
        prepared = rng.choices(range(5), (0, 0, 2, 5, 5))[0]
        weights = (0, 1, 1, 3, 6, 7) if mentee else (1, 1, 2, 4, 5, 3)
        recommend = rng.choices(range(5, 11), weights)[0]
        # Free text, each remark its own: counted, never shown (one names a partner).
        remark = REMARKS[person.index % len(REMARKS)].format(
            partner=PEOPLE[person.index ^ 1].first, minutes=rng.randint(30, 90)
        )
        rows.append(
            [
                f"{start.month}/{start.day}/{start.year} {start:%H:%M:%S}",
                person.email,
                person.role,
                AGREEMENT[useful],
                AGREEMENT[prepared],
                recommend,
                remark,
            ]
        )
    _write(path, header, rows)


def _scores(file: str, *, before: bool) -> dict[int, int]:
    """Each person's quiz score out of 20: mentees learn more than mentors, who knew more."""
    rng = _rng(file)
    found = {}
    for person in PEOPLE:
        mentee = person.role == "Mentee"
        means = (9.0, 12.0) if before else (15.0, 15.5)  # mentee, mentor
        mean = means[0] if mentee else means[1]
        found[person.index] = max(0, min(MAX_POINTS, round(rng.gauss(mean, 2))))
    return found


def write_pre_test(path: Path) -> None:
    """The quiz at the kick-off, before any session, as Moodle's gradebook export: the
    department says who mentors and who is mentored."""
    scores = _scores("pre-test", before=True)
    header = [
        "First name",
        "Last name",
        "ID number",
        "Institution",
        "Department",
        "Email address",
        "Quiz:Mentoring practice (Real)",
        "Last downloaded from this course",
    ]
    rows: list[list[object]] = [
        [
            person.first,
            person.last,
            f"{36347200 + person.index}",
            "",
            person.role,
            person.email,
            "-" if person.index == LATE_JOINER else f"{scores[person.index]:.2f}",
            "1736674800",
        ]
        for person in PEOPLE
    ]
    _write(path, header, rows)


def write_post_test(path: Path) -> None:
    """The same quiz on the closing day, as Moodle's assignment grading worksheet: one row
    per enrolled participant, with whether they submitted (the completion)."""
    scores = _scores("post-test", before=False)
    header = [
        "Identifier",
        "Full name",
        "Email address",
        "Status",
        "Grade",
        "Maximum Grade",
        "Grade can be changed",
        "Last modified (submission)",
        "Last modified (grade)",
        "Feedback comments",
    ]
    rows: list[list[object]] = []
    day = datetime(2026, 10, 9, 10)
    for person in PEOPLE:
        taken = day + timedelta(minutes=7 * person.index)
        when = f"{taken:%A, %B} {taken.day}, {taken:%Y, %I:%M %p}"
        done = person.index != MISSED_POST
        rows.append(
            [
                f"Participant {541900 + person.index}",
                f"{person.first} {person.last}",
                person.email,
                "Submitted for grading" if done else "No submission",
                f"{scores[person.index]:.2f}" if done else "",
                f"{MAX_POINTS:.2f}",
                "Yes",
                when if done else "-",
                "-",
                "",
            ]
        )
    _write(path, header, rows)


def write_follow_up(path: Path) -> None:
    """LimeSurvey responses ("code. text" headers, answer texts) three weeks after the end:
    applying, on the agreement scale and yes/no, then barriers and enablers ticked."""
    rng = _rng("follow-up")
    barriers = ("Lack of time", "No support from my manager", "No occasion to use it")
    enablers = ("Regular sessions", "My mentoring partner's help", "Team meetings")
    header = [
        "id. Response ID",
        "submitdate. Date submitted",
        "lastpage. Last page",
        "startlanguage. Start language",
        "seed. Seed",
        "email. Email address",
        "G1Q1. I use what I learned in the programme in my daily work",
        "G1Q2. I now work with people from other teams more often",
        "G1Q3. Have you passed on what you learned to a colleague?",
        *(f"G2Q1[SQ00{i}]. What makes it hard to apply? [{b}]" for i, b in enumerate(barriers, 1)),
        *(f"G2Q2[SQ00{i}]. What helps you apply it? [{e}]" for i, e in enumerate(enablers, 1)),
    ]
    rows: list[list[object]] = []
    day = datetime(2026, 11, 2, 9)
    for number, person in enumerate((p for p in PEOPLE if p.index not in NO_FOLLOW_UP), start=1):
        day += timedelta(hours=rng.randint(2, 10))
        mentee = person.role == "Mentee"
        use = rng.choices(range(5), (0, 1, 2, 6, 4) if mentee else (0, 2, 3, 5, 2))[0]
        network = rng.choices(range(5), (0, 1, 3, 5, 3))[0]
        passed = rng.random() < (0.6 if mentee else 0.8)
        ticked = [rng.random() < share for share in (0.5, 0.15, 0.25)]
        helped = [rng.random() < share for share in (0.7, 0.6, 0.3)]
        rows.append(
            [
                number,
                f"{day:%Y-%m-%d %H:%M:%S}",
                3,
                "en",
                rng.randint(10**8, 10**9),
                person.email,
                AGREEMENT[use],
                AGREEMENT[network],
                "Yes" if passed else "No",
                *("Y" if tick else "" for tick in ticked),
                *("Y" if tick else "" for tick in helped),
            ]
        )
    _write(path, header, rows)
