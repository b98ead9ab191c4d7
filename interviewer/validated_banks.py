"""Markers for bank contents that already passed every check, so a later load can skip compiling regexes.

Compiling a bank's misconception patterns and `re:` aliases just to check them is most of a bank load
(≈ 580 regexes in the packaged bank). After a bank passes every check, a marker named by the sha256 of its
bytes is written under `cache_dir()/validated-banks/`, holding a stamp of everything that decides whether a
regex compiles: the checks' version, the interviewer version and the Python minor version (its `re`).
A marker that is missing, unreadable, unwritable or holds another stamp only means a full check; it is
never an error. All other checks run on every load.
"""

from __future__ import annotations

import sys

from interviewer import __version__
from interviewer.paths import cache_dir

MARKER_DIR = "validated-banks"
# Bump when the bank checks change which texts are compiled as regexes, so old markers stop counting.
CHECKS_VERSION = 1


def stamp() -> str:
    """The text a marker must hold to count: checks version, interviewer version, Python minor version."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"bank checks {CHECKS_VERSION}; interviewer {__version__}; python {python}\n"


def passed_before(digest: str) -> bool:
    """True when the bank whose bytes have sha256 `digest` passed every check under the current stamp."""
    try:
        return (cache_dir() / MARKER_DIR / digest).read_text(encoding="utf-8") == stamp()
    except (OSError, UnicodeDecodeError):
        return False


def remember_passed(digest: str) -> None:
    """Record that the bank whose bytes have sha256 `digest` passed every check; silently skipped on failure."""
    try:
        folder = cache_dir() / MARKER_DIR
        folder.mkdir(exist_ok=True)
        (folder / digest).write_text(stamp(), encoding="utf-8")
    except OSError:
        pass  # a read-only or full cache dir only costs the full check next time
