"""Combining: an answer's measured features and evidence into a 0–100 score, a verdict and its reasons.

The calibrated base; for curated bank questions the concept-coverage stage and the core-concept rule; then
the guards in a fixed order (wrong claims, denied or reversed concepts, gibberish, hedges, keyword lists,
restatement, off-topic, filler), each scaling or capping the score and leaving a flag and an adjustment
line, so every point of the score is accounted for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from interviewer.bank import Concept
from interviewer.grading import guards
from interviewer.grading.analysis import AnalyzedText
from interviewer.grading.calibration import Calibration
from interviewer.grading.concept_match import ConceptResult, hits_overlap
from interviewer.grading.result import Grade, MatchedConcept, WrongClaimReport, verdict_for
from interviewer.text import NEGATION_CUES, content_stems

if TYPE_CHECKING:
    from interviewer.grading.grader import Measured
    from interviewer.grading.polarity import Reversal
    from interviewer.grading.prepared import PreparedQuestion

NEGATION_FLAG_MAX_COVERAGE = 0.5
# One reversed word is as often a correct contrast ("not on data it has already seen") as a wrong claim.
MIN_REVERSALS = 2
TERSE_COVERAGE = 0.75
# The bank's highest-weight concepts are the question's core: on the dev set no answer an expert graded 7+
# (of 120) earned under half their credit, while two thirds of the answers graded 0-3 did.
CORE_MIN_CREDIT = 0.5
# A reference this short ("Private and public.", "Run-time error.") asks for terms, so a list of terms is
# the answer there, not a way to game the grader.
TERMS_REFERENCE_MAX_WORDS = 8
# Hype that brushes one or two minor concepts ("efficient architectures") is still filler. On the dev set
# no answer an expert graded 4+ has a filler share >= FILLER_MIN_SHARE with coverage this low.
FILLER_MAX_COVERAGE = 0.3
# Below this score (and with no wrong claim to explain it) a few praise words make an answer filler.
WEAK_FOR_FILLER = 0.4
# Below this share of its own words in the bank's vocabulary a weak answer says nothing about the subject.
# On the adversarial sets filler has a median share of 0.2 and no contradiction is under 0.32.
GENERIC_MAX_SPECIFIC_SHARE = 0.3
# An ad-hoc answer using this share of the reference's own new words is saying something specific.
FILLER_MAX_WORD_RECALL = 0.2
# Of a weak bank answer's content words, this share talking about the topic instead of of it makes it filler:
# on the dev sets only two weak answers an expert graded 1 and 3 reach it (both generic).
META_TALK_MIN_SHARE = 0.12
# A weak answer that defines its subject in circles needs only half as much talk about the topic.
CIRCULAR_META_TALK_MIN_SHARE = META_TALK_MIN_SHARE / 2
_FULL_STOP_BETWEEN = re.compile(r"[.!?]\s+\S")
# Evidence shorter than this is shown with its clause, up to the longer limit.
EVIDENCE_MIN_CHARS, EVIDENCE_MAX_CHARS = 12, 90


def combine(
    measured: Measured,
    calibration: Calibration,
    *,
    version: str,
    answers_other_question: Callable[[], bool],
) -> Grade:
    """The grade of one measured answer; `answers_other_question` is asked only when it matters."""
    prepared = measured.prepared
    answer = measured.answer
    features = measured.features
    penalties = calibration.penalties
    flags: list[str] = []
    adjustments: list[tuple[str, float]] = []
    matched, missed = _concept_report(prepared, measured)

    if not answer.tokens:
        return Grade(
            0.0,
            "weak",
            [],
            [c.name for c in _by_weight(prepared.concepts)],
            ["empty"],
            version,
            features=features,
        )

    score = calibration.base(features)
    adjustments.append(("calibrated base", 100 * score))
    coverage = features["lexical_coverage"]
    if prepared.curated:
        coverage = calibration.bank_stage.coverage(
            [result.credit for result in measured.concept_results],
            measured.semantic_credit,
            [concept.weight for concept in prepared.concepts],
        )
        staged = calibration.bank_stage.apply(score, coverage)
        adjustments.append((f"concept coverage {coverage:.2f}", 100 * (staged - score)))
        score = staged

    def scale(step: str, factor: float) -> None:
        nonlocal score
        new = score * factor
        adjustments.append((step, 100 * (new - score)))
        score = new

    if prepared.curated and _core_credit(measured) < CORE_MIN_CREDIT:
        scale("misses the core idea", penalties.core_missed)

    def cap(step: str, limit: float) -> None:
        nonlocal score
        if score > limit:
            adjustments.append((step, 100 * (limit - score)))
            score = limit

    if measured.wrong_claims:
        flags.append("contradiction")
        scale("wrong claims", penalties.wrong_claim ** min(2, len(measured.wrong_claims)))
    core_weight = max((concept.weight for concept in prepared.concepts), default=0.0)
    negated = _denied_concepts(measured.concept_results, core_weight)
    # On real answers a negated alias is as often a correct "stop when val loss hasn't improved" as a
    # contradiction; it is flagged when a core concept is denied or most concepts are missing too.
    denies_core = any(r.concept.weight >= core_weight for r in negated)
    denied: list[WrongClaimReport] = []
    if negated and prepared.curated and (denies_core or coverage < NEGATION_FLAG_MAX_COVERAGE):
        if "contradiction" not in flags:
            flags.append("contradiction")
        scale("a key idea stated in the negative", penalties.negated_concept)
        # Say which words denied or reversed which idea, as a matched misconception is told.
        for result in negated:
            assert result.negated_evidence is not None
            start, end = readable_evidence(answer, result.negated_evidence.start, result.negated_evidence.end)
            denied.append(
                WrongClaimReport(
                    said=answer.text[start:end],
                    misconception="denies or reverses a key idea",
                    correction=result.concept.name,
                )
            )

    # Two or more of the reference's own plain claims denied or turned around ("removes non-linearity",
    # "uses no weights"): on the public data this fires on about 0.1% of answers, right or wrong, and on a
    # fifth of the adversarial contradictions, which no misconception list foresaw on ad-hoc questions.
    if len(measured.reversals) >= MIN_REVERSALS and "contradiction" not in flags:
        flags.append("contradiction")
        scale("the reference's own claims reversed", penalties.reversed_claim**2)
        denied.extend(_reversal_reports(answer, measured.reversals))

    # "The foreign key identifies each row, while the primary key points at another table": the compared
    # subjects given each other's words. It counts as two reference claims reversed.
    swap = measured.role_swap
    if swap is not None and "contradiction" not in flags:
        flags.append("contradiction")
        scale("the compared subjects swapped", penalties.reversed_claim**2)
        denied.append(
            WrongClaimReport(
                said=answer.text[swap.start : swap.end],
                misconception=f'gives "{swap.first}" what belongs to "{swap.second}", and the other way round',
                correction=swap.reference,
            )
        )

    if guards.is_gibberish(answer):
        flags.append("gibberish")
        cap("gibberish", penalties.gibberish_cap)
    elif guards.is_hedge(answer):
        flags.append("hedge")
        cap("says they do not know", penalties.hedge_cap)
    # A terse answer in shorthand sentences that covers most concepts is an answer, not a list of words.
    # Terms split by bullets or semicolons are several "sentences" too: shorthand sentences end with a
    # full stop and keep a function word.
    terse_but_covered = (
        prepared.curated
        and features["lexical_coverage"] >= TERSE_COVERAGE
        and len(answer.sentences) >= 2
        and _FULL_STOP_BETWEEN.search(answer.text) is not None
        and any(token.is_stop or token.word in NEGATION_CUES for token in answer.tokens)
    )
    terms_expected = (
        min(len(r.analyzed.content_tokens) for r in prepared.references) <= TERMS_REFERENCE_MAX_WORDS
    )
    if guards.is_keyword_list(answer) and not terse_but_covered and not terms_expected:
        flags.append("keyword_list")
        cap("a list of keywords, not an explanation", penalties.keyword_list_cap)
    if (
        guards.restates_question(answer, set(prepared.question_stems), set(prepared.reference_stems))
        and measured.question_cosine > measured.best_cosine
    ):
        flags.append("restates_question")
        cap("restates the question", penalties.restates_question_cap)
    if answers_other_question() or (
        measured.best_cosine < 0.12 and features["word_recall"] < 0.1 and not matched
    ):
        flags.append("off_topic")
        cap("off topic", penalties.off_topic_cap)
    specific = (
        features["lexical_coverage"] > FILLER_MAX_COVERAGE
        if prepared.curated
        else features["word_recall"] >= FILLER_MAX_WORD_RECALL
    )
    weak = score < WEAK_FOR_FILLER and "contradiction" not in flags
    # Filler need not praise. A weak bank answer of some length that says no concept and no doubt ("Not
    # sure. Something with going backwards?" is a guess) is filler when it barely speaks the subject's
    # language ("unlocking value at scale"), talks about the topic instead of of it ("worth knowing well
    # before any interview") or defines its subject in circles ("early stopping is stopping early"), even
    # where it strays off the topic.
    generic = (
        weak
        and not specific
        and measured.specific_share is not None
        and len(answer.tokens) >= guards.FILLER_MIN_WORDS
        and not {"hedge", "gibberish"} & set(flags)
        and not guards.expresses_doubt(answer)
    )
    says_nothing = False
    if generic:
        talk = guards.meta_talk_share(answer, _own_words(prepared))
        says_nothing = (
            ((measured.specific_share or 0.0) < GENERIC_MAX_SPECIFIC_SHARE and "off_topic" not in flags)
            or talk >= META_TALK_MIN_SHARE
            or (
                talk >= CIRCULAR_META_TALK_MIN_SHARE
                and guards.defines_in_circles(answer, prepared.question_stems)
            )
        )
    if "keyword_list" not in flags and (
        says_nothing or guards.is_filler(answer, says_something_specific=specific, weak=weak)
    ):
        flags.append("filler")
        cap("praise and generalities without content", penalties.filler_cap)
    if len(answer.content_tokens) < 3 and coverage < 1.0:
        flags.append("too_short")

    final = round(100.0 * min(1.0, max(0.0, score)), 1)
    wrong = [
        WrongClaimReport(
            said=answer.text[claim.start : claim.end],
            misconception=claim.misconception.statement,
            correction=claim.misconception.correction,
        )
        for claim in measured.wrong_claims
    ] + denied
    return Grade(
        score=final,
        verdict=verdict_for(final),
        concepts_matched=matched,
        concepts_missed=missed,
        flags=flags,
        grader=version,
        wrong_claims=wrong,
        features=features,
        contributions=calibration.contributions(features),
        adjustments=adjustments,
    )


def _reversal_reports(answer: AnalyzedText, reversals: Sequence[Reversal]) -> list[WrongClaimReport]:
    """One report per stretch of the answer that reverses reference words, naming every word it reverses."""
    groups: list[tuple[int, int, list[Reversal]]] = []
    for reversal in sorted(reversals, key=lambda r: r.start):
        start, end = readable_evidence(answer, reversal.start, reversal.end)
        if groups and start < groups[-1][1]:
            first, last, members = groups[-1]
            groups[-1] = (first, max(last, end), [*members, reversal])
        else:
            groups.append((start, end, [reversal]))
    reports = []
    for start, end, members in groups:
        words = " and ".join(dict.fromkeys(f'"{r.reference_word}"' for r in members))
        sentences = " ".join(dict.fromkeys(r.reference_sentence for r in members))
        reports.append(
            WrongClaimReport(
                said=answer.text[start:end], misconception=f"denies or reverses {words}", correction=sentences
            )
        )
    return reports


def _denied_concepts(results: Sequence[ConceptResult], core_weight: float) -> list[ConceptResult]:
    """Concepts with no credit whose negated or reversed evidence is not another concept's evidence, and
    core concepts rejected outright ("has nothing to do with non-linearity") wherever else they are stated.

    "how big a step the optimizer takes" reverses an alias of "too low: the steps are small", yet it is
    the evidence of "controls the step size": one side of a contrast is not a denial of the other.
    """
    credited = [r.evidence for r in results if r.credit > 0.0 and r.evidence is not None]
    return [
        r
        for r in results
        if r.negated_evidence is not None
        and (r.credit == 0.0 or (r.explicitly_denied and r.concept.weight >= core_weight))
        and not any(
            hits_overlap(r.negated_evidence, evidence) for evidence in credited if evidence is not r.evidence
        )
    ]


def _core_credit(measured: Measured) -> float:
    """Mean lexical credit of the question's highest-weight concepts (1.0 when it has no concepts)."""
    results = measured.concept_results
    if not results:
        return 1.0
    top = max(result.concept.weight for result in results)
    core = [result.credit for result in results if result.concept.weight == top]
    return sum(core) / len(core)


