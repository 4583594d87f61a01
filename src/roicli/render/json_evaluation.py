"""The JSON of levels 1 to 3 and of the chain of impact: a programme's ``evaluation`` and
``chain`` keys, and the audit's ``evaluations``. Figures as in the rest of the contract:
shares as fractions, to 6 decimals or 10 significant digits, money to cents; null where a
figure does not exist or is withheld (``suppressed`` says which)."""

from __future__ import annotations

from typing import Any

from roicli.evaluation.chain import ChainFigure, ChainStep, Measure
from roicli.evaluation.figures import (
    CompletionFigures,
    Difference,
    LearningFigures,
    QuestionFigures,
    SurveyFigures,
)
from roicli.evaluation.inference import Interval
from roicli.evaluation.load import EvaluationAudit
from roicli.evaluation.programme import LearningResult, ProgramEvaluation, SurveyResult
from roicli.rounding import figure, money_float


def evaluation_dict(found: ProgramEvaluation | None) -> dict[str, Any] | None:
    """A programme's reaction, learning, application and completion figures; None without
    evaluations."""
    if found is None:
        return None
    return {
        "min_group_size": found.min_group_size,
        "confidence": found.confidence,
        "surveys": [_survey_result(result) for result in found.surveys],
        "learning": [_learning_result(result) for result in found.learning],
        "completion": [_completion(records) for records in found.completions],
        "notes": list(found.notes),
    }


def chain_list(steps: tuple[ChainStep, ...]) -> list[dict[str, Any]]:
    """The chain of impact, one entry per level; ``evidence`` false where a level has none."""
    return [
        {
            "level": step.name,
            "evidence": bool(step.figures),
            "withheld": step.withheld,
            "pending": step.pending,
            "n": step.n,
            "sources": list(step.sources),
            "figures": [_chain_figure(item) for item in step.figures],
        }
        for step in steps
    ]


def audit_list(audits: tuple[EvaluationAudit, ...]) -> list[dict[str, Any]]:
    """Each evaluation file read: its programme, what it is, its SHA-256 and responses."""
    return [
        {
            "program": audit.program,
            "name": audit.title,
            "path": audit.path,
            "sha256": audit.sha256,
            "level": audit.level.value,
            "moment": audit.moment.value,
            "tool": audit.tool.value,
            "responses": audit.responses,
        }
        for audit in audits
    ]


def _chain_figure(item: ChainFigure) -> dict[str, Any]:
    value = money_float(item.value) if item.measure is Measure.MONEY else figure(item.value)
    return {
        "name": item.key,
        "value": value,
        "measure": item.measure.value,
        "low": figure(item.low),
        "high": figure(item.high),
        "confidence": item.confidence,
        "of": item.of,
        "basis": item.basis.value if item.basis is not None else None,
        "label": item.label,
        "unit": item.unit,
        "status": item.status.value if item.status is not None else None,
        "multi_year": _multi_year_terms(item),
    }


def _multi_year_terms(item: ChainFigure) -> dict[str, Any] | None:
    """The terms of a multi-year ROI (its figures are the programme's ``multi_year``)."""
    found = item.multi_year
    if found is None:
        return None
    return {
        "years": found.years,
        "discount_rate": found.discount_rate,
        "roi_on": found.roi_on.value,
        "stated": found.stated,
    }


def _survey_result(result: SurveyResult) -> dict[str, Any]:
    return {
        "level": result.level.value,
        "moment": result.moment.value,
        **_survey(result.overall),
        "groups": [_survey(group) for group in result.groups],
        "differences": [_difference(item) for item in result.differences],
    }


def _survey(figures: SurveyFigures) -> dict[str, Any]:
    return {
        "evaluation": figures.evaluation,
        "group": figures.group,
        "respondents": figures.respondents,
        "response_rate": figure(figures.response_rate),
        "suppressed": figures.suppressed,
        "questions": [_question(question) for question in figures.questions],
    }


def _question(question: QuestionFigures) -> dict[str, Any]:
    return {
        "label": question.label,
        "text": question.text,
        "kind": question.kind.value,
        "answered": question.answered,
        "mean": figure(question.mean),
        "top_two": figure(question.top_two),
        "applying": figure(question.applying),
        "nps": figure(question.nps),
        "distribution": {count.label: count.count for count in question.distribution},
    }


def _learning_result(result: LearningResult) -> dict[str, Any]:
    return {
        **_learning(result.overall),
        "groups": [_learning(group) for group in result.groups],
        "differences": [_difference(item) for item in result.differences],
    }


def _learning(figures: LearningFigures) -> dict[str, Any]:
    gain = figures.gain
    return {
        "pre": figures.pre,
        "post": figures.post,
        "group": figures.group,
        "paired": figures.paired,
        "unpaired_pre": figures.unpaired_pre,
        "unpaired_post": figures.unpaired_post,
        "suppressed": figures.suppressed,
        "maximum": figure(figures.maximum),
        "pre_mean": figure(gain.pre_mean) if gain else None,
        "post_mean": figure(gain.post_mean) if gain else None,
        "mean_gain": figure(gain.mean) if gain else None,
        "gain_interval": _interval(gain.interval) if gain else None,
        "sd_gain": figure(gain.sd) if gain else None,
        "d_z": figure(gain.d_z) if gain else None,
        "improved": figure(gain.improved) if gain else None,
        "normalised_gain": figure(figures.normalised_gain),
        "pass_mark": figure(figures.pass_mark),
        "pass_rate_pre": figure(figures.pass_rate_pre),
        "pass_rate_post": figure(figures.pass_rate_post),
    }


def _completion(records: CompletionFigures) -> dict[str, Any]:
    return {
        "evaluation": records.evaluation,
        "learners": records.learners,
        "completed": records.completed,
        "completion_rate": figure(records.completion_rate),
        "passed": records.passed,
        "median_seconds": figure(records.median_seconds),
    }


def _difference(item: Difference) -> dict[str, Any]:
    return {
        "measure": item.measure,
        "reference": item.reference,
        "group": item.group,
        "difference": figure(item.difference),
        "interval": _interval(item.interval),
    }


def _interval(found: Interval | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"low": figure(found.low), "high": figure(found.high), "confidence": found.confidence}
