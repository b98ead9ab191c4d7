"""`interviewer grade`: grade a CSV/JSONL file of written answers into JSONL/CSV, streamed in batches.

Progress (rows/s, ETA) goes to stderr only when stderr is a terminal; the summary always goes to stderr, so
stdout carries nothing but graded rows.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from interviewer.errors import EXIT_INTERRUPTED, InputError, PartialFailure

if TYPE_CHECKING:
    from interviewer.batch import BatchSummary

SUMMARY_QUESTIONS_SHOWN = 12


def register(app: typer.Typer) -> None:
    """Attach the `grade` command to the root app."""
    app.command("grade")(grade)


def grade(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="Answers as .csv or .jsonl; `-` reads JSONL from stdin.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Graded rows as .jsonl or .csv (default: JSONL on stdout)."),
    ] = None,
    bank_path: Annotated[
        Path | None, typer.Option("--bank", help="Question bank YAML (default: the packaged bank).")
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="sentence-transformers model folder (default: packaged).")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add each row's features and score contributions.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue an interrupted run: keep OUTPUT's rows, grade the rest."),
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows read, graded and written together.")
    ] = 64,
) -> None:
    """Grade written answers: each row's `answer` against a bank `question_id` or an ad-hoc `question` + `reference`.

    Exit codes: 0 all rows graded · 1 some rows have an `error` (the rest are written) · 2 bad invocation or
    unreadable input · 130 interrupted (rerun with --resume to continue).
    """
    from interviewer.bank import load_bank
    from interviewer.batch import grade_rows
    from interviewer.batch_io import format_of, read_rows

    input_format = "jsonl" if input_path == "-" else format_of(input_path, role="input")
    output_format = format_of(output, role="output") if output is not None else "jsonl"
    if resume and output is None:
        raise InputError("--resume needs -o OUTPUT: the rows already graded are counted in that file")
    bank = _load_bank_for(bank_path, load_bank)

    with contextlib.ExitStack() as stack:
        source, size = _open_input(input_path, stack)
        rows = iter(read_rows(source, input_format, name=input_path))
        seen_ids: dict[str, int] = {}
        writer, skipped, skipped_errors = _open_writer(output, output_format, resume, rows, seen_ids, stack)

        from interviewer.grading import load_grader

        grader = load_grader(bank=bank, model=model)
        # Loading before the clock starts keeps rows/s and the ETA about grading, not about model start-up.
        with _status("Loading the grading model…"):
            grader.warm_up()
        stop = stack.enter_context(_stop_after_batch_on_ctrl_c())
        on_batch = stack.enter_context(_progress(source, size, skipped))
        summary = grade_rows(
            rows,
            grader,
            bank,
            writer,
            batch_size=batch_size,
            explain=explain,
            seen_ids=seen_ids,
            should_stop=stop,
            on_batch=on_batch,
        )
        summary.skipped, summary.skipped_errors = skipped, skipped_errors
    _print_summary(summary)
    if summary.interrupted:
        _print_resume_hint(input_path, output, skipped + summary.rows)
        raise typer.Exit(EXIT_INTERRUPTED)
    failed = summary.errors + summary.skipped_errors
    if failed:
        where = str(output) if output is not None else "the output"
        raise PartialFailure(
            f"{failed} of {summary.rows + summary.skipped} rows could not be graded; their `error` field in "
            f"{where} says what to fix"
        )


def _load_bank_for(bank_path: Path | None, load: Callable[[Path | None], Any]) -> Any:
    # Ad-hoc rows need no bank: a missing packaged bank is only an error for rows that name a question_id.
    from interviewer.errors import BankError

    try:
        return load(bank_path)
    except BankError:
        if bank_path is not None:
            raise
        return None


def _open_input(input_path: str, stack: contextlib.ExitStack) -> tuple[IO[bytes], int | None]:
    if input_path == "-":
        return sys.stdin.buffer, None
    path = Path(input_path)
    try:
        handle = stack.enter_context(path.open("rb"))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return handle, path.stat().st_size


def _open_writer(
    output: Path | None,
    output_format: str,
    resume: bool,
    rows: Iterator[Any],
    seen_ids: dict[str, int],
    stack: contextlib.ExitStack,
) -> tuple[Any, int, int]:
    """The row writer for OUTPUT, and how many rows (and error rows) a resumed OUTPUT already holds."""
    from interviewer.batch import skip_completed
    from interviewer.batch_io import CsvRowWriter, JsonlRowWriter, find_resume_point

    if output is None:
        stream: IO[str] = sys.stdout
        return (JsonlRowWriter(stream) if output_format == "jsonl" else CsvRowWriter(stream)), 0, 0
    columns = None
    skipped = skipped_errors = 0
    mode = "w"
    if resume and output.is_file():
        point = find_resume_point(output, "csv" if output_format == "csv" else "jsonl")
        skip_completed(rows, point.rows, point.last_id, seen_ids, output=str(output))
        # Drop a row cut short by the interruption; it is graded again below.
        with output.open("r+b") as handle:
            handle.truncate(point.end_offset)
        columns, skipped, skipped_errors, mode = point.columns, point.rows, point.errors, "a"
    try:
        stream = stack.enter_context(output.open(mode, encoding="utf-8", newline=""))
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
    if output_format == "csv":
        return CsvRowWriter(stream, columns=columns), skipped, skipped_errors
    return JsonlRowWriter(stream), skipped, skipped_errors


@contextlib.contextmanager
def _stop_after_batch_on_ctrl_c() -> Iterator[Callable[[], bool]]:
    """A `should_stop` flag set by the first Ctrl-C (the batch in hand is still written); a second one aborts."""
    requested: list[bool] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        if requested:
            raise KeyboardInterrupt
        requested.append(True)
        typer.echo("\nStopping after the current batch (Ctrl-C again to abort now)…", err=True)

    try:
        previous = signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread: keep the default behaviour
        yield lambda: False
        return
    try:
        yield lambda: bool(requested)
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner with `message` on stderr while the block runs, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


@contextlib.contextmanager
def _progress(
    source: IO[bytes], size: int | None, skipped: int
) -> Iterator[Callable[[BatchSummary], None] | None]:
    """A per-batch callback drawing rows, rows/s and ETA (by bytes read) when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns: list[Any] = [
        TextColumn("{task.fields[rows]:,} rows · {task.fields[rate]:.1f} rows/s"),
        BarColumn(),
        TimeElapsedColumn(),
    ]
    if size:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("grading", total=size or None, rows=skipped, rate=0.0)

        def update(summary: BatchSummary) -> None:
            rate = summary.rows / summary.seconds if summary.seconds else 0.0
            position = _position(source)
            progress.update(task, completed=position, rows=skipped + summary.rows, rate=rate)

        yield update


