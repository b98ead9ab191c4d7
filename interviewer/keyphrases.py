"""Key phrases of a reference answer, for questions that come without curated concepts.

A RAKE-style extractor: the reference is cut into candidate phrases at stop words and punctuation;
each phrase is scored by how connected and how frequent its words are, and words the question already
uses count less (a candidate gets no credit for repeating the question).
"""

from __future__ import annotations

import re

from interviewer.bank import Concept
from interviewer.text import NEGATION_CUES, STOP_WORDS, content_stems, stem

_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]\"“”]|\s[-–]\s|\n")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’×-]*")
MAX_PHRASE_WORDS = 4
# A word the question already contains is worth this share of a new word.
QUESTION_WORD_FACTOR = 0.35
# Words that join or qualify a claim rather than name part of it: a phrase cut there reads as a concept
# ("time because" and "each step" read as "time" and "step").
LINKING_WORDS = frozenset(
    """
    because therefore thus hence since while whereas although though however each every other another
    own only all typically usually often generally according etc will would instead rather until unless
    whether
    """.split()
)


def candidate_phrases(reference: str) -> list[list[str]]:
    """Runs of content words of `reference` (original spelling), cut at stop words and punctuation."""
    phrases: list[list[str]] = []
    for chunk in _PHRASE_BREAK.split(reference):
        current: list[str] = []
        for word in _WORD.findall(chunk):
            lowered = word.lower()
            if (
                lowered in STOP_WORDS
                or lowered in LINKING_WORDS
                or lowered in NEGATION_CUES
                or len(lowered) < 2
            ):
                if current:
                    phrases.append(current)
                current = []
                continue
            current.append(word)
            if len(current) == MAX_PHRASE_WORDS:
                phrases.append(current)
                current = []
        if current:
            phrases.append(current)
    return phrases


def extract_concepts(reference: str, question: str = "", *, limit: int = 6) -> list[Concept]:
    """Up to `limit` concepts (name = the phrase as written, one alias, weight 1–3) ranked by importance."""
    phrases = candidate_phrases(reference)
    question_stems = content_stems(question)
    frequency: dict[str, int] = {}
    degree: dict[str, int] = {}
    for phrase in phrases:
        for word in phrase:
            key = stem(word.lower())
            frequency[key] = frequency.get(key, 0) + 1
            degree[key] = degree.get(key, 0) + len(phrase)

    def word_score(word: str) -> float:
        key = stem(word.lower())
        score = degree[key] / frequency[key]
        return score * QUESTION_WORD_FACTOR if key in question_stems else score

    scored: dict[str, tuple[float, str]] = {}
    for phrase in phrases:
        text = " ".join(phrase)
        key = " ".join(stem(word.lower()) for word in phrase)
        # A bare number ("25" of "25°C") names nothing on its own.
        if all(stem(word.lower()) in question_stems for word in phrase) or not re.search("[A-Za-z]", text):
            continue
        score = sum(word_score(word) for word in phrase)
        if key not in scored or scored[key][0] < score:
            scored[key] = (score, text)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1]))[:limit]
    if not ranked:
        return []
    top = ranked[0][0]
    return [
        Concept(name=text, aliases=(text,), weight=float(1 + round(2 * score / top)) if top else 1.0)
        for score, text in ranked
    ]
