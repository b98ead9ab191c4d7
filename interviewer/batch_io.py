"""Rows in and out of batch grading: CSV/JSONL readers that report problems per row, writers, resume points.

Readers stream: they yield one `InputRow` at a time and never hold the file. Bytes that are not UTF-8 are
kept (as surrogate escapes) only long enough to name the row and field, so one bad row never stops a run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from interviewer.errors import InputError

RowFormat = Literal["csv", "jsonl"]

# Header names people use, normalised (case, spaces, underscores and dashes removed) → the contract's field.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "rowid", "answerid", "responseid"),
    "candidate": (
        "candidate", "student", "name", "candidatename", "studentname", "candidateid", "studentid",
    ),
    "question_id": ("questionid", "qid"),
    "question": ("question", "questiontext", "prompt"),
    "answer": (
        "answer", "response", "studentanswer", "candidateanswer", "studentresponse",
        "candidateresponse", "answertext", "responsetext",
    ),
    "reference": (
        "reference", "referenceanswer", "modelanswer", "expectedanswer", "correctanswer",
        "idealanswer", "answerkey",
    ),
    "references": (
        "references", "alternatives", "alternativeanswers", "otherreferences", "referenceanswers",
        "acceptableanswers",
    ),
    "concepts": ("concepts", "keyconcepts", "keypoints"),
    "topic": ("topic",),
}  # fmt: skip
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
EXPECTED_COLUMNS = (
    "`answer` (or `response`, `student answer`) and either `question_id` (or `question id`, `qid`) "
    "or `question` + `reference` (or `model answer`, `reference answer`)"
)
# Output columns in contract order; carried input columns follow them.
OUTPUT_COLUMNS = (
    "id", "candidate", "question_id", "score", "verdict", "concepts_matched", "concepts_missed",
    "flags", "wrong_claims", "grader", "explain", "error",
)  # fmt: skip


def normalized_header(name: str) -> str:
    """A header name reduced for alias lookup: casefolded, only letters and digits kept."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def field_for_header(name: str) -> str | None:
    """The contract field a header name stands for (`Student Answer` → `answer`), or None."""
    return _ALIAS_TO_FIELD.get(normalized_header(name))


@dataclass
class InputRow:
    """One input row: known fields under contract names, the rest carried through, and reading problems."""

    number: int  # 1-based data row (header and blank lines excluded)
    where: str  # "row 3 (line 5)" for CSV, "row 3 (line 4)" for JSONL: used to start error messages
    fields: dict[str, Any] = field(default_factory=dict)  # contract name → value, in input order
    sources: dict[str, str] = field(default_factory=dict)  # contract name → the column/key it came from
    extras: dict[str, Any] = field(default_factory=dict)  # unrecognised columns, original names
    problems: list[str] = field(default_factory=list)


def _has_bad_bytes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _repaired(text: str) -> str:
    """Text decoded with surrogateescape, with each undecodable byte replaced by U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _assign(row: InputRow, key: str, value: Any) -> None:
    """Put one column into the row under its contract name (first column wins) or as an extra."""
    name = field_for_header(key)
    if isinstance(value, str) and _has_bad_bytes(value):
        row.problems.append(
            f"{row.where}: field {key!r} is not valid UTF-8; save the file as UTF-8 (or fix that cell)"
        )
        value = _repaired(value)
    if name is not None and name not in row.fields:
        row.fields[name] = value
        row.sources[name] = key
    else:
        row.extras[key] = value


# ----- CSV ------------------------------------------------------------------------------------------


def _delimiter(header_line: str) -> str:
    # Spreadsheets in many locales save `;`-separated "CSV"; tabs come from copy-paste.
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_rows(stream: IO[bytes], *, name: str) -> Iterator[InputRow]:
    """Rows of a UTF-8 CSV (BOM optional, quoted multi-line fields); InputError on a missing/unusable header."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    first_line = text.readline()
    if not first_line.strip():
        raise InputError(f"{name}: empty CSV, expected a header row with {EXPECTED_COLUMNS}")
    rest = _chain_first_line(first_line, text)
    reader = csv.reader(rest, delimiter=_delimiter(first_line), strict=False)
    header = [column.strip() for column in next(reader)]
    if any(_has_bad_bytes(column) for column in header):
        raise InputError(f"{name}: the header row is not valid UTF-8; save the file as UTF-8")
    check_columns(header, name=name)
    previous_line = reader.line_num
    number = 0
    for record in reader:
        start_line, previous_line = previous_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines between records are common in hand-edited files
        number += 1
        row = InputRow(number=number, where=f"row {number} (line {start_line})")
        if len(record) > len(header):
            row.problems.append(
                f"{row.where}: {len(record)} fields but the header has {len(header)}; "
                "put quotes around fields that contain commas"
            )
        for column, value in zip(header, record, strict=False):
            _assign(row, column, value)
        yield row


