"""Reference polarity: which of the reference's plain claims an answer denies or turns around (no model)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interviewer.grading.analysis import analyze
from interviewer.grading.polarity import reversed_claims
from interviewer.text import content_stems

QUESTION = "What is an activation function?"
REFERENCE = (
    "An activation function introduces non-linearity into the model, enabling it to learn complex patterns."
)


def reversed_words(answer: str, reference: str = REFERENCE, question: str = QUESTION) -> dict[str, str]:
    found = reversed_claims([analyze(reference)], analyze(answer), content_stems(question))
    return {r.reference_word: r.kind for r in found}


def test_a_denied_word_of_the_reference_is_found_with_where_it_was_said() -> None:
    answer = "A model with it can never pick up complex patterns."
    found = reversed_claims([analyze(REFERENCE)], analyze(answer), content_stems(QUESTION))
    assert {r.reference_word for r in found} == {"complex", "patterns"}
    assert {answer[r.start : r.end] for r in found} == {"complex", "patterns"}
    assert all(r.kind == "denied" and r.reference_sentence == REFERENCE for r in found)


def test_an_opposite_word_and_a_dropped_prefix_reverse_the_claim() -> None:
    assert reversed_words("It removes the linearity, keeping everything linear.") == {
        "introduces": "opposite",
        "linearity": "prefix",
    }


def test_the_reference_stated_in_other_words_reverses_nothing() -> None:
    assert reversed_words("It adds non-linearity so the network can learn complex patterns.") == {}


def test_a_contrast_that_also_states_the_claim_is_not_a_reversal() -> None:
    assert (
        reversed_words("It introduces non-linearity, not linearity, to learn complex, not simple, patterns.")
        == {}
    )


def test_words_of_a_negated_or_limiting_reference_sentence_are_not_plain_claims() -> None:
    reference = "Recursion never ends if the base case is not included."
    assert reversed_words("There is no base case.", reference, "When does recursion not end?") == {}
    assert reversed_words("It avoids copies.", "It avoids making copies of large data.", "Why?") == {}


def test_a_negation_that_only_restates_denies_nothing() -> None:
    reference = "A binary tree is a tree in which every node has at most two children."
    assert (
        reversed_words("Each node has no more than two children.", reference, "What is a binary tree?") == {}
    )


def test_the_question_words_are_never_counted() -> None:
    assert "activation" not in reversed_words("It is not an activation function at all.")


def test_the_reference_reversed_least_is_the_one_judged() -> None:
    references = [
        analyze(REFERENCE),
        analyze("Activation functions let networks avoid collapsing to linear maps."),
    ]
    found = reversed_claims(references, analyze("It never learns complex patterns."), content_stems(QUESTION))
    assert found == []


@given(st.text(alphabet="abcdefghij non-.,", max_size=80))
def test_any_text_gives_reversals_inside_the_answer(answer: str) -> None:
    analyzed = analyze(answer)
    for reversal in reversed_claims([analyze(REFERENCE)], analyzed):
        assert 0 <= reversal.start < reversal.end <= len(answer)


def test_the_reference_itself_reverses_nothing() -> None:
    assert reversed_words(REFERENCE) == {}
