"""Export everything for the reform-bureaucracy assessment, rebuilding only what changed.

Stages: every SOP as DOCX and PDF; every unit's book; the index workbook and
each unit's monitoring form; with a signer, a signed copy (NAME.ttd.pdf) of every
SOP and book PDF; one ZIP of it all. A manifest beside the output
keeps a content hash of what each output was made from (definition, unit files,
templates, logo, sopdoc version); an output whose hash is unchanged and whose
files exist is not made again. Outputs are written atomically and the manifest
after each stage, so an interrupted export is finished by the next run. A
failure of one SOP, book or file is reported and counted; the run goes on.

An incomplete result never passes for a complete one. An SOP that failed (its
definition, or its documents) leaves no older document of it in the output; the
book of its unit is made with what succeeded and marked TIDAK LENGKAP on every
page, naming what is missing; the index lists it as "gagal"; and the ZIP is
named ekspor-sop-TIDAK-LENGKAP.zip, holding a note of what is missing, while the
ZIP of a complete export is removed. Drafts (status draf) are left out unless
asked for; their definitions' errors then do not make the export incomplete.
An SOP that is exported yet still holds an example value of sopdoc's scaffold
(placeholders decides what is an example) is not ready either: it is named in a
warning at the end of the run and counted in the summary, the ZIP is named
ekspor-sop-MASIH-CONTOH.zip with a note naming them, the run ends not ready
(Summary.ready, a nonzero exit in the CLI), and *strict* refuses to export it at all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from sopdoc import __version__, fsutil
from sopdoc.definition import placeholders, reader, tree
from sopdoc.definition.fields import DRAFT
from sopdoc.definition.model import Sop, Unit
from sopdoc.document import book, docx_writer, identity, outputs, render
from sopdoc.errors import SopdocError, display_path
from sopdoc.export import forms, index
from sopdoc.export.manifest import INDEX_KEY, ZIP_KEY, Manifest, book_key, form_key, signed_key, sop_key
from sopdoc.export.signature import Signature
from sopdoc.fsutil import staged, write_atomic
from sopdoc.report import Reporter


@dataclass(frozen=True)
class Failure:
    """One thing a run could not make: what, as the user reads it (a definition, "buku UNIT"), and why."""

    what: str
    message: str
    unit: Path | None = None        # the unit folder whose book it leaves incomplete


@dataclass
class Summary:
    """What one export did: for the CLI's last lines and the studio's job panel."""

    units: int = 0
    sops: int = 0
    pages: int = 0
    made: int = 0
    failures: list[Failure] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)           # drafts left out (not asked for)
    examples: list[str] = field(default_factory=list)         # SOPs exported not in draft with examples left in
    books: dict[Path, Path] = field(default_factory=dict)     # unit folder -> its book's PDF
    incomplete: dict[Path, list[str]] = field(default_factory=dict)   # unit folder -> what its book is missing
    zip: Path | None = None

    @property
    def ready(self) -> bool:
        """Return whether the result may be uploaded: complete, and no SOP exported with sopdoc's examples in it."""
        return self.complete and not self.examples

    def examples_message(self) -> str:
        """Return the message that ends a complete run that exported SOPs still holding examples."""
        return (f"Hasil BELUM SIAP diunggah: {len(self.examples)} SOP masih memuat contoh dari sopdoc: "
                + ", ".join(self.examples) + ". Ganti contohnya dengan isi sebenarnya (sopdoc validate --strict "
                "menunjukkannya), lalu jalankan ekspor lagi.")

    @property
    def complete(self) -> bool:
        """Return whether everything asked for was made: no failure, so no book or ZIP is marked incomplete."""
        return not self.failures

    def failed_message(self) -> str:
        """Return the message that ends a run with failures: how many, and which."""
        return (f"Hasil TIDAK LENGKAP: {len(self.failures)} definisi atau dokumen gagal (sebabnya di atas): "
                + ", ".join(failure.what for failure in self.failures))


