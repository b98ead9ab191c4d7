"""The calibrated combiner: features → base score in [0, 1], fitted on human grades, stored as JSON.

The model is a logistic regression with soft targets (a grade of 4/5 is the target 0.8), fitted by
L-BFGS-B with non-negative weights on every feature where more evidence must never lower the score.
Fitting is deterministic: the same rows give the same file. Grading needs only the JSON, no scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interviewer import paths
from interviewer.errors import ModelError

FEATURES = (
    "cosine",
    "ref_alignment",
    "answer_alignment",
    "lexical_coverage",
    "semantic_coverage",
    "word_recall",
    "soft_word_recall",
    "soft_word_precision",
    "novel_cosine",
    "length_ratio",
    "question_share",
)
# Features whose weight may be negative: repeating the question is not evidence of knowing the answer.
SIGNED_FEATURES = frozenset({"question_share"})
L2_PENALTY = 1e-3


@dataclass(frozen=True)
class BankStage:
    """How curated concept coverage shapes the score of a bank question: base^alpha × coverage-factor.

    coverage-factor = floor + (1 - floor) × min(1, coverage / full_at) ** beta, so an answer covering the
    weighted share `full_at` of the concepts keeps its whole base score and one covering none keeps `floor`.
    A concept not matched by any alias still earns `semantic_share` × its semantic credit.
    """

    alpha: float = 1.0
    beta: float = 1.0
    full_at: float = 0.8
    floor: float = 0.15
    semantic_share: float = 0.0

    def coverage(self, lexical: list[float], semantic: list[float], weights: list[float]) -> float:
        """Weighted concept coverage in [0, 1]: per concept, its alias credit or its discounted semantic credit."""
        total = sum(weights)
        if total <= 0:
            return 0.0
        credits = [max(lex, self.semantic_share * sem) for lex, sem in zip(lexical, semantic, strict=True)]
        return sum(c * w for c, w in zip(credits, weights, strict=True)) / total

    def factor(self, coverage: float) -> float:
        """The coverage factor in [floor, 1]."""
        reached = min(1.0, max(0.0, coverage) / self.full_at) if self.full_at > 0 else 1.0
        return float(self.floor + (1.0 - self.floor) * reached**self.beta)

    def apply(self, base: float, coverage: float) -> float:
        """Bank-question score in [0, 1] from the calibrated base and weighted concept coverage."""
        return float(max(0.0, base) ** self.alpha * self.factor(coverage))


@dataclass(frozen=True)
class Penalties:
    """Score multipliers and caps (fractions of 100) applied after the calibrated combination."""

    wrong_claim: float = 0.6  # multiplier per recognised misconception (at most two applied)
    negated_concept: float = 0.5  # a core idea stated in the negative (flag precision checked on the dev set)
    core_missed: float = 0.8  # multiplier when a bank question's top-weight concepts are mostly missed
    keyword_list_cap: float = 0.2
    hedge_cap: float = 0.1
    restates_question_cap: float = 0.2
    off_topic_cap: float = 0.2
    gibberish_cap: float = 0.05
    filler_cap: float = 0.3


@dataclass(frozen=True)
class Calibration:
    """A fitted combiner and everything needed to apply and trace it."""

    features: tuple[str, ...] = FEATURES
    weights: tuple[float, ...] = (1.2, 1.0, 0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5, 0.5, -1.0)
    intercept: float = -3.0
    threshold: float = 0.6
    bank_stage: BankStage = field(default_factory=BankStage)
    penalties: Penalties = field(default_factory=Penalties)
    provenance: dict[str, Any] = field(default_factory=dict)

    def logit(self, values: dict[str, float]) -> float:
        """The linear score before the logistic link."""
        return float(self.intercept) + sum(
            w * values[name] for name, w in zip(self.features, self.weights, strict=True)
        )

    def base(self, values: dict[str, float]) -> float:
        """Calibrated base score in (0, 1) for a feature dict."""
        return _sigmoid(self.logit(values))

    def contributions(self, values: dict[str, float]) -> dict[str, float]:
        """Each feature's weight × value, in logit units (the intercept under "intercept")."""
        parts = {name: w * values[name] for name, w in zip(self.features, self.weights, strict=True)}
        parts["intercept"] = self.intercept
        return parts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see `load_calibration`)."""
        return {
            "format": "interviewer-grader/1",
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 6),
            "bank_stage": self.bank_stage.__dict__,
            "penalties": self.penalties.__dict__,
            "provenance": self.provenance,
        }

    @property
    def fingerprint(self) -> str:
        """Short hash of the parameters (not the provenance), part of every grade's `grader` id."""
        data = self.to_dict()
        data.pop("provenance")
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def load_calibration(path: Path | str | None = None) -> Calibration:
    """Read a grader JSON (default: the one shipped in the package); ModelError on a bad file."""
    path = Path(path) if path else paths.default_grader()
    if not path.is_file():
        return Calibration()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = tuple(str(name) for name in data["features"])
        unknown = set(features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features {sorted(unknown)}")
        return Calibration(
            features=features,
            weights=tuple(float(w) for w in data["weights"]),
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.6)),
            bank_stage=BankStage(**data.get("bank_stage", {})),
            penalties=Penalties(**data.get("penalties", {})),
            provenance=dict(data.get("provenance", {})),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(
            f"{path}: not a valid grader calibration ({error}); refit it with `interviewer calibrate` "
            "or reinstall the package"
        ) from error


def fit_logistic(
    matrix: np.ndarray[Any, Any],
    targets: np.ndarray[Any, Any],
    sample_weights: np.ndarray[Any, Any],
    *,
    features: Sequence[str] = FEATURES,
    l2: float = L2_PENALTY,
) -> tuple[tuple[float, ...], float]:
    """(weights, intercept) minimising weighted cross-entropy with soft targets in [0, 1] plus an L2 term.

    Weights of features outside SIGNED_FEATURES are bounded below by 0 (monotone in the evidence).
    """
    from scipy.optimize import minimize

    x = np.asarray(matrix, dtype=np.float64)
    y = np.clip(np.asarray(targets, dtype=np.float64), 0.0, 1.0)
    w = np.asarray(sample_weights, dtype=np.float64)
    w = w / w.sum()

    def loss(params: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
        z = x @ params[:-1] + params[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))
        eps = 1e-12
        value = -np.sum(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) + l2 * np.sum(
            params[:-1] ** 2
        )
        residual = w * (p - y)
        grad = np.concatenate([x.T @ residual + 2 * l2 * params[:-1], [residual.sum()]])
        return float(value), grad

    bounds = [(None, None) if name in SIGNED_FEATURES else (0.0, None) for name in features] + [(None, None)]
    start = np.zeros(x.shape[1] + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 2000})
    params = result.x
    return tuple(float(round(v, 6)) for v in params[:-1]), float(round(params[-1], 6))


def predict_base(
    matrix: np.ndarray[Any, Any], weights: Sequence[float], intercept: float
) -> np.ndarray[Any, Any]:
    """Base scores in (0, 1) for feature rows."""
    z = np.asarray(matrix, dtype=np.float64) @ np.asarray(weights) + intercept
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -35, 35))))
