"""sopdoc render: write each SOP as DOCX and PDF."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc.commands.validate import report
from sopdoc.definition import reader
from sopdoc.document import render
from sopdoc.errors import SopdocError, display_path

FORMATS = ("docx", "pdf", "json")


def check_tools(formats: tuple[str, ...]) -> None:
    """Fail early, with what to install, when a system program is missing."""
    from sopdoc.document import pdf
    from sopdoc.flowchart import drawing, textfit

    textfit.font_path()
    drawing.check_graphviz()
    if "pdf" in formats:
        pdf.soffice_binary()


def report_layout(source: Path, problems: list[str]) -> None:
    """Tell the user where a page breaks a drawing rule (the document is still written)."""
    for problem in problems:
        click.echo(f"{display_path(source)}: tata letak kurang rapi, {problem}", err=True)


def run(paths: list[Path], formats: tuple[str, ...], out: Path, strict: bool) -> None:
    """Render every valid SOP under *paths*; report and skip broken ones."""
    check_tools(formats)
    result = reader.read(paths)
    report(result)
    if strict and result.warnings:
        raise SopdocError("Dibatalkan: ada peringatan dan --strict dipakai.")
    names = render.sop_names(result.sops)
    rendered = []
    failed = list(result.failed)
    for sop in result.sops:
        try:
            item = render.render_docx(sop, out, names[sop.unit.folder])
        except SopdocError as exc:
            click.echo(f"{display_path(sop.source)}: {exc.message}", err=True)
            failed.append(sop.source)
            continue
        report_layout(sop.source, item.problems)
        rendered.append(item)
    # The geometry export is measured from the PDF, so json needs the PDF too.
    if {"pdf", "json"} & set(formats) and rendered:
        click.echo(f"Membuat PDF dari {len(rendered)} DOCX dengan LibreOffice...")
        pdf_failures = render.render_pdfs(rendered)
        for item in [r for r in rendered if r.docx in pdf_failures]:
            click.echo(f"{display_path(item.sop.source)}: {pdf_failures[item.docx]}", err=True)
            failed.append(item.sop.source)
            rendered.remove(item)
    for item in rendered:
        if "json" in formats:
            render.write_geometry(item)
        if "pdf" not in formats and item.pdf:
            item.pdf.unlink()
            item.pdf = None
        if "docx" not in formats:
            item.docx.unlink()
        files = [display_path(p) for p in (item.docx if "docx" in formats else None, item.pdf, item.geometry) if p]
        click.echo(f"{display_path(item.sop.source)} -> {', '.join(files)} ({len(item.layout.pages)} halaman bagan alir)")
    click.echo(f"{len(rendered)} SOP dibuat, {len(failed)} gagal.")
    if failed:
        raise SopdocError(f"{len(failed)} SOP tidak dibuat karena galat di atas.")
