"""Seed-text import: the seed document becomes a valid bank whose questions and references match the curated one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.bank import LEVELS, bank_problems, dump_bank_yaml, load_bank
from interviewer.bank_import import LEVEL_DIFFICULTY, LEVEL_YEARS, import_seed_text
from interviewer.errors import InputError
from interviewer.paths import default_bank

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "deep-learning-questions.txt"
SMALL_SEED = FIXTURES / "small-seed.txt"
REPO_BANK = Path(__file__).parent.parent / "bank" / "deep-learning.yaml"


def import_file(path: Path, prefix: str = "dl") -> dict[str, Any]:
    return import_seed_text(path.read_text(encoding="utf-8"), name=path.stem, prefix=prefix)


def curated_bank_path() -> Path:
    """The curated bank: the packaged copy, which the repository's bank/deep-learning.yaml links to."""
    assert REPO_BANK.resolve() == default_bank().resolve(), (
        "bank/deep-learning.yaml must link to the packaged bank"
    )
    return default_bank()


def test_seed_import_has_thirty_questions_ten_per_level() -> None:
    questions = import_file(SEED)["questions"]
    assert [q["id"] for q in questions] == [f"dl-{number:02d}" for number in range(1, 31)]
    assert [q["level"] for q in questions] == [level for level in LEVELS for _ in range(10)]
    for question in questions:
        assert question["years"] == LEVEL_YEARS[question["level"]]
        low, high = LEVEL_DIFFICULTY[question["level"]]
        assert low <= question["difficulty"] <= high
        assert question["misconceptions"] == []


def test_seed_import_extracts_at_least_one_usable_concept_per_question() -> None:
    for question in import_file(SEED)["questions"]:
        assert question["concepts"], question["id"]
        for concept in question["concepts"]:
            assert concept["name"].strip() and concept["weight"] > 0


def test_seed_import_removes_citation_markers_and_names_the_sources() -> None:
    questions = {q["id"]: q for q in import_file(SEED)["questions"]}
    assert not any(re.search(r"\[\d+\]", q["reference"]) for q in questions.values())
    assert questions["dl-01"]["reference"].endswith("through automatic feature extraction.")
    assert questions["dl-01"]["source"] == "GeeksforGeeks Deep Learning Interview Questions"
    assert questions["dl-11"]["source"] == (
        "GeeksforGeeks Deep Learning Interview Questions; Braintrust Deep Learning Engineer Questions"
    )


def test_seed_import_keeps_bullet_lists_as_lines() -> None:
    reference = import_file(SEED)["questions"][2]["reference"]
    assert reference == (
        "The main components are:\n"
        "- Input Layer: Receives raw data\n"
        "- Hidden Layers: Process data with weights and activations\n"
        "- Output Layer: Produces final predictions"
    )


def test_seed_import_writes_a_bank_that_validates(tmp_path: Path) -> None:
    path = tmp_path / "deep-learning.yaml"
    path.write_text(dump_bank_yaml(import_file(SEED)), encoding="utf-8")
    assert bank_problems(path) == []
    assert load_bank(path).get("dl-27").reference.startswith("Depthwise separable convolution separates")


def test_seed_import_reproduces_the_curated_questions_and_references() -> None:
    curated = load_bank(curated_bank_path())
    imported = import_file(SEED)["questions"]
    assert [q.id for q in curated.questions] == [q["id"] for q in imported]
    for question, seed in zip(curated.questions, imported, strict=True):
        assert question.question == seed["question"], question.id
        assert question.reference == seed["reference"], question.id


def test_small_seed_ignores_the_intro_and_keeps_numbered_lists_inside_answers() -> None:
    data = import_file(SMALL_SEED, prefix="s")
    assert data["bank"] == "small-seed" and data["title"] == "Small Seed interview questions"
    first, second, third = data["questions"]
    assert (first["id"], first["level"], first["question"]) == ("s-01", "basic", "What is an epoch?")
    assert first["reference"] == (
        "An epoch is one complete pass over the training data.\nSeveral epochs are usually needed."
    )
    assert first["source"] == "Course notes; A textbook, chapter 8"
    assert second["reference"] == "The steps are:\n1. Forward pass\n2. Compute the loss\n- then backpropagate"
    assert second["source"] == "Course notes; Lecture slides"
    assert (third["level"], third["years"]) == ("advanced", [3, 6])
    assert third["reference"] == "Gradient clipping limits the gradient norm to stabilise training."
    assert third["source"] == "A textbook, chapter 8; [9]"  # an unlisted citation keeps its number


def test_topic_is_the_questions_subject() -> None:
    topics = {q["id"]: q["topic"] for q in import_file(SEED)["questions"]}
    assert topics["dl-04"] == "activation-function"
    assert topics["dl-14"] == "dropout"
    assert topics["dl-29"] == "handle-imbalanced-datasets"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Just an essay without questions.", "no questions found"),
        ("1. What is an epoch?\nA full pass.", "line 1: question 1 comes before any level heading"),
        ("Basic Questions\n1. What is an epoch?\n2. What is a batch?\nA subset.", "line 2: question q-01"),
    ],
    ids=["no-questions", "no-heading", "no-answer"],
)
def test_malformed_seed_text_is_an_input_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        import_seed_text(text, name="x", origin="notes.txt")


SENTENCE = st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{1,8}){1,6}\.", fullmatch=True)


@settings(max_examples=25, deadline=None)
@given(
    sections=st.lists(
        st.tuples(st.sampled_from(LEVELS), st.lists(st.lists(SENTENCE, min_size=1, max_size=3), min_size=1)),
        min_size=1,
        max_size=3,
    )
)
def test_any_rendered_seed_imports_back_to_its_questions_and_answers(
    sections: list[tuple[str, list[list[str]]]],
) -> None:
    lines = ["Intro text."]
    expected: list[tuple[str, str, str]] = []
    for level, answers in sections:
        lines.append(f"{level.title()} Questions")
        for answer in answers:
            number = len(expected) + 1
            lines += [f"{number}. Question {number}?", *(f"{sentence}[1]" for sentence in answer)]
            expected.append((level, f"Question {number}?", "\n".join(answer)))
    data = import_seed_text("\n".join(lines), name="generated")
    got = [(q["level"], q["question"], q["reference"]) for q in data["questions"]]
    assert got == expected
    assert yaml.safe_load(dump_bank_yaml(data)) == data
