"""Castwright: a self-hosted audio production server."""

__version__ = "0.1.0"
__all__ = ["__version__"]
