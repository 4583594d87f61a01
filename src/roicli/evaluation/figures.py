"""Kirkpatrick levels 1 to 3 from participant-level data: plain frozen figures (pure).

A renderer shows these as they are. A figure built on fewer than ``min_group_size`` people is
withheld (None, with ``suppressed`` set), counts stay. Shares are fractions (0.25 for 25 %).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from roicli.evaluation.inference import Interval, PairedGain, paired_gain, welch
from roicli.evaluation.model import Answers, EvaluationData, Kind, Response
from roicli.evaluation.privacy import suppressed_groups

Selection = Sequence[int]  # positions of the responses a figure is built on
PROMOTER = 9
DETRACTOR = 6
OTHER = "(other answers)"  # the rare categories, counted together


@dataclass(frozen=True)
class Count:
    """One bar of a distribution: an answer as written and how many gave it."""

    label: str
    count: int


@dataclass(frozen=True)
class QuestionFigures:
    """Level 1 or 3 figures of one question."""

    label: str  # the question's code, else its text
    text: str
    kind: Kind
    answered: int
    mean: float | None = None  # of the scores (scales, numbers, 0-10)
    top_two: float | None = None  # share of answers on the scale's two highest points
    applying: float | None = None  # share applying: top-2-box, "yes" or ticked
    nps: float | None = None  # % promoters (9-10) − % detractors (0-6), from −100 to 100
    distribution: tuple[Count, ...] = ()


@dataclass(frozen=True)
class SurveyFigures:
    """A reaction or application survey: respondents, response rate, each question."""

    evaluation: str
    group: str | None  # None: everyone
    respondents: int
    response_rate: float | None  # respondents / the programme's participants
    questions: tuple[QuestionFigures, ...]
    suppressed: bool = False


@dataclass(frozen=True)
class LearningFigures:
    """Pre- and post-test scores paired by participant; unpaired scores only counted."""

    pre: str
    post: str
    group: str | None
    paired: int
    unpaired_pre: int  # a pre-score with no post-score: never in the figures
    unpaired_post: int
    maximum: float | None
    gain: PairedGain | None  # None when suppressed or with no pair
    normalised_gain: float | None  # Hake's <g> on the means: (post − pre) / (max − pre)
    pass_mark: float | None
    pass_rate_pre: float | None
    pass_rate_post: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class CompletionFigures:
    """LMS or xAPI completions: who completed, passed, and the median time taken."""

    evaluation: str
    learners: int
    completed: int
    completion_rate: float | None  # completed / participants, else / learners
    passed: int | None  # None when the records say nothing of passing
    median_seconds: float | None


@dataclass(frozen=True)
class Difference:
    """A group's figure minus the reference group's, with its Welch interval."""

    measure: str  # "gain", or a question's label
    reference: str
    group: str
    difference: float | None  # None when either group is suppressed
    interval: Interval | None


def survey(
    data: EvaluationData,
    *,
    participants: int | None,
    min_group_size: int,
    group: str | None = None,
    withheld: bool = False,
    folded: Mapping[int, frozenset[str]] | None = None,
) -> SurveyFigures:
    """A reaction or application survey's figures, for everyone or for one group.

    ``withheld`` suppresses them whatever their size (a group that would give another away);
    ``folded`` names, per question (its index), answers counted as OTHER however many gave them.
    """
    chosen = _selection(data.responses, group)
    hidden = withheld or len(chosen) < min_group_size
    return SurveyFigures(
        evaluation=data.title,
        group=group,
        respondents=len(chosen),
        response_rate=_rate(len(chosen), participants) if group is None else None,
        questions=tuple(
            _question(
                answers,
                chosen,
                hidden=hidden,
                minimum=min_group_size,
                folded=(folded or {}).get(index, frozenset()),
            )
            for index, answers in enumerate(data.answers)
        ),
        suppressed=hidden,
    )


def _question(
    answers: Answers,
    chosen: Selection,
    *,
    hidden: bool,
    minimum: int,
    folded: frozenset[str] = frozenset(),
) -> QuestionFigures:
    scores = [s for i in chosen if (s := answers.scores[i]) is not None]
    labels = [label for i in chosen if (label := answers.labels[i]) is not None]
    question = answers.question
    base = QuestionFigures(
        label=question.label,
        text=question.text,
        kind=answers.kind,
        answered=len(scores) if answers.kind is not Kind.CATEGORY else len(labels),
    )
    if hidden or answers.kind in (Kind.TEXT, Kind.PERSON):
        return base
    if answers.kind is Kind.CATEGORY:
        return replace(base, distribution=_categories(labels, minimum, folded))
    if answers.kind is Kind.CHOICE:
        return replace(base, applying=_rate(len(scores), len(chosen)))
    return _scored(base, answers, scores)


def _categories(
    labels: Sequence[str], minimum: int, folded: frozenset[str] = frozenset()
) -> tuple[Count, ...]:
    """Each answer as written and how many gave it; answers given by fewer than ``minimum``
    people, or ``folded``, are counted together as OTHER, since a rare answer (a department
    of one, a name) can point at a person."""
    counted = Counter(labels).most_common()
    shown = [Count(label, n) for label, n in counted if n >= minimum and label not in folded]
    rest = sum(n for label, n in counted if n < minimum or label in folded)
    return (*shown, Count(OTHER, rest)) if rest else tuple(shown)


def _scored(base: QuestionFigures, answers: Answers, scores: list[float]) -> QuestionFigures:
    if not scores:
        return base
    mean = statistics.fmean(scores)
    scale = answers.scale
    top = scale.top_two if scale is not None and answers.kind is Kind.SCALE else None
    top_two = _rate(sum(s in top for s in scores), len(scores)) if top else None
    if answers.kind is Kind.NPS:
        promoters = sum(s >= PROMOTER for s in scores) / len(scores)
        detractors = sum(s <= DETRACTOR for s in scores) / len(scores)
        return replace(
            base,
            mean=mean,
            nps=(promoters - detractors) * 100,
            top_two=promoters,
            distribution=_distribution(answers, scores),
        )
    if answers.kind is Kind.YES_NO:
        yes = sum(s > 0 for s in scores)
        distribution = (Count("yes", yes), Count("no", len(scores) - yes))
        return replace(base, applying=yes / len(scores), distribution=distribution)
    return replace(
        base,
        mean=mean,
        top_two=top_two,
        applying=top_two,
        distribution=_distribution(answers, scores),
    )


def _distribution(answers: Answers, scores: list[float]) -> tuple[Count, ...]:
    counted = Counter(scores)
    scale = answers.scale
    if scale is not None:
        return tuple(Count(scale.label_of(point), counted[point]) for point in scale.points)
    if len(counted) > 11:  # a spread of numbers, not a few ratings: the mean says it
        return ()
    return tuple(Count(f"{value:g}", counted[value]) for value in sorted(counted))


def learning(
    pre: EvaluationData,
    post: EvaluationData,
    *,
    min_group_size: int,
    group: str | None = None,
    withheld: bool = False,
) -> LearningFigures:
    """Pre/post scores paired by pseudonym: the first pre-test attempt, the last post-test.

    ``withheld`` suppresses them whatever their size (see ``survey``).
    """
    before = _scores(pre, group, last=False)
    after = _scores(post, group, last=True)
    both = [key for key in after if key in before]
    pairs = [(before[key], after[key]) for key in both]
    hidden = withheld or len(pairs) < min_group_size
    maximum = _common_maximum(pre, post)
    mark_setting = post.evaluation.pass_mark or pre.evaluation.pass_mark
    mark = mark_setting.threshold(maximum) if mark_setting else None
    gain = paired_gain(pairs) if pairs and not hidden else None
    return LearningFigures(
        pre=pre.title,
        post=post.title,
        group=group,
        paired=len(pairs),
        unpaired_pre=len(before) - len(pairs) + _anonymous(pre, group),
        unpaired_post=len(after) - len(pairs) + _anonymous(post, group),
        maximum=maximum,
        gain=gain,
        normalised_gain=_hake(gain, maximum),
        pass_mark=mark,
        pass_rate_pre=_pass_rate([p for p, _ in pairs], mark, hidden=hidden),
        pass_rate_post=_pass_rate([q for _, q in pairs], mark, hidden=hidden),
        suppressed=hidden,
    )


def _scores(data: EvaluationData, group: str | None, *, last: bool) -> dict[str, float]:
    """Each participant's score; a retaken test counts its first (pre) or last (post) attempt."""
    if data.score is None:
        return {}
    order = _chronological(data.responses)
    if last:
        order = order[::-1]
    found: dict[str, float] = {}
    for i in order:
        response = data.responses[i]
        value = data.score.values[i]
        key = response.participant
        if key is None or value is None or (group is not None and response.group != group):
            continue
        found.setdefault(key, value)
    return found


