"""Embedding-similarity features: whole-text cosine, sentence alignment both ways, semantic concept coverage.

Pure functions over unit-length vectors (rows); every similarity is a cosine in [-1, 1].
"""

from __future__ import annotations

from typing import Any

import numpy as np

Matrix = np.ndarray[Any, np.dtype[np.float32]]


def best_match_similarities(queries: Matrix, candidates: Matrix) -> np.ndarray[Any, np.dtype[np.float64]]:
    """For each query row, its highest cosine with any candidate row; zeros when there are no candidates."""
    if len(queries) == 0:
        return np.zeros(0)
    if len(candidates) == 0:
        return np.zeros(len(queries))
    return np.asarray((queries @ candidates.T).max(axis=1), dtype=np.float64)


def weighted_mean(values: np.ndarray[Any, Any], weights: list[float] | None = None) -> float:
    """Mean of `values`, weighted when `weights` is given; 0.0 for no values."""
    if len(values) == 0:
        return 0.0
    if weights is None:
        return float(np.mean(values))
    total = float(sum(weights))
    if total <= 0:
        return float(np.mean(values))
    return float(np.dot(values, np.asarray(weights, dtype=np.float64)) / total)


def sentence_alignment(
    reference_sentences: Matrix,
    answer_sentences: Matrix,
    *,
    reference_weights: list[float] | None = None,
    answer_weights: list[float] | None = None,
) -> tuple[float, float]:
    """(recall, precision): how well each reference sentence is matched by some answer sentence, and the reverse.

    Each is a weighted mean of best-match cosines; weights are usually sentence lengths in content words.
    """
    recall = weighted_mean(best_match_similarities(reference_sentences, answer_sentences), reference_weights)
    precision = weighted_mean(best_match_similarities(answer_sentences, reference_sentences), answer_weights)
    return recall, precision


def concept_similarities(
    concept_vectors: Matrix, answer_spans: Matrix
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """For each concept vector, the best cosine with any answer span (sentence or word window)."""
    return best_match_similarities(concept_vectors, answer_spans)
