"""The interview engine: a planned session, asked in order, graded, recorded, resumable — no terminal I/O.

The CLI drives an `Interview`: it shows `current`, reads an answer, calls `submit` (or `skip`, `hint`) and
renders the returned record. Each answer is written to the history before `submit` returns, so the next
question never appears before the last answer is safe. When the history fails mid-session the interview
goes on in memory and `history_problem` says why, for the CLI to warn once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from interviewer.bank import Bank, Question
from interviewer.errors import HistoryError, InputError
from interviewer.history import FINISHED, UNFINISHED, AnswerRecord, History, SessionRecord, now
from interviewer.planning import Years, band_for, parse_years, plan_session, role_of
from interviewer.session_summary import WeakConcept, mean_score, topic_averages, weakest_concepts

if TYPE_CHECKING:
    from interviewer.grading.grader import Grader

__all__ = [
    "BackgroundGrader",
    "Interview",
    "SessionSummary",
    "band_for",
    "find_resumable",
    "parse_years",
    "plan_session",
    "role_of",
]
JOIN_POLL_SECONDS = 0.1


def find_resumable(history: History, session_id: str | None = None) -> SessionRecord:
    """The unfinished session `session_id` (default: the latest one); InputError saying what to do instead."""
    if session_id is None:
        record = history.latest_unfinished()
        if record is None:
            raise InputError(
                f"no unfinished session to resume in {history.location}; start one with `interviewer start --years 1-3`"
            )
        return record
    record = history.session(session_id)
    if record.status == FINISHED:
        raise InputError(
            f"session {session_id} is already finished; `interviewer report {session_id}` shows it"
        )
    return record


class BackgroundGrader:
    """Builds and warms a Grader in a daemon thread, so the model loads while the candidate reads."""

    def __init__(self, factory: Callable[[], Grader]) -> None:
        self._factory = factory
        self._grader: Grader | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="grader-warm-up", daemon=True)

    def start(self) -> BackgroundGrader:
        """Start loading (idempotent); returns self."""
        if not self._thread.is_alive() and self._grader is None and self._error is None:
            self._thread.start()
        return self

    def _load(self) -> None:
        # Ctrl-C must reach the main thread: a SIGINT delivered to this thread, or to the torch worker
        # threads it starts (they inherit its mask), would leave the main thread blocked in input().
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            grader = self._factory()
            grader.warm_up()
            self._grader = grader
        except BaseException as error:  # handed to the main thread by get()
            self._error = error

    @property
    def ready(self) -> bool:
        """True once the grader is loaded (or loading failed: `get` then raises at once)."""
        return self._grader is not None or self._error is not None

    def get(self) -> Grader:
        """The warmed-up grader, waiting for it if needed; re-raises the loader's error."""
        self.start()
        # Short joins keep the main thread able to receive Ctrl-C while it waits.
        while not self.ready:
            self._thread.join(JOIN_POLL_SECONDS)
        if self._error is not None:
            raise self._error
        assert self._grader is not None
        return self._grader


@dataclass(frozen=True)
class SessionSummary:
    """End-of-session figures: every recorded answer, mean score, per-topic means and weakest concepts."""

    session_id: str
    planned: int
    answers: tuple[AnswerRecord, ...]
    mean_score: float | None
    topic_averages: dict[str, float]
    weakest: tuple[WeakConcept, ...]


