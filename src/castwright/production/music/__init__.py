"""Castwright's built-in music: original sound templates synthesised from code.

Every template (corporate, upbeat, calm, cinematic, ...) has an intro that builds in, a main
section that loops seamlessly and an outro that resolves to the tonic and dies away. They are
rendered deterministically, so the library is licence-clean and the same on every server.

    >>> from castwright.production.music import BUILTIN_TEMPLATES, render_template
    >>> [spec.name for spec in BUILTIN_TEMPLATES][:2]
    ['corporate', 'upbeat']
    >>> render_template("calm", "main").sample_rate
    44100
"""

from castwright.production.music.render import (
    CEILING_DBFS,
    GENERATOR_VERSION,
    SEGMENTS,
    TARGET_LUFS,
    render_all,
    render_template,
)
from castwright.production.music.templates import BUILTIN_TEMPLATES, TemplateSpec

__all__ = [
    "BUILTIN_TEMPLATES",
    "CEILING_DBFS",
    "GENERATOR_VERSION",
    "SEGMENTS",
    "TARGET_LUFS",
    "TemplateSpec",
    "render_all",
    "render_template",
]
