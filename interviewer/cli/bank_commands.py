"""`interviewer bank …`: list, show, validate and import question banks.

Only light modules are imported here: bank commands must answer instantly, without torch or the model.
"""

from __future__ import annotations

import json
import os
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from interviewer.bank import LEVELS, Question, bank_problems, load_bank, question_to_dict
from interviewer.errors import BankError, InputError

bank_app = typer.Typer(
    help="List, show, validate and import question banks.", no_args_is_help=True, rich_markup_mode=None
)

BankOption = Annotated[
    Path | None,
    typer.Option("--bank", help="Question bank YAML file (default: the packaged Deep Learning bank)."),
]
TOPIC_COLUMN_MAX = 18
QUESTION_COLUMN_MIN = 20


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach the `bank` command group to the root app."""
    app.add_typer(bank_app, name="bank")


def _list_entry(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "level": question.level,
        "difficulty": question.difficulty,
        "topic": question.topic,
        "question": question.question,
        "tags": list(question.tags),
        "years": list(question.years),
    }


def _truncate(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _table_cells(questions: list[Question], width: int) -> tuple[list[str], list[tuple[str, ...]], int]:
    """Header, rows and topic column width of the question table for a console `width` columns wide."""
    id_width = max(len(q.id) for q in questions)
    topic_width = min(TOPIC_COLUMN_MAX, max(len(q.topic) for q in questions))
    # The question takes what the fixed columns leave (2 spaces between columns), truncated with "…".
    fixed = id_width + len("intermediate") + len("difficulty") + topic_width + 2 * 4
    question_width = max(QUESTION_COLUMN_MIN, width - fixed)
    rows: list[tuple[str, ...]] = [
        (
            question.id,
            question.level,
            f"{question.difficulty:.1f}",
            _truncate(question.topic, topic_width),
            _truncate(question.question, question_width),
        )
        for question in questions
    ]
    return list(TABLE_HEADER), rows, topic_width


def _print_table(questions: list[Question]) -> None:
    width = _plain_output_width()
    if width is not None:
        header, rows, topic_width = _table_cells(questions, width)
        lines = _plain_table(header, rows, topic_width=topic_width, width=width)
        if lines is not None:
            sys.stdout.write("".join(line + "\n" for line in lines))
            return
    _print_rich_table(questions)


def _print_rich_table(questions: list[Question]) -> None:
    # rich is imported here so `bank list --format json` and piped tables never pay for it (~30 ms).
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    header, rows, topic_width = _table_cells(questions, console.width)
    id_width = max(len(q.id) for q in questions)
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column(header[0], no_wrap=True, min_width=id_width)
    table.add_column(header[1], no_wrap=True, min_width=len("intermediate"))
    table.add_column(header[2], justify="right", no_wrap=True)
    table.add_column(header[3], no_wrap=True, overflow="ellipsis", max_width=topic_width)
    table.add_column(header[4], no_wrap=True, overflow="ellipsis")
    # Text, not str: a question mentioning "[/]" or ":smile:" is printed as written, never read as markup.
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)


# ---- piped tables without rich -------------------------------------------------------------------------------
# Piped output has no styles, so the table rich would print is plain text we can lay out directly. These
# functions reproduce rich's layout for the cases they accept (checked against rich by a test) and return
# None for anything else, which rich then prints.

TABLE_HEADER = ("id", "level", "difficulty", "topic", "question")
# Characters rich always counts as one cell (its `_SINGLE_CELL_UNICODE_RANGES`, plus dashes and quotes).
_ONE_CELL_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027))
# Rich reads `[tag]` as markup and `:name:` as an emoji code in cell text.
_RICH_MARKUP = re.compile(r"\[|:\S*:")


def _plain_output_width() -> int | None:
    """The width rich would use when it would print no styles to stdout; None when it would, or may."""
    if sys.platform == "win32" or "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return None
    try:
        if sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if not encoding.startswith("utf"):
        return None  # rich explains an encoding error (e.g. of "…") with a hint of its own
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns) or None
    width = 0
    for descriptor in (0, 1, 2):  # as rich: the first standard stream that is a terminal, else 80
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def _one_cell_each(text: str) -> bool:
    return all(any(low <= ord(char) <= high for low, high in _ONE_CELL_RANGES) for char in text)


def _plain_table(
    header: list[str], rows: list[tuple[str, ...]], *, topic_width: int, width: int
) -> list[str] | None:
    """Lines of rich's `box=None, pad_edge=False` table (difficulty right-aligned); None when unsure."""
    cells = [*header, *(cell for row in rows for cell in row)]
    if any(_RICH_MARKUP.search(cell) or not _one_cell_each(cell) for cell in cells):
        return None
    if topic_width < len(header[3]):
        return None  # rich would shorten the header to fit the topic column's max width
    widths = [max(len(row[index]) for row in [tuple(header), *rows]) for index in range(len(header))]
    widths[1] = max(widths[1], len("intermediate"))
    if sum(widths) + 2 * (len(widths) - 1) > width:
        return None  # rich would shrink columns to fit the console
    lines = []
    for row in [tuple(header), *rows]:
        padded = [
            cell.rjust(w) if index == 2 else cell.ljust(w)
            for index, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(padded))
    return lines


