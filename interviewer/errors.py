"""One exception hierarchy; the CLI catches `InterviewerError` once and exits with its code.

Exit codes: 0 ok · 1 partial failure (some rows or items failed, the rest done) · 2 bad invocation or
unreadable input · 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class InterviewerError(Exception):
    """A problem the user can fix; its message says what is wrong and how to fix it."""

    exit_code = EXIT_USAGE


class BankError(InterviewerError):
    """A question bank that cannot be read or does not validate."""


class InputError(InterviewerError):
    """Unreadable or malformed input (answers file, arguments)."""


class ModelError(InterviewerError):
    """The embedding model or the calibrated grader cannot be loaded."""


class HistoryError(InterviewerError):
    """The session history database cannot be opened or written."""


class PartialFailure(InterviewerError):
    """Work finished, but some items failed; they were reported individually."""

    exit_code = EXIT_PARTIAL
