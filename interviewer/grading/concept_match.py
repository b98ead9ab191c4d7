"""Lexical concept matching: find a concept's aliases in an answer, tolerant of inflection and typos.

An alias matches when all its content words occur close together in one sentence of the answer, each
equal by Snowball stem or within a small edit distance (same first letter, so "deactivate" never
matches "activate"). A match inside a negated clause is kept apart: it is evidence *against* the concept.
Aliases written `re:<regex>` are searched in the lower-cased sentence instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA

from interviewer.bank import Concept
from interviewer.grading.analysis import AnalyzedText, Sentence
from interviewer.text import NEGATION_CUES, Token, content_tokens, counterpart_stems, opposite_stems

REGEX_PREFIX = "re:"
_NEGATION_IN_PATTERN = re.compile(r"\b(?:not|no|never|without|nothing|cannot)\b|n'?'?t\b")
# Alias words this long or longer tolerate typos: one edit up to 8 letters, two from 9.
MIN_FUZZY_LENGTH = 5
LONG_WORD_LENGTH = 9


@dataclass(frozen=True)
class CompiledAlias:
    """An alias ready to match: its content words and stems, or a regex."""

    text: str
    words: tuple[str, ...]
    stems: tuple[str, ...]
    regex: re.Pattern[str] | None
    says_negation: bool
    # Positions (i, j), i < j, of two words naming the ends of one relation ("output" ... "input"): they
    # must occur in this order, or the answer states the relation reversed.
    ordered: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AliasHit:
    """Where an alias matched: character range in the answer, sentence index, whether negated."""

    start: int
    end: int
    sentence: int
    negated: bool
    share: float  # share of the alias' words found (1.0 for a full match)


@dataclass(frozen=True)
class ConceptResult:
    """How one concept fared in an answer: credit in [0, 1], the evidence span, and negated evidence."""

    concept: Concept
    credit: float
    evidence: AliasHit | None
    negated_evidence: AliasHit | None
    # The negated evidence sits in a sentence that rejects it outright ("has nothing to do with", "is a
    # myth"): a denial even where another sentence states the concept.
    explicitly_denied: bool = False


@lru_cache(maxsize=16384)
def compile_alias(alias: str) -> CompiledAlias:
    """Turn an alias string into its matchable form (regexes are compiled case-insensitively)."""
    if alias.startswith(REGEX_PREFIX):
        pattern = alias[len(REGEX_PREFIX) :]
        # A regex that spells a negation itself ("no longer improv…") states the concept in the negative.
        says_negation = bool(_NEGATION_IN_PATTERN.search(pattern.replace("\\b", " ")))
        return CompiledAlias(alias, (), (), re.compile(pattern, re.IGNORECASE), says_negation)
    tokens = content_tokens(alias)
    stems = tuple(token.stem for token in tokens)
    return CompiledAlias(
        text=alias,
        words=tuple(token.word for token in tokens),
        stems=stems,
        regex=None,
        says_negation=any(token.word in NEGATION_CUES for token in tokens),
        ordered=tuple(
            (i, j)
            for i in range(len(stems))
            for j in range(i + 1, len(stems))
            if stems[j] in _COUNTERPARTS.get(stems[i], ())
        ),
    )


_OPPOSITES = opposite_stems()
_COUNTERPARTS = counterpart_stems()


@lru_cache(maxsize=16384)
def reversed_aliases(alias_text: str) -> tuple[CompiledAlias, ...]:
    """The alias with one direction/size word swapped for its opposite ("adds" → "removes"), each way, or
    with the two ends of a relation swapped ("output to input" → "input to output").

    Only aliases of two or more words: a lone "small" or "increase" says nothing about what changes.
    """
    alias = compile_alias(alias_text)
    if alias.regex is not None or len(alias.words) < 2 or alias.says_negation:
        return ()
    variants: list[CompiledAlias] = []
    for position, alias_stem in enumerate(alias.stems):
        for opposite in sorted(_OPPOSITES.get(alias_stem, ())):
            stems = (*alias.stems[:position], opposite, *alias.stems[position + 1 :])
            # The stem stands in for the word too: words_match accepts an equal stem.
            words = (*alias.words[:position], opposite, *alias.words[position + 1 :])
            variants.append(CompiledAlias(f"{alias_text} (reversed)", words, stems, None, False))
    for i, j in alias.ordered:
        # The two ends swapped: "from output to input" read as "from input to output".
        order = list(range(len(alias.words)))
        order[i], order[j] = j, i
        words = tuple(alias.words[k] for k in order)
        stems = tuple(alias.stems[k] for k in order)
        variants.append(CompiledAlias(f"{alias_text} (reversed)", words, stems, None, False))
    return tuple(variants)


def _states(phrase: CompiledAlias, variant: CompiledAlias) -> bool:
    """True when every word of `variant` is in `phrase`, as matching would find it ("larger" in "large")."""
    tokens = [Token(word, stem, 0, 0, False) for word, stem in zip(phrase.words, phrase.stems, strict=True)]
    return all(
        any(words_match(word, stem, token) for token in tokens)
        for word, stem in zip(variant.words, variant.stems, strict=True)
    )


def words_match(alias_word: str, alias_stem: str, token: Token) -> bool:
    """Same stem, or a near spelling of a long word with the same first letter."""
    if token.stem == alias_stem or token.word == alias_word:
        return True
    if len(alias_word) < MIN_FUZZY_LENGTH or len(token.word) < MIN_FUZZY_LENGTH:
        return False
    if alias_word[0] != token.word[0]:
        return False
    allowed = 1 if len(alias_word) < LONG_WORD_LENGTH else 2
    # OSA distance: a swapped pair of letters ("nueron", "exmaple") is one typo, not two.
    return OSA.distance(alias_word, token.word, score_cutoff=allowed) <= allowed


def find_alias(alias: CompiledAlias, answer: AnalyzedText, *, partial: bool = False) -> list[AliasHit]:
    """All places `alias` matches in `answer`; with `partial`, also the best partial match per sentence."""
    hits: list[AliasHit] = []
    for index, sentence in enumerate(answer.sentences):
        hit = (
            _regex_hit(alias, sentence, index) if alias.regex else _word_hit(alias, sentence, index, partial)
        )
        if hit is not None:
            hits.append(hit)
    return hits


def _regex_hit(alias: CompiledAlias, sentence: Sentence, index: int) -> AliasHit | None:
    assert alias.regex is not None
    found = alias.regex.search(sentence.span.text.lower())
    if not found:
        return None
    start, end = sentence.span.start + found.start(), sentence.span.start + found.end()
    negated = not alias.says_negation and any(
        neg
        for token, neg in zip(sentence.tokens, sentence.negated, strict=True)
        if start <= token.start < end
    )
    return AliasHit(start, end, index, negated, 1.0)


def _word_hit(alias: CompiledAlias, sentence: Sentence, index: int, partial: bool) -> AliasHit | None:
    content = sentence.content
    if not alias.words or not content:
        return None
    positions = [
        [i for i, (token, _) in enumerate(content) if words_match(word, stem_, token)]
        for word, stem_ in zip(alias.words, alias.stems, strict=True)
    ]
    reach = 1 if len(alias.words) == 1 else 3 * len(alias.words)
    best: AliasHit | None = None
    anchors = sorted({i for options in positions for i in options})
    for anchor in anchors:
        chosen = [
            min((i for i in options if anchor <= i < anchor + reach), default=-1) for options in positions
        ]
        found = [i for i in chosen if i >= 0]
        share = len(found) / len(alias.words)
        if share < 1.0 and not partial:
            continue
        if any(0 <= chosen[j] < chosen[i] for i, j in alias.ordered):
            continue
        tokens = [content[i] for i in found]
        negated = not alias.says_negation and any(neg for _, neg in tokens)
        hit = AliasHit(
            min(token.start for token, _ in tokens),
            max(token.end for token, _ in tokens),
            index,
            negated,
            share,
        )
        if best is None or _better(hit, best):
            best = hit
    return best


def _better(hit: AliasHit, other: AliasHit) -> bool:
    return (hit.share, not hit.negated, -(hit.end - hit.start)) > (
        other.share,
        not other.negated,
        -(other.end - other.start),
    )


def affirmed_reversals(concepts: Sequence[Concept]) -> frozenset[tuple[str, tuple[str, ...]]]:
    """(concept name, stems) of the reversed aliases that another concept of the question states as true.

    "small dataset" reversed is "large/big dataset", but where another concept says "pre-trained on a large
    dataset", a large dataset is part of a right answer, not a denial: every variant made by swapping
    that word is skipped.
    """
    phrases = [
        (concept.name, alias)
        for concept in concepts
        for alias in map(compile_alias, (concept.name, *concept.aliases))
        if alias.regex is None and alias.stems
    ]
    skipped: set[tuple[str, tuple[str, ...]]] = set()
    for concept in concepts:
        for alias_text in (concept.name, *concept.aliases):
            original = compile_alias(alias_text).stems
            variants = reversed_aliases(alias_text)
            # Its siblings swap the same word for another of its opposites ("large", "big").
            stated = {
                _changed_positions(variant.stems, original)
                for variant in variants
                if any(name != concept.name and _states(phrase, variant) for name, phrase in phrases)
            }
            skipped.update(
                (concept.name, variant.stems)
                for variant in variants
                if _changed_positions(variant.stems, original) in stated
            )
    return frozenset(skipped)


def _changed_positions(stems: tuple[str, ...], original: tuple[str, ...]) -> frozenset[int]:
    return frozenset(i for i, (a, b) in enumerate(zip(stems, original, strict=True)) if a != b)


def match_concept(
    concept: Concept,
    answer: AnalyzedText,
    *,
    partial: bool = False,
    excluded_sentences: frozenset[int] = frozenset(),
    ignored_stems: frozenset[str] = frozenset(),
    skipped_reversals: frozenset[tuple[str, tuple[str, ...]]] = frozenset(),
) -> ConceptResult:
    """Credit for `concept`: 1.0 on a full, non-negated alias match outside excluded sentences.

    With `partial` (concepts extracted from a reference, which have a single phrase as alias) the credit
    is the best share of the phrase's words found together. Negated matches give no credit and are
    returned as `negated_evidence`. Aliases made only of `ignored_stems` (the question's own words) are
    skipped: repeating the question is not evidence of knowing the answer.
    """
    best: AliasHit | None = None
    negated: AliasHit | None = None
    explicit = False
    # A concept that is itself a denial ("not learned from the data") is expressed by negated wording.
    denial = concept_is_denial(concept)
    # A match inside a reversed statement ("removes all non-linearity") is not evidence for the concept.
    reversed_hits = (
        []
        if denial
        else _reversed_hits(concept, answer, excluded_sentences, ignored_stems, skipped_reversals)
    )
    for alias_text in (concept.name, *concept.aliases):
        alias = compile_alias(alias_text)
        if alias.regex is None and ignored_stems and set(alias.stems) <= ignored_stems:
            continue
        for hit in find_alias(alias, answer, partial=partial):
            if hit.sentence in excluded_sentences or any(hits_overlap(hit, other) for other in reversed_hits):
                continue
            if hit.share < 1.0 and not denial and _states_opposite(alias, answer, hit):
                reversed_hits.append(hit)
                continue
            if hit.negated and not denial:
                rejects = hit.share == 1.0 and _rejects(answer, hit)
                if hit.share == 1.0 and (negated is None or (rejects and not explicit)):
                    negated, explicit = hit, rejects
                continue
            if best is None or hit.share > best.share:
                best = hit
        if best is not None and best.share == 1.0:
            break
    credit = best.share if best is not None else 0.0
    if not partial and credit < 1.0:
        credit, best = 0.0, None
    if negated is None and reversed_hits:
        negated = reversed_hits[0]
    if credit < 1.0:
        return ConceptResult(concept, credit, best, negated, explicit)
    return ConceptResult(concept, credit, best, negated if explicit else None, explicit)


# Words that reject a claim outright rather than contrast it: on the dev sets a core concept negated in
# such a sentence was always a wrong answer (10 of 10), while a plain "not" was as often a right one.
_REJECTION = re.compile(
    r"\b(?:nothing to do with|has nothing|have nothing|myth|unrelated to|isn't really|is not really|"
    r"not at all|at all|the opposite|no longer|never)\b|n't actually|not actually",
    re.IGNORECASE,
)


def _states_opposite(alias: CompiledAlias, answer: AnalyzedText, hit: AliasHit) -> bool:
    """True when a partial match holds, in place of a missing word, that word's opposite.

    "duplicates data to increase redundancy" finds two of the three words of "reduce data redundancy";
    the third is not missing but reversed. The opposite must sit inside the matched words or right
    beside them, and not be negated itself ("does not increase redundancy" agrees with the alias).
    """
    stated = set(alias.stems)
    opposites = {opposite for alias_stem in stated for opposite in _OPPOSITES.get(alias_stem, ())} - stated
    if not opposites:
        return False
    content = answer.sentences[hit.sentence].content
    inside = [i for i, (token, _) in enumerate(content) if hit.start <= token.start < hit.end]
    if not inside:
        return False
    nearby = content[max(0, inside[0] - 1) : inside[-1] + 2]
    return any(token.stem in opposites and not negated for token, negated in nearby)


def _rejects(answer: AnalyzedText, hit: AliasHit) -> bool:
    return bool(_REJECTION.search(answer.sentences[hit.sentence].span.text))


def _reversed_hits(
    concept: Concept,
    answer: AnalyzedText,
    excluded_sentences: frozenset[int],
    ignored_stems: frozenset[str],
    skipped: frozenset[tuple[str, tuple[str, ...]]],
) -> list[AliasHit]:
    """Where the answer states one of the concept's aliases reversed ("removes non-linearity").

    A reversed alias inside a negated clause ("does not remove non-linearity") is not counted.
    """
    hits: list[AliasHit] = []
    for alias_text in (concept.name, *concept.aliases):
        for variant in reversed_aliases(alias_text):
            if (ignored_stems and set(variant.stems) <= ignored_stems) or (
                concept.name,
                variant.stems,
            ) in skipped:
                continue
            for index, sentence in enumerate(answer.sentences):
                hit = _in_order_hit(variant, sentence, index)
                if hit is not None and index not in excluded_sentences and not hit.negated:
                    hits.append(hit)
    return hits


def _in_order_hit(alias: CompiledAlias, sentence: Sentence, index: int) -> AliasHit | None:
    """The alias' words in order, at most one other content word between neighbours ("grow very large").

    Stricter than an ordinary alias match: a reversal is only claimed where the words read as one phrase.
    """
    content = sentence.content
    for first in range(len(content)):
        position = first
        found: list[int] = []
        for word, alias_stem in zip(alias.words, alias.stems, strict=True):
            # The first word must sit at `first`; each later word within two places of the previous one.
            window = range(position, min(len(content), position + (2 if found else 1)))
            match = next((i for i in window if words_match(word, alias_stem, content[i][0])), None)
            if match is None:
                break
            found.append(match)
            position = match + 1
        if len(found) == len(alias.words):
            tokens = [content[i] for i in found]
            return AliasHit(tokens[0][0].start, tokens[-1][0].end, index, any(neg for _, neg in tokens), 1.0)
    return None


def hits_overlap(hit: AliasHit, other: AliasHit) -> bool:
    """True when two hits share characters of the same sentence."""
    return hit.sentence == other.sentence and hit.start < other.end and other.start < hit.end


def concept_is_denial(concept: Concept) -> bool:
    """True when the concept's name itself says "not", "no", "without" …: its aliases may be negated."""
    return any(token.word in NEGATION_CUES for token in content_tokens(concept.name))


def weighted_coverage(results: list[ConceptResult]) -> float:
    """Weighted mean of concept credits in [0, 1]; 0 when there are no concepts."""
    total = sum(result.concept.weight for result in results)
    if total <= 0:
        return 0.0
    return sum(result.credit * result.concept.weight for result in results) / total


def repaired_results(
    results: list[ConceptResult], repaired: AnalyzedText, original: AnalyzedText
) -> list[ConceptResult]:
    """Results found in the typo-repaired text, with their evidence moved onto the text as written.

    Repair swaps one word for one word, so the two texts have the same tokens in the same sentences; when
    they do not, the repaired results are dropped (credit 0) rather than pointing at the wrong words.
    """
    pairs = list(zip(repaired.tokens, original.tokens, strict=False))
    if len(repaired.tokens) != len(original.tokens) or len(repaired.sentences) != len(original.sentences):
        return [ConceptResult(result.concept, 0.0, None, None) for result in results]

    def moved(hit: AliasHit | None) -> AliasHit | None:
        if hit is None:
            return None
        inside = [orig for rep, orig in pairs if rep.start < hit.end and hit.start < rep.end]
        if not inside:
            return None
        return AliasHit(inside[0].start, inside[-1].end, hit.sentence, hit.negated, hit.share)

    return [
        replace(result, evidence=moved(result.evidence), negated_evidence=moved(result.negated_evidence))
        for result in results
    ]
