"""Build the docxtpl templates: templates/identitas.docx (the identity sheet of
one SOP) and templates/buku.docx (the front matter of a unit's SOP book).

Run again after changing this script:  .venv/bin/python scripts/make_template.py
A unit may copy identitas.docx, restyle it in Word (keeping the {{ ... }} tags),
and name it in unit.yaml as `template:`.
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OUT = TEMPLATES / "identitas.docx"


def para(cell_or_doc, text, bold=False, size=10, align=None, hanging=False, first=False):
    p = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if align:
        p.alignment = align
    if hanging:
        fmt.left_indent = Mm(5)
        fmt.first_line_indent = Mm(-5)
    return p


def set_widths(table, widths_mm):
    """Set the grid and every cell to *widths_mm*; LibreOffice lays tables out by the grid."""
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def shade(cell):
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="E7E6E6"/>'))


def loop_table(doc, titles, loop, cells, widths):
    """A bordered table: a shaded header row, then one row per item of a {%tr for %} loop.

    *cells* gives, per column, the paragraphs of the repeated row as (text, options).
    """
    table = doc.add_table(rows=4, cols=len(titles))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, titles):
        para(cell, title, bold=True, first=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        shade(cell)
    para(table.cell(1, 0), "{%tr " + loop + " %}", first=True)
    for col, paragraphs in enumerate(cells):
        for n, (text, options) in enumerate(paragraphs):
            para(table.cell(2, col), text, first=n == 0, **options)
    para(table.cell(3, 0), "{%tr endfor %}", first=True)
    set_widths(table, widths)
    return table


def list_cell(cell, var):
    """A numbered list with hanging indent; a single item prints as a plain paragraph."""
    para(cell, "{%p if " + var + "|length == 1 %}", first=True)
    para(cell, "{{ " + var + "[0] }}")
    para(cell, "{%p else %}")
    para(cell, "{%p for item in " + var + " %}")
    para(cell, "{{ item }}", hanging=True)
    para(cell, "{%p endfor %}")
    para(cell, "{%p endif %}")


def new_document():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    normal.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Arial")
    return doc


def borderless(table):
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(
        f'<w:tblBorders {nsdecls("w")}>' + "".join(f'<w:{side} w:val="nil"/>' for side in
                                                    ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"))


def page_break(doc, text, **kwargs):
    p = para(doc, text, **kwargs)
    p.paragraph_format.page_break_before = True
    return p


def label_rows(doc, rows, widths):
    """A borderless table of 'label : content' rows; content may be a list loop."""
    table = doc.add_table(rows=len(rows), cols=3)
    borderless(table)
    for row, (label, content) in zip(table.rows, rows):
        para(row.cells[0], label, bold=True, first=True)
        para(row.cells[1], ":", first=True)
        if isinstance(content, tuple):
            var, template = content
            para(row.cells[2], "{%p for item in " + var + " %}", first=True)
            para(row.cells[2], template, hanging=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            para(row.cells[2], "{%p endfor %}")
        else:
            para(row.cells[2], content, first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    set_widths(table, widths)


def signature(doc, prefix):
    center = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=2)
    borderless(table)
    set_widths(table, (85, 85))
    cell = table.cell(0, 1)
    para(cell, "Ditetapkan di {{ " + prefix + ".ditetapkan_di }}", first=True)
    para(cell, "pada tanggal {{ " + prefix + ".tanggal }}")
    para(cell, "")
    para(cell, "{{ " + prefix + ".ttd.jabatan }},", bold=True, align=center)
    for _ in range(4):
        para(cell, "")
    para(cell, "{{ " + prefix + ".ttd.nama }}", bold=True, align=center).runs[0].underline = True
    para(cell, "{%p if " + prefix + ".ttd.pangkat %}")
    para(cell, "{{ " + prefix + ".ttd.pangkat }}", align=center)
    para(cell, "{%p endif %}")
    para(cell, "{%p if " + prefix + ".ttd.nip %}")
    para(cell, "NIP. {{ " + prefix + ".ttd.nip }}", align=center)
    para(cell, "{%p endif %}")


def verification_qr(cell):
    """The QR code of the SOP's version and its code in small print, when the unit asks for them."""
    para(cell, "{%p if verifikasi %}")
    para(cell, "{{ verifikasi.qr }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(cell, "{{ verifikasi.kode }}", size=7, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(cell, "{%p endif %}")


def keep_together(table):
    """Centre *table* like the identity tables; keep its rows whole and on the page of its heading."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def book():
    """The front matter of a unit's SOP book: cover, decree and appendix, contents, usage notes."""
    doc = new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(4):
        para(doc, "")
    para(doc, "{{ logo }}", align=center)
    para(doc, "")
    para(doc, "STANDAR OPERASIONAL PROSEDUR", bold=True, size=22, align=center)
    para(doc, "ADMINISTRASI PEMERINTAHAN", bold=True, size=16, align=center)
    for _ in range(3):
        para(doc, "")
    para(doc, "{{ unit }}", bold=True, size=16, align=center)
    para(doc, "{{ pemerintah }}", bold=True, size=14, align=center)
    for _ in range(3):
        para(doc, "")
    para(doc, "TAHUN {{ tahun }}", bold=True, size=16, align=center)
    for _ in range(4):
        para(doc, "")
    para(doc, "{{ alamat }}", size=10, align=center)

    para(doc, "{%p if keputusan %}")
    page_break(doc, "KEPUTUSAN {{ keputusan.ttd.jabatan }}", bold=True, size=11, align=center)
    para(doc, "NOMOR {{ keputusan.nomor }}", bold=True, size=11, align=center)
    para(doc, "")
    para(doc, "TENTANG", bold=True, size=11, align=center)
    para(doc, "", size=11)
    para(doc, "{{ keputusan.tentang|upper }}", bold=True, size=11, align=center)
    para(doc, "")
    para(doc, "{{ keputusan.ttd.jabatan }},", bold=True, size=11, align=center)
    para(doc, "")
    label_rows(doc, [("Menimbang", ("keputusan.menimbang", "{{ item }}")),
                     ("Mengingat", ("keputusan.mengingat", "{{ item }}"))], (28, 5, 137))
    para(doc, "")
    para(doc, "MEMUTUSKAN:", bold=True, size=11, align=center)
    label_rows(doc, [("Menetapkan", "KEPUTUSAN {{ keputusan.ttd.jabatan }} TENTANG {{ keputusan.tentang|upper }}."),
                     ("KESATU", "Menetapkan Standar Operasional Prosedur Administrasi Pemerintahan di lingkungan "
                                "{{ nama_unit }} sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak "
                                "terpisahkan dari Keputusan ini."),
                     ("KEDUA", "Standar Operasional Prosedur sebagaimana dimaksud dalam Diktum KESATU menjadi "
                               "pedoman bagi seluruh pegawai di lingkungan {{ nama_unit }} dalam melaksanakan tugas."),
                     ("KETIGA", "Keputusan ini mulai berlaku pada tanggal ditetapkan.")], (28, 5, 137))
    para(doc, "")
    signature(doc, "keputusan")
    page_break(doc, "LAMPIRAN KEPUTUSAN {{ keputusan.ttd.jabatan }}", bold=True, size=10)
    para(doc, "NOMOR {{ keputusan.nomor }}", size=10)
    para(doc, "TANGGAL {{ keputusan.tanggal }}", size=10)
    para(doc, "")
    para(doc, "DAFTAR STANDAR OPERASIONAL PROSEDUR", bold=True, size=11, align=center)
    para(doc, "")
    loop_table(doc, ("No", "Nomor SOP", "Nama SOP"), "for s in lampiran",
               [[("{{ loop.index }}", {"align": center})], [("{{ s.nomor }}", {})], [("{{ s.nama }}", {})]],
               (12, 60, 98))
    para(doc, "{%p endif %}")

    page_break(doc, "DAFTAR ISI", bold=True, size=12, align=center)
    para(doc, "")
    loop_table(doc, ("No", "Nama dan Nomor SOP", "Halaman"), "for d in daftar",
               [[("{{ d.no }}", {"align": center})], [("{{ d.nama }}", {}), ("{{ d.nomor }}", {"size": 8})],
                [("{{ d.halaman }}", {"align": center})]],
               (12, 133, 25))

    page_break(doc, "PENJELASAN SINGKAT PENGGUNAAN", bold=True, size=12, align=center)
    para(doc, "")
    para(doc, "{%p for paragraf in penjelasan %}")
    para(doc, "{{ paragraf }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY).paragraph_format.space_after = Pt(6)
    para(doc, "{%p endfor %}")
    doc.save(TEMPLATES / "buku.docx")
    print(f"written {TEMPLATES / 'buku.docx'}")


def main():
    doc = new_document()

    top = doc.add_table(rows=6, cols=3)
    top.style = "Table Grid"
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(top, (113, 49, 108))
    head = top.cell(0, 0).merge(top.cell(5, 0))
    head.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para(head, "{{ logo }}", align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
    # A kop given whole (an agency without a "Pemerintah ..." line) prints its lines as written.
    para(head, "{%p if kop_given %}")
    para(head, "{%p for line in kop %}")
    para(head, "{{ line }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(head, "{%p endfor %}")
    para(head, "{%p else %}")
    for var in ("pemerintah", "unit"):
        para(head, "{{ " + var + " }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(head, "{%p if sub_unit %}")
    para(head, "{{ sub_unit }}", bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(head, "{%p endif %}")
    para(head, "{%p endif %}")
    # Headings by their keys (judul in unit.yaml or the SOP renames them).
    values = ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", None, "nama")
    headings = ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh", "nama")
    for i, (heading, var) in enumerate(zip(headings, values)):
        para(top.cell(i, 1), "{{ judul." + heading + " }}", bold=True, first=True)
        value = top.cell(i, 2)
        if var:
            para(value, "{{ " + var + " }}", bold=var == "nama", first=True)
            continue
        verification_qr(top.cell(i, 1))
        para(value, "{{ ttd.jabatan }}", bold=True, first=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for _ in range(4):  # room for the signature and the stamp
            para(value, "")
        para(value, "{{ ttd.nama }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER).runs[0].underline = True
        para(value, "{%p if ttd.pangkat %}")
        para(value, "{{ ttd.pangkat }}", align=WD_ALIGN_PARAGRAPH.CENTER)
        para(value, "{%p endif %}")
        para(value, "{%p if ttd.nip %}")
        para(value, "NIP. {{ ttd.nip }}", align=WD_ALIGN_PARAGRAPH.CENTER)
        para(value, "{%p endif %}")

    para(doc, "")
    boxes = doc.add_table(rows=6, cols=2)
    boxes.style = "Table Grid"
    boxes.alignment = WD_TABLE_ALIGNMENT.CENTER
    pairs = (("dasar_hukum", "kualifikasi_pelaksana"), ("keterkaitan", "peralatan_perlengkapan"),
             ("peringatan", "pencatatan_pendataan"))
    for n, pair in enumerate(pairs):
        for col, var in enumerate(pair):
            title_cell = boxes.cell(2 * n, col)
            para(title_cell, "{{ judul." + var + " }}", bold=True, first=True)
            shade(title_cell)
            list_cell(boxes.cell(2 * n + 1, col), var)
    set_widths(boxes, (135, 135))

    para(doc, "{%p if riwayat %}")
    para(doc, "").paragraph_format.keep_with_next = True
    para(doc, "Riwayat Revisi", bold=True).paragraph_format.keep_with_next = True
    history = loop_table(doc, ("No", "Tanggal", "Catatan"), "for r in riwayat",
                         [[("{{ loop.index }}", {})], [("{{ r.tanggal }}", {})], [("{{ r.catatan }}", {})]],
                         (16, 45, 209))   # "No" must fit whole once scaled to a portrait page
    keep_together(history)
    para(doc, "{%p endif %}")
    OUT.parent.mkdir(exist_ok=True)
    doc.save(OUT)
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
    book()
