"""Agreement between the two blind expert gradings of the in-domain dev set (A in dl-answers.jsonl, B in
dl-answers-grader2.jsonl), per part: Pearson, Spearman, exact / within-1 / within-2 agreement, MAE on 0–10.

Usage: python benchmarks/grader_agreement.py [DATA_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from interviewer.evaluation import pearson, spearman


def main(data_dir: Path) -> None:
    first = [json.loads(line) for line in (data_dir / "dl-answers.jsonl").open(encoding="utf-8")]
    second = {
        row["id"]: row["score"] for row in map(json.loads, (data_dir / "dl-answers-grader2.jsonl").open())
    }
    print(
        f"{'part':6} {'rows':>5} {'pearson':>8} {'spearman':>9} {'exact':>6} {'±1':>5} {'±2':>5} {'MAE':>5}"
    )
    for part in ("tune", "test", "all"):
        rows = [row for row in first if part == "all" or row["meta"]["part"] == part]
        a = [float(row["score"]) for row in rows]
        b = [float(second[row["id"]]) for row in rows]
        diffs = [abs(x - y) for x, y in zip(a, b, strict=True)]
        print(
            f"{part:6} {len(rows):5d} {pearson(a, b):8.3f} {spearman(a, b):9.3f} "
            f"{sum(d == 0 for d in diffs) / len(diffs):6.2f} {sum(d <= 1 for d in diffs) / len(diffs):5.2f} "
            f"{sum(d <= 2 for d in diffs) / len(diffs):5.2f} {sum(diffs) / len(diffs):5.2f}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data")
