"""KokoroEngine: the Kokoro-82M neural voices, run on onnxruntime in process.

Optional: needs onnxruntime (``pip install 'castwright[kokoro]'``) and, in
``<voices dir>/kokoro/``, the model (``model.onnx``), its vocabulary (``tokenizer.json`` or
``config.json`` with a ``vocab``) and one style file per voice (``voices/af_heart.bin``: 510 x
256 float32, as the onnx-community export publishes them). ``castwright voices install
kokoro:af_heart`` puts them there; nothing is ever downloaded here.

Written on onnxruntime directly rather than through ``kokoro-onnx`` (which needs the
phonemizer package and a second espeak-ng): the same path, with the phonemes from the
espeak-ng library Castwright already has. As kokoro-onnx does: espeak-ng IPA with stress and
punctuation, a few spelling fixes (r -> ɹ ...), characters outside the vocabulary dropped,
at most 510 tokens per call (longer text is split at clause ends), the style row picked by
token count, and the model's inputs ``input_ids`` (or ``tokens``) [1, N+2] int64 padded with
0 at both ends, ``style`` [1, 256] float32 and ``speed`` [1] float32.

Voice names say language and gender: ``af_heart`` is American English (a), female (f);
b British English, e Spanish, f French, h Hindi, i Italian, j Japanese, p Brazilian
Portuguese, z Mandarin. Parameters: rate is the model's ``speed``; pitch is not supported;
volume is a linear gain. Audio is 24000 Hz.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp import concatenate
from castwright.errors import Invalid
from castwright.speech.engines.base import EngineUnavailable, EngineVoice, SynthesisParams
from castwright.speech.engines.festival import apply_gain
from castwright.speech.engines.neural_text import sentences
from castwright.speech.engines.onnx_models import ModelCache, onnx_session, onnxruntime_version

if TYPE_CHECKING:
    from castwright.config import Settings

__all__ = ["KOKORO_LANGUAGES", "KokoroEngine", "read_vocabulary"]

_MAPPING_REVISION = 1
INSTALL_HINT = "castwright voices install kokoro:af_heart"
SAMPLE_RATE = 24000
MAX_TOKENS = 510
STYLE_SHAPE = (MAX_TOKENS, 256)

# Voice-name letter -> (espeak-ng voice, BCP-47, English name, accent)
KOKORO_LANGUAGES: dict[str, tuple[str, str, str, str]] = {
    "a": ("en-us", "en-US", "english", "american"),
    "b": ("en-gb", "en-GB", "english", "british"),
    "e": ("es", "es", "spanish", ""),
    "f": ("fr-fr", "fr-FR", "french", ""),
    "h": ("hi", "hi", "hindi", ""),
    "i": ("it", "it", "italian", ""),
    "j": ("ja", "ja", "japanese", ""),
    "p": ("pt-br", "pt-BR", "portuguese", "brazilian"),
    "z": ("cmn", "cmn", "chinese", "mandarin"),
}
_GENDERS = {"f": "female", "m": "male"}
# kokoro-onnx's corrections of espeak-ng's output for the model's training alphabet.
_REPLACEMENTS = (("ʲ", "j"), ("r", "ɹ"), ("x", "k"), ("ɬ", "l"))


def read_vocabulary(directory: Path) -> dict[str, int]:
    """Phoneme -> token id from tokenizer.json (model.vocab) or config.json (vocab)."""
    for name, path_in_file in (("tokenizer.json", ("model", "vocab")), ("config.json", ("vocab",))):
        path = directory / name
        if not path.is_file():
            continue
        try:
            found: Any = json.loads(path.read_text(encoding="utf-8"))
            for key in path_in_file:
                found = found[key]
            return {str(k): int(v) for k, v in found.items() if len(str(k)) == 1}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    raise ValueError(f"no Kokoro vocabulary (tokenizer.json or config.json) in {directory}")


def _describe(name: str, engine_name: str) -> EngineVoice | None:
    language = KOKORO_LANGUAGES.get(name[:1])
    if language is None or "_" not in name:
        return None
    _, code, english, accent = language
    return EngineVoice(
        engine=engine_name,
        voice_id=name,
        language_code=code,
        language=english,
        gender=_GENDERS.get(name[1:2], "neutral"),
        accent=accent,
        extra={
            "name": name.split("_", 1)[1].replace("_", " ").title(),
            "sample_rate": str(SAMPLE_RATE),
            "pitch": "unsupported",
        },
    )


class KokoroEngine:
    """Kokoro voices found in ``voices_dir``; thread-safe (onnxruntime sessions are)."""

    name = "kokoro"

    def __init__(
        self, voices_dir: Path | None = None, idle_seconds: float = 600.0, threads: int = 0
    ) -> None:
        runtime = onnxruntime_version("kokoro")
        if voices_dir is None:  # built without settings: the environment's voices directory
            from castwright.config import load_settings

            voices_dir = load_settings().voices_dir
        self.voices_dir = voices_dir / "kokoro"
        self._threads = threads
        self.models: ModelCache[Any] = ModelCache(idle_seconds)
        self._styles: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = threading.Lock()
        model = self.voices_dir / "model.onnx"
        if not model.is_file():
            raise EngineUnavailable(f"no Kokoro model in {self.voices_dir}: {INSTALL_HINT}")
        try:
            self._vocabulary = read_vocabulary(self.voices_dir)
        except ValueError as exc:
            raise EngineUnavailable(f"{exc}: {INSTALL_HINT}") from exc
        self._voices = {
            voice.voice_id: voice
            for path in sorted((self.voices_dir / "voices").glob("*.bin"))
            if (voice := _describe(path.stem, self.name)) is not None
        }
        if not self._voices:
            raise EngineUnavailable(f"no Kokoro voices in {self.voices_dir}/voices: {INSTALL_HINT}")
        self.version = f"kokoro-onnxruntime-{runtime}+castwright.{_MAPPING_REVISION}"

    @classmethod
    def from_settings(cls, settings: Settings) -> KokoroEngine:
        library = settings.voice_library
        return cls(settings.voices_dir, library.idle_unload_seconds, library.threads)

    def voices(self) -> list[EngineVoice]:
        return list(self._voices.values())

    def _style(self, voice_id: str) -> npt.NDArray[np.float32]:
        with self._lock:
            style = self._styles.get(voice_id)
            if style is None:
                path = self.voices_dir / "voices" / f"{voice_id}.bin"
                raw = np.fromfile(path, dtype="<f4")
                if raw.size != STYLE_SHAPE[0] * STYLE_SHAPE[1]:
                    raise RuntimeError(f"{path} is not a Kokoro style file (510 x 256 float32)")
                style = self._styles[voice_id] = raw.reshape(STYLE_SHAPE)
            return style

    def _tokens(self, phonemes: str) -> list[int]:
        for wrong, right in _REPLACEMENTS:
            phonemes = phonemes.replace(wrong, right)
        phonemes = re.sub(r" +", " ", phonemes)
        return [self._vocabulary[p] for p in phonemes if p in self._vocabulary]

    def _batches(self, text: str, voice: EngineVoice) -> list[list[int]]:
        language = KOKORO_LANGUAGES[voice.voice_id[0]][0]
        space = [self._vocabulary[" "]] if " " in self._vocabulary else []
        batches: list[list[int]] = [[]]
        for sentence in sentences(text, language, decompose=False):
            tokens = self._tokens(sentence.phonemes)
            while tokens:
                room = MAX_TOKENS - len(batches[-1]) - (len(space) if batches[-1] else 0)
                if room <= 0 or (batches[-1] and len(tokens) > room):
                    batches.append([])
                    continue
                if batches[-1]:
                    batches[-1] += space
                batches[-1] += tokens[:room]
                tokens = tokens[room:]
        return [batch for batch in batches if batch]

    def synthesize(self, text: str, voice_id: str, params: SynthesisParams) -> AudioBuffer:
        params.check()
        voice = self._voices.get(voice_id)
        if voice is None:
            raise Invalid(f"kokoro has no voice {voice_id!r}", field="voice_id")
        batches = self._batches(text, voice)
        if not batches:
            return AudioBuffer.silence(0, SAMPLE_RATE)
        style = self._style(voice_id)
        pieces: list[AudioBuffer] = []
        model_path = self.voices_dir / "model.onnx"
        with self.models.use("model", lambda: onnx_session(model_path, self._threads)) as model:
            ids_name = next(
                (i.name for i in model.get_inputs() if i.name in ("input_ids", "tokens")),
                "input_ids",
            )
            for tokens in batches:
                inputs = {
                    ids_name: np.array([[0, *tokens, 0]], dtype=np.int64),
                    "style": style[min(len(tokens), STYLE_SHAPE[0] - 1)].reshape(1, -1),
                    "speed": np.array([params.rate], dtype=np.float32),
                }
                audio = np.asarray(model.run(None, inputs)[0], dtype=np.float32).reshape(-1)
                pieces.append(AudioBuffer.mono(np.clip(audio, -1.0, 1.0), SAMPLE_RATE))
        return apply_gain(concatenate(pieces, SAMPLE_RATE), params.volume)
