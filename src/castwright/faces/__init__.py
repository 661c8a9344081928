"""HTTP faces: thin translators between a wire protocol and the core services."""
