"""Lexical concept matching: inflections, typos, word order and windows, negation, regex aliases, misconceptions."""

from __future__ import annotations

from interviewer.bank import Concept, Misconception
from interviewer.grading.analysis import analyze
from interviewer.grading.concept_match import (
    affirmed_reversals,
    match_concept,
    repaired_results,
    weighted_coverage,
    words_match,
)
from interviewer.grading.wrong_claims import find_wrong_claims
from interviewer.text import tokenize

DROPS = Concept(
    "randomly drops neurons during training", ("randomly drop neurons", "zero out random units"), 3.0
)


def credit(concept: Concept, answer: str, **options: bool) -> float:
    return match_concept(concept, analyze(answer), **options).credit


def test_inflected_reordered_words_match_and_keep_the_evidence() -> None:
    result = match_concept(DROPS, analyze("During training, neurons are dropped randomly."))
    assert result.credit == 1.0
    assert result.evidence is not None
    assert (
        "neurons are dropped randomly"
        in "During training, neurons are dropped randomly."[result.evidence.start : result.evidence.end + 1]
    )


def test_typos_in_long_words_are_tolerated_but_not_a_different_first_letter() -> None:
    token = tokenize("backpropogation")[0]
    assert words_match("backpropagation", "backpropag", token)
    assert not words_match("activate", "activ", tokenize("deactivate")[0])
    assert not words_match("overfitting", "overfit", tokenize("underfitting")[0])


def test_words_far_apart_or_in_another_sentence_do_not_match() -> None:
    assert credit(DROPS, "Neurons matter. We randomly pick a learning rate and drop it later.") == 0.0


def test_a_negated_match_gives_no_credit_and_is_reported() -> None:
    result = match_concept(DROPS, analyze("Dropout does not randomly drop neurons; it adds noise."))
    assert result.credit == 0.0
    assert result.negated_evidence is not None


def test_an_alias_that_itself_says_not_matches_a_negative_statement() -> None:
    concept = Concept("off at inference", ("not used at inference",), 1.0)
    assert credit(concept, "It is not used at inference time.") == 1.0


def test_regex_alias() -> None:
    concept = Concept("pointwise 1x1 convolution", ("re:\\b1\\s*[x×]\\s*1\\b",), 1.0)
    assert credit(concept, "then a 1×1 conv mixes the channels") == 1.0


def test_partial_credit_only_when_asked() -> None:
    phrase = Concept("internal covariate shift", ("internal covariate shift",), 1.0)
    assert credit(phrase, "it reduces covariate shift") == 0.0
    assert 0.6 < credit(phrase, "it reduces covariate shift", partial=True) < 0.7


def test_a_partial_match_holding_the_opposite_of_its_missing_word_is_a_reversal() -> None:
    phrase = Concept("reduce data redundancy", ("reduce data redundancy",), 1.0)
    reversed_answer = match_concept(
        phrase, analyze("It duplicates data to increase redundancy."), partial=True
    )
    assert reversed_answer.credit == 0.0 and reversed_answer.negated_evidence is not None
    # The same two words without the opposite keep their share.
    assert credit(phrase, "It stores each piece of data once, so little redundancy.", partial=True) > 0.6


def test_wrong_claim_sentence_is_found_and_voids_its_concept_credit() -> None:
    wrong = Misconception(
        "dropout runs at inference", "it is off at inference", ("at (?:inference|test time)",)
    )
    answer = analyze("We randomly drop neurons at inference too. Nothing else.")
    claims = find_wrong_claims((wrong,), answer)
    assert [claim.sentence for claim in claims] == [0]
    excluded = frozenset(claim.sentence for claim in claims)
    assert match_concept(DROPS, answer, excluded_sentences=excluded).credit == 0.0


def test_one_sentence_can_make_two_wrong_claims_but_not_the_same_one_twice() -> None:
    regulariser = Misconception(
        "Adam combines dropout and batch norm", "it is an optimizer", (r"adam combines dropout",)
    )
    fixed = Misconception("Adam keeps one fixed learning rate", "it adapts it", (r"one fixed learning rate",))
    reworded = Misconception(
        "Adam keeps a single fixed learning rate", "it adapts it", (r"fixed learning rate",)
    )
    answer = analyze("Adam combines dropout and batch norm and keeps one fixed learning rate.")
    claims = find_wrong_claims((regulariser, fixed, reworded), answer)
    assert [claim.misconception for claim in claims] == [regulariser, fixed]


def test_weighted_coverage_weights_by_concept_importance() -> None:
    minor = Concept("improves generalization", ("generalizes better",), 1.0)
    answer = analyze("It randomly drops neurons.")
    results = [match_concept(DROPS, answer), match_concept(minor, answer)]
    assert weighted_coverage(results) == 0.75


def test_short_evidence_is_widened_to_its_clause_without_cutting_words() -> None:
    from interviewer.grading.combine import readable_evidence

    text = (
        "During training it switches off some neurons so the net cannot rely on any one of them; at test time"
    )
    answer = analyze(text)
    start = text.index("cannot")
    wide_start, wide_end = readable_evidence(answer, start, start + len("cannot"))
    evidence = text[wide_start:wide_end]
    assert "cannot" in evidence and len(evidence) > len("cannot")
    assert evidence == evidence.strip() and text[wide_start - 1] == " "
    assert ";" not in evidence
    long_start = text.index("switches")
    assert readable_evidence(answer, long_start, long_start + 20) == (long_start, long_start + 20)


NONLINEAR = Concept("introduces non-linearity", ("non-linearity", "introduces non-linearity"), 3.0)
SHRINK = Concept("gradients shrink toward zero", ("gradients shrink", "gradients become very small"), 3.0)


