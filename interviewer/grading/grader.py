"""The `Grader`: an answer and a question in, a calibrated 0–100 score with its reasons out.

Steps for each answer: analyse the text; encode it once (whole text, sentences, word windows pooled from
one forward pass); measure similarity, coverage and wrong-claim evidence against every reference (here);
then combine them into the score and its reasons (`combine.py`).
"""

from __future__ import annotations

__all__ = ["Grade", "Grader", "MatchedConcept", "Measured", "WrongClaimReport", "is_curated", "verdict_for"]

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from interviewer import __version__
from interviewer.bank import Bank, Question
from interviewer.embeddings import Embedder, Encoded
from interviewer.grading import guards
from interviewer.grading.analysis import AnalyzedText, analyze
from interviewer.grading.calibration import Calibration
from interviewer.grading.combine import combine
from interviewer.grading.concept_match import (
    ConceptResult,
    match_concept,
    repaired_results,
    weighted_coverage,
)
from interviewer.grading.polarity import Reversal, reversed_claims
from interviewer.grading.prepared import (
    PreparedQuestion,
    is_curated,
    mean_vector,
    prepare_questions,
    question_key,
)
from interviewer.grading.result import Grade, MatchedConcept, WrongClaimReport, verdict_for
from interviewer.grading.roles import RoleSwap, swapped_roles
from interviewer.grading.similarity import concept_similarities, sentence_alignment, weighted_mean
from interviewer.grading.spelling import repair_typos
from interviewer.grading.wrong_claims import WrongClaim, find_wrong_claims

# Semantic credit for a concept rises from 0 at this cosine to full at SEMANTIC_FULL.
SEMANTIC_ZERO, SEMANTIC_FULL = 0.35, 0.75
# An answer this close to another question's reference (and not to its own) answers the other question.
OFF_TOPIC_MARGIN = 0.08
OFF_TOPIC_MAX_COVERAGE = 0.3
FEATURE_DECIMALS = 4
# Prepared questions kept in memory (least recently used dropped first): a million-row run of distinct ad-hoc
# questions must not grow; it must exceed the rows of one batch, or a batch would prepare some twice.
PREPARED_QUESTIONS_KEPT = 4096


@dataclass
class Measured:
    """Features and evidence of one answer, before they are combined into a score."""

    features: dict[str, float]
    concept_results: list[ConceptResult]
    semantic_credit: list[float]
    wrong_claims: list[WrongClaim]
    reversals: list[Reversal]  # the reference's plain claims the answer denies or turns around
    role_swap: RoleSwap | None  # two compared subjects given each other's words
    best_cosine: float
    question_cosine: float
    answer: AnalyzedText
    vector: np.ndarray[Any, Any]
    prepared: PreparedQuestion  # the question as measured against, so combining needs no second lookup
    # Share of the answer's own words the bank's subject uses (guards.specific_share); None off the bank.
    specific_share: float | None = None


