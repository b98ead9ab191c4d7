"""`interviewer bank list/show/validate/import` through the real Typer app (CliRunner)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from interviewer.bank import LEVELS, Question, load_bank
from interviewer.cli import app, bank_commands

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = str(FIXTURES / "small-bank.yaml")
BROKEN = FIXTURES / "broken"
SEED = FIXTURES / "deep-learning-questions.txt"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# ---- bank list ------------------------------------------------------------------------------------------------


def test_list_json_has_the_documented_fields_in_bank_order() -> None:
    result = run("bank", "list", "--bank", SMALL_BANK, "--format", "json")
    assert result.exit_code == 0, result.output
    questions = json.loads(result.stdout)["questions"]
    assert [q["id"] for q in questions] == ["t-01", "t-02", "t-03", "t-04"]
    assert questions[0] == {
        "id": "t-01",
        "level": "basic",
        "difficulty": 1.5,
        "topic": "foundations",
        "question": "What is an epoch in Deep Learning training?",
        "tags": ["foundations", "training"],
        "years": [0.0, 1.0],
    }


@pytest.mark.parametrize(
    ("options", "ids"),
    [
        (["--level", "basic"], ["t-01", "t-04"]),
        (["--topic", "training"], ["t-01", "t-04"]),
        (["--topic", "rnn", "--level", "advanced"], ["t-03"]),
        (["--level", "advanced", "--topic", "training"], []),
    ],
)
def test_list_filters_by_level_and_topic(options: list[str], ids: list[str]) -> None:
    result = run("bank", "list", "--bank", SMALL_BANK, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    assert [q["id"] for q in json.loads(result.stdout)["questions"]] == ids


def test_list_table_shows_id_level_difficulty_topic_and_question() -> None:
    result = run("bank", "list", "--bank", SMALL_BANK)
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["id", "level", "difficulty", "topic", "question"]
    assert rows[1].split()[:5] == ["t-02", "intermediate", "5.0", "regularization", "What"]
    assert "What is Dropout?" in rows[1]


def test_list_table_says_when_nothing_matches() -> None:
    result = run("bank", "list", "--bank", SMALL_BANK, "--level", "advanced", "--topic", "training")
    assert result.exit_code == 0
    assert "No questions match" in result.stderr and "sequence-models" in result.stderr


def test_list_rejects_an_unknown_level_with_exit_2() -> None:
    result = run("bank", "list", "--bank", SMALL_BANK, "--level", "expert")
    assert result.exit_code == 2
    assert "unknown level 'expert'; choose one of basic, intermediate, advanced" in result.stderr


def test_list_of_a_missing_bank_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = run("bank", "list", "--bank", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: cannot read the bank file" in result.stderr
    assert "Traceback" not in result.output


def test_list_of_a_broken_bank_names_every_problem() -> None:
    result = run("bank", "list", "--bank", str(BROKEN / "many-problems.yaml"))
    assert result.exit_code == 2
    assert result.stderr.count("many-problems.yaml: ") == 18


# ---- bank show ------------------------------------------------------------------------------------------------


def test_show_text_has_every_part_of_the_question() -> None:
    result = run("bank", "show", "t-01", "--bank", SMALL_BANK)
    assert result.exit_code == 0, result.output
    for expected in (
        "t-01 · basic · 0–1 years · difficulty 1.5 · topic foundations (tags: foundations, training)",
        "Question: What is an epoch in Deep Learning training?",
        "  An epoch is one complete pass of the entire training dataset through the neural network.",
        "Alternative 1:",
        r"  3 · one full pass over the training data — full pass, re:\bentire (training )?data ?set\b",
        "  1 · many epochs are needed",
        "  ✗ An epoch is one weight update.",
        "    → One weight update is an iteration (one batch); an epoch is a pass over all the data.",
        "Source: GeeksforGeeks Deep Learning Interview Questions",
    ):
        assert expected in result.stdout.splitlines(), expected


def test_show_json_is_the_question_as_bank_data() -> None:
    result = run("bank", "show", "t-02", "--bank", SMALL_BANK, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "t-02" and data["years"] == [1, 3]
    assert data["reference"].splitlines()[1] == "- It prevents overfitting"
    assert data["concepts"] == [
        {
            "name": "randomly drops neurons during training",
            "weight": 3,
            "aliases": ["randomly drop neurons", r"re:\bdrop ?out\b"],
        }
    ]
    assert data["misconceptions"] == []


def test_show_unknown_id_exits_2_and_points_to_bank_list() -> None:
    result = run("bank", "show", "t-1", "--bank", SMALL_BANK)
    assert result.exit_code == 2
    assert "no question with id 't-1'" in result.stderr
    assert "interviewer bank list" in result.stderr


# ---- bank validate --------------------------------------------------------------------------------------------


def test_validate_a_valid_bank_prints_ok_with_the_question_count() -> None:
    result = run("bank", "validate", SMALL_BANK)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SMALL_BANK}: ok (4 questions)\n"


def test_validate_every_broken_fixture_exits_2_naming_file_and_problem() -> None:
    for path in sorted(BROKEN.glob("*.yaml")):
        result = run("bank", "validate", str(path))
        assert result.exit_code == 2, path
        assert f"{path}: " in result.stderr, path
        assert "Traceback" not in result.output


def test_validate_many_files_reports_all_problems_of_all_files_at_once() -> None:
    bad_level, bad_regex = str(BROKEN / "bad-level.yaml"), str(BROKEN / "bad-regex-alias.yaml")
    result = run("bank", "validate", bad_level, SMALL_BANK, bad_regex)
    assert result.exit_code == 2
    assert result.stdout == f"{SMALL_BANK}: ok (4 questions)\n"
    assert result.stderr.splitlines() == [
        "Error: 2 problems found:",
        f"{bad_level}: b-01: level: 'expert' is not a level; use one of basic, intermediate, advanced",
        f"{bad_regex}: b-01: concepts[0].aliases[0]: regex '(full pass' does not compile: "
        "missing ), unterminated subpattern at position 0",
    ]


def test_validate_needs_a_path() -> None:
    assert run("bank", "validate").exit_code == 2


# ---- bank import ----------------------------------------------------------------------------------------------


def test_import_writes_a_bank_that_validates_and_lists(tmp_path: Path) -> None:
    output = tmp_path / "deep-learning.yaml"
    result = run("bank", "import", str(SEED), "-o", str(output), "--prefix", "dl")
    assert result.exit_code == 0, result.output
    assert "30 questions (basic 10, intermediate 10, advanced 10)" in result.stdout
    assert run("bank", "validate", str(output)).stdout == f"{output}: ok (30 questions)\n"
    listed = json.loads(run("bank", "list", "--bank", str(output), "--format", "json").stdout)["questions"]
    assert [q["id"] for q in listed] == [f"dl-{n:02d}" for n in range(1, 31)]


def test_import_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    output = tmp_path / "bank.yaml"
    output.write_text("keep me", encoding="utf-8")
    result = run("bank", "import", str(SEED), "-o", str(output))
    assert result.exit_code == 2
    assert "exists; pass --force" in result.stderr
    assert output.read_text(encoding="utf-8") == "keep me"
    assert run("bank", "import", str(SEED), "-o", str(output), "--force").exit_code == 0
    assert "q-01" in output.read_text(encoding="utf-8")


def test_import_of_a_missing_or_unreadable_text_exits_2(tmp_path: Path) -> None:
    missing = run("bank", "import", str(tmp_path / "none.txt"), "-o", str(tmp_path / "out.yaml"))
    assert missing.exit_code == 2 and "none.txt: cannot read" in missing.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Basic Questions\n1. Café?\nOui.\n".encode("latin-1"))
    result = run("bank", "import", str(latin1), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr


def test_import_of_a_text_without_questions_exits_2(tmp_path: Path) -> None:
    text = tmp_path / "essay.txt"
    text.write_text("An essay, no questions.\n", encoding="utf-8")
    result = run("bank", "import", str(text), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    assert f"{text}: no questions found" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


# ---- bank list: piped tables are laid out without rich, exactly as rich would -------------------------------

# Text the plain layout takes (one cell per character), and text rich has to lay out itself.
ONE_CELL_TEXT = st.sampled_from([*"abcXYZ019 -_.?()/", "é", "’", "…", "–"])
ANY_TEXT = st.sampled_from([*"abcXYZ019 -_.?()/", "[", "]", ":", "é", "’", "…", "–", "漢", "\u200b", "😀"])


def table_questions(texts: list[tuple[str, str, str]]) -> list[Question]:
    return [
        Question(f"q-{index}{id_suffix}", level, (0.0, 1.0), 1.0 + index % 10, topic, question, "r")
        for index, ((id_suffix, topic, question), level) in enumerate(zip(texts, itertools.cycle(LEVELS)))
    ]


def both_tables(questions: list[Question], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    bank_commands._print_table(questions)
    piped = capsys.readouterr().out
    bank_commands._print_rich_table(questions)
    return piped, capsys.readouterr().out


@pytest.mark.parametrize("columns", ["40", "60", "80", "100", "200"])
def test_piped_table_of_the_packaged_bank_is_what_rich_prints(
    columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    questions = list(load_bank().questions)
    piped, rich_printed = both_tables(questions, capsys)
    assert piped == rich_printed
    header, rows, topic_width = bank_commands._table_cells(questions, int(columns))
    uses_plain = bank_commands._plain_table(header, rows, topic_width=topic_width, width=int(columns))
    assert (uses_plain is not None) == (int(columns) >= 80)


def table_texts(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str, str]]]:
    """Up to 5 (id suffix, topic, question) triples drawn from `alphabet`."""
    id_suffix = st.text(alphabet, max_size=3).filter(lambda text: text.strip() == text)
    topic, question = st.text(alphabet, min_size=1, max_size=25), st.text(alphabet, min_size=1, max_size=120)
    return st.lists(st.tuples(id_suffix, topic, question), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.one_of(table_texts(ONE_CELL_TEXT), table_texts(ANY_TEXT)),
    columns=st.integers(min_value=30, max_value=160),
)
def test_piped_table_matches_rich_for_any_text(
    texts: list[tuple[str, str, str]],
    columns: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    piped, rich_printed = both_tables(table_questions(texts), capsys)
    assert piped == rich_printed


def test_a_styled_console_gets_the_rich_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert bank_commands._plain_output_width() is None


def test_markup_and_emoji_codes_in_a_question_are_printed_as_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    questions = table_questions([("", "[/] topics", "What does [bold]x[/] mean :smile: here?")])
    bank_commands._print_rich_table(questions)
    printed = capsys.readouterr().out
    assert "[/] topics" in printed
    assert "What does [bold]x[/] mean :smile:" in printed
