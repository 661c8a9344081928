"""Tiny neural voices with Piper's and Kokoro's model signatures, and a catalogue server.

The models are real ONNX graphs, built with onnx's helper API, that onnxruntime runs: they
take exactly the inputs the real models take and return audio whose length follows the input
and the rate parameter (a tone, not speech), so the engines' whole path (phonemes, ids,
inputs, outputs) is exercised. ``CatalogueServer`` serves them laid out like the real
catalogues (rhasspy/piper-voices; a Hugging Face model repository with its tree API), with
HTTP Range support, a request log, and a switch that cuts the next download short.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
import onnx
from onnx import TensorProto, helper

__all__ = [
    "KOKORO_REPO",
    "PIPER_SAMPLE_RATE",
    "SECONDS_PER_ID",
    "CatalogueServer",
    "kokoro_model",
    "kokoro_style",
    "piper_config",
    "piper_model",
    "write_kokoro_voice",
    "write_piper_voice",
]

PIPER_SAMPLE_RATE = 22050
KOKORO_SAMPLE_RATE = 24000
SECONDS_PER_ID = 0.04  # each phoneme id becomes 40 ms of audio at rate 1.0
KOKORO_REPO = "onnx-community/Kokoro-82M-v1.0-ONNX"
# Enough of espeak-ng's IPA for English, plus punctuation (Piper's real maps are similar).
_SYMBOLS = (
    " !'(),-.:;?abcdefhijklmnopqrstuvwxyzæçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹ"  # noqa: RUF001
    "ɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ\u0303\u0329"
)


def _opset() -> list[onnx.OperatorSetIdProto]:
    return [helper.make_opsetid("", 17)]


def _finish(graph: onnx.GraphProto) -> bytes:
    model = helper.make_model(graph, opset_imports=_opset(), producer_name="castwright-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def _const(name: str, value: float | int, dtype: int = TensorProto.FLOAT) -> onnx.NodeProto:
    return helper.make_node(
        "Constant", [], [name], value=helper.make_tensor(name + "_t", dtype, [], [value])
    )


def _tone(frames: str, frequency: str, rate: int, out: str) -> list[onnx.NodeProto]:
    """Nodes computing ``0.3 * sin(2 pi f t / rate)`` for t in range(frames) into ``out``."""
    return [
        _const("zero_i", 0, TensorProto.INT64),
        _const("one_i", 1, TensorProto.INT64),
        helper.make_node("Range", ["zero_i", frames, "one_i"], ["t_i"]),
        helper.make_node("Cast", ["t_i"], ["t_f"], to=TensorProto.FLOAT),
        _const("omega", 2.0 * np.pi / rate),
        helper.make_node("Mul", ["t_f", "omega"], ["t_w"]),
        helper.make_node("Mul", ["t_w", frequency], ["phase"]),
        helper.make_node("Sin", ["phase"], ["wave"]),
        _const("amplitude", 0.3),
        helper.make_node("Mul", ["wave", "amplitude"], [out]),
    ]


def piper_model(speakers: int = 1) -> bytes:
    """input [1, N] int64, input_lengths [1] int64, scales [3] float32 (and sid [1] int64 for
    several speakers) -> output [1, 1, T]: T = N x 40 ms x length_scale, a tone whose pitch
    follows the mean id (plus 40 Hz per speaker id)."""
    hop = SECONDS_PER_ID * PIPER_SAMPLE_RATE
    pitch = "id_frequency" if speakers > 1 else "frequency"
    nodes = [
        helper.make_node("Shape", ["input"], ["shape"]),
        _const("axis1", 1, TensorProto.INT64),
        helper.make_node("Gather", ["shape", "axis1"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "axis1"], ["length_scale"], axis=0),
        _const("hop", hop),
        helper.make_node("Mul", ["n_f", "hop"], ["frames_1"]),
        helper.make_node("Mul", ["frames_1", "length_scale"], ["frames_f"]),
        helper.make_node("Floor", ["frames_f"], ["frames_floor"]),
        helper.make_node("Cast", ["frames_floor"], ["frames"], to=TensorProto.INT64),
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceMean", ["ids_f"], ["mean_id"], keepdims=0),
        _const("base_hz", 150.0),
        helper.make_node("Add", ["mean_id", "base_hz"], [pitch]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if speakers > 1:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
        nodes += [
            helper.make_node("Cast", ["sid"], ["sid_f"], to=TensorProto.FLOAT),
            helper.make_node("ReduceMean", ["sid_f"], ["sid_s"], keepdims=0),
            _const("hz_per_speaker", 40.0),
            helper.make_node("Mul", ["sid_s", "hz_per_speaker"], ["speaker_hz"]),
            helper.make_node("Add", [pitch, "speaker_hz"], ["frequency"]),
        ]
    nodes += [
        *_tone("frames", "frequency", PIPER_SAMPLE_RATE, "audio"),
        helper.make_node(
            "Constant", [], ["out_shape"],
            value=helper.make_tensor("out_shape_t", TensorProto.INT64, [3], [1, 1, -1]),
        ),
        helper.make_node("Reshape", ["audio", "out_shape"], ["output"]),
    ]  # fmt: skip
    graph = helper.make_graph(
        nodes,
        "tiny-piper",
        inputs,
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
    )
    return _finish(graph)


def piper_config(
    key: str, dataset: str, language: str = "en_US", speakers: tuple[str, ...] = ()
) -> dict[str, Any]:
    family, _, region = language.partition("_")
    id_map = {"_": [0], "^": [1], "$": [2]}
    for index, symbol in enumerate(_SYMBOLS, start=3):
        id_map[symbol] = [index]
    return {
        "audio": {"sample_rate": PIPER_SAMPLE_RATE, "quality": key.rsplit("-", 1)[-1]},
        "espeak": {"voice": f"{family}-{region.lower()}" if region else family},
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": id_map,
        "num_symbols": len(id_map),
        "num_speakers": max(1, len(speakers)),
        "speaker_id_map": {name: index for index, name in enumerate(speakers)},
        "piper_version": "1.0.0",
        "language": {
            "code": language,
            "family": family,
            "region": region,
            "name_native": "English",
            "name_english": "English",
            "country_english": "United States",
        },
        "dataset": dataset,
    }


def write_piper_voice(
    folder: Path, key: str, dataset: str, language: str = "en_US", speakers: tuple[str, ...] = ()
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{key}.onnx"
    model.write_bytes(piper_model(max(1, len(speakers))))
    config = piper_config(key, dataset, language, speakers)
    (folder / f"{key}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def kokoro_model(input_name: str = "input_ids") -> bytes:
    """input_ids [1, N] int64, style [1, 256] float32, speed [1] float32 -> waveform [T]:
    T = N x 40 ms / speed, a tone whose pitch follows the style's mean."""
    hop = SECONDS_PER_ID * KOKORO_SAMPLE_RATE
    nodes = [
        helper.make_node("Shape", [input_name], ["shape"]),
        _const("axis1", 1, TensorProto.INT64),
        helper.make_node("Gather", ["shape", "axis1"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        _const("hop", hop),
        helper.make_node("Mul", ["n_f", "hop"], ["frames_1"]),
        _const("axis0", 0, TensorProto.INT64),
        helper.make_node("Gather", ["speed", "axis0"], ["speed_s"], axis=0),
        helper.make_node("Div", ["frames_1", "speed_s"], ["frames_f"]),
        helper.make_node("Floor", ["frames_f"], ["frames_floor"]),
        helper.make_node("Cast", ["frames_floor"], ["frames"], to=TensorProto.INT64),
        helper.make_node("ReduceMean", ["style"], ["style_mean"], keepdims=0),
        _const("style_hz", 400.0),
        helper.make_node("Mul", ["style_mean", "style_hz"], ["style_offset"]),
        _const("base_hz", 160.0),
        helper.make_node("Add", ["style_offset", "base_hz"], ["frequency"]),
        *_tone("frames", "frequency", KOKORO_SAMPLE_RATE, "waveform"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-kokoro",
        [
            helper.make_tensor_value_info(input_name, TensorProto.INT64, [1, "tokens"]),
            helper.make_tensor_value_info("style", TensorProto.FLOAT, [1, 256]),
            helper.make_tensor_value_info("speed", TensorProto.FLOAT, [1]),
        ],
        [helper.make_tensor_value_info("waveform", TensorProto.FLOAT, ["time"])],
    )
    return _finish(graph)


def kokoro_tokenizer() -> dict[str, Any]:
    vocab = {"$": 0, ";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, " ": 16}
    for index, symbol in enumerate(_SYMBOLS.replace(" ", ""), start=20):
        vocab.setdefault(symbol, index)
    return {"model": {"type": "WordLevel", "vocab": vocab}}


def kokoro_style(level: float) -> bytes:
    """A 510 x 256 float32 style table; ``level`` sets the tiny model's pitch."""
    return np.full((510, 256), level, dtype="<f4").tobytes()


def write_kokoro_voice(root: Path, names: dict[str, float]) -> None:
    """A kokoro/ folder as `voices install` leaves it: model, vocabulary, styles."""
    folder = root / "kokoro"
    (folder / "voices").mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(kokoro_model())
    (folder / "tokenizer.json").write_text(json.dumps(kokoro_tokenizer()), encoding="utf-8")
    for name, level in names.items():
        (folder / "voices" / f"{name}.bin").write_bytes(kokoro_style(level))


# -- the catalogue server ----------------------------------------------------------------------


@dataclass
class _Catalogue:
    files: dict[str, bytes] = field(default_factory=dict)  # URL path -> content
    json_routes: dict[str, Any] = field(default_factory=dict)  # URL path -> JSON
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Range header)
    cut_next_after: int | None = None  # the next file download stops after this many bytes
    lock: threading.Lock = field(default_factory=threading.Lock)


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class CatalogueServer:
    """A local HTTP server laid out like Piper's and Kokoro's public catalogues."""

    def __init__(self) -> None:
        self.state = _Catalogue()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                with state.lock:
                    state.requests.append((path, self.headers.get("Range", "")))
                    cut, state.cut_next_after = (
                        (state.cut_next_after, None)
                        if path in state.files
                        else (None, state.cut_next_after)
                    )
                if path in state.json_routes:
                    self._send(200, json.dumps(state.json_routes[path]).encode(), {})
                    return
                data = state.files.get(path)
                if data is None:
                    self._send(404, b"not found", {})
                    return
                start = 0
                status = 200
                headers: dict[str, str] = {}
                wanted = self.headers.get("Range", "")
                if wanted.startswith("bytes="):
                    start = int(wanted[6:].split("-")[0])
                    if start >= len(data):
                        self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                        return
                    status = 206
                    headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                body = data[start:]
                if cut is not None:  # promise everything, send part, hang up
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._send(status, body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def piper_url(self) -> str:
        return f"{self.url}/piper-voices"

    @property
    def kokoro_url(self) -> str:
        return f"{self.url}/{KOKORO_REPO}"

    def start(self) -> CatalogueServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- content ------------------------------------------------------------------------------

    def add_piper_voice(self, key: str, dataset: str, language: str = "en_US") -> None:
        family, _, _region = language.partition("_")
        quality = key.rsplit("-", 1)[-1]
        folder = f"{family}/{language}/{dataset}/{quality}"
        files = {
            f"{folder}/{key}.onnx": piper_model(),
            f"{folder}/{key}.onnx.json": json.dumps(piper_config(key, dataset, language)).encode(),
            f"{folder}/MODEL_CARD": f"# Model card for {dataset}\n".encode(),
        }
        index = self.state.json_routes.setdefault("/piper-voices/voices.json", {})
        index[key] = {
            "key": key,
            "name": dataset,
            "language": piper_config(key, dataset, language)["language"],
            "quality": quality,
            "num_speakers": 1,
            "speaker_id_map": {},
            "files": {
                path: {"size_bytes": len(data), "md5_digest": _md5(data)}
                for path, data in files.items()
            },
            "aliases": [],
        }
        for path, data in files.items():
            self.state.files[f"/piper-voices/{path}"] = data

    def add_kokoro(self, voices: dict[str, float]) -> None:
        files = {
            "onnx/model_quantized.onnx": (kokoro_model(), True),
            "tokenizer.json": (json.dumps(kokoro_tokenizer()).encode(), False),
            **{f"voices/{name}.bin": (kokoro_style(level), True) for name, level in voices.items()},
        }
        trees: dict[str, list[dict[str, Any]]] = {"": [], "onnx": [], "voices": []}
        for path, (data, in_lfs) in files.items():
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            git_id = hashlib.sha1(
                f"blob {len(data)}\0".encode() + data, usedforsecurity=False
            ).hexdigest()
            entry: dict[str, Any] = {"type": "file", "oid": git_id, "size": len(data), "path": path}
            if in_lfs:  # as the Hub lists LFS files: the pointer's id, the content's sha256
                entry["lfs"] = {
                    "oid": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": 134,
                }
                entry["oid"] = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()
            trees[folder].append(entry)
            self.state.files[f"/{KOKORO_REPO}/resolve/main/{path}"] = data
        trees[""] += [
            {"type": "directory", "oid": "0" * 40, "size": 0, "path": p} for p in ("onnx", "voices")
        ]
        for folder, entries in trees.items():
            route = f"/api/models/{KOKORO_REPO}/tree/main" + (f"/{folder}" if folder else "")
            self.state.json_routes[route] = entries

    def corrupt(self, path_suffix: str) -> None:
        """Change a served file's bytes (same size) so its checksum no longer matches."""
        for path, data in self.state.files.items():
            if path.endswith(path_suffix):
                self.state.files[path] = bytes([data[0] ^ 0xFF]) + data[1:]
                return
        raise KeyError(path_suffix)

    def downloads_of(self, path_suffix: str) -> list[str]:
        """The Range headers of every request for a file ending in ``path_suffix``."""
        return [rng for path, rng in self.state.requests if path.endswith(path_suffix)]
