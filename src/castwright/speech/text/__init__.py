"""Text processing: script markup, normalisation and chunking."""
