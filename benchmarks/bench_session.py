"""Session: time until "Question 1/" is on stdout for `interviewer start --years 1-3 --seed 1` (stdin piped)
÷ the whole `interviewer --help` process (target ≤ 1.5). Interleaved, medians.

Usage: python benchmarks/bench_session.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from measure import INTERVIEWER, bank_args, bench_env, paired, ratio_line, run_process, temporary_home

TARGET = 1.5
MARKER = b"Question 1/"
TIMEOUT_SECONDS = 60


def first_question_seconds(env: dict[str, str]) -> float:
    """Seconds from launching `interviewer start` until its stdout shows the first question."""
    command = [INTERVIEWER, "start", "--years", "1-3", "--seed", "1", *bank_args()]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    seen = b""
    try:
        while MARKER not in seen:
            chunk = process.stdout.read1(4096)
            if not chunk:
                raise SystemExit(
                    f"session: `interviewer start` ended before the first question: {seen[-300:]!r}"
                )
            seen += chunk
            if time.perf_counter() - started > TIMEOUT_SECONDS:
                raise SystemExit("session: no first question within a minute")
        return time.perf_counter() - started
    finally:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    with temporary_home() as home:
        env = bench_env(Path(home))
        a, b = paired(
            lambda: first_question_seconds(env),
            lambda: run_process([INTERVIEWER, "--help"], env=env).wall,
            runs=options.runs,
            warmup=2,
        )
    print(ratio_line("session: first question on screen ÷ interviewer --help", a, b, TARGET))


if __name__ == "__main__":
    main()
