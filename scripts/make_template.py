"""Build templates/identitas.docx, the docxtpl template of the identity sheet.

Run again after changing this script:  .venv/bin/python scripts/make_template.py
A unit may copy the result, restyle it in Word (keeping the {{ ... }} tags), and
name it in unit.yaml as `template:`.
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates" / "identitas.docx"


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


def shade(cell):
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="E7E6E6"/>'))


def list_cell(cell, var):
    """A numbered list with hanging indent; a single item prints as a plain paragraph."""
    para(cell, "{%p if " + var + "|length == 1 %}", first=True)
    para(cell, "{{ " + var + "[0] }}")
    para(cell, "{%p else %}")
    para(cell, "{%p for item in " + var + " %}")
    para(cell, "{{ item }}", hanging=True)
    para(cell, "{%p endfor %}")
    para(cell, "{%p endif %}")


def main():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    normal.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Arial")

    top = doc.add_table(rows=6, cols=3)
    top.style = "Table Grid"
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (0.42, 0.18, 0.40)
    for row in top.rows:
        for cell, share in zip(row.cells, widths):
            cell.width = Mm(270 * share)
    head = top.cell(0, 0).merge(top.cell(5, 0))
    head.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para(head, "{{ logo }}", align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
    for var in ("pemerintah", "unit"):
        para(head, "{{ " + var + " }}", bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(head, "{%p if sub_unit %}")
    para(head, "{{ sub_unit }}", bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(head, "{%p endif %}")
    labels = ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "Nama SOP")
    values = ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", None, "nama")
    for i, (label, var) in enumerate(zip(labels, values)):
        para(top.cell(i, 1), label, bold=True, first=True)
        value = top.cell(i, 2)
        if var:
            para(value, "{{ " + var + " }}", bold=var == "nama", first=True)
            continue
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
    pairs = (("Dasar Hukum", "dasar_hukum", "Kualifikasi Pelaksana", "kualifikasi_pelaksana"),
             ("Keterkaitan", "keterkaitan", "Peralatan/Perlengkapan", "peralatan_perlengkapan"),
             ("Peringatan", "peringatan", "Pencatatan dan Pendataan", "pencatatan_pendataan"))
    for n, (left, lvar, right, rvar) in enumerate(pairs):
        for col, (title, var) in enumerate(((left, lvar), (right, rvar))):
            title_cell = boxes.cell(2 * n, col)
            para(title_cell, title, bold=True, first=True)
            shade(title_cell)
            list_cell(boxes.cell(2 * n + 1, col), var)
    for row in boxes.rows:
        for cell in row.cells:
            cell.width = Mm(135)

    para(doc, "{%p if riwayat %}")
    para(doc, "")
    para(doc, "Riwayat Revisi", bold=True)
    history = doc.add_table(rows=4, cols=3)
    history.style = "Table Grid"
    for cell, title in zip(history.rows[0].cells, ("No", "Tanggal", "Catatan")):
        para(cell, title, bold=True, first=True)
        shade(cell)
    para(history.cell(1, 0), "{%tr for r in riwayat %}", first=True)
    para(history.cell(2, 0), "{{ loop.index }}", first=True)
    para(history.cell(2, 1), "{{ r.tanggal }}", first=True)
    para(history.cell(2, 2), "{{ r.catatan }}", first=True)
    para(history.cell(3, 0), "{%tr endfor %}", first=True)
    for row in history.rows:
        for cell, w in zip(row.cells, (12, 45, 213)):
            cell.width = Mm(w)
    para(doc, "{%p endif %}")
    OUT.parent.mkdir(exist_ok=True)
    doc.save(OUT)
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
