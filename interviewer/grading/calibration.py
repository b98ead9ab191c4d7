"""The calibrated combiner: features → base score in [0, 1], fitted on human grades, stored as JSON.

The model is a logistic regression with soft targets (a grade of 4/5 is the target 0.8), fitted by
L-BFGS-B with non-negative weights on every feature where more evidence must never lower the score.
Each feature enters through a few ramps between knots at quantiles of the training data, so its effect
may bend (a cosine of 0.3 vs 0.5 matters more than 0.8 vs 1.0) yet, with non-negative ramp weights, never
turn down: a small monotone additive model. Fitting is deterministic: the same rows give the same file.
Grading needs only the JSON, no scikit-learn.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
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
# Features that only ever count against an answer (weights <= 0): repeating the question is not evidence of
# knowing the answer.
SIGNED_FEATURES = frozenset({"question_share"})
L2_PENALTY = 1e-3
# Ramps per feature: knots at the 0, 20, …, 100th percentiles of the training data. Measured out of fold
# against a straight line per feature: SciEntsBank weighted F1 0.697 → 0.710, Beetle 0.771 → 0.779,
# Mohler (12 folds) Pearson unchanged.
RAMPS_PER_FEATURE = 5
FORMAT = "interviewer-grader/2"


def choose_knots(
    matrix: np.ndarray[Any, Any], ramps: int = RAMPS_PER_FEATURE
) -> tuple[tuple[float, ...], ...]:
    """Per feature column, knots at evenly spaced quantiles (duplicates dropped, at least two)."""
    quantiles = np.linspace(0.0, 1.0, ramps + 1)
    knots = []
    for column in np.asarray(matrix, dtype=np.float64).T:
        points = sorted({round(float(q), 4) for q in np.quantile(column, quantiles)})
        if len(points) < 2:
            points = [points[0], points[0] + 1.0]
        knots.append(tuple(points))
    return tuple(knots)


def expand(matrix: np.ndarray[Any, Any], knots: Sequence[Sequence[float]]) -> np.ndarray[Any, Any]:
    """Feature columns turned into ramp columns: each rises 0 → 1 between two neighbouring knots."""
    x = np.asarray(matrix, dtype=np.float64)
    if not knots:
        return x
    columns = [
        np.clip((x[:, j] - low) / (high - low), 0.0, 1.0)
        for j, points in enumerate(knots)
        for low, high in itertools.pairwise(points)
    ]
    return np.column_stack(columns)


def basis_names(features: Sequence[str], knots: Sequence[Sequence[float]]) -> list[str]:
    """The feature each column of `expand` belongs to (the features themselves when there are no knots)."""
    if not knots:
        return list(features)
    return [name for name, points in zip(features, knots, strict=True) for _ in points[1:]]


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
    reversed_claim: float = 0.6  # per reference claim denied or turned around; applied twice (it takes two)
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
    # Ramp knots per feature; empty means one straight-line weight per feature.
    knots: tuple[tuple[float, ...], ...] = ()

    def logit(self, values: dict[str, float]) -> float:
        """The linear score before the logistic link."""
        return float(self.intercept) + sum(self.contributions(values)[name] for name in self.features)

    def base(self, values: dict[str, float]) -> float:
        """Calibrated base score in (0, 1) for a feature dict."""
        return _sigmoid(self.logit(values))

    def contributions(self, values: dict[str, float]) -> dict[str, float]:
        """Each feature's part of the logit (weight × value, or its ramps' sum); the intercept too."""
        # Plain floats, not numpy: this runs several times per graded answer, on one row at a time.
        parts = dict.fromkeys(self.features, 0.0)
        for name, ramps in self._layout:
            value = float(values[name])
            for low, high, weight in ramps:
                if high is None:
                    parts[name] += weight * value
                else:
                    parts[name] += weight * min(1.0, max(0.0, (value - low) / (high - low)))
        parts["intercept"] = self.intercept
        return parts

    @cached_property
    def _layout(self) -> list[tuple[str, list[tuple[float, float | None, float]]]]:
        """Per feature, its (low knot, high knot, weight) ramps; high None for a straight-line weight."""
        weights = iter(self.weights)
        if not self.knots:
            return [(name, [(0.0, None, next(weights))]) for name in self.features]
        return [
            (name, [(low, high, next(weights)) for low, high in itertools.pairwise(points)])
            for name, points in zip(self.features, self.knots, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see `load_calibration`)."""
        return {
            "format": FORMAT,
            "features": list(self.features),
            "knots": [list(points) for points in self.knots],
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
        knots = tuple(tuple(float(k) for k in points) for points in data.get("knots", []))
        weights = tuple(float(w) for w in data["weights"])
        if knots and len(knots) != len(features):
            raise ValueError(f"{len(knots)} knot lists for {len(features)} features")
        if len(weights) != len(basis_names(features, knots)):
            raise ValueError(f"{len(weights)} weights for {len(basis_names(features, knots))} ramps")
        return Calibration(
            features=features,
            knots=knots,
            weights=weights,
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

    Weights of features outside SIGNED_FEATURES are bounded below by 0 (monotone in the evidence), those
    of SIGNED_FEATURES above by 0 (they only ever count against an answer).
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

    bounds: list[tuple[float | None, float | None]] = [
        (None, 0.0) if name in SIGNED_FEATURES else (0.0, None) for name in features
    ]
    bounds.append((None, None))
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
