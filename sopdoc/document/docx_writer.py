"""Write one SOP as a DOCX: the identity sheet from its template, then the flowchart.

The writer takes every decision from the layout; it only turns them into XML.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from sopdoc import templating
from sopdoc.definition.model import Sop
from sopdoc.definition.version import qr_code, version_code
from sopdoc.document import metadata, oxml
from sopdoc.flowchart import table
from sopdoc.flowchart.plan import Layout, Page
from sopdoc.flowchart.table import CELL_PAD_X, HEADING_LINE, HEADING_SIZE, TOTAL_LINE
from sopdoc.office import textfit
from sopdoc.office.paper import LANSKAP

# Templates a unit can replace live at the top of the project, beside definitions/.
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "identitas.docx"
HEADER_SIZE = 7.5
PAGE_NUMBER_ROOM = "   Halaman 888 dari 888"   # what the running head keeps free for the page number
QR_SIZE = Mm(16)


def template_for(sop: Sop) -> Path:
    """Return the identity-sheet template of *sop*'s unit, or sopdoc's own."""
    return sop.unit.template or DEFAULT_TEMPLATE


def _numbered(items: tuple[str, ...]) -> list[str]:
    if not items:
        return ["-"]
    if len(items) == 1:
        return list(items)
    return [f"{n}. {item}" for n, item in enumerate(items, start=1)]


def identity_context(sop: Sop, tpl: DocxTemplate, names: dict[str, str]) -> dict:
    """Return the values the identity-sheet template prints."""
    signer = sop.penandatangan
    unit = sop.unit
    return {
        "logo": InlineImage(tpl, str(unit.logo), height=Mm(22)) if unit.logo else "",
        "pemerintah": unit.pemerintah.upper(),
        "unit": unit.unit.upper(),
        "sub_unit": unit.sub_unit.upper() if unit.sub_unit else "",
        "nomor": sop.nomor or "-",
        "nama": sop.nama,
        "tanggal_pembuatan": str(sop.tanggal_pembuatan or "-"),
        "tanggal_revisi": str(sop.tanggal_revisi or "-"),
        "tanggal_efektif": str(sop.tanggal_efektif or "-"),
        "ttd": {
            "jabatan": signer.jabatan.upper() if signer else "",
            "nama": signer.nama if signer and signer.nama else "",
            "pangkat": signer.pangkat if signer else "",
            "nip": signer.nip if signer else "",
        },
        "dasar_hukum": _numbered(sop.dasar_hukum),
        "kualifikasi_pelaksana": _numbered(sop.kualifikasi_pelaksana),
        "keterkaitan": _numbered(tuple(names.get(k, k) for k in sop.keterkaitan)),
        "peralatan_perlengkapan": _numbered(sop.peralatan_perlengkapan),
        "peringatan": _numbered(sop.peringatan),
        "pencatatan_pendataan": _numbered(sop.pencatatan_pendataan),
        "riwayat": [{"tanggal": str(r.tanggal), "catatan": r.catatan or "-"} for r in sop.revisi]
        if len(sop.revisi) > 1 else [],
        "verifikasi": _verification(sop, tpl) if unit.verifikasi else None,
    }


def _verification(sop: Sop, tpl: DocxTemplate) -> dict:
    """Return the QR code picture and the printed code of *sop*'s version."""
    kode = version_code(sop)
    qr = qr_code(sop.unit.verifikasi, kode)
    picture = io.BytesIO()
    qr.save(picture, kind="png", scale=10, border=2)
    return {"qr": InlineImage(tpl, picture, width=QR_SIZE, height=QR_SIZE), "kode": kode}


