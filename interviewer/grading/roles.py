"""Swapped roles: an answer to "what is the difference between A and B" that gives A what belongs to B.

"A foreign key uniquely identifies each row, while the primary key points at another table" uses the
reference's words, so it scores like a correct answer on similarity and word overlap alike. What gives it
away is which words sit beside which subject. The reference's clauses about A and about B each hold words
of their own; an answer whose clauses about A hold B's words (and the other way round), clearly more often
than their own, has swapped the two.

Only comparison questions count ("difference", "compare", "versus"), only subjects that open their own
reference clauses, and only answer clauses that open with one of the two subjects and name only it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from interviewer.grading.analysis import AnalyzedText
from interviewer.text import CLAUSE_BREAKERS, NEGATION_CUES, Token

# Question words that ask for a comparison.
COMPARISON_STEMS = frozenset({"differ", "compar", "versus", "vs", "contrast", "distinguish"})
# A subject opens its reference clause: it is among the clause's first content words.
SUBJECT_POSITION = 3
# Each subject's reference clauses must hold this many words of their own.
MIN_OWN_WORDS = 2
# Swapped words must be at least this many, and outnumber the words in their right place this many times.
MIN_SWAPPED = 2
SWAP_RATIO = 2.0


@dataclass(frozen=True)
class RoleSwap:
    """Two subjects whose words the answer gives to each other, and where it says so."""

    first: str  # the two subjects, as the reference writes them
    second: str
    swapped: int  # answer words placed beside the wrong subject
    kept: int  # answer words beside their own subject
    start: int
    end: int
    reference: str = ""  # the reference whose roles were swapped


def swapped_roles(
    question_stems: Iterable[str], references: Sequence[AnalyzedText], answer: AnalyzedText
) -> RoleSwap | None:
    """The subject pair the answer swaps, judged against the reference it swaps least; None when none.

    `question_stems` are the stems of the question's content words: the subjects come from them.
    """
    question_stems = set(question_stems)
    if not question_stems & COMPARISON_STEMS:
        return None
    answer_clauses = _clauses(answer)
    found: list[RoleSwap] = []
    for reference in references:
        swap = _swap(question_stems, _clauses(reference), answer_clauses)
        if swap is None:
            return None
        found.append(replace(swap, reference=reference.text))
    return min(found, key=lambda swap: swap.swapped, default=None)


def _swap(
    question_stems: set[str], reference: list[list[Token]], answer: list[list[Token]]
) -> RoleSwap | None:
    """The strongest swap between two question words that each open their own reference clauses."""
    opened: dict[str, set[int]] = {}
    written: dict[str, str] = {}
    for index, clause in enumerate(reference):
        # The clause's subject is the first question word among its first words ("Authorization
        # determines what an authenticated user …" is about authorization only).
        subject = next((token for token in clause[:SUBJECT_POSITION] if token.stem in question_stems), None)
        if subject is not None:
            opened.setdefault(subject.stem, set()).add(index)
            written.setdefault(subject.stem, subject.word)
    best: RoleSwap | None = None
    for first, second in combinations(sorted(opened), 2):
        if opened[first] & opened[second]:
            continue
        own_first = _words(reference, opened[first]) - question_stems
        own_second = _words(reference, opened[second]) - question_stems
        own_first, own_second = own_first - own_second, own_second - own_first
        if len(own_first) < MIN_OWN_WORDS or len(own_second) < MIN_OWN_WORDS:
            continue
        swapped = kept = 0
        start, end = -1, -1
        for clause in answer:
            stems = {token.stem for token in clause}
            opening = {token.stem for token in clause[:SUBJECT_POSITION]}
            # The subject opens the answer's clause too: in "… things like XOR that a perceptron can't
            # handle" the words are not the perceptron's.
            if (first in stems) == (second in stems) or not {first, second} & opening:
                continue
            own, other = (own_first, own_second) if first in stems else (own_second, own_first)
            words = stems - question_stems
            kept += len(words & own)
            if words & other:
                swapped += len(words & other)
                start = clause[0].start if start < 0 else start
                end = clause[-1].end
        if (
            swapped >= MIN_SWAPPED
            and swapped >= SWAP_RATIO * kept
            and (best is None or swapped > best.swapped)
        ):
            best = RoleSwap(written[first], written[second], swapped, kept, start, end)
    return best


def _words(clauses: list[list[Token]], indices: Iterable[int]) -> set[str]:
    return {token.stem for index in indices for token in clauses[index]}


def _clauses(text: AnalyzedText) -> list[list[Token]]:
    """Content tokens of each clause: sentences cut at ";", at ", and" and where a negation's scope ends
    ("while", "whereas", "but" …)."""
    clauses: list[list[Token]] = []
    for sentence in text.sentences:
        current: list[Token] = []
        previous_end = sentence.span.start
        for token in sentence.tokens:
            gap = text.text[previous_end : token.start]
            # "…, and authentication then decides …": a comma before "and" opens a clause too.
            if token.word in CLAUSE_BREAKERS or ";" in gap or (token.word == "and" and "," in gap):
                if current:
                    clauses.append(current)
                current = []
            if not token.is_stop and token.word not in NEGATION_CUES:
                current.append(token)
            previous_end = token.end
        if current:
            clauses.append(current)
    return clauses
