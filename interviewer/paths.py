"""Where user data, caches and default files live.

`INTERVIEWER_HOME` moves all user data and caches under one folder (tests use it); otherwise the
platform's user data and cache dirs are used (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "interviewer"
PACKAGE_DIR = Path(__file__).resolve().parent
# Bundled inside the package so a wheel install finds them; the repo's bank/ and models/ folders are the
# editable sources, kept identical by a test.
BUNDLED_BANK = PACKAGE_DIR / "data" / "deep-learning.yaml"
BUNDLED_GRADER = PACKAGE_DIR / "data" / "grader.json"


def home_override() -> Path | None:
    """The `INTERVIEWER_HOME` folder when set, else None."""
    value = os.environ.get("INTERVIEWER_HOME", "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """User data folder (history database), created on demand."""
    home = home_override()
    path = home / "data" if home else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """User cache folder (embedding cache), created on demand."""
    home = home_override()
    path = home / "cache" if home else Path(user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def history_db() -> Path:
    """The SQLite history database path."""
    return data_dir() / "history.sqlite3"


def default_bank() -> Path:
    """The Deep Learning bank shipped with the package."""
    return BUNDLED_BANK


def default_grader() -> Path:
    """The calibrated grader parameters shipped with the package."""
    return BUNDLED_GRADER
