"""Translatable messages: English text as the str, French on demand, catalogue consistent."""

from __future__ import annotations

import string
from datetime import date

import pytest

from roicli.enums import Lang, Period
from roicli.i18n import fmt_share
from roicli.messages import CATALOGUE, Msg, localize


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_use_the_same_placeholders(key: str) -> None:
    english, french = CATALOGUE[key]
    assert _fields(english) == _fields(french)
    assert english.strip()
    assert french.strip()


def test_a_message_is_its_english_text() -> None:
    message = Msg("time_bound.horizon", months=24)
    assert message == "the deadline is more than 24 months after the start"
    assert isinstance(message, str)
    assert message.text(Lang.FR) == "l'échéance est à plus de 24 mois du début"


def test_french_numbers_words_and_quotes() -> None:
    message = Msg("achievable.best_run", per_period=1234.56, period=Period.MONTH, best=98.04)
    assert message == (
        "needs +1,234.6 every month, more than the best gain ever observed in one month (+98.0)"
    )
    assert message.text(Lang.FR) == (
        "il faut +1\u202f234,6 chaque mois, plus que le meilleur gain jamais observé en un "
        "mois (+98,0)"
    )
    share = Msg("status.at_risk", share=0.71)
    # Babel's French percent, the same as every other percentage in the reports (one formatter)
    assert share.text(Lang.FR) == "la tendance atteint 71\u00a0% de la cible"
    assert share.text(Lang.FR).endswith(fmt_share(0.71, Lang.FR).replace(",0", "") + " de la cible")
    hint = Msg("hint.did_you_mean", word="leads")
    unknown = Msg("specific.kpi", kpi="lead", hint=hint)
    assert unknown == "KPI 'lead' is not defined in kpis (did you mean 'leads'?)"
    assert unknown.text(Lang.FR) == (
        "le KPI « lead » n'est pas défini dans kpis (vouliez-vous dire « leads » ?)"
    )


def test_combined_messages_translate_part_by_part() -> None:
    both = Msg.combine([Msg("specific.owner"), Msg("specific.no_action")])
    assert both == "no owner and no group; the title has no action verb"
    french = "ni responsable ni groupe\u202f; le titre n'a pas de verbe d'action"
    assert both.text(Lang.FR) == french


def test_localize_leaves_plain_text_alone() -> None:
    assert localize("Mentor workshops", Lang.FR) == "Mentor workshops"
    assert localize(None, Lang.FR) is None
    assert localize(Msg("time_bound.past", deadline=date(2026, 7, 31)), Lang.FR) == (
        "l'échéance 2026-07-31 est passée et aucune donnée ne l'atteint"
    )
