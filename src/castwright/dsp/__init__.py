"""Pure audio processors: AudioBuffer in, AudioBuffer out."""

from castwright.dsp.basic import concatenate, fade_edges, gain, pad, resample, to_mono
from castwright.dsp.channels import conform, map_channels
from castwright.dsp.dynamics import compress, compressor_gain_db, duck
from castwright.dsp.eq import de_ess, high_pass, high_shelf, low_pass, low_shelf, peaking
from castwright.dsp.fades import FadeShape, crossfade, fade_curve, fade_in, fade_out
from castwright.dsp.limiter import limit
from castwright.dsp.loop import fit_to_length
from castwright.dsp.loudness import (
    LoudnessCurve,
    LoudnessReport,
    integrated_loudness,
    loudness_over_time,
    loudness_range,
    measure_loudness,
    normalise_loudness,
    normalise_loudness_measured,
)
from castwright.dsp.mixdown import Layer, mix
from castwright.dsp.truepeak import true_peak

__all__ = [
    "FadeShape",
    "Layer",
    "LoudnessCurve",
    "LoudnessReport",
    "compress",
    "compressor_gain_db",
    "concatenate",
    "conform",
    "crossfade",
    "de_ess",
    "duck",
    "fade_curve",
    "fade_edges",
    "fade_in",
    "fade_out",
    "fit_to_length",
    "gain",
    "high_pass",
    "high_shelf",
    "integrated_loudness",
    "limit",
    "loudness_over_time",
    "loudness_range",
    "low_pass",
    "low_shelf",
    "map_channels",
    "measure_loudness",
    "mix",
    "normalise_loudness",
    "normalise_loudness_measured",
    "pad",
    "peaking",
    "resample",
    "to_mono",
    "true_peak",
]