@bank_app.command("list")
def list_questions(
    level: Annotated[str | None, typer.Option(help=f"Only this level: {', '.join(LEVELS)}.")] = None,
    topic: Annotated[str | None, typer.Option(help="Only questions with this topic or tag.")] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
    bank_path: BankOption = None,
) -> None:
    """List the bank's questions in bank order, optionally one level or topic."""
    bank = load_bank(bank_path)
    questions = bank.select(level=level, topic=topic)
    if output_format is ListFormat.json:
        typer.echo(
            json.dumps({"questions": [_list_entry(q) for q in questions]}, ensure_ascii=False, indent=2)
        )
        return
    if not questions:
        topics = ", ".join(bank.topics())
        typer.echo(f"No questions match. Levels: {', '.join(LEVELS)}. Topics and tags: {topics}.", err=True)
        return
    _print_table(questions)


def _years_text(years: tuple[float, float]) -> str:
    low, high = (f"{year:g}" for year in years)
    return f"{low}–{high} years"


def _question_text(question: Question) -> str:
    """The question laid out for reading: header, question, references, concepts, misconceptions, source."""
    tags = f" (tags: {', '.join(question.tags)})" if question.tags else ""
    header = f"{question.id} · {question.level} · {_years_text(question.years)}"
    lines = [
        f"{header} · difficulty {question.difficulty:.1f} · topic {question.topic}{tags}",
        "",
        f"Question: {question.question}",
        "",
        "Reference:",
        *(f"  {line}" for line in question.reference.splitlines()),
    ]
    for number, alternative in enumerate(question.alternatives, start=1):
        lines += ["", f"Alternative {number}:", *(f"  {line}" for line in alternative.splitlines())]
    lines += ["", "Concepts (weight · name · aliases):"]
    for concept in question.concepts:
        aliases = f" — {', '.join(concept.aliases)}" if concept.aliases else ""
        lines.append(f"  {concept.weight:g} · {concept.name}{aliases}")
    if question.misconceptions:
        lines += ["", "Misconceptions:"]
        for item in question.misconceptions:
            lines += [f"  ✗ {item.statement}", f"    → {item.correction}"]
            lines += [f"    pattern: {pattern}" for pattern in item.patterns]
    if question.source:
        lines += ["", f"Source: {question.source}"]
    return "\n".join(lines)


@bank_app.command("show")
def show_question(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="Question id, e.g. dl-14.")],
    output_format: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
    bank_path: BankOption = None,
) -> None:
    """Show one question with its reference answer, concepts (weights, aliases) and misconceptions."""
    question = load_bank(bank_path).get(question_id)
    if output_format is ShowFormat.json:
        typer.echo(json.dumps(question_to_dict(question), ensure_ascii=False, indent=2))
    else:
        typer.echo(_question_text(question))


@bank_app.command("validate")
def validate_banks(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Bank YAML files to check.")],
) -> None:
    """Check bank files; print `PATH: ok (N questions)` for each valid one, or every problem and exit 2."""
    problems: list[str] = []
    for path in paths:
        found = bank_problems(path)
        if found:
            problems += found
        else:
            typer.echo(f"{path}: ok ({len(load_bank(path).questions)} questions)")
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise BankError(f"{count} found:\n" + "\n".join(problems))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte offset {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


@bank_app.command("import")
def import_text(
    text_file: Annotated[
        Path, typer.Argument(metavar="TEXT_FILE", help="Seed text: level headings, numbered Q&A.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Bank YAML file to write.")],
    prefix: Annotated[str, typer.Option(help="Question id prefix: ids are PREFIX-01, PREFIX-02, …")] = "q",
    name: Annotated[str | None, typer.Option(help="Bank name (default: the output file's stem).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """Turn a seed text of questions and answers into a bank YAML with concepts extracted automatically."""
    from interviewer.bank import dump_bank_yaml
    from interviewer.bank_import import import_seed_text

    if output.exists() and not force:
        raise InputError(f"{output} exists; pass --force to overwrite it, or choose another -o path")
    data = import_seed_text(
        _read_text(text_file), name=name or output.stem, prefix=prefix, origin=str(text_file)
    )
    try:
        output.write_text(dump_bank_yaml(data), encoding="utf-8")
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
    problems = bank_problems(output)
    if problems:  # the import should never produce an invalid bank; say so plainly if it does
        raise BankError("the imported bank does not validate:\n" + "\n".join(problems))
    levels = [q["level"] for q in data["questions"]]
    per_level = ", ".join(f"{level} {levels.count(level)}" for level in LEVELS if level in levels)
    typer.echo(
        f"Wrote {output}: {len(levels)} questions ({per_level}). "
        "Review the extracted concepts and add misconceptions before using it for interviews."
    )
