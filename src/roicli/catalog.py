"""The built-in KPI catalogue: packaged data, lookup, and KPI suggestions for a learning objective.

Suggestions are a small, deterministic bag-of-words ranking that works for English and French:
text is folded (case, accents), stop-words dropped, words stemmed lightly, synonyms given a shared
term, and each query term is weighted by its rarity in the catalogue (IDF) and by the field of the
entry it matches (keywords and names count more than definitions).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources
from typing import NoReturn, TypeVar

from roicli.enums import Aggregation, Direction, Lang, Level

_E = TypeVar("_E", bound=Enum)


@dataclass(frozen=True)
class CatalogEntry:
    """One KPI of the catalogue, with its bilingual texts and its default configuration."""

    key: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    level: Level
    lag_months: int
    monetisation: str
    source: str
    keywords_en: tuple[str, ...]
    keywords_fr: tuple[str, ...]
    ratio: tuple[str, str] | None = None  # (numerator key, denominator key)

    def name(self, lang: str) -> str:
        """The KPI's name in `lang` ("en" or "fr")."""
        return self.name_fr if Lang(lang) is Lang.FR else self.name_en

    def definition(self, lang: str) -> str:
        """The KPI's one-line definition in `lang` ("en" or "fr")."""
        return self.definition_fr if Lang(lang) is Lang.FR else self.definition_en

    def to_dict(self) -> dict[str, object]:
        """A JSON-able mapping; `level` is the level's number (0-5), `level_name` its name."""
        data: dict[str, object] = {
            "key": self.key,
            "name_en": self.name_en,
            "name_fr": self.name_fr,
            "definition_en": self.definition_en,
            "definition_fr": self.definition_fr,
            "level": self.level.number,
            "level_name": self.level.value,
            "direction": self.direction.value,
            "unit": self.unit,
            "aggregation": self.aggregation.value,
            "lag_months": self.lag_months,
            "monetisation": self.monetisation,
            "source": self.source,
            "keywords_en": list(self.keywords_en),
            "keywords_fr": list(self.keywords_fr),
        }
        if self.ratio is not None:
            data["ratio"] = {"numerator": self.ratio[0], "denominator": self.ratio[1]}
        return data


@dataclass(frozen=True)
class Suggestion:
    """A catalogue entry suggested for an objective, with its relevance in [0, 1]."""

    entry: CatalogEntry
    score: float

    def to_dict(self) -> dict[str, object]:
        """The entry's JSON-able mapping plus its `score`."""
        return {**self.entry.to_dict(), "score": self.score}


# ── Loading and validation ──────────────────────────────────────────────────────────────────────

_TEXT_FIELDS = (
    "name_en",
    "name_fr",
    "definition_en",
    "definition_fr",
    "unit",
    "monetisation",
    "source",
)
_KEYWORD_FIELDS = ("keywords_en", "keywords_fr")
_REQUIRED_FIELDS = frozenset(
    ("key", *_TEXT_FIELDS, "direction", "aggregation", "level", "lag_months", *_KEYWORD_FIELDS)
)
_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@cache
def load_catalog() -> tuple[CatalogEntry, ...]:
    """The packaged catalogue, in file order; ValueError names the entry and field if broken."""
    import yaml

    text = resources.files("roicli").joinpath("data/catalog.yaml").read_text(encoding="utf-8")
    # Our own trusted file: libyaml's loader when present (ten times faster), else Python's.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _parse_catalog(yaml.load(text, Loader=loader))


def _parse_catalog(raw: object) -> tuple[CatalogEntry, ...]:
    """Validate the loaded YAML document and build its entries."""
    items = raw.get("kpis") if isinstance(raw, Mapping) else None
    if not isinstance(items, list):
        raise ValueError("catalog.yaml: expected a top-level 'kpis' list")
    entries = tuple(_parse_entry(item, index) for index, item in enumerate(items))
    keys: set[str] = set()
    for entry in entries:
        if entry.key in keys:
            raise ValueError(f"catalog.yaml: {entry.key}: key: duplicate key")
        keys.add(entry.key)
    for entry in entries:
        for role, ref in zip(("numerator", "denominator"), entry.ratio or (), strict=False):
            if ref not in keys:
                raise ValueError(
                    f"catalog.yaml: {entry.key}: ratio.{role}: {ref!r} is not a catalogue key"
                )
    return entries


