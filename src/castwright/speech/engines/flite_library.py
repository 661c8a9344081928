"""A small ctypes binding to libflite, the CMU Flite library (Debian: libflite1).

Flite is a C library first and a command line second; calling it in process saves a process
start and a voice load per sentence. Only what Castwright needs: register the voices,
synthesise one utterance with per-utterance settings (``duration_stretch``, ``f0_shift``) so
concurrent callers never see each other's settings, and run a voice's front end and duration
model alone (``segments``: the phones, pauses and durations a text becomes, without the
costly waveform step) for length prediction.

Each voice lives in its own shared object (``libflite_cmu_us_slt.so.1`` ...) exporting
``register_cmu_us_<name>``. Flite keeps a little global state (the lexicon's addenda, the
voice list), so every call goes through one process-wide lock; the synthesis itself runs in C
with the GIL released, so other engines carry on meanwhile.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["FLITE_VOICES", "FliteLibrary", "FliteLibraryError", "Segment", "flite_library"]

# The general-purpose voices Debian's libflite1 ships (cmu_time_awb only tells the time).
FLITE_VOICES = ("slt", "rms", "awb", "kal16", "kal")

_LIBRARY = "libflite.so.1"
_VOICE_LIBRARY = "libflite_cmu_us_{name}.so.1"


class FliteLibraryError(RuntimeError):
    """libflite or one of its voices could not be loaded."""


class _Wave(ctypes.Structure):
    # cst_wave from cst_wave.h
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("sample_rate", ctypes.c_int),
        ("num_samples", ctypes.c_int),
        ("num_channels", ctypes.c_int),
        ("samples", ctypes.POINTER(ctypes.c_short)),
    ]


class _DurStat(ctypes.Structure):
    # dur_stat from cst_synth.h
    _fields_ = [("phone", ctypes.c_char_p), ("mean", ctypes.c_float), ("stddev", ctypes.c_float)]


class _CgDb(ctypes.Structure):
    # The head of cst_cg_db from cst_cg.h (flite 2.x), up to the phone to state map; the
    # header asks that fields only ever be added at its end.
    _fields_ = [
        ("name", ctypes.c_void_p),
        ("types", ctypes.c_void_p),
        ("num_types", ctypes.c_int),
        ("sample_rate", ctypes.c_int),
        ("f0_mean", ctypes.c_float),
        ("f0_stddev", ctypes.c_float),
        ("num_f0_models", ctypes.c_int),
        ("f0_trees", ctypes.c_void_p),
        ("num_param_models", ctypes.c_int),
        ("param_trees", ctypes.c_void_p),
        ("spamf0_accent_tree", ctypes.c_void_p),
        ("spamf0_phrase_tree", ctypes.c_void_p),
        ("num_channels", ctypes.c_void_p),
        ("num_frames", ctypes.c_void_p),
        ("model_vectors", ctypes.c_void_p),
        ("num_channels_spamf0_accent", ctypes.c_int),
        ("num_frames_spamf0_accent", ctypes.c_int),
        ("spamf0_accent_vectors", ctypes.c_void_p),
        ("model_min", ctypes.c_void_p),
        ("model_range", ctypes.c_void_p),
        ("qtable", ctypes.c_void_p),
        ("model_shape", ctypes.c_int),
        ("frame_advance", ctypes.c_float),
        ("num_dur_models", ctypes.c_int),
        ("dur_stats", ctypes.POINTER(ctypes.POINTER(ctypes.POINTER(_DurStat)))),
        ("dur_cart", ctypes.POINTER(ctypes.c_void_p)),
        ("phone_states", ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))),
    ]


@dataclass(frozen=True)
class _StateDurations:
    """A clustergen voice's duration model: each phone is a few HMM states, and each state
    lasts (mean + z * stddev) for its name, z from the voice's duration trees."""

    states: dict[bytes, tuple[bytes, ...]]  # phone -> its states' names
    unknown: tuple[bytes, ...]  # the states of a phone the map lacks
    stats: dict[bytes, tuple[float, float]]  # state name -> (mean, stddev) seconds
    default: tuple[float, float]
    carts: tuple[int, ...]  # cst_cart*, averaged
    frame_advance: float  # the shortest a state lasts

    @classmethod
    def read(cls, db: _CgDb) -> _StateDurations | None:
        # A layout this binding does not know shows as nonsense here: then no model at all.
        plausible = (
            8000 <= db.sample_rate <= 48000
            and 0.0 < db.frame_advance < 0.1
            and 1 <= db.num_dur_models <= 16
        )
        if not plausible or not db.dur_stats or not db.phone_states or not db.dur_cart:
            return None
        stats: dict[bytes, tuple[float, float]] = {}
        first = db.dur_stats[0]
        index = 0
        while first[index]:
            stat = first[index].contents
            stats[stat.phone or b""] = (float(stat.mean), float(stat.stddev))
            index += 1
        states: dict[bytes, tuple[bytes, ...]] = {}
        order: list[bytes] = []
        index = 0
        while db.phone_states[index]:
            row = db.phone_states[index]
            names: list[bytes] = []
            while row[len(names) + 1]:
                names.append(row[len(names) + 1] or b"")
            phone = row[0] or b""
            states.setdefault(phone, tuple(names))
            order.append(phone)
            index += 1
        if not stats or not order:
            return None
        carts = tuple(int(db.dur_cart[m] or 0) for m in range(db.num_dur_models))
        if not all(carts):
            return None
        default = stats[first[0].contents.phone or b""]
        return cls(states, states[order[0]], stats, default, carts, float(db.frame_advance))


