"""Concepts extracted from a reference for questions that come without curated ones."""

from __future__ import annotations

from interviewer.keyphrases import LINKING_WORDS, extract_concepts


def names(reference: str, question: str = "") -> list[str]:
    return [concept.name for concept in extract_concepts(reference, question)]


def test_phrases_are_cut_at_the_words_that_join_claims() -> None:
    extracted = names(
        "Binary search runs in O(log n) time because it halves the search interval at each step.",
        "What is the time complexity of binary search?",
    )
    assert "halves" in extracted and "search interval" in extracted
    assert not any(word in LINKING_WORDS for name in extracted for word in name.lower().split()), extracted


def test_a_bare_number_is_not_a_concept() -> None:
    extracted = names(
        "Pure water at 25 degrees has a pH of 7; lower values are acidic.", "What is neutral pH?"
    )
    assert "acidic" in extracted
    assert not any(name.isdigit() for name in extracted), extracted


def test_a_phrase_made_only_of_the_question_words_is_not_a_concept() -> None:
    extracted = names("A stack is last in, first out.", "What is a stack?")
    assert "stack" not in [name.lower() for name in extracted]
    assert extracted