def _position(source: IO[bytes]) -> int:
    try:
        return source.tell()
    except (OSError, ValueError):
        return 0


def _print_summary(summary: BatchSummary) -> None:
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    resumed = (
        f" (resumed after {summary.skipped:,} rows already in the output, {summary.skipped_errors:,} with errors)"
        if summary.skipped
        else ""
    )
    mean = f"{summary.mean_score:.1f}" if summary.mean_score is not None else "–"
    lines = [
        f"Graded {summary.graded:,} rows, {summary.errors:,} with errors{resumed} · mean score {mean} · "
        f"{summary.seconds:.1f} s ({rate:.1f} rows/s)"
    ]
    means = summary.question_means()
    if means:
        lines.append("Per question (rows · mean):")
        lines += [
            f"  {key}  {count:,} · {mean_score:.1f}"
            for key, count, mean_score in means[:SUMMARY_QUESTIONS_SHOWN]
        ]
        if len(means) > SUMMARY_QUESTIONS_SHOWN:
            lines.append(f"  … and {len(means) - SUMMARY_QUESTIONS_SHOWN} more questions")
    typer.echo("\n".join(lines), err=True)


def _print_resume_hint(input_path: str, output: Path | None, done: int) -> None:
    if output is None:
        typer.echo(
            f"Interrupted after {done:,} rows. Output went to stdout, so it cannot be resumed; "
            "write to a file with -o OUTPUT to be able to use --resume.",
            err=True,
        )
        return
    typer.echo(
        f"Interrupted after {done:,} rows; {output} holds them. Continue with:\n"
        f"  interviewer grade {input_path} -o {output} --resume",
        err=True,
    )
