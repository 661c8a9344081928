"""Loudness: ITU-R BS.1770-4 integrated loudness, EBU Tech 3342 loudness range, true peak, and
normalisation of a whole programme to a target under a true-peak ceiling.

The meter K-weights in chunks (bounded memory) and keeps only a running sum of the weighted
power at the block edges it needs, so every 400 ms block and 3 s short-term window is a
difference of two sums, with no per-block Python loop.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from castwright.audio import AudioBuffer
from castwright.dsp.filters import FLOOR, sos_filter
from castwright.dsp.limiter import limit_measured
from castwright.dsp.threads import on_threads
from castwright.dsp.truepeak import frame_true_peaks, true_peak

__all__ = [
    "LoudnessCurve",
    "LoudnessReport",
    "Normalised",
    "integrated_loudness",
    "k_weighting",
    "loudness_over_time",
    "loudness_range",
    "measure_loudness",
    "normalise_loudness",
    "normalise_loudness_measured",
    "true_peak",
]

_ABSOLUTE_GATE = -70.0  # LUFS
_RELATIVE_GATE = -10.0  # LU below the absolutely gated mean (BS.1770-4)
_RANGE_GATE = -20.0  # LU, for the loudness range (Tech 3342)
_CHUNK_FRAMES = 1 << 18
_POWER_FLOOR = FLOOR * FLOOR  # mean square of a signal at the floor
# Normalisation: below this loudness-per-gain slope, or when the next step would push this much
# more gain into it, the limiter is saturating; it is made faster, down to these times (a few
# ms: still a limiter, not a clipper).
_SATURATED = 0.25
_LARGE_STEP_DB = 6.0
_MAX_STEP_DB = 12.0
_FASTEST_RELEASE = 0.005
_FASTEST_LOOKAHEAD = 0.001


@dataclass(frozen=True)
class Normalised:
    audio: AudioBuffer
    integrated_lufs: float
    true_peak_dbtp: float


@dataclass(frozen=True)
class LoudnessReport:
    integrated_lufs: float
    range_lu: float
    true_peak_dbtp: float
    sample_peak_dbfs: float


def k_weighting(sample_rate: int) -> npt.NDArray[np.float64]:
    """The BS.1770 K-weighting (high shelf, then RLB high-pass) as second-order sections, for any
    rate. The analogue prototypes are those fitted to the standard's 48 kHz coefficients (as in
    libebur128), so at 48 kHz this reproduces the published table."""
    k = math.tan(math.pi * 1681.974450955533 / sample_rate)
    q = 0.7071752369554196
    vh = 10.0 ** (3.999843853973347 / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    ]
    k = math.tan(math.pi * 38.13547087602444 / sample_rate)
    q = 0.5003270373238773
    a0 = 1.0 + k / q + k * k
    high_pass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, high_pass])


def _channel_weights(channels: int) -> npt.NDArray[np.float64]:
    # BS.1770 weights surround channels by 1.41 (+1.5 dB); in 5.1 order (L R C LFE Ls Rs) the
    # LFE is left out. Layouts the standard does not name weigh every channel equally.
    if channels == 5:
        return np.array([1.0, 1.0, 1.0, 1.41, 1.41])
    if channels == 6:
        return np.array([1.0, 1.0, 1.0, 0.0, 1.41, 1.41])
    return np.ones(channels)


def _power_sums(buffer: AudioBuffer, edges: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Running sum of the channel-weighted K-weighted power, read at each of ``edges``
    (increasing, from 0 to the frame count). Channels are filtered on threads of their own
    (the filters release the GIL)."""
    sos = k_weighting(buffer.sample_rate)
    weighted = [
        (float(weight), channel)
        for weight, channel in zip(_channel_weights(buffer.channels), buffer.samples, strict=True)
        if weight
    ]
    frames = buffer.frames

    def channel_sums(item: tuple[float, npt.NDArray[np.float32]]) -> npt.NDArray[np.float64]:
        weight, channel = item
        state = np.zeros((sos.shape[0], 2))
        sums = np.zeros(edges.size)
        total = 0.0
        for start in range(0, frames, _CHUNK_FRAMES):
            chunk = channel[start : start + _CHUNK_FRAMES]
            # The meter floors what it sums (in _block_powers), not every sample.
            power, state = sos_filter(sos, chunk, zi=state, floor=False)
            np.square(power, out=power)
            lo, hi = np.searchsorted(edges, [start, start + power.size])
            inside = edges[lo:hi] - start  # the edges in this chunk, as offsets into it
            if inside.size == 0:
                total += float(power.sum())
                continue
            # Sums between consecutive edges (the last to the chunk's end) in one pass.
            between = np.add.reduceat(power, inside)
            before = total + float(power[: inside[0]].sum())
            sums[lo] = before
            sums[lo + 1 : hi] = before + np.cumsum(between[:-1])
            total = before + float(between.sum())
        sums[edges >= frames] = total
        return weight * sums

    return np.asarray(sum(on_threads(channel_sums, weighted), np.zeros(edges.size)))


