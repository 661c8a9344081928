"""Home Assistant's Wyoming protocol: castwright serve --wyoming 10200."""

from castwright.faces.wyoming.server import describe, start_wyoming

__all__ = ["describe", "start_wyoming"]
