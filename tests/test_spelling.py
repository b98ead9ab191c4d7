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


def test_a_typo_of_another_form_of_a_reference_word_is_repaired_to_a_form_the_model_knows() -> None:
    index = vocabulary_index(["It reuses a pre-trained model and fine-tunes it on the new task."])
    known = frozenset({"tuning", "turning", "tuned", "tunes", "running"})
    assert repair_typos("fine-tunning it", index, known) == "fine-tuning it"
    # A known word near the typo that is no form of the reference's words is not a repair.
    assert repair_typos("runnning it", index, known) == "runnning it"


@given(st.text(alphabet="abcdefghij klmnop.,", max_size=80))
def test_text_without_unknown_near_words_is_unchanged(text: str) -> None:
    assert repair_typos(text, {}, frozenset()) == text
