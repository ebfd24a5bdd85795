"""Independent checkers of sopdoc's flowchart geometry export: rules and raster."""
