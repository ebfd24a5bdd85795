"""sopdoc book: each unit's SOP book (PDF and DOCX), and the SOP documents it is made of."""

from __future__ import annotations

from pathlib import Path

from sopdoc.commands import export


def run(paths: list[Path], out: Path, jobs: int, force: bool = False, drafts: bool = False,
        strict: bool = False) -> None:
    """Make the book of every unit under *paths* in *out*, with the documents it needs."""
    export.run(paths, out, jobs, force=force, books_only=True, drafts=drafts, strict=strict)