def _block_powers(
    buffer: AudioBuffer, *block_seconds: float
) -> tuple[list[npt.NDArray[np.float64]], float]:
    """For each block length, the mean-square power of every block (blocks start every 100 ms;
    none when the programme is shorter than one), and the mean power of the whole programme.
    One K-weighting pass serves them all."""
    rate, frames = buffer.sample_rate, buffer.frames
    hop = round(0.1 * rate)
    layouts = []
    for seconds in block_seconds:
        block = round(seconds * rate)
        layouts.append((np.arange(0, max(frames - block + 1, 0), hop, dtype=np.int64), block))
    points = [np.array([0, frames], dtype=np.int64)]
    points += [np.concatenate([starts, starts + block]) for starts, block in layouts]
    edges = np.unique(np.concatenate(points))
    sums = _power_sums(buffer, edges)

    def at(where: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        return np.asarray(sums[np.searchsorted(edges, where)], dtype=np.float64)

    blocks = [_floored((at(starts + block) - at(starts)) / block) for starts, block in layouts]
    whole = float(sums[-1]) / max(frames, 1)
    return blocks, whole if whole >= _POWER_FLOOR else 0.0


def _floored(power: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Power under the floor (the filters' guard residue; a level under -300 dBFS) is
    silence, so digital silence reads as silent rather than -600 LUFS."""
    power[power < _POWER_FLOOR] = 0.0
    return power


def _lufs(power: float | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10.0 * np.log10(power), dtype=np.float64)


def _gated_loudness(blocks: npt.NDArray[np.float64], whole: float) -> float:
    # A programme shorter than one 400 ms block is measured as a single block spanning all of
    # it (absolute gate only), so short stings and effects still get a usable figure.
    powers = blocks if blocks.size else np.array([whole])
    loud = powers[_lufs(powers) > _ABSOLUTE_GATE]
    if loud.size == 0:
        return -math.inf
    relative = float(_lufs(loud.mean())) + _RELATIVE_GATE
    return float(_lufs(loud[_lufs(loud) > relative].mean()))


def _range(short_term_powers: npt.NDArray[np.float64]) -> float:
    short_term = _lufs(short_term_powers)
    loud = short_term[short_term > _ABSOLUTE_GATE]
    if loud.size == 0:
        return 0.0
    # The relative gate sits 20 LU under the power mean of the absolutely gated windows.
    mean_power = float(np.mean(10.0 ** ((loud + 0.691) / 10.0)))
    gated = loud[loud > float(_lufs(mean_power)) + _RANGE_GATE]
    low, high = np.percentile(gated, [10.0, 95.0])
    return float(high - low)


def integrated_loudness(buffer: AudioBuffer) -> float:
    """Integrated (gated) loudness in LUFS per BS.1770-4; -inf for silence. A programme shorter
    than one 400 ms gating block is measured as one block spanning all of it."""
    if buffer.frames == 0:
        return -math.inf
    (blocks,), whole = _block_powers(buffer, 0.4)
    return _gated_loudness(blocks, whole)


def loudness_range(buffer: AudioBuffer) -> float:
    """Loudness range (LRA) in LU per EBU Tech 3342: the spread between the 10th and 95th
    percentiles of the gated 3 s short-term loudness. 0.0 when the programme is shorter than
    one 3 s window or too quiet to gate (as ffmpeg's ebur128 reports)."""
    if buffer.frames == 0:
        return 0.0
    (short_term,), _ = _block_powers(buffer, 3.0)
    return _range(short_term)


def measure_loudness(buffer: AudioBuffer) -> LoudnessReport:
    """Integrated loudness, loudness range, true peak and sample peak (one K-weighting pass)."""
    if buffer.frames == 0:
        return LoudnessReport(-math.inf, 0.0, -math.inf, -math.inf)
    # The true peak's FFTs and the K-weighting's filters release the GIL: they overlap.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="castwright-meter") as pool:
        peak = pool.submit(true_peak, buffer)
        (blocks, short_term), whole = _block_powers(buffer, 0.4, 3.0)
        sample_peak = float(np.abs(buffer.samples).max())
        return LoudnessReport(
            integrated_lufs=_gated_loudness(blocks, whole),
            range_lu=_range(short_term),
            true_peak_dbtp=peak.result(),
            sample_peak_dbfs=20.0 * math.log10(sample_peak) if sample_peak > 0 else -math.inf,
        )


@dataclass(frozen=True)
class LoudnessCurve:
    """Loudness over time, one value every ``hop_seconds`` (LUFS; -inf where silent).

    Value ``i`` measures the window starting at ``i * hop_seconds``: 400 ms for momentary,
    3 s for short-term (EBU Tech 3341). A programme shorter than a window has no values.
    """

    hop_seconds: float
    momentary: npt.NDArray[np.float64]
    short_term: npt.NDArray[np.float64]
    integrated_lufs: float
    range_lu: float


def loudness_over_time(buffer: AudioBuffer) -> LoudnessCurve:
    """Momentary and short-term loudness every 100 ms, with the integrated loudness and range
    of the same pass (one K-weighting of the programme serves all four)."""
    if buffer.frames == 0:
        empty = np.zeros(0)
        return LoudnessCurve(0.1, empty, empty, -math.inf, 0.0)
    (blocks, short_term), whole = _block_powers(buffer, 0.4, 3.0)
    return LoudnessCurve(
        hop_seconds=round(0.1 * buffer.sample_rate) / buffer.sample_rate,
        momentary=_lufs(blocks),
        short_term=_lufs(short_term),
        integrated_lufs=_gated_loudness(blocks, whole),
        range_lu=_range(short_term),
    )


def normalise_loudness(
    buffer: AudioBuffer,
    target_lufs: float,
    true_peak_ceiling_dbtp: float = -1.0,
    *,
    tolerance_lu: float = 0.2,
    max_passes: int = 12,
    lookahead: float = 0.005,
    release: float = 0.08,
) -> AudioBuffer:
    """Gain the whole programme to ``target_lufs`` under the ceiling (see
    :func:`normalise_loudness_measured`, which also returns the loudness it reached)."""
    normalised = normalise_loudness_measured(
        buffer,
        target_lufs,
        true_peak_ceiling_dbtp,
        tolerance_lu=tolerance_lu,
        max_passes=max_passes,
        lookahead=lookahead,
        release=release,
    )
    return normalised.audio


def normalise_loudness_measured(
    buffer: AudioBuffer,
    target_lufs: float,
    true_peak_ceiling_dbtp: float = -1.0,
    *,
    tolerance_lu: float = 0.2,
    max_passes: int = 12,
    lookahead: float = 0.005,
    release: float = 0.08,
) -> Normalised:
    """Gain the whole programme to ``target_lufs``, limiting so the true peak stays at or below
    ``true_peak_ceiling_dbtp``.

    Limiting takes loudness away, so each pass measures the limited result and corrects the
    gain (a secant step on loudness against gain, which rises monotonically) until it is within
    ``tolerance_lu``. A smooth limiter cannot lift a programme past the crest factor of its own
    waveform: when extra gain stops adding loudness (peaky speech pushed to a streaming
    target), the limiter switches to its fastest release and look-ahead, trading some
    transparency for the loudness the target asks for. When the target still cannot be reached
    the closest pass is returned; the ceiling always holds. Silence is returned unchanged.

    Also returns the integrated loudness of the result (measured before the final touch-up,
    which trims overs of hundredths of a dB and moves the loudness by less than 0.01 LU) and
    its true peak.
    """
    if max_passes < 1:
        raise ValueError("max_passes must be at least 1")
    measured = integrated_loudness(buffer)
    if not math.isfinite(measured):
        return Normalised(buffer, measured, true_peak(buffer))
    rate, source = buffer.sample_rate, buffer.samples
    peaks = frame_true_peaks(source)  # measured once: peaks scale with the gain
    gain_db = target_lufs - measured
    best: tuple[float, npt.NDArray[np.float32], tuple[float, float, float], float] | None = None
    previous: tuple[float, float] | None = None
    for _ in range(max_passes):
        scale = 10.0 ** (gain_db / 20.0)
        scaled = np.multiply(source, scale, dtype=np.float32)
        scaled_peaks = peaks * np.float32(scale)
        settings = (true_peak_ceiling_dbtp, lookahead, release)
        draft, _ = limit_measured(scaled, rate, *settings, scaled_peaks, verify=False)
        loudness = integrated_loudness(AudioBuffer(draft, rate))
        error = target_lufs - loudness
        if best is None or abs(error) < best[0]:
            best = (abs(error), draft, settings, loudness)
        if abs(error) <= tolerance_lu:
            break
        slope = None
        if previous is not None and gain_db != previous[0]:
            slope = (loudness - previous[1]) / (gain_db - previous[0])
        previous = (gain_db, loudness)
        saturated = (
            slope is not None
            and error > 0
            and (slope < _SATURATED or error / max(slope, 1e-3) > _LARGE_STEP_DB)
        )
        if saturated and release > _FASTEST_RELEASE:
            release = _FASTEST_RELEASE
            lookahead = min(lookahead, _FASTEST_LOOKAHEAD)
            previous = None  # a different limiter: a different loudness-gain curve
            continue  # same gain, faster limiter
        # Clamp the slope so one noisy measurement cannot send the gain far off, and the step,
        # so a limiter that no gain makes louder is not pushed on to absurd (overflowing) gains.
        step = error / (1.0 if slope is None else min(1.0, max(0.05, slope)))
        gain_db += max(-_MAX_STEP_DB, min(_MAX_STEP_DB, step))
    assert best is not None
    # Only the chosen draft is checked (and touched up) on the oversampled output.
    _, draft, settings, reached = best
    out, top = limit_measured(draft, rate, *settings)
    peak = 20.0 * math.log10(top) if top else -math.inf
    return Normalised(AudioBuffer(out, rate), reached, peak)
