"""The built-in sound templates: what each one is called and how each one is arranged.

Pattern notation is described in :mod:`castwright.production.music.arrange`. Every template
is 4/4; its main section repeats its progression, and its intro borrows the main section's
last bars, so intro→main is the same turnaround as main→main.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BUILTIN_TEMPLATES",
    "LIBRARY",
    "Arrangement",
    "Part",
    "Template",
    "TemplateSpec",
    "find",
]

Role = Literal["chords", "bass", "pedal", "arp", "melody", "drum", "riser", "texture"]


@dataclass(frozen=True)
class TemplateSpec:
    """What the library shows about a template."""

    name: str
    display_name: str
    moods: tuple[str, ...]
    genre: str
    tempo_bpm: float
    key: str
    tags: tuple[str, ...]
    description: str
    instruments: tuple[str, ...]
    progression: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One instrument's line in the arrangement."""

    role: Role
    sound: str  # an instrument (pitched roles) or a drum name (drum role)
    pattern: str = ""
    gain_db: float = 0.0
    pan: float = 0.0
    send: float = 0.15  # reverb send, linear
    low: int = 48  # lowest MIDI note of a pitched part
    intro_from: float = 0.0  # the part enters after this fraction of the intro (1.0: not at all)
    fade_in: bool = False  # swells in over the intro instead of entering at full level
    outro: bool = True  # plays the outro's cadence and its final downbeat
    fill: str = ""  # the last bar of the main section and the intro: a turnaround
    pump: float = 0.0  # sidechain-style dip on every beat, 0..1
    strum: float = 0.0  # beats between a chord's notes, low to high
    length_bars: int = 1  # a riser's length


@dataclass(frozen=True)
class Arrangement:
    progression: tuple[str, ...]
    chord_beats: int  # beats each chord of the progression lasts
    main_bars: int
    intro_bars: int
    cadence: tuple[tuple[str, int], ...]  # the outro's chords (numeral, beats) before the final
    final: str
    parts: tuple[Part, ...]
    seed: int
    swing: float = 0.0  # delay of every off-beat sixteenth, as a fraction of a sixteenth
    reverb_seconds: float = 2.2
    ring_seconds: float = 3.5  # how long the outro's final chord rings out
    lowpass_hz: float = 0.0  # a master low-pass for the dark, worn styles (0: none)


@dataclass(frozen=True)
class Template:
    spec: TemplateSpec
    arrangement: Arrangement = field(repr=False)


# What the library calls each voice when it lists a template's instruments.
_INSTRUMENT_NAMES = {
    "pad_bright": "synth pad", "pad_warm": "synth pad", "soft_pad": "ambient pad",
    "strings": "strings", "drone": "drone", "epiano": "electric piano",
    "epiano_tremolo": "electric piano", "pluck": "plucked strings", "bell": "glockenspiel",
    "bass_saw": "synth bass", "bass_sub": "sub bass", "bass_pluck": "bass",
    "lead_square": "synth lead", "lead_soft": "soft lead", "arp_saw": "synth",
    "timpani": "timpani", "kick": "drums", "kick_deep": "drums", "kick_soft": "drums",
    "snare": "drums", "snare_soft": "drums", "clap": "claps", "hat": "hi-hats",
    "open_hat": "hi-hats", "shaker": "shaker", "rim": "rimshot", "crash": "cymbals",
    "jingle": "sleigh bells", "riser": "riser",
}  # fmt: skip


def _template(
    name: str, display: str, moods: tuple[str, ...], genre: str, bpm: float, key: str,
    tags: tuple[str, ...], description: str, arrangement: Arrangement,
) -> Template:  # fmt: skip
    sounds = (p.sound for p in arrangement.parts if p.role != "texture")
    instruments = tuple(dict.fromkeys(_INSTRUMENT_NAMES[sound] for sound in sounds))
    spec = TemplateSpec(name, display, moods, genre, bpm, key, tags, description, instruments,
                        arrangement.progression)  # fmt: skip
    return Template(spec, arrangement)


_RISER = Part("riser", "riser", gain_db=-14.0, send=0.3)
_CRASH = Part("drum", "crash", gain_db=-15.0, pan=0.3, send=0.2)

