"""How long a text takes to say: measured by the speech pipeline itself.

The advert writer asks this for every candidate sentence. Rendering is the honest answer for
the engines adverts are voiced with: espeak-ng speaks a sentence in about a millisecond per
second of audio, so measuring thirty sentences costs less than a tenth of a second and can
never disagree with the render the caller will make. Results are kept per voice and text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from castwright.runtime import Runtime
from castwright.speech.render import render_plan
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech
from castwright.voices.catalogue import VoiceCatalogue

__all__ = ["SpokenLength"]

_CACHE_LIMIT = 4096
_cache: OrderedDict[tuple[str, str, float], float] = OrderedDict()
_cache_lock = threading.Lock()


class SpokenLength:
    """``seconds(text)``: the length of ``text`` (plain or markup) spoken by one voice."""

    def __init__(self, runtime: Runtime, catalogue: VoiceCatalogue, voice: str, speed: float = 1.0):
        self.runtime = runtime
        self.catalogue = catalogue
        self.voice = catalogue.resolve(voice)
        self.speed = speed

    def _key(self, text: str) -> tuple[str, str, float]:
        v = self.voice
        identity = f"{v.engine}|{v.engine_voice_id}|{v.variant}|{v.rate}|{v.pitch}"
        return (identity, text, self.speed)

    def __call__(self, text: str) -> float:
        return self.seconds(text)

    def seconds(self, text: str) -> float:
        if not text.strip():
            return 0.0
        key = self._key(text)
        with _cache_lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        options = TtsOptions(voice=self.voice.alias, speed=self.speed)
        plans = plan_speech(parse_script(text), options, self.catalogue)
        settings = self.runtime.settings.speech
        total = sum(
            render_plan(
                plan, self.runtime.engines, settings.sample_rate, settings.chunk_chars
            ).duration
            for plan in plans
        )
        with _cache_lock:
            _cache[key] = total
            while len(_cache) > _CACHE_LIMIT:
                _cache.popitem(last=False)
        return total