class Grader:
    """Grades answers against questions (bank or ad hoc) with one embedder and one calibration."""

    def __init__(
        self,
        embedder: Embedder,
        calibration: Calibration,
        *,
        bank: Bank | None = None,
        reference_embedder: Embedder | None = None,
    ) -> None:
        self.embedder = embedder
        self.calibration = calibration
        self.bank = bank
        # Encodes the bank's references, questions and concepts (e.g. through the persistent cache); must give
        # the same vectors as `embedder`. Ad-hoc questions and answers always use `embedder`.
        self.reference_embedder = reference_embedder or embedder
        self._prepared: OrderedDict[tuple[Any, ...], PreparedQuestion] = OrderedDict()
        self._lock = threading.Lock()
        self._bank_vectors: tuple[list[str], np.ndarray[Any, Any]] | None = None
        self._vocabulary: frozenset[str] | None = None

    @property
    def version(self) -> str:
        """Grader id: package version, embedding model and hash, calibration fingerprint."""
        return f"interviewer-{__version__}/{self.embedder.model_id}/cal-{self.calibration.fingerprint}"

    # ----- public API -------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the model and prepare every bank question now (an interview runs this in the background)."""
        load = getattr(self.embedder, "load", None)
        if callable(load):
            load()
        if self.bank is not None:
            self.prepare(list(self.bank.questions))

    def grade(self, question: Question, answer: str) -> Grade:
        """Grade one answer to `question`."""
        return self.grade_many([(question, answer)])[0]

    def grade_many(self, items: Sequence[tuple[Question, str]]) -> list[Grade]:
        """Grade many (question, answer) pairs with batched encoding; same result as grading each alone."""
        return self.grade_measured([question for question, _ in items], self.measure_many(items))

    def grade_measured(self, questions: Sequence[Question], measured: Sequence[Measured]) -> list[Grade]:
        """Grades from already measured answers (cheap: lets calibration try many parameter sets)."""
        return [self._combine(question, m) for question, m in zip(questions, measured, strict=True)]

    def features_many(self, items: Sequence[tuple[Question, str]]) -> list[dict[str, float]]:
        """The calibration features of each pair (for fitting and evaluation)."""
        return [m.features for m in self.measure_many(items)]

    def prepare(self, questions: Sequence[Question]) -> list[PreparedQuestion]:
        """Analyse and encode questions and references that are not prepared yet (batched), then return all."""
        with self._lock:
            keys = [question_key(question) for question in questions]
            missing: dict[tuple[Any, ...], Question] = {}
            for key, question in zip(keys, questions, strict=True):
                if key in self._prepared:
                    self._prepared.move_to_end(key)
                elif key not in missing:
                    missing[key] = question
            for in_bank in (True, False):
                group = {key: q for key, q in missing.items() if self._in_bank(q) == in_bank}
                if group:
                    encoder = self.reference_embedder if in_bank else self.embedder
                    prepared = prepare_questions(list(group.values()), encoder)
                    self._prepared.update(zip(group, prepared, strict=True))
            result = [self._prepared[key] for key in keys]
            while len(self._prepared) > max(PREPARED_QUESTIONS_KEPT, len(keys)):
                self._prepared.popitem(last=False)
            return result

    @property
    def subject_vocabulary(self) -> frozenset[str]:
        """The words the bank's references and concept names use: its subject's vocabulary (built once)."""
        if self._vocabulary is None:
            questions = self.bank.questions if self.bank is not None else ()
            self._vocabulary = guards.technical_vocabulary(
                [text for q in questions for text in (*q.references, *(c.name for c in q.concepts))]
            )
        return self._vocabulary

    def _in_bank(self, question: Question) -> bool:
        """True for a question of the loaded bank (its embeddings may be cached on disk)."""
        return self.bank is not None and question.id in self.bank

    # ----- measuring --------------------------------------------------------------------------------

    def measure_many(self, items: Sequence[tuple[Question, str]]) -> list[Measured]:
        """Features and evidence for each pair; answers are encoded in one batched call."""
        prepared = self.prepare([question for question, _ in items])
        analyzed = [analyze(answer) for _, answer in items]
        known: frozenset[str] = getattr(self.embedder, "vocabulary", frozenset())
        # The model reads the answer with its typos repaired; lexical evidence keeps the words as written.
        repaired = [
            repair_typos(answer, p.spelling_index, known)
            for p, (_, answer) in zip(prepared, items, strict=True)
        ]
        for_model = [
            a if text == a.text else analyze(text) for a, text in zip(analyzed, repaired, strict=True)
        ]
        # Span layout of an answer: sentences, then word windows, then content words.
        spans = [text.sentence_spans + list(text.windows) + text.word_spans for text in for_model]
        encoded = self.embedder.encode(repaired, spans)
        return [
            self._measure(p, a, m, e)
            for p, a, m, e in zip(prepared, analyzed, for_model, encoded, strict=True)
        ]

    def _measure(
        self, prepared: PreparedQuestion, answer: AnalyzedText, as_encoded: AnalyzedText, encoded: Encoded
    ) -> Measured:
        """Features of one answer; `as_encoded` is the (typo-repaired) text whose spans `encoded` holds."""
        n_sentences, n_windows = len(as_encoded.sentences), len(as_encoded.windows)
        answer_sentences = encoded.spans[:n_sentences]
        answer_spans = encoded.spans[: n_sentences + n_windows]
        if not len(answer_spans):
            answer_spans = encoded.vector[None, :]
        answer_words = encoded.spans[n_sentences + n_windows :]
        answer_weights = [max(1.0, float(len(s.content))) for s in as_encoded.sentences]

        cosines = [float(encoded.vector @ ref.encoded.vector) for ref in prepared.references]
        best = int(np.argmax(cosines))
        reference = prepared.references[best]
        recall, precision = sentence_alignment(
            reference.encoded.spans[: len(reference.analyzed.sentences)],
            answer_sentences,
            reference_weights=reference.sentence_weights,
            answer_weights=answer_weights,
        )
        novel_answer = [
            i
            for i, token in enumerate(as_encoded.content_tokens)
            if token.stem not in prepared.question_stems
        ]
        novel_cosine = _pooled_cosine(answer_words[novel_answer], reference.novel_word_vector)
        word_recall_soft, word_precision_soft = sentence_alignment(
            reference.word_vectors, answer_words, reference_weights=reference.word_weights
        )

        wrong_claims = find_wrong_claims(prepared.question.misconceptions, answer)
        excluded = frozenset(claim.sentence for claim in wrong_claims)

        def concept_results(text: AnalyzedText) -> list[ConceptResult]:
            return [
                match_concept(
                    concept,
                    text,
                    partial=not prepared.curated,
                    excluded_sentences=excluded,
                    ignored_stems=prepared.question_stems,
                    skipped_reversals=prepared.skipped_reversals,
                )
                for concept in prepared.concepts
            ]

        results = concept_results(answer)
        if as_encoded is not answer and prepared.curated:
            # Regex aliases are not typo tolerant ("randonly zero out"): the repaired text may match where
            # the text as written does not; its evidence is mapped back onto the words as written.
            results = [
                better if better.credit > result.credit else result
                for result, better in zip(
                    results, repaired_results(concept_results(as_encoded), as_encoded, answer), strict=True
                )
            ]
        similarities = concept_similarities(prepared.concept_vectors, answer_spans)
        semantic_credit = [
            min(1.0, max(0.0, (float(s) - SEMANTIC_ZERO) / (SEMANTIC_FULL - SEMANTIC_ZERO)))
            for s in similarities
        ]
        weights = [concept.weight for concept in prepared.concepts]
        answer_stems = answer.content_stems
        new_reference_stems = prepared.reference_stems - prepared.question_stems
        features = {
            "cosine": max(cosines),
            "ref_alignment": recall,
            "answer_alignment": precision,
            "lexical_coverage": weighted_coverage(results),
            "semantic_coverage": weighted_mean(np.asarray(semantic_credit), weights) if weights else 0.0,
            "word_recall": _stem_recall(new_reference_stems, answer),
            "soft_word_recall": word_recall_soft,
            "soft_word_precision": word_precision_soft,
            "novel_cosine": novel_cosine,
            "length_ratio": _length_ratio(answer, reference.analyzed),
            "question_share": (
                len(answer_stems & prepared.question_stems) / len(answer_stems) if answer_stems else 0.0
            ),
        }
        features = {name: round(float(value), FEATURE_DECIMALS) for name, value in features.items()}
        return Measured(
            features=features,
            concept_results=results,
            semantic_credit=semantic_credit,
            wrong_claims=wrong_claims,
            reversals=reversed_claims(
                [ref.analyzed for ref in prepared.references], answer, prepared.question_stems
            ),
            role_swap=swapped_roles(
                prepared.question_stems, [ref.analyzed for ref in prepared.references], answer
            ),
            best_cosine=max(cosines),
            question_cosine=round(float(encoded.vector @ prepared.question_vector), FEATURE_DECIMALS),
            answer=answer,
            vector=encoded.vector,
            prepared=prepared,
            specific_share=(
                guards.specific_share(as_encoded, self.subject_vocabulary, prepared.question_stems)
                if prepared.curated and self._in_bank(prepared.question)
                else None
            ),
        )

    # ----- combining --------------------------------------------------------------------------------

    def _combine(self, question: Question, measured: Measured) -> Grade:
        return combine(
            measured,
            self.calibration,
            version=self.version,
            answers_other_question=lambda: self._answers_other_question(measured.prepared, measured),
        )

    def _answers_other_question(self, prepared: PreparedQuestion, measured: Measured) -> bool:
        """True when a bank answer is clearly closer to another bank question's reference than to its own."""
        if self.bank is None or not prepared.curated or prepared.question.id not in self.bank:
            return False
        # A stray shared word ("neurons") does not make an answer about dropout an answer about networks.
        if measured.features["lexical_coverage"] > OFF_TOPIC_MAX_COVERAGE:
            return False
        ids, vectors = self._other_references()
        sims = vectors @ measured.vector
        others = [float(s) for qid, s in zip(ids, sims, strict=True) if qid != prepared.question.id]
        return bool(others) and max(others) > measured.best_cosine + OFF_TOPIC_MARGIN

    def _other_references(self) -> tuple[list[str], np.ndarray[Any, Any]]:
        if self._bank_vectors is None:
            assert self.bank is not None
            prepared = self.prepare(list(self.bank.questions))
            ids = [p.question.id for p in prepared]
            vectors = np.stack([p.references[0].encoded.vector for p in prepared])
            self._bank_vectors = (ids, vectors)
        return self._bank_vectors


def _pooled_cosine(vectors: np.ndarray[Any, Any], target: np.ndarray[Any, Any]) -> float:
    """Cosine between the mean of `vectors` and a unit `target`; 0 when either is empty."""
    if not len(vectors) or not target.any():
        return 0.0
    return float(mean_vector(vectors, len(target)) @ target)


def _stem_recall(stems: frozenset[str], answer: AnalyzedText) -> float:
    if not stems:
        return 0.0
    return len(stems & answer.content_stems) / len(stems)


def _length_ratio(answer: AnalyzedText, reference: AnalyzedText) -> float:
    reference_words = max(1, len(reference.content_tokens))
    return min(1.0, math.log1p(len(answer.content_tokens)) / math.log1p(reference_words))
