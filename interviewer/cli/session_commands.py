"""`interviewer start`, `resume` and `history`: run an interview in the terminal or from piped answers.

The first question appears before torch is imported: the grader is built and warmed in a background
thread (`BackgroundGrader`) while the candidate reads, and a spinner covers any remaining wait.
Interactive input comes from a TTY line by line; piped input is a stream of answers separated by blank
lines, in which `:skip` and the other commands work too.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewer.bank import Bank, load_bank
from interviewer.errors import EXIT_INTERRUPTED, BankError, HistoryError
from interviewer.planning import DEFAULT_COUNT, band_for, parse_years, plan_session

# rich, sqlite3 and the session engine are imported inside the commands: `--help` and `bank list` load this
# module too and must start in about the time typer itself takes.
if TYPE_CHECKING:
    from rich.console import Console

    from interviewer.grading.grader import Grader
    from interviewer.history import History
    from interviewer.session import BackgroundGrader, Interview

# A lone `:word` is a mistyped command, not an answer: say which commands exist instead of grading it.
COMMAND_LIKE = re.compile(r"^:[a-z]+$")
SEED_RANGE = 1_000_000
BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="Question bank YAML file (default: the packaged Deep Learning bank)."),
]
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="sentence-transformers model folder (default: the packaged model)."),
]


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach `start`, `resume` and `history` to the root app."""
    app.command("start")(start)
    app.command("resume")(resume)
    app.command("history")(history)


def grader_factory(bank: Bank, model: Path | None) -> Callable[[], Grader]:
    """A function that builds the Grader; called in the background thread (tests replace it)."""

    def build() -> Grader:
        from interviewer.grading import load_grader

        return load_grader(bank=bank, model=model)

    return build


# ----- commands ------------------------------------------------------------------------------------------


def start(
    years: Annotated[
        str, typer.Option("--years", help="Years of experience: 0, 2, 2.5, a range like 1-3 or 3-6, or 7+.")
    ],
    count: Annotated[int, typer.Option("--count", min=1, help="How many questions.")] = DEFAULT_COUNT,
    topic: Annotated[str | None, typer.Option("--topic", help="Only questions on this topic or tag.")] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", help="Only questions of this level (basic, intermediate, advanced)."),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same questions.")] = None,
    bank_path: BankOption = None,
    model: ModelOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan and exit.")] = False,
) -> None:
    """Start an interview: questions easy to hard for your years of experience, feedback after each answer."""
    from interviewer.cli import session_view as view
    from interviewer.session import BackgroundGrader, Interview

    bank = load_bank(bank_path)
    parsed = parse_years(years)
    band = level or band_for(bank, parsed)
    # A drawn seed is still recorded, so any session can be replayed with `--seed` from its history entry.
    seed = seed if seed is not None else random.randrange(SEED_RANGE)
    plan = plan_session(bank, years=parsed, count=count, topic=topic, level=level, seed=seed)
    console = view.make_console()
    if dry_run:
        view.show_plan(console, plan, band=band, years=parsed.text, seed=seed)
        return
    loader = BackgroundGrader(grader_factory(bank, model))
    history_store = _open_history_or_memory()
    interview = Interview.start(bank, plan, years=parsed, seed=seed, band=band, history=history_store)
    view.show_intro(
        console,
        title=bank.title,
        total=interview.total,
        years=parsed.text,
        band=band,
        session_id=interview.session_id if interview.saved else None,
    )
    _run(interview, loader, console)


def resume(
    session_id: Annotated[
        str | None, typer.Argument(help="Session id (default: the latest unfinished session).")
    ] = None,
    bank_path: BankOption = None,
    model: ModelOption = None,
) -> None:
    """Continue an unfinished interview at its first unanswered question."""
    from interviewer.cli import session_view as view
    from interviewer.history import History
    from interviewer.session import BackgroundGrader, Interview, find_resumable

    store = History.open()
    record = find_resumable(store, session_id)
    bank = load_bank(bank_path or _planned_bank(record.bank, record.id))
    interview = Interview.resume(bank, store, record.id)
    loader = BackgroundGrader(grader_factory(bank, model))
    console = view.make_console()
    console.print(
        f"Resuming session {interview.session_id} at question {interview.number}/{interview.total} "
        f"({len(interview.answers)} answered so far)."
    )
    console.print(f"Finish each answer with an empty line (or Ctrl-D). {view.COMMANDS_HELP}")
    _run(interview, loader, console)


def history(
    output_format: Annotated[
        HistoryFormat, typer.Option("--format", help="table (for reading) or json (for scripts).")
    ] = HistoryFormat.table,
) -> None:
    """List past sessions (date, band, answered/planned, mean score, status) and per-topic trends."""
    from interviewer.cli import session_view as view
    from interviewer.history import History
    from interviewer.session_summary import history_overview

    store = History.open()
    try:
        sessions = store.sessions()
        overview = history_overview(sessions, {s.id: store.answers(s.id) for s in sessions})
    finally:
        store.close()
    if output_format is HistoryFormat.json:
        typer.echo(json.dumps(overview, indent=2, ensure_ascii=False))
    else:
        view.show_history(view.make_console(), overview)


