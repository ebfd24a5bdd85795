"""Assemble a unit's SOP book: front matter, then every SOP in order, as PDF and DOCX.

The front matter (cover, adopting decree with its appendix, table of contents,
usage notes) comes from templates/buku.docx. Its table of contents needs the
book's page numbers, which depend on its own length: it is converted once with
placeholders, then again with the real numbers. The book PDF is the front
matter's PDF followed by each SOP's own PDF, with page numbers stamped in the
footer, bookmarks (shown when the book opens), metadata, and the entries of the
table of contents and of each keterkaitan linked to their SOP. LibreOffice drops
links when it makes a PDF, so they are added here.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.parts.image import ImagePart
from docx.shared import Mm, Pt, RGBColor
from docxcompose.composer import Composer
from docxtpl import DocxTemplate, InlineImage
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import RectangleObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from sopdoc import fsutil, report, templating, workers
from sopdoc.definition.fields import DRAFT, IN_FORCE
from sopdoc.definition.model import Sop, Unit
from sopdoc.document import identity, metadata, outputs, oxml, pdf
from sopdoc.document.docx_writer import HEADER_SIZE, TEMPLATES, draft_mark, mark_page
from sopdoc.errors import SopdocError
from sopdoc.fsutil import write_atomic
from sopdoc.office import style, textfit
from sopdoc.office.paper import POTRET, page_size
from sopdoc.office.style import MARK_RED

FRONT_TEMPLATE = TEMPLATES / "buku.docx"
FOOTER_SIZE = 9
_PLACEHOLDER = "000"
MARGIN_FRONT = 25 * 72 / 25.4


@dataclass
class Entry:
    """One SOP in the book, with its rendered files."""

    sop: Sop
    docx: Path
    pdf: Path
    flow_pages: int
    pages: int
    examples: bool = False      # still holds sopdoc's examples (placeholders): the book's front pages say so


@dataclass
class Book:
    pdf: Path
    docx: Path
    starts: dict[str, int] = field(default_factory=dict)   # slug -> first page, from 1
    pages: int = 0


def ordered(unit: Unit, sops: list[Sop]) -> list[Sop]:
    """Return the SOPs of the book in order: the unit's `urutan`, then by nomor, then by name.

    A book holds the SOPs in force, and the drafts among *sops* (the export leaves
    drafts out unless they are asked for).
    """
    listed = {slug: i for i, slug in enumerate(unit.urutan)}
    return sorted((s for s in sops if s.status in (IN_FORCE, DRAFT)),
                  key=lambda s: (listed.get(s.slug, len(listed)), _natural(s.nomor), s.nama.lower()))


def _natural(text: str | None) -> tuple:
    if text is None:
        return (1,)
    return (0, *[(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.split(r"(\d+)", text) if part.strip()])


def book_year(unit: Unit, sops: list[Sop]) -> int:
    if unit.tahun:
        return unit.tahun
    dates = [d for s in sops for d in (s.tanggal_efektif, s.tanggal_pembuatan) if d]
    if not dates:
        raise SopdocError("tahun buku tidak dapat ditentukan; tulis 'tahun:' di unit.yaml")
    return max(d.tahun for d in dates)


@dataclass
class _Job:
    unit: Unit
    entries: list[Entry]
    front: Path
    book: Book
    missing: tuple[str, ...] = ()       # the unit's SOPs that failed: the book is marked TIDAK LENGKAP
    front_pages: int = 0
    starts: dict[str, int] = field(default_factory=dict)


def build_all(books: list[tuple[Unit, list[Entry]]], out: Path, jobs: int,
              missing: dict[Path, list[str]] | None = None,
              step: Callable[[str], None] = lambda what: None) -> tuple[dict[Path, Book], dict[Path, str]]:
    """Write the book of each (unit, entries) into its unit's output folder.

    The front matter of every book is converted together, twice: with
    placeholder page numbers to learn its length, then with the real numbers.
    A unit that *missing* names SOPs of (those that failed) gets a book of the
    others marked TIDAK LENGKAP. *step* is told of each book's front matter and
    of each book assembled (two steps a book). Return the books made and, per
    unit folder, why a book was not.
    """
    failed: dict[Path, str] = {}
    with fsutil.temp_folder("buku") as tmp:
        pending = []
        for n, (unit, entries) in enumerate(books):
            if not entries:
                failed[unit.folder] = "tidak ada SOP berstatus berlaku untuk dibukukan"
                continue
            book = Book(outputs.book_file(out, unit, ".pdf"), outputs.book_file(out, unit, ".docx"))
            pending.append(_Job(unit, entries, tmp / f"depan-{n}.docx", book,
                                tuple((missing or {}).get(unit.folder, ()))))
        settled = _settle_front_matter(pending, jobs, failed)
        for job in pending:
            step(f"{job.unit.key}: halaman depan" + ("" if job in settled else " gagal"))
        for job in settled:
            job.book.starts = job.starts
            job.book.pages = job.front_pages + sum(e.pages for e in job.entries)
        if len(settled) > 1 and jobs > 1:
            with workers.pool(min(jobs, len(settled))) as pool:
                outcomes = list(pool.map(_assemble, settled))
        else:
            outcomes = list(map(_assemble, settled))
    for job in pending:
        step(f"{job.unit.key}: buku disusun" if job in settled and not outcomes[settled.index(job)]
             else f"{job.unit.key}: buku gagal")
    for job, message in zip(settled, outcomes):
        if message:
            failed[job.unit.folder] = message
    return {job.unit.folder: job.book for job, message in zip(settled, outcomes) if not message}, failed


def _settle_front_matter(jobs: list[_Job], processes: int, failed: dict[Path, str]) -> list[_Job]:
    """Convert the front matter until its page count no longer changes the page numbers it prints.

    Return the jobs whose front matter settled; record why each other one failed.
    """
    pending, done = list(jobs), []
    for attempt in range(4):
        pending = [job for job in pending if _write_front(job, attempt > 0, failed)]
        conversion = pdf.convert([job.front for job in pending], jobs=processes)
        unsettled = []
        for job in pending:
            if job.front in conversion.failed:
                failed[job.unit.folder] = f"halaman depan buku: {conversion.failed[job.front]}"
                continue
            pages = len(PdfReader(outputs.pdf_of(job.front)).pages)
            if attempt and pages == job.front_pages:
                done.append(job)
                continue
            job.front_pages, job.starts = pages, _starts(job.entries, pages)
            unsettled.append(job)
        pending = unsettled
        if not pending:
            return done
    for job in pending:
        failed[job.unit.folder] = "panjang halaman depan buku tidak stabil"
    return done


def _write_front(job: _Job, numbered: bool, failed: dict[Path, str]) -> bool:
    """Write *job*'s front matter DOCX; record why not and return False when it cannot be made."""
    try:
        fsutil.write_atomic(job.front, front_matter(job.unit, job.entries, job.starts if numbered else None,
                                                    job.missing))
    except SopdocError as exc:
        failed[job.unit.folder] = exc.message
        return False
    except Exception as exc:  # a bug in one book must not stop the others
        failed[job.unit.folder] = report.unexpected(exc)
        return False
    return True


