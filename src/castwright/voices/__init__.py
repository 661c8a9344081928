"""Voices: a catalogue with AudioStack's voice fields, built from the installed engines."""