class Interview:
    """One session in progress: the plan, the answers so far, and where they are saved."""

    def __init__(
        self, bank: Bank, record: SessionRecord, history: History | None, answers: list[AnswerRecord]
    ) -> None:
        self.bank = bank
        self.record = record
        self.plan = [bank.get(question_id) for question_id in record.plan]
        self.answers = answers
        self._history = history
        self.history_problem: str | None = None
        self._revealed: list[str] = []

    @classmethod
    def start(
        cls,
        bank: Bank,
        plan: list[Question],
        *,
        years: str | Years,
        history: History,
        seed: int | None = None,
        band: str | None = None,
    ) -> Interview:
        """A new session over `plan`, recorded in `history` before the first question is asked."""
        if not plan:
            raise InputError("the plan is empty: nothing to ask")
        parsed = parse_years(years)
        record = history.create_session(
            years=parsed.text,
            band=band or band_for(bank, parsed),
            seed=seed,
            bank=str(bank.path) if bank.path is not None else bank.name,
            plan=[question.id for question in plan],
        )
        return cls(bank, record, history, [])

    @classmethod
    def resume(cls, bank: Bank, history: History, session_id: str | None = None) -> Interview:
        """The session `session_id` (default: the latest unfinished one) at its first unanswered question."""
        record = find_resumable(history, session_id)
        return cls(bank, record, history, history.answers(record.id))

    # ----- where we are ------------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        """The session id, e.g. `2026-11-25-1`."""
        return self.record.id

    @property
    def total(self) -> int:
        """How many questions the plan has."""
        return len(self.plan)

    @property
    def number(self) -> int:
        """The 1-based number of the current question (total + 1 once every question is done)."""
        return self._next_position()

    @property
    def current(self) -> Question | None:
        """The question being asked, or None when the plan is done."""
        position = self._next_position()
        return self.plan[position - 1] if position <= self.total else None

    @property
    def finished(self) -> bool:
        """True once every planned question has an answer or a skip."""
        return self.current is None

    @property
    def saved(self) -> bool:
        """True while answers go to a history file (not the in-memory fallback, no failure so far)."""
        return self._history is not None and self._history.persistent

    @property
    def last_recorded(self) -> AnswerRecord | None:
        """The most recent answer or skip, for `:ref`."""
        return self.answers[-1] if self.answers else None

    def role(self, question: Question) -> str:
        """`warm-up`, `core` or `stretch` for a planned question in this session's band."""
        return role_of(question, self.record.band)

    def _next_position(self) -> int:
        done = {answer.position for answer in self.answers}
        return next((p for p in range(1, self.total + 1) if p not in done), self.total + 1)

    # ----- acting --------------------------------------------------------------------------------------

    def hint(self) -> str | None:
        """The next concept name of the current question not yet revealed (heaviest first), or None."""
        question = self.current
        if question is None:
            return None
        by_weight = sorted(question.concepts, key=lambda concept: -concept.weight)
        for concept in by_weight:
            if concept.name not in self._revealed:
                self._revealed.append(concept.name)
                return concept.name
        return None

    @property
    def revealed(self) -> tuple[str, ...]:
        """Concept names revealed by `:hint` for the current question."""
        return tuple(self._revealed)

    def submit(self, answer: str, grader: Grader) -> AnswerRecord:
        """Grade `answer` to the current question, save it, move on; returns the record (grade as dict)."""
        question = self._require_current()
        grade = grader.grade(question, answer).to_dict()
        return self._record(question, answer, grade=grade, score=float(grade["score"]), skipped=False)

    def skip(self) -> AnswerRecord:
        """Record the current question as skipped (no score), save it, move on."""
        return self._record(self._require_current(), "", grade=None, score=None, skipped=True)

    def finish(self) -> None:
        """Mark the session finished in the history."""
        self._save(lambda history: history.set_status(self.session_id, FINISHED, finished_at=now()))
        self.record = replace(self.record, status=FINISHED)

    def pause(self) -> None:
        """Leave the session unfinished (every answer is already saved) so `interviewer resume` finds it."""
        self._save(lambda history: history.set_status(self.session_id, UNFINISHED))

    def summary(self) -> SessionSummary:
        """Scores, topic means and weakest concepts over every answer of this session."""
        return SessionSummary(
            session_id=self.session_id,
            planned=self.total,
            answers=tuple(self.answers),
            mean_score=mean_score(self.answers),
            topic_averages=topic_averages(self.answers),
            weakest=tuple(weakest_concepts(self.answers, self.bank)),
        )

    def _require_current(self) -> Question:
        question = self.current
        if question is None:
            raise InputError(f"session {self.session_id} has no question left to answer")
        return question

    def _record(
        self,
        question: Question,
        answer: str,
        *,
        grade: dict[str, Any] | None,
        score: float | None,
        skipped: bool,
    ) -> AnswerRecord:
        record = AnswerRecord(
            session_id=self.session_id,
            position=self._next_position(),
            question_id=question.id,
            level=question.level,
            topic=question.topic,
            question=question.question,
            reference=question.reference,
            answer=answer,
            score=score,
            grade=dict(grade) if grade is not None else None,
            hints=tuple(self._revealed),
            skipped=skipped,
            created_at=now(),
        )
        self._save(lambda history: history.record_answer(record))
        self.answers.append(record)
        self._revealed = []
        return record

    def _save(self, write: Callable[[History], None]) -> None:
        """Write through to the history; on failure keep going in memory and remember why."""
        if self._history is None:
            return
        try:
            write(self._history)
        except HistoryError as error:
            self.history_problem = str(error)
            self._history = None
