"""Human-graded answers for calibration and evaluation, read from JSONL.

One schema serves the public short-answer sets (Mohler 2011, SemEval-2013) and the in-domain set of
answers to bank questions: `question_id`, `answer`, a grade (`score` of `score_max`, or a SemEval
`label`), and either `question` + `reference` (ad hoc) or a `question_id` found in the bank.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewer.bank import Bank, Question
from interviewer.errors import InputError

# Mohler's six "excluded" questions are ordering/selection tasks that published work leaves out.
EXCLUDED_SPLITS = frozenset({"excluded"})


@dataclass(frozen=True)
class LabelledAnswer:
    """One human-graded answer: the question it answers, the text, and the grade as a share in [0, 1]."""

    row_id: str
    dataset: str
    question: Question
    answer: str
    target: float  # human grade / maximum, or 1.0 for a SemEval "correct" label and 0.0 otherwise
    score: float | None
    score_max: float | None
    label: str | None  # 2-way label: "correct" or "incorrect", when the data has labels
    group: dict[str, str]  # grouping keys for cross-validation: question_id, meta.assignment …
    curated: bool
    part: str  # "tune" or "test" for the in-domain set (meta.part); "" elsewhere


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (recorded with every calibration)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_labelled(path: Path | str, *, bank: Bank | None = None) -> list[LabelledAnswer]:
    """All usable rows of a JSONL file; InputError naming the line for rows that cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; pass a JSONL file of graded answers")
    rows: list[LabelledAnswer] = []
    problems: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                row = _row(data, path, line_number, bank)
            except (ValueError, KeyError, TypeError) as error:
                problems.append(f"{path}:{line_number}: {error}")
                continue
            if row is not None:
                rows.append(row)
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InputError(f"{len(problems)} unusable rows:\n{shown}{more}")
    if not rows:
        raise InputError(f"{path}: no graded rows found")
    return rows


def _row(data: dict[str, Any], path: Path, line_number: int, bank: Bank | None) -> LabelledAnswer | None:
    meta = data.get("meta") or {}
    if data.get("split") in EXCLUDED_SPLITS:
        return None
    question_id = str(data.get("question_id", ""))
    curated = False
    if data.get("reference"):
        references = _references(data, meta)
        question = Question(
            id=question_id or f"{path.stem}-{line_number}",
            level="basic",
            years=(0.0, 0.0),
            difficulty=1.0,
            topic=str(meta.get("dataset", path.stem)),
            question=str(data.get("question", "")),
            reference=references[0],
            alternatives=tuple(references[1:]),
        )
    elif bank is not None and question_id in bank:
        question = bank.get(question_id)
        curated = bool(question.concepts)
    else:
        raise KeyError(f"no reference and question_id {question_id!r} is not in the bank")
    score = data.get("score")
    score_max = data.get("score_max")
    label = meta.get("label_2way") or _two_way(data.get("label"))
    if score is not None and score_max:
        target = float(score) / float(score_max)
    elif label is not None:
        target = 1.0 if label == "correct" else 0.0
    else:
        raise KeyError("no grade: needs score + score_max, or a label")
    group = {"question_id": question_id, "meta.assignment": str(meta.get("assignment", ""))}
    return LabelledAnswer(
        row_id=str(data.get("id", line_number)),
        dataset=str(meta.get("dataset", path.stem)),
        question=question,
        answer=str(data.get("answer", "")),
        target=min(1.0, max(0.0, target)),
        score=float(score) if score is not None else None,
        score_max=float(score_max) if score_max else None,
        label=label,
        group=group,
        curated=curated,
        part=str(meta.get("part", "")),
    )


def _references(data: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    references = [str(data["reference"])]
    # Beetle lists every acceptable answer; all but bare keyword lists are used (KEYWORD ones are not prose).
    for item in meta.get("reference_answers") or []:
        if isinstance(item, list) and len(item) == 2 and item[0] != "KEYWORD":
            text = str(item[1]).strip()
            if text and text not in references:
                references.append(text)
    return references


def _two_way(label: Any) -> str | None:
    if label is None:
        return None
    return "correct" if str(label) == "correct" else "incorrect"