@dataclass
class _Run:
    """What every stage of one export shares."""

    out: Path
    manifest: Manifest
    reporter: Reporter
    summary: Summary
    jobs: int
    signature: Signature | None = None
    made: set[str] = field(default_factory=set)     # manifest keys whose files this run made

    def unsigned(self, key: str, digest: str) -> bool:
        """Say whether the output *key*, made from *digest*, is to be signed and has no signed copy to keep.

        A signed copy is kept only if it is recorded as made from *digest* and is the output's PDF signed with
        this certificate: the manifest that vouches for it lies in a folder others may write to.
        """
        if self.signature is None:
            return False
        kept, entry = self.manifest.fresh(signed_key(key), self.signed_digest(digest)), self.manifest.entries.get(key)
        return not (kept and entry and self.signature.holds(self.out / kept["files"][0], self.out / _pdf_of(entry)))

    def signed_digest(self, digest: str) -> str:
        return _hash(digest, self.signature.identity)

    def fail(self, source: Path | str, message: str, unit: Path | None = None) -> None:
        self.reporter.failure(source, message)
        self.summary.failures.append(Failure(display_path(source) if isinstance(source, Path) else source, message,
                                             unit))


@functools.cache
def code_hash() -> str:
    """Return a hash of sopdoc's own code and templates, so that any change of them remakes the outputs.

    Computed on the first export of a run, not when the module is imported (sign and the studio import it).
    """
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


def _read(path: Path | None) -> bytes:
    return path.read_bytes() if path and path.is_file() else b""


def sop_digest(sop: Sop, names: dict[str, str], pdfa: bool) -> str:
    """Return the hash of everything a SOP's documents are made from."""
    linked = json.dumps({slug: names.get(slug) for slug in sop.keterkaitan}, sort_keys=True)
    return _hash(code_hash(), "pdfa" if pdfa else "pdf", _read(sop.source), linked,
                 *(_read(f) for f in sop.unit.files), _read(docx_writer.template_for(sop)), _read(sop.unit.logo))


def export(paths: list[Path], out: Path, reporter: Reporter, jobs: int, force: bool = False,
           books_only: bool = False, pdfa: bool = False, signature: Signature | None = None,
           drafts: bool = False, strict: bool = False) -> Summary:
    """Read the definitions under *paths* and export them into *out*, holding it while writing.

    The one export: ``sopdoc export``, ``sopdoc book`` and the studio's book and
    export buttons call it. Nothing is written when a program is missing, nor with
    *strict* when an SOP to export still holds sopdoc's examples. Drafts are
    exported (and booked) only with *drafts*.
    """
    render.check_tools(("docx", "pdf"))
    result = reader.read(paths)
    reporter.problems(result.problems)
    if strict:
        _refuse_examples(result, [sop for sop in result.sops if drafts or sop.status != DRAFT])
    with fsutil.output_folder(out, reporter.note, [outputs.unit_folder(out, s.unit) for s in result.sops]):
        return _export(result, out, reporter, jobs, force=force, books_only=books_only, pdfa=pdfa, signature=signature,
                       drafts=drafts)


def _export(result: reader.Result, out: Path, reporter: Reporter, jobs: int, force: bool = False,
            books_only: bool = False, pdfa: bool = False, signature: Signature | None = None,
            drafts: bool = False) -> Summary:
    """Export the SOPs of *result* into *out* (which the caller holds); return what was done and what failed."""
    summary = Summary()
    manifest = Manifest(out, reporter.warning)
    if force:
        manifest.entries = {}
    manifest.forget_removed()
    state = _Run(out, manifest, reporter, summary, jobs, signature)
    sops = [sop for sop in result.sops if drafts or sop.status != DRAFT]
    broken = [path for path in result.failed if drafts or path not in result.failed_drafts]
    summary.failures += [Failure(display_path(path), _read_errors(result, path), path.parent) for path in broken]
    left_out = [sop.source for sop in result.sops if sop not in sops] + sorted(result.failed_drafts - set(broken))
    _leave_out_drafts(state, left_out)
    units: dict[Path, tuple[Unit, list[Sop]]] = {}
    for sop in sops:
        units.setdefault(sop.unit.folder, (sop.unit, []))[1].append(sop)
    summary.units = len(units)
    entries, failed = _documents(state, sops, identity.sop_names(result.sops, result.siblings), pdfa)
    _forget_failed(state, broken, units)
    _forget_emptied(state, units, left_out)
    summary.incomplete = {folder: [Path(f.what).name for f in summary.failures if f.unit == folder]
                          for folder in units if any(f.unit == folder for f in summary.failures)}
    examples = _examples(result, sops)
    summary.examples = [display_path(sop.source) for sop in examples]
    for sop in examples:
        if sop_key(sop) in entries:
            entries[sop_key(sop)].examples = True
    books = _books(state, units, entries, summary.incomplete)
    summary.books = {folder: made.pdf for folder, made in books.items()}
    signed = _sign(state, [*entries, *(book_key(u) for u, _ in units.values() if u.folder in books)])
    if not books_only:
        listed = _listed(result, units, failed, broken, examples)
        _index_and_forms(state, listed, units, entries, books, [(p, _read_errors(result, p)) for p in broken])
        _zip(state, [*entries], units, books, signed)
    manifest.save()
    _warn_examples(state, examples)
    return summary


