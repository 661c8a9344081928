"""Content intelligence: recommendations for a text, and adverts written and edited."""
