"""Swapped roles: the compared subjects of a "difference between A and B" question given each other's words."""

from __future__ import annotations

from interviewer.grading.analysis import analyze
from interviewer.grading.roles import swapped_roles
from interviewer.text import content_stems

QUESTION = "What is the difference between TCP and UDP?"
REFERENCE = (
    "TCP is connection-oriented and reliable, guaranteeing ordered delivery with acknowledgements. "
    "UDP is connectionless and sends datagrams without guarantees, giving lower overhead and latency."
)


def swap(answer: str, question: str = QUESTION, reference: str = REFERENCE) -> tuple[str, str] | None:
    found = swapped_roles(content_stems(question), [analyze(reference)], analyze(answer))
    return None if found is None else (found.first, found.second)


def test_subjects_given_each_others_words_are_a_swap_with_where_it_was_said() -> None:
    answer = "UDP is connection-oriented and reliable with acknowledgements, while TCP is connectionless."
    found = swapped_roles(content_stems(QUESTION), [analyze(REFERENCE)], analyze(answer))
    assert found is not None
    assert {found.first, found.second} == {"tcp", "udp"}
    assert found.swapped > found.kept
    assert found.reference == REFERENCE
    assert answer[found.start : found.end].startswith("UDP is connection-oriented")


def test_the_same_facts_in_the_right_places_are_no_swap() -> None:
    assert (
        swap("TCP is reliable and connection-oriented, with acknowledgements; UDP is connectionless.") is None
    )


def test_one_clause_naming_both_subjects_says_nothing_about_roles() -> None:
    assert swap("Unlike TCP, UDP is connection-oriented, reliable and ordered.") is None


def test_a_clause_that_names_a_subject_late_does_not_give_it_the_words() -> None:
    # "... datagrams, things that TCP would not use": the clause is about datagrams, not about TCP.
    answer = "TCP is reliable. It sends connectionless datagrams with low overhead, things TCP would not do."
    assert swap(answer) is None


def test_only_a_comparison_question_is_checked() -> None:
    answer = "UDP is connection-oriented and reliable with acknowledgements, while TCP is connectionless."
    assert swap(answer, question="Tell me about TCP and UDP.") is None


def test_subjects_that_share_a_reference_clause_are_not_compared() -> None:
    reference = "TCP and UDP are transport protocols; both carry data between ports on two hosts."
    assert (
        swap("UDP carries data between ports, while TCP is a transport protocol.", reference=reference)
        is None
    )


def test_a_clause_is_about_its_first_subject_and_a_comma_and_opens_a_new_clause() -> None:
    question = "What is the difference between authentication and authorization?"
    reference = (
        "Authentication verifies who a user is, for example by checking a password or token. "
        "Authorization determines what an authenticated user is allowed to access, such as roles."
    )
    answer = (
        "Authorization verifies who the user is by checking their password, and authentication then "
        "decides which roles that user may access."
    )
    assert swap(answer, question=question, reference=reference) == ("authentication", "authorization")
