"""The floor for batch grading: load the packaged model with sentence-transformers and encode the answers of a
rows file and each distinct reference once, nothing else.

Usage: python benchmarks/plain_encode.py ROWS.jsonl
"""

from __future__ import annotations

import json
import os
import sys


def main(rows_path: str) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from interviewer.embeddings import packaged_model_dir

    with open(rows_path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    model = SentenceTransformer(str(packaged_model_dir()), device="cpu", local_files_only=True)
    references = list(dict.fromkeys(row["reference"] for row in rows))
    model.encode([row["answer"] for row in rows])
    model.encode(references)


if __name__ == "__main__":
    main(sys.argv[1])
