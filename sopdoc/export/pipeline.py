"""Export everything for the reform-bureaucracy assessment, rebuilding only what changed.

Stages: every SOP as DOCX and PDF; every unit's book; the index workbook and
each unit's monitoring form; one ZIP of it all. A manifest beside the output
keeps a content hash of what each output was made from (definition, unit files,
templates, logo, sopdoc version); an output whose hash is unchanged and whose
files exist is not made again. Outputs are written atomically and the manifest
after each stage, so an interrupted export is finished by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click

from sopdoc import __version__
from sopdoc.commands.render import check_tools, report_layout
from sopdoc.commands.validate import report
from sopdoc.definition import reader
from sopdoc.definition.model import Sop, Unit
from sopdoc.document import book, docx_writer, pdf, render
from sopdoc.errors import SopdocError, display_path
from sopdoc.export import forms, index
from sopdoc.fsutil import write_atomic

MANIFEST = ".sopdoc-manifest.json"
ZIP_NAME = "ekspor-sop.zip"


@dataclass
class Summary:
    units: int = 0
    sops: int = 0
    pages: int = 0
    made: int = 0
    failures: list[str] = field(default_factory=list)


class Manifest:
    """What each output was made from, by content hash."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.entries: dict = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def fresh(self, key: str, digest: str) -> dict | None:
        """Return what was recorded for *key* if it was made from *digest* and its files still exist."""
        entry = self.entries.get(key)
        if not entry or entry["hash"] != digest:
            return None
        if not all((self.path.parent / f).is_file() for f in entry["files"]):
            return None
        return entry

    def forget_removed(self) -> None:
        """Drop the SOPs whose definition file is gone, deleting their outputs."""
        for key, entry in list(self.entries.items()):
            source = entry.get("source")
            if source and not Path(source).is_file():
                for name in entry["files"]:
                    (self.path.parent / name).unlink(missing_ok=True)
                del self.entries[key]

    def record(self, key: str, digest: str, files: list[Path], **info) -> None:
        self.entries[key] = {"hash": digest, "files": [f.relative_to(self.path.parent).as_posix() for f in files],
                             **info}

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True, ensure_ascii=False))


def _code_hash() -> str:
    """Return a hash of sopdoc's own code and templates, so that any change of them remakes the outputs."""
    package = Path(__file__).resolve().parents[1]
    files = sorted(package.rglob("*.py")) + sorted(docx_writer.DEFAULT_TEMPLATE.parent.glob("*.docx"))
    return _hash(__version__, *(f.read_bytes() for f in files))


