"""Markers for bank files that already passed every check, holding their parsed data for the next load.

Compiling a bank's misconception patterns and `re:` aliases just to check them, and parsing its YAML, are
most of a bank load (≈ 580 regexes and 200 KB of YAML in the packaged bank). After a bank passes every
check, a marker for its path is written under `cache_dir()/validated-banks/`: a stamp line of everything
that decides the outcome (marker format, checks version, interviewer version and Python minor version,
whose `re` decides what compiles), the length of the bank's bytes, the bytes themselves, then the parsed
YAML data as JSON. A later load whose bytes are identical takes the data from the marker and skips only
the YAML parse and the regex compiles; every other check runs on every load. Comparing the bytes instead
of a digest keeps hashlib (OpenSSL, ≈ 3 ms to import) off the start-up path. A marker that is missing,
unreadable, unwritable, truncated, for other bytes or with another stamp only means a full check; it is
never an error.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any

from interviewer import __version__
from interviewer.paths import cache_dir

MARKER_DIR = "validated-banks"
MARKER_FORMAT = 3
# Bump when the bank checks change which texts are compiled as regexes, so old markers stop counting.
CHECKS_VERSION = 1
# Every bank file loaded (tests use many temporary ones) leaves a marker; only the newest are kept.
MAX_MARKERS = 32


def stamp() -> str:
    """The first line a marker must hold to count (marker format, checks, interviewer and Python versions)."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"validated bank marker {MARKER_FORMAT}; bank checks {CHECKS_VERSION}; "
        f"interviewer {__version__}; python {python}\n"
    )


def marker_path(resolved: str) -> Path:
    """The marker file for the bank at absolute path `resolved`: its stem and a checksum of the path."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", Path(resolved).stem)[:40]
    # A checksum collision only means a marker holding other bytes, i.e. a full check.
    checksum = zlib.crc32(resolved.encode("utf-8", "surrogateescape"))
    return cache_dir() / MARKER_DIR / f"{name}-{checksum:08x}"


def _header(raw: bytes) -> bytes:
    return f"{stamp()}{len(raw)}\n".encode()


def data_if_passed(resolved: str, raw: bytes) -> Any | None:
    """The parsed data of bank bytes `raw` at `resolved` if exactly these bytes passed every check, else None."""
    try:
        blob = marker_path(resolved).read_bytes()
    except OSError:
        return None
    header = _header(raw)
    end = len(header) + len(raw)
    if not blob.startswith(header) or blob[len(header) : end] != raw:
        return None
    try:
        data = json.loads(blob[end:])
    except ValueError:  # also UnicodeDecodeError
        return None
    return data if isinstance(data, dict) else None


def remember_passed(resolved: str, raw: bytes, data: Any) -> None:
    """Record that bank bytes `raw` at `resolved`, with YAML `data`, passed every check; skipped on failure."""
    try:
        body = json.dumps(data, ensure_ascii=False)
        if json.loads(body) != data:  # not plain JSON data: a later load must parse the YAML itself
            return
        marker = marker_path(resolved)
        marker.parent.mkdir(exist_ok=True)
        marker.write_bytes(_header(raw) + raw + body.encode())
        markers = sorted(marker.parent.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in markers[MAX_MARKERS:]:
            old.unlink()
    except (OSError, ValueError, TypeError):
        pass  # a read-only or full cache dir (or another process pruning) only costs a full check next time