def _assemble(job: _Job) -> str | None:
    """Write one book's PDF and DOCX; return why not instead of raising, so the other books are made."""
    try:
        write_atomic(job.book.pdf, assemble_pdf(job.unit, outputs.pdf_of(job.front), job.entries, job.starts,
                                                job.missing))
        write_atomic(job.book.docx, assemble_docx(job.front, job.entries))
    except SopdocError as exc:
        return exc.message
    except Exception as exc:  # a bug in one book must not stop the others
        return report.unexpected(exc)
    return None


def _starts(entries: list[Entry], front_pages: int) -> dict[str, int]:
    starts, page = {}, front_pages + 1
    for entry in entries:
        starts[entry.sop.slug] = page
        page += entry.pages
    return starts


def front_matter(unit: Unit, entries: list[Entry], starts: dict[str, int] | None, missing: tuple[str, ...] = ()) -> bytes:
    """Return the DOCX of the book's front matter; *starts* None prints placeholders.

    A book that lacks the SOPs *missing*, or holds drafts or SOPs with examples (front_marks), says so above its
    cover, in red.
    """
    sops = [e.sop for e in entries]
    decree = unit.keputusan
    values = {
        "pemerintah": (unit.pemerintah or "").upper(),
        "unit": unit.unit.upper(),
        "nama_unit": unit.unit,
        "tahun": book_year(unit, sops),
        "alamat": unit.alamat or "",
        "lampiran": [{"nomor": s.nomor or "-", "nama": s.nama} for s in sops],
        "daftar": [{"no": n, "nama": s.nama, "nomor": s.nomor or "",
                    "halaman": starts[s.slug] if starts else _PLACEHOLDER}
                   for n, s in enumerate(sops, start=1)],
        "penjelasan": list(unit.penjelasan) or default_explanation(unit, sops),
        "keputusan": _decree_context(unit) if decree else None,
    }

    def context(tpl: DocxTemplate) -> dict:
        return {"logo": InlineImage(tpl, str(unit.logo), height=Mm(35)) if unit.logo else "", **values}

    document = Document(io.BytesIO(templating.render(FRONT_TEMPLATE, context)))
    oxml.drop_styles_with_effects(document)
    if missing:
        run = document.paragraphs[0].insert_paragraph_before().add_run(
            style.incomplete_mark(missing) + ". Perbaiki definisinya, lalu buat ulang buku ini.")
        run.bold, run.font.color.rgb = True, RGBColor.from_string(MARK_RED)
    for mark, advice in front_marks(entries):
        run = document.paragraphs[0].insert_paragraph_before().add_run(f"{mark}. {advice}")
        run.bold, run.font.color.rgb = True, RGBColor.from_string(MARK_RED)
    width, height = page_size(unit.kertas, POTRET)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Pt(width), Pt(height)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(20)
    for tbl in document.element.body.iterchildren(f"{{{oxml.W_NS}}}tbl"):
        oxml.fit_table_width(tbl, width - 2 * MARGIN_FRONT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def front_marks(entries: list[Entry]) -> list[tuple[str, str]]:
    """Return (mark, what to do) for the front pages of a book of *entries*: its drafts, its SOPs with examples.

    A draft's own pages carry the DRAF mark; the front pages speak for the whole book.
    """
    drafts = [e.sop.source.name for e in entries if draft_mark(e.sop)]
    examples = [e.sop.source.name for e in entries if e.examples]
    return ([(style.drafts_mark(drafts), "Jangan disahkan atau diunggah sebelum semuanya berlaku.")] if drafts
            else []) + ([(style.examples_mark(examples), "Ganti contohnya dengan isi sebenarnya sebelum buku ini "
                                                         "disahkan atau diunggah.")] if examples else [])


def _decree_context(unit: Unit) -> dict:
    decree = unit.keputusan
    signer = decree.disahkan_oleh or unit.disahkan_oleh
    letters = "abcdefghijklmnopqrstuvwxyz"
    return {
        "nomor": decree.nomor,
        "tanggal": str(decree.tanggal),
        "tentang": decree.tentang or f"Standar Operasional Prosedur Administrasi Pemerintahan di Lingkungan {unit.unit}",
        "menimbang": [f"{letters[i % 26]}. {text}" for i, text in enumerate(decree.menimbang)] or ["-"],
        "mengingat": [f"{i}. {text}" for i, text in enumerate(decree.mengingat, start=1)] or ["-"],
        "ditetapkan_di": decree.ditetapkan_di or "-",
        "ttd": dataclasses.asdict(identity.signature_block(signer)),
    }


def default_explanation(unit: Unit, sops: list[Sop]) -> list[str]:
    """Return the usage notes printed when unit.yaml gives none."""
    return [
        f"Buku ini memuat {len(sops)} Standar Operasional Prosedur Administrasi Pemerintahan (SOP AP) "
        f"di lingkungan {unit.unit}, disusun menurut Peraturan Menteri Pendayagunaan Aparatur Negara dan "
        "Reformasi Birokrasi Nomor 35 Tahun 2012.",
        "Setiap SOP terdiri atas lembar identitas (nomor, tanggal pembuatan, revisi dan efektif, pengesah, dasar "
        "hukum, kualifikasi pelaksana, keterkaitan, peralatan, peringatan, serta pencatatan dan pendataan) dan "
        "bagan alir prosedur. Bagan alir dibaca dari atas ke bawah: setiap baris satu kegiatan, dan simbol berada "
        "di kolom pelaksana kegiatan itu.",
        "Simbol yang dipakai: kapsul untuk mulai dan selesai, kotak untuk kegiatan, belah ketupat untuk "
        "keputusan dengan dua cabang, anak panah untuk arah alur, dan segi lima untuk penghubung antarhalaman "
        "(pasangan berhuruf sama di bawah satu halaman dan di atas halaman lain). Kolom mutu baku memuat "
        "kelengkapan, waktu dan keluaran setiap kegiatan.",
    ]


def assemble_pdf(unit: Unit, front: Path, entries: list[Entry], starts: dict[str, int],
                 missing: tuple[str, ...] = ()) -> bytes:
    """Return the book PDF: front matter and SOPs, numbered, bookmarked, with working keterkaitan links.

    A book that lacks the SOPs *missing* carries the TIDAK LENGKAP mark at the top of every page and in its title;
    one that holds drafts or SOPs with examples carries front_marks at the top of every front page.
    """
    writer = PdfWriter()
    writer.append(str(front))
    front_reader = PdfReader(front)
    for entry in entries:
        writer.append(str(entry.pdf))
    _stamp_numbers(writer, style.incomplete_mark(missing) if missing else None,
                   [mark for mark, _ in front_marks(entries)], len(front_reader.pages))
    sections = _front_sections(front_reader)
    _bookmarks(writer, sections, entries, starts)
    _contents_links(writer, sections, len(front_reader.pages), entries, starts)
    _links(writer, entries, starts)
    writer.page_mode = "/UseOutlines"
    year = book_year(unit, [e.sop for e in entries])
    writer.add_metadata({"/Title": f"Standar Operasional Prosedur {unit.unit} Tahun {year}"
                                   + (" (TIDAK LENGKAP)" if missing else ""),
                         "/Author": unit.unit, "/Subject": unit.pemerintah or unit.unit, "/Creator": "sopdoc",
                         "/Keywords": metadata.book_keywords(unit, [e.sop for e in entries])})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stamp_numbers(writer: PdfWriter, mark: str | None = None, front_marks: list[str] | None = None,
                   front_pages: int = 0) -> None:
    """Print 'Halaman N' at the foot of every page but the cover, and *mark* in red at the top of every page.

    *front_marks* go in red at the top of the first *front_pages* pages, one a line, below *mark* if given.
    """
    front_marks = front_marks or []
    for name, bold in (("LiberationSans", False), ("LiberationSans-Bold", True)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(textfit.font_path(bold))))
    buffer = io.BytesIO()
    # reportlab sets a font at the start of every page, Helvetica unless told: one that is not embedded.
    overlay = canvas.Canvas(buffer, initialFontName="LiberationSans", initialFontSize=FOOTER_SIZE)
    for number, page in enumerate(writer.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay.setPageSize((width, height))
        if number > 1:
            overlay.setFont("LiberationSans", FOOTER_SIZE)
            overlay.drawCentredString(width / 2, 7 * 72 / 25.4, f"Halaman {number}")
        if mark:
            overlay.setFont("LiberationSans-Bold", FOOTER_SIZE)
            overlay.setFillColor(f"#{MARK_RED}")
            overlay.drawCentredString(width / 2, height - 7 * 72 / 25.4, mark)
        if number <= front_pages:
            overlay.setFont("LiberationSans-Bold", FOOTER_SIZE)
            overlay.setFillColor(f"#{MARK_RED}")
            for line, text in enumerate(front_marks, start=1 if mark else 0):
                overlay.drawCentredString(width / 2, height - (7 + 4 * line) * 72 / 25.4, text)
        overlay.showPage()
    overlay.save()
    stamps = PdfReader(io.BytesIO(buffer.getvalue())).pages
    for number, (page, stamp) in enumerate(zip(writer.pages, stamps), start=1):
        if number > 1 or mark or (front_marks and number <= front_pages):
            page.merge_page(stamp)


_FRONT_HEADINGS = (("LAMPIRAN KEPUTUSAN", "Lampiran Keputusan"), ("MEMUTUSKAN", "Keputusan"),
                   ("DAFTAR ISI", "Daftar Isi"), ("PENJELASAN SINGKAT", "Penjelasan Singkat Penggunaan"))
CONTENTS = "Daftar Isi"


def _front_sections(front: PdfReader) -> dict[str, int]:
    """Return the page index where each part of the front matter begins, in page order."""
    sections: dict[str, int] = {}
    for index, page in enumerate(front.pages):
        text = page.extract_text() or ""
        for heading, title in _FRONT_HEADINGS:
            if heading in text and title not in sections:
                sections[title] = index
                break
    return sections


def _bookmarks(writer: PdfWriter, sections: dict[str, int], entries: list[Entry], starts: dict[str, int]) -> None:
    writer.add_outline_item(title="Sampul", page_number=0)
    for title, index in sections.items():
        writer.add_outline_item(title=title, page_number=index)
    for entry in entries:
        start = starts[entry.sop.slug] - 1
        title = f"{entry.sop.nomor} {entry.sop.nama}" if entry.sop.nomor else entry.sop.nama
        parent = writer.add_outline_item(title=title, page_number=start)
        writer.add_outline_item(title="Lembar Identitas", page_number=start, parent=parent)
        writer.add_outline_item(title="Bagan Alir", page_number=start + entry.pages - entry.flow_pages, parent=parent)


def _contents_links(writer: PdfWriter, sections: dict[str, int], front_pages: int, entries: list[Entry],
                    starts: dict[str, int]) -> None:
    """Link each entry of the table of contents to the first page of its SOP."""
    if CONTENTS not in sections:
        return
    first = sections[CONTENTS]
    last = min([index for index in sections.values() if index > first] + [front_pages])
    targets = {e.sop.nama: starts[e.sop.slug] - 1 for e in entries}
    for index in range(first, last):
        _link_names(writer, index, targets)


def _links(writer: PdfWriter, entries: list[Entry], starts: dict[str, int]) -> None:
    """Link each keterkaitan entry that names an SOP of the book to that SOP's first page."""
    names = {e.sop.slug: e.sop.nama for e in entries}
    for entry in entries:
        targets = {names[slug]: starts[slug] - 1 for slug in entry.sop.keterkaitan if slug in names}
        if not targets:
            continue
        first = starts[entry.sop.slug] - 1
        for index in range(first, first + entry.pages - entry.flow_pages):
            _link_names(writer, index, targets)


def _link_names(writer: PdfWriter, index: int, targets: dict[str, int]) -> None:
    """Link each line of text on page *index* that begins one of the names in *targets* to that name's page."""
    for name, target in targets.items():
        for rect in _text_rects(writer.pages[index], name):
            writer.add_annotation(index, Link(rect=rect, target_page_index=target))


def _text_rects(page, needle: str) -> list[RectangleObject]:
    """Return rectangles around the text chunks of *page* that begin *needle*."""
    found = []

    def visit(text, cm, tm, font, size):
        chunk = text.strip()
        if not chunk or not needle.startswith(chunk.lstrip("0123456789. ")[:20]) or len(chunk) < 4:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        height = size * scale
        found.append(RectangleObject((x, y - 0.25 * height, x + textfit.width(chunk, height), y + height)))

    page.extract_text(visitor_text=visit)
    return found


def assemble_docx(front: Path, entries: list[Entry]) -> bytes:
    """Return the book as one editable DOCX: front matter, then each SOP's document, numbered in the footer."""
    document = Document(str(front))
    first = document.sections[0]
    first.different_first_page_header_footer = True  # no number on the cover
    oxml.page_number_footer(first.footer)
    with _image_hashes_cached():
        composer = Composer(document)
        for entry in entries:
            sop_document = Document(str(entry.docx))
            section = _new_section_like(document, sop_document.sections[0])
            # The SOP's running head stays behind in its own DOCX; a draft's mark must not.
            section.header.is_linked_to_previous = False
            if draft_mark(entry.sop):
                oxml.mark_head(section.header, draft_mark(entry.sop), HEADER_SIZE, MARK_RED)
                mark_page(section)
            composer.append(sop_document)
        buffer = io.BytesIO()
        composer.save(buffer)
    return buffer.getvalue()


def _new_section_like(document, model):
    """Start a new page and section in *document* with the page setup of the section *model*.

    docxcompose pours appended content into the last section; without this the
    landscape SOPs would be laid out on the portrait front matter's pages.
    """
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = model.orientation
    section.page_width, section.page_height = model.page_width, model.page_height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin", "header_distance",
                 "footer_distance"):
        setattr(section, side, getattr(model, side))
    section.different_first_page_header_footer = False
    return section


@contextmanager
def _image_hashes_cached():
    """Hash each image part once while composing.

    docxcompose looks every picture up by SHA1, and python-docx hashes every
    image blob of the package on each look-up: composing a book of 30 SOPs
    (262 row pictures) spent 2.7 s of 5.1 s hashing.
    """
    original = ImagePart.sha1

    def sha1(part):
        if "_sopdoc_sha1" not in part.__dict__:
            part.__dict__["_sopdoc_sha1"] = original.fget(part)
        return part.__dict__["_sopdoc_sha1"]

    ImagePart.sha1 = property(sha1)
    try:
        yield
    finally:
        ImagePart.sha1 = original