# ----- the loop ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """What the candidate did at a question: `answer` (with text), `skip`, `quit` or `end` (no more input)."""

    action: str
    text: str = ""


def _run(interview: Interview, loader: BackgroundGrader, console: Console) -> None:
    """Ask every remaining question, show feedback, then the summary; Ctrl-C saves and exits 130."""
    from interviewer.cli import session_view as view

    read_line = _line_reader()
    warned = False
    try:
        while (question := interview.current) is not None:
            view.show_question(console, interview.number, interview.total, question)
            # Started once the question is on screen, so torch's import never delays the first question.
            loader.start()
            reply = _read_reply(read_line, console, interview)
            if reply.action in ("quit", "end"):
                interview.pause()
                _show_resume_hint(console, interview)
                return
            if reply.action == "skip":
                record = interview.skip()
            else:
                record = interview.submit(reply.text, _grader(loader, console))
            view.show_feedback(console, record)
            if interview.history_problem and not warned:
                warned = True
                _warn(f"{interview.history_problem}\nThe interview goes on, but from here it is not saved.")
    except KeyboardInterrupt:
        console.print()
        console.print("Interrupted.")
        with contextlib.suppress(HistoryError, KeyboardInterrupt):
            interview.pause()
        _show_resume_hint(console, interview)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    interview.finish()
    summary = interview.summary()
    view.show_summary(console, summary, interview.plan)
    view.show_closing(console, summary, saved=interview.saved)


def _read_reply(read_line: Callable[[str], str | None], console: Console, interview: Interview) -> Reply:
    """Lines up to an empty line or EOF; command lines act at once (`:hint`, `:repeat`, `:ref`) or end it."""
    from interviewer.cli import session_view as view

    lines: list[str] = []
    while True:
        line = read_line("> " if not lines else "  ")
        if line is None:
            return Reply("answer", "\n".join(lines)) if lines else Reply("end")
        stripped = line.strip()
        if not stripped:
            if lines:
                return Reply("answer", "\n".join(lines))
            continue  # blank lines before an answer separate answers; they do not end an empty one
        command = stripped.casefold()
        if command == ":skip":
            return Reply("skip")
        if command == ":quit":
            return Reply("quit")
        if command == ":hint":
            view.show_hint(console, interview.hint())
        elif command == ":repeat":
            question = interview.current
            if question is not None:
                view.show_question(console, interview.number, interview.total, question)
        elif command == ":ref":
            view.show_reference(console, interview.last_recorded)
        elif COMMAND_LIKE.match(command):
            view.show_unknown_command(console, stripped)
        else:
            lines.append(line.rstrip("\n"))


def _line_reader() -> Callable[[str], str | None]:
    """`read(prompt) -> line or None at EOF`: input() with a prompt on a TTY, raw lines from a pipe."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing for input())

        def read_tty(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                print()
                return None

        return read_tty

    def read_pipe(_: str) -> str | None:
        line = sys.stdin.readline()
        return line if line else None

    return read_pipe


def _grader(loader: BackgroundGrader, console: Console) -> Grader:
    """The warmed-up grader; a spinner covers the wait on a terminal."""
    if loader.ready or not console.is_terminal:
        return loader.get()
    with console.status("Loading the grader…", spinner="dots"):
        return loader.get()


def _planned_bank(recorded: str, session_id: str) -> Path:
    """The bank file a session was planned from; BankError saying to pass --bank when it is gone."""
    path = Path(recorded)
    if not path.is_file():
        raise BankError(
            f"session {session_id} was planned from the bank {recorded}, which cannot be found; "
            "pass --bank PATH to the same bank"
        )
    return path


def _open_history_or_memory() -> History:
    """The history file, or, when it is damaged or locked, an in-memory one after a warning."""
    from interviewer.history import History

    try:
        return History.open()
    except HistoryError as error:
        _warn(f"{error}\nThis session will not be saved; you still get every grade and the summary.")
        return History.in_memory()


def _warn(message: str) -> None:
    from interviewer.cli import session_view as view

    view.make_console(stderr=True).print(f"Warning: {message}", style="yellow", markup=False)


def _show_resume_hint(console: Console, interview: Interview) -> None:
    """How to continue this session: `interviewer resume <id>`, with how far it got and whether it is saved."""
    from interviewer.cli import session_view as view

    view.show_resume_hint(
        console,
        interview.session_id,
        answered=len(interview.answers),
        total=interview.total,
        saved=interview.saved,
    )
