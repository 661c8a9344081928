"""Where everything goes: speech sections and music beds on one timeline, in seconds.

Pure arithmetic over durations, so the rules can be read and tested without audio. Sections
are placed in script order; each sits over the template segment its soundsegment names. A
script that names no segments gets the usual shape: intro, then main under all the speech,
then outro.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from castwright.errors import Invalid

__all__ = [
    "Bed",
    "Layout",
    "SectionProps",
    "SpeechPiece",
    "TimelineProps",
    "layout_timeline",
    "parse_section_properties",
    "parse_timeline_properties",
]

BED_CROSSFADE = 0.5  # seconds: every join between beds is a crossfade, never a cut
DEFAULT_LEAD_IN = 2.0  # music before the first word, when a template is used
DEFAULT_TAIL = 1.5  # music after the last word


@dataclass(frozen=True)
class SectionProps:
    start_at: float | None = None
    end_at: float | None = None
    alignment: str = "left"
    fade_in: float | None = None
    fade_out: float | None = None
    padding: float = 0.0


@dataclass(frozen=True)
class TimelineProps:
    force_length: float | None = None
    speech_start: float | None = None
    sound_tail: float | None = None
    fade_in: float = 0.0
    fade_out: float = 0.0
    padding: float = 0.0


@dataclass(frozen=True)
class SpeechPiece:
    name: str
    parent: str | None
    duration: float
    sound_segment: str


@dataclass(frozen=True)
class Bed:
    """A stretch of one template segment: looped or trimmed to fit [start, end)."""

    segment: str
    start: float
    end: float
    fade_in: float
    fade_out: float
    loop: bool = True  # intro and outro play as written; beds under speech loop

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass
class Layout:
    speech_at: list[float]
    beds: list[Bed]
    length: float  # padding included
    fade_in: float
    fade_out: float
    warnings: list[str] = field(default_factory=list)
    padding: float = 0.0  # the silence closing the programme; the fade-out ends before it


def _number(value: Any, where: str, minimum: float = 0.0, strictly: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid("must be a number of seconds", field=where)
    try:
        number = float(value)
    except ValueError:
        raise Invalid("must be a number of seconds", field=where) from None
    if number != number or number in (float("inf"), float("-inf")) or number > 86400:
        raise Invalid("must be a finite number of seconds (at most a day)", field=where)
    if number < minimum or (strictly and number == minimum):
        raise Invalid(f"must be {'more than' if strictly else 'at least'} {minimum:g}", field=where)
    return number


def _check_keys(values: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in values:
        if key not in allowed:
            raise Invalid(
                f"unknown property; use {', '.join(sorted(allowed))}", field=f"{where}.{key}"
            )


def parse_section_properties(raw: dict[str, Any]) -> dict[str, SectionProps]:
    parsed = {}
    allowed = {"startAt", "endAt", "alignment", "fadeIn", "fadeOut", "padding"}
    for name, values in raw.items():
        where = f"sectionProperties.{name}"
        if not isinstance(values, dict):
            raise Invalid("must be an object", field=where)
        _check_keys(values, allowed, where)
        get = {k: v for k, v in values.items() if v is not None}
        start = _number(get["startAt"], f"{where}.startAt") if "startAt" in get else None
        end = _number(get["endAt"], f"{where}.endAt") if "endAt" in get else None
        if start is not None and end is not None and end <= start:
            raise Invalid(f"must be after startAt ({start:g} s)", field=f"{where}.endAt")
        alignment = str(get.get("alignment", "left")).lower().replace("center", "centre")
        if alignment not in ("left", "centre", "right"):
            raise Invalid("must be left, centre or right", field=f"{where}.alignment")
        parsed[name] = SectionProps(
            start_at=start,
            end_at=end,
            alignment=alignment,
            fade_in=_number(get["fadeIn"], f"{where}.fadeIn") if "fadeIn" in get else None,
            fade_out=_number(get["fadeOut"], f"{where}.fadeOut") if "fadeOut" in get else None,
            padding=_number(get.get("padding", 0), f"{where}.padding"),
        )
    return parsed


def parse_timeline_properties(raw: dict[str, Any]) -> TimelineProps:
    where = "timelineProperties"
    _check_keys(
        raw, {"forceLength", "speechStart", "soundTail", "fadeIn", "fadeOut", "padding"}, where
    )
    get = {k: v for k, v in raw.items() if v is not None}
    return TimelineProps(
        force_length=(
            _number(get["forceLength"], f"{where}.forceLength", strictly=True)
            if "forceLength" in get
            else None
        ),
        speech_start=(
            _number(get["speechStart"], f"{where}.speechStart") if "speechStart" in get else None
        ),
        sound_tail=(
            _number(get["soundTail"], f"{where}.soundTail") if "soundTail" in get else None
        ),
        fade_in=_number(get.get("fadeIn", 0), f"{where}.fadeIn"),
        fade_out=_number(get.get("fadeOut", 0), f"{where}.fadeOut"),
        padding=_number(get.get("padding", 0), f"{where}.padding"),
    )


def _units(pieces: list[SpeechPiece]) -> list[list[int]]:
    """The pieces' indices by section: a section's sub-sections, one after another, are one
    unit, which the section's own properties and its sound segment apply to as a whole."""
    units: list[list[int]] = []
    for index, piece in enumerate(pieces):
        if units and piece.parent is not None and pieces[units[-1][-1]].parent == piece.parent:
            units[-1].append(index)
        else:
            units.append([index])
    return units


