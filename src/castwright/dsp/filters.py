"""Running IIR filters (second-order sections) without subnormal numbers.

In digital silence a recursive filter's state rings down towards zero, and once it passes
2.2e-308 the CPU computes on subnormal numbers at a small fraction of its speed: a few
seconds of silence after the last sentence made the loudness meter four times slower, and
every pause between sentences slowed the de-esser's band-pass. A constant far under any
audible level (-400 dBFS) added to the input keeps every state a normal number; what that
constant contributes to the output in the steady state (the filter's gain at DC times it) is
taken off again, and what is left under -300 dBFS (that constant's ringing, rounding) is set
to zero, so digital silence stays digital silence (a meter reads it as silent, not -430 LUFS).
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt
from scipy.signal import sosfilt, sosfiltfilt

__all__ = ["FLOOR", "sos_filter", "sos_filter_zero_phase"]

Sections = npt.NDArray[np.float64]
Signal = npt.NDArray[np.float64]
Samples = npt.NDArray[np.floating]  # float32 or float64 in, float64 out

_GUARD = 1e-20
FLOOR = 1e-15  # -300 dBFS: nothing real lives below it


def _guarded(signal: Samples) -> Signal:
    guarded = signal.astype(np.float64)  # a copy, whatever the input's type
    guarded += _GUARD
    return guarded


def _floored(filtered: npt.NDArray[np.float64]) -> Signal:
    out = np.asarray(filtered, dtype=np.float64)
    out[np.abs(out) < FLOOR] = 0.0
    return out


def _dc_gain(sos: Sections) -> float:
    numerators, denominators = sos[:, :3].sum(axis=1), sos[:, 3:].sum(axis=1)
    return float(np.prod(numerators / denominators))


@overload
def sos_filter(
    sos: Sections, signal: Samples, axis: int = -1, zi: None = None, *, floor: bool = True
) -> Signal: ...


@overload
def sos_filter(
    sos: Sections,
    signal: Samples,
    axis: int = -1,
    *,
    zi: npt.NDArray[np.float64],
    floor: bool = True,
) -> tuple[Signal, npt.NDArray[np.float64]]: ...


def sos_filter(
    sos: Sections,
    signal: Samples,
    axis: int = -1,
    zi: npt.NDArray[np.float64] | None = None,
    *,
    floor: bool = True,
) -> Signal | tuple[Signal, npt.NDArray[np.float64]]:
    """scipy's ``sosfilt`` in float64, guarded against subnormal states. With ``zi`` (the
    state a previous call returned, for a signal filtered in chunks) returns the output and
    the final state. ``floor=False`` leaves the guard's residue (under -300 dBFS) in the
    output, for a caller that sums the output and floors the sums (a meter): three passes
    over the signal fewer."""
    guarded = _guarded(signal)
    offset = _GUARD * _dc_gain(sos)
    if zi is None:
        filtered = sosfilt(sos, guarded, axis=axis)
    else:
        filtered, state = sosfilt(sos, guarded, axis=axis, zi=zi)
    if offset:
        filtered -= offset
    out = _floored(filtered) if floor else np.asarray(filtered, dtype=np.float64)
    return out if zi is None else (out, np.asarray(state, dtype=np.float64))


def sos_filter_zero_phase(sos: Sections, signal: Samples, axis: int, padlen: int) -> Signal:
    """scipy's ``sosfiltfilt`` (forward and backward: no phase shift), guarded likewise."""
    guarded = _guarded(signal)
    offset = _GUARD * _dc_gain(sos) ** 2
    return _floored(sosfiltfilt(sos, guarded, axis=axis, padlen=padlen) - offset)
