"""Precision of the bank's misconception patterns on the in-domain dev set.

For every misconception with patterns: how many dev answers it flags, how many of those really contain a
wrong claim (true hits: expert grade ≤ 5 or an answer written as a misconception or a mixed answer) and how
many are correct answers (false hits: expert grade ≥ 7). A pattern with a false hit punishes an honest
candidate and must be fixed or removed.

Usage: python benchmarks/misconception_precision.py [DEV_SET] [--bank BANK] [--part tune|test|all]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from interviewer.bank import load_bank
from interviewer.grading.analysis import analyze
from interviewer.grading.wrong_claims import find_wrong_claims

WRONG_KINDS = {"misconception", "mixed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(Path(__file__).parent / "data" / "dl-answers.jsonl"))
    parser.add_argument("--bank", default=None)
    parser.add_argument("--part", default="all", choices=("tune", "test", "all"))
    args = parser.parse_args()
    bank = load_bank(args.bank)
    rows = [
        json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    rows = [row for row in rows if args.part == "all" or row["meta"].get("part") == args.part]
    hits: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in rows:
        question = bank.get(row["question_id"])
        for claim in find_wrong_claims(question.misconceptions, analyze(row["answer"])):
            hits.setdefault((question.id, claim.misconception.statement), []).append(row)
    total = true_total = false_total = 0
    print(f"{'question':8} {'hits':>4} {'true':>4} {'false':>5}  misconception")
    for (qid, statement), flagged in sorted(hits.items()):
        true = sum(1 for r in flagged if r["score"] <= 5 or r["meta"].get("kind") in WRONG_KINDS)
        false = sum(1 for r in flagged if r["score"] >= 7)
        total, true_total, false_total = total + len(flagged), true_total + true, false_total + false
        print(f"{qid:8} {len(flagged):4d} {true:4d} {false:5d}  {statement[:70]}")
        for r in flagged:
            if r["score"] >= 7:
                print(f"{'':20} false hit {r['id']} (expert {r['score']}): {r['answer'][:90]}")
    patterned = sum(1 for q in bank.questions for m in q.misconceptions if m.patterns)
    wrong_answers = sum(1 for r in rows if r["score"] <= 5 and r["meta"].get("kind") in WRONG_KINDS)
    print(
        f"\n{patterned} misconceptions with patterns · {total} hits · {true_total} true · {false_total} false "
        f"· precision {true_total / total if total else 0:.2f} · {len(rows)} answers, {wrong_answers} written as wrong"
    )


if __name__ == "__main__":
    main()
