"""sopdoc render: write each SOP as DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc.commands.terminal import Terminal
from sopdoc.definition import reader
from sopdoc.definition.fields import IN_FORCE
from sopdoc.document import geometry, outputs, render
from sopdoc.errors import SopdocError, display_path

FORMATS = render.FORMATS
SUFFIXES = {"docx": ".docx", "pdf": ".pdf", "json": geometry.SUFFIX}


def run(paths: list[Path], formats: tuple[str, ...], out: Path, strict: bool, jobs: int) -> None:
    """Render every valid SOP under *paths*; report and skip broken ones."""
    terminal = Terminal()
    result = reader.read(paths)
    terminal.problems(result.problems)
    if strict and result.warnings:
        raise SopdocError("Dibatalkan: ada peringatan dan --strict dipakai.")
    batch = render.run(result, out, formats, terminal, jobs)
    for item in batch.made:
        files = [display_path(outputs.beside(item.docx, SUFFIXES[kind])) for kind in FORMATS if kind in formats]
        status = "" if item.sop.status == IN_FORCE else f"; berstatus {item.sop.status}"
        click.echo(f"{display_path(item.sop.source)} -> {', '.join(files)} ({item.flow_pages} halaman bagan alir{status})")
    failed = len(result.failed) + len(batch.failed)
    click.echo(f"{len(batch.made)} SOP dibuat, {failed} gagal.")
    if failed:
        raise SopdocError(f"{failed} SOP tidak dibuat karena galat di atas.")
