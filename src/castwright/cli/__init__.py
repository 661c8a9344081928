"""The `castwright` command."""
