"""Grading quality on questions outside any bank: adversarial answers to 24 ad-hoc questions, real model.

tests/fixtures/adversarial-adhoc.yaml holds 24 questions from databases, networking, operating systems,
algorithms, school science and software engineering, each with a reference and six kinds of answer,
written by an author who read nothing of the grader. With no curated concepts or misconceptions the
grader has only the reference to go on, so the bar is lower than for the bank (tests/test_grading_quality.py):
correct answers are never flagged; a paraphrase outscores a keyword list, filler and a contradiction;
keyword lists and filler score low with their flag; a comparison answered with the subjects swapped is
flagged as a contradiction. Where the grader misses today, the case is a strict expected failure below.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interviewer.batch import ad_hoc_question
from interviewer.grading.grader import Grade, Grader

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "adversarial-adhoc.yaml"
QUESTIONS: dict[str, dict[str, str]] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
ANSWER_KINDS = ("reference", "paraphrase", "half", "typos", "contradiction", "keywords", "filler")
CORRECT_KINDS = ("reference", "paraphrase", "half", "typos")
WRONG_FLAGS = {
    "contradiction",
    "keyword_list",
    "filler",
    "off_topic",
    "restates_question",
    "hedge",
    "gibberish",
}
# Comparison questions whose contradiction gives each subject the other's words.
SWAPPED_COMPARISONS = ("q01", "q05", "q08", "q09", "q14", "q23")

_CONTRADICTION_GAP = (
    "a fluent contradiction reusing the reference's words: nothing in the reference tells them apart"
)
KNOWN_GAPS = {
    **{
        ("contradiction", qid): _CONTRADICTION_GAP
        for qid in ("q02", "q10", "q11", "q12", "q13", "q16", "q17", "q19", "q20", "q21")
    },
    ("filler", "q02"): "'best-in-class', 'forward-thinking', 'future-proof' are not in the praise list",
}

Key = tuple[str, str]


@pytest.fixture(scope="module")
def grades(grader: Grader) -> dict[Key, Grade]:
    """Every answer of every question (and the reference itself), graded as ad-hoc rows in one batch."""
    items = []
    for qid, entry in QUESTIONS.items():
        question = ad_hoc_question(entry["question"], entry["reference"])
        items.extend(((qid, kind), question, entry[kind]) for kind in ANSWER_KINDS)
    graded = grader.grade_many([(question, text) for _, question, text in items])
    return {key: grade for (key, _, _), grade in zip(items, graded, strict=True)}


def cases(check: str) -> list[object]:
    return [
        pytest.param(
            qid,
            marks=[pytest.mark.xfail(reason=KNOWN_GAPS[(check, qid)], strict=True)]
            if (check, qid) in KNOWN_GAPS
            else [],
            id=qid,
        )
        for qid in QUESTIONS
    ]


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_correct_answers_are_never_flagged_as_wrong_or_evasive(grades: dict[Key, Grade], qid: str) -> None:
    for kind in CORRECT_KINDS:
        assert not WRONG_FLAGS & set(grades[(qid, kind)].flags), kind


@pytest.mark.parametrize("qid", cases("contradiction"))
def test_a_contradiction_scores_below_the_paraphrase(grades: dict[Key, Grade], qid: str) -> None:
    assert grades[(qid, "contradiction")].score < grades[(qid, "paraphrase")].score


@pytest.mark.parametrize("qid", cases("keywords"))
def test_a_keyword_list_scores_low_and_is_called_one(grades: dict[Key, Grade], qid: str) -> None:
    grade = grades[(qid, "keywords")]
    assert grade.score < 40 and "keyword_list" in grade.flags
    assert grade.score < grades[(qid, "paraphrase")].score


@pytest.mark.parametrize("qid", cases("filler"))
def test_filler_scores_low_and_is_called_filler(grades: dict[Key, Grade], qid: str) -> None:
    grade = grades[(qid, "filler")]
    assert grade.score < 40 and "filler" in grade.flags


@pytest.mark.parametrize("qid", SWAPPED_COMPARISONS)
def test_a_comparison_with_the_subjects_swapped_is_a_contradiction_that_says_so(
    grades: dict[Key, Grade], qid: str
) -> None:
    grade = grades[(qid, "contradiction")]
    assert grade.score < 40 and "contradiction" in grade.flags
    swapped = [claim for claim in grade.wrong_claims if claim.misconception.startswith("gives ")]
    assert swapped and all(claim.said in QUESTIONS[qid]["contradiction"] for claim in swapped)
