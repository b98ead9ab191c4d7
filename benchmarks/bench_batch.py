"""Batch throughput: `interviewer grade` on N ad-hoc rows of Mohler ÷ a plain script that loads the same model and
encodes the same answers and their references once (target ≤ 1.5, aim 1.1). Whole processes, interleaved.

The grade runs share one INTERVIEWER_HOME, so after the warm-up they read the embedding cache, as a user's second
run does; the first (cold) run is reported on its own line.

Usage: python benchmarks/bench_batch.py [DATA.jsonl] [--rows 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from measure import (
    DEFAULT_DATA,
    INTERVIEWER,
    PYTHON,
    bench_env,
    paired,
    ratio_line,
    run_process,
    temporary_home,
)

TARGET = 1.5


def write_ad_hoc_rows(source: Path, target: Path, count: int) -> int:
    """The first `count` rows of an ASAG file as ad-hoc grade rows (id, question, reference, answer); rows written."""
    written = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if written == count:
                break
            row = json.loads(line)
            fields = {key: row[key] for key in ("id", "question", "reference", "answer")}
            out.write(json.dumps(fields, ensure_ascii=False) + "\n")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if not options.data.is_file():
        print(f"batch: skipped — {options.data} not found (pass the Mohler JSONL path)")
        return
    with tempfile.TemporaryDirectory(prefix="interviewer-bench-") as scratch, temporary_home() as home:
        rows = Path(scratch) / "rows.jsonl"
        count = write_ad_hoc_rows(options.data, rows, options.rows)
        env = bench_env(Path(home))
        grade = [INTERVIEWER, "grade", str(rows), "-o", str(Path(scratch) / "graded.jsonl")]
        plain = [PYTHON, str(Path(__file__).parent / "plain_encode.py"), str(rows)]
        cold = run_process(grade, env=env)
        if cold.returncode != 0:
            sys.exit(f"batch: `interviewer grade` failed with exit code {cold.returncode}")
        print(f"batch: cold cache run of {count} rows: {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU")
        a, b = paired(
            lambda: run_process(grade, env=env).wall,
            lambda: run_process(plain, env=env).wall,
            runs=options.runs,
            warmup=0,
        )
        print(ratio_line(f"batch: interviewer grade {count} rows ÷ plain encode", a, b, TARGET))


if __name__ == "__main__":
    main()
