"""Write one SOP as a DOCX: the identity sheet from its template, then the flowchart.

The writer takes every decision from the layout; it only turns them into XML.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.parts.image import ImagePart
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from sopdoc import templating
from sopdoc.definition.fields import DRAFT, MUTU_BAKU
from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, Exit, Kegiatan, Sop
from sopdoc.document import identity, metadata, oxml
from sopdoc.flowchart import graph, table
from sopdoc.flowchart.drawing import RowPicture
from sopdoc.flowchart.plan import CONNECTOR, Layout, Page, RowBox
from sopdoc.flowchart.table import HEADING_LINE, HEADING_SIZE, TOTAL_LINE
from sopdoc.office import textfit
from sopdoc.office.paper import LANSKAP
from sopdoc.office.style import HEADER_FILL, MARK_RED
from sopdoc.office.textfit import CELL_PAD_X, line_height

# Templates a unit can replace live at the top of the project, beside definitions/.
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "identitas.docx"
HEADER_SIZE = 7.5
PAGE_NUMBER_ROOM = "   Halaman 888 dari 888"   # what the running head keeps free for the page number
# What a draft prints at the head of every page, before its name, so a printed draft never passes as final.
DRAFT_MARK = "DRAF \u2013 BELUM BERLAKU"
DRAFT_WATERMARK = "DRAF"      # and across the page, faint, behind the text
WATERMARK_GREY = "A6A6A6"
MARK_GAP = "   "
QR_SIZE = Mm(16)
# The size of the identity sheet's lists (templates/identitas.docx), and the smaller ones that keep a long
# sheet on its page.
IDENTITY_SIZES = (10.0, 9.0, 8.0)


def template_for(sop: Sop) -> Path:
    """Return the identity-sheet template of *sop*'s unit, or sopdoc's own."""
    return sop.unit.template or DEFAULT_TEMPLATE


def identity_context(sheet: identity.Identity, tpl: DocxTemplate) -> dict:
    """Return the values the identity-sheet template prints, by the names templates/identitas.docx uses."""
    return {
        "logo": InlineImage(tpl, str(sheet.logo), height=Mm(22)) if sheet.logo else "",
        "kop": list(sheet.kop),
        "kop_given": sheet.kop_given,
        "judul": dict(sheet.judul),
        "pemerintah": sheet.pemerintah,
        "unit": sheet.unit,
        "sub_unit": sheet.sub_unit,
        "nomor": textfit.unbroken(sheet.nomor),
        "nama": textfit.unbroken(sheet.nama),
        "tanggal_pembuatan": sheet.tanggal_pembuatan,
        "tanggal_revisi": sheet.tanggal_revisi,
        "tanggal_efektif": sheet.tanggal_efektif,
        "ttd": dataclasses.asdict(sheet.ttd),
        **{key: [textfit.unbroken(item) for item in items] for key, items in sheet.lists.items()},
        "riwayat": [{"tanggal": r.tanggal, "catatan": r.catatan} for r in sheet.riwayat],
        "verifikasi": {"qr": InlineImage(tpl, io.BytesIO(sheet.verifikasi.png()), width=QR_SIZE, height=QR_SIZE),
                       "kode": sheet.verifikasi.kode} if sheet.verifikasi else None,
    }


def identity_sheet(sop: Sop, names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*'s identity sheet, rendered from its unit's template in the sandbox."""
    sheet = identity.build(sop, names)
    return templating.render(template_for(sop), lambda tpl: identity_context(sheet, tpl))