# The library reads as a table: one part per line, patterns lined up bar by bar, so it is
# kept out of the formatter's hands.
# fmt: off
LIBRARY: tuple[Template, ...] = (
    _template(
        "corporate", "Corporate Bright", ("bright", "confident", "optimistic"), "corporate",
        110, "D major", ("business", "presentation", "explainer", "advert"),
        "Bright plucked arpeggios, a warm pad and claps over a steady pulse.",
        Arrangement(
            ("I", "V", "vi", "IV"), 4, 16, 3, (("V", 4),), "I", seed=110,
            parts=(
                Part("chords", "pad_bright", "X--- ---- ---- ----", -11, send=0.3, low=57,
                     fade_in=True),
                Part("arp", "pluck", "1-3-2-4-3-5-4-3-", -9, pan=-0.3, send=0.25, low=62,
                     fade_in=True),
                Part("bass", "bass_saw", "R-R-R-R-R-R-5-O-", -3, low=38, intro_from=0.5),
                Part("melody", "bell", "x--.x-x-x---.... x-.x--x-x-x-----", -8, pan=0.25,
                     send=0.3, low=74, intro_from=1.0),
                Part("drum", "kick", "X... .... X.x. ....", -8, intro_from=0.34),
                Part("drum", "clap", ".... X... .... X...", -10, send=0.2, intro_from=0.67,
                     fill=".... X... X.x. X.XX"),
                Part("drum", "hat", "..x. ..x. ..x. ..x.", -12, pan=0.35, intro_from=0.5),
                Part("drum", "shaker", "xoxo xoxo xoxo xoxo", -22, pan=-0.35, outro=False),
                _RISER, _CRASH,
            ),
        ),
    ),
    _template(
        "upbeat", "Upbeat Pop", ("happy", "energetic", "uplifting"), "pop",
        124, "A major", ("pop", "summer", "lifestyle", "product launch"),
        "Synth stabs on the off-beat, a bouncing octave bass and a catchy square lead.",
        Arrangement(
            ("vi", "IV", "I", "V"), 4, 16, 4, (("IV", 2), ("V", 2)), "I", seed=124,
            parts=(
                Part("chords", "pad_warm", "X--- ---- ---- ----", -14, send=0.3, low=57,
                     fade_in=True),
                Part("chords", "arp_saw", "..X. ..X. ..X. ..X.", -5, send=0.2, low=60,
                     intro_from=0.25),
                Part("bass", "bass_saw", "R-O-R-O-R-O-R-O-", -6, low=33, intro_from=0.5),
                Part("melody", "lead_square", "x-x-x--.x-x-x--- x-x-x--.x---x-.-", -7,
                     pan=-0.15, send=0.2, low=69, intro_from=1.0),
                Part("drum", "kick", "X... ..X. X... ....", -10, intro_from=0.5),
                Part("drum", "snare", ".... X... .... X...", -16, intro_from=0.75,
                     fill=".... X... XXXX XXXX"),
                Part("drum", "clap", ".... X... .... X...", -18, send=0.2, intro_from=1.0),
                Part("drum", "hat", "xxox xxox xxox xxox", -20, pan=0.3, intro_from=0.25),
                _RISER, _CRASH,
            ),
        ),
    ),
    _template(
        "calm", "Calm Ambient", ("calm", "peaceful", "reflective"), "ambient",
        70, "F major", ("meditation", "wellness", "background", "podcast"),
        "Slow evolving pads, a sine sub and a sparse bell arpeggio in a large room.",
        Arrangement(
            ("Imaj7", "vi7", "IVmaj7", "Vsus4"), 8, 8, 2, (("IVmaj7", 4),), "Imaj7",
            seed=70, reverb_seconds=3.5, ring_seconds=4.0,
            parts=(
                Part("chords", "soft_pad", "X" + "-" * 31, -12, send=0.45, low=53, fade_in=True),
                Part("bass", "bass_sub", "R" + "-" * 31, -14, low=29, fade_in=True),
                Part("arp", "bell", "1... 3... 5... 4... 2... 3... 6... ....", -10, pan=0.3,
                     send=0.5, low=65),
                Part("melody", "epiano", "x------- x---x--- x------- ........", -8, pan=-0.2,
                     send=0.4, low=62, intro_from=1.0),
                Part("drum", "shaker", "..x. ..x. ..x. ..x.", -20, pan=0.4, send=0.3,
                     intro_from=0.5, outro=False),
            ),
        ),
    ),
    _template(
        "cinematic", "Cinematic Rise", ("epic", "dramatic", "serious"), "cinematic",
        80, "D minor", ("trailer", "documentary", "film", "drama"),
        "Slow string chords over a low drone, timpani hits and a horn-like theme.",
        Arrangement(
            ("i", "VI", "III", "VII"), 8, 8, 2, (("VI", 2), ("V", 2)), "i", seed=80,
            reverb_seconds=3.0, ring_seconds=4.0,
            parts=(
                Part("chords", "strings", "X" + "-" * 31, -12, send=0.35, low=55, fade_in=True),
                Part("pedal", "drone", "R" + "-" * 31, -15, send=0.2, low=38, fade_in=True),
                Part("bass", "bass_saw", "R.rr R.rr R.rr R.rr", -9, low=38, intro_from=0.5),
                Part("melody", "lead_soft", "x------- x---x--- x-----x- x-------", -10,
                     pan=0.15, send=0.4, low=62, intro_from=1.0),
                Part("bass", "timpani", "R... .... .... .... R... .... .... 5.55", -9,
                     send=0.3, low=38, intro_from=0.5, fill="R... .... R.R. RRRR"),
                Part("drum", "kick_deep", "X... .... X... ....", -14, intro_from=1.0),
                _RISER, _CRASH,
            ),
        ),
    ),
    _template(
        "news", "News Pulse", ("urgent", "serious", "driving"), "news",
        120, "A minor", ("news", "current affairs", "sport", "countdown"),
        "A ticking sixteenth pulse, driving bass and tight drums for headlines.",
        Arrangement(
            ("i", "iv", "VI", "V"), 4, 16, 3, (("iv", 2), ("V", 2)), "i", seed=120,
            parts=(
                Part("chords", "pad_warm", "X--- ---- ---- ----", -15, send=0.25, low=57,
                     fade_in=True),
                Part("arp", "arp_saw", "1111 1111 1111 1111", -9, pan=0.2, low=69),
                Part("bass", "bass_saw", "R-R-R-R-R-R-R-R-", -6, low=33, intro_from=0.34),
                Part("melody", "lead_square", "x--x--x- ........ x--x--x- x-------", -9,
                     pan=-0.2, send=0.2, low=64, intro_from=1.0),
                Part("drum", "kick", "X... X... X... X...", -11, intro_from=0.67),
                Part("drum", "snare", ".... X... .... X...", -17, intro_from=0.67,
                     fill=".... X... X.XX XXXX"),
                Part("drum", "hat", "xoxo xoxo xoxo xoxo", -17, pan=0.35, intro_from=0.34),
                Part("bass", "timpani", "R... .... .... ....", -14, low=33, intro_from=1.0),
                _RISER, _CRASH,
            ),
        ),
    ),
    _template(
        "lofi", "Lo-fi Chill", ("chill", "relaxed", "nostalgic"), "lo-fi hip hop",
        90, "Eb major", ("study", "lofi", "chill", "vlog"),
        "Dusty electric-piano sevenths, a round bass and lazy swung hats under vinyl crackle.",
        Arrangement(
            ("ii7", "V7", "Imaj7", "vi7"), 4, 8, 2, (("ii7", 2), ("V7", 2)), "Imaj7",
            seed=90, swing=0.3, lowpass_hz=6500.0,
            parts=(
                Part("chords", "epiano_tremolo", "X--- ---x --x- ----", -10, send=0.25,
                     low=55, fade_in=True, strum=0.04),
                Part("bass", "bass_pluck", "R--- ---- R-.5 ----", -11, low=39, intro_from=0.5),
                Part("melody", "bell", "....x-x- x---.... ..x-x-x- x-------", -11, pan=0.3,
                     send=0.35, low=70, intro_from=1.0),
                Part("drum", "kick_soft", "X... ...x ..X. ....", -9, intro_from=0.5),
                Part("drum", "snare_soft", ".... X... .... X...", -11, intro_from=0.5),
                Part("drum", "hat", "x.xo x.xo x.xo x.xx", -15, pan=0.3, outro=False),
                Part("texture", "crackle", gain_db=-9, send=0.0, fade_in=True),
            ),
        ),
    ),
    _template(
        "acoustic", "Acoustic Morning", ("warm", "hopeful", "friendly"), "folk",
        100, "G major", ("acoustic", "folk", "family", "storytelling"),
        "Strummed and fingerpicked plucked strings, an alternating bass and hand percussion.",
        Arrangement(
            ("I", "IV", "vi", "V"), 4, 8, 2, (("IV", 2), ("V", 2)), "I", seed=100,
            parts=(
                Part("chords", "pluck", "X--- --x- X--- --x-", -13, pan=-0.25, send=0.2,
                     low=55, strum=0.06),
                Part("arp", "pluck", "1-3-2-4-1-3-2-4-", -14, pan=0.3, send=0.2, low=62,
                     fade_in=True),
                Part("bass", "bass_pluck", "R--- ---- 5--- ----", -12, low=36, intro_from=0.5),
                Part("melody", "lead_soft", "x-x-x---x-x-x--- x---x-x-x-------", -10,
                     pan=0.1, send=0.3, low=67, intro_from=1.0),
                Part("drum", "kick_soft", "X... .... X... ....", -10, intro_from=0.5),
                Part("drum", "rim", ".... X... .... X...", -10, send=0.2, intro_from=0.5),
                Part("drum", "shaker", "xoxo xoxo xoxo xoxo", -18, pan=0.4, outro=False),
            ),
        ),
    ),
    _template(
        "electronic", "Electronic Drive", ("modern", "energetic", "techy"), "electronic",
        126, "F minor", ("tech", "startup", "edm", "gaming"),
        "Four-on-the-floor kick, pumping pads, a sixteenth arpeggio and an off-beat sub bass.",
        Arrangement(
            ("i", "VI", "III", "VII"), 4, 16, 4, (("VI", 2), ("VII", 2)), "i", seed=126,
            parts=(
                Part("chords", "pad_warm", "X--- ---- ---- ----", -11, send=0.3, low=56,
                     fade_in=True, pump=0.7),
                Part("arp", "arp_saw", "1234 3214 1234 5432", -5, pan=0.2, send=0.25,
                     low=60, pump=0.4),
                Part("bass", "bass_sub", "..R. ..R. ..R. ..R.", -8, low=29, intro_from=0.5),
                Part("drum", "kick_deep", "X... X... X... X...", -7, intro_from=0.5),
                Part("drum", "clap", ".... X... .... X...", -11, send=0.2, intro_from=0.75,
                     fill=".... X... X.XX XXXX"),
                Part("drum", "open_hat", "..x. ..x. ..x. ..x.", -18, pan=-0.3),
                Part("drum", "hat", "x.xo x.xo x.xo x.xo", -18, pan=0.35, intro_from=0.25),
                Part("riser", "riser", gain_db=-13.0, send=0.3, length_bars=2),
                _CRASH,
            ),
        ),
    ),
    _template(
        "holiday", "Holiday Jingle", ("festive", "joyful", "cosy"), "holiday",
        116, "C major", ("christmas", "holiday", "winter", "seasonal"),
        "Sleigh bells, a glockenspiel tune and a walking bass over festive changes.",
        Arrangement(
            ("I", "vi", "ii", "V", "I", "IV", "ii7", "V7"), 4, 16, 2, (("IV", 2), ("V7", 2)),
            "I", seed=116,
            parts=(
                Part("chords", "epiano", "..X- ..X- ..X- ..X-", -11, send=0.25, low=55,
                     fade_in=True),
                Part("bass", "bass_pluck", "R-3-5-O-R-3-5-3-", -13, low=36, intro_from=0.5),
                Part("melody", "bell", "x-x-x---x-x-x--- x-x-x-x-x-------", -9, pan=0.2,
                     send=0.3, low=72, intro_from=1.0),
                Part("drum", "jingle", "X.x. x.x. X.x. x.x.", -11, pan=-0.3, send=0.2),
                Part("drum", "kick_soft", "X... .... X... ....", -10, intro_from=0.5),
                Part("drum", "snare_soft", ".... X... .... X...", -12, send=0.2,
                     intro_from=0.5, fill=".... X... X.X. XXXX"),
                _CRASH,
            ),
        ),
    ),
)
# fmt: on

BUILTIN_TEMPLATES: tuple[TemplateSpec, ...] = tuple(t.spec for t in LIBRARY)


def find(name: str) -> Template:
    for template in LIBRARY:
        if template.spec.name == name:
            return template
    known = ", ".join(t.spec.name for t in LIBRARY)
    raise KeyError(f"no built-in sound template {name!r}; the built-ins are {known}")