@dataclass(frozen=True)
class _Signature:
    restype: type | None
    argtypes: list[type]


_VOID_P = ctypes.c_void_p
_SIGNATURES = {
    "flite_init": _Signature(ctypes.c_int, []),
    "new_utterance": _Signature(_VOID_P, []),
    "utt_set_input_text": _Signature(None, [_VOID_P, ctypes.c_char_p]),
    "utt_init": _Signature(_VOID_P, [_VOID_P, _VOID_P]),
    "utt_synth": _Signature(_VOID_P, [_VOID_P]),
    "utt_wave": _Signature(_VOID_P, [_VOID_P]),
    "delete_utterance": _Signature(None, [_VOID_P]),
    "feat_set_float": _Signature(None, [_VOID_P, ctypes.c_char_p, ctypes.c_float]),
    # The front end alone (segments): a no-op wave step, then the Segment relation.
    "uttfunc_val": _Signature(_VOID_P, [_VOID_P]),
    "feat_set": _Signature(None, [_VOID_P, ctypes.c_char_p, _VOID_P]),
    "utt_relation": _Signature(_VOID_P, [_VOID_P, ctypes.c_char_p]),
    "relation_head": _Signature(_VOID_P, [_VOID_P]),
    "item_next": _Signature(_VOID_P, [_VOID_P]),
    "item_feat_present": _Signature(ctypes.c_int, [_VOID_P, ctypes.c_char_p]),
    "item_feat_string": _Signature(ctypes.c_char_p, [_VOID_P, ctypes.c_char_p]),
    "item_feat_float": _Signature(ctypes.c_float, [_VOID_P, ctypes.c_char_p]),
    "ffeature_string": _Signature(ctypes.c_char_p, [_VOID_P, ctypes.c_char_p]),
    # A clustergen voice's state durations (segments): cg_make_params' duration step.
    "utt_relation_create": _Signature(_VOID_P, [_VOID_P, ctypes.c_char_p]),
    "relation_append": _Signature(_VOID_P, [_VOID_P, _VOID_P]),
    "item_add_daughter": _Signature(_VOID_P, [_VOID_P, _VOID_P]),
    "item_set_string": _Signature(None, [_VOID_P, ctypes.c_char_p, ctypes.c_char_p]),
    "item_set_int": _Signature(None, [_VOID_P, ctypes.c_char_p, ctypes.c_int]),
    "item_set_float": _Signature(None, [_VOID_P, ctypes.c_char_p, ctypes.c_float]),
    "cart_interpret": _Signature(_VOID_P, [_VOID_P, _VOID_P]),
    "val_float": _Signature(ctypes.c_float, [_VOID_P]),
}

_UTTFUNC = ctypes.CFUNCTYPE(_VOID_P, _VOID_P)


def _return_utterance(utterance: int | None) -> int | None:
    return utterance


# A wave synthesis step that does nothing; kept alive here for as long as flite may call it.
_NO_WAVEFORM = _UTTFUNC(_return_utterance)


@dataclass(frozen=True)
class Segment:
    """One segment of an utterance, as a voice's front end leaves it before the waveform."""

    name: str  # Flite's phone name; "pau" for a pause
    stressed: bool  # its syllable carries stress (always False for a pause)
    boundary: int  # the syllable's break: 0 inside a word, 1 word end, 3 phrase, 4 utterance
    seconds: float  # the voice's duration model's length for it (0 where it has none)


