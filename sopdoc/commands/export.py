"""sopdoc export (and sopdoc book): every output for the assessment, or only the books."""

from __future__ import annotations

import time
from pathlib import Path

import click

from sopdoc.commands.terminal import Terminal
from sopdoc.document import outputs
from sopdoc.errors import SopdocError, display_path
from sopdoc.export import pipeline
from sopdoc.export.signature import Signature


def run(paths: list[Path], out: Path, jobs: int, force: bool = False, pdfa: bool = False,
        books_only: bool = False, signature: Signature | None = None, drafts: bool = False,
        strict: bool = False) -> pipeline.Summary:
    """Export the SOPs under *paths* into *out*; raise SopdocError at the end if anything failed or is not ready.

    Not ready is an SOP exported with sopdoc's examples still in it (pipeline.Summary.ready).
    """
    started = time.perf_counter()
    summary = pipeline.export(paths, out, Terminal(), jobs, force=force, books_only=books_only, pdfa=pdfa,
                              signature=signature, drafts=drafts, strict=strict)
    seconds = time.perf_counter() - started
    ended = "Selesai" if summary.complete else f"Selesai dengan {len(summary.failures)} galat"
    click.echo(f"{ended} dalam {seconds:.1f} detik: {summary.units} unit, {summary.sops} SOP, {summary.pages} "
               f"halaman buku; {summary.made} berkas dibuat ulang; {len(summary.failures)} gagal"
               + (f"; {len(summary.examples)} SOP masih memuat contoh dari sopdoc." if summary.examples else "."))
    if summary.ready:
        return summary
    if summary.complete:
        if summary.zip is not None:
            click.echo(f"ZIP {display_path(summary.zip)} memuat SOP yang masih berisi contoh dari sopdoc "
                       f"({outputs.EXAMPLES_NOTE} di dalamnya menyebutnya). Jangan diunggah sebelum contohnya diganti.",
                       err=True)
        raise SopdocError(summary.examples_message())
    for folder, missing in summary.incomplete.items():
        if folder in summary.books:
            click.echo(f"Buku {display_path(summary.books[folder])} ditandai TIDAK LENGKAP: tanpa {', '.join(missing)}.",
                       err=True)
    if summary.zip is not None:
        click.echo(f"ZIP {display_path(summary.zip)} TIDAK LENGKAP; isinya menyebut yang gagal (TIDAK-LENGKAP.txt). "
                   "Jangan diunggah sebelum galatnya diperbaiki.", err=True)
    raise SopdocError(summary.failed_message())
