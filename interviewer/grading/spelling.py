"""Typo repair before encoding: misspelt words are mapped to the question's own vocabulary.

The embedding model splits an unknown spelling ("nueron", "backpropogation") into word pieces and loses
its meaning, so a correct answer with typos would look less similar than it is. Before encoding, each word
the model's vocabulary does not know is replaced by the nearest word of the question's reference answers
and concepts, when one is close enough (same first letter; one edit, two for long words; a swap of two
letters counts as one), or else by another form of one of those words that the model knows ("tunning" →
"tuning" where the reference says "fine-tunes"). Lexical concept matching and evidence still use the text
exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import OSA

from interviewer.text import stem

MIN_LENGTH = 5
LONG_WORD = 9
_WORD = re.compile(r"[A-Za-z]+")


def vocabulary_index(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Words of at least MIN_LENGTH letters in `texts`, lower-cased, grouped by first letter."""
    groups: dict[str, set[str]] = {}
    for text in texts:
        for word in _WORD.findall(text.lower()):
            if len(word) >= MIN_LENGTH:
                groups.setdefault(word[0], set()).add(word)
    return {letter: tuple(sorted(words)) for letter, words in groups.items()}


def nearest(word: str, index: dict[str, tuple[str, ...]]) -> str | None:
    """The closest indexed word within the typo budget (ties: alphabetical), or None."""
    allowed = 1 if len(word) < LONG_WORD else 2
    best: tuple[int, str] | None = None
    for candidate in index.get(word[0], ()):
        if abs(len(candidate) - len(word)) > allowed:
            continue
        distance = OSA.distance(word, candidate, score_cutoff=allowed)
        if distance <= allowed and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None


def repair_typos(text: str, index: dict[str, tuple[str, ...]], known: frozenset[str]) -> str:
    """`text` with each unknown word of MIN_LENGTH+ letters replaced by its nearest indexed word."""
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if len(word) < MIN_LENGTH or word in known or word in index.get(word[0], ()):
            continue
        replacement = nearest(word, index) or _known_form(word, index, known)
        if replacement is None:
            continue
        pieces.append(text[last : match.start()])
        pieces.append(replacement)
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _known_form(word: str, index: dict[str, tuple[str, ...]], known: frozenset[str]) -> str | None:
    """The nearest word the model knows, within the typo budget, that shares a stem with an indexed word."""
    forms = _known_forms(index.get(word[0], ()), known)
    return nearest(word, {word[0]: forms}) if forms else None


@lru_cache(maxsize=1024)
def _known_forms(indexed: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    """The known words that share a stem with one of `indexed` (words of one first letter), once per group."""
    if not indexed:
        return ()
    family = {stem(word) for word in indexed}
    return tuple(word for word in _known_by_letter(known).get(indexed[0][0], ()) if stem(word) in family)


@lru_cache(maxsize=4)
def _known_by_letter(known: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The model's known words of MIN_LENGTH+ letters, grouped by first letter (built once per vocabulary)."""
    return vocabulary_index(known)
