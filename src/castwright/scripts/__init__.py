"""Scripts: versioned script markup, organised by project, module and name."""
