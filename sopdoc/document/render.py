"""Render SOPs: layout, drawing and DOCX for each (several processes), then PDFs in batches.

:func:`run` is the one render: ``sopdoc render`` and the studio's DOCX and PDF
buttons call it. :func:`documents`, the part of it that writes and converts,
is what the export calls for the SOPs whose sources changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc import fsutil, report, workers
from sopdoc.definition import reader
from sopdoc.definition.model import Sop
from sopdoc.document import docx_writer, geometry, identity, outputs, pdf
from sopdoc.errors import SopdocError, ToolMissing
from sopdoc.flowchart import drawing, layout
from sopdoc.flowchart.plan import Layout
from sopdoc.fsutil import write_atomic
from sopdoc.office import textfit

FORMATS = ("docx", "pdf", "json")
# Below this many SOPs, starting worker processes costs more than it saves.
POOL_FROM = 4


@dataclass
class Rendered:
    """One SOP's documents: its DOCX and layout (a worker sends them back; a layout pickles to a few KB),
    and its PDF once converted."""

    sop: Sop
    docx: Path
    layout: Layout
    problems: list[str] = field(default_factory=list)
    pdf: Path | None = None

    @property
    def flow_pages(self) -> int:
        return len(self.layout.pages)


@dataclass
class Failed:
    sop: Sop
    message: str
    fault: str | None = None    # a fault of sopdoc's own (its exception's class and text), not of the SOP


@dataclass
class Batch:
    """The SOPs a render made, and those it could not (each reported as it failed)."""

    made: list[Rendered] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)


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


def run(result: reader.Result, out: Path, formats: tuple[str, ...], reporter: report.Reporter, jobs: int) -> Batch:
    """Write every SOP of *result* into *out* in *formats* (of FORMATS), holding *out* while writing.

    A DOCX made only for its PDF or geometry is removed afterwards, unless it
    was there before (an export's); the geometry export is measured from the
    PDF, so json makes the PDF too.
    """
    check_tools(formats)
    sops = result.sops
    with fsutil.output_folder(out, reporter.note, [outputs.unit_folder(out, s.unit) for s in sops]):
        kept = {d for d in (outputs.sop_file(out, sop, ".docx") for sop in sops) if d.exists()}
        batch = documents(sops, out, identity.sop_names(sops, result.siblings), reporter, jobs,
                          convert=bool({"pdf", "json"} & set(formats)))
        if "json" in formats:
            for item in batch.made:
                write_geometry(item)
        if "pdf" not in formats:
            for item in batch.made:
                outputs.pdf_of(item.docx).unlink(missing_ok=True)
        if "docx" not in formats:
            for docx in {outputs.sop_file(out, sop, ".docx") for sop in sops} - kept:
                docx.unlink(missing_ok=True)
    return batch


def documents(sops: list[Sop], out: Path, names: dict[Path, dict[str, str]], reporter: report.Reporter, jobs: int,
              convert: bool = True, pdfa: bool = False) -> Batch:
    """Write the DOCX of each SOP under *out* and, with *convert*, its PDF; report each failure and go on.

    Progress counts every file to make, each DOCX and each PDF, so it reaches its
    end only when LibreOffice is done. An SOP that fails leaves no document of it
    in *out*: an older one would look current.
    """
    batch = Batch()
    progress = reporter.progress("Dokumen", len(sops) * (2 if convert else 1))
    try:
        for item in _render_all(sops, out, names, jobs):
            progress.step(_shown(item.sop, ".docx"))
            if isinstance(item, Failed):
                reporter.failure(item.sop.source, item.message)
                batch.failed.append(item)
                if convert:
                    progress.step(f"{_shown(item.sop, '.pdf')} tidak dibuat (DOCX gagal)")
            else:
                reporter.layout(item.sop.source, item.problems)
                batch.made.append(item)
        if convert and batch.made:
            reporter.note(f"Membuat PDF dari {len(batch.made)} DOCX dengan LibreOffice...")
            _convert(batch, reporter, jobs, pdfa, progress)
    finally:
        progress.close()
    for failed in batch.failed:
        for suffix in (".docx", ".pdf", geometry.SUFFIX):
            outputs.sop_file(out, failed.sop, suffix).unlink(missing_ok=True)
    return batch


def _shown(sop: Sop, suffix: str) -> str:
    """Return an SOP's document as progress names it: its path below the output folder."""
    return f"{sop.unit.key}/{sop.slug}{suffix}"


def _convert(batch: Batch, reporter: report.Reporter, jobs: int, pdfa: bool, progress: report.Progress) -> None:
    """Convert every DOCX of *batch* to PDF in batches; a DOCX that failed moves to the failed."""
    made = {item.docx: item for item in batch.made}
    conversion = pdf.convert(list(made), jobs=jobs, pdfa=pdfa,
                             finished=lambda docx: progress.step(_shown(made[docx].sop, ".pdf")))
    for item in list(batch.made):
        if item.docx in conversion.failed:
            reporter.failure(item.sop.source, conversion.failed[item.docx])
            batch.made.remove(item)
            batch.failed.append(Failed(item.sop, conversion.failed[item.docx]))
        else:
            item.pdf = outputs.pdf_of(item.docx)


def render_docx(sop: Sop, out: Path, names: dict[str, str]) -> Rendered:
    """Lay out, draw and write *sop* as DOCX under *out*."""
    plan = layout.layout(sop)
    target = outputs.sop_file(out, sop, ".docx")
    write_atomic(target, docx_writer.write(sop, plan, drawing.draw(plan), names))
    return Rendered(sop, target, plan, problems=plan.warnings)


def _render_one(job: tuple[Sop, Path, dict[str, str]]) -> Rendered | Failed:
    """Write one SOP's DOCX; return why it failed instead of raising, so a batch goes on."""
    sop, out, names = job
    try:
        return render_docx(sop, out, names)
    except SopdocError as exc:
        return Failed(sop, exc.message)
    except Exception as exc:  # a bug must not stop the other SOPs; it is reported with its file
        return Failed(sop, report.unexpected(exc), report.exception_text(exc))


def _render_all(sops: list[Sop], out: Path, names: dict[Path, dict[str, str]], jobs: int) -> Iterator[Rendered | Failed]:
    """Yield the DOCX of each SOP, in order, made by *jobs* processes when there are several SOPs."""
    work = [(sop, out, names[sop.unit.folder]) for sop in sops]
    if len(work) < POOL_FROM or jobs < 2:
        yield from map(_render_one, work)
        return
    with workers.pool(min(jobs, len(work))) as pool:
        yield from pool.map(_render_one, work, chunksize=4)


def write_geometry(item: Rendered) -> Path:
    """Write the geometry export of a rendered SOP beside its DOCX, measured from its PDF."""
    target = outputs.beside(item.docx, geometry.SUFFIX)
    plan = item.layout
    write_atomic(target, geometry.dumps(geometry.document(item.sop, plan, geometry.measured_frames(
        outputs.pdf_of(item.docx), plan))))
    return target
