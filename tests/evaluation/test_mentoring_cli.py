"""`roicli init --template mentoring` then `roicli report`, through the console script: the chain
of impact from reaction to ROI, mentors and mentees side by side, in every output and both
languages, with every figure worked out here from the template's CSV files by hand."""

from __future__ import annotations

import csv
import json
import math
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROICLI = Path(sys.executable).parent / "roicli"
ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "160", "LANG": "C.UTF-8"}
AS_OF = "2026-11-15"
FOLDER = "sample_data/evaluations"
PARTICIPANTS = 24
MAX_POINTS = 20
PASS_MARK = 14  # 70 % of 20
T_975_21 = 2.079613845  # Student's t, 97.5th percentile, 21 degrees of freedom (tables)
TOP_TWO = {"Agree", "Strongly agree"}
COSTS = 800 + 3200 + 216 * 55 + 288 * 32 + 1400 + 24 * 40 + 700  # the template's cost lines
OUTPUTS = ("report.json", "report.md", "report.html", "report.xlsx", "report.csv")


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROICLI), *args],
        cwd=root,
        env=ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def init(root: Path) -> Path:
    done = cli(root.parent, "init", "--template", "mentoring", root.name)
    assert done.returncode == 0, done.stderr
    return root


def report(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli(root, "report", "-c", "configs/roicli.yaml", "--as-of", AS_OF, *extra)


def rows(root: Path, name: str) -> list[dict[str, str]]:
    with (root / FOLDER / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template written, and reported on in every format (English) and French."""
    root = init(tmp_path_factory.mktemp("mentoring") / "project")
    done = report(root, *(arg for name in OUTPUTS for arg in ("-o", f"out/{name}")))
    assert done.returncode == 0, done.stderr
    (root / "terminal.txt").write_text(done.stdout, encoding="utf-8")
    french = report(root, "--lang", "fr", "--no-history", "-o", "out/fr.md", "-o", "out/fr.xlsx")
    assert french.returncode == 0, french.stderr
    (root / "terminal-fr.txt").write_text(french.stdout, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def programme(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "out/report.json").read_text(encoding="utf-8"))
    return data["programs"][0]  # type: ignore[no-any-return]


def step(programme: dict[str, Any], level: str) -> dict[str, Any]:
    return next(s for s in programme["chain"] if s["level"] == level)


def figures(programme: dict[str, Any], level: str) -> dict[tuple[str, str | None], Any]:
    return {(f["name"], f["basis"]): f for f in step(programme, level)["figures"]}


# ── scores by hand ───────────────────────────────────────────────────────────────────────────


def pairs(root: Path, group: str | None = None) -> list[tuple[float, float]]:
    """(pre, post) per participant with both, by lower-cased e-mail; the role from the pre-test's
    Department column."""
    pre = {
        r["Email address"].lower(): (float(r["Quiz:Mentoring practice (Real)"]), r["Department"])
        for r in rows(root, "pre-test.csv")
        if r["Quiz:Mentoring practice (Real)"] != "-"
    }
    post = {
        r["Email address"].lower(): float(r["Grade"])
        for r in rows(root, "post-test.csv")
        if r["Grade"]
    }
    return [
        (pre[key][0], post[key])
        for key in post
        if key in pre and (group is None or pre[key][1] == group)
    ]


def test_level_0_participants_hours_and_cost_per_participant(programme: dict[str, Any]) -> None:
    found = figures(programme, "input")
    assert found[("participants", None)]["value"] == PARTICIPANTS
    assert found[("hours", None)]["value"] == 21
    # 28,156 EUR of fully loaded costs / 24 participants = 1,173.17 EUR
    assert COSTS == 28156
    assert found[("cost_per_participant", None)]["value"] == pytest.approx(1173.17)
    assert step(programme, "input")["n"] == PARTICIPANTS


def test_level_1_reaction_from_the_google_forms_csv(
    project: Path, programme: dict[str, Any]
) -> None:
    answers = rows(project, "reaction.csv")
    scale = [
        "The mentoring sessions were useful for my work",
        "My mentoring partner was well prepared",
    ]
    ticks = [row[column] in TOP_TWO for row in answers for column in scale]
    recommend = [
        int(row["How likely are you to recommend this programme to a colleague?"])
        for row in answers
    ]
    promoters = sum(score >= 9 for score in recommend)
    detractors = sum(score <= 6 for score in recommend)
    found = figures(programme, "reaction")
    assert step(programme, "reaction")["n"] == len(answers) == 22  # 2 of 24 did not answer
    assert found[("response_rate", None)]["value"] == pytest.approx(22 / 24)
    assert found[("favourable", None)]["value"] == pytest.approx(sum(ticks) / len(ticks))
    assert found[("nps", None)]["value"] == pytest.approx(
        (promoters - detractors) / len(recommend) * 100
    )
    # Then the level-1 KPI objective, as the report tracks it.
    objective = next(o for o in programme["objectives"] if o["id"] == "mentee-satisfaction")
    kpi = found[("kpi", None)]
    assert (kpi["label"], kpi["unit"]) == ("Course satisfaction (CSAT)", "points")
    assert (kpi["value"], kpi["status"]) == (objective["current"], objective["status"])
    assert step(programme, "reaction")["sources"] == ["reaction.csv", "mentee-satisfaction"]


def test_level_2_learning_paired_by_e_mail(project: Path, programme: dict[str, Any]) -> None:
    both = pairs(project)
    gains = [post - pre for pre, post in both]
    n = len(both)
    assert n == 22  # 24 enrolled, one joined after the pre-test, one missed the post-test
    mean = sum(gains) / n
    sd = math.sqrt(sum((g - mean) ** 2 for g in gains) / (n - 1))
    half = T_975_21 * sd / math.sqrt(n)
    pre_mean = sum(pre for pre, _ in both) / n
    post_mean = sum(post for _, post in both) / n
    found = figures(programme, "learning")
    gain = found[("gain", None)]
    assert gain["value"] == pytest.approx(mean)
    assert (gain["low"], gain["high"]) == (pytest.approx(mean - half), pytest.approx(mean + half))
    assert gain["confidence"] == 0.95
    assert found[("pass_rate", None)]["value"] == pytest.approx(
        sum(post >= PASS_MARK for _, post in both) / n
    )
    assert found[("normalised_gain", None)]["value"] == pytest.approx(
        (post_mean - pre_mean) / (MAX_POINTS - pre_mean)
    )
    submitted = [r for r in rows(project, "post-test.csv") if r["Status"].startswith("Submitted")]
    assert found[("completion_rate", None)]["value"] == pytest.approx(len(submitted) / 24)
    test = programme["evaluation"]["learning"][0]
    assert (test["paired"], test["unpaired_pre"], test["unpaired_post"]) == (22, 1, 1)
    assert test["d_z"] == pytest.approx(mean / sd)
    assert test["improved"] == pytest.approx(sum(g > 0 for g in gains) / n)


def test_mentors_and_mentees_side_by_side(project: Path, programme: dict[str, Any]) -> None:
    test = programme["evaluation"]["learning"][0]
    groups = {group["group"]: group for group in test["groups"]}
    assert set(groups) == {"Mentee", "Mentor"}
    gains = {}
    for name, group in groups.items():
        both = pairs(project, name)
        gains[name] = [post - pre for pre, post in both]
        assert group["paired"] == len(both) >= 5
        assert not group["suppressed"]
        assert group["mean_gain"] == pytest.approx(statistics.fmean(gains[name]))
    (difference,) = test["differences"]
    assert (difference["reference"], difference["group"]) == ("Mentee", "Mentor")
    assert difference["difference"] == pytest.approx(
        statistics.fmean(gains["Mentor"]) - statistics.fmean(gains["Mentee"])
    )
    reaction = programme["evaluation"]["surveys"][0]
    by_role: dict[str, int] = {}
    for row in rows(project, "reaction.csv"):
        by_role[row["Your role in the programme"]] = (
            by_role.get(row["Your role in the programme"], 0) + 1
        )
    assert {g["group"]: g["respondents"] for g in reaction["groups"]} == by_role


def test_level_3_application_from_the_limesurvey_follow_up(
    project: Path, programme: dict[str, Any]
) -> None:
    answers = rows(project, "follow-up.csv")
    scale = [
        "G1Q1. I use what I learned in the programme in my daily work",
        "G1Q2. I now work with people from other teams more often",
    ]
    applying = [row[column] in TOP_TWO for row in answers for column in scale]
    applying += [
        row["G1Q3. Have you passed on what you learned to a colleague?"] == "Yes" for row in answers
    ]
    found = figures(programme, "application")
    assert step(programme, "application")["n"] == len(answers) == 18
    assert step(programme, "application")["sources"] == ["follow-up.csv", "sessions-held"]
    assert found[("applying", None)]["value"] == pytest.approx(sum(applying) / len(applying))
    assert found[("response_rate", None)]["value"] == pytest.approx(18 / 24)
    survey = programme["evaluation"]["surveys"][1]
    barrier = next(q for q in survey["questions"] if q["label"] == "G2Q1[SQ001]")
    time = [row["G2Q1[SQ001]. What makes it hard to apply? [Lack of time]"] for row in answers]
    assert barrier["kind"] == "choice"
    assert barrier["answered"] == time.count("Y")


def test_impact_roi_and_intangibles_are_the_reports_own(programme: dict[str, Any]) -> None:
    impact = figures(programme, "impact")
    # Levels 1-3 objectives show in their own steps; impact counts the others.
    others = [
        o
        for o in programme["objectives"]
        if o["level"] not in ("reaction", "learning", "application")
    ]
    assert impact[("objectives_met", None)]["value"] == sum(
        o["status"] in ("achieved", "on_track") for o in others
    )
    assert impact[("objectives_met", None)]["of"] == len(others) == 2
    assert step(programme, "impact")["sources"] == [o["id"] for o in others]
    assert impact[("benefits", "to_date")]["value"] == programme["benefits"]
    roi = figures(programme, "roi")
    assert roi[("roi", "to_date")]["value"] == programme["roi_pct"]
    assert roi[("roi", "to_date")]["low"] == programme["range"]["roi_pct"]["low"]
    assert roi[("roi", "first_year")]["value"] == programme["first_year"]["roi_pct"]
    assert roi[("bcr", "to_date")]["value"] == programme["bcr"]
    assert step(programme, "intangibles")["sources"] == programme["intangibles"]
    assert [s["level"] for s in programme["chain"]] == [
        *("input", "reaction", "learning", "application", "impact", "roi", "intangibles")
    ]


def test_the_plan_checks_join_phillips_rules(programme: dict[str, Any]) -> None:
    # The follow-up measures application with no measure of it before the training.
    checks = [rule["check"] for rule in programme["rules"]]
    assert checks == ["phillips.all", "evaluation.no_before"]


def test_the_audit_and_the_history_hold_each_files_sha256(project: Path) -> None:
    import hashlib
    import sqlite3

    data = json.loads((project / "out/report.json").read_text(encoding="utf-8"))
    audit = {Path(item["path"]).name: item["sha256"] for item in data["audit"]["evaluations"]}
    names = ("reaction.csv", "pre-test.csv", "post-test.csv", "follow-up.csv")
    expected = {
        name: hashlib.sha256((project / FOLDER / name).read_bytes()).hexdigest() for name in names
    }
    assert audit == expected
    with sqlite3.connect(project / "configs/.roicli/history.sqlite") as history:
        recorded = dict(history.execute("SELECT path, sha256 FROM inputs").fetchall())
    assert {f"../{FOLDER}/{name}": digest for name, digest in expected.items()}.items() <= (
        recorded.items()
    )


# ── every output shows the chain ─────────────────────────────────────────────────────────────


def test_the_terminal_shows_the_chain_right_after_the_verdict(project: Path) -> None:
    text = (project / "terminal.txt").read_text(encoding="utf-8")
    verdict = text.index("Does the training pay?")
    chain = text.index("Chain of impact")
    assert verdict < chain < text.index("Costs (fully loaded)")
    for label in (
        "Level 1 – Reaction",
        "Level 2 – Learning",
        "Level 3 – Application",
        "Level 5 – ROI",
    ):
        assert label in text
    assert "n = 22 · reaction.csv" in text
    assert "Mentee" in text
    assert "Mentor" in text
    french = (project / "terminal-fr.txt").read_text(encoding="utf-8")
    assert french.index("La formation est-elle rentable") < french.index("Chaîne d'impact")
    assert "Niveau 1 – Réaction" in french


def test_the_markdown_and_the_french_markdown_show_the_chain(
    project: Path, programme: dict[str, Any]
) -> None:
    english = (project / "out/report.md").read_text(encoding="utf-8")
    rate = figures(programme, "reaction")[("response_rate", None)]["value"]
    assert f"response rate {rate * 100:.1f}%" in english  # 22 / 24 = 91.7 %
    assert "| Level 3 – Application and behaviour |" in english
    french = (project / "out/fr.md").read_text(encoding="utf-8")
    assert "## Chaîne d'impact" in french
    assert f"taux de réponse {rate * 100:.1f} %".replace(".", ",") in french.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert "| Niveau 2 – Apprentissage |" in french
    assert "aucune donnée" not in french  # every level has evidence in the template


def test_the_workbook_has_an_evaluation_sheet(project: Path, programme: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(project / "out/report.xlsx")
    assert book.sheetnames[:3] == ["Summary", "Since last report", "Evaluation"]
    sheet = book["Evaluation"]
    cells = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["Level 2 – Learning"][2] == "n = 22 · pre-test.csv, post-test.csv"
    gain = figures(programme, "learning")[("gain", None)]["value"]
    assert f"mean gain {gain:.2f} points" in cells["Level 2 – Learning"][1]
    groups = [row for row in sheet.iter_rows(values_only=True) if row[0] in ("Mentee", "Mentor")]
    test = programme["evaluation"]["learning"][0]
    by_group = {group["group"]: group for group in test["groups"]}
    assert {row[0]: row[1] for row in groups} == {g: by_group[g]["paired"] for g in by_group}
    french = openpyxl.load_workbook(project / "out/fr.xlsx")
    assert french.sheetnames[1] == "Évaluation"  # no history sheet before it
    levels = [row[0] for row in french["Évaluation"].iter_rows(values_only=True)]
    assert "Niveau 1 – Réaction" in levels
    assert "Niveau 3 – Application et comportement" in levels


def test_the_html_report_has_the_chain_after_the_verdict(project: Path) -> None:
    page = (project / "out/report.html").read_text(encoding="utf-8")
    assert page.index('id="verdict"') < page.index('id="chain"') < page.index('class="programme"')
    assert "Level 3 – Application and behaviour" in page


# ── privacy ──────────────────────────────────────────────────────────────────────────────────


def personal(root: Path) -> set[str]:
    """Every name, e-mail and free-text remark in the template's evaluation files."""
    found: set[str] = set()
    for row in rows(root, "pre-test.csv"):
        found |= {row["Email address"], f"{row['First name']} {row['Last name']}"}
    for row in rows(root, "post-test.csv"):
        found |= {row["Email address"], row["Full name"]}
    for row in rows(root, "reaction.csv"):
        found |= {row["Email Address"], row["What would you change?"]}
    found |= {row["email. Email address"] for row in rows(root, "follow-up.csv")}
    return {text.casefold() for text in found if text}


def written(root: Path) -> dict[str, str]:
    """Every file a report run wrote, as text: the workbooks' XML parts, the history's rows."""
    import sqlite3

    texts = {}
    for path in (root / "out").iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts[path.name] = "".join(
                    archive.read(name).decode("utf-8") for name in archive.namelist()
                )
        else:
            texts[path.name] = path.read_text(encoding="utf-8-sig")
    for name in ("terminal.txt", "terminal-fr.txt"):
        texts[name] = (root / name).read_text(encoding="utf-8")
    history = root / "configs/.roicli/history.sqlite"
    texts["history"] = history.read_bytes().decode("utf-8", "replace")
    with sqlite3.connect(history) as connection:
        texts["history rows"] = repr(connection.execute("SELECT * FROM runs").fetchall())
    return texts


def test_no_name_or_e_mail_in_any_output(project: Path) -> None:
    secrets = personal(project)
    assert len(secrets) >= 24 * 2  # every e-mail and full name, and the remarks
    assert "camille.martin@example.com" in secrets
    texts = written(project)
    assert set(texts) >= {*OUTPUTS, "fr.md", "fr.xlsx", "history"}
    for name, text in texts.items():
        folded = text.casefold()
        leaks = sorted(secret for secret in secrets if secret in folded)
        assert leaks == [], name


def test_free_text_is_counted_never_shown(programme: dict[str, Any]) -> None:
    reaction = programme["evaluation"]["surveys"][0]
    remark = next(q for q in reaction["questions"] if q["label"] == "What would you change?")
    assert remark["kind"] == "text"
    assert remark["distribution"] == {}
    assert remark["answered"] == 16


def test_two_runs_give_the_same_json_bytes(project: Path) -> None:
    # Each run draws its own pseudonymisation key: none of it reaches the report.
    first, second = (report(project, "--no-history", "--format", "json").stdout for _ in range(2))
    assert first == second
    assert '"evaluation": {' in first


def test_the_yes_or_ticked_column_holds_only_yes_no_and_ticked_answers(project: Path) -> None:
    """A scale's share in its top two points has its own column; a barrier ticked by 6 of 18
    is not "applying": the column says what it counts, and only for answers it fits."""
    english = (project / "out/report.md").read_text(encoding="utf-8")
    header = next(line for line in english.splitlines() if "| Top-2-box |" in line)
    cells = [cell.strip() for cell in header.strip("|").split("|")]
    column = cells.index("Yes or ticked")
    follow_up = rows(project, "follow-up.csv")
    said = [row["G1Q3. Have you passed on what you learned to a colleague?"] for row in follow_up]
    time = [row["G2Q1[SQ001]. What makes it hard to apply? [Lack of time]"] for row in follow_up]

    def row_of(start: str) -> list[str]:
        line = next(line for line in english.splitlines() if line.startswith(f"| {start}"))
        return [cell.strip() for cell in line.strip("|").split("|")]

    assert row_of("G1Q1 — I use what I learned")[column] == "n/a"  # a scale: see top-2-box
    assert row_of("G1Q3 — Have you passed on")[column] == f"{said.count('Yes') / len(said):.1%}"
    assert row_of("G2Q1\\[SQ001\\]")[column] == f"{time.count('Y') / len(time):.1%}"  # 6 of 18
