"""The SQLite history store: ids, write-through answers, resume lookups, report rows, damaged files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from interviewer import paths
from interviewer.errors import HistoryError, InputError
from interviewer.history import FINISHED, UNFINISHED, AnswerRecord, History, session_report_rows

GRADE = {
    "score": 61.5,
    "verdict": "partial",
    "concepts_matched": [{"concept": "full pass", "evidence": "one full pass"}],
    "concepts_missed": ["many epochs are needed to converge"],
    "flags": [],
    "wrong_claims": [],
    "grader": "test-grader",
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    return tmp_path


def answer(session_id: str, position: int, *, skipped: bool = False) -> AnswerRecord:
    return AnswerRecord(
        session_id=session_id,
        position=position,
        question_id=f"s-0{position}",
        level="basic",
        topic="training",
        question="What is an epoch?",
        reference="One pass over the data.",
        answer="" if skipped else "One full pass over the data.",
        score=None if skipped else GRADE["score"],  # type: ignore[arg-type]
        grade=None if skipped else dict(GRADE),
        hints=("full pass",) if position == 1 else (),
        skipped=skipped,
        created_at="2026-11-25T10:00:00+00:00",
    )


def new_session(history: History, started_at: str = "2026-11-25T10:00:00+00:00") -> str:
    record = history.create_session(
        years="1-3",
        band="intermediate",
        seed=1,
        bank="bank.yaml",
        plan=["s-01", "s-02", "s-03"],
        started_at=started_at,
    )
    return record.id


def test_the_history_lives_under_interviewer_home(home: Path) -> None:
    history = History.open()
    assert Path(history.location) == home / "data" / "history.sqlite3" == paths.history_db()
    mode = sqlite3.connect(history.location).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_session_ids_count_sessions_per_day(home: Path) -> None:
    history = History.open()
    ids = [new_session(history, day) for day in ("2026-11-25T09:00", "2026-11-25T10:00", "2026-11-26T08:00")]
    assert ids == ["2026-11-25-1", "2026-11-25-2", "2026-11-26-1"]


def test_answers_are_stored_at_once_and_read_back_in_order(home: Path) -> None:
    history = History.open()
    sid = new_session(history)
    history.record_answer(answer(sid, 2, skipped=True))
    history.record_answer(answer(sid, 1))
    # A second connection sees the answers: each was committed when written.
    other = History.open()
    stored = other.answers(sid)
    assert [a.position for a in stored] == [1, 2]
    assert stored[0].grade == GRADE
    assert stored[0].hints == ("full pass",)
    assert stored[1].skipped and stored[1].score is None
    row = sqlite3.connect(history.location).execute(
        "SELECT hint_count, grade_json FROM answers WHERE position=1"
    )
    hint_count, grade_json = row.fetchone()
    assert hint_count == 1 and '"verdict": "partial"' in grade_json


def test_latest_unfinished_and_status(home: Path) -> None:
    history = History.open()
    first, second = new_session(history, "2026-11-25T09:00"), new_session(history, "2026-11-25T10:00")
    assert history.latest_unfinished().id == second  # type: ignore[union-attr]
    history.set_status(second, FINISHED, finished_at="2026-11-25T10:30")
    assert history.latest_unfinished().id == first  # type: ignore[union-attr]
    assert history.session(second).status == FINISHED
    assert history.session(first).status == UNFINISHED
    history.set_status(first, FINISHED, finished_at="2026-11-25T09:30")
    assert history.latest_unfinished() is None


def test_unknown_session_is_an_input_error(home: Path) -> None:
    with pytest.raises(InputError, match="interviewer history"):
        History.open().session("1999-01-01-1")
    with pytest.raises(InputError):
        session_report_rows("1999-01-01-1")


def test_report_rows_carry_the_graded_row_fields_and_the_question(home: Path) -> None:
    history = History.open()
    sid = new_session(history)
    history.record_answer(answer(sid, 1))
    history.record_answer(answer(sid, 2, skipped=True))
    rows = session_report_rows(sid)
    assert len(rows) == 1  # the skipped question has no grade to report
    row = rows[0]
    for key in ("id", "question_id", "score", "verdict", "concepts_matched", "concepts_missed", "flags"):
        assert key in row
    assert row["concepts_matched"] == [{"concept": "full pass", "evidence": "one full pass"}]
    assert (row["grader"], row["candidate"], row["topic"], row["level"]) == (
        "test-grader",
        None,
        "training",
        "basic",
    )
    assert row["question"] == "What is an epoch?" and row["reference"] == "One pass over the data."
    assert row["answer"] == "One full pass over the data."
    assert row["wrong_claims"] == []


def test_a_file_that_is_not_sqlite_names_the_file_and_the_fix(home: Path) -> None:
    paths.history_db().write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with pytest.raises(HistoryError) as caught:
        History.open()
    message = str(caught.value)
    assert str(paths.history_db()) in message
    assert "move it aside" in message


def test_a_locked_database_says_so(home: Path) -> None:
    History.open().close()
    blocker = sqlite3.connect(paths.history_db(), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked by another program"):
            History.open(timeout=0.05)
    finally:
        blocker.execute("ROLLBACK")


def test_the_in_memory_fallback_works_like_the_file(home: Path) -> None:
    history = History.in_memory()
    sid = new_session(history)
    history.record_answer(answer(sid, 1))
    assert not history.persistent
    assert [a.position for a in history.answers(sid)] == [1]
    assert not paths.history_db().exists()
