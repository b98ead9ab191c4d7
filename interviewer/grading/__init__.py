"""Grading: features of an answer against reference answers and concepts, combined into a calibrated score.

`load_grader()` is the one way the commands get a `Grader`; it imports nothing heavy until an answer is
actually encoded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewer.bank import Bank
    from interviewer.grading.grader import Grader


def load_grader(
    *, bank: Bank | None = None, model: str | Path | None = None, calibration: str | Path | None = None
) -> Grader:
    """A Grader over the packaged (or given) embedding model and calibration; the model loads lazily."""
    from interviewer.embedding_cache import CachingEmbedder
    from interviewer.embeddings import get_embedder
    from interviewer.grading.calibration import load_calibration
    from interviewer.grading.grader import Grader

    embedder = get_embedder(model)
    return Grader(
        embedder, load_calibration(calibration), bank=bank, reference_embedder=CachingEmbedder(embedder)
    )