def _parse_entry(item: object, index: int) -> CatalogEntry:
    """Check one raw entry field by field and build it."""
    if not isinstance(item, Mapping):
        raise ValueError(f"catalog.yaml: kpis[{index}]: expected a mapping")
    where = item.get("key") if isinstance(item.get("key"), str) else f"kpis[{index}]"

    def fail(field: str, problem: str) -> NoReturn:
        raise ValueError(f"catalog.yaml: {where}: {field}: {problem}")

    for field in sorted(_REQUIRED_FIELDS - item.keys()):
        fail(field, "missing")
    for field in sorted(item.keys() - _REQUIRED_FIELDS - {"ratio"}):
        fail(str(field), "unknown field")

    def text(field: str) -> str:
        value = item[field]
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            fail(field, f"expected a non-empty one-line string, got {value!r}")
        return value

    def member(cls: type[_E], field: str) -> _E:
        try:
            return cls(item[field])
        except ValueError:
            fail(field, f"expected one of {', '.join(str(m.value) for m in cls)}")

    def keywords(field: str) -> tuple[str, ...]:
        value = item[field]
        if not isinstance(value, list) or not value:
            fail(field, "expected a non-empty list of strings")
        if not all(isinstance(word, str) and word.strip() for word in value):
            fail(field, "expected non-empty strings only")
        return tuple(value)

    key = text("key")
    if not _KEY.fullmatch(key):
        fail("key", "expected snake_case (lower-case letters, digits and underscores)")
    lag = item["lag_months"]
    if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
        fail("lag_months", f"expected a whole number of months >= 0, got {lag!r}")
    aggregation = member(Aggregation, "aggregation")
    ratio = item.get("ratio")
    if (aggregation is Aggregation.RATIO) != (ratio is not None):
        fail("ratio", "required exactly when aggregation is ratio")
    if ratio is not None:
        if not isinstance(ratio, Mapping) or set(ratio) != {"numerator", "denominator"}:
            fail("ratio", "expected {numerator: KEY, denominator: KEY}")
        ratio = (str(ratio["numerator"]), str(ratio["denominator"]))
    name_en, name_fr, definition_en, definition_fr, unit, monetisation, source = map(
        text, _TEXT_FIELDS
    )
    return CatalogEntry(
        key=key,
        name_en=name_en,
        name_fr=name_fr,
        definition_en=definition_en,
        definition_fr=definition_fr,
        unit=unit,
        direction=member(Direction, "direction"),
        aggregation=aggregation,
        level=member(Level, "level"),
        lag_months=lag,
        monetisation=monetisation,
        source=source,
        keywords_en=keywords("keywords_en"),
        keywords_fr=keywords("keywords_fr"),
        ratio=ratio,
    )


# ── Lookup ──────────────────────────────────────────────────────────────────────────────────────


@cache
def _by_key() -> dict[str, CatalogEntry]:
    return {entry.key: entry for entry in load_catalog()}


def get_entry(key: str) -> CatalogEntry | None:
    """The entry with this key, ignoring case and surrounding spaces; None when unknown."""
    return _by_key().get(key.strip().casefold())


def entries_at_level(level: Level | None) -> tuple[CatalogEntry, ...]:
    """The entries at one level, in catalogue order; every entry when `level` is None."""
    return tuple(entry for entry in load_catalog() if level is None or entry.level is level)


# ── Text processing for suggestions ─────────────────────────────────────────────────────────────

_WORD = re.compile(r"[a-z0-9]+")
_A_B = re.compile(r"\ba\s*/\s*b\b")  # "A/B test" keeps its meaning once letters are split
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})

