"""Typed audio: the AudioBuffer every engine and processor speaks."""

from castwright.audio.buffer import AudioBuffer, AudioChunk

__all__ = ["AudioBuffer", "AudioChunk"]
