"""Render SOPs: layout, drawing and DOCX for each (several processes), then PDFs in batches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc import report, workers
from sopdoc.definition import reader
from sopdoc.definition.model import Sop
from sopdoc.document import docx_writer, geometry, outputs, pdf
from sopdoc.errors import SopdocError, ToolMissing
from sopdoc.flowchart import drawing, layout
from sopdoc.flowchart.plan import Layout
from sopdoc.fsutil import write_atomic
from sopdoc.office import textfit

# Below this many SOPs, starting worker processes costs more than it saves.
POOL_FROM = 4


@dataclass
class Rendered:
    sop: Sop
    docx: Path
    layout: Layout
    pdf: Path | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Made:
    """What a worker sends back for one SOP whose DOCX it wrote (its layout pickles to a few KB)."""

    sop: Sop
    docx: Path
    layout: Layout
    problems: list[str]

    @property
    def flow_pages(self) -> int:
        return len(self.layout.pages)


@dataclass
class Failed:
    sop: Sop
    message: str


def check_tools(formats: tuple[str, ...]) -> None:
    """Fail early, naming everything to install, when system programs are missing."""
    checks = [textfit.font_path, drawing.check_graphviz] + ([pdf.soffice_binary] if {"pdf", "json"} & set(formats) else [])
    missing = []
    for check in checks:
        try:
            check()
        except ToolMissing as exc:
            missing.append(exc.message)
    if missing:
        raise ToolMissing("\n".join(missing))


def output_path(sop: Sop, out: Path, suffix: str) -> Path:
    return outputs.sop_file(out, sop, suffix)


def sop_names(sops: list[Sop], siblings: dict[Path, dict[str, Path]] | None = None) -> dict[Path, dict[str, str]]:
    """Return, per unit folder, the names of the SOPs that *sops* link to by slug (keterkaitan).

    SOPs already read are used as they are. A linked SOP that was not among
    them (rendering one file of a unit) is read only when its slug is the name
    of an SOP file listed in the unit's folder (*siblings*, from the reader):
    a keterkaitan text never becomes a path.
    """
    names: dict[Path, dict[str, str]] = {s.unit.folder: {} for s in sops}
    for sop in sops:
        names[sop.unit.folder][sop.slug] = sop.nama
    for sop in sops:
        known = names[sop.unit.folder]
        listed = (siblings or {}).get(sop.unit.folder, {})
        for slug in sop.keterkaitan:
            if slug not in known and slug in listed:
                known.update({s.slug: s.nama for s in reader.read([listed[slug]]).sops
                              if s.unit.folder == sop.unit.folder})
    return names


def render_docx(sop: Sop, out: Path, names: dict[str, str]) -> Rendered:
    """Lay out, draw and write *sop* as DOCX under *out*."""
    plan = layout.layout(sop)
    target = output_path(sop, out, ".docx")
    write_atomic(target, docx_writer.write(sop, plan, drawing.draw(plan), names))
    return Rendered(sop, target, plan, problems=plan.warnings)


def render_one(job: tuple[Sop, Path, dict[str, str]]) -> Made | Failed:
    """Write one SOP's DOCX; return why it failed instead of raising, so a batch goes on."""
    sop, out, names = job
    try:
        item = render_docx(sop, out, names)
    except SopdocError as exc:
        return Failed(sop, exc.message)
    except Exception as exc:  # a bug must not stop the other SOPs; it is reported with its file
        return Failed(sop, report.unexpected(exc))
    return Made(sop, item.docx, item.layout, item.problems)


def render_all(sops: list[Sop], out: Path, names: dict[Path, dict[str, str]], jobs: int) -> Iterator[Made | Failed]:
    """Yield the DOCX of each SOP, in order, made by *jobs* processes when there are several SOPs."""
    work = [(sop, out, names[sop.unit.folder]) for sop in sops]
    if len(work) < POOL_FROM or jobs < 2:
        yield from map(render_one, work)
        return
    with workers.pool(min(jobs, len(work))) as pool:
        yield from pool.map(render_one, work, chunksize=4)


def render_pdfs(rendered: list[Rendered], jobs: int | None = None) -> dict[Path, str]:
    """Convert every rendered DOCX to PDF in batches; return a message per DOCX that failed."""
    result = pdf.convert([r.docx for r in rendered], jobs=jobs)
    for item in rendered:
        if item.docx not in result.failed:
            item.pdf = item.docx.with_suffix(".pdf")
    return result.failed


def write_geometry(item: Rendered | Made) -> Path:
    """Write the geometry export of a rendered SOP beside its DOCX, measured from its PDF."""
    target = item.docx.with_name(item.docx.stem + geometry.SUFFIX)
    plan = item.layout
    write_atomic(target, geometry.dumps(geometry.document(item.sop, plan, geometry.measured_frames(
        item.docx.with_suffix(".pdf"), plan))))
    return target