def _fit_region(
    name: str,
    start: float,
    speech_end: float,
    own: SectionProps,
    strict: bool,
    warnings: list[str],
) -> tuple[float, float]:
    """Where the region of speech [start, speech_end) ends under ``own.end_at``, and how far
    its alignment moves the speech."""
    if own.end_at is None:
        return speech_end, 0.0
    need, room = speech_end - start, own.end_at - start
    if room < need:
        message = (
            f"ends at {own.end_at:g} s but the speech of {name!r} needs {need:.2f} s "
            f"from {start:g} s"
        )
        if strict:
            raise Invalid(message, field=f"sectionProperties.{name}.endAt")
        warnings.append(f"sectionProperties.{name}.endAt: {message}; extended")
        room = need
    slack = room - need
    return start + room, {"left": 0.0, "centre": slack / 2, "right": slack}[own.alignment]


def _place_speech(
    pieces: list[SpeechPiece],
    props: dict[str, SectionProps],
    first_at: float,
    strict: bool,
    warnings: list[str],
) -> tuple[list[float], list[tuple[float, float]]]:
    """Speech start times, and each unit's region [start, end) (see :func:`_units`)."""
    at: list[float] = []
    regions = []
    cursor = first_at
    for unit in _units(pieces):
        section = pieces[unit[0]].parent  # None: a section without sub-sections
        outer = props.get(section) if section is not None else None
        if outer is not None and outer.start_at is not None:
            cursor = outer.start_at
        first, starts, ends = len(at), [], []
        for piece in (pieces[index] for index in unit):
            own = props.get(piece.name) or SectionProps()
            start = own.start_at if own.start_at is not None else cursor
            end, shift = _fit_region(
                piece.name, start, start + piece.duration, own, strict, warnings
            )
            at.append(start + shift)
            starts.append(start)
            ends.append(end)
            cursor = end + own.padding
        region = (min(starts), max(ends))
        if outer is not None and section is not None:
            # The section's own properties place its sub-sections as one block.
            end, shift = _fit_region(section, region[0], region[1], outer, strict, warnings)
            at[first:] = [t + shift for t in at[first:]]
            cursor = max(cursor + shift, end) + outer.padding
            region = (region[0], end)
        regions.append(region)
    return at, regions


def layout_timeline(
    pieces: list[SpeechPiece],
    segment_lengths: dict[str, float] | None,
    section_props: dict[str, SectionProps],
    timeline: TimelineProps,
    strict: bool = True,
) -> Layout:
    """``segment_lengths`` maps the template's segments to seconds; None: speech only."""
    warnings: list[str] = []
    for name in section_props:
        if not any(name in (p.name, p.parent) for p in pieces):
            raise Invalid(
                "the speech has no section of this name", field=f"sectionProperties.{name}"
            )
    with_music = segment_lengths is not None
    lead_in = timeline.speech_start
    if lead_in is None:
        intro = (segment_lengths or {}).get("intro")
        lead_in = min(intro, DEFAULT_LEAD_IN) if intro else (DEFAULT_LEAD_IN if with_music else 0)
    speech_at, regions = _place_speech(pieces, section_props, lead_in, strict, warnings)
    speech_end = max(
        (at + p.duration for at, p in zip(speech_at, pieces, strict=True)), default=0.0
    )
    tail = (
        timeline.sound_tail
        if timeline.sound_tail is not None
        else (DEFAULT_TAIL if with_music else 0.0)
    )
    beds: list[Bed] = []
    if segment_lengths is not None:
        if any(p.sound_segment for p in pieces):
            beds = _named_beds(pieces, regions, segment_lengths, section_props, tail)
        else:
            beds = _default_beds(segment_lengths, lead_in, speech_end + tail)
    length = max([speech_end + tail, *(b.end for b in beds)])
    if timeline.force_length is not None:
        if speech_end > timeline.force_length:
            message = (
                f"is {timeline.force_length:g} s but the speech alone lasts {speech_end:.2f} s"
            )
            if strict:
                raise Invalid(message, field="timelineProperties.forceLength")
            warnings.append(f"timelineProperties.forceLength: {message}; the speech is kept")
        else:
            beds = _fit_beds(beds, timeline.force_length)
            length = timeline.force_length
    return Layout(
        speech_at,
        beds,
        length + timeline.padding,
        timeline.fade_in,
        timeline.fade_out,
        warnings,
        timeline.padding,
    )


