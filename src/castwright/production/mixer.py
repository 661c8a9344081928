"""The mix: speech and music beds placed by the layout, ducked, mastered, at 48 kHz stereo."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from castwright.audio import AudioBuffer
from castwright.dsp import (
    compress,
    de_ess,
    duck,
    fade_in,
    fade_out,
    fit_to_length,
    gain,
    high_pass,
    integrated_loudness,
    mix,
    normalise_loudness_measured,
    resample,
)
from castwright.dsp.limiter import limit_measured
from castwright.production.mastering import MasteringPreset
from castwright.production.timeline import Bed, Layout

__all__ = ["MIX_CHANNELS", "MIX_RATE", "MixResult", "prepared", "render_mix"]

MIX_RATE = 48000
MIX_CHANNELS = 2
_SILENT_LUFS = -70.0


@dataclass(frozen=True)
class MixResult:
    mix: AudioBuffer
    voice: AudioBuffer  # the cleaned-up speech on the timeline, at the mix rate
    loudness: dict[str, float]

    @property
    def speech_track(self) -> AudioBuffer:
        """The voice alone, on the mix's channels (the export's separate speech track)."""
        return _on_mix_channels(self.voice)


def _on_mix_channels(voice: AudioBuffer) -> AudioBuffer:
    """A mono voice goes on every channel at its own level, as prepared() puts it."""
    if voice.channels == MIX_CHANNELS:
        return voice
    return AudioBuffer(np.repeat(voice.samples, MIX_CHANNELS, axis=0), voice.sample_rate)


def prepared(buffer: AudioBuffer) -> AudioBuffer:
    """At the mix rate, in stereo (a mono source on both channels, at its own level)."""
    buffer = resample(buffer, MIX_RATE)
    if buffer.channels == MIX_CHANNELS:
        return buffer
    mono = buffer.samples.mean(axis=0, keepdims=True)
    return AudioBuffer(np.repeat(mono, MIX_CHANNELS, axis=0), MIX_RATE)


def _bed_audio(segment: AudioBuffer, bed: Bed) -> AudioBuffer:
    if bed.loop:
        fitted = fit_to_length(segment, bed.length, crossfade_seconds=0.5)
    else:  # intros and outros play as written: cut (with a fade) or followed by silence
        frames = round(bed.length * MIX_RATE)
        samples = segment.samples[:, :frames]
        if samples.shape[1] < frames:
            samples = np.pad(samples, ((0, 0), (0, frames - samples.shape[1])))
        fitted = AudioBuffer(np.ascontiguousarray(samples), MIX_RATE)
    if bed.fade_in > 0:
        fitted = fade_in(fitted, bed.fade_in, shape="equal_power")
    if bed.fade_out > 0:
        fitted = fade_out(fitted, bed.fade_out, shape="equal_power")
    return fitted


def _voice(
    speech: list[tuple[AudioBuffer, float]], length: float, preset: MasteringPreset
) -> tuple[AudioBuffer, float]:
    """The speech sections on the timeline, cleaned up, at the mix rate; and its loudness on
    the mix's channels (LUFS).

    When every section is mono at one rate (one engine's output), the bus is laid and cleaned
    up at that rate, in mono, and resampled once: espeak-ng's 22.05 kHz is under half the
    mix's samples, and speech has nothing above its own Nyquist frequency for the filters to
    act on. The clean-up's filters work per channel and its detectors take the loudest
    channel, so mono gives what two identical channels would. Otherwise the bus is stereo at
    the mix rate."""
    rates = {audio.sample_rate for audio, _ in speech}
    if len(rates) == 1 and all(audio.channels == 1 for audio, _ in speech):
        (rate,) = rates
        voice = _speech_chain(mix([(a, at, 0.0) for a, at in speech], length, rate, 1), preset)
        # Measured before resampling, at a fraction of the cost: the K-weighting at the voice's
        # own rate reads 0.05 dB above the resampled voice, nothing for placing beds under it.
        return _exactly(resample(voice, MIX_RATE), length), _level(voice, MIX_CHANNELS)
    stereo = mix([(prepared(a), at, 0.0) for a, at in speech], length, MIX_RATE, MIX_CHANNELS)
    voice = _speech_chain(stereo, preset)
    return voice, _level(voice)


def _exactly(buffer: AudioBuffer, length: float) -> AudioBuffer:
    """``buffer`` cut or padded with silence to the timeline's frame count at its rate."""
    frames = round(length * buffer.sample_rate)
    samples = buffer.samples[:, :frames]
    if samples.shape[1] < frames:
        samples = np.pad(samples, ((0, 0), (0, frames - samples.shape[1])))
    return AudioBuffer(np.ascontiguousarray(samples), buffer.sample_rate)


def _speech_chain(speech: AudioBuffer, preset: MasteringPreset) -> AudioBuffer:
    if preset.speech_highpass_hz:
        speech = high_pass(speech, preset.speech_highpass_hz)
    if preset.speech_compression:
        threshold, ratio = preset.speech_compression
        speech = compress(speech, threshold_db=threshold, ratio=ratio, attack=0.01, release=0.15)
    if preset.deess_db > 0:
        speech = de_ess(speech, max_reduction_db=preset.deess_db)
    return speech


def _level(buffer: AudioBuffer, copies: int = 1) -> float:
    """Integrated loudness, as if the buffer were on ``copies`` channels at once: BS.1770
    sums the channels' power, so ``n`` identical channels read ``10 log10 n`` dB louder."""
    measured = integrated_loudness(buffer)
    if not np.isfinite(measured):
        return _SILENT_LUFS
    return measured + 10.0 * math.log10(copies)


def render_mix(
    speech: list[tuple[AudioBuffer, float]],
    segments: dict[str, AudioBuffer],
    layout: Layout,
    preset: MasteringPreset,
) -> MixResult:
    """``speech``: each section's audio and its start; ``segments``: template audio by name."""
    frames = round(layout.length * MIX_RATE)
    # The voice's clean-up and the music beds are independent until the ducking: the voice
    # runs on a second thread (the filters and FFTs release the GIL) while the beds are laid.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="castwright-voice") as pool:
        voice_job = pool.submit(_voice, speech, layout.length, preset)
        beds = [(_bed_audio(prepared(segments[b.segment]), b), b.start, 0.0) for b in layout.beds]
        music_bus = mix(beds, layout.length, MIX_RATE, MIX_CHANNELS)
        music_level = _level(music_bus) if beds else _SILENT_LUFS
        voice, speech_level = voice_job.result()
    if beds:
        # Beds sit a fixed distance under the voice, whatever level the source files have.
        offset = speech_level + preset.music_level_db - music_level
        music_bus = gain(music_bus, float(10 ** (offset / 20)))
        if preset.duck_depth_db > 0:
            music_bus = duck(
                music_bus,
                voice,  # its level is the mean power over channels: the same in mono
                depth_db=preset.duck_depth_db,
                attack=preset.duck_attack,
                release=preset.duck_release,
            )
    # A mono voice broadcasts onto every channel at its own level, as prepared() puts it.
    programme = AudioBuffer(voice.samples[:, :frames] + music_bus.samples[:, :frames], MIX_RATE)
    if layout.fade_in > 0:
        programme = fade_in(programme, layout.fade_in)
    if layout.fade_out > 0:
        # The programme fades out where its sound ends, not over the padding after it.
        audible = max(0, programme.frames - round(layout.padding * MIX_RATE))
        faded = fade_out(AudioBuffer(programme.samples[:, :audible], MIX_RATE), layout.fade_out)
        silence = np.zeros((MIX_CHANNELS, programme.frames - audible), np.float32)
        programme = AudioBuffer(np.concatenate([faded.samples, silence], axis=1), MIX_RATE)
    if preset.target_lufs is not None:
        normalised = normalise_loudness_measured(
            programme, preset.target_lufs, preset.true_peak_dbtp
        )
        programme, loudness = normalised.audio, normalised.integrated_lufs
        peak = normalised.true_peak_dbtp
    else:  # "none": a plain sum, protected from clipping only
        samples, top = limit_measured(programme.samples, MIX_RATE, preset.true_peak_dbtp)
        programme = AudioBuffer(samples, MIX_RATE)
        loudness = integrated_loudness(programme)
        peak = 20.0 * math.log10(top) if top else -math.inf
    measured = {
        "integrated": round(loudness if np.isfinite(loudness) else _SILENT_LUFS, 2),
        "truePeak": round(peak, 2),
    }
    return MixResult(programme, voice, measured)
