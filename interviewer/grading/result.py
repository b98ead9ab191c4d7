"""What grading one answer produces: the score, its verdict, and every reason behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = ((85.0, "excellent"), (70.0, "strong"), (40.0, "partial"), (0.0, "weak"))


def verdict_for(score: float) -> str:
    """The verdict band of a 0–100 score: excellent ≥ 85, strong ≥ 70, partial ≥ 40, else weak."""
    for threshold, name in VERDICTS:
        if score >= threshold:
            return name
    return "weak"


@dataclass(frozen=True)
class MatchedConcept:
    """A concept the answer covered, with the verbatim span that earned it."""

    concept: str
    evidence: str
    start: int
    end: int
    how: str  # "lexical" or "semantic"


@dataclass(frozen=True)
class WrongClaimReport:
    """A misconception found in the answer: what was said, and the fact."""

    said: str
    misconception: str
    correction: str


@dataclass
class Grade:
    """The result of grading one answer; `to_dict` gives the contract's output fields."""

    score: float
    verdict: str
    concepts_matched: list[MatchedConcept]
    concepts_missed: list[str]
    flags: list[str]
    grader: str
    wrong_claims: list[WrongClaimReport] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)
    adjustments: list[tuple[str, float]] = field(default_factory=list)

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        """Contract fields (score, verdict, concepts_matched, concepts_missed, flags, grader) and extras."""
        data: dict[str, Any] = {
            "score": self.score,
            "verdict": self.verdict,
            "concepts_matched": [
                {"concept": m.concept, "evidence": m.evidence} for m in self.concepts_matched
            ],
            "concepts_missed": list(self.concepts_missed),
            "flags": list(self.flags),
            "wrong_claims": [w.__dict__ for w in self.wrong_claims],
            "grader": self.grader,
        }
        if explain:
            data["explain"] = {
                "features": self.features,
                "contributions": {k: round(v, 4) for k, v in self.contributions.items()},
                "adjustments": [
                    {"step": step, "points": round(points, 1)} for step, points in self.adjustments
                ],
            }
        return data
