"""Delivery: productions encoded to their final formats at their loudness targets."""
