"""Reading and writing batch rows without the model: header aliases, per-row problems, resume points."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewer.bank import load_bank
from interviewer.batch import grade_rows, prepare_row
from interviewer.batch_io import (
    CsvRowWriter,
    InputRow,
    JsonlRowWriter,
    field_for_header,
    find_resume_point,
    read_csv_rows,
    read_jsonl_rows,
)
from interviewer.errors import InputError
from interviewer.grading.grader import Grade

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = load_bank(FIXTURES / "small-bank.yaml")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("question id", "question_id"),
        ("Question_ID", "question_id"),
        ("QID", "question_id"),
        ("Answer", "answer"),
        ("response", "answer"),
        ("Student Answer", "answer"),
        ("reference answer", "reference"),
        ("Model-Answer", "reference"),
        ("candidate", "candidate"),
        ("student", "candidate"),
        ("Name", "candidate"),
        ("notes", None),
    ],
)
def test_header_aliases_people_use(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


def test_csv_with_bom_crlf_multiline_quotes_and_extra_columns() -> None:
    with (FIXTURES / "answers.csv").open("rb") as handle:
        rows = list(read_csv_rows(handle, name="answers.csv"))
    assert [row.number for row in rows] == [1, 2, 3, 4]
    first = rows[0]
    assert first.fields["candidate"] == "ann"
    assert first.fields["question_id"] == "t-01"
    assert first.fields["answer"].startswith(
        "An epoch is one full pass over the entire training data set, and"
    )
    assert "\n" in first.fields["answer"]
    assert first.extras == {"Class": "A", "Notes": "first, try"}
    assert rows[2].extras["Notes"] == 'said "update"'
    # The second record spans three physical lines, so the third starts on line 7.
    assert rows[2].where == "row 3 (line 7)"
    assert not any(row.problems for row in rows)


def test_csv_without_usable_columns_names_expected_and_found() -> None:
    with pytest.raises(InputError) as error:
        list(read_csv_rows(io.BytesIO(b"name,text\nann,hello\n"), name="x.csv"))
    message = str(error.value)
    assert "x.csv" in message and "`answer`" in message and "question_id" in message
    assert "found 'name', 'text'" in message


def test_semicolon_separated_csv_is_read() -> None:
    rows = list(read_csv_rows(io.BytesIO(b"qid;answer\nt-01;one pass, over the data\n"), name="x.csv"))
    assert rows[0].fields == {"question_id": "t-01", "answer": "one pass, over the data"}


def test_each_bad_csv_row_gets_an_error_that_names_row_and_fix() -> None:
    seen: dict[str, int] = {}
    with (FIXTURES / "answers-bad.csv").open("rb") as handle:
        prepared = [prepare_row(row, SMALL_BANK, seen) for row in read_csv_rows(handle, name="bad.csv")]
    errors = {item.row_id: item.error for item in prepared if item.error}
    assert [item.row_id for item in prepared] == ["a1", "a2", "a3", "a4", "a1", "a6", "a7", "a8"]
    assert set(errors) == {"a2", "a3", "a4", "a1", "a6", "a7"}
    assert "row 2 (line 3)" in errors["a2"] and "'t-77'" in errors["a2"]
    assert "interviewer bank list" in errors["a2"]
    assert "row 3" in errors["a3"] and "'answer' is empty" in errors["a3"]
    assert "row 4" in errors["a4"] and "'answer' is not valid UTF-8" in errors["a4"]
    assert "row 5" in errors["a1"] and "already used by row 1" in errors["a1"]
    assert "row 6" in errors["a6"] and "quotes" in errors["a6"]
    assert "row 7" in errors["a7"] and "question_id" in errors["a7"] and "reference" in errors["a7"]


def test_each_bad_jsonl_line_gets_an_error_with_its_line_number() -> None:
    seen: dict[str, int] = {}
    with (FIXTURES / "answers-bad.jsonl").open("rb") as handle:
        prepared = [prepare_row(row, SMALL_BANK, seen) for row in read_jsonl_rows(handle, name="bad.jsonl")]
    errors = [item.error for item in prepared]
    assert errors[0] is None
    assert errors[1] is not None and "line 2" in errors[1] and "not valid JSON" in errors[1]
    assert errors[2] is not None and "line 4" in errors[2] and "JSON object" in errors[2]
    assert errors[3] is not None and "line 5" in errors[3] and "reference" in errors[3]
    assert errors[4] is not None and "line 6" in errors[4] and "must be text" in errors[4]
    # Blank lines are not rows: the default ids stay 1, 2, 3, … over the rows that exist.
    assert [item.row_id for item in prepared[1:]] == ["2", "3", "4", "5"]


def test_non_utf8_jsonl_bytes_are_named_by_field() -> None:
    raw = b'{"id": "x", "question_id": "t-02", "answer": "r\xe9seau"}\n'
    (row,) = read_jsonl_rows(io.BytesIO(raw), name="x.jsonl")
    assert row.fields["id"] == "x"
    assert row.problems == [
        "row 1 (line 1): field 'answer' is not valid UTF-8; save the file as UTF-8 (or fix that cell)"
    ]


def test_ad_hoc_concepts_and_references_become_a_curated_style_question() -> None:
    line = json.dumps(
        {
            "question": "Q?",
            "reference": "R.",
            "concepts": "step size; weight update",
            "references": ["R2."],
            "answer": "a",
        }
    )
    (row,) = read_jsonl_rows(io.BytesIO(line.encode()), name="x.jsonl")
    prepared = prepare_row(row, None, {})
    assert prepared.question is not None
    assert [(c.name, c.aliases) for c in prepared.question.concepts] == [
        ("step size", ("step size",)),
        ("weight update", ("weight update",)),
    ]
    assert prepared.question.references == ("R.", "R2.")


def test_csv_writer_json_encodes_lists_and_keeps_carried_columns() -> None:
    out = io.StringIO()
    CsvRowWriter(out).write_batch([{"id": "1", "score": 50.0, "flags": ["too_short"], "Class": "A"}])
    header, row = out.getvalue().splitlines()
    assert header.startswith("id,candidate,question_id,score,verdict") and header.endswith(",error,Class")
    assert row == '1,,,50.0,,,,"[""too_short""]",,,,A'


def test_resume_point_drops_a_truncated_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    out = io.StringIO()
    JsonlRowWriter(out).write_batch([{"id": "1"}, {"id": "2"}])
    path.write_text(out.getvalue() + '{"id": "3", "sco')
    point = find_resume_point(path, "jsonl")
    assert (point.rows, point.last_id, point.end_offset) == (2, "2", len(out.getvalue()))


def test_resume_point_counts_multiline_csv_records(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    out = io.StringIO()
    CsvRowWriter(out).write_batch([{"id": "1", "answer": "two\nlines"}, {"id": "2", "answer": 'a "quote"'}])
    complete = out.getvalue()
    path.write_text(complete + '3,,,40.0,partial,[],[],[],[],g,,"cut in the mid')
    point = find_resume_point(path, "csv")
    assert (point.rows, point.last_id, point.end_offset) == (2, "2", len(complete.encode()))
    assert point.columns is not None and point.columns[-1] == "answer"


class FixedGrader:
    """Stands in for the model: every answer gets 50 (only streaming is under test here)."""

    def grade_many(self, items: list[tuple[object, str]]) -> list[Grade]:
        return [Grade(50.0, "partial", [], [], [], "fixed") for _ in items]


def test_rows_are_streamed_one_batch_at_a_time() -> None:
    pulled = 0

    def rows() -> Iterator[InputRow]:
        nonlocal pulled
        for number in range(1, 1001):
            pulled += 1
            yield InputRow(number, f"row {number}", {"question": "Q?", "reference": "R.", "answer": "a"})

    pulled_at_write: list[int] = []

    class Recorder:
        def write_batch(self, batch: list[dict[str, object]]) -> None:
            pulled_at_write.append(pulled)

    summary = grade_rows(rows(), FixedGrader(), None, Recorder(), batch_size=64)  # type: ignore[arg-type]
    assert summary.graded == 1000
    # Each batch is written before the next row is read: never more than one batch in memory.
    assert pulled_at_write[:3] == [64, 128, 192] and pulled_at_write[-1] == 1000


def test_stopping_after_a_batch_writes_it_and_reports_interrupted() -> None:
    rows = (
        InputRow(n, f"row {n}", {"question": "Q?", "reference": "R.", "answer": "a"}) for n in range(1, 100)
    )
    written: list[int] = []

    class Recorder:
        def write_batch(self, batch: list[dict[str, object]]) -> None:
            written.append(len(batch))

    summary = grade_rows(rows, FixedGrader(), None, Recorder(), batch_size=10, should_stop=lambda: True)  # type: ignore[arg-type]
    assert written == [10] and summary.interrupted and summary.graded == 10
