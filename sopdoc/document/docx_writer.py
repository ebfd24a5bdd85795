"""Write one SOP as a DOCX: the identity sheet from its template, then the flowchart.

The writer takes every decision from the layout; it only turns them into XML.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from sopdoc import templating
from sopdoc.definition.model import Sop
from sopdoc.document import oxml
from sopdoc.flowchart.layout import CELL_PAD_X, HEADING_HEIGHT, TOTAL_LINE, Layout, Page

# Templates a unit can replace live at the top of the project, beside definitions/.
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "identitas.docx"


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
    }


def identity_sheet(sop: Sop, names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*'s identity sheet, rendered from its unit's template in the sandbox."""
    return templating.render(template_for(sop), lambda tpl: identity_context(sop, tpl, names))


def write(sop: Sop, layout: Layout, slices: list[list[bytes]], names: dict[str, str]) -> bytes:
    """Return the DOCX bytes of *sop*; *slices* holds each page's row pictures."""
    doc = Document(io.BytesIO(identity_sheet(sop, names)))
    _page_setup(doc, layout)
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


def _page_setup(doc, layout: Layout) -> None:
    from docx.enum.section import WD_ORIENT

    for section in doc.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if layout.orientation == "lanskap" else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Pt(layout.page_width), Pt(layout.page_height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Pt(layout.margin))
        section.header_distance = section.footer_distance = Pt(layout.margin / 2)


class _FlowchartWriter:
    def __init__(self, doc, sop: Sop, layout: Layout):
        self.doc, self.sop, self.layout = doc, sop, layout
        self.size, self.line = layout.body_size, layout.body_line
        self.widths = [c.width for c in layout.columns]
        self.shape_id = 1000

    def elements(self, slices: list[list[bytes]]):
        """Yield the heading, one table per page (each after a page break), and the total."""
        yield oxml.element(oxml.paragraph(f"SOP: {self.sop.nama.upper()}", size=11, line=HEADING_HEIGHT - 8,
                                          bold=True, align="center", page_break=True))
        for page, pictures in zip(self.layout.pages, slices):
            if page.number > 1:
                yield oxml.element(oxml.paragraph(size=1, line=1, page_break=True))
            yield self._table(page, pictures)
        total, free = self.sop.total_waktu()
        text = f"Total waktu: {total}"
        if free:
            text += " (di luar: " + "; ".join(free) + ")"
        yield oxml.element(oxml.paragraph(text, size=self.size, line=TOTAL_LINE, bold=True, before=4))

    def _table(self, page: Page, pictures: list[bytes]):
        rows = self._header()
        for box, picture in zip(page.rows, pictures):
            rows.append(self._body_row(box, picture))
        return oxml.table(self.widths, rows, CELL_PAD_X)

    def _header(self) -> list[str]:
        cols, size, line = self.layout.columns, self.size, self.line
        lanes = [c for c in cols if c.key.startswith("lane:")]
        width = {c.key: c.width for c in cols}
        title = {c.key: c.title for c in cols}
        fill = oxml.HEADER_FILL

        style = self.layout.header

        def head(text: str, w: float, span: int = 1, vmerge: str | None = None, text_size: float = size,
                 rotated: bool = False) -> str:
            text_line = line if text_size == size else round(text_size * 1.2, 1)
            content = oxml.paragraph(text, text_size, text_line, bold=True, align="center")
            return oxml.cell(w, content, span=span, vmerge=vmerge, fill=fill, rotated=rotated)


        first = [head("No", width["no"], vmerge="restart", text_size=style.sizes["no"]),
                 head("Kegiatan", width["kegiatan"], vmerge="restart"),
                 head("Pelaksana", sum(c.width for c in lanes), span=len(lanes)),
                 head("Mutu Baku", width["kelengkapan"] + width["waktu"] + width["output"], span=3),
                 head(title["keterangan"], width["keterangan"], vmerge="restart", text_size=style.sizes["keterangan"])]
        second = [head("", width["no"], vmerge="continue"), head("", width["kegiatan"], vmerge="continue")]
        second += [head(c.title, c.width, text_size=style.actor_size, rotated=style.actor_rotated) for c in lanes]
        second += [head(title[k], width[k], text_size=style.sizes[k]) for k in ("kelengkapan", "waktu", "output")]
        second.append(head("", width["keterangan"], vmerge="continue"))
        h1, h2 = self.layout.header_heights
        return [oxml.row(first, h1, header=True), oxml.row(second, h2, header=True)]

    def _body_row(self, box, picture: bytes) -> str:
        row = self.sop.kegiatan[box.index]
        width = {c.key: c.width for c in self.layout.columns}
        size, line = self.size, self.line

        def text_cell(key: str, text: str | None, align: str = "left") -> str:
            return oxml.cell(width[key], oxml.paragraph(text or "-", size, line, align=align))

        rel_id, _ = self.doc.part.get_or_add_image(io.BytesIO(picture))
        self.shape_id += 1
        lanes_width = self.layout.lanes_width
        drawing = oxml.anchored_picture(rel_id, lanes_width, box.height, self.shape_id, f"baris-{row.nomor}")
        lane = oxml.cell(lanes_width, oxml.paragraph(size=1, line=1, extra=drawing), span=len(self.layout.lanes),
                         valign="top", margins=(0, 0))
        cells = [text_cell("no", str(row.nomor), "center"), text_cell("kegiatan", row.uraian), lane,
                 text_cell("kelengkapan", row.kelengkapan), text_cell("waktu", row.waktu.teks if row.waktu else None,
                                                                       "center"),
                 text_cell("output", row.output), text_cell("keterangan", row.keterangan)]
        return oxml.row(cells, box.height)
