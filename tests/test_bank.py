"""The bank model, loader and validation: every problem type is named with file, question id and field."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewer.bank import (
    LEVELS,
    Bank,
    Concept,
    Misconception,
    Question,
    bank_problems,
    bank_to_dict,
    dump_bank_yaml,
    load_bank,
)
from interviewer.errors import BankError, InputError
from interviewer.paths import default_bank

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "small-bank.yaml"
BROKEN = FIXTURES / "broken"


def test_small_bank_loads_every_field() -> None:
    bank = load_bank(SMALL_BANK)
    assert (bank.name, bank.title, bank.version, bank.path) == ("small", "Small test bank", 1, SMALL_BANK)
    assert [q.id for q in bank.questions] == ["t-01", "t-02", "t-03", "t-04"]
    epoch = bank.get("t-01")
    assert epoch.level == "basic"
    assert epoch.years == (0.0, 1.0)
    assert epoch.difficulty == 1.5
    assert epoch.tags == ("foundations", "training")
    assert epoch.source == "GeeksforGeeks Deep Learning Interview Questions"
    assert epoch.concepts[0] == Concept(
        "one full pass over the training data", ("full pass", r"re:\bentire (training )?data ?set\b"), 3.0
    )
    assert epoch.misconceptions == (
        Misconception(
            "An epoch is one weight update.",
            "One weight update is an iteration (one batch); an epoch is a pass over all the data.",
            (r"\bone (weight )?update\b",),
        ),
    )
    assert epoch.references == (
        epoch.reference,
        "One epoch means the model has seen every training example once.",
    )


def test_optional_fields_take_their_defaults() -> None:
    question = load_bank(SMALL_BANK).get("t-03")
    assert question.concepts == (Concept("unrolls the network over time steps", ("unroll", "unrolled"), 1.0),)
    assert (question.misconceptions, question.alternatives, question.source) == ((), (), "")
    assert question.references == (question.reference,)


def test_block_scalar_reference_keeps_its_lines() -> None:
    reference = load_bank(SMALL_BANK).get("t-02").reference
    assert reference.splitlines() == [
        "Dropout randomly deactivates a fraction of neurons during training.",
        "- It prevents overfitting",
        "- It does not apply during inference",
    ]


def test_get_unknown_id_names_the_id_the_file_and_the_list_command() -> None:
    bank = load_bank(SMALL_BANK)
    with pytest.raises(BankError) as raised:
        bank.get("t-99")
    message = str(raised.value)
    assert "'t-99'" in message and str(SMALL_BANK) in message and "interviewer bank list" in message


def test_contains() -> None:
    bank = load_bank(SMALL_BANK)
    assert "t-02" in bank
    assert "t-99" not in bank
    assert 2 not in bank


def test_a_question_is_found_by_its_reference_whatever_its_case_spacing_and_citation_marks() -> None:
    bank = load_bank(SMALL_BANK)
    epoch = bank.get("t-01")
    copied = "  what is an EPOCH in deep learning training  "
    cited = epoch.reference.replace("network.", "network [1]")
    assert bank.find_by_text(copied, cited) is epoch
    # Another reference is another answer key, not this question.
    assert bank.find_by_text(epoch.question, "An epoch is one weight update.") is None
    # The question asked in other words, with the bank's answer key, is the bank's question.
    assert bank.find_by_text("What is an epoch?", epoch.reference) is epoch


def test_select_by_level_and_by_topic_or_tag() -> None:
    bank = load_bank(SMALL_BANK)
    assert [q.id for q in bank.select(level="basic")] == ["t-01", "t-04"]
    assert [q.id for q in bank.select(topic="training")] == ["t-01", "t-04"]  # t-01 by tag, t-04 by topic
    assert [q.id for q in bank.select(topic="RNN")] == ["t-03"]
    assert [q.id for q in bank.select(level="advanced", topic="training")] == []
    assert len(bank.select()) == 4


def test_select_rejects_an_unknown_level() -> None:
    with pytest.raises(InputError, match="basic, intermediate, advanced"):
        load_bank(SMALL_BANK).select(level="expert")


def test_loads_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(SMALL_BANK.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_bank(path)
    assert load_bank(path) is first
    path.write_text(path.read_text(encoding="utf-8").replace("Small test bank", "Edited"), encoding="utf-8")
    assert load_bank(path).title == "Edited"


def test_default_bank_is_the_packaged_file() -> None:
    bank = load_bank()
    assert bank.path == default_bank()
    assert len(bank.questions) == 30
    assert [len(bank.select(level=level)) for level in LEVELS] == [10, 10, 10]


def test_valid_bank_has_no_problems() -> None:
    assert bank_problems(SMALL_BANK) == []


# One fixture per problem type: (file, question id or "" for file-level problems, field, message words).
PROBLEM_CASES = [
    ("unknown-top-level-key", "", "author", "unknown key; allowed keys: bank, title, version, questions"),
    ("unknown-question-key", "b-01", "refrence", "unknown key; did you mean 'reference'?"),
    ("unknown-concept-key", "b-01", "concepts[0].weigth", "unknown key; did you mean 'weight'?"),
    ("unknown-misconception-key", "b-01", "misconceptions[0].fix", "unknown key"),
    ("missing-field", "b-01", "reference", "missing (required)"),
    ("empty-field", "b-01", "question", "is empty"),
    ("wrong-type", "b-01", "concepts[0].aliases", "expected a list of strings"),
    ("duplicate-id", "b-01", "id", "duplicate id (questions[0] and questions[1])"),
    ("bad-level", "b-01", "level", "'expert' is not a level; use one of basic, intermediate, advanced"),
    ("difficulty-out-of-range", "b-01", "difficulty", "12 is out of range; must be between 1 and 10"),
    ("bad-years", "b-01", "years", "need 0 ≤ min ≤ max"),
    ("non-positive-weight", "b-01", "concepts[0].weight", "must be greater than 0"),
    ("duplicate-alias", "b-01", "concepts[1].aliases[0]", "duplicate alias 'Full Pass'"),
    ("duplicate-concept-name", "b-01", "concepts[1].name", "duplicate concept name 'One Full Pass'"),
    ("bad-regex-alias", "b-01", "concepts[0].aliases[0]", "does not compile: missing ), unterminated"),
    (
        "bad-regex-pattern",
        "b-01",
        "misconceptions[0].patterns[0]",
        "does not compile: unterminated character",
    ),
    ("empty-regex-alias", "b-01", "concepts[0].aliases[0]", "empty regex"),
    ("no-concepts", "b-01", "concepts", "needs at least one concept"),
    ("duplicate-yaml-key", "line 13, column 5", "level", "duplicate key"),
    ("yaml-syntax", "line 9, column 15", "", "invalid YAML: expected ',' or ']'"),
    ("not-utf8", "", "", "not UTF-8 text: byte 0xe9 at byte offset 222 (line 11)"),
    ("not-a-bank-list", "", "", "not a question bank: the file holds a list"),
    ("not-a-bank-scalar", "", "", "not a question bank: the file holds text"),
    ("missing-questions", "", "questions", "missing (required)"),
]


def names_problem(line: str, path: Path, where: str, field: str, message: str) -> bool:
    """Whether `line` is `FILE: WHERE: FIELD: …message…` (empty parts left out)."""
    start = ": ".join(part for part in (str(path), where, field) if part) + ": "
    return line.startswith(start) and message in line[len(start) :]


@pytest.mark.parametrize(
    ("fixture", "where", "field", "message"), PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES]
)
def test_each_problem_type_is_named_with_file_id_and_field(
    fixture: str, where: str, field: str, message: str
) -> None:
    path = BROKEN / f"{fixture}.yaml"
    problems = bank_problems(path)
    assert any(names_problem(line, path, where, field, message) for line in problems), problems
    with pytest.raises(BankError) as raised:
        load_bank(path)
    assert str(raised.value).splitlines() == problems


def test_a_missing_file_is_a_bank_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(BankError, match=f"^{path}: cannot read the bank file: No such file"):
        load_bank(path)


def test_every_fixture_problem_type_is_covered() -> None:
    fixtures = {path.stem for path in BROKEN.glob("*.yaml")} - {"many-problems"}
    assert fixtures == {case[0] for case in PROBLEM_CASES}


def test_many_problems_are_all_reported_at_once() -> None:
    path = BROKEN / "many-problems.yaml"
    expected = [
        ("", "colour", "unknown key"),
        ("m-01", "level", "'expert' is not a level"),
        ("m-01", "years", "[3, 1]: need 0 ≤ min ≤ max"),
        ("m-01", "difficulty", "11 is out of range"),
        ("m-01", "reference", "is empty"),
        ("m-01", "concepts[0].weight", "-1 must be greater than 0"),
        ("m-01", "concepts[0].aliases[1]", "regex '(unclosed' does not compile"),
        ("m-01", "concepts[1].name", "duplicate concept name 'Full Pass'"),
        ("m-01", "concepts[1].aliases[0]", "duplicate alias 'FULL PASS'"),
        ("m-02", "answer", "unknown key"),
        ("m-02", "reference", "missing (required)"),
        ("m-02", "concepts[0].importance", "unknown key"),
        ("m-02", "concepts[0].aliases", "expected a list of strings"),
        ("m-02", "misconceptions[0].severity", "unknown key"),
        ("m-02", "misconceptions[0].patterns[0]", "regex 'whole (dataset' does not compile"),
        ("m-01", "concepts", "needs at least one concept"),
        ("questions[3]", "id", "missing (required)"),
        ("m-01", "id", "duplicate id (questions[0] and questions[2])"),
    ]
    problems = bank_problems(path)
    assert len(problems) == len(expected)
    for line, (where, field, message) in zip(problems, expected, strict=True):
        assert names_problem(line, path, where, field, message), line


# ---- round trip: load(dump(bank)) == bank for generated banks ----------------------------------------------

WORDS = st.text(alphabet=string.ascii_letters + "éß’×", min_size=1, max_size=8)
PHRASE = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
PROSE = st.lists(PHRASE, min_size=1, max_size=3).map("\n- ".join)  # multi-line like bullet-list references
NUMBER = st.one_of(st.integers(1, 10).map(float), st.floats(1, 10).map(lambda value: round(value, 2)))


@st.composite
def questions(draw: st.DrawFn, question_id: str) -> Question:
    aliases = draw(st.lists(PHRASE, max_size=6, unique_by=str.casefold))
    names = draw(st.lists(PHRASE, min_size=1, max_size=3, unique_by=str.casefold))
    concepts = tuple(
        Concept(name, tuple(aliases[index :: len(names)]), draw(NUMBER)) for index, name in enumerate(names)
    )
    low = draw(st.integers(0, 5))
    return Question(
        id=question_id,
        level=draw(st.sampled_from(LEVELS)),
        years=(float(low), float(low + draw(st.integers(0, 3)))),
        difficulty=draw(NUMBER),
        topic=draw(WORDS),
        question=draw(PHRASE) + "?",
        reference=draw(PROSE),
        concepts=concepts,
        misconceptions=tuple(
            Misconception(draw(PHRASE), draw(PROSE), tuple(draw(st.lists(WORDS, max_size=2))))
            for _ in range(draw(st.integers(0, 2)))
        ),
        alternatives=tuple(draw(st.lists(PROSE, max_size=2))),
        tags=tuple(draw(st.lists(WORDS, max_size=3))),
        source=draw(st.one_of(st.just(""), PHRASE)),
    )


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(1, 4))
    return Bank(
        name=draw(WORDS),
        title=draw(PHRASE),
        version=draw(st.integers(1, 3)),
        questions=tuple(draw(questions(f"q-{index:02d}")) for index in range(count)),
    )


@settings(max_examples=40, deadline=None)
@given(bank=banks())
def test_dumped_banks_load_back_equal(bank: Bank) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_text(dump_bank_yaml(bank_to_dict(bank)), encoding="utf-8")
        assert bank_problems(path) == []
        loaded = load_bank(path)
    assert (loaded.name, loaded.title, loaded.version) == (bank.name, bank.title, bank.version)
    assert loaded.questions == bank.questions
