"""Mastering presets: what each does to speech, music and the whole programme.

The numbers are Castwright's choices (the hosted service publishes names, not values); they
live in this one table so every behaviour can be read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from castwright.errors import Invalid

__all__ = ["DEFAULT_PRESET", "PRESETS", "MasteringPreset", "mastering_preset"]


@dataclass(frozen=True)
class MasteringPreset:
    name: str
    description: str
    music_level_db: float  # bed level against the speech before ducking
    duck_depth_db: float  # 0: no ducking
    duck_attack: float = 0.08
    duck_release: float = 0.6
    speech_highpass_hz: float | None = 80.0
    speech_compression: tuple[float, float] | None = (-22.0, 3.0)  # threshold dBFS, ratio
    deess_db: float = 0.0  # sibilance reduction; 0 = off
    target_lufs: float | None = -16.0  # None: no loudness normalisation
    # Half a dB under the delivery presets' -1 dBTP: a lossy encode lifts peaks, and a master
    # with that headroom goes through the encoder as it is instead of being limited again.
    true_peak_dbtp: float = -1.5


PRESETS: dict[str, MasteringPreset] = {
    preset.name: preset
    for preset in (
        MasteringPreset(
            "balanced",
            "Moderate ducking, clear speech, -16 LUFS programme.",
            music_level_db=-10.0,
            duck_depth_db=9.0,
            deess_db=3.0,
        ),
        MasteringPreset(
            "lightducking",
            "As balanced, with shallow ducking.",
            music_level_db=-10.0,
            duck_depth_db=4.5,
            deess_db=3.0,
        ),
        MasteringPreset(
            "heavyducking",
            "As balanced, with deep ducking under the voice.",
            music_level_db=-8.0,
            duck_depth_db=16.0,
            duck_attack=0.05,
            deess_db=3.0,
        ),
        MasteringPreset(
            "voiceenhanced",
            "Stronger speech clarity: firmer compression and de-essing, moderate ducking.",
            music_level_db=-12.0,
            duck_depth_db=9.0,
            speech_highpass_hz=100.0,
            speech_compression=(-26.0, 4.0),
            deess_db=6.0,
        ),
        MasteringPreset(
            "musicenhanced",
            "Music kept forward with light ducking.",
            music_level_db=-6.0,
            duck_depth_db=4.0,
            deess_db=2.0,
        ),
        MasteringPreset(
            "none",
            "A plain sum: no ducking, no processing, clipping protection only.",
            music_level_db=-10.0,
            duck_depth_db=0.0,
            speech_highpass_hz=None,
            speech_compression=None,
            target_lufs=None,
        ),
    )
}
_ALIASES = {"recommended": "balanced"}
DEFAULT_PRESET = "balanced"


def mastering_preset(name: str | None, field: str = "masteringPreset") -> MasteringPreset:
    key = (name or DEFAULT_PRESET).strip().lower()
    preset = PRESETS.get(_ALIASES.get(key, key))
    if preset is None:
        raise Invalid(
            f"unknown mastering preset {name!r}; use one of {', '.join(PRESETS)}", field=field
        )
    return preset
