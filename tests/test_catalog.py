"""Tests of the KPI catalogue: packaged data, lookup, suggestions and config snippets."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from typing import Any

import pytest
import yaml

from roicli import catalog
from roicli.catalog import (
    CatalogEntry,
    config_snippet,
    entries_at_level,
    get_entry,
    load_catalog,
    suggest,
)
from roicli.enums import Aggregation, Level

ENTRIES = load_catalog()


# ── The packaged data ───────────────────────────────────────────────────────────────────────────


def test_catalogue_is_large_and_covers_every_level() -> None:
    assert len(ENTRIES) >= 45
    assert {entry.level for entry in ENTRIES} == set(Level)


def test_keys_are_unique() -> None:
    keys = [entry.key for entry in ENTRIES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_entry_is_complete(entry: CatalogEntry) -> None:
    texts = (entry.name_en, entry.name_fr, entry.definition_en, entry.definition_fr, entry.unit)
    for text in (*texts, entry.monetisation, entry.source):
        assert text.strip() == text
        assert text
        assert "\n" not in text
    assert entry.lag_months >= 0
    assert entry.keywords_en
    assert entry.keywords_fr
    assert all(word.strip() for word in entry.keywords_en + entry.keywords_fr)
    assert (entry.aggregation is Aggregation.RATIO) == (entry.ratio is not None)
    for ref in entry.ratio or ():
        assert get_entry(ref) is not None


@pytest.mark.parametrize(
    "entry",
    [entry for entry in ENTRIES if entry.level in (Level.REACTION, Level.LEARNING)],
    ids=lambda entry: entry.key,
)
def test_reaction_and_learning_are_not_monetised(entry: CatalogEntry) -> None:
    assert "not converted to money" in entry.monetisation.lower()


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is ENTRIES


def _raw_entry(**changes: object) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "key": "leads",
        "name_en": "Leads",
        "name_fr": "Leads",
        "definition_en": "Leads.",
        "definition_fr": "Leads.",
        "unit": "leads",
        "direction": "increase",
        "aggregation": "sum",
        "level": "impact",
        "lag_months": 2,
        "monetisation": "Margin per lead.",
        "source": "CRM",
        "keywords_en": ["leads"],
        "keywords_fr": ["leads"],
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


def test_parse_accepts_a_valid_entry() -> None:
    (entry,) = catalog._parse_catalog({"kpis": [_raw_entry()]})
    assert entry.key == "leads"
    assert entry.level is Level.IMPACT


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "top-level 'kpis' list"),
        ({"kpis": ["leads"]}, r"kpis\[0\]: expected a mapping"),
        ({"kpis": [_raw_entry(name_fr=None)]}, "leads: name_fr: missing"),
        ({"kpis": [_raw_entry(colour="red")]}, "leads: colour: unknown field"),
        ({"kpis": [_raw_entry(definition_en=" ")]}, "leads: definition_en: expected a non-empty"),
        ({"kpis": [_raw_entry(key="Leads-2")]}, "Leads-2: key: expected snake_case"),
        ({"kpis": [_raw_entry(level="results")]}, "leads: level: expected one of input"),
        ({"kpis": [_raw_entry(direction="up")]}, "leads: direction: expected one of"),
        ({"kpis": [_raw_entry(lag_months=-1)]}, "leads: lag_months: expected a whole number"),
        ({"kpis": [_raw_entry(lag_months=True)]}, "leads: lag_months: expected a whole number"),
        ({"kpis": [_raw_entry(keywords_fr=[])]}, "leads: keywords_fr: expected a non-empty list"),
        ({"kpis": [_raw_entry(keywords_en=["ok", ""])]}, "leads: keywords_en: expected non-empty"),
        ({"kpis": [_raw_entry(aggregation="ratio")]}, "leads: ratio: required exactly when"),
        (
            {"kpis": [_raw_entry(ratio={"numerator": "leads", "denominator": "leads"})]},
            "leads: ratio: required exactly when",
        ),
        (
            {"kpis": [_raw_entry(aggregation="ratio", ratio={"numerator": "leads"})]},
            "leads: ratio: expected {numerator",
        ),
        (
            {
                "kpis": [
                    _raw_entry(
                        aggregation="ratio", ratio={"numerator": "a", "denominator": "leads"}
                    )
                ]
            },
            "leads: ratio.numerator: 'a' is not a catalogue key",
        ),
        ({"kpis": [_raw_entry(), _raw_entry()]}, "leads: key: duplicate key"),
    ],
)
def test_parse_names_the_key_and_field_of_broken_data(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        catalog._parse_catalog(raw)


# ── Lookup ──────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("key", ["organic_sessions", "ORGANIC_SESSIONS", " Organic_Sessions "])
def test_get_entry_ignores_case_and_spaces(key: str) -> None:
    entry = get_entry(key)
    assert entry is not None
    assert entry.key == "organic_sessions"


def test_get_entry_unknown_is_none() -> None:
    assert get_entry("no_such_kpi") is None


@pytest.mark.parametrize("level", list(Level))
def test_entries_at_level(level: Level) -> None:
    entries = entries_at_level(level)
    assert entries
    assert all(entry.level is level for entry in entries)


def test_entries_at_no_level_is_the_whole_catalogue() -> None:
    assert entries_at_level(None) == ENTRIES


def test_name_and_definition_by_language() -> None:
    entry = get_entry("revenue")
    assert entry is not None
    assert entry.name("en") == "Revenue"
    assert entry.name("fr") == "Chiffre d'affaires"
    assert entry.definition("fr") == entry.definition_fr
    with pytest.raises(ValueError, match="'de'"):
        entry.name("de")


def test_to_dict_is_json_able_with_the_level_number() -> None:
    data = get_entry("conversion_rate").to_dict()  # type: ignore[union-attr]
    assert list(data) == [
        "key",
        "name_en",
        "name_fr",
        "definition_en",
        "definition_fr",
        "level",
        "level_name",
        "direction",
        "unit",
        "aggregation",
        "lag_months",
        "monetisation",
        "source",
        "keywords_en",
        "keywords_fr",
        "ratio",
    ]
    assert data["level"] == 4
    assert data["level_name"] == "impact"
    assert data["aggregation"] == "ratio"
    assert data["ratio"] == {"numerator": "new_customers", "denominator": "qualified_leads"}
    assert json.loads(json.dumps(data)) == data


def test_to_dict_without_ratio() -> None:
    data = get_entry("participants").to_dict()  # type: ignore[union-attr]
    assert data["level"] == 0
    assert "ratio" not in data


# ── Suggestions ─────────────────────────────────────────────────────────────────────────────────


def _top3(text: str) -> list[str]:
    return [suggestion.entry.key for suggestion in suggest(text, limit=3)]


@pytest.mark.parametrize(
    ("objective", "expected"),
    [
        ("Increase organic traffic by 20% after the SEO training", "organic_sessions"),
        ("Generate 30% more qualified leads (MQL) from inbound content", "qualified_leads"),
        ("Improve participants' quiz scores after the analytics course", "quiz_score"),
        ("Reduce cost per lead on Google Ads campaigns by 15%", "cost_per_lead"),
        ("Raise the lead-to-customer conversion rate", "conversion_rate"),
        ("Retain our young marketing talent with the mentoring programme", "employee_retention"),
        ("Lower staff turnover in the marketing team", "turnover_rate"),
        ("Grow e-commerce sales thanks to the new pricing skills", "revenue"),
        ("Improve the e-mail open rate of our newsletter", "email_open_rate"),
        ("Increase engagement on our LinkedIn and Instagram posts", "social_engagement_rate"),
        ("Improve the ROAS of paid social campaigns", "roas"),
        ("Reach a course satisfaction (CSAT) of 4.5/5 among participants", "course_satisfaction"),
        ("Get 80% of participants certified on Google Analytics", "certification_rate"),
        ("Happier customers after the customer service training", "customer_satisfaction"),
        ("Rank in the top 3 Google positions for our main keywords", "search_position"),
        ("Cut the time new hires need to become productive", "time_to_productivity"),
        ("Achieve a positive return on investment within 12 months", "roi_pct"),
        ("Increase the average order value with upsell techniques", "average_order_value"),
        ("Every participant completes the e-learning modules", "completion_rate"),
        ("Run more A/B tests on landing pages", "ab_tests"),
    ],
)
def test_suggest_english_objectives(objective: str, expected: str) -> None:
    assert expected in _top3(objective)


@pytest.mark.parametrize(
    ("objective", "expected"),
    [
        ("Réduire le coût par lead de 15 % grâce au mentorat Google Ads", "cost_per_lead"),
        ("Fidéliser les jeunes talents du service marketing", "employee_retention"),
        ("Augmenter le taux de conversion des leads en clients", "conversion_rate"),
        (
            "Augmenter le trafic organique de 20 % grâce au référencement naturel",
            "organic_sessions",
        ),
        ("Améliorer le score moyen au quiz de fin de formation", "quiz_score"),
        ("Augmenter le chiffre d'affaires de la boutique en ligne", "revenue"),
        ("Améliorer le taux d'ouverture de la newsletter", "email_open_rate"),
        ("Générer plus de leads qualifiés grâce au marketing de contenu", "qualified_leads"),
        ("Réduire le turnover de l'équipe marketing", "turnover_rate"),
        ("Obtenir un NPS de la formation supérieur à 50", "training_nps"),
        (
            "Des clients plus satisfaits après la formation au service client",
            "customer_satisfaction",
        ),
        ("Améliorer le positionnement du site dans les résultats Google", "search_position"),
        ("Augmenter le panier moyen des clients", "average_order_value"),
        ("Réduire le coût d'acquisition client", "customer_acquisition_cost"),
        ("Certifier 80 % des participants sur Google Ads", "certification_rate"),
        ("Accroître l'engagement sur LinkedIn", "social_engagement_rate"),
        ("Augmenter le nombre de séances de mentorat", "mentoring_sessions"),
        ("Réduire le délai de prise de poste des nouvelles recrues", "time_to_productivity"),
        ("Renforcer la confiance des apprenants dans l'usage de GA4", "self_rated_confidence"),
        ("Atteindre un retour sur investissement positif", "roi_pct"),
    ],
)
def test_suggest_french_objectives(objective: str, expected: str) -> None:
    assert expected in _top3(objective)


def test_suggest_ignores_case_and_accents() -> None:
    assert suggest("REFERENCEMENT") == suggest("référencement")
    assert suggest("Fidélisation des Talents") == suggest("fidelisation des talents")
    assert suggest("référencement")


@pytest.mark.parametrize("text", ["", "   ", "le la les the of", "xyzzy plugh", "42 %"])
def test_suggest_nothing_to_match(text: str) -> None:
    assert suggest(text) == []


def test_suggest_scores_are_sorted_in_range_and_rounded() -> None:
    suggestions = suggest("More leads and more revenue from SEO", limit=50)
    scores = [suggestion.score for suggestion in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 and round(score, 3) == score for score in scores)


def test_suggest_ties_keep_catalogue_order() -> None:
    order = {entry.key: index for index, entry in enumerate(ENTRIES)}
    suggestions = suggest("leads", limit=50)
    for first, second in itertools.pairwise(suggestions):
        if first.score == second.score:
            assert order[first.entry.key] < order[second.entry.key]


@pytest.mark.parametrize("limit", [1, 2, 7])
def test_suggest_honours_limit(limit: int) -> None:
    assert len(suggest("marketing training leads revenue SEO", limit=limit)) == limit


def test_suggest_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="limit"):
        suggest("leads", limit=0)


def test_suggestion_to_dict_adds_the_score() -> None:
    best = suggest("organic traffic")[0]
    assert best.to_dict() == {**best.entry.to_dict(), "score": best.score}


def test_synonym_groups_do_not_overlap() -> None:
    owner: dict[tuple[str, ...], str] = {}
    for group in catalog._SYNONYMS:
        for member in group:
            stems = tuple(catalog._stems(member))
            assert stems, f"{member!r} vanishes (stop-word?)"
            assert owner.setdefault(stems, group[0]) == group[0], f"{member!r} in two groups"


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (["leads", "lead"], "lead"),
        (["qualifiés", "qualifiées", "qualified"], "qualifi"),
        (["fidélisation", "fidéliser"], "fidelis"),
        (["référencement"], "referenc"),
        (["organique", "organic"], "organic"),
        (["productivity", "productivité"], "productiv"),
        (["success", "process"], None),
    ],
)
def test_stemmer(words: list[str], stem: str | None) -> None:
    for word in words:
        folded = catalog._fold(word)
        assert catalog._stem(folded) == (stem or folded)


# ── Config snippet ──────────────────────────────────────────────────────────────────────────────


def _expected_fields(entry: CatalogEntry, lang: str) -> dict[str, object]:
    fields: dict[str, object] = {
        "label": entry.name(lang),
        "unit": entry.unit,
        "direction": entry.direction.value,
        "aggregation": entry.aggregation.value,
        "level": entry.level.value,
        "lag_months": entry.lag_months,
    }
    if entry.ratio:
        fields["ratio"] = {"numerator": entry.ratio[0], "denominator": entry.ratio[1]}
    return fields


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_config_snippet_round_trips_every_entry(lang: str) -> None:
    parsed = yaml.safe_load(config_snippet(ENTRIES, lang=lang))
    assert list(parsed) == ["kpis"]
    assert parsed["kpis"] == {entry.key: _expected_fields(entry, lang) for entry in ENTRIES}


def test_config_snippet_plain_entry_is_one_line() -> None:
    snippet = config_snippet([get_entry("organic_sessions")])  # type: ignore[list-item]
    assert snippet == (
        "kpis:\n"
        "  organic_sessions: {label: Organic sessions, unit: sessions, direction: increase,"
        " aggregation: sum, level: impact, lag_months: 3}\n"
    )


def test_config_snippet_adds_ratio_parts_once() -> None:
    picked = [get_entry(key) for key in ("cost_per_lead", "qualified_leads", "cost_per_lead")]
    parsed = yaml.safe_load(config_snippet(picked))  # type: ignore[arg-type]
    assert list(parsed["kpis"]) == ["cost_per_lead", "qualified_leads", "marketing_spend"]
    assert parsed["kpis"]["cost_per_lead"]["ratio"] == {
        "numerator": "marketing_spend",
        "denominator": "qualified_leads",
    }


def test_config_snippet_of_nothing() -> None:
    assert yaml.safe_load(config_snippet([])) == {"kpis": {}}


# ── Import cost ─────────────────────────────────────────────────────────────────────────────────


def test_import_does_not_load_pandas() -> None:
    code = "import sys, roicli.catalog; print('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