def _hash(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


CODE = _code_hash()


def _read(path: Path | None) -> bytes:
    return path.read_bytes() if path and path.is_file() else b""


def sop_digest(sop: Sop, names: dict[str, str], pdfa: bool) -> str:
    """Return the hash of everything a SOP's documents are made from."""
    linked = json.dumps({slug: names.get(slug) for slug in sop.keterkaitan}, sort_keys=True)
    return _hash(CODE, "pdfa" if pdfa else "pdf", _read(sop.source), linked,
                 *(_read(f) for f in sop.unit.files), _read(docx_writer.template_for(sop)), _read(sop.unit.logo))


class _Progress:
    """A progress bar on a terminal; plain lines otherwise."""

    def __init__(self, total: int, label: str):
        self.total, self.done, self.label = total, 0, label
        self.bar = None
        if sys.stdout.isatty() and total:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task(label, total=total)

    def step(self, what: str) -> None:
        self.done += 1
        if self.bar:
            self.bar.update(self.task, advance=1, description=f"{self.label}: {what}")
        else:
            click.echo(f"[{self.done}/{self.total}] {self.label}: {what}")

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


def run(paths: list[Path], out: Path, force: bool = False, books_only: bool = False, pdfa: bool = False) -> Summary:
    """Export the SOPs under *paths* into *out*; raise SopdocError at the end if anything failed."""

    started = time.perf_counter()
    check_tools(("docx", "pdf"))
    result = reader.read(paths)
    report(result)
    summary = Summary(failures=[display_path(p) for p in result.failed])
    manifest = Manifest(out / MANIFEST)
    if force:
        manifest.entries = {}
    manifest.forget_removed()
    units: dict[Path, tuple[Unit, list[Sop]]] = {}
    for sop in result.sops:
        units.setdefault(sop.unit.folder, (sop.unit, []))[1].append(sop)
    summary.units = len(units)
    entries = _documents(result.sops, out, manifest, summary, pdfa)
    books = _books(units, entries, out, manifest, summary)
    if not books_only:
        _index_and_forms(units, entries, books, result.failed, out, manifest, summary)
        _zip(out, manifest)
    manifest.save()
    seconds = time.perf_counter() - started
    click.echo(f"Selesai dalam {seconds:.1f} detik: {summary.units} unit, {summary.sops} SOP, {summary.pages} halaman "
               f"buku; {summary.made} berkas dibuat ulang; {len(summary.failures)} gagal.")
    if summary.failures:
        raise SopdocError(f"{len(summary.failures)} definisi atau dokumen gagal: " + ", ".join(summary.failures))
    return summary


def sop_key(sop: Sop) -> str:
    """Return the manifest key of a SOP's documents."""
    return f"sop:{sop.unit.key}/{sop.slug}"


def _documents(sops: list[Sop], out: Path, manifest: Manifest, summary: Summary, pdfa: bool) -> dict[str, book.Entry]:
    """Make the DOCX and PDF of every SOP whose sources changed; return an entry per SOP."""
    names = render.sop_names(sops)
    digests = {sop: sop_digest(sop, names[sop.unit.folder], pdfa) for sop in sops}
    entries: dict[str, book.Entry] = {}
    stale = []
    for sop in sops:
        key = sop_key(sop)
        known = manifest.fresh(key, digests[sop])
        if known:
            entries[key] = book.Entry(sop, render.output_path(sop, out, ".docx"), render.output_path(sop, out, ".pdf"),
                                      known["flow_pages"], known["pages"])
        else:
            stale.append(sop)
    summary.sops = len(sops)
    progress = _Progress(len(stale), "SOP")
    made = []
    for item in _render_all(stale, out, names):
        progress.step(f"{item.sop.unit.key}/{item.sop.slug}")
        if isinstance(item, _Failed):
            summary.failures.append(f"{display_path(item.sop.source)} ({item.message})")
        else:
            report_layout(item.sop.source, item.problems)
            made.append(item)
    progress.close()
    if made:
        click.echo(f"Membuat PDF dari {len(made)} DOCX dengan LibreOffice...")
    conversion = pdf.convert([r.docx for r in made], pdfa=pdfa)
    for item in made:
        key = sop_key(item.sop)
        if item.docx in conversion.failed:
            summary.failures.append(f"{display_path(item.sop.source)} ({conversion.failed[item.docx]})")
            continue
        pdf_path = item.docx.with_suffix(".pdf")
        pages = _page_count(pdf_path)
        entries[key] = book.Entry(item.sop, item.docx, pdf_path, item.flow_pages, pages)
        manifest.record(key, digests[item.sop], [item.docx, pdf_path], flow_pages=item.flow_pages, pages=pages,
                        source=str(item.sop.source.resolve()))
        summary.made += 2
    manifest.save()
    return entries


@dataclass
class _Made:
    sop: Sop
    docx: Path
    flow_pages: int
    problems: list[str]


@dataclass
class _Failed:
    sop: Sop
    message: str


def _render_one(args) -> _Made | _Failed:
    sop, out, names = args
    try:
        item = render.render_docx(sop, out, names)
    except SopdocError as exc:
        return _Failed(sop, exc.message)
    return _Made(sop, item.docx, len(item.layout.pages), item.problems)


def _render_all(sops: list[Sop], out: Path, names: dict[Path, dict[str, str]]):
    """Yield the DOCX of each SOP, made by two processes when there are several."""
    jobs = [(sop, out, names[sop.unit.folder]) for sop in sops]
    if len(jobs) < 4:
        yield from map(_render_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        yield from pool.map(_render_one, jobs, chunksize=4)


def _page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _books(units: dict[Path, tuple[Unit, list[Sop]]], entries: dict[str, book.Entry], out: Path,
           manifest: Manifest, summary: Summary) -> dict[Path, book.Book]:
    """Make the book of every unit whose SOPs or sources changed."""
    todo, books = [], {}
    digests = {}
    for folder, (unit, sops) in units.items():
        chosen = [entries[sop_key(s)] for s in book.ordered(unit, sops) if sop_key(s) in entries]
        if not chosen:
            continue
        parts = [(e.sop.slug, manifest.entries[sop_key(e.sop)]["hash"]) for e in chosen]
        digests[folder] = _hash(CODE, json.dumps(parts), *(_read(f) for f in unit.files),
                                _read(book.FRONT_TEMPLATE), _read(unit.logo))
        known = manifest.fresh(f"buku:{unit.key}", digests[folder])
        target = out / unit.key
        if known:
            books[folder] = book.Book(target / f"{book.book_name(unit)}.pdf", target / f"{book.book_name(unit)}.docx",
                                      known["starts"], known["pages"])
        else:
            todo.append((folder, unit, chosen))
    if todo:
        click.echo(f"Menyusun {len(todo)} buku SOP...")
        try:
            made = book.build_all([(unit, chosen) for _, unit, chosen in todo], out)
        except SopdocError as exc:
            summary.failures.append(f"buku ({exc.message})")
            made = []
        for (folder, unit, _), result in zip(todo, made):
            books[folder] = result
            manifest.record(f"buku:{unit.key}", digests[folder], [result.pdf, result.docx], starts=result.starts,
                            pages=result.pages)
            summary.made += 2
    summary.pages = sum(b.pages for b in books.values())
    manifest.save()
    return books


def _index_and_forms(units, entries, books, failed: list[Path], out: Path, manifest: Manifest,
                     summary: Summary) -> None:
    """Write the index workbook, and each unit's monitoring form, when what they list changed."""
    state = json.dumps(sorted((k, v["hash"]) for k, v in manifest.entries.items() if k.startswith(("sop:", "buku:")))
                       + [str(p) for p in failed])
    digest = _hash(CODE, state)
    if not manifest.fresh("indeks", digest):
        target = out / index.INDEX_NAME
        write_atomic(target, index.workbook(units, entries, books, failed, out))
        manifest.record("indeks", digest, [target])
        summary.made += 1
    for unit, sops in units.values():
        listed = book.ordered(unit, sops)
        digest = _hash(CODE, *(_read(f) for f in unit.files),
                       json.dumps([(s.slug, s.nomor, s.nama) for s in listed]))
        key = f"monitoring:{unit.key}"
        if manifest.fresh(key, digest):
            continue
        docx_path = out / unit.key / forms.form_name(unit, ".docx")
        xlsx_path = out / unit.key / forms.form_name(unit, ".xlsx")
        write_atomic(docx_path, forms.monitoring_docx(unit, listed))
        write_atomic(xlsx_path, forms.monitoring_xlsx(unit, listed))
        manifest.record(key, digest, [docx_path, xlsx_path])
        summary.made += 2
    manifest.save()


def _zip(out: Path, manifest: Manifest) -> None:
    """Pack every output, laid out by unit, into one ZIP (again only when something changed)."""
    members = sorted(f for key, entry in manifest.entries.items() if key != "zip" for f in entry["files"])
    digest = _hash(json.dumps([(k, v["hash"]) for k, v in sorted(manifest.entries.items()) if k != "zip"]))
    target = out / ZIP_NAME
    if manifest.fresh("zip", digest):
        return
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{ZIP_NAME}.", suffix=".tmp")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for member in members:
                archive.write(out / member, member)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    manifest.record("zip", digest, [target])
