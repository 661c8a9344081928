"""The advert writer: phrase pools, fitting to a length, edits, an optional chat model."""
