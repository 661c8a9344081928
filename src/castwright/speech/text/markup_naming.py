"""Settles section names and flattens sub-sections into render units.

Naming rules (spec 8.3): a script without any section tag is one section named ``default``;
otherwise text outside sections and sections without a name are called ``section_<n>``, n
being the 1-based position among all sections. Explicit names (sections and sub-sections
alike, since both can be addressed by name) must be unique; generated names step aside when a
user already took them.
"""

from __future__ import annotations

from castwright.speech.text.document import Break, Section
from castwright.speech.text.markup_lexer import Tag
from castwright.speech.text.markup_units import RawSection, items_have_speech

__all__ = ["DEFAULT_SECTION_NAME", "build_sections"]

DEFAULT_SECTION_NAME = "default"
MAX_NAME_CHARS = 200  # a name is stored with every speech made from one section


def _explicit_names(raw_sections: list[RawSection]) -> tuple[set[str], list[str]]:
    """Every name the user wrote, and an error for each one used twice."""
    first_use: dict[str, Tag] = {}
    errors: list[str] = []
    named: list[tuple[str, Tag]] = []
    for raw in raw_sections:
        if raw.tag is not None and raw.name is not None:
            named.append((raw.name, raw.tag))
        named.extend((sub.name, sub.tag) for sub in raw.subs)
    for name, tag in named:
        if len(name) > MAX_NAME_CHARS:
            errors.append(
                f"{tag.describe()} at offset {tag.offset} has a name longer than "
                f"{MAX_NAME_CHARS} characters"
            )
        earlier = first_use.get(name)
        if earlier is None:
            first_use[name] = tag
            continue
        errors.append(
            f"{tag.describe()} at offset {tag.offset} reuses the name '{name}' of "
            f"{earlier.describe()} (offset {earlier.offset}); names must be unique"
        )
    return set(first_use), errors


def _generated_name(position: int, taken: set[str]) -> str:
    name = f"section_{position}"
    suffix = 2
    while name in taken:
        name = f"section_{position}_{suffix}"
        suffix += 1
    return name


def build_sections(
    raw_sections: list[RawSection],
) -> tuple[list[Section], list[str], list[str]]:
    """The render units in document order, plus naming errors and warnings."""
    warnings: list[str] = []
    kept: list[RawSection] = []
    for raw in raw_sections:
        if raw.tag is not None or raw.has_speech():
            kept.append(raw)
        elif raw.own.first_break_offset is not None:
            warnings.append(
                f"pause at offset {raw.own.first_break_offset} is outside any section with "
                "text and was ignored"
            )

    taken, errors = _explicit_names(kept)
    any_section_tag = any(raw.tag is not None for raw in raw_sections)
    units: list[Section] = []
    for position, raw in enumerate(kept, start=1):
        if raw.name is not None:
            name = raw.name
        elif not any_section_tag:
            name = DEFAULT_SECTION_NAME
        else:
            name = _generated_name(position, taken)
            taken.add(name)
        units.extend(_flatten(raw, name, warnings))
    return units, errors, warnings


def _flatten(raw: RawSection, name: str, warnings: list[str]) -> list[Section]:
    own_items = raw.own.finish()
    if not raw.subs:
        if raw.tag is not None and not items_have_speech(own_items):
            warnings.append(f"{raw.tag.describe()} at offset {raw.tag.offset} is empty")
        return [Section(name, raw.sound_segment, None, own_items)]
    units: list[Section] = []
    if items_have_speech(own_items):
        units.append(Section(name, raw.sound_segment, None, own_items))
    elif any(isinstance(item, Break) for item in own_items):
        warnings.append(
            f"pauses of section '{name}' outside its sub-sections were ignored: a section "
            "with sub-sections keeps only text of its own"
        )
    for sub in raw.subs:
        items = sub.body.finish()
        if not items_have_speech(items):
            warnings.append(f"{sub.tag.describe()} at offset {sub.tag.offset} is empty")
        units.append(Section(sub.name, raw.sound_segment, name, items))
    return units
