"""Script markup (spec 8.3) to :class:`ScriptDocument`.

The parser walks the tokens with a stack of open tags. Every problem is collected, so one
422 lists them all; each message names the tag and the character offset of its ``<``.
Placement rules (sections, sub-sections) live here; how text, pauses and whitespace end up in
a unit lives in :mod:`markup_units`; attribute value grammars live in :mod:`ssml_values`.
Phonemes are not passed to engines yet: ``<phoneme>`` keeps its inner text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from castwright.errors import Invalid
from castwright.speech.text.document import (
    NEUTRAL,
    Interpretation,
    Marker,
    Placeholder,
    Prosody,
    ScriptDocument,
)
from castwright.speech.text.markup_lexer import (
    LegacyDirective,
    LegacyPlaceholder,
    MalformedTag,
    Tag,
    TextRun,
    Token,
    tokenize,
)
from castwright.speech.text.markup_naming import build_sections
from castwright.speech.text.markup_units import RawSection, RawSub, UnitBuilder
from castwright.speech.text.plain_text import document_plain_text, section_plain_text
from castwright.speech.text.ssml_values import (
    EMPHASIS_LEVELS,
    MAX_BREAK_SECONDS,
    SAY_AS_KINDS,
    clamp_prosody,
    parse_break_strength,
    parse_pitch,
    parse_rate,
    parse_time,
    parse_volume,
)

__all__ = ["document_plain_text", "parse_script", "section_plain_text"]

FIELD = "scriptText"

# Tags that never hold content; "<break time='1s'>" without a slash is accepted as empty.
_EMPTY_TAGS = frozenset({"as:break", "break", "as:fx", "as:media"})
# Roles that sections and sub-sections may sit inside: they carry no delivery of their own.
_STRUCTURALLY_TRANSPARENT = frozenset({"speak", "unknown", "ignored"})
_CAPTURING_ROLES = frozenset({"placeholder", "alias"})
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass
class _Frame:
    """An open tag and what it does to the text inside it."""

    tag: Tag
    role: str
    prosody: Prosody = NEUTRAL
    interpretation: tuple[Interpretation, str] = ("text", "")
    default_text: list[str] = field(default_factory=list)  # placeholder only


def _at(tag: Tag) -> str:
    return f"{tag.describe()} at offset {tag.offset}"


class _Parser:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.raw_sections: list[RawSection] = []
        self.stack: list[_Frame] = []
        self.section: RawSection | None = None  # receives content; None between sections
        self.sub: RawSub | None = None
        self.uses_markup = False
        self.reported_unknown: set[str] = set()
        self.open_empty_tag: Tag | None = None  # "<break ...>" that may get a "</break>"
        # Open placeholders and <sub alias> tags, innermost last: they swallow their content.
        self.captures: list[_Frame] = []

    # -- helpers ---------------------------------------------------------------------------

    def error(self, message: str) -> None:
        self.errors.append(f"{FIELD}: {message}")

    def unit(self) -> UnitBuilder:
        if self.section is None:
            self.section = RawSection(tag=None)
            self.raw_sections.append(self.section)
        return self.sub.body if self.sub is not None else self.section.own

    @property
    def prosody(self) -> Prosody:
        return self.stack[-1].prosody if self.stack else NEUTRAL

    @property
    def interpretation(self) -> tuple[Interpretation, str]:
        return self.stack[-1].interpretation if self.stack else ("text", "")

    def push(self, tag: Tag, role: str, prosody: Prosody | None = None) -> None:
        if tag.self_closing:
            return
        frame = _Frame(tag, role, prosody or self.prosody, self.interpretation)
        self.stack.append(frame)
        if role in _CAPTURING_ROLES:
            self.captures.append(frame)

    def innermost(self, *roles: str) -> _Frame | None:
        return next((f for f in reversed(self.stack) if f.role in roles), None)

    # -- tokens ----------------------------------------------------------------------------

    def feed(self, token: Token) -> None:
        pending_empty, self.open_empty_tag = self.open_empty_tag, None
        if isinstance(token, TextRun):
            self.on_text(token.text)
        elif isinstance(token, Tag):
            self.uses_markup = True
            if token.closing:
                if pending_empty is not None and pending_empty.name == token.name:
                    return
                self.on_close(token)
            else:
                self.on_open(token)
        elif isinstance(token, LegacyPlaceholder):
            self.uses_markup = True
            tag = Tag("as:placeholder", token.offset, self_closing=True, attrs={"id": token.id})
            if not self.rejected_inside_capture(tag):
                default = (token.default or "").strip() or None
                self.add_placeholder(token.id.strip(), default)
        elif isinstance(token, LegacyDirective):
            self.uses_markup = True
            self.on_legacy_directive(token)
        elif isinstance(token, MalformedTag):
            fragment = token.fragment if len(token.fragment) <= 40 else token.fragment[:40] + "…"
            self.error(f"{fragment!r} at offset {token.offset} is not a well-formed tag")

    def on_text(self, text: str) -> None:
        capture = self.captures[-1] if self.captures else None
        if capture is not None:
            if capture.role == "placeholder":
                capture.default_text.append(text)
            return
        interpret_as, format_ = self.interpretation
        self.unit().add_text(text, self.prosody, interpret_as, format_)

    def rejected_inside_capture(self, tag: Tag) -> bool:
        """Tags inside a placeholder are errors; inside ``<sub alias>`` they are ignored."""
        capture = self.captures[-1] if self.captures else None
        if capture is None:
            return False
        if capture.role == "placeholder":
            self.error(
                f"{_at(tag)} is inside {capture.tag.describe()} (offset {capture.tag.offset}); "
                "a placeholder holds only its default text"
            )
        if tag.name not in _EMPTY_TAGS:
            self.push(tag, "ignored")
        return True

    def on_open(self, tag: Tag) -> None:
        if self.rejected_inside_capture(tag):
            return
        _OPEN_HANDLERS.get(tag.name, _Parser.open_unknown)(self, tag)
        if tag.name in _EMPTY_TAGS and not tag.self_closing:
            self.open_empty_tag = tag

    def on_close(self, tag: Tag) -> None:
        index = next(
            (i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].tag.name == tag.name),
            None,
        )
        if index is None:
            self.error(f"{_at(tag)} has no matching opening tag")
            return
        for frame in reversed(self.stack[index + 1 :]):
            self.error(f"{_at(frame.tag)} is not closed before {_at(tag)}")
            self.close_frame(frame)
        self.close_frame(self.stack[index])
        del self.stack[index:]

    def finish(self) -> None:
        for frame in reversed(self.stack):
            self.error(f"{_at(frame.tag)} is never closed")
            self.close_frame(frame)
        self.stack.clear()

    def close_frame(self, frame: _Frame) -> None:
        if frame.role in _CAPTURING_ROLES:
            self.captures.remove(frame)
        if frame.role == "section":
            self.section = self.sub = None
        elif frame.role == "sub":
            self.sub = None
        elif frame.role == "placeholder":
            default = _WHITESPACE_RE.sub(" ", "".join(frame.default_text)).strip() or None
            self.add_placeholder(frame.tag.attrs.get("id", "").strip(), default, frame.prosody)
        elif frame.role == "sentence":
            self.unit().end_sentence()
        elif frame.role == "paragraph":
            self.unit().end_sentence()
            self.unit().request_paragraph_pause()

    def add_placeholder(
        self, placeholder_id: str, default: str | None, prosody: Prosody | None = None
    ) -> None:
        if placeholder_id:
            self.unit().add_placeholder(Placeholder(placeholder_id, default, prosody or NEUTRAL))

    # -- structure -------------------------------------------------------------------------

    def misplaced(self, tag: Tag, kind: str, allowed_roles: frozenset[str]) -> bool:
        """Report a section or sub-section opened inside a tag it may not sit in."""
        same = self.innermost("section" if kind == "sections" else "sub")
        if same is not None:
            self.error(
                f"{_at(tag)} is nested inside {same.tag.describe()} (offset {same.tag.offset}); "
                f"{kind} cannot be nested"
            )
            return True
        blocking = next((f for f in reversed(self.stack) if f.role not in allowed_roles), None)
        if blocking is not None:
            self.error(
                f"{_at(tag)} is inside {blocking.tag.describe()} (offset {blocking.tag.offset}); "
                f"{kind} cannot be placed inside other tags"
            )
            return True
        return False

    def open_section(self, tag: Tag) -> None:
        if self.misplaced(tag, "sections", _STRUCTURALLY_TRANSPARENT):
            self.push(tag, "ignored")
            return
        name = tag.attrs.get("name", "").strip() or None
        self.section = RawSection(tag, name, tag.attrs.get("soundsegment", "").strip())
        self.raw_sections.append(self.section)
        self.sub = None
        if tag.self_closing:
            self.section = None
        else:
            self.stack.append(_Frame(tag, "section"))

    def open_sub(self, tag: Tag) -> None:
        name = tag.attrs.get("name", "").strip()
        if self.innermost("section") is None:
            self.error(f"{_at(tag)} is outside any <as:section>; sub-sections must be inside one")
            misplaced = True
        else:
            allowed = _STRUCTURALLY_TRANSPARENT | {"section"}
            misplaced = self.misplaced(tag, "sub-sections", allowed)
        if not name:
            self.error(f"{_at(tag)} has no name; sub-sections need a unique name")
        if misplaced or not name or self.section is None:
            self.push(tag, "ignored")
            return
        sub = RawSub(name, tag)
        self.section.subs.append(sub)
        if not tag.self_closing:
            self.sub = sub
            self.stack.append(_Frame(tag, "sub"))

    # -- content ---------------------------------------------------------------------------

    def open_placeholder(self, tag: Tag) -> None:
        if not tag.attrs.get("id", "").strip():
            self.error(f"{_at(tag)} has no id")
        if tag.self_closing:
            self.add_placeholder(tag.attrs.get("id", "").strip(), None)
        else:
            self.push(tag, "placeholder")

    def open_break(self, tag: Tag) -> None:
        try:
            if "time" in tag.attrs:  # time wins over strength (W3C SSML)
                seconds = parse_time(tag.attrs["time"])
            elif "strength" in tag.attrs:
                seconds = parse_break_strength(tag.attrs["strength"])
            else:
                self.error(f"{_at(tag)} needs a time or a strength")
                return
        except ValueError as problem:
            self.error(f"{_at(tag)}: {problem}")
            return
        if seconds > MAX_BREAK_SECONDS:
            self.warnings.append(
                f"{_at(tag)}: pause of {seconds:g} s clamped to {MAX_BREAK_SECONDS:g} s"
            )
            seconds = MAX_BREAK_SECONDS
        self.unit().add_break(seconds, tag.offset)

    def open_prosody(self, tag: Tag) -> None:
        parsers = {"rate": parse_rate, "pitch": parse_pitch, "volume": parse_volume}
        values = {key: tag.attrs[key] for key in parsers if key in tag.attrs}
        if not values:
            self.error(f"{_at(tag)} needs at least one of rate, pitch or volume")
        own: dict[str, float] = {}
        for key, value in values.items():
            try:
                own[key] = parsers[key](value)
            except ValueError as problem:
                self.error(f"{_at(tag)}: {problem}")
        self.push_delivery(tag, Prosody(**own))

    def push_delivery(self, tag: Tag, own: Prosody) -> None:
        combined = self.prosody.combine(own)
        clamped = clamp_prosody(combined)
        if clamped != combined:
            self.warnings.append(
                f"{_at(tag)}: rate {combined.rate:.3g}, pitch {combined.pitch:.3g}, "
                f"volume {combined.volume:.3g} clamped to rate {clamped.rate:.3g}, "
                f"pitch {clamped.pitch:.3g}, volume {clamped.volume:.3g}"
            )
        self.push(tag, "delivery", clamped)

    def open_emphasis(self, tag: Tag) -> None:
        level = tag.attrs.get("level", "moderate").strip().lower()
        if level not in EMPHASIS_LEVELS:
            self.warnings.append(f"{_at(tag)}: level {level!r} is unknown; 'moderate' used")
            level = "moderate"
        self.push_delivery(tag, EMPHASIS_LEVELS[level])

    def open_marker(self, tag: Tag) -> None:
        name, marker_id = tag.attrs.get("name", "").strip(), tag.attrs.get("id", "").strip()
        if not (name or marker_id):
            self.error(f"{_at(tag)} needs a name or an id")
            return
        marker = Marker("fx", name, marker_id)
        if tag.name == "as:media":
            marker = Marker("media", name, marker_id)
        self.unit().add_marker(marker)

    def open_say_as(self, tag: Tag) -> None:
        requested = tag.attrs.get("interpret-as", "").strip().lower()
        kind = SAY_AS_KINDS.get(requested)
        if kind is None:
            self.warnings.append(
                f"{_at(tag)}: interpret-as {requested!r} is not supported; text read as written"
            )
            self.push(tag, "say-as")
            return
        format_ = tag.attrs.get("format") or tag.attrs.get("detail") or ""
        if not tag.self_closing:
            self.stack.append(_Frame(tag, "say-as", self.prosody, (kind, format_.strip())))

    def open_alias(self, tag: Tag) -> None:
        alias = tag.attrs.get("alias")
        if alias is None:
            self.warnings.append(f"{_at(tag)} has no alias; its text is read as written")
            self.push(tag, "text")
            return
        interpret_as, format_ = self.interpretation
        self.unit().add_text(alias, self.prosody, interpret_as, format_)
        self.push(tag, "alias")

    def open_sentence(self, tag: Tag) -> None:
        self.unit().add_text(" ")
        self.push(tag, "sentence")

    def open_paragraph(self, tag: Tag) -> None:
        self.unit().request_paragraph_pause()
        self.push(tag, "paragraph")

    def open_transparent(self, tag: Tag) -> None:
        self.push(tag, "speak" if tag.name == "speak" else "text")

    def open_unknown(self, tag: Tag) -> None:
        if tag.name not in self.reported_unknown:
            self.reported_unknown.add(tag.name)
            self.warnings.append(
                f"<{tag.name}> at offset {tag.offset} is not supported; "
                "the tag was dropped and its text kept"
            )
        self.push(tag, "unknown")

    def on_legacy_directive(self, directive: LegacyDirective) -> None:
        if directive.kind == "soundeffect":
            self.unit().add_marker(Marker("fx", directive.value, directive.value))
        elif directive.kind == "media":
            self.unit().add_marker(Marker("media", directive.value, directive.value))
        elif directive.kind == "soundsegment":
            self.unit()
            assert self.section is not None
            self.section.sound_segment = directive.value
        else:
            self.warnings.append(
                f"<<{directive.kind}::{directive.value}>> at offset {directive.offset} is not "
                "supported and was dropped"
            )


_OPEN_HANDLERS = {
    "as:section": _Parser.open_section,
    "as:sub": _Parser.open_sub,
    "as:placeholder": _Parser.open_placeholder,
    "as:break": _Parser.open_break,
    "break": _Parser.open_break,
    "as:prosody": _Parser.open_prosody,
    "prosody": _Parser.open_prosody,
    "as:fx": _Parser.open_marker,
    "as:media": _Parser.open_marker,
    "emphasis": _Parser.open_emphasis,
    "say-as": _Parser.open_say_as,
    "sub": _Parser.open_alias,
    "s": _Parser.open_sentence,
    "p": _Parser.open_paragraph,
    "speak": _Parser.open_transparent,
    "phoneme": _Parser.open_transparent,
}


def parse_script(text: str) -> ScriptDocument:
    """Parse script markup; raises :class:`Invalid` listing every markup error found."""
    parser = _Parser()
    for token in tokenize(text):
        parser.feed(token)
    parser.finish()
    sections, naming_errors, naming_warnings = build_sections(parser.raw_sections)
    errors = parser.errors + [f"{FIELD}: {message}" for message in naming_errors]
    if errors:
        raise Invalid("Script markup is invalid", field=FIELD, errors=errors)
    return ScriptDocument(
        sections=sections,
        warnings=parser.warnings + naming_warnings,
        uses_markup=parser.uses_markup,
    )
