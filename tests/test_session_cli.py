"""`interviewer start / resume / history` through the Typer app with piped answers (CliRunner).

Fast tests use a stub grader for flow and storage; `slow` tests grade with the real packaged model,
including the issue's acceptance check: eight piped answers, history JSON, and a killed session resumed.
"""

from __future__ import annotations

import json
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from interviewer.bank import Bank, Question
from interviewer.cli import app, session_commands
from interviewer.grading.grader import Grade, Grader, MatchedConcept

SESSION_BANK = str(Path(__file__).parent / "fixtures" / "session-bank.yaml")
HEADER = re.compile(r"^Question (\d+)/(\d+) · (\w+) · difficulty ([\d.]+)$", re.MULTILINE)
# The acceptance session: `--years 1-3 --seed 1` on the fixture bank asks s-01, s-03, s-04 … s-08, s-11.
EIGHT_ANSWERS = [
    # s-01 epoch — good
    "An epoch is one full pass over the entire training dataset.\n"
    "Many epochs are needed because the model converges gradually.",
    # s-03 activation function — partial
    "It is a function applied to the output of a neuron, for example ReLU.",
    # s-04 overfitting — wrong
    "Overfitting means the model is too simple to fit the training data, so you add more layers.",
    # s-05 dropout — a keyword list
    "dropout neurons overfitting training inference random",
    # s-06 vanishing gradient — skipped
    ":skip",
    # s-07 batch normalization — good
    "Batch normalization normalizes each layer's inputs with the batch mean and variance, then applies a "
    "learned scale and shift. It stabilizes training and allows higher learning rates.",
    # s-08 learning rate — partial, after a hint
    ":hint\nThe learning rate is the step size of each weight update.",
    # s-11 self-attention — vague
    "I am not sure, something about attention between words.",
]


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def piped(answers: list[str]) -> str:
    return "\n\n".join(answers) + "\n\n"


def headers(output: str) -> list[tuple[int, int, str, float]]:
    return [(int(n), int(total), level, float(d)) for n, total, level, d in HEADER.findall(output)]


