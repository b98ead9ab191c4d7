"""Batch grading: input rows → bank or ad-hoc questions → graded output rows, streamed in fixed-size batches.

Memory stays flat however long the input is: one batch of rows is read, graded, written and flushed before
the next is read. Only the ids seen so far (to catch duplicates) and per-question sums grow with the input.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from interviewer.bank import Bank, Concept, Question
from interviewer.batch_io import InputRow
from interviewer.errors import BankError, InputError

if TYPE_CHECKING:
    from interviewer.grading.grader import Grade, Grader

DEFAULT_BATCH_SIZE = 64
AD_HOC_ID = "ad-hoc"
AD_HOC_TOPIC = "ad hoc"
# Fields the grader reads; every other input field is carried through to the output unchanged.
CONSUMED_FIELDS = ("id", "candidate", "question_id")


class RowWriter(Protocol):
    """Anything that writes a batch of output rows and flushes them (see `interviewer.batch_io`)."""

    def write_batch(self, rows: Sequence[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class PreparedRow:
    """An input row checked and turned into a question and an answer, or into an error message."""

    row_id: str
    candidate: str | None
    question_id: str | None
    question: Question | None
    answer: str
    carried: dict[str, Any]
    error: str | None = None


@dataclass
class BatchSummary:
    """What a run did: rows graded and failed, rows skipped on resume, score sums per question."""

    graded: int = 0
    errors: int = 0
    skipped: int = 0
    skipped_errors: int = 0  # rows with an error among those already in a resumed output
    score_total: float = 0.0
    per_question: dict[str, tuple[int, float]] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        """Rows written this run (graded or with an error)."""
        return self.graded + self.errors

    @property
    def mean_score(self) -> float | None:
        """Mean score (0–100) of the rows graded this run, or None when there were none."""
        return self.score_total / self.graded if self.graded else None

    def question_means(self) -> list[tuple[str, int, float]]:
        """(question, rows, mean score) for each question graded this run, in first-seen order."""
        return [(key, count, total / count) for key, (count, total) in self.per_question.items()]

    def add(self, question_key: str, score: float) -> None:
        """Count one graded row."""
        count, total = self.per_question.get(question_key, (0, 0.0))
        self.per_question[question_key] = (count + 1, total + score)
        self.graded += 1
        self.score_total += score


def _text_field(row: InputRow, name: str) -> str | None:
    """A field as stripped text (numbers accepted); None when absent or blank; error when not text."""
    value = row.fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(
            f"{row.where}: field {row.sources[name]!r} must be text, found {type(value).__name__}"
        )
    text = str(value).strip()
    return text or None


def _text_list(row: InputRow, name: str, *, separator: str | None) -> list[str]:
    """A list field given as a JSON list, a JSON-encoded list in a cell, or a separated string."""
    value = row.fields.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                raise InputError(
                    f"{row.where}: field {row.sources[name]!r} starts with '[' but is not a JSON list; "
                    'write it as ["first", "second"]'
                ) from None
        else:
            parts = stripped.split(separator) if separator else [stripped]
            return [part.strip() for part in parts if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{row.where}: field {row.sources[name]!r} must be a list of strings")
    return [item.strip() for item in value if item.strip()]


def ad_hoc_question(
    question: str,
    reference: str,
    *,
    references: Sequence[str] = (),
    concepts: Sequence[str] = (),
    topic: str = "",
) -> Question:
    """A Question outside any bank; each given concept phrase is both its name and its alias."""
    return Question(
        id=AD_HOC_ID,
        level="intermediate",
        years=(0.0, 50.0),
        difficulty=5.0,
        topic=topic or AD_HOC_TOPIC,
        question=question,
        reference=reference,
        concepts=tuple(Concept(name=phrase, aliases=(phrase,)) for phrase in dict.fromkeys(concepts)),
        alternatives=tuple(references),
    )


def prepare_row(row: InputRow, bank: Bank | None, seen_ids: dict[str, int]) -> PreparedRow:
    """Check one input row and build its question; any problem becomes the row's `error`."""
    carried = {key: value for key, value in row.fields.items() if key not in CONSUMED_FIELDS}
    carried.update(row.extras)
    row_id = str(row.fields.get("id") or "").strip() or str(row.number)
    candidate_value = row.fields.get("candidate")
    candidate = str(candidate_value).strip() if candidate_value not in (None, "") else None
    question_id_value = row.fields.get("question_id")
    question_id = str(question_id_value).strip() if question_id_value not in (None, "") else None

    def failed(message: str) -> PreparedRow:
        return PreparedRow(row_id, candidate, question_id, None, "", carried, error=message)

    if row.problems:
        return failed("; ".join(row.problems))
    if row_id in seen_ids:
        return failed(
            f"{row.where}: id {row_id!r} is already used by row {seen_ids[row_id]}; give each row its own id"
        )
    seen_ids[row_id] = row.number
    try:
        answer = _text_field(row, "answer")
        if answer is None:
            where = f"field {row.sources['answer']!r} is empty" if "answer" in row.sources else "no answer"
            return failed(f"{row.where}: {where}; put the candidate's answer in the `answer` field")
        question = _question_for(row, bank, question_id)
    except InputError as error:
        return failed(str(error))
    return PreparedRow(row_id, candidate, question_id, question, answer, carried)


