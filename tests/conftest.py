"""Shared fixtures: the real packaged grader, loaded once per test run."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from interviewer.grading.grader import Grader

# Tests must never reach the network, whatever the developer's shell says.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
# ... nor write to the developer's own history, embedding cache or validated-bank markers.
_TEST_HOME = tempfile.mkdtemp(prefix="interviewer-tests-")
os.environ["INTERVIEWER_HOME"] = _TEST_HOME
atexit.register(shutil.rmtree, _TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def grader() -> Grader:
    """The packaged all-MiniLM-L6-v2 with the shipped calibration, warmed up (mark users `slow`)."""
    from interviewer.grading import load_grader

    loaded = load_grader()
    loaded.warm_up()
    return loaded
