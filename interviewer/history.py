"""The SQLite history of interview sessions and their answers (stdlib sqlite3, WAL mode).

Every answer is written in its own transaction as soon as it is graded, so a killed process loses at most
the answer being typed. Each answer keeps a snapshot of its question (level, topic, text, reference) so
history and reports still read when the bank file changes or moves. Any sqlite3 failure surfaces as a
`HistoryError` that names the file and says what to do.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from interviewer import paths
from interviewer.errors import HistoryError, InputError

UNFINISHED = "unfinished"
FINISHED = "finished"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    years TEXT NOT NULL,
    band TEXT NOT NULL,
    seed INTEGER,
    bank TEXT NOT NULL,
    plan TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('unfinished', 'finished'))
);
CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    level TEXT NOT NULL,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    reference TEXT NOT NULL,
    answer TEXT NOT NULL,
    score REAL,
    grade_json TEXT,
    hints TEXT NOT NULL DEFAULT '[]',
    hint_count INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);
"""


@dataclass(frozen=True)
class SessionRecord:
    """One interview session: its plan (question ids in order) and whether it is finished."""

    id: str
    started_at: str
    finished_at: str | None
    years: str
    band: str
    seed: int | None
    bank: str
    plan: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class AnswerRecord:
    """One answered or skipped question of a session; `position` is 1-based; `grade` is `Grade.to_dict()`."""

    session_id: str
    position: int
    question_id: str
    level: str
    topic: str
    question: str
    reference: str
    answer: str
    score: float | None
    grade: dict[str, Any] | None
    hints: tuple[str, ...]
    skipped: bool
    created_at: str