def _chain_first_line(first_line: str, rest: IO[str]) -> Iterator[str]:
    yield first_line
    yield from rest


def check_columns(columns: Sequence[str], *, name: str) -> None:
    """InputError naming the expected and the found columns unless they can make a gradable row."""
    fields = {field_for_header(column) for column in columns}
    if "answer" in fields and ("question_id" in fields or {"question", "reference"} <= fields):
        return
    found = ", ".join(repr(column) for column in columns) or "none"
    raise InputError(f"{name}: cannot find the columns to grade; expected {EXPECTED_COLUMNS}; found {found}")


# ----- JSONL ----------------------------------------------------------------------------------------


def read_jsonl_rows(stream: IO[bytes], *, name: str) -> Iterator[InputRow]:
    """Rows of a JSON Lines stream (one object per line); bad lines become rows with a problem."""
    number = 0
    for line_number, raw in enumerate(stream, start=1):
        if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        number += 1
        row = InputRow(number=number, where=f"row {number} (line {line_number})")
        # Undecodable bytes survive as surrogate escapes so `_assign` can name the field that holds them.
        line = raw.decode("utf-8", "surrogateescape")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            row.problems.append(
                f"{row.where}: not valid JSON ({error.msg} at column {error.colno}); "
                "fix the line or remove it"
            )
            yield row
            continue
        if not isinstance(data, dict):
            row.problems.append(
                f"{row.where}: expected a JSON object like "
                '{"question_id": "dl-01", "answer": "…"}, '
                f"found {type(data).__name__}"
            )
            yield row
            continue
        for key, value in data.items():
            _assign(row, str(key), value)
        yield row


def read_rows(stream: IO[bytes], row_format: RowFormat, *, name: str) -> Iterator[InputRow]:
    """Rows of a CSV or JSONL byte stream, in input order."""
    if row_format == "csv":
        return read_csv_rows(stream, name=name)
    return read_jsonl_rows(stream, name=name)


def format_of(path: str | Path, *, role: str) -> RowFormat:
    """`csv` or `jsonl` from a file name's suffix; InputError naming the accepted suffixes otherwise."""
    suffix = Path(path).suffix.casefold()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise InputError(f"{path}: cannot tell the {role} format from its suffix; use .csv or .jsonl")


