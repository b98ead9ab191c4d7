"""The persistent reference-embedding cache: reused across runs, rebuilt (with a warning) when damaged, keyed by
model; and grades that do not move with the cache, the batch size or the encode batching."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from interviewer.bank import Question, load_bank
from interviewer.batch import ad_hoc_question
from interviewer.embedding_cache import CachingEmbedder
from interviewer.embeddings import Encoded, length_batches, normalize_rows
from interviewer.grading.calibration import load_calibration
from interviewer.grading.grader import Grader

if TYPE_CHECKING:
    from interviewer.embeddings import Embedder

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "small-bank.yaml"


class CountingEmbedder:
    """A deterministic fake: vectors seeded by the text (and span), counting the texts it was asked to encode."""

    def __init__(self, model_id: str = "fake@000000000000") -> None:
        self._model_id = model_id
        self.texts_encoded = 0

    @property
    def model_id(self) -> str:
        return self._model_id

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[Encoded]:
        self.texts_encoded += len(texts)
        return [
            Encoded(vector=_unit(f"{self._model_id}|{text}"), spans=_units(self._model_id, text, text_spans))
            for text, text_spans in zip(texts, spans, strict=True)
        ]


def _unit(seed_text: str) -> np.ndarray:  # type: ignore[type-arg]
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "little")
    return normalize_rows(np.random.default_rng(seed).normal(size=8))


def _units(model_id: str, text: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:  # type: ignore[type-arg]
    if not spans:
        return np.zeros((0, 8), dtype=np.float32)
    return np.stack([_unit(f"{model_id}|{text[start:end]}") for start, end in spans])


def bank_grader(inner: Embedder, cache_dir: Path) -> Grader:
    return Grader(
        inner,
        load_calibration(),
        bank=load_bank(SMALL_BANK),
        reference_embedder=CachingEmbedder(inner, cache_dir),
    )


def test_a_second_run_reads_the_bank_from_the_cache(tmp_path: Path) -> None:
    first = CountingEmbedder()
    bank_grader(first, tmp_path).warm_up()
    assert first.texts_encoded > 0
    second = CountingEmbedder()
    cached = CachingEmbedder(second, tmp_path)
    grader = Grader(second, load_calibration(), bank=load_bank(SMALL_BANK), reference_embedder=cached)
    grader.warm_up()
    assert second.texts_encoded == 0
    assert cached.hits == first.texts_encoded and cached.misses == 0


def test_answers_and_ad_hoc_questions_are_never_written_to_the_cache(tmp_path: Path) -> None:
    grader = bank_grader(CountingEmbedder(), tmp_path)
    grader.warm_up()
    before = sorted(tmp_path.rglob("*.npy"))
    question = ad_hoc_question("What is a tensor?", "A tensor is a multi-dimensional array of numbers.")
    grader.grade_many(
        [(question, "A private answer."), (load_bank(SMALL_BANK).get("t-01"), "One full pass.")]
    )
    assert sorted(tmp_path.rglob("*.npy")) == before


def test_a_corrupt_entry_is_rebuilt_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts, spans = ["first text", "second text"], [[(0, 5)], []]
    clean = CachingEmbedder(CountingEmbedder(), tmp_path).encode(texts, spans)
    entries = sorted(tmp_path.rglob("*.npy"))
    entries[0].write_bytes(b"not an npy file")
    np.save(entries[1], np.full((3, 8), 7.0, dtype=np.float32))  # readable, but the wrong shape and length
    inner = CountingEmbedder()
    with caplog.at_level(logging.WARNING, logger="interviewer.embedding_cache"):
        rebuilt = CachingEmbedder(inner, tmp_path).encode(texts, spans)
    assert inner.texts_encoded == 2
    assert len(caplog.records) == 1 and "2 unreadable or stale entries" in caplog.records[0].getMessage()
    for old, new in zip(clean, rebuilt, strict=True):
        np.testing.assert_array_equal(old.vector, new.vector)
        np.testing.assert_array_equal(old.spans, new.spans)
    again = CountingEmbedder()
    CachingEmbedder(again, tmp_path).encode(texts, spans)
    assert again.texts_encoded == 0


def test_another_model_or_other_spans_do_not_reuse_an_entry(tmp_path: Path) -> None:
    CachingEmbedder(CountingEmbedder("model-a@aaaaaaaaaaaa"), tmp_path).encode(["a text"], [[(0, 1)]])
    other_model = CountingEmbedder("model-b@bbbbbbbbbbbb")
    CachingEmbedder(other_model, tmp_path / "b").encode(["a text"], [[(0, 1)]])
    assert other_model.texts_encoded == 1
    same_dir_other_model = CountingEmbedder("model-b@bbbbbbbbbbbb")
    CachingEmbedder(same_dir_other_model, tmp_path).encode(["a text"], [[(0, 1)]])
    assert same_dir_other_model.texts_encoded == 1
    other_spans = CountingEmbedder("model-a@aaaaaaaaaaaa")
    CachingEmbedder(other_spans, tmp_path).encode(["a text"], [[(0, 2)]])
    assert other_spans.texts_encoded == 1


def test_the_cache_dir_follows_interviewer_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path))
    assert CachingEmbedder(CountingEmbedder()).directory.is_relative_to(tmp_path / "cache" / "embeddings")


def test_the_in_memory_question_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interviewer.grading.grader.PREPARED_QUESTIONS_KEPT", 5)
    grader = Grader(CountingEmbedder(), load_calibration())
    for number in range(12):
        question = ad_hoc_question(f"Question {number}?", f"Reference answer number {number}.")
        grader.grade_many([(question, "An answer.")])
    assert len(grader._prepared) == 5


def test_length_batches_cover_every_text_once_in_bounded_batches() -> None:
    texts = ["x" * length for length in (5, 300, 1, 80, 2000, 40, 40, 7)] * 20
    batches = length_batches(texts)
    assert sorted(index for batch in batches for index in batch) == list(range(len(texts)))
    for batch in batches:
        assert len(batch) <= 64
        assert len(batch) == 1 or len(batch) * max(len(texts[i]) for i in batch) <= 3200


# ----- with the real model: scores do not move with the cache or the batching ------------------------------

HANDWRITTEN = [
    ("t-01", "One epoch is a single pass through every example in the training set."),
    ("t-01", "An epoch is one weight update on a mini-batch."),
    ("t-02", "Dropout switches off random neurons while training, which reduces overfitting."),
    ("t-02", "dropout neurons overfitting"),
    ("t-03", "BPTT unrolls the recurrent network over the time steps and backpropagates through them."),
    ("t-04", "I don't know."),
    ("t-04", "A loss function scores how far the predictions are from the targets."),
]


def fixed_items() -> list[tuple[Question, str]]:
    """Bank answers from the fixtures plus handwritten ones, and the fixture's ad-hoc rows."""
    bank = load_bank(SMALL_BANK)
    items = [(bank.get(question_id), answer) for question_id, answer in HANDWRITTEN]
    for line in (FIXTURES / "answers.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "question_id" in row:
            items.append((bank.get(row["question_id"]), row["answer"]))
        else:
            concepts = row.get("concepts", [])
            concepts = concepts.split(";") if isinstance(concepts, str) else concepts
            question = ad_hoc_question(
                row["question"], row["reference"], references=row.get("references", []), concepts=concepts
            )
            items.append((question, row["answer"]))
    return items


def scores(grader: Grader, items: list[tuple[Question, str]], batch_size: int) -> list[float]:
    result: list[float] = []
    for first in range(0, len(items), batch_size):
        result += [grade.score for grade in grader.grade_many(items[first : first + batch_size])]
    return result


@pytest.mark.slow
def test_scores_do_not_move_with_the_cache_or_the_batch_size(tmp_path: Path, grader: Grader) -> None:
    items = fixed_items()
    bank = load_bank(SMALL_BANK)
    plain = Grader(grader.embedder, grader.calibration, bank=bank)
    expected = scores(plain, items, 64)

    def cached_grader() -> Grader:
        return Grader(
            grader.embedder,
            grader.calibration,
            bank=bank,
            reference_embedder=CachingEmbedder(grader.embedder, tmp_path),
        )

    cold = cached_grader()
    runs = {"cold, 64": scores(cold, items, 64)}
    warm = cached_grader()
    runs["warm, 1"] = scores(warm, items, 1)
    runs["warm, 64"] = scores(cached_grader(), items, 64)
    reference_embedder = warm.reference_embedder
    assert isinstance(reference_embedder, CachingEmbedder) and reference_embedder.misses == 0
    for entry in tmp_path.rglob("*.npy"):
        entry.write_bytes(b"\x93NUMPY garbage")
    runs["corrupt cache, 64"] = scores(cached_grader(), items, 64)
    # Equal to one decimal; batch shapes change float rounding, so the last digit may tip by 0.1 at most.
    for name, got in runs.items():
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 0.1 + 1e-9, name
