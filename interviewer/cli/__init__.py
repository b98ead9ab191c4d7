"""The `interviewer` command line: a thin Typer layer over the library.

Each command module parses arguments, calls `interviewer.*` and renders the result. Errors are raised as
`InterviewerError` anywhere below and turned into a message and an exit code here, once.
"""

from __future__ import annotations

import importlib
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


# Which command module registers each top-level command (tests check it against the full app).
COMMAND_MODULES = {
    "bank": "bank_commands",
    "calibrate": "eval_commands",
    "eval": "eval_commands",
    "grade": "grade_commands",
    "report": "report_commands",
    "start": "session_commands",
    "resume": "session_commands",
    "history": "session_commands",
}


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"interviewer {__version__}")
        raise typer.Exit()


def root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Offline mock interviewer and short-answer grader."""


def build_app(command: str | None = None) -> typer.Typer:
    """The root app with every command, or with only the module that registers top-level `command`.

    Converting every command to click (annotations, parameters) and importing every command module is
    work `interviewer bank list` or `start` would do for nothing; help, `--version` and unknown names get
    every command, so their output and suggestions are unchanged.
    """
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
    app.callback()(root)
    # Command modules import only light modules at top level; heavy work happens inside the commands.
    owner = COMMAND_MODULES.get(command or "")
    for module_name in dict.fromkeys(COMMAND_MODULES.values()):
        if owner is None or module_name == owner:
            importlib.import_module(f"{__name__}.{module_name}").register(app)
    return app


_FULL_APP: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    # `interviewer.cli.app`, the app with every command, is built on first use (tests, `python -c`).
    global _FULL_APP
    if name == "app":
        if _FULL_APP is None:
            _FULL_APP = build_app()
        return _FULL_APP
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    # Root options are flags, so a command name can only come first.
    command = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        build_app(command)()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
