"""sopdoc studio: a local web page to write and revise SOPs, with the document previewed live.

The web layer is thin: pages are drawn from the same reader, layout and drawing
code the CLI uses, and Simpan writes through the same YAML writer as ``import``.
"""
