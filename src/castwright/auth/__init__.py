"""API keys: created once, stored hashed, revocable."""