_LOCK = threading.Lock()
_INSTANCE: FliteLibrary | None = None


def flite_library() -> FliteLibrary:
    """The process-wide ``FliteLibrary``; ``FliteLibraryError`` when libflite is missing."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = FliteLibrary._load()
        return _INSTANCE


class FliteLibrary:
    """libflite and the voice libraries found next to it. Obtain it with ``flite_library()``."""

    def __init__(self, library: ctypes.CDLL, voice_libraries: dict[str, ctypes.CDLL]) -> None:
        self._lib = library
        self._voice_libraries = voice_libraries
        self._voices: dict[str, int] = {}  # name -> cst_voice*, registered on first use
        self._durations: dict[str, _StateDurations | None] = {}  # clustergen voices' models
        for name, signature in _SIGNATURES.items():
            function = getattr(library, name)
            function.restype = signature.restype
            function.argtypes = signature.argtypes
        library.flite_init()

    @classmethod
    def _load(cls) -> FliteLibrary:
        try:
            # RTLD_GLOBAL: the voice libraries resolve flite's symbols against this copy.
            library = ctypes.CDLL(_LIBRARY, mode=ctypes.RTLD_GLOBAL)
        except OSError as exc:
            raise FliteLibraryError(f"cannot load {_LIBRARY}: {exc}") from exc
        voices: dict[str, ctypes.CDLL] = {}
        for name in FLITE_VOICES:
            try:
                voices[name] = ctypes.CDLL(_VOICE_LIBRARY.format(name=name))
            except OSError:
                continue  # not installed: simply not offered
        if not voices:
            raise FliteLibraryError("no flite voice libraries (libflite_cmu_us_*.so.1) found")
        return cls(library, voices)

    @property
    def voice_names(self) -> list[str]:
        return list(self._voice_libraries)

    def _voice(self, name: str) -> int:
        # Called with _LOCK held.
        voice = self._voices.get(name)
        if voice is None:
            register = getattr(self._voice_libraries[name], f"register_cmu_us_{name}")
            register.restype = _VOID_P
            register.argtypes = [ctypes.c_char_p]
            voice = register(None)
            if not voice:
                raise FliteLibraryError(f"flite could not register the voice {name!r}")
            self._voices[name] = voice
        return voice

    def _state_durations(self, name: str) -> _StateDurations | None:
        # Called with _LOCK held. Clustergen voices export their database as cmu_us_<name>_cg_db.
        if name not in self._durations:
            try:
                db = _CgDb.in_dll(self._voice_libraries[name], f"cmu_us_{name}_cg_db")
            except ValueError:  # a diphone voice: its front end has its durations
                self._durations[name] = None
            else:
                self._durations[name] = _StateDurations.read(db)
        return self._durations[name]

    def exact_durations(self, voice: str) -> bool:
        """Whether ``voice``'s segments (``segments``) add up to the length of its audio at
        normal speed: true of the clustergen voices, whose durations are all there is to
        their timing; a diphone voice's audio is its joined units, a steady share longer or
        shorter."""
        if voice not in self._voice_libraries:
            return False
        with _LOCK:
            return self._state_durations(voice) is not None

    def _clustergen_durations(self, utterance: int, model: _StateDurations) -> None:
        """Give the utterance's segments their ``end`` times as cg_synth would (its
        cg_make_hmmstates and the duration step of cg_make_params, at duration_stretch 1),
        without predicting any parameters or waveform. Called with _LOCK held."""
        lib = self._lib
        hmm_states = lib.utt_relation_create(utterance, b"HMMstate")
        segment_states = lib.utt_relation_create(utterance, b"segstate")
        states: list[tuple[int, bytes]] = []
        last_states: list[tuple[int, int]] = []  # (segment, index of its last state)
        relation = lib.utt_relation(utterance, b"Segment")
        segment = lib.relation_head(relation) if relation else None
        while segment:
            parent = lib.relation_append(segment_states, segment)
            phone = lib.item_feat_string(segment, b"name") or b""
            for position, name in enumerate(model.states.get(phone, model.unknown), 1):
                state = lib.relation_append(hmm_states, None)
                lib.item_add_daughter(parent, state)
                lib.item_set_string(state, b"name", name)
                lib.item_set_int(state, b"statepos", position)
                states.append((state, name))
            last_states.append((segment, len(states) - 1))
            segment = lib.item_next(segment)
        ends: list[float] = []
        end = 0.0
        for state, name in states:
            z = sum(lib.val_float(lib.cart_interpret(state, cart)) for cart in model.carts)
            mean, stddev = model.stats.get(name, model.default)
            end += max(model.frame_advance, z / len(model.carts) * stddev + mean)
            lib.item_set_float(state, b"end", end)
            ends.append(end)
        for segment, last in last_states:  # then onto the segments, as cg_make_params does
            lib.item_set_float(segment, b"end", ends[last] if last >= 0 else 0.0)

    def synthesize(
        self, text: str, voice: str, *, duration_stretch: float = 1.0, f0_shift: float = 1.0
    ) -> tuple[npt.NDArray[np.int16], int]:
        """Speak ``text``; returns (mono int16 samples, the voice's sample rate)."""
        if voice not in self._voice_libraries:
            raise FliteLibraryError(f"flite has no voice {voice!r}")
        encoded = text.replace("\x00", " ").encode("utf-8")
        lib = self._lib
        with _LOCK:
            utterance = lib.new_utterance()
            try:
                lib.utt_set_input_text(utterance, encoded)
                lib.utt_init(utterance, self._voice(voice))
                # The utterance's own features shadow the voice's (utt_init links them), so
                # these settings last for this utterance only.
                features = ctypes.cast(utterance, ctypes.POINTER(_VOID_P))[0]
                lib.feat_set_float(features, b"duration_stretch", duration_stretch)
                if f0_shift != 1.0:
                    lib.feat_set_float(features, b"f0_shift", f0_shift)
                lib.utt_synth(utterance)
                wave = lib.utt_wave(utterance)
                if not wave:
                    return np.zeros(0, dtype=np.int16), 16000
                info = ctypes.cast(wave, ctypes.POINTER(_Wave)).contents
                count = info.num_samples * max(1, info.num_channels)
                samples = np.ctypeslib.as_array(info.samples, shape=(count,)).copy()
                rate = int(info.sample_rate)
                if info.num_channels > 1:  # flite's voices are mono; be safe anyway
                    samples = samples.reshape(-1, info.num_channels)[:, 0].copy()
            finally:
                lib.delete_utterance(utterance)
        return samples, rate

    def segments(self, text: str, voice: str) -> tuple[Segment, ...]:
        """The segments ``voice``'s front end makes of ``text`` as one utterance, pauses
        included, with the durations its duration model gives them; no waveform is made.

        The diphone voices (``kal``) run their duration model in the front end. The
        clustergen voices (``slt``, ``rms``, ``awb``) run theirs in the waveform step, over
        HMM states; that step's duration part is done here, so their segments add up to
        the length of their audio at normal speed, to a frame or so."""
        if voice not in self._voice_libraries:
            raise FliteLibraryError(f"flite has no voice {voice!r}")
        if not text.strip():
            return ()
        encoded = text.replace("\x00", " ").encode("utf-8")
        lib = self._lib
        found: list[Segment] = []
        with _LOCK:
            utterance = lib.new_utterance()
            try:
                lib.utt_set_input_text(utterance, encoded)
                lib.utt_init(utterance, self._voice(voice))
                features = ctypes.cast(utterance, ctypes.POINTER(_VOID_P))[0]
                skip = lib.uttfunc_val(ctypes.cast(_NO_WAVEFORM, _VOID_P))
                lib.feat_set(features, b"wave_synth_func", skip)
                lib.utt_synth(utterance)
                model = self._state_durations(voice)
                if model is not None:
                    self._clustergen_durations(utterance, model)
                relation = lib.utt_relation(utterance, b"Segment")
                item = lib.relation_head(relation) if relation else None
                previous = 0.0
                while item:
                    name = (lib.item_feat_string(item, b"name") or b"").decode()
                    end = (
                        float(lib.item_feat_float(item, b"end"))
                        if lib.item_feat_present(item, b"end")
                        else previous
                    )
                    stressed, boundary = False, 0
                    if name != "pau":
                        stress = lib.ffeature_string(item, b"R:SylStructure.parent.stress")
                        brk = lib.ffeature_string(item, b"R:SylStructure.parent.syl_break")
                        stressed = stress == b"1"
                        boundary = int(brk) if brk and brk.isdigit() else 0
                    found.append(Segment(name, stressed, boundary, max(0.0, end - previous)))
                    previous = max(previous, end)
                    item = lib.item_next(item)
            finally:
                lib.delete_utterance(utterance)
        return tuple(found)
