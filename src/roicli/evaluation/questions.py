"""The evaluation questions that measure the catalogue's level 1-3 KPIs, and the report figure
each one feeds (pure data): `kpis show` names the figure, `kpis suggest` proposes the questions.

A question is worded for a survey or a test as it is, in English and French, with the answer
scale roicli reads it on (a built-in scale's name, "0-10", or a test's score) and the moments
to ask it at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from roicli.enums import Lang, Level
from roicli.evaluation.config import Moment

AFTER = (Moment.AFTER,)
BEFORE_AFTER = (Moment.BEFORE, Moment.AFTER)
FOLLOW_UP = (Moment.BEFORE, Moment.FOLLOW_UP)


@dataclass(frozen=True)
class Proposal:
    """One question to ask, and the report figure its answers give."""

    kpi: str  # the catalogue key it measures
    level: Level
    moments: tuple[Moment, ...]
    scale: str  # a built-in scale's name (`scale:`), "0-10", or "score" for a test
    text_en: str
    text_fr: str
    figure_en: str
    figure_fr: str

    def text(self, lang: Lang) -> str:
        """The question as asked, in the language."""
        return self.text_fr if lang is Lang.FR else self.text_en

    def figure(self, lang: Lang) -> str:
        """The report figure its answers give, in the language."""
        return self.figure_fr if lang is Lang.FR else self.figure_en

    def to_dict(self) -> dict[str, object]:
        """Its JSON-able mapping."""
        return {
            "kpi": self.kpi,
            "level": self.level.value,
            "moments": [moment.value for moment in self.moments],
            "scale": self.scale,
            "text_en": self.text_en,
            "text_fr": self.text_fr,
            "figure_en": self.figure_en,
            "figure_fr": self.figure_fr,
        }


_TOP_TWO = ("mean and top-2-box per question", "moyenne et deux meilleures réponses par question")
_GAIN = (
    "learning: mean gain with its 95 % interval, d_z, normalised gain",
    "apprentissage : gain moyen avec son intervalle à 95 %, d_z, gain normalisé",
)
_APPLYING = (
    "application: share applying (top-2-box)",
    "application : part qui applique (deux meilleures)",
)
_MEANS = ("learning: pre and post means, pass rate", "apprentissage : moyennes, réussite")
PROPOSALS: tuple[Proposal, ...] = (
    Proposal(
        "course_satisfaction", Level.REACTION, AFTER, "agreement",
        "Overall, I am satisfied with this training.",
        "Dans l'ensemble, je suis satisfait(e) de cette formation.",
        f"reaction: {_TOP_TWO[0]}", f"réaction : {_TOP_TWO[1]}",
    ),
    Proposal(
        "training_nps", Level.REACTION, AFTER, "0-10",
        "How likely are you to recommend this training to a colleague?",
        "Quelle est la probabilité que vous recommandiez cette formation à un collègue ?",
        "reaction: NPS (% 9-10 minus % 0-6)", "réaction : NPS (% de 9-10 moins % de 0-6)",
    ),
    Proposal(
        "perceived_relevance", Level.REACTION, AFTER, "agreement",
        "What I learned is relevant to my job.",
        "Ce que j'ai appris est utile pour mon poste.",
        f"reaction: {_TOP_TWO[0]}", f"réaction : {_TOP_TWO[1]}",
    ),
    Proposal(
        "intent_to_apply", Level.REACTION, AFTER, "agreement",
        "I intend to apply what I learned within the next month.",
        "J'ai l'intention d'appliquer ce que j'ai appris dans le mois qui vient.",
        f"reaction: {_TOP_TWO[0]}", f"réaction : {_TOP_TWO[1]}",
    ),
    Proposal(
        "trainer_rating", Level.REACTION, AFTER, "agreement",
        "The trainer (or mentor) was well prepared.",
        "Le formateur (ou le mentor) était bien préparé.",
        f"reaction: {_TOP_TWO[0]}", f"réaction : {_TOP_TWO[1]}",
    ),
    Proposal(
        "quiz_score", Level.LEARNING, BEFORE_AFTER, "score",
        "The same knowledge test before and after the training (a score out of its maximum).",
        "Le même test de connaissances avant et après la formation (une note sur son maximum).",
        *_MEANS,
    ),
    Proposal(
        "score_gain", Level.LEARNING, BEFORE_AFTER, "score",
        "The same knowledge test before and after, each participant identified by e-mail.",
        "Le même test avant et après, chaque participant identifié par son e-mail.",
        *_GAIN,
    ),
    Proposal(
        "certification_rate", Level.LEARNING, BEFORE_AFTER, "score",
        "The certification test, with its pass mark (pass_mark:).",
        "L'examen de certification, avec son seuil de réussite (pass_mark:).",
        "learning: pass rate before and after", "apprentissage : taux de réussite avant et après",
    ),
    Proposal(
        "self_rated_confidence", Level.LEARNING, BEFORE_AFTER, "confidence",
        "How confident are you in applying these skills in your work?",
        "Quel est votre niveau de confiance pour appliquer ces compétences dans votre travail ?",
        *_GAIN,
    ),
    Proposal(
        "skill_level", Level.LEARNING, BEFORE_AFTER, "knowledge",
        "How would you rate your level in the skills the training covers?",
        "Comment évaluez-vous votre niveau dans les compétences abordées par la formation ?",
        *_GAIN,
    ),
    Proposal(
        "skills_application_rate", Level.APPLICATION, FOLLOW_UP, "agreement",
        "I use what I learned in the training in my daily work.",
        "J'utilise dans mon travail quotidien ce que j'ai appris en formation.",
        *_APPLYING,
    ),
    Proposal(
        "skills_application_rate", Level.APPLICATION, FOLLOW_UP, "yes_no",
        "Have you passed on what you learned to a colleague?",
        "Avez-vous transmis ce que vous avez appris à un collègue ?",
        "application: share applying (yes)", "application : part qui applique (oui)",
    ),
    Proposal(
        "tool_adoption_rate", Level.APPLICATION, FOLLOW_UP, "frequency",
        "How often do you use the tool you were trained on?",
        "À quelle fréquence utilisez-vous l'outil sur lequel vous avez été formé(e) ?",
        *_APPLYING,
    ),
    Proposal(
        "mentoring_sessions", Level.APPLICATION, (Moment.FOLLOW_UP,), "frequency",
        "How often do you meet your mentoring partner?",
        "À quelle fréquence rencontrez-vous votre binôme de mentorat ?",
        *_APPLYING,
    ),
)  # fmt: skip


def proposals_for(keys: Iterable[str]) -> list[Proposal]:
    """The questions that measure these KPIs, in the catalogue keys' order."""
    wanted = list(dict.fromkeys(keys))
    return [p for key in wanted for p in PROPOSALS if p.kpi == key]