def _anonymous(data: EvaluationData, group: str | None) -> int:
    """Scores with no participant key: they cannot be paired."""
    if data.score is None:
        return 0
    return sum(
        1
        for response, value in zip(data.responses, data.score.values, strict=True)
        if response.participant is None
        and value is not None
        and (group is None or response.group == group)
    )


def _chronological(responses: Sequence[Response]) -> list[int]:
    """Response positions by timestamp when every response has one, else in file order."""
    if all(response.timestamp is not None for response in responses):
        return sorted(range(len(responses)), key=lambda i: (responses[i].timestamp, i))
    return list(range(len(responses)))


def _common_maximum(pre: EvaluationData, post: EvaluationData) -> float | None:
    maxima = {data.score.maximum for data in (pre, post) if data.score is not None}
    return maxima.pop() if len(maxima) == 1 else None


def _hake(gain: PairedGain | None, maximum: float | None) -> float | None:
    """Hake's normalised gain on the class means; None when the pre-test mean is the maximum."""
    if gain is None or maximum is None or gain.pre_mean >= maximum:
        return None
    return (gain.post_mean - gain.pre_mean) / (maximum - gain.pre_mean)


def _pass_rate(scores: Sequence[float], mark: float | None, *, hidden: bool) -> float | None:
    if mark is None or hidden or not scores:
        return None
    return sum(score >= mark for score in scores) / len(scores)