def _examples(result: reader.Result, sops: list[Sop]) -> list[Sop]:
    """Return the SOPs of *sops* not in draft with an example of sopdoc's scaffold left in them or their unit."""
    files = {problem.file for problem in result.problems if placeholders.is_example(problem.message)}
    return [sop for sop in sops if sop.status != DRAFT and (sop.source in files or files.intersection(sop.unit.files))]


def _refuse_examples(result: reader.Result, sops: list[Sop]) -> None:
    """Raise SopdocError, before anything is written, when an SOP of *sops* still holds an example (_examples)."""
    examples = _examples(result, sops)
    if examples:
        raise SopdocError(f"Dibatalkan: {len(examples)} SOP masih memuat contoh dari sopdoc dan --strict dipakai: "
                          + ", ".join(display_path(sop.source) for sop in examples)
                          + ". Ganti contohnya dengan isi sebenarnya (lihat peringatan di atas); tidak ada yang "
                          "ditulis.")


def _warn_examples(state: _Run, examples: list[Sop]) -> None:
    """Name, last, every SOP exported with an example of sopdoc's scaffold left in it (_examples)."""
    if state.summary.examples:
        state.reporter.warning(f"{len(state.summary.examples)} SOP yang diekspor (bukan draf) masih memuat "
                               "contoh dari sopdoc (lihat peringatan di awal): "
                               + ", ".join(state.summary.examples) + ". Ganti contohnya dengan isi sebenarnya "
                               "sebelum diunggah; periksa dengan sopdoc validate --strict")


def _read_errors(result: reader.Result, path: Path) -> str:
    """Return why the definition *path* was not read, as the index and the ZIP's note say it."""
    count = sum(1 for problem in result.errors if problem.file == path)
    return f"definisi memuat {count} galat (jalankan sopdoc validate untuk melihatnya)" if count else \
        "definisi tidak dapat dibaca (jalankan sopdoc validate untuk melihat sebabnya)"


def _leave_out_drafts(state: _Run, left_out: list[Path]) -> None:
    """Say which drafts are not exported, and remove what an export that included them left in the output."""
    if not left_out:
        return
    state.summary.drafts = [display_path(path) for path in left_out]
    state.reporter.note(f"{len(left_out)} SOP berstatus draf tidak diekspor (sertakan dengan --draf): "
                        + ", ".join(state.summary.drafts))
    _forget_sources(state.manifest, left_out)


def _forget_sources(manifest: Manifest, sources: list[Path]) -> None:
    """Forget, deleting their files, the outputs made from the definitions *sources* (and their signed copies)."""
    resolved = {str(path.resolve()) for path in sources}
    for key in [key for key, entry in manifest.entries.items() if entry.get("source") in resolved]:
        manifest.forget(key)


def _forget_failed(state: _Run, broken: list[Path], units: dict[Path, tuple[Unit, list[Sop]]]) -> None:
    """Remove the outputs of definitions that failed: nothing older may look current.

    That is each broken definition's documents, and the book and form of a unit
    folder none of whose SOPs could be read (its unit.yaml is broken, say).
    """
    _forget_sources(state.manifest, broken)
    gone = {str(path.parent.resolve()) for path in broken} - {str(folder.resolve()) for folder in units}
    for key in [key for key, entry in state.manifest.entries.items() if entry.get("unit") in gone]:
        state.manifest.forget(key)
        state.manifest.forget(signed_key(key))


def _forget_emptied(state: _Run, units: dict[Path, tuple[Unit, list[Sop]]], left_out: list[Path]) -> None:
    """Remove the book and forms of a unit folder with no SOP to export any more: nothing older may look current.

    That is a folder whose last definition was deleted or moved away (to the studio's
    trash, say), and a folder whose SOPs are all drafts left out of this export.
    """
    exported = {str(folder.resolve()) for folder in units}
    drafted = {str(path.parent.resolve()) for path in left_out}
    for key, entry in list(state.manifest.entries.items()):
        folder = entry.get("unit")
        if isinstance(folder, str) and folder not in exported and (folder in drafted or not _holds_sops(Path(folder))):
            state.manifest.forget(key)
            state.manifest.forget(signed_key(key))


