"""Shared fixtures: the real packaged grader, loaded once per test run."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from interviewer.grading.grader import Grader

# Tests must never reach the network, whatever the developer's shell says.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def grader() -> Grader:
    """The packaged all-MiniLM-L6-v2 with the shipped calibration, warmed up (mark users `slow`)."""
    from interviewer.grading import load_grader

    loaded = load_grader()
    loaded.warm_up()
    return loaded