# ----- writing --------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: lists and objects JSON-encoded, None empty, numbers as written in JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class JsonlRowWriter:
    """Writes output rows as JSON Lines; `write_batch` flushes so a kill loses at most one batch."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write_batch(self, rows: Sequence[dict[str, Any]]) -> None:
        """Write rows (one JSON object per line) and flush."""
        self.stream.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        self.stream.flush()


class CsvRowWriter:
    """Writes output rows as CSV; columns are fixed by the first batch (or by the header being resumed)."""

    def __init__(self, stream: IO[str], *, columns: Sequence[str] | None = None) -> None:
        self.stream = stream
        self.columns: list[str] | None = list(columns) if columns is not None else None
        self._writer = csv.writer(stream, lineterminator="\n")

    def write_batch(self, rows: Sequence[dict[str, Any]]) -> None:
        """Write rows (list fields as JSON strings), the header first if none was written yet, and flush."""
        if self.columns is None:
            carried = [key for row in rows for key in row if key not in OUTPUT_COLUMNS]
            explained = any("explain" in row for row in rows)
            fixed = [column for column in OUTPUT_COLUMNS if column != "explain" or explained]
            self.columns = [*fixed, *dict.fromkeys(carried)]
            self._writer.writerow(self.columns)
        self._writer.writerows([csv_cell(row.get(column)) for column in self.columns] for row in rows)
        self.stream.flush()


# ----- resuming -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumePoint:
    """How much of an output file is complete: rows (and how many have an error), where they end, header, last id."""

    rows: int
    end_offset: int
    columns: tuple[str, ...] | None
    last_id: str | None
    errors: int = 0


def find_resume_point(path: Path, row_format: RowFormat) -> ResumePoint:
    """The complete rows at the start of an output file, read as a stream; a truncated last row is not counted."""
    with path.open("rb") as handle:
        records = _complete_records(handle, row_format)
        if row_format == "jsonl":
            return _jsonl_resume_point(records)
        return _csv_resume_point(records)


def _jsonl_resume_point(records: Iterator[tuple[int, bytes]]) -> ResumePoint:
    rows = errors = complete_end = 0
    last: Any = None
    for end, record in records:
        try:
            last = json.loads(record)
        except ValueError:
            break  # a damaged line: it and everything after it are graded again
        rows += 1
        errors += bool(isinstance(last, dict) and last.get("error"))
        complete_end = end
    if rows == 0:
        return ResumePoint(0, 0, None, None)
    last_id = str(last.get("id")) if isinstance(last, dict) and last.get("id") is not None else None
    return ResumePoint(rows, complete_end, None, last_id, errors)


def _csv_resume_point(records: Iterator[tuple[int, bytes]]) -> ResumePoint:
    first = next(records, None)
    if first is None:
        return ResumePoint(0, 0, None, None)
    header = _csv_cells(first[1])
    id_column = header.index("id") if "id" in header else None
    error_column = header.index("error") if "error" in header else None
    rows = errors = 0
    complete_end, last_cells = first[0], []
    for end, record in records:
        last_cells = _csv_cells(record)
        rows += 1
        complete_end = end
        errors += bool(
            error_column is not None and error_column < len(last_cells) and last_cells[error_column]
        )
    last_id = (
        last_cells[id_column] if rows and id_column is not None and id_column < len(last_cells) else None
    )
    return ResumePoint(rows, complete_end, tuple(header), last_id, errors)


def _csv_cells(record: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(record.decode("utf-8", "replace"), newline="")), [])


def _complete_records(handle: IO[bytes], row_format: RowFormat) -> Iterator[tuple[int, bytes]]:
    """(end offset, bytes) of each complete record: a JSONL line, or a CSV record whose final newline is
    outside quotes; stops at a last record cut short."""
    offset = 0
    pending = b""
    quotes = 0
    for line in handle:
        offset += len(line)
        if not line.endswith(b"\n"):
            return
        if row_format == "jsonl":
            yield offset, line
            continue
        pending += line
        quotes += line.count(b'"')
        # An even number of quote characters so far means the newline is outside any quoted field.
        if quotes % 2 == 0:
            yield offset, pending
            pending, quotes = b"", 0


# Columns `grade` writes to CSV as JSON (lists and objects), read back as such.
JSON_COLUMNS = frozenset({"concepts_matched", "concepts_missed", "flags", "wrong_claims", "explain"})


def read_graded(path: Path) -> list[dict[str, Any]]:
    """The rows of a graded file written by `interviewer grade`: .csv by suffix, else JSON Lines."""
    return read_graded_csv(path) if path.suffix.lower() == ".csv" else read_graded_jsonl(path)


def read_graded_csv(path: Path) -> list[dict[str, Any]]:
    """The rows of a graded CSV file, with list/object columns decoded; InputError naming a bad row."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text (byte {error.start}); pass the CSV written by `interviewer grade`"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "score" not in reader.fieldnames:
        raise InputError(f"{path}: no `score` column; pass the CSV written by `interviewer grade`")
    rows: list[dict[str, Any]] = []
    for number, record in enumerate(reader, start=1):
        row: dict[str, Any] = {}
        for key, cell in record.items():
            if key is None or cell is None or cell == "":
                continue  # an empty cell is an absent field (e.g. no score on a row with an error)
            if key in JSON_COLUMNS:
                try:
                    row[key] = json.loads(cell)
                except json.JSONDecodeError:
                    raise InputError(
                        f"{path}: row {number}: column {key} is not the JSON `interviewer grade` writes "
                        f"({cell[:40]!r})"
                    ) from None
            elif key == "score":
                try:
                    row[key] = float(cell)
                except ValueError:
                    raise InputError(f"{path}: row {number}: score {cell!r} is not a number") from None
            else:
                row[key] = cell
        rows.append(row)
    return rows


def read_graded_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a graded JSONL file (output of `interviewer grade`); InputError naming a bad line."""
    rows: list[dict[str, Any]] = []
    try:
        with path.open("rb") as handle:
            for line_number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise InputError(
                        f"{path}: line {line_number} is not a JSON object ({error}); "
                        "pass the JSONL written by `interviewer grade`"
                    ) from None
                if not isinstance(data, dict):
                    raise InputError(f"{path}: line {line_number} is not a JSON object")
                rows.append(data)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return rows
