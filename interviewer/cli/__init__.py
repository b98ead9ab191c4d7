"""The `interviewer` command line: a thin Typer layer over the library.

Each command module parses arguments, calls `interviewer.*` and renders the result. Errors are raised as
`InterviewerError` anywhere below and turned into a message and an exit code here, once.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from interviewer import __version__
from interviewer.errors import EXIT_INTERRUPTED, InterviewerError


class InterviewerGroup(TyperGroup):
    """Click group that maps `InterviewerError` and Ctrl-C to a message and exit code, without a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer.Context; typer vendors its own click
        try:
            return super().invoke(ctx)
        except InterviewerError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None


app = typer.Typer(
    cls=InterviewerGroup,
    name="interviewer",
    help="Offline mock interviewer: asks questions easy to hard, grades free-text answers, names missed concepts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help imports rich, markdown-it and pygments (~50 ms per start).
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"interviewer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Offline mock interviewer and short-answer grader."""


def _register_commands() -> None:
    # Command modules import only light modules at top level; heavy work happens inside the commands.
    from interviewer.cli import bank_commands, eval_commands, grade_commands, report_commands

    bank_commands.register(app)
    eval_commands.register(app)
    grade_commands.register(app)
    report_commands.register(app)

    from interviewer.cli import session_commands

    session_commands.register(app)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
