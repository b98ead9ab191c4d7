"""Run every performance benchmark in turn (`make bench`); each prints its ratio next to its target.

Usage: python benchmarks/run_all.py [--data MOHLER.jsonl] [--quick]
  --quick  fewer runs, and 10,000 instead of 100,000 rows for the memory ratio (not the recorded figure)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "asag" / "mohler.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    data = str(options.data)
    runs = {"startup": "7", "session": "7", "batch": "2"} if options.quick else {}
    scripts = [
        ["bench_startup.py", "--runs", runs.get("startup", "15")],
        ["bench_session.py", "--runs", runs.get("session", "11")],
        ["bench_feedback.py", data],
        ["bench_batch.py", data, "--runs", runs.get("batch", "3")],
        ["bench_memory.py", data, *(["--rows", "10000"] if options.quick else [])],
    ]
    failed = 0
    for script, *arguments in scripts:
        done = subprocess.run([sys.executable, str(HERE / script), *arguments], check=False)
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
