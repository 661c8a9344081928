"""Neural voices on disk: the engines' public catalogues, downloads, the voices directory."""
