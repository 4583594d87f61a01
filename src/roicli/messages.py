"""Translatable messages of the analysis: SMART reasons and fixes, rules, statuses, notes.

A `Msg` is a `str` holding its English text, so the JSON contract, the terminal and every
comparison see plain English; it also keeps its key and parameters, so a report writer can
render it in another language with `localize`. No heavy import here: the JSON path uses it too.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from roicli.enums import Lang

# key: (English, French). Numbers keep their format spec; French swaps the separators.
CATALOGUE: dict[str, tuple[str, str]] = {
    # SMART: specific
    "specific.kpi": (
        "KPI {kpi!r} is not defined in kpis{hint}",
        "le KPI {kpi!r} n'est pas défini dans kpis{hint}",
    ),
    "specific.kpi.fix": (
        "define it under kpis: or fix the objective's kpi",
        "définissez-le sous kpis: ou corrigez le kpi de l'objectif",
    ),
    "hint.did_you_mean": (" (did you mean {word!r}?)", " (vouliez-vous dire {word!r} ?)"),
    "specific.subject": (
        "the title does not name the KPI's subject",
        "le titre ne nomme pas ce que mesure le KPI",
    ),
    "specific.subject.fix": (
        "say what moves, e.g. mention {label!r}",
        "dites ce qui doit bouger, par exemple en citant {label!r}",
    ),
    "specific.vague": (
        "the title has only a vague verb ({verbs})",
        "le titre n'a qu'un verbe vague ({verbs})",
    ),
    "specific.no_action": ("the title has no action verb", "le titre n'a pas de verbe d'action"),
    "specific.action.fix": (
        "name the action and the change, e.g. 'Increase X by 20% by applying …'",
        "nommez l'action et le changement, par ex. « Augmenter X de 20 % en appliquant … »",
    ),
    "specific.owner": ("no owner and no group", "ni responsable ni groupe"),
    "specific.owner.fix": (
        "add owner: (who answers for it) or group: (whose KPI it is)",
        "ajoutez owner: (qui en répond) ou group: (l'équipe concernée)",
    ),
    # SMART: measurable
    "measurable.estimates": (
        "no estimate row has a confidence",
        "aucune estimation n'a de niveau de confiance",
    ),
    "measurable.estimates.fix": (
        "ask each participant for a confidence (0-100%) with each estimate",
        "demandez à chaque participant un niveau de confiance (0-100 %) pour chaque estimation",
    ),
    "measurable.kpi": (
        "the KPI is not defined, so it has no data",
        "le KPI n'est pas défini, il n'a donc pas de données",
    ),
    "measurable.data": (
        "no data for {kpi} in the sources",
        "aucune donnée pour {kpi} dans les sources",
    ),
    "measurable.data.group": (
        "no data for {kpi} for group {group!r} in the sources",
        "aucune donnée pour {kpi} pour le groupe {group!r} dans les sources",
    ),
    "measurable.data.fix": (
        "add a source that holds this KPI, or check its name, label and aliases",
        "ajoutez une source qui contient ce KPI, ou vérifiez son nom, son libellé et ses alias",
    ),
    "measurable.baseline": (
        "the baseline does not resolve to a number",
        "la valeur de référence ne donne pas de nombre",
    ),
    "measurable.baseline.fix": (
        "give baseline: {{value: X}}, or add data for the baseline periods",
        "indiquez baseline: {{value: X}}, ou ajoutez des données pour la période de référence",
    ),
    "measurable.target": ("no target", "pas de cible"),
    "measurable.target.fix": (
        'add target: {{value: X}} or target: {{change: "+20%"}}',
        'ajoutez target: {{value: X}} ou target: {{change: "+20%"}}',
    ),
    "measurable.direction.up": (
        "the target {target:,.2f} is not above the baseline {baseline:,.2f} for a KPI that "
        "should increase",
        "la cible {target:,.2f} n'est pas au-dessus de la référence {baseline:,.2f} pour un KPI "
        "qui doit augmenter",
    ),
    "measurable.direction.down": (
        "the target {target:,.2f} is not below the baseline {baseline:,.2f} for a KPI that "
        "should decrease",
        "la cible {target:,.2f} n'est pas en dessous de la référence {baseline:,.2f} pour un KPI "
        "qui doit diminuer",
    ),
    "measurable.direction.up.fix": (
        "set a target above the baseline, or fix the KPI's direction",
        "fixez une cible au-dessus de la référence, ou corrigez le sens du KPI",
    ),
    "measurable.direction.down.fix": (
        "set a target below the baseline, or fix the KPI's direction",
        "fixez une cible en dessous de la référence, ou corrigez le sens du KPI",
    ),
    # SMART: achievable
    "achievable.history": (
        "only {count} historical period-to-period changes: too few to judge",
        "seulement {count} variations historiques d'une période à l'autre : trop peu pour juger",
    ),
    "achievable.history.fix": (
        "add at least 6 pre-programme periods of data",
        "ajoutez au moins 6 périodes de données antérieures au programme",
    ),
    "achievable.band": (
        "needs {per_period:+,.1f} per {period} for {horizon} periods, beyond any plausible change "
        "(history: {drift:+,.1f} ± {volatility:,.1f} per {period})",
        "il faut {per_period:+,.1f} par {period} pendant {horizon} périodes, au-delà de toute "
        "variation plausible (historique : {drift:+,.1f} ± {volatility:,.1f} par {period})",
    ),
    "achievable.band.fix": (
        "lower the target or move the deadline",
        "baissez la cible ou repoussez l'échéance",
    ),
    "achievable.best_run": (
        "needs {per_period:+,.1f} every {period}, more than the best gain ever observed in one "
        "{period} ({best:+,.1f})",
        "il faut {per_period:+,.1f} chaque {period}, plus que le meilleur gain jamais observé en "
        "un {period} ({best:+,.1f})",
    ),
    "achievable.best_run.fix": (
        "check the target with the team, or allow more time",
        "validez la cible avec l'équipe, ou laissez plus de temps",
    ),
    # SMART: relevant
    "relevant.no_goal": ("not linked to a business goal", "lié à aucun objectif métier"),
    "relevant.no_goal.fix": (
        "add business_goal: one of {goals}",
        "ajoutez business_goal: l'un de {goals}",
    ),
    "relevant.unknown_goal": (
        "business goal {goal!r} is not in business_goals{hint}",
        "l'objectif métier {goal!r} n'est pas dans business_goals{hint}",
    ),
    "relevant.unknown_goal.fix": (
        "use one of business_goals, or add it there",
        "utilisez l'un des business_goals, ou ajoutez-le à la liste",
    ),
    "relevant.reaction_money": (
        "a reaction-level KPI carries money: satisfaction is not a business result",
        "un KPI de niveau réaction porte une valeur monétaire : la satisfaction n'est pas un "
        "résultat métier",
    ),
    "relevant.reaction_money.fix": (
        "remove value_per_unit, or tie the objective to an impact KPI",
        "retirez value_per_unit, ou rattachez l'objectif à un KPI d'impact",
    ),
    # SMART: time-bound
    "time_bound.deadline": ("no deadline", "pas d'échéance"),
    "time_bound.deadline.fix": ("add deadline: YYYY-MM-DD", "ajoutez deadline: AAAA-MM-JJ"),
    "time_bound.after_start": (
        "the deadline {deadline} is not after the programme start {start}",
        "l'échéance {deadline} n'est pas postérieure au début du programme {start}",
    ),
    "time_bound.after_start.fix": (
        "set a deadline after the start",
        "fixez une échéance après le début",
    ),
    "time_bound.after_baseline": (
        "the deadline {deadline} is not after the baseline periods",
        "l'échéance {deadline} n'est pas postérieure à la période de référence",
    ),
    "time_bound.after_baseline.fix": (
        "set a deadline after the baseline",
        "fixez une échéance après la période de référence",
    ),
    "time_bound.horizon": (
        "the deadline is more than {months} months after the start",
        "l'échéance est à plus de {months} mois du début",
    ),
    "time_bound.horizon.fix": (
        "set an intermediate milestone within the horizon",
        "fixez un jalon intermédiaire dans cet horizon",
    ),
    "time_bound.past": (
        "the deadline {deadline} has passed and no data reaches it",
        "l'échéance {deadline} est passée et aucune donnée ne l'atteint",
    ),
    "time_bound.past.fix": (
        "add the latest export, or set a new deadline",
        "ajoutez le dernier export, ou fixez une nouvelle échéance",
    ),
    # SMART: pass reasons
    "pass.specific": (
        "a defined KPI, an action on its subject, an owner or group",
        "un KPI défini, une action sur son objet, un responsable ou un groupe",
    ),
    "pass.measurable": (
        "data, a baseline and a target in the KPI's good direction",
        "des données, une référence et une cible dans le bon sens du KPI",
    ),
    "pass.achievable": (
        "the required change is within the KPI's history",
        "le changement demandé reste dans l'historique du KPI",
    ),
    "pass.relevant": ("linked to a listed business goal", "lié à un objectif métier déclaré"),
    "pass.time_bound": (
        "a deadline after the start, within the horizon",
        "une échéance après le début, dans l'horizon",
    ),
    "pass.estimates.specific": (
        "an action and an owner or group",
        "une action et un responsable ou un groupe",
    ),
    "pass.estimates.measurable": (
        "participant estimates with a confidence",
        "des estimations des participants avec un niveau de confiance",
    ),
    "pass.estimates.achievable": (
        "participants' own estimates, adjusted for confidence",
        "les estimations des participants, ajustées par leur confiance",
    ),
    # Phillips' rules
    "phillips.all": (
        "all of Phillips' conservative rules hold",
        "toutes les règles prudentes de Phillips sont respectées",
    ),
    "phillips.fully_loaded": (
        "no participant_time cost: costs are not fully loaded",
        "aucun coût participant_time : les coûts ne sont pas complets",
    ),
    "phillips.fully_loaded.fix": (
        "add participants' time (hours × loaded hourly rate) as a cost",
        "ajoutez le temps des participants (heures × taux horaire chargé) aux coûts",
    ),
    "phillips.benefit_window": (
        "benefits counted over {months} months for a short programme (Phillips: first-year "
        "benefits only)",
        "bénéfices comptés sur {months} mois pour un programme court (Phillips : bénéfices de "
        "la première année seulement)",
    ),
    "phillips.benefit_window.fix": (
        "set benefit_window_months: 12",
        "fixez benefit_window_months: 12",
    ),
    "phillips.estimates_confidence": (
        "{objective}: {count} estimate(s) without confidence count zero (rows {rows})",
        "{objective} : {count} estimation(s) sans niveau de confiance comptent zéro "
        "(lignes {rows})",
    ),
    "phillips.estimates_confidence.fix": (
        "ask those participants for their confidence",
        "demandez leur niveau de confiance à ces participants",
    ),
    "phillips.intangibles_money": (
        "intangibles given a money value ({names}); the value is ignored",
        "bénéfices intangibles chiffrés en argent ({names}) ; la valeur est ignorée",
    ),
    "phillips.intangibles_money.fix": (
        "list intangibles by name only, or measure them as a KPI",
        "listez les intangibles par leur nom seulement, ou mesurez-les par un KPI",
    ),
    "phillips.isolation": (
        "{objective}: isolation baseline with attribution 1 credits the training with every change",
        "{objective} : l'isolement par la référence avec une attribution de 1 crédite la "
        "formation de tout changement",
    ),
    "phillips.isolation.fix": (
        "use isolation: trend or control, or set attribution below 1",
        "utilisez isolation: trend ou control, ou une attribution inférieure à 1",
    ),
    "phillips.extreme_values": (
        "{objective}: extreme values ({periods}) drive {share:.0%} of the benefit",
        "{objective} : des valeurs extrêmes ({periods}) font {share:.0%} du bénéfice",
    ),
    "phillips.extreme_values.fix": (
        "check those periods in the source data before reporting",
        "vérifiez ces périodes dans les données sources avant de publier",
    ),
    "phillips.reaction_money": (
        "{objective}: a level-{level} KPI is never converted to money; the {amount:,.2f} it "
        "would be worth is kept out of the benefits",
        "{objective} : un KPI de niveau {level} n'est jamais converti en argent ; les "
        "{amount:,.2f} qu'il vaudrait restent hors des bénéfices",
    ),
    "phillips.reaction_money.fix": (
        "remove value_per_unit, or tie the objective to an application or impact KPI",
        "retirez value_per_unit, ou rattachez l'objectif à un KPI d'application ou d'impact",
    ),
    "phillips.interval.none": (
        "{objective}: its benefit has no interval, {why}",
        "{objective} : son bénéfice n'a pas d'intervalle, {why}",
    ),
    "phillips.interval.value": (
        "as its baseline is a value from the config: no months show how noisy the KPI is",
        "car sa référence est une valeur de la configuration : aucun mois ne montre le bruit "
        "du KPI",
    ),
    "phillips.interval.few": (
        "as too few months come before the programme",
        "car trop peu de mois précèdent le programme",
    ),
    "phillips.interval.thin": (
        "{objective}: its benefit's interval rests on {periods} months, fewer than the "
        "{needed} it needs to be trusted",
        "{objective} : l'intervalle de son bénéfice repose sur {periods} mois, moins que les "
        "{needed} qu'il faut pour s'y fier",
    ),
    "phillips.interval.fix.trend": (
        "add at least {needed} months of data before the programme's start",
        "ajoutez au moins {needed} mois de données avant le début du programme",
    ),
    "phillips.interval.fix.control": (
        "add months both groups have before the start: at least {needed}",
        "ajoutez des mois que les deux groupes ont avant le début : au moins {needed}",
    ),
    "phillips.interval.fix.baseline": (
        "take a baseline of at least {needed} months (baseline: {{from: …, to: …}})",
        "prenez une référence d'au moins {needed} mois (baseline: {{from: …, to: …}})",
    ),
    # Data-collection plan (evaluations of levels 1-3)
    "evaluation.no_pretest": (
        "learning is tested ({name}) with no pre-test: no gain can be shown",
        "l'apprentissage est évalué ({name}) sans pré-test : aucun gain ne peut être montré",
    ),
    "evaluation.no_pretest.fix": (
        "add the same test as a learning evaluation with moment: before",
        "ajoutez le même test en évaluation d'apprentissage avec moment: before",
    ),
    "evaluation.no_follow_up": (
        "no follow-up measures application (level 3) after the training",
        "aucun suivi ne mesure la mise en application (niveau 3) après la formation",
    ),
    "evaluation.no_follow_up.fix": (
        "add an application survey with moment: follow_up, some weeks after the training",
        "ajoutez une enquête d'application avec moment: follow_up, quelques semaines après",
    ),
    "evaluation.no_before": (
        "{level} is measured with no 'before' measure to compare with",
        "le niveau {level} est mesuré sans mesure « avant » à laquelle le comparer",
    ),
    "evaluation.no_before.fix": (
        "add an evaluation with level: {level} and moment: before",
        "ajoutez une évaluation avec level: {level} et moment: before",
    ),
    "evaluation.response_rate": (
        "{name}: a response rate of {rate:.0%} is under {threshold:.0%}",
        "{name} : un taux de réponse de {rate:.0%} est sous {threshold:.0%}",
    ),
    "evaluation.response_rate.fix": (
        "send reminders, or have the survey filled in during the last session",
        "relancez, ou faites remplir l'enquête pendant la dernière séance",
    ),
    "evaluation.pairs": (
        "{pre} → {post}: {paired} paired participant(s), too few for an interval "
        "(at least {needed})",
        "{pre} → {post} : {paired} participant(s) apparié(s), trop peu pour un intervalle "
        "(au moins {needed})",
    ),
    "evaluation.pairs.fix": (
        "give both tests the same participant key column (respondent:)",
        "donnez aux deux tests la même colonne d'identifiant (respondent:)",
    ),
    # Statuses
    "status.achieved": (
        "the current value meets the target",
        "la valeur actuelle atteint la cible",
    ),
    "status.deadline_passed": (
        "the deadline has passed without reaching the target",
        "l'échéance est passée sans atteindre la cible",
    ),
    "status.too_few": (
        "at least 2 periods of data are needed to project",
        "il faut au moins 2 périodes de données pour projeter",
    ),
    "status.on_track": (
        "the trend reaches the target by the deadline",
        "la tendance atteint la cible à l'échéance",
    ),
    "status.at_risk": (
        "the trend reaches {share:.0%} of the target",
        "la tendance atteint {share:.0%} de la cible",
    ),
    "status.off_track": (
        "the trend falls short of half the target",
        "la tendance n'atteint pas la moitié de la cible",
    ),
    "status.estimated": (
        "{used} of {total} participant estimates carry a confidence",
        "{used} estimations des participants sur {total} ont un niveau de confiance",
    ),
    "status.kpi_undefined": ("KPI {kpi!r} is not defined", "le KPI {kpi!r} n'est pas défini"),
    "status.lag": (
        "inside the KPI's {months}-month lag after the start (measurable from {day})",
        "dans le délai de {months} mois du KPI après le début (mesurable à partir du {day})",
    ),
    "status.first_month": (
        "the programme's first month is not over (measurable from {day})",
        "le premier mois du programme n'est pas terminé (mesurable à partir du {day})",
    ),
    "status.waiting": (
        "measurable from {day}: no complete month of data since",
        "mesurable à partir du {day} : aucun mois complet de données depuis",
    ),
    "status.no_period": (
        "no complete period with data yet",
        "aucune période complète avec des données",
    ),
    "status.no_baseline": (
        "the baseline periods have no data",
        "la période de référence n'a pas de données",
    ),
    "status.no_target": (
        "no target or no deadline to measure against",
        "pas de cible ou pas d'échéance pour mesurer",
    ),
    # Notes and cost bases
    "note.no_costs": (
        "no costs are recorded, so ROI and BCR are not defined: add the fully-loaded costs",
        "aucun coût n'est saisi : le ROI et le ratio bénéfices-coûts ne sont pas définis ; "
        "ajoutez les coûts complets",
    ),
    "note.pending": (
        "no objective can be measured yet: too early to tell, not a loss",
        "aucun objectif n'est encore mesurable : trop tôt pour conclure, ce n'est pas une perte",
    ),
    "note.no_payback": (
        "no positive benefit yet, so there is no payback",
        "pas encore de bénéfice positif, donc pas de délai de récupération",
    ),
    "note.roi_overflow": (
        "the costs are too small for ROI to be a finite number: check the cost amounts",
        "les coûts sont trop faibles pour que le ROI soit un nombre fini : vérifiez les montants",
    ),
    "note.no_slope": (
        "fewer than 2 complete periods: no slope",
        "moins de 2 périodes complètes : pas de pente",
    ),
    "note.flat": ("a flat series: R² is not defined", "une série plate : le R² n'est pas défini"),
    "forecast.no_costs": (
        "no costs are recorded: nothing to pay back",
        "aucun coût n'est saisi : rien à récupérer",
    ),
    "forecast.no_credit": (
        "value per unit × attribution × confidence is not above 0: no change pays the costs",
        "valeur par unité × attribution × confiance n'est pas positive : aucun changement ne "
        "couvre les coûts",
    ),
    "forecast.no_baseline": (
        "the forecast is relative to a baseline that does not resolve to a number",
        "la prévision est relative à une valeur de référence qui ne donne pas de nombre",
    ),
    "forecast.estimates": (
        "its money comes from participants' estimates, not from a KPI's change",
        "ses montants viennent des estimations des participants, pas du changement d'un KPI",
    ),
    "forecast.unconverted": (
        "a level-{level} KPI is never converted to money (Phillips)",
        "un KPI de niveau {level} n'est jamais converti en argent (Phillips)",
    ),
    "forecast.no_value": (
        "no value_per_unit: the KPI's change is not converted to money",
        "pas de value_per_unit : le changement du KPI n'est pas converti en argent",
    ),
    "basis.fixed": ("fixed amount", "montant forfaitaire"),
    "basis.hours": ("{hours:g} h × {rate:g}", "{hours:g} h × {rate:g}"),
    "basis.participants": (
        "{amount:g} × {participants} participants",
        "{amount:g} × {participants} participants",
    ),
}

_WORDS: dict[str, str] = {
    "week": "semaine",
    "month": "mois",
    "quarter": "trimestre",
    "increase": "augmenter",
    "decrease": "diminuer",
}


class _Formatter(string.Formatter):
    """Formats numbers and dates the way the language writes them."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        text: str = super().format_field(value, format_spec)
        if self.lang is Lang.FR:
            if isinstance(value, float | int) and not isinstance(value, bool):
                from roicli.i18n import fmt_spec  # Babel: only when writing in French

                text = fmt_spec(value, format_spec, self.lang)
            elif isinstance(value, StrEnum | str) and str(value) in _WORDS:
                text = _WORDS[str(value)]
        return text

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r" and isinstance(value, str) and self.lang is Lang.FR:
            return f"« {value} »"
        return super().convert_field(value, conversion)


