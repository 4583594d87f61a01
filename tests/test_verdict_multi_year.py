"""The first lines say whether a programme pays, also over several years (opt-in, labelled)
and before launch (its forecast); the run summary never says "ROI n/a, net €0.00" for a
programme that is not measured. Every figure worked by hand, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.test_payback_annualise import CALL_CENTRE, CALLS
from typer.testing import CliRunner

from roicli.cli import app
from roicli.config import MultiYear
from roicli.enums import Lang, Outlook, RoiBase
from roicli.multiyear import multi_year_figures
from roicli.render.view import multi_year_part

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]

PRO_FORMA = "Sales academy three-year pro forma"
PRO_FORMA_EN = (
    "Sales academy three-year pro forma: projected, not measured — pays over 3 years on stated "
    "benefits: multi-year ROI 701.6% on the initial investment, discounted at 15.0% (NPV "
    "€601,569.82), opt-in, not Phillips' first-year rule"
)
PRO_FORMA_FR = (
    "Sales academy three-year pro forma : projeté, non mesuré — rentable sur 3 ans selon les "
    "bénéfices annoncés : ROI pluriannuel 701,6\u00a0% sur l'investissement initial, actualisé "
    "à 15,0\u00a0% (VAN 601\u202f569,82\u00a0€), sur option, hors règle de première année de "
    "Phillips"
)


def report(
    config: Path, as_of: str, lang: str, tmp_path: Path, name: str = "out.md"
) -> tuple[list[str], str]:
    """The Markdown report's lines and the stderr summary line, from the real CLI."""
    out = tmp_path / name
    args = ["-c", str(config), "--as-of", as_of, "--no-history", "--lang", lang]
    result = runner.invoke(app, ["report", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8").splitlines(), result.stderr.strip()


def bullet(lines: list[str], start: str) -> str:
    """The Markdown bullet (verdict line) about a programme, without its "- "."""
    found = [line[2:] for line in lines if line.startswith(f"- {start}")]
    assert len(found) == 1, lines[:20]
    return found[0]


# --- the published pro forma: nothing measured, benefits as stated ---------------------------


def test_pro_forma_verdict_states_the_multi_year_figure(tmp_path: Path) -> None:
    # PVB = 300,000/1.15 + 500,000/1.15² + 500,000/1.15³ = 967,699.52; PV of the deployment
    # costs 266,129.70; ROI on the initial investment (967,699.52 − 266,129.70) / 100,000
    # = 701.6 %; NPV = 967,699.52 − (100,000 + 266,129.70) = 601,569.82 ≥ 0: it pays.
    config = REPO / "configs" / "multi_year.yaml"
    lines, summary = report(config, "2026-10-31", "en", tmp_path)
    assert bullet(lines, PRO_FORMA) == PRO_FORMA_EN
    assert summary == (
        "roicli: as of 2026-10-31: 1 programme, 0 objectives, 0 off track or missed; ROI not "
        "measured yet; multi-year (opt-in) ROI 701.6% on the initial investment over 3 years "
        "at 15.0% on stated benefits, NPV €601,569.82; wrote 1 file"
    )
    assert (
        f"As of 31 Oct 2026: {PRO_FORMA} is projected, not measured: it pays over 3 years"
        in "\n".join(lines)
    )
    lines, summary = report(config, "2026-10-31", "fr", tmp_path)
    assert bullet(lines, PRO_FORMA) == PRO_FORMA_FR
    assert summary == (
        "roicli : au 2026-10-31 : 1 programme, 0 objectif, 0 hors trajectoire ou manqués ; ROI "
        "pas encore mesuré ; ROI pluriannuel (sur option) 701,6\u00a0% sur l'investissement "
        "initial sur 3 ans à 15,0\u00a0% selon les bénéfices annoncés, VAN "
        "601\u202f569,82\u00a0€ ; 1 fichier écrit"
    )


def test_the_terminal_opens_with_it_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(
        app,
        ["report", "-c", "configs/multi_year.yaml", "--as-of", "2026-10-31", "--no-history"],
        env={"COLUMNS": "400", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert PRO_FORMA_EN in result.stdout.splitlines()[2]  # the verdict box's first line
    assert "ROI n/a, net €0.00" not in result.stderr


# --- measured, with a multi-year figure from persistence ---------------------------------------

PERSISTENT = CALL_CENTRE.replace(
    "    participants: 20\n",
    "    participants: 20\n"
    "    multi_year: {years: 2, discount_rate: 10%, persistence: [100%, 50%]}\n",
)


def call_centre(tmp_path: Path, text: str = PERSISTENT) -> Path:
    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    config = tmp_path / "roicli.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def test_measured_verdict_first_then_the_multi_year_figure(tmp_path: Path) -> None:
    # The call-centre course of test_payback_annualise: 780 to date against 6,400 (ROI
    # −87.8 %), 9,360 over the first year (46.3 %), paid back in 6,400 / 780 = 8.2 months.
    # Multi-year, 2 years at 10 %, persistence 100 %, 50 %: benefits 9,360 and 4,680; both
    # costs have no year, so 6,400 is the initial investment and later years cost nothing.
    # PVB = 9,360 / 1.1 + 4,680 / 1.21 = 8,509.0909 + 3,867.7686 = 12,376.8595
    # NPV = 12,376.8595 − 6,400 = 5,976.86; ROI on total costs 5,976.8595 / 6,400 = 93.4 %
    config = call_centre(tmp_path)
    lines, summary = report(config, "2026-05-10", "en", tmp_path)
    assert bullet(lines, "First-call") == (
        "First-call resolution course: not yet paying back — ROI -87.8% to date, pays back in "
        "8.2 months, first year 46.3%, data to 30 Apr 2026; pays over 2 years on measured "
        "first-year benefits × persistence: multi-year ROI 93.4% on total costs, discounted at "
        "10.0% (NPV €5,976.86), opt-in, not Phillips' first-year rule"
    )
    # 780 − 6,400 = −5,620 to date, the measured figures first
    assert summary == (
        "roicli: as of 2026-05-10: 1 programme, 1 objective, 0 off track or missed; ROI -87.8%, "
        "net -€5,620.00; multi-year (opt-in) ROI 93.4% on total costs over 2 years at 10.0% on "
        "measured first-year benefits × persistence, NPV €5,976.86; wrote 1 file"
    )
    lines, _ = report(config, "2026-05-10", "fr", tmp_path)
    assert bullet(lines, "First-call") == (
        "First-call resolution course : pas encore rentable — ROI -87,8\u00a0% à date, "
        "rentabilisé en 8,2 mois, première année 46,3\u00a0%, données jusqu'au 30 avr. 2026 ; "
        "rentable sur 2 ans selon les bénéfices mesurés de la première année × persistance : "
        "ROI pluriannuel 93,4\u00a0% sur les coûts totaux, actualisé à 10,0\u00a0% (VAN "
        "5\u202f976,86\u00a0€), sur option, hors règle de première année de Phillips"
    )


def test_a_pending_programme_is_not_measured_yet_never_n_a(tmp_path: Path) -> None:
    # Started 2 March, the KPI lags a month: nothing is measurable on 20 March; persistence
    # has no first year to carry, so there is no multi-year figure either.
    config = call_centre(tmp_path)
    lines, summary = report(config, "2026-03-20", "en", tmp_path)
    assert bullet(lines, "First-call") == (
        "First-call resolution course: too early to tell — measurable from 2 Apr 2026"
    )
    assert summary == (
        "roicli: as of 2026-03-20: 1 programme, 1 objective, 0 off track or missed; ROI not "
        "measured yet; wrote 1 file"
    )
    _, summary = report(config, "2026-03-20", "fr", tmp_path)
    assert "manqués ; ROI pas encore mesuré ; 1 fichier écrit" in summary


def test_multi_year_figures_are_not_added_up_across_programmes(tmp_path: Path) -> None:
    pro_forma = (REPO / "configs" / "multi_year.yaml").read_text(encoding="utf-8")
    programme = pro_forma[pro_forma.index("  - name: Sales academy") :]
    config = call_centre(tmp_path, PERSISTENT + programme)
    lines, summary = report(config, "2026-05-10", "en", tmp_path)
    text = "\n".join(lines)
    # The measured programme alone makes the portfolio's ROI: 780 − 6,400 = −5,620
    assert summary == (
        "roicli: as of 2026-05-10: 2 programmes, 1 objective, 0 off track or missed; ROI -87.8%, "
        "net -€5,620.00; multi-year figures (opt-in) for 2 programmes, not added up; wrote 1 "
        "file"
    )
    assert (
        "Multi-year figures (opt-in) are not added up across programmes: see First-call "
        "resolution course, Sales academy three-year pro forma"
    ) in text
    assert bullet(lines, PRO_FORMA) == PRO_FORMA_EN
    lines, summary = report(config, "2026-05-10", "fr", tmp_path)
    assert "chiffres pluriannuels (sur option) pour 2 programmes, non additionnés" in summary
    assert (
        "Les chiffres pluriannuels (sur option) ne s'additionnent pas d'un programme à "
        "l'autre : voir First-call resolution course, Sales academy three-year pro forma"
    ) in "\n".join(lines)


# --- whether it pays is the NPV's sign, not the ROI's ------------------------------------------


def test_a_high_roi_on_the_initial_investment_that_does_not_pay() -> None:
    # Stated benefits 5,000 a year for 2 years, an initial 10,000, at 10 %:
    # PVB = 5,000 / 1.1 + 5,000 / 1.21 = 4,545.4545 + 4,132.2314 = 8,677.6860
    # ROI on the initial investment = (8,677.6860 − 0) / 10,000 = 86.8 % of it back, yet
    # NPV = 8,677.6860 − 10,000 = −1,322.31: it does not pay.
    horizon = MultiYear(
        years=2,
        discount_rate=0.10,
        benefits_by_year=(5000.0, 5000.0),
        roi_on=RoiBase.INITIAL_INVESTMENT,
    )
    found = multi_year_figures(horizon, [5000.0, 5000.0], [10000.0, 0.0, 0.0])
    assert found.npv == pytest.approx(-1322.3140, abs=1e-4)
    assert multi_year_part(found, "EUR", Lang.EN) == (
        "does not pay over 2 years on stated benefits: multi-year ROI 86.8% on the initial "
        "investment, discounted at 10.0% (NPV -€1,322.31), opt-in, not Phillips' first-year "
        "rule"
    )
    assert multi_year_part(found, "EUR", Lang.FR) == (
        "non rentable sur 2 ans selon les bénéfices annoncés : ROI pluriannuel 86,8\u00a0% sur "
        "l'investissement initial, actualisé à 10,0\u00a0% (VAN -1\u202f322,31\u00a0€), sur "
        "option, hors règle de première année de Phillips"
    )
    assert multi_year_part(None, "EUR", Lang.EN) is None


money = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@given(
    benefits=st.lists(money, min_size=3, max_size=3),
    costs=st.lists(money, min_size=4, max_size=4),
    rate=st.floats(min_value=0, max_value=0.5),
)
# A cost of 1e-300: the ROI overflows a double and is n/a, the verdict still says it pays.
@example(benefits=[0.0, 0.0, 1_797_694.0], costs=[0.0, 0.0, 0.0, 1e-300], rate=0.0)
def test_whether_it_pays_does_not_depend_on_the_roi_base(
    benefits: list[float], costs: list[float], rate: float
) -> None:
    # The base only changes the ROI shown; paying is PVB ≥ PVC on either base.
    said = set()
    for base in RoiBase:
        horizon = MultiYear(
            years=3, discount_rate=rate, benefits_by_year=tuple(benefits), roi_on=base
        )
        found = multi_year_figures(horizon, benefits, costs)
        text = multi_year_part(found, "EUR", Lang.EN)
        assert text is not None
        said.add(text.startswith("pays over"))
        assert text.startswith("pays over") == (found.pv_benefits >= found.pv_costs)
    assert len(said) == 1


# --- a pending programme shows what was expected before launch ---------------------------------


def test_the_pending_verdict_carries_the_forecast() -> None:
    # The bundled example's micro-learning (worked in test_forecast): forecast benefits 9,072
    # against costs 7,320: ROI 1,752 / 7,320 = 23.9 %, payback 7,320 / (9,072 / 12) = 7,320 /
    # 756 = 9.7 months; measurable from 1 Nov 2026, so on 31 Oct it is too early to tell.
    from datetime import date

    from roicli.analysis import analyse
    from roicli.project import load_project
    from roicli.render.view import verdict_lines

    analysis = analyse(load_project(REPO / "configs" / "roicli.yaml"), as_of=date(2026, 10, 31))
    assert analysis.verdicts[1].outlook is Outlook.TOO_EARLY
    assert verdict_lines(analysis, Lang.EN)[1] == (
        "Consultative selling micro-learning: too early to tell — measurable from 1 Nov 2026; "
        "forecast, before launch: ROI 23.9%, payback 9.7 months"
    )
    assert verdict_lines(analysis, Lang.FR)[1] == (
        "Consultative selling micro-learning : trop tôt pour conclure — mesurable à partir du "
        "1er nov. 2026 ; prévision, avant le lancement : ROI 23,9\u00a0%, retour en 9,7 mois"
    )


def test_a_pending_programme_with_a_forecast_and_stated_years(tmp_path: Path) -> None:
    # The call-centre course before anything is measurable (20 March), with forecast: target
    # (−15 % of 1,200 = 180 fewer calls a month) and benefits stated for 2 years at 10 %.
    # Forecast: 180 × 6.50 × 0.75 × 0.8 = 702 a month, × 12 = 8,424 against 6,400:
    #   ROI (8,424 − 6,400) / 6,400 = 31.6 %, payback 6,400 / 702 = 9.1 months.
    # Multi-year: PVB = 8,000 / 1.1 + 8,000 / 1.21 = 7,272.7273 + 6,611.5702 = 13,884.2975;
    #   NPV = 13,884.2975 − 6,400 = 7,484.30; ROI on total costs 7,484.2975 / 6,400 = 116.9 %
    text = CALL_CENTRE.replace(
        "    participants: 20\n",
        "    participants: 20\n"
        "    multi_year: {years: 2, discount_rate: 10%, benefits_by_year: [8000, 8000]}\n",
    ).replace("        annualise: true\n", "        annualise: true\n        forecast: target\n")
    config = call_centre(tmp_path, text)
    lines, summary = report(config, "2026-03-20", "en", tmp_path)
    assert bullet(lines, "First-call") == (
        "First-call resolution course: too early to tell — measurable from 2 Apr 2026; "
        "forecast, before launch: ROI 31.6%, payback 9.1 months; pays over 2 years on stated "
        "benefits: multi-year ROI 116.9% on total costs, discounted at 10.0% (NPV €7,484.30), "
        "opt-in, not Phillips' first-year rule"
    )
    assert summary == (
        "roicli: as of 2026-03-20: 1 programme, 1 objective, 0 off track or missed; ROI not "
        "measured yet; multi-year (opt-in) ROI 116.9% on total costs over 2 years at 10.0% on "
        "stated benefits, NPV €7,484.30; wrote 1 file"
    )
    lines, _ = report(config, "2026-03-20", "fr", tmp_path)
    assert bullet(lines, "First-call") == (
        "First-call resolution course : trop tôt pour conclure — mesurable à partir du 2 avr. "
        "2026 ; prévision, avant le lancement : ROI 31,6\u00a0%, retour en 9,1 mois ; rentable "
        "sur 2 ans selon les bénéfices annoncés : ROI pluriannuel 116,9\u00a0% sur les coûts "
        "totaux, actualisé à 10,0\u00a0% (VAN 7\u202f484,30\u00a0€), sur option, hors règle de "
        "première année de Phillips"
    )


def test_the_html_page_and_the_workbook_open_with_it(tmp_path: Path) -> None:
    import html

    from openpyxl import load_workbook

    page, book = tmp_path / "report.html", tmp_path / "report.xlsx"
    config = str(REPO / "configs" / "multi_year.yaml")
    args = ["report", "-c", config, "--as-of", "2026-10-31", "--no-history"]
    result = runner.invoke(app, [*args, "-o", str(page), "-o", str(book)])
    assert result.exit_code == 0, result.output
    assert f'class="outlook outlook-projected">{html.escape(PRO_FORMA_EN)}</li>' in (
        page.read_text(encoding="utf-8")
    )
    summary = load_workbook(book).worksheets[0]
    assert PRO_FORMA_EN in [row[0] for row in summary.iter_rows(values_only=True)]
