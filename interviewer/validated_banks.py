"""Markers for bank contents that already passed every check, holding their parsed data for the next load.

Compiling a bank's misconception patterns and `re:` aliases just to check them, and parsing its YAML, are
most of a bank load (≈ 580 regexes and 200 KB of YAML in the packaged bank). After a bank passes every
check, a marker named by the sha256 of its bytes is written under `cache_dir()/validated-banks/`: a stamp
line of everything that decides the outcome (marker format, checks version, interviewer version and Python
minor version, whose `re` decides what compiles), then the parsed YAML data as JSON. A later load of the
same bytes takes the data from the marker and skips only the YAML parse and the regex compiles; every
other check runs on every load. A marker that is missing, unreadable, unwritable, truncated or holds
another stamp only means a full check; it is never an error.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from interviewer import __version__
from interviewer.paths import cache_dir

MARKER_DIR = "validated-banks"
MARKER_FORMAT = 2
# Bump when the bank checks change which texts are compiled as regexes, so old markers stop counting.
CHECKS_VERSION = 1
# Each edit of a bank leaves a marker for its old bytes; only the most recently written are kept.
MAX_MARKERS = 32


def stamp() -> str:
    """The first line a marker must hold to count (marker format, checks, interviewer and Python versions)."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"validated bank marker {MARKER_FORMAT}; bank checks {CHECKS_VERSION}; "
        f"interviewer {__version__}; python {python}\n"
    )


def data_if_passed(digest: str) -> Any | None:
    """The parsed data of the bank whose bytes have sha256 `digest` if it passed every check before, else None."""
    try:
        text = (cache_dir() / MARKER_DIR / digest).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, body = text.partition("\n")
    if header + "\n" != stamp():
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def remember_passed(digest: str, data: Any) -> None:
    """Record that the bank with sha256 `digest` and YAML `data` passed every check; skipped on any failure."""
    try:
        body = json.dumps(data, ensure_ascii=False)
        if json.loads(body) != data:  # not plain JSON data: a later load must parse the YAML itself
            return
        folder = cache_dir() / MARKER_DIR
        folder.mkdir(exist_ok=True)
        (folder / digest).write_text(stamp() + body, encoding="utf-8")
        markers = sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in markers[MAX_MARKERS:]:
            old.unlink()
    except (OSError, ValueError, TypeError):
        pass  # a read-only or full cache dir (or another process pruning) only costs a full check next time
