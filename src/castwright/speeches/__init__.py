"""Speeches: TTS renders of scripts, run as jobs, delivered as one WAV per section."""
