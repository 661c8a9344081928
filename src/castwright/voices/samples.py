"""Voice samples: one short render per voice, kept in the blob store."""

from __future__ import annotations

from castwright.audio.wav import encode_wav
from castwright.runtime import Runtime
from castwright.speech.render import SectionPlan, SpeechRun, render_plan
from castwright.speech.text.document import NEUTRAL
from castwright.voices.catalogue import Voice

__all__ = ["SAMPLE_TEXT", "voice_sample_wav"]

SAMPLE_TEXT = "Hello, I'm {name}. I can read your scripts, adverts and announcements."


def voice_sample_wav(runtime: Runtime, voice: Voice) -> bytes:
    text = SAMPLE_TEXT.format(name=voice.display_name)
    plan = SectionPlan("sample", None, "", {}, voice, 1.0, 0.0, (SpeechRun(text, NEUTRAL),))
    engine = runtime.engines.get(voice.engine)
    key = f"samples/{plan.cache_key(engine.version, runtime.settings.speech.sample_rate)}.wav"
    if not runtime.blobs.exists(key):
        audio = render_plan(plan, runtime.engines, runtime.settings.speech.sample_rate)
        runtime.blobs.put_bytes(key, encode_wav(audio))
    return runtime.blobs.read_bytes(key)