# Longest first; (suffix, replacement). Covers English and French inflections well enough for
# matching: the same stemmer runs on the catalogue and on the query, so only consistency matters.
_SUFFIXES = (
    ("ements", ""),
    ("ations", ""),
    ("ement", ""),
    ("ation", ""),
    ("ities", ""),
    ("euses", ""),
    ("iques", "ic"),
    ("ique", "ic"),
    ("ites", ""),
    ("euse", ""),
    ("eurs", ""),
    ("ings", ""),
    ("ity", ""),
    ("ite", ""),
    ("eur", ""),
    ("ing", ""),
    ("ers", ""),
    ("ies", "i"),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("e", ""),
    ("s", ""),
    ("y", "i"),
)
_MIN_STEM = 3
# Words the suffix rules would merge with an unrelated word ("publicité" with "publication").
_IRREGULAR_STEMS = {"publicite": "publicit", "publicites": "publicit"}

# Matched on whole folded words: stemming them could swallow real terms ("département"/"départs").
# Kept as text grouped by theme (function words, objective verbs, deadlines, organisation; English
# then French): a 250-item list literal would bury the groups.
_STOP_TEXT = """
a an the and or of to in on for by with from at as is are be been being was were this that these
those it its our ours their his her my your we they them us you he she per than then so into over
under after before during within about more less most fewer all each every any some via through
thanks using how what which who when where while not no
increase increases increased increasing improve improves improved improving improvement reduce
reduces reduced reducing reduction decrease decreased boost boosting grow growing raise raising
lower lowering cut cutting achieve reach get make help ensure keep double halve better higher
greater top
day days week weeks month months quarter quarters year years
team teams department departments service services company companies
le la les un une des du de et ou au aux en dans par pour sur sous avec sans chez ce ces cet cette
son sa ses leur leurs notre nos votre vos mon ma mes qui que quoi dont est sont etre ete il elle
ils elles nous vous on se ne pas plus moins tres apres avant pendant grace afin lors entre vers
depuis tout tous toute toutes chaque comment
augmenter augmente augmentee augmentation ameliorer ameliore amelioree amelioration reduire
reduit reduite diminuer diminution baisser baisse hausse accroitre atteindre obtenir doubler
renforcer booster faire permettre mieux meilleur meilleure superieur superieure
jour jours semaine semaines mois trimestre trimestres an ans annee annees
equipe equipes departement entreprise societe
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


# Words meaning the same thing for an objective, one group per line; each group adds one shared
# term (its first word's) to its members' own. Multi-word members are matched as phrases (after
# stop-words are dropped) before single words.
_SYNONYM_TEXT = """
traffic, trafic, visits, visites, visitors, visiteurs, audience
lead, prospects, mql
sql, sales qualified, qualifiés par les ventes
retention, retain, retenir, fidélisation, fidéliser, turnover, departures, départs, attrition, churn
satisfaction, csat, happy, satisfied, satisfaits, heureux
revenue, sales, ventes, chiffre d'affaires, ca, income, recettes
conversion, convert, convertir, transformation, transformer
nps, net promoter score, recommend, recommandation, recommander
seo, référencement, search engine optimisation, search engine optimization
organic, organique, naturel, natural, unpaid
ads, ad, advertising, publicité, publicitaire, pub, sea, ppc, adwords, google ads, paid search
email, e-mail, emailing, courriel, newsletter, mailing
social, sociaux
roi, return on investment, retour sur investissement, rentabilité, profitability
cost, coût, expense, dépense, spend, spending, frais
customer, client, buyer, acheteur, clientèle
employee, employé, salarié, staff, collaborateur, talent, personnel, workforce
training, formation, course, cours, programme, program, workshop, atelier
mentoring, mentorat, coaching, coach, tutorat, tutoring, mentee
participant, learner, apprenant, stagiaire
quiz, quizzes, exam, examen
score, note, grade, marks
certification, certified, certifié, certificate, certifier
confidence, confiance, assurance
ranking, rank, position, positionnement, serp
content, contenu, article, blog, billet
campaign, campagne
tool, outil, software, logiciel, platform, plateforme
adoption, adopt, adopter, usage, utilisation, use, used
publish, publier, publication
order, commande, purchase, achat
open, opens, ouverture, ouvrir
click, clic, cliqué, cliquer
payback, break-even, breakeven, amortissement, récupération, point mort, seuil de rentabilité
hours, heures, hrs
attendance, présence, assiduité, attend, attended
completion, achèvement, terminer, terminé, finish, finished
relevance, relevant, pertinence, pertinent, useful, utile, utilité, usefulness
intent, intention, intend
skill, compétence, competency, competencies, upskilling
gain, progression, progress, uplift
first, premier, première
new, nouveau, nouveaux, nouvelle, nouvelles
young, jeune
ab, split test, experiment, experimentation, multivariate, multivarié
website, site, web
"""
_SYNONYMS = tuple(
    tuple(word.strip() for word in line.split(",")) for line in _SYNONYM_TEXT.strip().splitlines()
)


def _fold(text: str) -> str:
    """Lower-case, accent-free text ("Référencement" → "referencement", "A/B" → "ab")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return _A_B.sub("ab", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _stem(word: str) -> str:
    """Strip one common English or French suffix, keeping at least three letters."""
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    if word.endswith("ss"):
        return word
    for suffix, replacement in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= _MIN_STEM:
            stem += replacement
            # "qualifiées" → "qualifie" → "qualifi", like "qualified" → "qualifi"
            return stem[:-1] if stem.endswith("e") and len(stem) > _MIN_STEM else stem
    return word


def _stems(text: str) -> list[str]:
    """Stems of the words of `text`, without numbers, single letters or stop-words."""
    words = _WORD.findall(_fold(text))
    return [
        _stem(word)
        for word in words
        if len(word) > 1 and not word.isdigit() and word not in _STOP_WORDS
    ]


@cache
def _synonym_tables() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Single-stem and phrase synonyms, each mapped to its group's first stem."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for group in _SYNONYMS:
        canonical = _stems(group[0])[0]
        for member in group:
            stems = tuple(_stems(member))
            if len(stems) == 1:
                words[stems[0]] = canonical
            else:
                phrases[stems] = canonical
    return words, phrases


def _terms(text: str) -> list[str]:
    """The matching terms of `text`: its stems, each followed by its synonym group's term.

    A phrase becomes its group's term alone; keeping a word's own stem lets an exact match
    ("turnover") beat a synonym ("retention").
    """
    words, phrases = _synonym_tables()
    longest = max(map(len, phrases))
    stems = _stems(text)
    terms: list[str] = []
    i = 0
    while i < len(stems):
        for size in range(min(longest, len(stems) - i), 1, -1):
            phrase = phrases.get(tuple(stems[i : i + size]))
            if phrase is not None:
                terms.append(phrase)
                i += size
                break
        else:
            terms.append(stems[i])
            if stems[i] in words:
                terms.append(words[stems[i]])
            i += 1
    return terms


# ── Suggestion ──────────────────────────────────────────────────────────────────────────────────

# How much a query term found in a field counts (its best field wins).
_KEYWORD_WEIGHT = 1.0
_NAME_WEIGHT = 1.0
_KEY_WEIGHT = 0.8
_DEFINITION_WEIGHT = 0.4
# Share of the score given to how much of the entry's own name the objective covers, so that
# "return on investment" prefers ROI to ROAS though both list the words.
_NAME_SHARE = 0.2


@dataclass(frozen=True)
class _Index:
    weights: tuple[dict[str, float], ...]  # per entry, in catalogue order: term → field weight
    names: tuple[tuple[frozenset[str], frozenset[str]], ...]  # per entry: name_en, name_fr terms
    idf: dict[str, float]  # term → inverse document frequency over the catalogue

    def share(self, found: Iterable[str], among: Iterable[str]) -> float:
        """IDF-weighted share of the terms `among` that are `found`."""
        total = sum(self.idf[term] for term in among)
        return sum(self.idf[term] for term in found) / total if total else 0.0


def _entry_weights(entry: CatalogEntry) -> dict[str, float]:
    fields: Iterable[tuple[float, Iterable[str]]] = (
        (_DEFINITION_WEIGHT, (entry.definition_en, entry.definition_fr)),
        (_KEY_WEIGHT, (entry.key.replace("_", " "),)),
        (_NAME_WEIGHT, (entry.name_en, entry.name_fr)),
        (_KEYWORD_WEIGHT, entry.keywords_en + entry.keywords_fr),
    )
    weights: dict[str, float] = {}
    for weight, texts in fields:
        for text in texts:
            for term in _terms(text):
                weights[term] = max(weight, weights.get(term, 0.0))
    return weights


@cache
def _index() -> _Index:
    weights = tuple(_entry_weights(entry) for entry in load_catalog())
    frequency: dict[str, int] = {}
    for entry_weights in weights:
        for term in entry_weights:
            frequency[term] = frequency.get(term, 0) + 1
    idf = {term: math.log(1 + len(weights) / count) for term, count in frequency.items()}
    names = tuple(
        (frozenset(_terms(entry.name_en)), frozenset(_terms(entry.name_fr)))
        for entry in load_catalog()
    )
    return _Index(weights, names, idf)


def suggest(text: str, *, limit: int = 5) -> list[Suggestion]:
    """Catalogue entries matching an objective written in English or French, best first.

    The score mostly measures how much of the objective (its known terms, IDF-weighted, scaled by
    the field they match) an entry covers, and partly how much of the entry's name the objective
    covers; only positive scores are returned, ties in catalogue order.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    index = _index()
    terms = [term for term in dict.fromkeys(_terms(text)) if term in index.idf]
    if not terms:
        return []
    total = sum(index.idf[term] for term in terms)
    suggestions = []
    for entry, weights, names in zip(load_catalog(), index.weights, index.names, strict=True):
        coverage = sum(weights.get(term, 0.0) * index.idf[term] for term in terms) / total
        named = max(index.share(name.intersection(terms), name) for name in names)
        score = round((1 - _NAME_SHARE) * coverage + _NAME_SHARE * named, 3)
        if score > 0:
            suggestions.append(Suggestion(entry, score))
    suggestions.sort(key=lambda suggestion: -suggestion.score)  # stable: ties keep file order
    return suggestions[:limit]


# ── Config snippet ──────────────────────────────────────────────────────────────────────────────


def config_snippet(entries: Sequence[CatalogEntry], *, lang: str = "en") -> str:
    """YAML text of a config `kpis:` mapping for these entries, labels in `lang`.

    The numerator and denominator of a ratio entry are appended when missing, so the snippet
    is complete on its own.
    """
    import yaml

    chosen: dict[str, CatalogEntry] = {}
    for entry in entries:
        chosen.setdefault(entry.key, entry)
    for entry in list(chosen.values()):
        for ref in entry.ratio or ():
            chosen.setdefault(ref, _by_key()[ref])
    kpis: dict[str, dict[str, object]] = {}
    for key, entry in chosen.items():
        fields: dict[str, object] = {
            "label": entry.name(lang),
            "unit": entry.unit,
            "direction": entry.direction.value,
            "aggregation": entry.aggregation.value,
            "level": entry.level.value,
            "lag_months": entry.lag_months,
        }
        if entry.ratio is not None:
            fields["ratio"] = {"numerator": entry.ratio[0], "denominator": entry.ratio[1]}
        kpis[key] = fields
    # default_flow_style=None writes each plain entry on one line, as in the docs' examples
    return yaml.safe_dump(
        {"kpis": kpis}, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )
