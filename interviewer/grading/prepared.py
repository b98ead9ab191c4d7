"""Everything about a question that does not depend on the answer: analysed references, their sentence, word
and concept vectors, the question's own words — computed once per question and reused for every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from interviewer.bank import Concept, Question
from interviewer.embeddings import Embedder, Encoded, normalize_rows
from interviewer.grading.analysis import AnalyzedText, analyze
from interviewer.grading.concept_match import affirmed_reversals, match_concept
from interviewer.grading.spelling import vocabulary_index
from interviewer.keyphrases import extract_concepts
from interviewer.text import content_stems

# Reference words the question already contains count this much in word-level alignment.
QUESTION_WORD_WEIGHT = 0.35


@dataclass(frozen=True)
class PreparedReference:
    """One reference answer, analysed and encoded (sentence vectors pooled from one pass)."""

    analyzed: AnalyzedText
    encoded: Encoded
    sentence_weights: list[float]
    word_vectors: np.ndarray[Any, np.dtype[np.float32]]
    word_weights: list[float]
    novel_word_vector: np.ndarray[Any, np.dtype[np.float32]]  # mean of the words the question does not use


@dataclass(frozen=True)
class PreparedQuestion:
    """Everything about a question that does not depend on the answer, computed once."""

    question: Question
    curated: bool
    concepts: tuple[Concept, ...]
    references: tuple[PreparedReference, ...]
    concept_vectors: np.ndarray[Any, np.dtype[np.float32]]
    question_vector: np.ndarray[Any, np.dtype[np.float32]]
    question_stems: frozenset[str]
    reference_stems: frozenset[str]
    spelling_index: dict[str, tuple[str, ...]]  # the question's own words, for typo repair
    # Reversed aliases that another concept states as true: not denials in this question.
    skipped_reversals: frozenset[tuple[str, tuple[str, ...]]] = frozenset()


def is_curated(question: Question) -> bool:
    """True for questions whose concepts were written by an author, with several aliases each.

    Only these are matched all-or-nothing per alias and scale the score by coverage. Concepts given as bare
    phrases (an ad-hoc row's `concepts`, or an imported bank's extracted ones) are matched like concepts
    extracted from the reference: partial credit for the share of the phrase's words found.
    """
    return any(len(concept.aliases) >= 2 for concept in question.concepts)


def question_key(question: Question) -> tuple[Any, ...]:
    """What identifies a prepared question: everything about it that grading reads."""
    return (question.id, question.question, question.references, question.concepts, question.misconceptions)


def prepare_questions(questions: list[Question], encoder: Embedder) -> list[PreparedQuestion]:
    """Analyse and encode questions, references and concepts in one batched call."""
    plans = []
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    for question in questions:
        curated = is_curated(question)
        # Concepts given with the question (curated or bare phrases) win; otherwise extract them.
        concepts = (
            tuple(question.concepts)
            if question.concepts
            else tuple(extract_concepts(question.reference, question.question))
        )
        references = [analyze(text) for text in question.references]
        concept_locations: list[tuple[int, int, int] | None] = []
        # Span layout of a reference: sentences, content words, then the concepts found in it.
        reference_spans = [ref.sentence_spans + ref.word_spans for ref in references]
        for concept in concepts:
            location = None
            for ref_index, ref in enumerate(references):
                hit = match_concept(concept, ref).evidence
                if hit is not None:
                    location = (ref_index, len(reference_spans[ref_index]), 0)
                    reference_spans[ref_index] = [*reference_spans[ref_index], (hit.start, hit.end)]
                    break
            concept_locations.append(location)
        first = len(texts)
        texts.extend(question.references)
        spans.extend(reference_spans)
        texts.append(question.question)
        spans.append([])
        standalone = [c.name for c, loc in zip(concepts, concept_locations, strict=True) if loc is None]
        texts.extend(standalone)
        spans.extend([] for _ in standalone)
        plans.append((question, curated, concepts, references, concept_locations, first))
    encoded = encoder.encode(texts, spans)
    prepared: list[PreparedQuestion] = []
    for question, curated, concepts, references, locations, first in plans:
        ref_encoded = encoded[first : first + len(references)]
        standalone_iter = iter(encoded[first + len(references) + 1 :])
        vectors = []
        for location in locations:
            if location is None:
                vectors.append(next(standalone_iter).vector)
            else:
                ref_index, span_index, _ = location
                vectors.append(ref_encoded[ref_index].spans[span_index])
        dim = encoded[first].vector.shape[-1]
        question_stems = frozenset(content_stems(question.question))
        concept_vectors = normalize_rows(np.stack(vectors)) if vectors else np.zeros((0, dim), np.float32)
        prepared.append(
            PreparedQuestion(
                question=question,
                curated=curated,
                concepts=concepts,
                references=tuple(
                    PreparedReference(
                        analyzed=ref,
                        encoded=enc,
                        sentence_weights=[max(1.0, float(len(s.content))) for s in ref.sentences],
                        word_vectors=enc.spans[
                            len(ref.sentences) : len(ref.sentences) + len(ref.content_tokens)
                        ],
                        word_weights=[
                            QUESTION_WORD_WEIGHT if token.stem in question_stems else 1.0
                            for token in ref.content_tokens
                        ],
                        novel_word_vector=mean_vector(
                            enc.spans[len(ref.sentences) : len(ref.sentences) + len(ref.content_tokens)][
                                [t.stem not in question_stems for t in ref.content_tokens]
                            ],
                            dim,
                        ),
                    )
                    for ref, enc in zip(references, ref_encoded, strict=True)
                ),
                concept_vectors=concept_vectors,
                question_vector=encoded[first + len(references)].vector,
                question_stems=question_stems,
                spelling_index=vocabulary_index(
                    [question.question, *question.references]
                    + [text for concept in concepts for text in (concept.name, *concept.aliases)]
                ),
                reference_stems=frozenset(s for ref in references for s in ref.content_stems),
                skipped_reversals=affirmed_reversals(concepts) if curated else frozenset(),
            )
        )
    return prepared


def mean_vector(vectors: np.ndarray[Any, Any], dim: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Unit-length mean of the rows (zeros for none)."""
    if not len(vectors):
        return np.zeros(dim, dtype=np.float32)
    return normalize_rows(vectors.mean(axis=0))
