"""Wrong claims: the bank's misconceptions that an answer states, found by their patterns, sentence by sentence.

Each misconception of a bank question carries regular expressions written for it and checked for precision
on the dev sets (`benchmarks/misconception_precision.py`). A sentence that matches one makes that wrong claim:
it earns no concept credit and the grade says what was said and what is true instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from interviewer.bank import Misconception
from interviewer.grading.analysis import AnalyzedText
from interviewer.text import content_stems


@dataclass(frozen=True)
class WrongClaim:
    """A misconception recognised in one sentence of the answer."""

    misconception: Misconception
    sentence: int
    start: int
    end: int


@lru_cache(maxsize=4096)
def _compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def find_wrong_claims(misconceptions: tuple[Misconception, ...], answer: AnalyzedText) -> list[WrongClaim]:
    """Misconceptions whose patterns match a sentence of `answer` (lower-cased, white space collapsed).

    One sentence can make several wrong claims ("Adam combines dropout and batch norm and keeps one fixed
    learning rate"): each misconception it states is one claim, unless the bank words it much like one
    already found there ("deep learning is unsupervised: it needs no labels" and "… always unsupervised and
    never needs labels" are one claim).
    """
    claims: list[WrongClaim] = []
    for index, sentence in enumerate(answer.sentences):
        normalized = " ".join(sentence.span.text.lower().split())
        found: list[set[str]] = []
        for misconception in misconceptions:
            if any(_compile_pattern(pattern).search(normalized) for pattern in misconception.patterns):
                words = content_stems(misconception.statement)
                if any(_jaccard(words, other) >= SAME_CLAIM_MIN_OVERLAP for other in found):
                    continue
                found.append(words)
                claims.append(WrongClaim(misconception, index, sentence.span.start, sentence.span.end))
    return claims


# Two misconceptions whose statements share this share of their words are one claim said two ways.
SAME_CLAIM_MIN_OVERLAP = 0.5


def _jaccard(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second) if first | second else 1.0