def _default_beds(lengths: dict[str, float], lead_in: float, main_end: float) -> list[Bed]:
    beds: list[Bed] = []
    main_start = 0.0
    if "intro" in lengths and lead_in > 0:
        # The intro plays as written; the main bed comes in under its last half second.
        intro_end = min(lengths["intro"], lead_in + BED_CROSSFADE)
        beds.append(Bed("intro", 0.0, intro_end, 0.0, BED_CROSSFADE, loop=False))
        main_start = max(0.0, intro_end - BED_CROSSFADE)
    main = "main" if "main" in lengths else next(iter(lengths))
    beds.append(
        Bed(
            main,
            main_start,
            main_end + BED_CROSSFADE,
            BED_CROSSFADE if beds else 0.0,
            BED_CROSSFADE,
        )
    )
    if "outro" in lengths:
        beds.append(
            Bed("outro", main_end, main_end + lengths["outro"], BED_CROSSFADE, 0.0, loop=False)
        )
    return beds


def _named_beds(
    pieces: list[SpeechPiece],
    regions: list[tuple[float, float]],
    lengths: dict[str, float],
    props: dict[str, SectionProps],
    tail: float,
) -> list[Bed]:
    """One bed per section (its sub-sections share it), from its start to the next's."""
    beds = []
    for index, (unit, (start, end)) in enumerate(zip(_units(pieces), regions, strict=True)):
        head = pieces[unit[0]]
        wanted = next((pieces[i].sound_segment for i in unit if pieces[i].sound_segment), "")
        if not wanted:
            continue
        name = head.parent if head.parent is not None else head.name
        segment = next((n for n in lengths if n.lower() == wanted.lower()), None)
        if segment is None:
            raise Invalid(
                f"the template has no segment {wanted!r}; it has {', '.join(lengths)}",
                field=f"sections.{name}.soundSegment",
            )
        next_start = regions[index + 1][0] if index + 1 < len(regions) else end + tail
        bed_start = 0.0 if index == 0 else start
        own = props.get(name, SectionProps())
        fade_in = own.fade_in if own.fade_in is not None else (0.0 if index == 0 else BED_CROSSFADE)
        fade_out = own.fade_out if own.fade_out is not None else BED_CROSSFADE
        beds.append(
            Bed(segment, bed_start, max(next_start, end) + BED_CROSSFADE / 2, fade_in, fade_out)
        )
    return beds


def _fit_beds(beds: list[Bed], length: float) -> list[Bed]:
    """Stretch or cut the music so the programme ends exactly at ``length``."""
    if not beds:
        return beds
    fitted = [b for b in beds if b.start < length]
    last = fitted[-1]
    if not last.loop and len(fitted) > 1:
        # An outro keeps its length and moves so it ends at the forced length; the bed
        # before it stretches (loops) or shrinks to meet it.
        outro_start = max(fitted[-2].start, length - last.length)
        before = fitted[-2]
        fitted[-2] = Bed(
            before.segment,
            before.start,
            outro_start + BED_CROSSFADE,
            before.fade_in,
            before.fade_out,
            before.loop,
        )
        fitted[-1] = Bed(last.segment, outro_start, length, last.fade_in, 0.0, last.loop)
    else:
        fitted[-1] = Bed(
            last.segment,
            last.start,
            length,
            last.fade_in,
            max(last.fade_out, BED_CROSSFADE),
            last.loop,
        )
    return fitted
