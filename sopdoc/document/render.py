"""Render SOPs: layout, drawing and DOCX for each, then PDFs in batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import reader
from sopdoc.definition.model import Sop
from sopdoc.document import docx_writer, geometry, pdf
from sopdoc.flowchart import drawing, layout
from sopdoc.flowchart.plan import Layout
from sopdoc.fsutil import write_atomic


@dataclass
class Rendered:
    sop: Sop
    docx: Path
    layout: Layout
    pdf: Path | None = None
    geometry: Path | None = None
    problems: list[str] = field(default_factory=list)


def output_path(sop: Sop, out: Path, suffix: str) -> Path:
    return out / sop.unit.key / f"{sop.slug}{suffix}"


def sop_names(sops: list[Sop]) -> dict[Path, dict[str, str]]:
    """Return, per unit folder, the names of the SOPs that *sops* link to by slug (keterkaitan).

    SOPs already read are used as they are; a linked SOP that was not among them
    (rendering one file of a unit) is read from its file.
    """
    names: dict[Path, dict[str, str]] = {s.unit.folder: {} for s in sops}
    for sop in sops:
        names[sop.unit.folder][sop.slug] = sop.nama
    for sop in sops:
        known = names[sop.unit.folder]
        for slug in sop.keterkaitan:
            linked = sop.unit.folder / f"{slug}.yaml"
            if slug not in known and linked.is_file():
                known.update({s.slug: s.nama for s in reader.read([linked]).sops})
    return names


def render_docx(sop: Sop, out: Path, names: dict[str, str]) -> Rendered:
    """Lay out, draw and write *sop* as DOCX under *out*."""
    plan = layout.layout(sop)
    target = output_path(sop, out, ".docx")
    write_atomic(target, docx_writer.write(sop, plan, drawing.draw(plan), names))
    return Rendered(sop, target, plan, problems=plan.warnings)


def render_pdfs(rendered: list[Rendered]) -> dict[Path, str]:
    """Convert every rendered DOCX to PDF in batches; return a message per DOCX that failed."""
    result = pdf.convert([r.docx for r in rendered])
    for item in rendered:
        if item.docx not in result.failed:
            item.pdf = item.docx.with_suffix(".pdf")
    return result.failed


def write_geometry(item: Rendered) -> Path:
    """Write the geometry export of a rendered SOP beside its PDF, measured from that PDF."""
    frames = geometry.measured_frames(item.pdf, item.layout)
    target = item.docx.with_name(item.docx.stem + geometry.SUFFIX)
    write_atomic(target, geometry.dumps(geometry.document(item.sop, item.layout, frames)))
    item.geometry = target
    return target
