"""Synchronous previews: a short text in a voice, rendered in the request, nothing stored."""

from __future__ import annotations

from castwright.audio import AudioBuffer
from castwright.errors import Invalid
from castwright.runtime import Runtime
from castwright.speech.render import render_plans
from castwright.speech.text.markup import parse_script
from castwright.speeches.planning import TtsOptions, plan_speech

__all__ = ["render_preview"]


def render_preview(runtime: Runtime, text: str, voice: str) -> AudioBuffer:
    limit = runtime.settings.speech.preview_max_chars
    if not text.strip():
        raise Invalid("is required", field="text")
    if len(text) > limit:
        raise Invalid(f"must be at most {limit} characters (got {len(text)})", field="text")
    if not voice:
        raise Invalid("is required", field="voice")
    plans = plan_speech(parse_script(text), TtsOptions(voice=voice), runtime.voices)
    return render_plans(plans, runtime.engines, runtime.settings.speech.sample_rate)
