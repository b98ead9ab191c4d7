"""Summaries of recorded answers: mean score, per-topic averages, weakest concepts, history across sessions.

Pure functions over `AnswerRecord`s (and the bank, to weigh concepts and find the questions that train
them); the end-of-session screen and `interviewer history` both render what these return.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from interviewer.bank import Bank
from interviewer.history import AnswerRecord, SessionRecord

WEAKEST_LIMIT = 3


@dataclass(frozen=True)
class WeakConcept:
    """A concept the candidate missed, how much it cost (weight × shortfall), and questions that train it."""

    concept: str
    cost: float
    questions: tuple[str, ...]


def graded(answers: Iterable[AnswerRecord]) -> list[AnswerRecord]:
    """The answers that carry a score (skipped questions have none)."""
    return [answer for answer in answers if answer.score is not None]


def mean_score(answers: Iterable[AnswerRecord]) -> float | None:
    """Mean 0–100 score of the graded answers, one decimal; None when nothing was graded."""
    scores = [answer.score for answer in graded(answers) if answer.score is not None]
    return round(fmean(scores), 1) if scores else None


def topic_averages(answers: Iterable[AnswerRecord]) -> dict[str, float]:
    """Mean score per topic (one decimal), topics sorted by name."""
    by_topic: dict[str, list[float]] = defaultdict(list)
    for answer in graded(answers):
        if answer.score is not None:
            by_topic[answer.topic].append(answer.score)
    return {topic: round(fmean(scores), 1) for topic, scores in sorted(by_topic.items())}


def weakest_concepts(
    answers: Sequence[AnswerRecord], bank: Bank | None, *, limit: int = WEAKEST_LIMIT
) -> list[WeakConcept]:
    """The `limit` missed concepts that cost most (weight × (1 − score/100)), with bank questions on them."""
    costs: dict[str, float] = defaultdict(float)
    names: dict[str, str] = {}
    where_missed: dict[str, list[str]] = defaultdict(list)
    for answer in answers:
        missed, score = _missed_concepts(answer, bank)
        weights = _concept_weights(answer.question_id, bank)
        for name in missed:
            key = name.casefold()
            names.setdefault(key, name)
            # A concept missed on a weak answer says more than one missed on an otherwise strong answer.
            costs[key] += weights.get(key, 1.0) * (1.0 - score / 100.0)
            if answer.question_id not in where_missed[key]:
                where_missed[key].append(answer.question_id)
    ranked = sorted(costs, key=lambda key: (-costs[key], names[key]))[:limit]
    return [
        WeakConcept(names[key], round(costs[key], 2), _training_questions(key, bank, where_missed[key]))
        for key in ranked
        if costs[key] > 0
    ]


def _missed_concepts(answer: AnswerRecord, bank: Bank | None) -> tuple[list[str], float]:
    """Missed concept names and the score they were missed at; a skip misses every concept at 0."""
    if answer.grade is not None and answer.score is not None:
        return list(answer.grade.get("concepts_missed", [])), answer.score
    if answer.skipped and bank is not None and answer.question_id in bank:
        return [concept.name for concept in bank.get(answer.question_id).concepts], 0.0
    return [], 0.0


def _concept_weights(question_id: str, bank: Bank | None) -> dict[str, float]:
    if bank is None or question_id not in bank:
        return {}
    return {concept.name.casefold(): concept.weight for concept in bank.get(question_id).concepts}


def _training_questions(key: str, bank: Bank | None, fallback: list[str]) -> tuple[str, ...]:
    """Bank questions with a concept of this name (the ones it was missed on first), else where missed."""
    if bank is None:
        return tuple(fallback)
    on_concept = [q.id for q in bank.questions if any(c.name.casefold() == key for c in q.concepts)]
    ordered = [qid for qid in fallback if qid in on_concept] + [
        qid for qid in on_concept if qid not in fallback
    ]
    return tuple(ordered or fallback)


def history_overview(
    sessions: Sequence[SessionRecord], answers: dict[str, list[AnswerRecord]]
) -> dict[str, Any]:
    """`{"sessions": [...], "topics": {topic: [per-session means, oldest first]}}` for `interviewer history`."""
    entries = []
    trend: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        recorded = answers.get(session.id, [])
        entries.append(
            {
                "id": session.id,
                "started_at": session.started_at,
                "finished_at": session.finished_at,
                "years": session.years,
                "band": session.band,
                "seed": session.seed,
                "bank": session.bank,
                "status": session.status,
                "planned": len(session.plan),
                "answered": len(graded(recorded)),
                "skipped": sum(answer.skipped for answer in recorded),
                "mean_score": mean_score(recorded),
                "answers": [_answer_entry(answer) for answer in recorded],
            }
        )
        counts: dict[str, int] = defaultdict(int)
        for answer in graded(recorded):
            counts[answer.topic] += 1
        for topic, average in topic_averages(recorded).items():
            trend[topic].append(
                {
                    "session": session.id,
                    "started_at": session.started_at,
                    "mean_score": average,
                    "answers": counts[topic],
                }
            )
    return {"sessions": entries, "topics": dict(sorted(trend.items()))}


def _answer_entry(answer: AnswerRecord) -> dict[str, Any]:
    grade = answer.grade or {}
    return {
        "position": answer.position,
        "question_id": answer.question_id,
        "level": answer.level,
        "topic": answer.topic,
        "score": answer.score,
        "verdict": grade.get("verdict"),
        "skipped": answer.skipped,
        "hint_count": len(answer.hints),
        "concepts_missed": list(grade.get("concepts_missed", [])),
        "flags": list(grade.get("flags", [])),
        "created_at": answer.created_at,
    }
