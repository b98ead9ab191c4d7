"""Reference polarity: the reference's own plain claims that an answer denies or turns around.

A question with no curated misconceptions has nothing that tells "adds non-linearity" from "removes
non-linearity" but the reference itself. This module compares the two texts word by word:

- a word the reference states plainly that the answer uses only inside a negation ("uses no weights");
- a word of the reference the answer swaps for its opposite ("reduces" for "increases", "small" for "large");
- a word whose negative prefix the answer drops or adds ("linear" for "non-linear").

Only reference sentences with no negation of their own count ("the base case is not included" says
nothing plain about "base case"), and an answer that also states the reference's word plainly is not
reversing it: "small batches, not large ones" beside a reference about small batches is a contrast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from interviewer.grading.analysis import AnalyzedText, Sentence
from interviewer.text import NEGATION_CUES, Token, opposite_stems

# Words that make a reference sentence state something in the negative or as a limit ("avoids making
# copies", "at most two children"): its words are not plain claims an answer could reverse.
LIMITING_STEMS = frozenset(
    {"avoid", "prevent", "lack", "fail", "stop", "ignor", "exclud", "omit", "unabl", "instead", "rather"}
    | {"except", "unless", "maximum", "minimum", "least", "most", "onli", "limit", "absent", "miss"}
)
# "no more than two", "not only", "not just": a negation word that restates rather than denies.
_NON_DENYING = re.compile(
    r"\b(?:no|not)\s+(?:more|less|fewer|greater|larger|smaller|longer|later|earlier|only|just|matter|"
    r"necessarily|always|exactly|quite|much|too|so|unlike|until|til|need|needed|have|having|had)\b",
    re.IGNORECASE,
)
# The prefix that turns a word into its opposite ("non-linear"). "un-" and "in-" are left out: correct
# answers contrast "seen" with "unseen" data and "balanced" with "imbalanced" classes all the time.
NEGATIVE_PREFIX = "non"
MIN_PREFIXED_REST = 4

_OPPOSITES = opposite_stems()


@dataclass(frozen=True)
class Reversal:
    """One reference word the answer denies or reverses: the word, how, and where in the answer."""

    reference_word: str
    reference_sentence: str  # the reference's sentence that states the word plainly
    kind: str  # "denied", "opposite" or "prefix"
    start: int
    end: int


@dataclass(frozen=True)
class _Word:
    """A content word: its stem ("non linear" joined into "nonlinear") and whether it is negated."""

    stem: str
    negated: bool
    token: Token


def reversed_claims(
    references: Sequence[AnalyzedText], answer: AnalyzedText, ignored_stems: Iterable[str] = ()
) -> list[Reversal]:
    """The reference words the answer denies or reverses, judged against the reference it reverses least.

    `ignored_stems` (the question's words) never count: "activation function" is what is asked about.
    """
    ignored = frozenset(ignored_stems)
    answer_words = _answer_words(answer)
    best: list[Reversal] | None = None
    for reference in references:
        found = _reversals(_plain_claims(reference, ignored), answer_words)
        if best is None or len(found) < len(best):
            best = found
    return best or []


_Claims = dict[str, tuple[str, str]]  # stem → (word as written, its sentence)


def _reversals(claims: _Claims, answer_words: list[_Word]) -> list[Reversal]:
    plain = {w.stem for w in answer_words if not w.negated}
    used = {w.stem for w in answer_words}
    found: dict[str, Reversal] = {}

    def reverse(claim: str, kind: str, token: Token) -> None:
        word, sentence = claims[claim]
        found.setdefault(claim, Reversal(word, sentence, kind, token.start, token.end))

    for word in answer_words:
        if word.negated:
            if word.stem in claims and word.stem not in plain:
                reverse(word.stem, "denied", word.token)
            continue
        if word.stem in claims:
            continue
        for claim in _prefix_partners(word.stem, claims):
            if claim not in used:
                reverse(claim, "prefix", word.token)
        for opposite in _OPPOSITES.get(word.stem, ()):
            if opposite in claims and opposite not in used:
                reverse(opposite, "opposite", word.token)
    return list(found.values())


def _prefix_partners(stem: str, claims: _Claims) -> list[str]:
    """Claim stems that are `stem` with a negative prefix added or dropped ("linear" / "nonlinear")."""
    if stem.startswith(NEGATIVE_PREFIX) and len(stem) - len(NEGATIVE_PREFIX) >= MIN_PREFIXED_REST:
        partner = stem[len(NEGATIVE_PREFIX) :]
    elif len(stem) >= MIN_PREFIXED_REST:
        partner = NEGATIVE_PREFIX + stem
    else:
        return []
    return [partner] if partner in claims else []


def _plain_claims(reference: AnalyzedText, ignored: frozenset[str]) -> _Claims:
    """Stem → (word as written, sentence) for the words of the reference's plainly stated sentences.

    A word the reference also uses in a negated or limiting sentence is left out: its polarity is mixed.
    """
    plain: _Claims = {}
    mixed: set[str] = set()
    for sentence in reference.sentences:
        words = _sentence_words(sentence)
        if any(sentence.negated) or any(
            token.stem in LIMITING_STEMS or token.word in NEGATION_CUES for token in sentence.tokens
        ):
            mixed.update(w.stem for w in words)
            continue
        text = reference.text[sentence.span.start : sentence.span.end]
        for w in words:
            if w.stem not in ignored:
                plain.setdefault(w.stem, (w.token.word, text))
    return {stem: claim for stem, claim in plain.items() if stem not in mixed}


def _answer_words(answer: AnalyzedText) -> list[_Word]:
    """The answer's content words; a negation that only restates ("no more than two") does not negate."""
    restating = {match.start() for match in _NON_DENYING.finditer(answer.text)}
    words: list[_Word] = []
    for sentence in answer.sentences:
        cues = [token for token in sentence.tokens if token.word in NEGATION_CUES]
        for word in _sentence_words(sentence):
            if word.negated:
                nearest = max((cue.start for cue in cues if cue.start < word.token.start), default=-1)
                if nearest in restating:
                    word = _Word(word.stem, False, word.token)
            words.append(word)
    return words


def _sentence_words(sentence: Sentence) -> list[_Word]:
    """The sentence's content words with their negation flags; "non" joins the word after it."""
    words: list[_Word] = []
    pairs = list(zip(sentence.tokens, sentence.negated, strict=True))
    for index, (token, negated) in enumerate(pairs):
        if token.is_stop or token.word in NEGATION_CUES or token.word == "non":
            continue
        joined = index and pairs[index - 1][0].word == "non"
        words.append(_Word(f"non{token.stem}" if joined else token.stem, negated, token))
    return words