def _holds_sops(folder: Path) -> bool:
    """Return whether *folder* still holds an SOP definition (a file read as one, beside its unit.yaml)."""
    try:
        return any(tree.is_definition(entry.name) and entry.name != tree.UNIT_FILE and entry.is_file()
                   for entry in os.scandir(folder))
    except OSError:
        return False


def _listed(result: reader.Result, units: dict[Path, tuple[Unit, list[Sop]]], failed: dict[str, str],
            broken: list[Path], examples: list[Sop]) -> dict[Path, index.Listed]:
    """Return what the index lists per unit: every SOP read (drafts left out too), every broken definition, and
    the SOPs exported with examples left in them."""
    listed: dict[Path, index.Listed] = {folder: index.Listed(unit) for folder, (unit, _) in units.items()}
    for sop in result.sops:
        listed.setdefault(sop.unit.folder, index.Listed(sop.unit)).sops.append(sop)
    for entry in listed.values():
        entry.failed = {key: why for key, why in failed.items() if key.startswith(f"sop:{entry.unit.key}/")}
        entry.examples = {sop.source for sop in examples if sop.unit.folder == entry.unit.folder}
    for path in broken:
        if path.parent in listed:
            listed[path.parent].broken.append((path, _read_errors(result, path)))
    return listed


def _documents(state: _Run, sops: list[Sop], names: dict[Path, dict[str, str]],
               pdfa: bool) -> tuple[dict[str, book.Entry], dict[str, str]]:
    """Make the DOCX and PDF of every SOP whose sources changed.

    Return an entry per SOP made, and why each SOP that failed did (by manifest key).
    """
    out, manifest = state.out, state.manifest
    digests = {sop: sop_digest(sop, names[sop.unit.folder], pdfa) for sop in sops}
    entries: dict[str, book.Entry] = {}
    stale = []
    for sop in sops:
        known = manifest.fresh(sop_key(sop), digests[sop])
        # Only a PDF made in this run is signed: the output folder, manifest included, is anyone's to edit.
        if known and not state.unsigned(sop_key(sop), digests[sop]):
            entries[sop_key(sop)] = book.Entry(sop, outputs.sop_file(out, sop, ".docx"),
                                               outputs.sop_file(out, sop, ".pdf"), known["flow_pages"], known["pages"])
        else:
            stale.append(sop)
    state.summary.sops = len(sops)
    if entries and stale:
        state.reporter.note(f"{len(entries)} dari {len(sops)} SOP tidak berubah sejak ekspor sebelumnya; "
                            f"{len(stale)} dibuat ulang.")
    batch = render.documents(stale, out, names, state.reporter, state.jobs, pdfa=pdfa)
    failed = {}
    for item in batch.failed:       # render.documents reported each, and removed its documents
        failed[sop_key(item.sop)] = item.message
        state.summary.failures.append(Failure(display_path(item.sop.source), item.message, item.sop.unit.folder))
        manifest.forget(sop_key(item.sop))
        manifest.forget(signed_key(sop_key(item.sop)))
    for item in batch.made:
        pages = len(PdfReader(item.pdf).pages)
        entries[sop_key(item.sop)] = book.Entry(item.sop, item.docx, item.pdf, item.flow_pages, pages)
        manifest.record(sop_key(item.sop), digests[item.sop], [item.docx, item.pdf], flow_pages=item.flow_pages,
                        pages=pages, source=str(item.sop.source.resolve()))
        state.made.add(sop_key(item.sop))
        manifest.forget(signed_key(sop_key(item.sop)))     # it signs a PDF that is no more
        state.summary.made += 2
    manifest.save()
    return entries, failed


