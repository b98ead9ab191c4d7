"""The interview engine without the model: a stub grader stands in, so these tests check flow and storage."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, cast

import pytest

from interviewer.bank import Bank, Question, load_bank
from interviewer.errors import HistoryError, InputError, ModelError
from interviewer.grading.grader import Grade, Grader, MatchedConcept
from interviewer.history import FINISHED, History
from interviewer.session import BackgroundGrader, Interview, plan_session

SESSION_BANK = Path(__file__).parent / "fixtures" / "session-bank.yaml"


class StubGrader:
    """Scores by answer length and misses every concept the answer does not name verbatim."""

    def __init__(self) -> None:
        self.warmed = threading.Event()

    def warm_up(self) -> None:
        self.warmed.set()

    def grade(self, question: Question, answer: str) -> Grade:
        matched = [c for c in question.concepts if c.name in answer]
        missed = [c.name for c in sorted(question.concepts, key=lambda c: -c.weight) if c not in matched]
        score = float(min(100, 10 * len(answer.split())))
        return Grade(
            score=score,
            verdict="partial",
            concepts_matched=[MatchedConcept(c.name, c.name, 0, 0, "lexical") for c in matched],
            concepts_missed=missed,
            flags=[],
            grader="stub",
        )


@pytest.fixture
def bank() -> Bank:
    return load_bank(SESSION_BANK)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    return History.open()


@pytest.fixture
def grader() -> Grader:
    return cast(Grader, StubGrader())


def start(bank: Bank, history: History, count: int = 4) -> Interview:
    plan = plan_session(bank, years="1-3", count=count, seed=1)
    return Interview.start(bank, plan, years="1-3", seed=1, history=history)


def test_a_session_is_recorded_before_the_first_question(bank: Bank, history: History) -> None:
    interview = start(bank, history)
    stored = history.session(interview.session_id)
    assert stored.plan == tuple(q.id for q in interview.plan)
    assert (stored.band, stored.years, stored.seed) == ("intermediate", "1-3", 1)
    assert interview.number == 1 and interview.current == interview.plan[0]


def test_answers_skips_and_hints_are_saved_as_they_happen(
    bank: Bank, history: History, grader: Grader
) -> None:
    interview = start(bank, history)
    first_hint = interview.hint()
    assert first_hint == max(interview.plan[0].concepts, key=lambda c: c.weight).name
    assert interview.hint() not in (None, first_hint)  # the next one down
    record = interview.submit("one full pass over the training data", grader)
    assert record.position == 1 and record.grade is not None and record.score == 70.0
    assert len(record.hints) == 2
    assert interview.revealed == ()  # hints start over on the next question
    interview.skip()
    saved = history.answers(interview.session_id)
    assert [(a.position, a.skipped) for a in saved] == [(1, False), (2, True)]
    assert saved[0].grade == record.grade
    assert interview.number == 3


def test_hints_run_out(bank: Bank, history: History) -> None:
    interview = start(bank, history)
    names = [interview.hint() for _ in interview.plan[0].concepts]
    assert sorted(n for n in names if n) == sorted(c.name for c in interview.plan[0].concepts)
    assert interview.hint() is None


def test_resume_continues_at_the_first_unanswered_question(
    bank: Bank, history: History, grader: Grader
) -> None:
    interview = start(bank, history)
    interview.submit("an answer", grader)
    interview.skip()
    resumed = Interview.resume(bank, History.open())
    assert resumed.session_id == interview.session_id
    assert resumed.number == 3 and resumed.current == interview.plan[2]
    assert [a.position for a in resumed.answers] == [1, 2]


def test_finishing_marks_the_session_and_resume_then_refuses(
    bank: Bank, history: History, grader: Grader
) -> None:
    interview = start(bank, history, count=2)
    interview.submit("a b c", grader)
    interview.submit("a b c d e", grader)
    assert interview.finished and interview.current is None
    interview.finish()
    assert history.session(interview.session_id).status == FINISHED
    with pytest.raises(InputError, match="no unfinished session"):
        Interview.resume(bank, history)
    with pytest.raises(InputError, match="already finished"):
        Interview.resume(bank, history, interview.session_id)
    with pytest.raises(InputError, match="no question left"):
        interview.skip()


def test_summary_has_means_topics_and_weakest_concepts(bank: Bank, history: History, grader: Grader) -> None:
    interview = start(bank, history, count=4)
    for text in ("one two", "one two three four five six seven eight"):
        interview.submit(text, grader)
    interview.skip()
    summary = interview.summary()
    assert summary.planned == 4 and len(summary.answers) == 3
    assert summary.mean_score == 50.0  # skips carry no score
    assert set(summary.topic_averages) == {a.topic for a in summary.answers[:2]}
    assert 1 <= len(summary.weakest) <= 3
    costs = [weak.cost for weak in summary.weakest]
    assert costs == sorted(costs, reverse=True)
    for weak in summary.weakest:
        assert weak.questions and all(qid in bank for qid in weak.questions)


def test_a_failing_history_mid_session_keeps_the_interview_going(
    bank: Bank, history: History, grader: Grader, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview = start(bank, history)

    def broken(*_: Any) -> None:
        raise HistoryError("history.sqlite3: disk full")

    monkeypatch.setattr(History, "record_answer", broken)
    record = interview.submit("still graded", grader)
    assert record.score is not None and interview.number == 2
    assert interview.history_problem == "history.sqlite3: disk full"
    assert not interview.saved


def test_background_grader_warms_up_off_the_main_thread(grader: Grader) -> None:
    loader = BackgroundGrader(lambda: grader).start()
    assert loader.get() is grader
    assert cast(StubGrader, grader).warmed.is_set()


def test_background_grader_hands_over_a_loading_error() -> None:
    def fail() -> Grader:
        raise ModelError("model folder missing")

    loader = BackgroundGrader(fail).start()
    with pytest.raises(ModelError, match="model folder missing"):
        loader.get()
