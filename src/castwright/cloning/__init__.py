"""Voice cloning: voices built from a speaker's recordings, kept per organisation."""