def _books(state: _Run, units: dict[Path, tuple[Unit, list[Sop]]], entries: dict[str, book.Entry],
           incomplete: dict[Path, list[str]]) -> dict[Path, book.Book]:
    """Make the book of every unit whose SOPs or sources changed; mark those *incomplete* says miss an SOP."""
    out, manifest = state.out, state.manifest
    todo, books, digests = [], {}, {}
    for folder, (unit, sops) in units.items():
        chosen = [entries[sop_key(s)] for s in book.ordered(unit, sops) if sop_key(s) in entries]
        if not chosen:
            continue
        parts = [(e.sop.slug, manifest.entries[sop_key(e.sop)]["hash"], e.examples) for e in chosen]
        digests[folder] = _hash(code_hash(), json.dumps(parts), json.dumps(incomplete.get(folder, [])),
                                *(_read(f) for f in unit.files), _read(book.FRONT_TEMPLATE), _read(unit.logo))
        known = manifest.fresh(book_key(unit), digests[folder])
        if known and not state.unsigned(book_key(unit), digests[folder]):
            books[folder] = book.Book(outputs.book_file(out, unit, ".pdf"), outputs.book_file(out, unit, ".docx"),
                                      known["starts"], known["pages"])
        else:
            todo.append((unit, chosen))
    if todo:
        state.reporter.note(f"Menyusun {len(todo)} buku SOP...")
        progress = state.reporter.progress("Buku", 2 * len(todo))
        try:
            made, failed = book.build_all(todo, out, state.jobs, incomplete, progress.step)
        finally:
            progress.close()
        for folder, message in failed.items():
            state.fail(f"buku {display_path(folder)}", message, folder)
        for unit, _ in todo:
            if unit.folder in made:
                result = books[unit.folder] = made[unit.folder]
                manifest.record(book_key(unit), digests[unit.folder], [result.pdf, result.docx],
                                starts=result.starts, pages=result.pages, unit=str(unit.folder.resolve()))
                state.made.add(book_key(unit))
                state.summary.made += 2
            else:
                manifest.forget(book_key(unit))       # an older book would look current
            manifest.forget(signed_key(book_key(unit)))
    state.summary.pages = sum(b.pages for b in books.values())
    manifest.save()
    return books


def _sign(state: _Run, keys: list[str]) -> list[str]:
    """Sign the PDF of every output in *keys* whose signed copy is missing or older; return the signed keys.

    What is signed is the PDF this run made, byte for byte: the signer checks its
    SHA-256 against the one recorded when it was made.
    """
    signature, manifest = state.signature, state.manifest
    if signature is None:
        return []
    digests = {key: state.signed_digest(manifest.entries[key]["hash"]) for key in keys}
    todo = [key for key in keys if not manifest.fresh(signed_key(key), digests[key])]
    for key in [key for key in todo if key not in state.made]:      # made earlier, or failed to be made again
        state.fail(state.out / _pdf_of(manifest.entries[key]), "tidak ditandatangani: PDF ini tidak dibuat pada "
                                                               "ekspor ini; jalankan ekspor lagi")
    todo = [key for key in todo if key in state.made]
    sources = [state.out / _pdf_of(manifest.entries[key]) for key in todo]
    sums = [manifest.sum_of(key, _pdf_of(manifest.entries[key])) for key in todo]
    if todo:
        state.reporter.note(f"Menandatangani {len(todo)} PDF...")
    for key, source, (target, error) in zip(todo, sources, signature.sign(sources, sums)):
        if target is None:
            state.fail(source, error or "tidak ditandatangani")
            continue
        origin = manifest.entries[key].get("source")
        manifest.record(signed_key(key), digests[key], [target], **({"source": origin} if origin else {}))
        state.summary.made += 1
    manifest.save()
    return [signed_key(key) for key in keys if manifest.fresh(signed_key(key), digests[key])]


def _pdf_of(entry: dict) -> str:
    """Return the PDF among the files recorded in a manifest *entry*."""
    return next(name for name in entry["files"] if name.endswith(".pdf"))


def _stamp(path: Path) -> tuple[int, int] | None:
    """Return the size and modification time of *path*, which change whenever it is written again."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _index_and_forms(state: _Run, listed: dict[Path, index.Listed], units, entries, books,
                     broken: list[tuple[Path, str]]) -> None:
    """Write the index workbook, and each unit's monitoring form, when what they list changed."""
    out, manifest = state.out, state.manifest
    made = sorted([k for k in entries] + [book_key(u) for u, _ in units.values() if u.folder in books])
    unmade = sorted((str(sop.source), sop_key(sop) in entry.failed) for entry in listed.values() for sop in entry.sops
                    if sop_key(sop) not in entries)
    digest = _hash(code_hash(), json.dumps([(k, manifest.entries[k]["hash"]) for k in made]
                                           + [(str(p), why) for p, why in broken] + sorted(listed_unit.unit.key
                                           for listed_unit in listed.values())),
                   json.dumps(unmade), json.dumps(sorted((str(f), m) for f, m in state.summary.incomplete.items())),
                   *(_read(Path(source)) for source, _ in unmade))
    if not manifest.fresh(INDEX_KEY, digest):
        target = outputs.index_file(out)
        try:
            write_atomic(target, index.workbook(listed, entries, books, state.summary.incomplete, broken, out))
        except SopdocError as exc:
            state.fail(target, exc.message)
        else:
            manifest.record(INDEX_KEY, digest, [target])
            state.summary.made += 1
    for unit, sops in units.values():
        listed_sops = book.ordered(unit, sops)
        missing = tuple(state.summary.incomplete.get(unit.folder, ()))
        digest = _hash(code_hash(), *(_read(f) for f in unit.files),
                       json.dumps([(s.slug, s.nomor, s.nama) for s in listed_sops]), json.dumps(missing))
        if manifest.fresh(form_key(unit), digest):
            continue
        docx_path, xlsx_path = outputs.form_file(out, unit, ".docx"), outputs.form_file(out, unit, ".xlsx")
        try:
            write_atomic(docx_path, forms.monitoring_docx(unit, listed_sops, missing))
            write_atomic(xlsx_path, forms.monitoring_xlsx(unit, listed_sops, missing))
        except SopdocError as exc:
            state.fail(docx_path.parent, exc.message)
            continue
        manifest.record(form_key(unit), digest, [docx_path, xlsx_path], unit=str(unit.folder.resolve()))
        state.summary.made += 2
    manifest.save()


