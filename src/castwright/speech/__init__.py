"""Speech: engines, text processing and rendering of script sections."""
