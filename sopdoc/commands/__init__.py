"""One module per CLI command; each holds the work behind it."""
