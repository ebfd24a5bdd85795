"""Render SOPs: layout, drawing and DOCX for each, then PDFs in batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sopdoc import docx_writer, drawing, geometry, layout, pdf, reader
from sopdoc.fsutil import write_atomic
from sopdoc.model import Sop


@dataclass
class Rendered:
    sop: Sop
    docx: Path
    layout: layout.Layout
    pdf: Path | None = None
    problems: list[str] = field(default_factory=list)


def output_path(sop: Sop, out: Path, suffix: str) -> Path:
    return out / sop.unit.key / f"{sop.slug}{suffix}"


def sop_names(sops: list[Sop]) -> dict[Path, dict[str, str]]:
    """Return, per unit folder, the name of every SOP in it (for keterkaitan by slug)."""
    names: dict[Path, dict[str, str]] = {}
    for folder in {s.unit.folder for s in sops}:
        names[folder] = {s.slug: s.nama for s in reader.read([folder]).sops}
    return names


def render_docx(sop: Sop, out: Path, names: dict[str, str]) -> Rendered:
    """Lay out, draw and write *sop* as DOCX under *out*."""
    plan = layout.layout(sop)
    target = output_path(sop, out, ".docx")
    write_atomic(target, docx_writer.write(sop, plan, drawing.draw(plan), names))
    problems = [f"halaman {p.number}: {v}" for p in plan.pages for v in geometry.violations(plan.scene(p))]
    return Rendered(sop, target, plan, problems=problems)


def render_pdfs(rendered: list[Rendered]) -> dict[Path, str]:
    """Convert every rendered DOCX to PDF in batches; return a message per DOCX that failed."""
    result = pdf.convert([r.docx for r in rendered])
    for item in rendered:
        if item.docx not in result.failed:
            item.pdf = item.docx.with_suffix(".pdf")
    return result.failed
