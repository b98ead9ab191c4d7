"""A persistent cache of reference-side embeddings (bank references, questions, concept phrases) on disk.

One `.npy` file per (model, text, spans) under `paths.cache_dir()/embeddings/`: row 0 is the text's vector,
then one row per requested span. The file name is a sha256 of the cache format, the model id (which names the
weights' hash), the text and the spans, so another model or span layout never reads it. Writes go to a temp
file renamed into place, so readers never see half a file. An entry that cannot be read or fails the shape
and unit-length checks is re-encoded and rewritten after one warning. Answers never come here (privacy, size).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from interviewer import paths
from interviewer.embeddings import Embedder, Encoded

# Bump when pooling, truncation or the file layout changes: old entries are then simply never looked up.
FORMAT_VERSION = 1
NORM_TOLERANCE = 1e-3

logger = logging.getLogger(__name__)


class CachingEmbedder:
    """An `Embedder` that serves texts it has encoded before (in any earlier run) from the cache dir."""

    def __init__(self, embedder: Embedder, directory: Path | None = None) -> None:
        self.embedder = embedder
        self._directory = directory
        self._warned = False
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def directory(self) -> Path:
        """This model's cache folder (created on first use); INTERVIEWER_HOME moves it."""
        if self._directory is None:
            model = hashlib.sha256(self.model_id.encode()).hexdigest()[:16]
            self._directory = paths.cache_dir() / "embeddings" / model
        return self._directory

    def entry_path(self, text: str, spans: Sequence[tuple[int, int]]) -> Path:
        """Where the entry for `text` with `spans` lives (whether or not it exists yet)."""
        key = json.dumps([FORMAT_VERSION, self.model_id, text, [list(span) for span in spans]])
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()}.npy"

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[Encoded]:
        """Like `Embedder.encode`; cached entries are read, the rest encoded in one call and written."""
        if len(texts) != len(spans):
            raise ValueError("texts and spans differ in length")
        results: list[Encoded | None] = []
        broken: list[Path] = []
        for text, text_spans in zip(texts, spans, strict=True):
            path = self.entry_path(text, text_spans)
            entry = _read_entry(path, len(text_spans))
            if entry is None and path.exists():
                broken.append(path)
            results.append(entry)
        missing = [index for index, entry in enumerate(results) if entry is None]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if broken and not self._warned:
            self._warned = True
            logger.warning(
                "embedding cache: %d unreadable or stale entries in %s; re-encoding them",
                len(broken),
                self.directory,
            )
        if missing:
            encoded = self.embedder.encode([texts[i] for i in missing], [spans[i] for i in missing])
            for index, item in zip(missing, encoded, strict=True):
                results[index] = item
                _write_entry(self.entry_path(texts[index], spans[index]), item)
        return [item for item in results if item is not None]


def _read_entry(path: Path, span_count: int) -> Encoded | None:
    """The entry at `path` when it exists and passes the checks, else None."""
    try:
        rows = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):  # missing, unreadable or not an .npy file
        return None
    if not _plausible(rows, span_count):
        return None
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    return Encoded(vector=rows[0], spans=rows[1:])


def _plausible(rows: np.ndarray[Any, Any], span_count: int) -> bool:
    """True for a float32 (1 + spans, dim) array whose rows are unit length (span rows may be zero)."""
    if rows.dtype != np.float32 or rows.ndim != 2 or rows.shape[0] != 1 + span_count or rows.shape[1] == 0:
        return False
    if not np.isfinite(rows).all():
        return False
    norms = np.linalg.norm(rows, axis=1)
    unit = np.abs(norms - 1.0) <= NORM_TOLERANCE
    return bool(unit[0]) and bool((unit[1:] | (norms[1:] == 0.0)).all())


def _write_entry(path: Path, encoded: Encoded) -> None:
    """Write atomically (temp file, then rename); a cache that cannot be written only costs re-encoding."""
    rows = np.vstack([encoded.vector[None, :], encoded.spans]).astype(np.float32)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.save(stream, rows, allow_pickle=False)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
