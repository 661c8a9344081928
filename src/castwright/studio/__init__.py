"""Castwright Studio: the web page served at ``/`` (hand-written ES modules and CSS, no build).

The page is a client of the public AudioStack face like any other; everything it shows comes
from those routes. Its files live in ``static/`` and ship inside the wheel.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