def write(sop: Sop, layout: Layout, slices: list[list[RowPicture]], names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*; *slices* holds each page's row pictures."""
    doc = Document(io.BytesIO(identity_sheet(sop, names)))
    oxml.drop_styles_with_effects(doc)
    metadata.set_sop_properties(doc.core_properties, sop)
    _page_setup(doc, layout)
    _identify(doc, sop)
    body = doc.element.body
    for tbl in body.iterchildren(f"{{{oxml.W_NS}}}tbl"):
        oxml.fit_table_width(tbl, layout.page_width - 2 * layout.margin)
    if template_for(sop) == DEFAULT_TEMPLATE:
        _fit_identity(body, layout.page_width - 2 * layout.margin, layout.page_height - 2 * layout.margin)
    anchor = body.sectPr
    writer = _FlowchartWriter(doc, sop, layout)
    for element in writer.elements(slices):
        anchor.addprevious(element)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _fit_identity(body, width: float, height: float) -> None:
    """Keep the identity sheet on one page when smaller lists let it: never a few lines spilt onto a page alone.

    The lower tables' text shrinks step by step (IDENTITY_SIZES) until the sheet's
    estimated height fits; a sheet too long even at the smallest keeps its size
    (it runs on over pages, as a long sheet must).
    """
    content = [child for child in body if child.tag != f"{{{oxml.W_NS}}}sectPr"]
    if oxml.estimated_height(content, width) <= height:
        return
    lists = list(body.iterchildren(f"{{{oxml.W_NS}}}tbl"))[1:]
    for size in IDENTITY_SIZES[1:]:
        for box in lists:
            oxml.set_font_size(box, size)
        if oxml.estimated_height(content, width) <= height:
            return
    for box in lists:
        oxml.set_font_size(box, IDENTITY_SIZES[0])


def draft_mark(sop: Sop) -> str:
    """Return the mark *sop* carries at the head of every page: DRAFT_MARK for a draft, "" otherwise."""
    return DRAFT_MARK if sop.status == DRAFT else ""


def page_title(sop: Sop, width: float) -> str:
    """Return the line that names the SOP at the top of each of its pages, *width* points wide.

    The page number shares that line (and a draft's mark, before the name), so a
    name too long for the rest is cut at a word and ends in an ellipsis; the
    number of the SOP is always kept whole.
    """
    room = width - textfit.width(PAGE_NUMBER_ROOM, HEADER_SIZE)
    if draft_mark(sop):
        room -= textfit.width(draft_mark(sop) + MARK_GAP, HEADER_SIZE, bold=True)
    nomor = f" \u2013 Nomor {sop.nomor}" if sop.nomor else ""
    words = f"SOP {sop.title}".split(" ")     # never "SOP SOP ..."
    title = " ".join(words) + nomor
    while textfit.width(title, HEADER_SIZE) > room and len(words) > 2:
        words.pop()
        title = " ".join(words).rstrip(",;:") + "\u2026" + nomor
    while textfit.width(title, HEADER_SIZE) > room and len(title) > 1:
        title = title[:-2] + "\u2026"       # a number too long for the line: cut it too, rather than wrap
    return title


def total_line(sop: Sop) -> str:
    """Return the line under the flowchart that sums the SOP's time (free-text times listed apart)."""
    total, free = sop.total_waktu()
    return f"Total waktu: {total}" + (" (di luar: " + "; ".join(free) + ")" if free else "")


def _identify(doc, sop: Sop) -> None:
    """Name the SOP at the top of every page, with the page number and a draft's mark (its properties carry it too)."""
    mark = draft_mark(sop)
    for section in doc.sections:
        section.different_first_page_header_footer = False
        width = section.page_width.pt - section.left_margin.pt - section.right_margin.pt
        oxml.running_head(section.header, page_title(sop, width), HEADER_SIZE, width,
                          mark=(mark + MARK_GAP if mark else ""), mark_colour=MARK_RED)
        if mark:
            mark_page(section)


def mark_page(section) -> None:
    """Write DRAF across every page of *section*, faint and behind the text."""
    oxml.watermark(section.header, DRAFT_WATERMARK, WATERMARK_GREY,
                   0.75 * min(section.page_width.pt, section.page_height.pt))


def _page_setup(doc, layout: Layout) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if layout.orientation == LANSKAP else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Pt(layout.page_width), Pt(layout.page_height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Pt(layout.margin))
        section.header_distance = section.footer_distance = Pt(layout.margin / 2)


class _FlowchartWriter:
    def __init__(self, doc, sop: Sop, layout: Layout):
        self.doc, self.sop, self.layout = doc, sop, layout
        self.size, self.line = layout.body_size, layout.body_line
        self.columns = {c.key: c for c in layout.columns}
        self.shape_id = 1000

    def elements(self, slices: list[list[RowPicture]]):
        """Yield the heading, one table per page (each after a page break), and the total."""
        yield oxml.element(oxml.paragraph("\n".join(self.layout.heading), size=HEADING_SIZE, line=HEADING_LINE,
                                          bold=True, align="center", page_break=True))
        for page, pictures in zip(self.layout.pages, slices):
            if page.number > 1:
                yield oxml.element(oxml.paragraph(size=1, line=1, page_break=True))
            yield self._table(page, pictures)
        yield oxml.element(oxml.paragraph(total_line(self.sop), size=self.size, line=TOTAL_LINE, bold=True, before=4))

    def _table(self, page: Page, pictures: list[RowPicture]):
        rows = self._header()
        for box, picture in zip(page.rows, pictures):
            rows.append(self._body_row(page, box, picture))
        return oxml.table([c.width for c in self.layout.columns], rows, CELL_PAD_X)

    def _header(self) -> list[str]:
        style = self.layout.header
        col = self.columns
        lanes = [c for c in self.layout.columns if c.key.startswith("lane:")]
        title, title_line = style.title_size, line_height(style.title_size)

        def head(text: str, width: float, span: int = 1, vmerge: str | None = None, size: float = title,
                 line: float = title_line, rotated: bool = False) -> str:
            content = oxml.paragraph(text, size, line, bold=True, align="center")
            return oxml.cell(width, content, span=span, vmerge=vmerge, fill=HEADER_FILL, rotated=rotated)

        titles = self.sop.headings
        spanning = [k for k in ("keterangan",) if k in col]
        first = [head(col["no"].title, col["no"].width, vmerge="restart"),
                 head(col["kegiatan"].title, col["kegiatan"].width, vmerge="restart"),
                 head(titles["pelaksana"], sum(c.width for c in lanes), span=len(lanes)),
                 head(titles["mutu_baku"], sum(col[k].width for k in MUTU_BAKU), span=3)]
        first += [head(col[k].title, col[k].width, vmerge="restart") for k in spanning]
        second = [head("", col["no"].width, vmerge="continue"), head("", col["kegiatan"].width, vmerge="continue")]
        actor_line = line_height(style.actor_size)
        # Each actor name breaks where the layout measured it would: its header's size depends on that.
        second += [head("\n".join(lines), c.width, size=style.actor_size, line=actor_line, rotated=style.actor_rotated)
                   for c, lines in zip(lanes, style.actor_lines)]
        second += [head(col[k].title, col[k].width) for k in MUTU_BAKU]
        second += [head("", col[k].width, vmerge="continue") for k in spanning]
        h1, h2 = style.heights
        return [oxml.row(first, h1, header=True), oxml.row(second, h2, header=True)]

    def _body_row(self, page: Page, box: RowBox, picture: RowPicture) -> str:
        row = self.sop.kegiatan[box.index]
        size, line = self.size, self.line
        texts = box.texts or graph.row_cells(self.sop, row)     # a row continued from a page before prints the rest

        def text_cell(key: str, align: str = "left") -> str:
            column = self.columns[key]
            return oxml.cell(column.width, oxml.paragraph(table.cell_text(texts[key], column, size), size, line,
                                                          align=align))

        rel_id, _ = self.doc.part.get_or_add_image(io.BytesIO(picture.png))
        self.shape_id += 1
        lanes_width = self.layout.lanes_width
        drawing = oxml.anchored_picture(rel_id, lanes_width, box.height, self.shape_id, f"baris-{row.nomor}",
                                        picture_description(self.sop, page, row), self._add_svg(picture.svg))
        lane = oxml.cell(lanes_width, oxml.paragraph(size=1, line=1, extra=drawing), span=len(self.layout.lanes),
                         valign="top", margins=(0, 0))
        cells = [text_cell("no", "center"), text_cell("kegiatan"), lane, text_cell("kelengkapan"),
                 text_cell("waktu", "center"), text_cell("output")]
        cells += [text_cell("keterangan")] if "keterangan" in self.columns else []
        return oxml.row(cells, box.height)

    def _add_svg(self, svg: bytes) -> str:
        """Add *svg* to the package as a picture part; return its relationship's id."""
        package = self.doc.part.package
        part = ImagePart(package.next_partname("/word/media/bagan%d.svg"), "image/svg+xml", svg)
        return self.doc.part.relate_to(part, RT.IMAGE)


_SYMBOLS = {KAPSUL: "kapsul", BELAH_KETUPAT: "belah ketupat keputusan"}


def picture_description(sop: Sop, page: Page, row: Kegiatan) -> str:
    """Return the alternative text of *row*'s picture: its number, each symbol, whose lane, where it leads."""
    actors = dict(sop.pelaksana)
    parts = []
    for langkah in row.langkah:
        symbol = _SYMBOLS.get(langkah.simbol, "kotak kegiatan")
        if langkah.simbol == KAPSUL and (langkah.mulai or langkah.is_end):
            symbol += " Mulai" if langkah.mulai else " Selesai"
        parts.append(f"{symbol} di lajur {', '.join(actors[a] for a in langkah.pelaksana)}")
        parts += [_exit_description(sop, exit_) for exit_ in langkah.exits]
    connectors = [s.text for s in page.symbols if s.no == row.nomor and s.kind == CONNECTOR]
    number = row.nomor_cetak or str(row.nomor)
    return "; ".join([f"Bagan alir kegiatan {number}: {parts[0]}", *parts[1:]]
                     + [f"penghubung antarhalaman {letter}" for letter in connectors])


def _exit_description(sop: Sop, exit_: Exit) -> str:
    where = " dan ".join(f"kegiatan {sop.kegiatan[t.row].nomor_cetak or t.row + 1}" for t in exit_.targets) or "selesai"
    return f"{exit_.label} ke {where}" if exit_.label else f"lanjut ke {where}"
