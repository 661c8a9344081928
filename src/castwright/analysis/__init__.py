"""What a file sounds like at a glance: waveform peaks and loudness over time, cached per file."""
