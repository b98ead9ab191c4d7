"""Feedback latency: grading one answer in a warm process ÷ one `encode([answer])` call of the same model
(target ≤ 2). In-process, interleaved per answer, medians over the answers.

Usage: python benchmarks/bench_feedback.py [DATA.jsonl] [--answers 60]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from measure import DEFAULT_DATA, FIXTURE_BANK, bench_env, ratio_line

TARGET = 2.0
FALLBACK_ANSWERS = [
    "An epoch is one full pass over the whole training set; training usually takes many of them.",
    "Dropout switches off random neurons during training so the network does not overfit.",
    "I think it is when the model sees one batch and updates the weights once.",
]


def load_answers(data: Path, count: int) -> list[str]:
    """Up to `count` answers from an ASAG JSONL file (or a few handwritten ones when it is absent)."""
    if not data.is_file():
        return FALLBACK_ANSWERS * (count // len(FALLBACK_ANSWERS) + 1)
    with data.open(encoding="utf-8") as lines:
        return [json.loads(line)["answer"] for _, line in zip(range(count), lines, strict=False)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--answers", type=int, default=60)
    options = parser.parse_args()
    os.environ.update(bench_env())
    from interviewer.bank import load_bank
    from interviewer.grading import load_grader

    bank = load_bank(FIXTURE_BANK)
    grader = load_grader(bank=bank)
    grader.warm_up()
    model = grader.embedder._model  # type: ignore[attr-defined]  # the loaded SentenceTransformer
    question = bank.questions[0]
    answers = load_answers(options.data, options.answers)
    grader.grade(question, answers[0])  # first-call costs (allocator, caches) on both sides
    model.encode([answers[0]])
    graded: list[float] = []
    encoded: list[float] = []
    for answer in answers:
        started = time.perf_counter()
        grader.grade(question, answer)
        graded.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        model.encode([answer])
        encoded.append(1000 * (time.perf_counter() - started))
    print(ratio_line("feedback: grade one answer ÷ encode([answer])", graded, encoded, TARGET, unit="ms"))


if __name__ == "__main__":
    main()
