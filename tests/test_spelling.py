"""Typo repair before encoding: unknown words map to the question's vocabulary, known words stay."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interviewer.grading.spelling import nearest, repair_typos, vocabulary_index

INDEX = vocabulary_index(["Backpropagation computes gradients of the loss with respect to the weights."])


def test_misspellings_are_repaired_to_the_reference_words() -> None:
    repaired = repair_typos("backpropogation computes grdients wrt the wieghts", INDEX, frozenset())
    assert repaired == "backpropagation computes gradients wrt the weights"


def test_known_words_and_distant_words_are_left_alone() -> None:
    assert repair_typos("weighs the options", INDEX, frozenset({"weighs", "options"})) == "weighs the options"
    assert nearest("gradient", INDEX) == "gradients"
    assert nearest("radients", INDEX) is None  # a different first letter is not a typo


@given(st.text(alphabet="abcdefghij klmnop.,", max_size=80))
def test_text_without_unknown_near_words_is_unchanged(text: str) -> None:
    assert repair_typos(text, {}, frozenset()) == text
