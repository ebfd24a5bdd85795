"""The Permenpan "Monitoring Pelaksanaan SOP AP" form (Tabel 7), prefilled with a unit's SOPs.

A form made while some of the unit's SOPs failed lists them as failed and carries
the TIDAK LENGKAP mark of the book (office.style) at the top of every page.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from sopdoc.definition.model import Sop, Unit
from sopdoc.document import oxml
from sopdoc.office import style, xlsx
from sopdoc.office.paper import LANSKAP, MARGIN, MM, page_size
from sopdoc.office.style import FONT

TITLE = "MONITORING PELAKSANAAN SOP ADMINISTRASI PEMERINTAHAN"
HEAD = ("No", "Prosedur", "Penilaian terhadap Penerapan", "Catatan Hasil Penilaian",
        "Tindakan yang Harus Diambil", "Paraf Penilai")
ASSESSMENT = ("Berjalan dengan baik", "Tidak berjalan dengan baik")
WIDTHS_MM = (10, 85, 30, 30, 55, 55, 35)
XLSX_WIDTHS = (5, 50, 14, 14, 30, 30, 14)       # the same columns in the workbook, in Excel's characters
WRITING_ROW = 12 * MM


FAILED = " — GAGAL dibuat, tidak termuat di ekspor ini"


def _procedure(sop: Sop) -> str:
    return f"{sop.nama} ({sop.nomor})" if sop.nomor else sop.nama


def _procedures(sops: list[Sop], missing: tuple[str, ...]) -> list[str]:
    """Return the form's rows: every SOP, those among *missing* (file names) marked failed, then the rest of them."""
    rows = [_procedure(sop) + (FAILED if sop.source.name in missing else "") for sop in sops]
    listed = {sop.source.name for sop in sops}
    return rows + [name + FAILED for name in missing if name not in listed]


def _mark(missing: tuple[str, ...]) -> str:
    return style.incomplete_mark(missing) + ". Perbaiki definisinya, lalu jalankan ekspor lagi."


def _heading_lines(unit: Unit) -> list[str]:
    return [TITLE, unit.unit.upper(), *([unit.pemerintah.upper()] if unit.pemerintah else [])]


def monitoring_docx(unit: Unit, sops: list[Sop], missing: tuple[str, ...] = ()) -> bytes:
    """Return the monitoring form as DOCX: landscape, with blank assessment columns; marked when *missing* is not empty."""
    doc = Document()
    oxml.drop_styles_with_effects(doc)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    width, height = page_size(unit.kertas, LANSKAP)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(width), Pt(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Pt(MARGIN))
    if missing:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(_mark(missing))
        run.bold, run.font.color.rgb = True, RGBColor.from_string(style.MARK_RED)
    for n, line in enumerate(_heading_lines(unit)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold, run.font.size = True, Pt(12 if n == 0 else 11)
    doc.add_paragraph("Periode: Semester ........  Tahun ........")
    table = doc.add_table(rows=2, cols=7)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, sub = table.rows
    for col, text in zip((0, 1, 2, 4, 5, 6), HEAD):
        top.cells[col].text = text
    top.cells[2].merge(top.cells[3])
    for col in (0, 1, 4, 5, 6):
        top.cells[col].merge(sub.cells[col])
    sub.cells[2].text, sub.cells[3].text = ASSESSMENT
    for row in (top, sub):
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold = True
    for n, procedure in enumerate(_procedures(sops, missing), start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(n), procedure
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_MM):
        column.width = Mm(width)  # LibreOffice lays a table out by its grid
    for row in table.rows:
        row.height = Mm(12) if row not in (top, sub) else None
        for cell, width in zip(row.cells, WIDTHS_MM):
            cell.width = Mm(width)
    doc.add_paragraph()
    doc.add_paragraph("Penilai,\n\n\n\n(....................................)\nNIP.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def monitoring_xlsx(unit: Unit, sops: list[Sop], missing: tuple[str, ...] = ()) -> bytes:
    """Return the monitoring form as XLSX with the same columns; marked when *missing* is not empty."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Monitoring SOP"
    for n, line in enumerate(_heading_lines(unit), start=1):
        size = 12 if n == 1 else 11
        sheet.cell(row=n, column=1, value=line).font = Font(name=FONT, bold=True, size=size)
        sheet.merge_cells(start_row=n, start_column=1, end_row=n, end_column=7)
        sheet.cell(row=n, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.row_dimensions[n].height = xlsx.row_height([(line, sum(XLSX_WIDTHS))], size, bold=True)
    sheet.cell(row=4, column=1, value="Periode: Semester ........  Tahun ........").font = xlsx.BODY
    top, sub = 6, 7
    procedures = _procedures(sops, missing)
    if missing:
        mark = sheet.cell(row=5, column=1, value=_mark(missing))
        mark.font = Font(name=FONT, bold=True, size=11, color=style.MARK_RED)
        mark.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=7)
        sheet.row_dimensions[5].height = xlsx.row_height([(mark.value, sum(XLSX_WIDTHS))], 11, bold=True)
    for col, text in zip((1, 2, 3, 5, 6, 7), HEAD):
        sheet.cell(row=top, column=col, value=text)
    sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
    for col in (1, 2, 5, 6, 7):
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    sheet.cell(row=sub, column=3, value=ASSESSMENT[0])
    sheet.cell(row=sub, column=4, value=ASSESSMENT[1])
    for n, procedure in enumerate(procedures, start=1):
        sheet.cell(row=sub + n, column=1, value=n)
        sheet.cell(row=sub + n, column=2, value=procedure)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=top, max_row=sub + len(procedures), max_col=7):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="center" if cell.row <= sub or cell.column == 1 else "left")
            cell.font = xlsx.BOLD if cell.row <= sub else xlsx.BODY
            if cell.row <= sub:
                cell.fill = xlsx.HEADER_FILL
        # A row holds its procedure whole and leaves room to write the assessment by hand, as the DOCX's 12 mm.
        texts = [(cell.value, width) for cell, width in zip(row, XLSX_WIDTHS)]
        sheet.row_dimensions[row[0].row].height = max(xlsx.row_height(texts, bold=row[0].row <= sub),
                                                      0 if row[0].row <= sub else WRITING_ROW)
    for col, width in zip("ABCDEFG", XLSX_WIDTHS):
        sheet.column_dimensions[col].width = width
    # The mark's row is printed above the table's header on every page, as the book's mark is.
    xlsx.fit_page(sheet, unit.kertas, "landscape", (5 if missing else top, sub))
    return xlsx.to_bytes(wb)
