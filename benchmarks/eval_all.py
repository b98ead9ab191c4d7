"""Every agreement figure the grader is judged by, as one Markdown table (pasted into models/README.md).

Runs `interviewer eval` on the public human-graded sets (out-of-fold, refitting the combiner per fold, with
the published protocols) and on the in-domain dev set (the shipped grader as is), plus the adversarial pass
rate of tests/test_grading_quality.py.

Usage: python benchmarks/eval_all.py [ASAG_DIR]   (default ../shared/data/asag)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_eval(*args: str) -> dict[str, object]:
    """`interviewer eval … --format json` as a dict."""
    command = [sys.executable, "-m", "interviewer", "eval", *args, "--format", "json"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return dict(json.loads(output))


def main(asag: Path) -> None:
    print("| data | protocol | rows | Pearson | Spearman | RMSE | weighted F1 | macro F1 |")
    print("|---|---|---|---|---|---|---|---|")
    runs = [
        ("mohler.jsonl", ["--group", "meta.assignment"], "12 folds by assignment"),
        ("mohler.jsonl", ["--group", "question_id", "--folds", "5"], "5 folds by question"),
        ("semeval2013-beetle-train.jsonl", ["--group", "question_id", "--folds", "5"], "5 folds by question"),
        (
            "semeval2013-scientsbank-train.jsonl",
            ["--group", "question_id", "--folds", "5"],
            "5 folds by question",
        ),
    ]
    for name, options, protocol in runs:
        path = asag / name
        if not path.is_file():
            print(f"| {name} | missing: {path} | | | | | | |")
            continue
        r = run_eval(str(path), *options)
        cells = [
            f"{r[key]:.3f}" if key in r else "–"
            for key in ("pearson", "spearman", "rmse", "weighted_f1", "macro_f1")
        ]
        print(f"| {name} | {protocol} | {r['rows']} | " + " | ".join(cells) + " |")
    for dev_set in (
        "dl-answers.jsonl",
        "dl-holdout.jsonl",
        "dl-fresh.jsonl",
        "dl-candidates.jsonl",
        "dl-mixed.jsonl",
    ):
        bank = run_eval(f"benchmarks/data/{dev_set}")["bank"]
        assert isinstance(bank, dict)
        print(
            f"\n| {dev_set} part | rows | Pearson | Spearman | MAE (0–100) | expert 8–10 scored ≥ 70 | expert 0–3 scored < 40 | per-question Spearman |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for part, f in [*bank["parts"].items(), ("all", bank["all"])]:
            print(
                f"| {part} | {f['rows']} | {f['pearson']:.3f} | {f['spearman']:.3f} | {f['mae_100']:.1f} | "
                f"{f['high_scored_70_plus']:.0%} of {f['expert_high']} | {f['low_scored_below_40']:.0%} of {f['expert_low']} | "
                f"{f['per_question_spearman_mean']:.3f} |"
            )
    quality = (
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_grading_quality.py"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        .stdout.strip()
        .splitlines()
    )
    print(f"\nadversarial checks (tests/test_grading_quality.py): {quality[-1] if quality else 'not run'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "asag")
