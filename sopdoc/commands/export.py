"""sopdoc export (and sopdoc book): every output for the assessment, or only the books."""

from __future__ import annotations

import time
from pathlib import Path

import click

from sopdoc.commands.terminal import Terminal
from sopdoc.errors import SopdocError
from sopdoc.export import pipeline
from sopdoc.export.signature import Signature


def run(paths: list[Path], out: Path, jobs: int, force: bool = False, pdfa: bool = False,
        books_only: bool = False, signature: Signature | None = None) -> pipeline.Summary:
    """Export the SOPs under *paths* into *out*; raise SopdocError at the end if anything failed."""
    started = time.perf_counter()
    summary = pipeline.export(paths, out, Terminal(), jobs, force=force, books_only=books_only, pdfa=pdfa,
                              signature=signature)
    seconds = time.perf_counter() - started
    click.echo(f"Selesai dalam {seconds:.1f} detik: {summary.units} unit, {summary.sops} SOP, {summary.pages} halaman "
               f"buku; {summary.made} berkas dibuat ulang; {len(summary.failures)} gagal.")
    if summary.failures:
        raise SopdocError(summary.failed_message())
    return summary
