"""Pronunciation dictionaries: per-organisation words and how to say them, plus built-ins."""