def history_json() -> dict[str, Any]:
    result = run("history", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    return tmp_path


class StubGrader:
    """Scores 10 points a word and misses every concept: enough to drive the loop without the model."""

    def warm_up(self) -> None:
        pass

    def grade(self, question: Question, answer: str) -> Grade:
        return Grade(
            score=float(min(100, 10 * len(answer.split()))),
            verdict="partial",
            concepts_matched=[MatchedConcept("echo", answer.split()[0], 0, 1, "lexical")] if answer else [],
            concepts_missed=[c.name for c in sorted(question.concepts, key=lambda c: -c.weight)],
            flags=["keyword_list"] if "," in answer else [],
            grader="stub",
        )


def use_grader(monkeypatch: pytest.MonkeyPatch, build: Callable[[Bank], Any]) -> None:
    monkeypatch.setattr(session_commands, "grader_factory", lambda bank, model: lambda: build(bank))


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    use_grader(monkeypatch, lambda bank: StubGrader())


@pytest.fixture
def real(grader: Grader, monkeypatch: pytest.MonkeyPatch) -> None:
    # The session-scoped model, bound to the session's bank so the off-topic guard sees the other questions.
    use_grader(monkeypatch, lambda bank: Grader(grader.embedder, grader.calibration, bank=bank))


# ----- planning and arguments (no model) ----------------------------------------------------------------


def test_dry_run_prints_the_plan_and_saves_nothing(home: Path) -> None:
    result = run("start", "--years", "1-3", "--seed", "1", "--bank", SESSION_BANK, "--dry-run")
    assert result.exit_code == 0, result.output
    ids = re.findall(r"\b(s-\d\d)\b", result.stdout)
    assert ids == ["s-01", "s-03", "s-04", "s-05", "s-06", "s-07", "s-08", "s-11"]
    assert "warm-up" in result.stdout and "stretch" in result.stdout
    assert not (home / "data" / "history.sqlite3").exists()


def test_unreadable_years_is_a_usage_error_naming_the_forms() -> None:
    result = run("start", "--years", "lots", "--bank", SESSION_BANK, "--dry-run")
    assert result.exit_code == 2
    assert "--years 'lots' is not understood" in result.output and "7+" in result.output


def test_resume_without_an_unfinished_session_says_how_to_start() -> None:
    result = run("resume")
    assert result.exit_code == 2
    assert "no unfinished session" in result.output and "interviewer start" in result.output
    assert "Traceback" not in result.output


def test_history_is_empty_at_first() -> None:
    assert history_json() == {"sessions": [], "topics": {}}
    assert "No sessions yet" in run("history").stdout


# ----- the loop with a stub grader ----------------------------------------------------------------------


def test_commands_work_in_piped_input(stub: None) -> None:
    answers = [":ref\n:repeat\n:frobnicate\none two three", ":ref\n:hint\n:hint\nfour five", ":skip"]
    result = run(
        "start", "--years", "1-3", "--seed", "1", "--count", "3", "--bank", SESSION_BANK, input=piped(answers)
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "shown after you answer" in out  # :ref before any answer
    assert [h[0] for h in headers(out)] == [1, 1, 2, 3]  # :repeat showed question 1 again
    assert "Unknown command :frobnicate" in out
    assert "Reference for question 1 (s-01)" in out
    assert out.count("Hint: mention") == 2
    assert "Score 30/100" in out and "Skipped." in out
    assert "Summary" in out and "Weakest concepts" in out
    session = history_json()["sessions"][0]
    assert session["status"] == "finished"
    assert [(a["position"], a["skipped"], a["hint_count"]) for a in session["answers"]] == [
        (1, False, 0),
        (2, False, 2),
        (3, True, 0),
    ]
    assert f"interviewer report {session['id']} --format html -o report.html" in out


def test_quit_and_end_of_input_save_and_say_how_to_resume(stub: None) -> None:
    args = ("start", "--years", "1-3", "--seed", "1", "--count", "3", "--bank", SESSION_BANK)
    quit_result = run(*args, input=piped(["one two", ":quit", "never read"]))
    assert quit_result.exit_code == 0, quit_result.output
    first = history_json()["sessions"][0]
    assert f"interviewer resume {first['id']}" in quit_result.stdout
    assert first["status"] == "unfinished" and len(first["answers"]) == 1

    eof_result = run(*args, input="one two three\n")  # EOF ends the answer, then the input
    assert eof_result.exit_code == 0
    second = history_json()["sessions"][1]
    assert f"interviewer resume {second['id']}" in eof_result.stdout
    assert len(second["answers"]) == 1

    resumed = run("resume", first["id"], input=piped(["three four", "five"]))
    assert resumed.exit_code == 0, resumed.output
    assert f"Resuming session {first['id']} at question 2/3" in resumed.stdout
    assert [h[0] for h in headers(resumed.stdout)] == [2, 3]
    assert history_json()["sessions"][0]["status"] == "finished"


def test_ctrl_c_saves_and_exits_130_with_the_resume_command(
    stub: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: Iterator[str] = iter(["an answer\n", "\n", "half an ans"])

    def read(prompt: str) -> str | None:
        line = next(lines, None)
        if line == "half an ans":
            raise KeyboardInterrupt
        return line

    monkeypatch.setattr(session_commands, "_line_reader", lambda: read)
    result = run("start", "--years", "1-3", "--seed", "1", "--count", "3", "--bank", SESSION_BANK)
    assert result.exit_code == 130
    session = history_json()["sessions"][0]
    assert "Interrupted." in result.stdout
    assert f"interviewer resume {session['id']}" in result.stdout
    assert len(session["answers"]) == 1  # the answer being typed is the only loss


def test_a_damaged_history_warns_and_the_interview_still_grades(stub: None, home: Path) -> None:
    db = home / "data" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_text("not a database\n" * 50)
    result = run(
        "start",
        "--years",
        "0",
        "--seed",
        "1",
        "--count",
        "2",
        "--bank",
        SESSION_BANK,
        input=piped(["a b", "c"]),
    )
    assert result.exit_code == 0, result.output
    assert f"{db}: the history database is damaged" in result.stderr
    assert "move it aside" in result.stderr and "will not be saved" in result.stderr
    assert "Score 20/100" in result.stdout and "Summary" in result.stdout
    assert "NOT saved" in result.stdout and "interviewer report" not in result.stdout
    history = run("history")
    assert history.exit_code == 2 and "move it aside" in history.output and "Traceback" not in history.output


def test_a_locked_history_warns_and_the_interview_still_grades(stub: None, home: Path) -> None:
    run("history")  # creates the database
    blocker = sqlite3.connect(home / "data" / "history.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        from interviewer import history as history_module

        original = history_module.History.open.__func__  # type: ignore[attr-defined]
        quick = classmethod(lambda cls, path=None, timeout=0.05: original(cls, path, timeout=timeout))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(history_module.History, "open", quick)
            result = run(
                "start", "--years", "0", "--count", "1", "--bank", SESSION_BANK, input=piped(["a b"])
            )
    finally:
        blocker.execute("ROLLBACK")
    assert result.exit_code == 0, result.output
    assert "locked by another program" in result.stderr
    assert "Score 20/100" in result.stdout


def test_history_table_shows_sessions_and_topic_trend(stub: None) -> None:
    for answers in (["one two", "one two three four"], ["one two three four five six"]):
        run(
            "start",
            "--years",
            "1-3",
            "--seed",
            "1",
            "--count",
            "2",
            "--bank",
            SESSION_BANK,
            input=piped(answers),
        )
    table = run("history").stdout
    assert re.search(r"\d{4}-\d\d-\d\d-1 .* intermediate +2/2 +30 +finished", table), table
    assert re.search(r"\d{4}-\d\d-\d\d-2 .* intermediate +1/2 +60 +unfinished", table), table
    trend = history_json()["topics"]["training"]
    assert [point["mean_score"] for point in trend] == [20.0, 60.0]


# ----- the real grader ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_piped_answers_are_graded_ordered_and_kept(real: None) -> None:
    result = run("start", "--years", "1-3", "--seed", "1", "--bank", SESSION_BANK, input=piped(EIGHT_ANSWERS))
    assert result.exit_code == 0, result.output
    asked = headers(result.stdout)
    assert [n for n, *_ in asked] == list(range(1, 9))
    difficulties = [d for *_, d in asked]
    assert difficulties == sorted(difficulties)
    levels = [level for _, _, level, _ in asked]
    assert levels == ["basic", "basic", *["intermediate"] * 5, "advanced"]

    session = history_json()["sessions"][0]
    answers = session["answers"]
    assert session["status"] == "finished" and session["planned"] == 8
    assert [a["position"] for a in answers] == list(range(1, 9))
    assert [a["question_id"] for a in answers] == [
        "s-01",
        "s-03",
        "s-04",
        "s-05",
        "s-06",
        "s-07",
        "s-08",
        "s-11",
    ]
    graded = [a for a in answers if not a["skipped"]]
    assert len(graded) == 7 and all(0 <= a["score"] <= 100 for a in graded)
    by_id = {a["question_id"]: a for a in answers}
    assert by_id["s-06"]["skipped"] and by_id["s-06"]["score"] is None
    for weak in ("s-03", "s-04", "s-05", "s-08", "s-11"):
        assert by_id[weak]["concepts_missed"], weak  # named missed concepts
        assert f"missed: {by_id[weak]['concepts_missed'][0]}" in result.stdout
    assert by_id["s-08"]["hint_count"] == 1
    # Relative facts that survive recalibration: explanations beat a list of keywords and a wrong claim.
    assert by_id["s-01"]["score"] > by_id["s-05"]["score"]
    assert by_id["s-07"]["score"] > by_id["s-05"]["score"]
    assert by_id["s-01"]["score"] > by_id["s-04"]["score"]
    assert "keyword_list" in by_id["s-05"]["flags"]
    assert "list of keywords" in result.stdout
    assert "You said:" in result.stdout and "In fact:" in result.stdout  # the 'too simple' misconception
    assert "By topic:" in result.stdout and "Weakest concepts" in result.stdout


def _read_until(stream: Any, marker: str, timeout: float) -> str:
    """Everything a child process prints up to a line containing `marker` (AssertionError on timeout)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {marker!r} within {timeout}s; got:\n{''.join(seen)}") from None
        seen.append(line)
        if marker in line:
            return "".join(seen)


@pytest.mark.slow
def test_a_session_killed_after_three_answers_resumes_at_question_four(real: None, home: Path) -> None:
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    command = [
        sys.executable,
        "-m",
        "interviewer",
        "start",
        "--years",
        "1-3",
        "--seed",
        "1",
        "--bank",
        SESSION_BANK,
    ]
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(piped(EIGHT_ANSWERS[:3]))
    child.stdin.flush()  # stdin stays open: the program waits for answer 4 when it is killed
    try:
        before = _read_until(child.stdout, "Question 4/8", timeout=120)
    finally:
        child.kill()
        child.wait()
    assert before.count("Score ") == 3

    kept = history_json()["sessions"][0]
    assert kept["status"] == "unfinished"
    assert [a["position"] for a in kept["answers"]] == [1, 2, 3]

    resumed = run("resume", input=piped(EIGHT_ANSWERS[3:]))
    assert resumed.exit_code == 0, resumed.output
    assert f"Resuming session {kept['id']} at question 4/8 (3 answered so far)" in resumed.stdout
    assert [n for n, *_ in headers(resumed.stdout)] == [4, 5, 6, 7, 8]
    final = history_json()["sessions"][0]
    assert final["status"] == "finished"
    assert [a["position"] for a in final["answers"]] == list(range(1, 9))
    assert final["answers"][:3] == kept["answers"]  # the three answers from before the kill, untouched


def test_a_session_without_seed_records_the_seed_it_drew(stub: None) -> None:
    run("start", "--years", "1-3", "--count", "3", "--bank", SESSION_BANK, input=piped(["a", "b", "c"]))
    session = history_json()["sessions"][0]
    assert isinstance(session["seed"], int)
    replay = run(
        "start",
        "--years",
        "1-3",
        "--count",
        "3",
        "--seed",
        str(session["seed"]),
        "--bank",
        SESSION_BANK,
        "--dry-run",
    )
    assert re.findall(r"\b(s-\d\d)\b", replay.stdout) == [a["question_id"] for a in session["answers"]]


FIRST_QUESTION_PROBE = """
import sys
from interviewer.cli import app, session_view
torch_loaded = []
show_question = session_view.show_question
def spy(*args, **kwargs):
    torch_loaded.append("torch" in sys.modules or "sentence_transformers" in sys.modules)
    show_question(*args, **kwargs)
session_view.show_question = spy
try:
    app(["start", "--years", "1-3", "--count", "2", "--bank", sys.argv[1]])
except SystemExit:
    pass
print("torch loaded at first question:", torch_loaded[0])
"""


def test_the_first_question_shows_before_torch_is_imported(home: Path) -> None:
    env = {**os.environ, "INTERVIEWER_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", FIRST_QUESTION_PROBE, SESSION_BANK],
        stdin=subprocess.DEVNULL,  # end of input at once: the session is saved and the program exits
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "Question 1/2" in probe.stdout, probe.stderr
    assert "torch loaded at first question: False" in probe.stdout