def test_a_reversed_statement_is_evidence_against_the_concept_not_for_it() -> None:
    # "non-linearity" alone would match, but it sits inside "removes ... non-linearity".
    result = match_concept(NONLINEAR, analyze("An activation function removes all non-linearity."))
    assert result.credit == 0.0
    assert result.negated_evidence is not None
    result = match_concept(SHRINK, analyze("Vanishing gradients means the gradients grow enormous."))
    assert result.credit == 0.0 and result.negated_evidence is not None


def test_the_right_direction_or_a_denied_reversal_still_earns_credit() -> None:
    assert credit(NONLINEAR, "It introduces non-linearity into the network.") == 1.0
    assert credit(SHRINK, "The gradients shrink as they flow back.") == 1.0
    result = match_concept(SHRINK, analyze("The gradients do not grow; they get smaller."))
    assert result.negated_evidence is None


def test_a_reversal_needs_the_words_together_and_in_order() -> None:
    # "overfit 'cause" is not "cause overfitting"; words far apart are not one claim.
    reduces = Concept("reduces overfitting", ("reduces overfitting",), 3.0)
    assert (
        match_concept(reduces, analyze("It won't overfit 'cause it sees more data.")).negated_evidence is None
    )
    assert match_concept(reduces, analyze("It can cause overfitting.")).negated_evidence is not None
    assert (
        match_concept(reduces, analyze("Causes of slow training and of overfitting.")).negated_evidence
        is None
    )


BACKWARD = Concept("goes from the output back to the input", ("from output to input",), 3.0)


def test_an_alias_naming_both_ends_of_a_relation_matches_only_in_its_order() -> None:
    assert credit(BACKWARD, "The error goes from the output layer back to the input.") == 1.0
    reversed_order = match_concept(BACKWARD, analyze("It runs from the input to the output."))
    assert reversed_order.credit == 0.0
    assert reversed_order.negated_evidence is not None, "the two ends swapped are evidence against it"


def test_a_reversal_that_another_concept_states_as_true_is_not_a_denial() -> None:
    # "small dataset" reversed reads "large dataset", yet pre-training on a large dataset is right.
    little_data = Concept("useful when data is limited", ("small dataset",), 3.0)
    pretrained = Concept("reuses a model pre-trained on a large dataset", ("pre-trained model",), 3.0)
    answer = analyze("Take a model pre-trained on a big dataset and fine-tune it.")
    skipped = affirmed_reversals([little_data, pretrained])
    assert match_concept(little_data, answer).negated_evidence is not None
    assert match_concept(little_data, answer, skipped_reversals=skipped).negated_evidence is None
    # Alone, with nothing that says otherwise, "a big dataset" still reverses "a small dataset".
    assert not affirmed_reversals([little_data])
    # "smaller dataset" reversed reads "larger dataset", which matching finds in "a large dataset" too.
    smaller = Concept("useful when data is limited", ("smaller dataset",), 3.0)
    answer = analyze("You start from a model pre-trained on a large dataset.")
    skipped = affirmed_reversals([smaller, pretrained])
    assert match_concept(smaller, answer, skipped_reversals=skipped).negated_evidence is None


def test_a_regex_alias_that_spells_a_negation_matches_the_negative_statement() -> None:
    stops = Concept(
        "stops when it stops improving",
        (r"re:\b(?:stops?|no longer|doesn't) (?:improv|go(?:es)? down)\w*",),
        3.0,
    )
    result = match_concept(stops, analyze("Halt once the validation loss no longer goes down."))
    assert result.credit == 1.0 and result.negated_evidence is None
    # Before an ordinary regex alias, a negation still denies it.
    assert credit(Concept("drops units", (r"re:\bdrop\w* units\b",), 1.0), "It does not drop units.") == 0.0


def test_a_match_in_the_typo_repaired_text_points_at_the_words_as_written() -> None:
    zeroes = Concept("drops units at random", (r"re:\brandomly zero(?:es)? out\b",), 3.0)
    written = analyze("During training you randonly zero out some units.")
    repaired = analyze("During training you randomly zero out some units.")
    assert match_concept(zeroes, written).credit == 0.0
    (moved,) = repaired_results([match_concept(zeroes, repaired)], repaired, written)
    assert moved.credit == 1.0 and moved.evidence is not None
    assert written.text[moved.evidence.start : moved.evidence.end] == "randonly zero out"
    # An outright rejection found in the repaired text stays one.
    rejected = Concept("introduces non-linearity", ("non-linearity",), 3.0)
    denial_written = analyze("It has nothing to do with non-lineraity. Layers are non-linearity machines.")
    denial_repaired = analyze("It has nothing to do with non-linearity. Layers are non-linearity machines.")
    (kept,) = repaired_results([match_concept(rejected, denial_repaired)], denial_repaired, denial_written)
    assert kept.explicitly_denied and kept.negated_evidence is not None
    evidence = denial_written.text[kept.negated_evidence.start : kept.negated_evidence.end]
    assert evidence == "non-lineraity"
    # Texts whose words do not line up one for one give no credit rather than the wrong evidence.
    (dropped,) = repaired_results([match_concept(zeroes, repaired)], repaired, analyze("Randonly zero."))
    assert dropped.credit == 0.0


def test_a_concept_rejected_outright_is_denied_even_where_another_sentence_states_it() -> None:
    answer = analyze(
        "It has nothing to do with non-linearity. Stacked layers are already non-linearity machines."
    )
    result = match_concept(NONLINEAR, answer)
    assert result.credit == 1.0 and result.explicitly_denied
    assert result.negated_evidence is not None
    # A plain "not" in a contrast is no such rejection.
    contrast = analyze("Without it the net is not able to add non-linearity. It introduces non-linearity.")
    assert not match_concept(NONLINEAR, contrast).explicitly_denied
