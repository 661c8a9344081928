"""Ranking tones, moods, the caller's tags and IAB categories for a text.

Every answer starts from the same text vector: the text's embedding and the mean of its
sentences' embeddings, half each (a single striking sentence counts, and so does the whole).
Labels are scored by cosine similarity to that vector:

* tones and moods: to the centroid of each label's example lines (nlp/vocabulary.py), less
  the centroid's mean similarity to every example line of every label (some centroids sit
  closer to everything; without this they win too often), plus the lexical adjustment;
* tags: to "A text about <tag>", which beat the bare tag by 10 points of top-1 accuracy;
* IAB: to each taxonomy node's path and children (nlp/iab.py).

Scores for tones, moods and tags are shares of a softmax over the candidates (they sum to 1
over every candidate, so 0.6 means a clear winner); IAB scores are cosine similarities.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from castwright.nlp.embeddings import MODEL_SHA256, SentenceEncoder
from castwright.nlp.iab import IabNode, describe, load_taxonomy
from castwright.nlp.lexical import MOOD_AFFINITY, TONE_AFFINITY, Affinity, adjustments, signals_of
from castwright.nlp.vocabulary import MOODS, TONES, Label

__all__ = ["IabMatch", "Ranked", "Recommender"]

Vector = npt.NDArray[np.float32]
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_MAX_SENTENCES = 64  # a long script is sampled evenly: enough to characterise it
_SOFTMAX_TEMPERATURE = 0.05
_TAG_TEMPLATE = "A text about {tag}"
_TAG_CACHE_LIMIT = 10_000


@dataclass(frozen=True)
class Ranked:
    label: str
    score: float


@dataclass(frozen=True)
class IabMatch:
    node: IabNode
    score: float


def _softmax(values: Vector) -> Vector:
    scaled = (values - values.max()) / _SOFTMAX_TEMPERATURE
    weights = np.exp(scaled)
    result: Vector = (weights / weights.sum()).astype(np.float32)
    return result


def _ranked(labels: list[str], scores: Vector, count: int) -> list[Ranked]:
    shares = _softmax(scores)
    order = np.argsort(-scores, kind="stable")[:count]
    return [Ranked(labels[i], round(float(shares[i]), 4)) for i in order]


@dataclass(frozen=True)
class _LabelSet:
    names: list[str]
    centroids: Vector  # [labels, 384], unit length
    offsets: Vector  # each centroid's mean similarity to every example line
    affinity: Affinity


class Recommender:
    """Thread-safe. Label and taxonomy vectors are computed once, on first use, and kept in
    ``cache_dir`` when one is given: the 704 taxonomy nodes take several seconds of CPU."""

    def __init__(self, encoder: SentenceEncoder, cache_dir: Path | None = None) -> None:
        self.encoder = encoder
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._label_sets: dict[str, _LabelSet] = {}
        self._iab: tuple[tuple[IabNode, ...], Vector] | None = None
        self._tag_vectors: dict[str, Vector] = {}

    def _encode_cached(self, texts: list[str]) -> Vector:
        """``encoder.encode(texts)``, read from the cache when these texts were seen before."""
        if self.cache_dir is None:
            return self.encoder.encode(texts)
        key = hashlib.sha256(json.dumps([MODEL_SHA256, texts]).encode()).hexdigest()[:32]
        path = self.cache_dir / f"vectors-{key}.npy"
        try:
            cached: Vector = np.load(path, allow_pickle=False)
            if cached.shape == (len(texts), self.encoder.dimensions):
                return cached
        except (OSError, ValueError):
            pass  # absent or damaged: compute it again
        vectors = self.encoder.encode(texts)
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            with partial.open("wb") as stream:
                np.save(stream, vectors, allow_pickle=False)
            partial.replace(path)  # atomic: a reader never sees half a file
        except OSError:
            pass  # a read-only data directory only costs the recomputation
        return vectors

    # -- text ------------------------------------------------------------------------------

    def text_vector(self, text: str) -> Vector:
        sentences = [s.strip() for s in _SENTENCES.split(text) if s.strip()]
        if len(sentences) > _MAX_SENTENCES:
            picks = np.linspace(0, len(sentences) - 1, _MAX_SENTENCES).round().astype(int)
            sentences = [sentences[i] for i in picks]
        vectors = self.encoder.encode([text, *sentences])
        combined = 0.5 * vectors[0] + 0.5 * vectors[1:].mean(0)
        result: Vector = (combined / np.linalg.norm(combined)).astype(np.float32)
        return result

    # -- vocabularies ----------------------------------------------------------------------

    def _label_set(self, kind: str) -> _LabelSet:
        with self._lock:
            if kind not in self._label_sets:
                labels, affinity = (
                    (TONES, TONE_AFFINITY) if kind == "tone" else (MOODS, MOOD_AFFINITY)
                )
                self._label_sets[kind] = self._build_label_set(labels, affinity)
            return self._label_sets[kind]

    def _build_label_set(self, labels: tuple[Label, ...], affinity: Affinity) -> _LabelSet:
        groups = (TONES, MOODS)
        lines = [line for group in groups for label in group for line in label.examples]
        background = self._encode_cached(lines)  # every example line of both vocabularies
        start = sum(
            len(label.examples) for group in groups[: groups.index(labels)] for label in group
        )
        centroids = []
        for label in labels:
            centroid = background[start : start + len(label.examples)].mean(0)
            centroids.append(centroid / np.linalg.norm(centroid))
            start += len(label.examples)
        matrix = np.array(centroids, dtype=np.float32)
        offsets = (background @ matrix.T).mean(0).astype(np.float32)
        return _LabelSet([label.name for label in labels], matrix, offsets, affinity)

    def _vocabulary(self, kind: str, text: str, count: int) -> list[Ranked]:
        labels = self._label_set(kind)
        scores = labels.centroids @ self.text_vector(text) - labels.offsets
        scores = scores + adjustments(signals_of(text), labels.names, labels.affinity)
        return _ranked(labels.names, scores, count)

    def tones(self, text: str, count: int) -> list[Ranked]:
        return self._vocabulary("tone", text, count)

    def moods(self, text: str, count: int) -> list[Ranked]:
        return self._vocabulary("mood", text, count)

    # -- the caller's tags -----------------------------------------------------------------

    def _tags_matrix(self, tags: list[str]) -> Vector:
        with self._lock:
            missing = [tag for tag in dict.fromkeys(tags) if tag not in self._tag_vectors]
        if missing:
            vectors = self.encoder.encode([_TAG_TEMPLATE.format(tag=tag) for tag in missing])
            with self._lock:
                if len(self._tag_vectors) + len(missing) > _TAG_CACHE_LIMIT:
                    self._tag_vectors.clear()  # callers' tag lists vary; keep memory bounded
                self._tag_vectors.update(zip(missing, vectors, strict=True))
        with self._lock:
            found = [self._tag_vectors.get(tag) for tag in tags]
        if any(vector is None for vector in found):  # cleared meanwhile by another request
            return self.encoder.encode([_TAG_TEMPLATE.format(tag=tag) for tag in tags])
        return np.array(found, dtype=np.float32)

    def tags(self, text: str, tags: list[str], count: int) -> list[Ranked]:
        scores = (self._tags_matrix(tags) @ self.text_vector(text)).astype(np.float32)
        return _ranked(tags, scores, count)

    # -- IAB -------------------------------------------------------------------------------

    def _taxonomy(self) -> tuple[tuple[IabNode, ...], Vector]:
        with self._lock:
            if self._iab is None:
                nodes = load_taxonomy()
                self._iab = (nodes, self._encode_cached(describe(nodes)))
            return self._iab

    def iab(self, text: str, count: int) -> list[IabMatch]:
        nodes, vectors = self._taxonomy()
        scores = vectors @ self.text_vector(text)
        order = np.argsort(-scores, kind="stable")[:count]
        return [IabMatch(nodes[i], round(float(scores[i]), 4)) for i in order]

    def warm_up(self) -> None:
        """Compute every label and taxonomy vector now (about two seconds on one core)."""
        self._label_set("tone")
        self._label_set("mood")
        self._taxonomy()
