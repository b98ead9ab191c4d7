"""Whole-process timing helpers shared by the benchmark scripts (public tools only: perf_counter, wait4).

Every comparison runs its two commands in turn (A B A B …) after one warm-up each, so drift on a shared,
noisy machine hits both sides alike; the ratio quoted is the median of the per-pair ratios.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INTERVIEWER = str(BIN / "interviewer")
PYTHON = sys.executable
DEFAULT_DATA = REPO.parent / "shared" / "data" / "asag" / "mohler.jsonl"
FIXTURE_BANK = REPO / "tests" / "fixtures" / "small-bank.yaml"


@dataclass(frozen=True)
class Run:
    """One finished process: wall seconds, CPU seconds (user + sys) and peak RSS in MiB."""

    wall: float
    cpu: float
    peak_mib: float
    returncode: int


def bench_env(home: Path | None = None) -> dict[str, str]:
    """The environment for a measured process: offline, and INTERVIEWER_HOME when given."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if home is not None:
        env["INTERVIEWER_HOME"] = str(home)
    return env


def run_process(command: Sequence[str], *, env: dict[str, str], stdin_text: str | None = None) -> Run:
    """Run `command` to the end (output discarded) and return its wall time, CPU time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env=env,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin_text is not None and process.stdin is not None:
        process.stdin.write(stdin_text.encode())
        process.stdin.close()
    # wait4 returns this child's own rusage, so peak RSS is per process (Linux: ru_maxrss in KiB).
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def paired(
    first: Callable[[], float], second: Callable[[], float], *, runs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Time two measurements alternately (after `warmup` rounds of each); returns both lists of seconds."""
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(first())
        b.append(second())
    return a, b


def ratio_line(name: str, a: list[float], b: list[float], target: float, *, unit: str = "s") -> str:
    """One result line: medians of A and B, median of the pairwise ratios A/B with its range, and the target."""
    ratios = sorted(x / y for x, y in zip(a, b, strict=True))
    median = statistics.median(ratios)
    verdict = "ok" if median <= target else "OVER TARGET"
    return (
        f"{name}: {statistics.median(a):.3f} {unit} ÷ {statistics.median(b):.3f} {unit} = "
        f"{median:.2f} (pairs {ratios[0]:.2f}–{ratios[-1]:.2f}, n={len(ratios)}) · target ≤ {target} · {verdict}"
    )


def temporary_home() -> tempfile.TemporaryDirectory[str]:
    """A fresh INTERVIEWER_HOME (history and embedding cache) for one benchmark."""
    return tempfile.TemporaryDirectory(prefix="interviewer-bench-")


def bank_args() -> list[str]:
    """`--bank PATH` when the packaged bank is not installed yet (the fixture bank stands in), else nothing."""
    from interviewer.paths import default_bank

    return [] if default_bank().is_file() else ["--bank", str(FIXTURE_BANK)]
