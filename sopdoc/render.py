"""Render SOPs: layout, drawing and DOCX for each, then PDFs in batches."""

from __future__ import annotations

import time
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


@dataclass
class Timings:
    """Seconds spent in each stage, summed over the SOPs rendered."""

    layout: float = 0.0
    drawing: float = 0.0
    docx: float = 0.0
    pdf: float = 0.0


def output_path(sop: Sop, out: Path, suffix: str) -> Path:
    return out / sop.unit.key / f"{sop.slug}{suffix}"


def sop_names(sops: list[Sop]) -> dict[Path, dict[str, str]]:
    """Return, per unit folder, the name of every SOP in it (for keterkaitan by slug)."""
    names: dict[Path, dict[str, str]] = {}
    for folder in {s.unit.folder for s in sops}:
        names[folder] = {s.slug: s.nama for s in reader.read([folder]).sops}
    return names


def render_docx(sop: Sop, out: Path, names: dict[str, str], timings: Timings | None = None) -> Rendered:
    """Lay out, draw and write *sop* as DOCX under *out*."""
    timings = timings or Timings()
    started = time.perf_counter()
    plan = layout.layout(sop)
    laid = time.perf_counter()
    slices = drawing.draw(plan)
    drawn = time.perf_counter()
    target = output_path(sop, out, ".docx")
    write_atomic(target, docx_writer.write(sop, plan, slices, names))
    written = time.perf_counter()
    timings.layout += laid - started
    timings.drawing += drawn - laid
    timings.docx += written - drawn
    problems = [f"halaman {p.number}: {v}" for p in plan.pages for v in geometry.violations(plan.scene(p))]
    return Rendered(sop, target, plan, problems=problems)


def render_pdfs(rendered: list[Rendered], timings: Timings | None = None, pdfa: bool = False) -> None:
    """Convert every rendered DOCX to PDF in batches."""
    started = time.perf_counter()
    pdfs = pdf.convert([r.docx for r in rendered], pdfa=pdfa)
    for item, path in zip(sorted(rendered, key=lambda r: str(r.docx)), sorted(pdfs, key=str)):
        item.pdf = path
    if timings:
        timings.pdf += time.perf_counter() - started
