"""`interviewer grade` end to end with the real packaged model: the grading contract, exit codes, resume."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from interviewer.cli import app

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = str(FIXTURES / "small-bank.yaml")
CONTRACT_FIELDS = (
    "score",
    "verdict",
    "concepts_matched",
    "concepts_missed",
    "flags",
    "wrong_claims",
    "grader",
)


def grade(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, ["grade", *args, "--bank", SMALL_BANK], input=stdin)


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_bank_and_ad_hoc_rows_are_graded_in_input_order() -> None:
    result = grade(str(FIXTURES / "answers.jsonl"))
    assert result.exit_code == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [row["id"] for row in rows] == ["q1", "q2", "q3", "q4"]
    for row in rows:
        assert all(name in row for name in CONTRACT_FIELDS)
        assert isinstance(row["score"], float) and 0 <= row["score"] <= 100
        assert round(row["score"], 1) == row["score"]
    epoch, learning_rate, tensor, script = rows
    assert (epoch["candidate"], epoch["question_id"]) == ("ann", "t-01")
    assert epoch["verdict"] in ("strong", "excellent")
    # Evidence is the answer's own words: the match, widened to its clause when the match alone is short.
    evidence = {item["concept"]: item["evidence"] for item in epoch["concepts_matched"]}  # type: ignore[union-attr]
    assert "full pass" in evidence["one full pass over the training data"]
    assert evidence["one full pass over the training data"] in epoch["answer"]  # type: ignore[operator]
    # Ad-hoc concept phrases are matched by name, with the answer span as evidence.
    assert "question_id" not in learning_rate
    matched = {item["concept"]: item["evidence"] for item in learning_rate["concepts_matched"]}  # type: ignore[union-attr]
    assert set(matched) == {"step size", "weight update"}
    assert "step size" in matched["step size"] and "weight update" in matched["weight update"]
    assert learning_rate["score"] >= 60  # type: ignore[operator]
    # Input columns the grader does not consume are carried through for reports.
    assert learning_rate["question"] == "What does a learning rate control?"
    assert tensor["topic"] == "foundations"
    assert script["answer"] == "<script>alert(1)</script> dropout drops neurons"
    assert "Graded 4 rows, 0 with errors" in result.stderr


def test_a_row_with_a_bank_questions_reference_is_graded_as_that_question() -> None:
    # A teacher's sheet that copies the bank's reference (and its question, or not) gets the bank's concepts and
    # misconception checks: the same answer, the same grade, however the row names its question.
    epoch = "What is an epoch in Deep Learning training?"
    reference = "An epoch is one complete pass of the entire training dataset through the neural network."
    answer = "It is one weight update of the model."
    rows = [
        {"id": "by-id", "question_id": "t-01", "answer": answer},
        {"id": "spelled", "question": epoch, "reference": reference + " [1]", "answer": answer},
        {"id": "reworded", "question": "Explain epochs.", "reference": reference, "answer": answer},
        {"id": "own-key", "question": epoch, "reference": reference, "concepts": ["pass"], "answer": answer},
    ]
    result = grade("-", stdin="".join(json.dumps(row) + "\n" for row in rows))
    assert result.exit_code == 0, result.stderr
    by_id, spelled, reworded, own_key = jsonl(result.stdout)
    assert "contradiction" in by_id["flags"], by_id
    assert [spelled[name] for name in CONTRACT_FIELDS] == [by_id[name] for name in CONTRACT_FIELDS]
    # The bank's answer key under a question in other words is still the bank's question.
    assert [reworded[name] for name in CONTRACT_FIELDS] == [by_id[name] for name in CONTRACT_FIELDS]
    # The summary names the question it was graded as.
    assert "t-01  3 ·" in result.stderr, result.stderr
    # A row with its own concepts is graded by them: no bank misconception is read into it.
    assert "contradiction" not in own_key["flags"], own_key


def test_csv_in_csv_out_with_bom_multiline_answers_aliases_and_extra_columns(tmp_path: Path) -> None:
    out = tmp_path / "graded.csv"
    result = grade(str(FIXTURES / "answers.csv"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["candidate"] for row in rows] == ["ann", "ann", "bob", "bob"]
    assert [row["Class"] for row in rows] == ["A", "A", "B", "B"]
    assert rows[0]["Notes"] == "first, try"
    assert rows[0]["answer"].count("\n") == 1
    assert json.loads(rows[0]["concepts_matched"])[0]["concept"] == "one full pass over the training data"
    assert isinstance(json.loads(rows[0]["flags"]), list)
    # The misconception "an epoch is one weight update" is caught and costs points.
    assert "contradiction" in json.loads(rows[2]["flags"])
    assert float(rows[2]["score"]) < float(rows[0]["score"])
    assert all(row["error"] == "" for row in rows)


def test_bad_rows_get_errors_and_the_rest_are_graded_exit_1(tmp_path: Path) -> None:
    out = tmp_path / "graded.jsonl"
    result = grade(str(FIXTURES / "answers-bad.csv"), "-o", str(out))
    assert result.exit_code == 1
    rows = jsonl(out.read_text())
    assert [row["id"] for row in rows] == ["a1", "a2", "a3", "a4", "a1", "a6", "a7", "a8"]
    graded = [row["id"] for row in rows if "score" in row]
    assert graded == ["a1", "a8"]
    assert all("score" not in row for row in rows if "error" in row)
    assert "6 of 8 rows could not be graded" in result.stderr


def test_stdin_is_jsonl() -> None:
    line = json.dumps(
        {"question_id": "t-04", "answer": "It measures how far the predictions are from the truth."}
    )
    result = grade("-", stdin=line + "\n")
    assert result.exit_code == 0, result.stderr
    (row,) = jsonl(result.stdout)
    assert row["id"] == "1" and row["question_id"] == "t-04"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv: cannot read"),
        ([str(FIXTURES / "small-bank.yaml")], "use .csv or .jsonl"),
        (["-", "-o", "out.txt"], "use .csv or .jsonl"),
        (["-", "--resume"], "--resume needs -o OUTPUT"),
    ],
)
def test_bad_invocation_exits_2(args: list[str], message: str) -> None:
    result = grade(*args, stdin="")
    assert result.exit_code == 2
    assert message in result.stderr


def test_csv_without_the_needed_columns_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,text\nann,hello\n")
    result = grade(str(path))
    assert result.exit_code == 2
    assert "expected `answer`" in result.stderr and "found 'name', 'text'" in result.stderr


def test_same_input_gives_byte_identical_output_and_batch_size_does_not_change_scores(tmp_path: Path) -> None:
    outputs = []
    for index, size in enumerate(["64", "1", "64"]):
        out = tmp_path / f"run{index}.jsonl"
        result = grade(str(FIXTURES / "answers.jsonl"), "-o", str(out), "--batch-size", size)
        assert result.exit_code == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2]
    assert outputs[0] == outputs[1]


def many_rows(count: int) -> str:
    answers = [
        ("t-01", "An epoch is one full pass over the training data."),
        ("t-02", "Dropout randomly drops neurons during training."),
        ("t-04", "A loss function measures the difference between predictions and targets."),
    ]
    lines = []
    for number in range(count):
        question_id, answer = answers[number % len(answers)]
        lines.append(json.dumps({"question_id": question_id, "answer": f"{answer} Row {number}."}))
    return "\n".join(lines) + "\n"


def test_resume_after_a_cut_grades_only_the_remainder_and_equals_a_full_run(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(many_rows(10))
    full = tmp_path / "full.jsonl"
    assert grade(str(source), "-o", str(full), "--batch-size", "4").exit_code == 0
    complete = full.read_bytes().splitlines(keepends=True)

    # Simulate a kill while the second batch was being written: 5 rows kept plus half of the 6th.
    resumed = tmp_path / "resumed.jsonl"
    resumed.write_bytes(b"".join(complete[:5]) + complete[5][:30])
    result = grade(str(source), "-o", str(resumed), "--batch-size", "4", "--resume")
    assert result.exit_code == 0, result.stderr
    assert "Graded 5 rows" in result.stderr and "resumed after 5 rows already in the output" in result.stderr
    assert resumed.read_bytes() == full.read_bytes()


def test_resume_of_a_csv_output_keeps_its_header(tmp_path: Path) -> None:
    full = tmp_path / "full.csv"
    assert grade(str(FIXTURES / "answers.csv"), "-o", str(full)).exit_code == 0
    text = full.read_bytes()
    cut = tmp_path / "cut.csv"
    # Keep the header, the first (two-line) record and part of the second.
    second_start = text.index(b"\n2,ann,") + 1
    cut.write_bytes(text[: second_start + 20])
    result = grade(str(FIXTURES / "answers.csv"), "-o", str(cut), "--resume")
    assert result.exit_code == 0, result.stderr
    assert "Graded 3 rows" in result.stderr
    assert cut.read_bytes() == text


def test_resume_refuses_an_output_written_for_another_input(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "zzz", "score": 1.0}) + "\n")
    result = grade(str(FIXTURES / "answers.jsonl"), "-o", str(out), "--resume")
    assert result.exit_code == 2
    assert "another input" in result.stderr


def test_ctrl_c_finishes_the_batch_prints_how_to_resume_and_exits_130(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(many_rows(60))
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "interviewer", "grade", str(source), "-o", str(out)]
    command += ["--bank", SMALL_BANK, "--batch-size", "2"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size == 0):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr
    lines = out.read_text().splitlines()
    assert 0 < len(lines) < 60 and len(lines) % 2 == 0  # whole batches only
    result = grade(str(source), "-o", str(out), "--batch-size", "2", "--resume")
    assert result.exit_code == 0, result.stderr
    assert [row["id"] for row in jsonl(out.read_text())] == [str(n) for n in range(1, 61)]


def test_explain_adds_features_in_jsonl_and_a_json_column_in_csv(tmp_path: Path) -> None:
    out = tmp_path / "graded.csv"
    result = grade(str(FIXTURES / "answers.csv"), "-o", str(out), "--explain")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert "features" in json.loads(rows[0]["explain"])


def test_resume_counts_error_rows_already_written_in_the_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "graded.jsonl"
    assert grade(str(FIXTURES / "answers-bad.csv"), "-o", str(out)).exit_code == 1
    # Nothing is left to grade, but the errors written before still make the run a partial failure.
    result = grade(str(FIXTURES / "answers-bad.csv"), "-o", str(out), "--resume")
    assert result.exit_code == 1
    assert "Graded 0 rows" in result.stderr and "8 rows already in the output, 6 with errors" in result.stderr
    assert len(out.read_text().splitlines()) == 8