def identity_sheet(sop: Sop, names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*'s identity sheet, rendered from its unit's template in the sandbox."""
    return templating.render(template_for(sop), lambda tpl: identity_context(sop, tpl, names))


def write(sop: Sop, layout: Layout, slices: list[list[bytes]], names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*; *slices* holds each page's row pictures."""
    doc = Document(io.BytesIO(identity_sheet(sop, names)))
    metadata.set_sop_properties(doc.core_properties, sop)
    _page_setup(doc, layout)
    _identify(doc, sop)
    body = doc.element.body
    for tbl in body.iterchildren(f"{{{oxml.W_NS}}}tbl"):
        oxml.fit_table_width(tbl, layout.page_width - 2 * layout.margin)
    anchor = body.sectPr
    writer = _FlowchartWriter(doc, sop, layout)
    for element in writer.elements(slices):
        anchor.addprevious(element)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def page_title(sop: Sop, width: float) -> str:
    """Return the line that names the SOP at the top of each of its pages, *width* points wide.

    The page number shares that line, so a name too long for the rest is cut at a
    word and ends in an ellipsis; the number of the SOP is always kept whole.
    """
    room = width - textfit.width(PAGE_NUMBER_ROOM, HEADER_SIZE)
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
    """Name the SOP at the top of every page, with the page number (its properties carry it too)."""
    for section in doc.sections:
        section.different_first_page_header_footer = False
        width = section.page_width.pt - section.left_margin.pt - section.right_margin.pt
        oxml.running_head(section.header, page_title(sop, width), HEADER_SIZE, width)


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

    def elements(self, slices: list[list[bytes]]):
        """Yield the heading, one table per page (each after a page break), and the total."""
        yield oxml.element(oxml.paragraph("\n".join(self.layout.heading), size=HEADING_SIZE, line=HEADING_LINE,
                                          bold=True, align="center", page_break=True))
        for page, pictures in zip(self.layout.pages, slices):
            if page.number > 1:
                yield oxml.element(oxml.paragraph(size=1, line=1, page_break=True))
            yield self._table(page, pictures)
        yield oxml.element(oxml.paragraph(total_line(self.sop), size=self.size, line=TOTAL_LINE, bold=True, before=4))

    def _table(self, page: Page, pictures: list[bytes]):
        rows = self._header()
        for box, picture in zip(page.rows, pictures):
            rows.append(self._body_row(box, picture))
        return oxml.table([c.width for c in self.layout.columns], rows, CELL_PAD_X)

    def _header(self) -> list[str]:
        style = self.layout.header
        col = self.columns
        lanes = [c for c in self.layout.columns if c.key.startswith("lane:")]
        title, title_line = style.title_size, table.line_height(style.title_size)

        def head(text: str, width: float, span: int = 1, vmerge: str | None = None, size: float = title,
                 line: float = title_line, rotated: bool = False) -> str:
            content = oxml.paragraph(text, size, line, bold=True, align="center")
            return oxml.cell(width, content, span=span, vmerge=vmerge, fill=oxml.HEADER_FILL, rotated=rotated)

        first = [head("No", col["no"].width, vmerge="restart"), head("Kegiatan", col["kegiatan"].width, vmerge="restart"),
                 head("Pelaksana", sum(c.width for c in lanes), span=len(lanes)),
                 head("Mutu Baku", sum(col[k].width for k in ("kelengkapan", "waktu", "output")), span=3),
                 head("Keterangan", col["keterangan"].width, vmerge="restart")]
        second = [head("", col["no"].width, vmerge="continue"), head("", col["kegiatan"].width, vmerge="continue")]
        actor_line = table.line_height(style.actor_size)
        # Each actor name breaks where the layout measured it would: its header's size depends on that.
        second += [head("\n".join(lines), c.width, size=style.actor_size, line=actor_line, rotated=style.actor_rotated)
                   for c, lines in zip(lanes, style.actor_lines)]
        second += [head(col[k].title, col[k].width) for k in ("kelengkapan", "waktu", "output")]
        second.append(head("", col["keterangan"].width, vmerge="continue"))
        h1, h2 = style.heights
        return [oxml.row(first, h1, header=True), oxml.row(second, h2, header=True)]

    def _body_row(self, box, picture: bytes) -> str:
        row = self.sop.kegiatan[box.index]
        size, line = self.size, self.line
        texts = table.cell_texts(row)

        def text_cell(key: str, align: str = "left") -> str:
            column = self.columns[key]
            return oxml.cell(column.width, oxml.paragraph(table.cell_text(texts[key], column, size), size, line,
                                                          align=align))

        rel_id, _ = self.doc.part.get_or_add_image(io.BytesIO(picture))
        self.shape_id += 1
        lanes_width = self.layout.lanes_width
        drawing = oxml.anchored_picture(rel_id, lanes_width, box.height, self.shape_id, f"baris-{row.nomor}")
        lane = oxml.cell(lanes_width, oxml.paragraph(size=1, line=1, extra=drawing), span=len(self.layout.lanes),
                         valign="top", margins=(0, 0))
        cells = [text_cell("no", "center"), text_cell("kegiatan"), lane, text_cell("kelengkapan"),
                 text_cell("waktu", "center"), text_cell("output"), text_cell("keterangan")]
        return oxml.row(cells, box.height)
