"""Every command has --help, --version works, and light commands never import torch or the model."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from interviewer import __version__
from interviewer.cli import COMMAND_MODULES, app, build_app

SMALL_BANK = str(Path(__file__).parent / "fixtures" / "small-bank.yaml")
HEAVY_MODULES = ("torch", "sentence_transformers")


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand below `command`, as argument tuples (like sqlite-utils' help test)."""
    for name, child in getattr(command, "commands", {}).items():
        yield (*prefix, name)
        yield from command_paths(child, (*prefix, name))


ALL_COMMANDS = [(), *command_paths(typer.main.get_command(app))]


def test_the_bank_commands_are_all_there() -> None:
    assert {("bank", name) for name in ("list", "show", "validate", "import")} <= set(ALL_COMMANDS)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda path: " ".join(path) or "interviewer")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"interviewer {__version__}\n"


def test_every_top_level_command_names_its_module() -> None:
    assert set(COMMAND_MODULES) == set(typer.main.get_command(app).commands)


@pytest.mark.parametrize("path", ALL_COMMANDS[1:], ids=lambda path: " ".join(path))
def test_the_app_for_one_command_gives_the_same_help(path: tuple[str, ...]) -> None:
    partial = build_app(path[0])
    assert set(typer.main.get_command(partial).commands) == {
        name for name, module in COMMAND_MODULES.items() if module == COMMAND_MODULES[path[0]]
    }
    assert (
        CliRunner().invoke(partial, [*path, "--help"]).output
        == CliRunner().invoke(app, [*path, "--help"]).output
    )


@pytest.mark.parametrize("first", [None, "--help", "--version", "bnak", "-x"])
def test_help_version_and_unknown_names_get_every_command(first: str | None) -> None:
    assert set(typer.main.get_command(build_app(first)).commands) == set(COMMAND_MODULES)


# Runs the CLI in-process exactly as `python -m interviewer ARGS` does, then reports which heavy modules loaded.
PROBE = """
import runpy, sys
sys.argv = ["interviewer", *sys.argv[1:]]
try:
    runpy.run_module("interviewer", run_name="__main__", alter_sys=True)
except SystemExit as done:
    code = done.code
else:
    code = 0
print("EXIT", code, "HEAVY", *sorted(name for name in {heavy!r} if name in sys.modules))
"""


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("bank", "list", "--bank", SMALL_BANK),
        ("bank", "list", "--bank", SMALL_BANK, "--format", "json"),
    ],
    ids=["--help", "bank list", "bank list json"],
)
def test_light_commands_do_not_import_torch(args: tuple[str, ...], tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY_MODULES), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"INTERVIEWER_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    last_line = completed.stdout.strip().splitlines()[-1]
    assert last_line == "EXIT 0 HEAVY", completed.stdout + completed.stderr