class Msg(str):
    """A message: its English text, plus its key and parameters for other languages."""

    key: str
    params: dict[str, Any]
    parts: tuple[Msg, ...]

    def __new__(cls, key: str, **params: Any) -> Msg:
        english = _render(key, params, Lang.EN)
        message = super().__new__(cls, english)
        message.key = key
        message.params = params
        message.parts = ()
        return message

    @classmethod
    def combine(cls, parts: Iterable[Msg], separator: str = "; ") -> Msg:
        """Several messages as one, joined the same way in every language."""
        items = tuple(parts)
        message = super().__new__(cls, separator.join(items))
        message.key = ""
        message.params = {"separator": separator}
        message.parts = items
        return message

    def text(self, lang: Lang) -> str:
        """The message in a language."""
        if self.parts:
            separator = str(self.params["separator"])
            if lang is Lang.FR:
                separator = separator.replace(";", "\u202f;")
            return separator.join(part.text(lang) for part in self.parts)
        return _render(self.key, self.params, lang)


def _render(key: str, params: dict[str, Any], lang: Lang) -> str:
    english, french = CATALOGUE[key]
    template = french if lang is Lang.FR else english
    values = {
        name: value.text(lang) if isinstance(value, Msg) else value
        for name, value in params.items()
    }
    return _Formatter(lang).format(template, **values)


def localize(value: str | None, lang: Lang) -> str | None:
    """A message in the report's language; other text (names from the config) as it is."""
    if isinstance(value, Msg):
        return value.text(lang)
    return value