def now() -> str:
    """The local time as ISO 8601 with seconds and UTC offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


class History:
    """Sessions and answers in one SQLite file (or in memory when the file cannot be used)."""

    def __init__(self, connection: sqlite3.Connection, location: str) -> None:
        self._connection = connection
        self.location = location

    @classmethod
    def open(cls, path: Path | None = None, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> History:
        """The history at `path` (default: paths.history_db()), created if absent; HistoryError if unusable."""
        db_path = path if path is not None else paths.history_db()
        with _translated(str(db_path)):
            # isolation_level=None: transactions are opened explicitly, so each write is exactly one of them.
            connection = sqlite3.connect(db_path, timeout=timeout, isolation_level=None)
        history = cls(connection, str(db_path))
        try:
            history._set_up(timeout)
        except HistoryError:
            connection.close()
            raise
        return history

    @classmethod
    def in_memory(cls) -> History:
        """A throw-away history for a session that cannot be saved to disk."""
        history = cls(sqlite3.connect(":memory:", isolation_level=None), ":memory:")
        history._set_up(0.0)
        return history

    @property
    def persistent(self) -> bool:
        """False for the in-memory fallback."""
        return self.location != ":memory:"

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._connection.close()

    def _set_up(self, timeout: float) -> None:
        with _translated(self.location):
            self._connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            # WAL lets `interviewer history` read while an interview in another terminal writes.
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA foreign_keys = ON")
            # Statement by statement: executescript() would commit outside our transaction.
            with self._transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._connection.execute(statement)
                self._connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error), with sqlite3 errors as HistoryError."""
        with _translated(self.location):
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    # ----- writing -----------------------------------------------------------------------------------

    def create_session(
        self,
        *,
        years: str,
        band: str,
        seed: int | None,
        bank: str,
        plan: list[str],
        started_at: str | None = None,
    ) -> SessionRecord:
        """A new unfinished session with an id `YYYY-MM-DD-N` (N counts that day's sessions from 1)."""
        started = started_at or now()
        day = started[:10]
        with self._transaction() as db:
            rows = db.execute("SELECT id FROM sessions WHERE id LIKE ?", (f"{day}-%",)).fetchall()
            taken = [int(suffix) for (sid,) in rows if (suffix := sid[len(day) + 1 :]).isdigit()]
            record = SessionRecord(
                id=f"{day}-{max(taken, default=0) + 1}",
                started_at=started,
                finished_at=None,
                years=years,
                band=band,
                seed=seed,
                bank=bank,
                plan=tuple(plan),
                status=UNFINISHED,
            )
            db.execute(
                "INSERT INTO sessions (id, started_at, finished_at, years, band, seed, bank, plan, status)"
                " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)",
                (record.id, started, years, band, seed, bank, json.dumps(plan), UNFINISHED),
            )
        return record

    def record_answer(self, answer: AnswerRecord) -> None:
        """Write one answer and its grade in a transaction; an answer at the same position is replaced."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers (session_id, position, question_id, level, topic, question,"
                " reference, answer, score, grade_json, hints, hint_count, skipped, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer.session_id,
                    answer.position,
                    answer.question_id,
                    answer.level,
                    answer.topic,
                    answer.question,
                    answer.reference,
                    answer.answer,
                    answer.score,
                    json.dumps(answer.grade) if answer.grade is not None else None,
                    json.dumps(list(answer.hints)),
                    len(answer.hints),
                    int(answer.skipped),
                    answer.created_at,
                ),
            )

    def set_status(self, session_id: str, status: str, *, finished_at: str | None = None) -> None:
        """Mark a session finished (with its end time) or unfinished."""
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET status = ?, finished_at = ? WHERE id = ?",
                (status, finished_at, session_id),
            )

    # ----- reading -----------------------------------------------------------------------------------

    def sessions(self) -> list[SessionRecord]:
        """Every session, oldest first."""
        with _translated(self.location):
            rows = self._connection.execute(
                "SELECT id, started_at, finished_at, years, band, seed, bank, plan, status"
                " FROM sessions ORDER BY started_at, rowid"
            ).fetchall()
        return [_session_from_row(row) for row in rows]

    def session(self, session_id: str) -> SessionRecord:
        """The session with this id; InputError naming how to list them when there is none."""
        with _translated(self.location):
            row = self._connection.execute(
                "SELECT id, started_at, finished_at, years, band, seed, bank, plan, status FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
        if row is None:
            raise InputError(
                f"no session {session_id!r} in {self.location}; `interviewer history` lists them"
            )
        return _session_from_row(row)

    def latest_unfinished(self) -> SessionRecord | None:
        """The most recently started unfinished session, or None."""
        unfinished = [record for record in self.sessions() if record.status == UNFINISHED]
        return unfinished[-1] if unfinished else None

    def answers(self, session_id: str) -> list[AnswerRecord]:
        """The answers of a session in the order asked."""
        with _translated(self.location):
            rows = self._connection.execute(
                "SELECT session_id, position, question_id, level, topic, question, reference, answer, score,"
                " grade_json, hints, skipped, created_at FROM answers WHERE session_id = ? ORDER BY position",
                (session_id,),
            ).fetchall()
        return [_answer_from_row(row) for row in rows]


def session_report_rows(session_id: str) -> list[dict[str, Any]]:
    """Graded rows (contract fields + question, reference, answer, topic, level) of a session's answers.

    Skipped questions are left out; InputError when the session is unknown, HistoryError when the
    database cannot be read.
    """
    history = History.open()
    try:
        history.session(session_id)
        answers = history.answers(session_id)
    finally:
        history.close()
    rows = []
    for answer in answers:
        if answer.skipped or answer.grade is None:
            continue
        grade = answer.grade
        rows.append(
            {
                "id": str(answer.position),
                "candidate": None,
                "question_id": answer.question_id,
                "score": grade["score"],
                "verdict": grade["verdict"],
                "concepts_matched": grade["concepts_matched"],
                "concepts_missed": grade["concepts_missed"],
                "flags": grade["flags"],
                "wrong_claims": grade.get("wrong_claims", []),
                "grader": grade["grader"],
                "question": answer.question,
                "reference": answer.reference,
                "answer": answer.answer,
                "topic": answer.topic,
                "level": answer.level,
                "hints": list(answer.hints),
            }
        )
    return rows


def _session_from_row(row: tuple[Any, ...]) -> SessionRecord:
    sid, started_at, finished_at, years, band, seed, bank, plan, status = row
    return SessionRecord(
        sid, started_at, finished_at, years, band, seed, bank, tuple(json.loads(plan)), status
    )


def _answer_from_row(row: tuple[Any, ...]) -> AnswerRecord:
    (
        sid,
        position,
        qid,
        level,
        topic,
        question,
        reference,
        answer,
        score,
        grade_json,
        hints,
        skipped,
        created,
    ) = row
    return AnswerRecord(
        session_id=sid,
        position=position,
        question_id=qid,
        level=level,
        topic=topic,
        question=question,
        reference=reference,
        answer=answer,
        score=score,
        grade=json.loads(grade_json) if grade_json else None,
        hints=tuple(json.loads(hints)),
        skipped=bool(skipped),
        created_at=created,
    )


@contextmanager
def _translated(location: str) -> Iterator[None]:
    """Turn sqlite3 errors into a HistoryError that names the file and the fix."""
    try:
        yield
    except sqlite3.Error as error:
        raise HistoryError(_explain(location, error)) from error


def _explain(location: str, error: sqlite3.Error) -> str:
    text = str(error)
    lowered = text.casefold()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return (
            f"{location}: the history database is damaged ({text}); move it aside "
            f"(e.g. `mv {location} {location}.bad`) and a fresh one will be started"
        )
    if "locked" in lowered or "busy" in lowered:
        return (
            f"{location}: the history database is locked by another program ({text}); "
            "finish or close the other `interviewer` session and try again"
        )
    if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
        return (
            f"{location}: cannot open the history database for writing ({text}); check the folder's "
            "permissions or set INTERVIEWER_HOME to a writable folder"
        )
    return f"{location}: history database error: {text}; move the file aside if the problem persists"
