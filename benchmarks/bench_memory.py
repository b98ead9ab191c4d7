"""Memory: peak RSS of `interviewer grade` on 100,000 ad-hoc rows ÷ on 1,000 rows (target ≤ 1.2).

Rows cycle through the Mohler answers (each with its question and reference), ids made unique. The large run
takes about 10–15 minutes on 2 cores; `--rows` makes it smaller for a quick look (the recorded figure is 100k).

Usage: python benchmarks/bench_memory.py [DATA.jsonl] [--rows 100000] [--small 1000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from pathlib import Path

from measure import DEFAULT_DATA, INTERVIEWER, bench_env, run_process, temporary_home

TARGET = 1.2


def write_cycled_rows(source: Path, target: Path, count: int) -> None:
    """`count` ad-hoc rows cycling through the answers of an ASAG file, each with a unique id."""
    with source.open(encoding="utf-8") as lines:
        base = [json.loads(line) for line in lines]
    with target.open("w", encoding="utf-8") as out:
        for number, row in zip(range(count), itertools.cycle(base), strict=False):
            fields = {"id": f"r{number}", **{key: row[key] for key in ("question", "reference", "answer")}}
            out.write(json.dumps(fields, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    options = parser.parse_args()
    if not options.data.is_file():
        print(f"memory: skipped — {options.data} not found (pass the Mohler JSONL path)")
        return
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="interviewer-bench-") as scratch, temporary_home() as home:
        env = bench_env(Path(home))
        for count in (options.small, options.rows):
            rows = Path(scratch) / f"rows-{count}.jsonl"
            write_cycled_rows(options.data, rows, count)
            run = run_process(
                [INTERVIEWER, "grade", str(rows), "-o", str(Path(scratch) / "out.jsonl")], env=env
            )
            if run.returncode != 0:
                raise SystemExit(f"memory: `interviewer grade` on {count} rows exited with {run.returncode}")
            peaks[count] = run.peak_mib
            print(f"memory: {count:,} rows: peak RSS {run.peak_mib:.0f} MiB, {run.wall:.0f} s wall")
    ratio = peaks[options.rows] / peaks[options.small]
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(
        f"memory: peak RSS {options.rows:,} rows ÷ {options.small:,} rows: {peaks[options.rows]:.0f} MiB ÷ "
        f"{peaks[options.small]:.0f} MiB = {ratio:.2f} · target ≤ {TARGET} · {verdict}"
    )


if __name__ == "__main__":
    main()
