"""`interviewer report`: feedback reports (Markdown, self-contained HTML, JSON) from graded rows or a session."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from interviewer.errors import InputError

if TYPE_CHECKING:
    from interviewer.bank import Bank
    from interviewer.report import IndexEntry, Report


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class GroupBy(StrEnum):
    candidate = "candidate"


SUFFIX_FORMATS = {".md": ReportFormat.md, ".html": ReportFormat.html, ".htm": ReportFormat.html}
SUFFIX_FORMATS[".json"] = ReportFormat.json


def register(app: typer.Typer) -> None:
    """Attach the `report` command to the root app."""
    app.command("report")(report)


def report(
    source: Annotated[
        str,
        typer.Argument(
            metavar="GRADED.jsonl|GRADED.csv|SESSION_ID",
            help="Output of `interviewer grade` (JSONL or CSV), or a session id.",
        ),
    ],
    by: Annotated[
        GroupBy | None, typer.Option("--by", help="One report per candidate; -o is then a directory.")
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", help="md, html or json (default: from -o's suffix, else md)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (a directory with --by; default stdout)."),
    ] = None,
    bank_path: Annotated[
        Path | None,
        typer.Option("--bank", help="Bank for question text, topic and reference (default: packaged)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
) -> None:
    """Write a feedback report: overall score, per-topic chart, concepts to study first, every answer."""
    from interviewer.report import build_report

    chosen = output_format or _format_from_suffix(output, by is not None)
    rows, default_title = _rows_for(source)
    bank = _bank_or_none(bank_path)
    if by is GroupBy.candidate:
        if output is None:
            raise InputError("--by candidate writes one file per candidate: give a directory with -o DIR")
        _write_per_candidate(rows, bank, chosen, output, title)
        return
    rendered = _render(build_report(rows, bank, title=title or default_title), chosen)
    if output is None:
        typer.echo(rendered, nl=False)
        return
    _write(output, rendered)
    typer.echo(f"Wrote {output}", err=True)


def _format_from_suffix(output: Path | None, grouped: bool) -> ReportFormat:
    if output is None or grouped:
        return ReportFormat.md
    return SUFFIX_FORMATS.get(output.suffix.casefold(), ReportFormat.md)


def _rows_for(source: str) -> tuple[list[dict[str, Any]], str | None]:
    """Graded rows from a JSONL or CSV file, or from the session history when `source` is not a file."""
    from interviewer.batch_io import read_graded

    path = Path(source)
    if path.is_file():
        return read_graded(path), None
    try:
        from interviewer.history import session_report_rows
    except ImportError:
        raise InputError(
            f"no such file or session: {source}; pass the JSONL or CSV written by `interviewer grade` or a session id "
            "from `interviewer history`"
        ) from None
    session_rows: list[dict[str, Any]] = session_report_rows(source)
    return session_rows, f"Interview report — session {source}"


def _bank_or_none(bank_path: Path | None) -> Bank | None:
    # Reports of ad-hoc rows need no bank; an explicitly named bank must load.
    from interviewer.bank import load_bank
    from interviewer.errors import BankError

    try:
        return load_bank(bank_path)
    except BankError:
        if bank_path is not None:
            raise
        return None


def _renderers(chosen: ReportFormat) -> tuple[Callable[[Report], str], Callable[[Sequence[IndexEntry]], str]]:
    from interviewer import report as reports

    if chosen is ReportFormat.html:
        return reports.to_html, reports.index_to_html
    if chosen is ReportFormat.json:
        return reports.to_json, reports.index_to_json
    return reports.to_markdown, reports.index_to_markdown


def _render(report: Report, chosen: ReportFormat) -> str:
    return _renderers(chosen)[0](report)


def _write_per_candidate(
    rows: Sequence[Mapping[str, Any]],
    bank: Bank | None,
    chosen: ReportFormat,
    directory: Path,
    title: str | None,
) -> None:
    from interviewer.report import IndexEntry, build_report, file_stem, group_by_candidate

    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is a file; --by candidate needs a directory for -o")
    directory.mkdir(parents=True, exist_ok=True)
    render_one, render_index = _renderers(chosen)
    taken = {"index"}
    entries: list[IndexEntry] = []
    for candidate, candidate_rows in group_by_candidate(rows).items():
        name = f"{file_stem(candidate, taken)}.{chosen.value}"
        report = build_report(candidate_rows, bank, candidate=candidate)
        _write(directory / name, render_one(report))
        entries.append(IndexEntry(candidate, name, report.overall, report.verdict, len(report.items)))
    index = directory / f"index.{chosen.value}"
    _write(index, render_index(entries))
    typer.echo(f"Wrote {len(entries)} report{'s' if len(entries) != 1 else ''} and {index}", err=True)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
