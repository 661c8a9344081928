"""Speech length prediction: per-voice models over espeak-ng's phonemes, no synthesis."""
