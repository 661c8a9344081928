"""Production: sound templates, the timeline mixer and mastering."""
