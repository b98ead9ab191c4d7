"""`interviewer bank …`: list, show, validate and import question banks."""

from __future__ import annotations

import typer

bank_app = typer.Typer(help="List, show, validate and import question banks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the `bank` command group to the root app."""
    app.add_typer(bank_app, name="bank")
