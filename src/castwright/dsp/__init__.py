"""Pure audio processors: AudioBuffer in, AudioBuffer out."""

from castwright.dsp.basic import concatenate, fade_edges, gain, pad, resample, to_mono

__all__ = ["concatenate", "fade_edges", "gain", "pad", "resample", "to_mono"]
