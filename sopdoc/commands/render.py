"""sopdoc render: write each SOP as DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.commands.terminal import Terminal
from sopdoc.definition import reader
from sopdoc.document import geometry, outputs, pdf, render
from sopdoc.errors import SopdocError, display_path

FORMATS = ("docx", "pdf", "json")


def run(paths: list[Path], formats: tuple[str, ...], out: Path, strict: bool, jobs: int) -> None:
    """Render every valid SOP under *paths*; report and skip broken ones."""
    terminal = Terminal()
    render.check_tools(formats)
    result = reader.read(paths)
    terminal.problems(result.problems)
    if strict and result.warnings:
        raise SopdocError("Dibatalkan: ada peringatan dan --strict dipakai.")
    with fsutil.output_folder(out, terminal.note, [outputs.unit_folder(out, s.unit) for s in result.sops]):
        made, failed = _documents(result, out, formats, jobs, terminal)
    suffixes = {"docx": ".docx", "pdf": ".pdf", "json": geometry.SUFFIX}
    for item in made:
        files = [display_path(item.docx.with_name(item.docx.stem + suffixes[kind])) for kind in FORMATS
                 if kind in formats]
        click.echo(f"{display_path(item.sop.source)} -> {', '.join(files)} ({item.flow_pages} halaman bagan alir)")
    click.echo(f"{len(made)} SOP dibuat, {failed} gagal.")
    if failed:
        raise SopdocError(f"{failed} SOP tidak dibuat karena galat di atas.")


def _documents(result: reader.Result, out: Path, formats: tuple[str, ...], jobs: int,
               terminal: Terminal) -> tuple[list[render.Made], int]:
    """Write the DOCX (and PDF) of every valid SOP; return those made and the number that failed."""
    names = render.sop_names(result.sops, result.siblings)
    # A DOCX made only for its PDF is removed afterwards, unless it was there before (an export's).
    kept = {d for d in (outputs.sop_file(out, sop, ".docx") for sop in result.sops) if d.exists()}
    made: list[render.Made] = []
    failed = len(result.failed)
    for item in render.render_all(result.sops, out, names, jobs):
        if isinstance(item, render.Failed):
            terminal.failure(item.sop.source, item.message)
            failed += 1
        else:
            terminal.layout(item.sop.source, item.problems)
            made.append(item)
    written = [m.docx for m in made]
    # The geometry export is measured from the PDF, so json needs the PDF too.
    if {"pdf", "json"} & set(formats) and made:
        terminal.note(f"Membuat PDF dari {len(made)} DOCX dengan LibreOffice...")
        conversion = pdf.convert(written, jobs=jobs)
        for item in [m for m in made if m.docx in conversion.failed]:
            terminal.failure(item.sop.source, conversion.failed[item.docx])
            made.remove(item)
            failed += 1
    if "json" in formats:
        for item in made:
            render.write_geometry(item)
    if "pdf" not in formats:
        for item in made:
            item.docx.with_suffix(".pdf").unlink(missing_ok=True)
    if "docx" not in formats:
        for docx in set(written) - kept:
            docx.unlink(missing_ok=True)
    return made, failed