def completion(data: EvaluationData, *, participants: int | None) -> CompletionFigures:
    """Completions among the learners of LMS or xAPI records."""
    known = [r for r in data.responses if r.completed is not None]
    completed = sum(1 for r in known if r.completed)
    told = [r.passed for r in data.responses if r.passed is not None]
    times = [r.duration for r in data.responses if r.completed and r.duration is not None]
    return CompletionFigures(
        evaluation=data.title,
        learners=len(data.responses),
        completed=completed,
        completion_rate=_rate(completed, participants or len(data.responses)),
        passed=sum(told) if told else None,
        median_seconds=statistics.median(times) if times else None,
    )


def groups_of(*datasets: EvaluationData) -> list[str]:
    """The groups the responses name, sorted: the first is the reference of differences."""
    return sorted({r.group for data in datasets for r in data.responses if r.group is not None})


def survey_cohorts(
    data: EvaluationData, *, min_group_size: int
) -> tuple[tuple[SurveyFigures, ...], tuple[Difference, ...]]:
    """Each group's survey figures, and each question's mean difference from the first group."""
    groups = groups_of(data)
    sizes = {g: len(_selection(data.responses, g)) for g in groups}
    hidden = suppressed_groups(sizes, min_group_size)
    folded = {
        index: _rare_in_a_group(answers, data.responses, groups, min_group_size)
        for index, answers in enumerate(data.answers)
        if answers.kind is Kind.CATEGORY
    }
    figures = tuple(
        survey(
            data,
            participants=None,
            min_group_size=min_group_size,
            group=g,
            withheld=g in hidden,
            folded=folded,
        )
        for g in groups
    )
    differences: list[Difference] = []
    for answers in data.answers:
        if answers.kind not in (Kind.SCALE, Kind.NPS, Kind.NUMBER):
            continue
        values = {g: _values(answers.scores, _selection(data.responses, g)) for g in groups}
        differences += _differences(answers.question.label, groups, values, hidden)
    return figures, tuple(differences)


def _rare_in_a_group(
    answers: Answers, responses: Sequence[Response], groups: Sequence[str], minimum: int
) -> frozenset[str]:
    """The answers some group (or the responses with none) gave fewer than ``minimum`` times,
    but at least once: counted as OTHER in every group, or everyone's count minus the other
    groups' would give that group's away (6 Legal in all, 5 in one group: the other group's
    Legal is one person)."""
    ungrouped = [i for i, response in enumerate(responses) if response.group is None]
    rare: set[str] = set()
    for chosen in (*(_selection(responses, g) for g in groups), ungrouped):
        counted = Counter(label for i in chosen if (label := answers.labels[i]) is not None)
        rare |= {label for label, n in counted.items() if n < minimum}
    return frozenset(rare)


def learning_cohorts(
    pre: EvaluationData, post: EvaluationData, *, min_group_size: int
) -> tuple[tuple[LearningFigures, ...], tuple[Difference, ...]]:
    """Each group's learning figures, and its mean gain's difference from the first group."""
    groups = groups_of(pre, post)
    gains: dict[str, list[float]] = {}
    for g in groups:
        before = _scores(pre, g, last=False)
        after = _scores(post, g, last=True)
        gains[g] = [after[key] - before[key] for key in after if key in before]
    hidden = suppressed_groups({g: len(v) for g, v in gains.items()}, min_group_size)
    figures = tuple(
        learning(pre, post, min_group_size=min_group_size, group=g, withheld=g in hidden)
        for g in groups
    )
    return figures, tuple(_differences("gain", groups, gains, hidden))


def _differences(
    measure: str,
    groups: Sequence[str],
    values: dict[str, list[float]],
    hidden: frozenset[str],
) -> list[Difference]:
    if len(groups) < 2:
        return []
    reference = groups[0]
    found = []
    for g in groups[1:]:
        shown = reference not in hidden and g not in hidden and values[reference] and values[g]
        difference, interval = welch(values[reference], values[g]) if shown else (None, None)
        found.append(Difference(measure, reference, g, difference, interval))
    return found


def _values(scores: Sequence[float | None], chosen: Selection) -> list[float]:
    return [s for i in chosen if (s := scores[i]) is not None]


def _selection(responses: Sequence[Response], group: str | None) -> list[int]:
    return [i for i, r in enumerate(responses) if group is None or r.group == group]


def _rate(part: int, whole: int | None) -> float | None:
    return part / whole if whole else None