def _zip(state: _Run, sop_keys: list[str], units: dict, books: dict, signed: list[str]) -> None:
    """Pack this run's outputs, laid out by unit, into one ZIP, so that it holds what the index lists."""
    out, manifest = state.out, state.manifest
    keys = [*sop_keys, *(book_key(u) for u, _ in units.values() if u.folder in books),
            *(form_key(u) for u, _ in units.values()), *signed, INDEX_KEY]
    keys = [k for k in keys if k in manifest.entries]
    members = manifest.files(keys)
    note, examples = _incomplete_note(state.summary), _examples_note(state.summary)
    # A file made again from unchanged sources (deleted, or signed again) keeps its hash but not its bytes.
    digest = _hash(json.dumps([(k, manifest.entries[k]["hash"]) for k in sorted(keys)]),
                   json.dumps([(member, _stamp(out / member)) for member in members]), note, examples)
    target = outputs.zip_file(out, complete=not note, examples=bool(examples))
    if manifest.fresh(ZIP_KEY, digest):
        state.summary.zip = target
        return
    manifest.forget(ZIP_KEY)        # the other name's ZIP, complete or not, is no longer what this export made
    try:
        with staged(target) as handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                                                       compresslevel=1) as archive:
            if note:
                archive.writestr(outputs.INCOMPLETE_NOTE, note)
            if examples:
                archive.writestr(outputs.EXAMPLES_NOTE, examples)
            for member in members:
                archive.write(out / member, member)
    except SopdocError as exc:
        state.fail(target, exc.message)
        return
    manifest.record(ZIP_KEY, digest, [target])
    state.summary.zip = target


def _examples_note(summary: Summary) -> str:
    """Return the note the ZIP holds of the SOPs exported with sopdoc's examples in them ("" when none)."""
    if not summary.examples:
        return ""
    lines = ["EKSPOR INI BELUM SIAP DIUNGGAH.", "",
             f"{len(summary.examples)} SOP di ZIP ini masih memuat contoh dari sopdoc (misalnya nama, NIP atau "
             "jabatan penandatangan, nomor SOP, atau kegiatan contoh); indeks-sop.xlsx mencatatnya di kolom "
             "Keterangan:", ""]
    lines += [f"- {what}" for what in summary.examples]
    lines += ["", "Ganti contohnya dengan isi sebenarnya (sopdoc validate --strict menunjukkannya), lalu jalankan "
              "ekspor lagi."]
    return "\r\n".join(lines) + "\r\n"      # Notepad's line ends


def _incomplete_note(summary: Summary) -> str:
    """Return the note an incomplete export's ZIP holds: what failed and why ("" when nothing did)."""
    if summary.complete:
        return ""
    lines = ["EKSPOR INI TIDAK LENGKAP.", "",
             f"{len(summary.failures)} hal gagal dibuat dan tidak termuat di ZIP ini; buku unitnya ditandai "
             "TIDAK LENGKAP dan indeks-sop.xlsx mencatatnya sebagai gagal:", ""]
    lines += [f"- {failure.what}: {failure.message}" for failure in summary.failures]
    lines += ["", "Perbaiki lalu jalankan ekspor lagi; sopdoc hanya membuat ulang yang berubah."]
    return "\r\n".join(lines) + "\r\n"      # Notepad's line ends
