"""sopdoc export (and sopdoc book): every output for the assessment, or only the books."""

from __future__ import annotations

import time
from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.commands.terminal import Terminal
from sopdoc.definition import reader
from sopdoc.document import outputs, render
from sopdoc.errors import SopdocError
from sopdoc.export import pipeline


def run(paths: list[Path], out: Path, jobs: int, force: bool = False, pdfa: bool = False,
        books_only: bool = False, signature: pipeline.Signature | None = None) -> pipeline.Summary:
    """Export the SOPs under *paths* into *out*; raise SopdocError at the end if anything failed."""
    started = time.perf_counter()
    terminal = Terminal()
    render.check_tools(("docx", "pdf"))
    result = reader.read(paths)
    terminal.problems(result.problems)
    with fsutil.output_folder(out, terminal.note, [outputs.unit_folder(out, s.unit) for s in result.sops]):
        summary = pipeline.run(result, out, terminal, jobs, force=force, books_only=books_only, pdfa=pdfa,
                                signature=signature)
    seconds = time.perf_counter() - started
    click.echo(f"Selesai dalam {seconds:.1f} detik: {summary.units} unit, {summary.sops} SOP, {summary.pages} halaman "
               f"buku; {summary.made} berkas dibuat ulang; {len(summary.failures)} gagal.")
    if summary.failures:
        raise SopdocError(f"{len(summary.failures)} definisi atau dokumen gagal (sebabnya di atas): "
                          + ", ".join(summary.failures))
    return summary