def _by_weight(concepts: Sequence[Concept]) -> list[Concept]:
    return sorted(concepts, key=lambda c: -c.weight)


def _concept_report(prepared: PreparedQuestion, measured: Measured) -> tuple[list[MatchedConcept], list[str]]:
    matched: list[MatchedConcept] = []
    missed: list[tuple[float, int, str]] = []
    text = measured.answer.text
    for index, result in enumerate(measured.concept_results):
        if result.evidence is not None and result.credit >= 0.5:
            start, end = readable_evidence(measured.answer, result.evidence.start, result.evidence.end)
            matched.append(MatchedConcept(result.concept.name, text[start:end], start, end, "lexical"))
        else:
            missed.append((-result.concept.weight, index, result.concept.name))
    return matched, [name for _, _, name in sorted(missed)]


def readable_evidence(answer: AnalyzedText, start: int, end: int) -> tuple[int, int]:
    """The match widened to its clause when it is too short to read on its own ("cannot" → "the net cannot
    rely on any one of them"), at most EVIDENCE_MAX_CHARS long; the match itself when it is long enough."""
    if end - start >= EVIDENCE_MIN_CHARS:
        return start, end
    sentence = next((s.span for s in answer.sentences if s.span.start <= start < s.span.end), None)
    if sentence is None:
        return start, end
    text = answer.text
    left = max((text.rfind(mark, sentence.start, start) for mark in ",;:(—"), default=-1)
    clause_start = left + 1 if left >= sentence.start else sentence.start
    rights = [i for i in (text.find(mark, end, sentence.end) for mark in ",;:)—") if i != -1]
    clause_end = min(rights) if rights else sentence.end
    clause_start = max(clause_start, start - EVIDENCE_MAX_CHARS // 2)
    clause_end = min(clause_end, end + EVIDENCE_MAX_CHARS // 2)
    # Never cut a word in half at either end.
    while clause_start < start and (text[clause_start].isspace() or text[clause_start - 1].isalnum()):
        clause_start += 1
    while clause_end > end and clause_end < len(text) and text[clause_end].isalnum():
        clause_end -= 1
    return clause_start, max(end, clause_end)


def _own_words(prepared: PreparedQuestion) -> frozenset[str]:
    """Stems the question's references and concept names use: its own subject's words."""
    return prepared.reference_stems | frozenset(s for c in prepared.concepts for s in content_stems(c.name))