def _question_for(row: InputRow, bank: Bank | None, question_id: str | None) -> Question:
    if question_id is not None:
        if bank is None:
            raise InputError(f"{row.where}: question_id {question_id!r} given but no bank is loaded")
        try:
            return bank.get(question_id)
        except BankError as error:
            detail = str(error).split(": ", 1)[-1]
            raise InputError(f"{row.where}: unknown question_id — {detail}") from None
    question = _text_field(row, "question")
    reference = _text_field(row, "reference")
    if question is None or reference is None:
        missing = " and ".join(
            name for name, value in (("question", question), ("reference", reference)) if not value
        )
        raise InputError(
            f"{row.where}: no question_id and no {missing}; give a `question_id` from the bank "
            "(see `interviewer bank list`) or the `question` and its `reference` answer"
        )
    references = _text_list(row, "references", separator=None)
    concepts = _text_list(row, "concepts", separator=";")
    # A row with the bank's own reference (its question in the bank's words or its own) is that question:
    # the same answer gets the same grade however the row names it, with the bank's concepts and known
    # misconceptions. A row that brings its
    # own concepts or further references has an answer key of its own and is graded by it.
    if bank is not None and not references and not concepts:
        known = bank.find_by_text(question, reference)
        if known is not None:
            return known
    return ad_hoc_question(
        question,
        reference,
        references=references,
        concepts=concepts,
        topic=_text_field(row, "topic") or "",
    )


def output_row(prepared: PreparedRow, grade: Grade | None, *, explain: bool) -> dict[str, Any]:
    """The contract's output row: id, candidate?, question_id?, the grade (or `error`), carried columns."""
    row: dict[str, Any] = {"id": prepared.row_id}
    if prepared.candidate is not None:
        row["candidate"] = prepared.candidate
    if prepared.question_id is not None:
        row["question_id"] = prepared.question_id
    if grade is not None:
        row.update(grade.to_dict(explain=explain))
    else:
        row["error"] = prepared.error
    for key, value in prepared.carried.items():
        # An input column named like an output field must not overwrite the grade.
        row[f"input_{key}" if key in row else key] = value
    return row


def question_key(prepared: PreparedRow) -> str:
    """How the summary names a row's question: its bank id, or the start of an ad-hoc question."""
    if prepared.question_id is not None or prepared.question is None:
        return prepared.question_id or "?"
    if prepared.question.id != AD_HOC_ID:  # a bank question spelled out in full
        return prepared.question.id
    text = " ".join(prepared.question.question.split())
    return f"ad hoc: {text[:40]}{'…' if len(text) > 40 else ''}"


def _batches(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def skip_completed(
    rows: Iterator[InputRow], completed: int, last_id: str | None, seen_ids: dict[str, int], *, output: str
) -> None:
    """Consume the `completed` rows already in the output (remembering their ids); InputError if they differ."""
    prepared: PreparedRow | None = None
    for _ in range(completed):
        row = next(rows, None)
        if row is None:
            raise InputError(
                f"{output} already holds {completed} rows but the input has fewer; "
                "it was written for another input: remove it or choose another -o"
            )
        prepared = prepare_row(row, None, seen_ids)
    if prepared is not None and last_id is not None and prepared.row_id != last_id:
        raise InputError(
            f"{output}: its last row has id {last_id!r} but input row {completed} has id {prepared.row_id!r}; "
            "it was written for another input: remove it or choose another -o"
        )


def release_freed_memory() -> None:
    """Hand memory freed by the last batch back to the system (glibc only; elsewhere a no-op).

    Batches of different answer lengths leave differently sized tensor buffers behind; without a trim the
    allocator keeps the high-water mark of every shape it has seen, and a long run's footprint creeps up.
    """
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None


def grade_rows(
    rows: Iterable[InputRow],
    grader: Grader,
    bank: Bank | None,
    writer: RowWriter,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    explain: bool = False,
    seen_ids: dict[str, int] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> BatchSummary:
    """Grade rows in batches, writing each batch (input order) before reading the next; returns the summary."""
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, got {batch_size}")
    seen = seen_ids if seen_ids is not None else {}
    summary = BatchSummary()
    started = time.monotonic()
    for batch in _batches(rows, batch_size):
        prepared = [prepare_row(row, bank, seen) for row in batch]
        gradable = [item for item in prepared if item.question is not None]
        grades = grader.grade_many([(item.question, item.answer) for item in gradable if item.question])
        by_position = dict(zip((id(item) for item in gradable), grades, strict=True))
        out = []
        for item in prepared:
            grade = by_position.get(id(item))
            out.append(output_row(item, grade, explain=explain))
            if grade is None:
                summary.errors += 1
            else:
                summary.add(question_key(item), grade.score)
        writer.write_batch(out)
        release_freed_memory()
        summary.seconds = time.monotonic() - started
        if on_batch is not None:
            on_batch(summary)
        if should_stop():
            summary.interrupted = True
            break
    summary.seconds = time.monotonic() - started
    return summary
