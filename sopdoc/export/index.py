"""The index workbook of an export: one row per SOP, a sheet per unit, and a summary."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from sopdoc.definition import fields, names
from sopdoc.errors import display_path
from sopdoc.export.manifest import sop_key
from sopdoc.office import xlsx

COLUMNS = (("No", 5), ("Unit", 32), ("Nomor SOP", 24), ("Nama SOP", 44), ("Tanggal Pembuatan", 18),
           ("Tanggal Revisi", 18), ("Tanggal Efektif", 18), ("Status", 10), ("Diganti oleh", 22),
           ("Jumlah Kegiatan", 10), ("Jumlah Pelaksana", 10), ("Total Waktu", 26), ("Berkas DOCX", 44),
           ("Berkas PDF", 44))
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)



def _row(n: int, sop, entry, out: Path) -> list:
    total, free = sop.total_waktu()
    if free:
        total += " + " + "; ".join(free)
    files = [entry.docx.relative_to(out).as_posix(), entry.pdf.relative_to(out).as_posix()] if entry else ["-", "-"]
    return [n, sop.unit.unit, sop.nomor or "-", sop.nama, str(sop.tanggal_pembuatan or "-"),
            str(sop.tanggal_revisi or "-"), str(sop.tanggal_efektif or "-"), sop.status, sop.diganti_oleh or "-",
            len(sop.kegiatan), len(sop.pelaksana), total, *files]


def _table(sheet, header: list[str], rows: list[list], widths: list[int]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for cells in sheet.iter_rows(min_row=1, max_row=len(rows) + 1, max_col=len(header)):
        for cell in cells:
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), xlsx.HEADER_FILL
    sheet.freeze_panes = "A2"


def workbook(units: dict, entries: dict, books: dict, failed: list[Path], out: Path) -> bytes:
    """Return the XLSX bytes of the export's index."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    taken = xlsx.SheetTitles(summary.title)
    counts = []
    for folder, (unit, sops) in sorted(units.items(), key=lambda item: item[1][0].key):
        title = names.free_name(xlsx.sheet_title(unit.unit, "Unit"), taken, xlsx.numbered_title)
        taken.add(title)
        sheet = wb.create_sheet(title)
        rows = [_row(n, sop, entries.get(sop_key(sop)), out)
                for n, sop in enumerate(sorted(sops, key=lambda s: (s.nomor or "", s.nama)), start=1)]
        _table(sheet, [c for c, _ in COLUMNS], rows, [w for _, w in COLUMNS])
        by_status = [sum(1 for s in sops if s.status == status) for status in fields.STATUS]
        book_file = books[folder].pdf.relative_to(out).as_posix() if folder in books else "-"
        counts.append([len(counts) + 1, unit.unit, unit.pemerintah or "", *by_status, len(sops), book_file])
    header = ["No", "Unit", "Pemerintah", *(s.capitalize() for s in fields.STATUS), "Jumlah SOP", "Buku SOP"]
    total = ["", "Jumlah", "", *(sum(row[3 + i] for row in counts) for i in range(len(fields.STATUS))),
             sum(row[6] for row in counts), ""]
    _table(summary, header, counts + [total], [5, 40, 36, 10, 10, 10, 12, 48])
    summary.cell(row=len(counts) + 2, column=2).font = Font(bold=True)
    if failed:
        start = len(counts) + 4
        summary.cell(row=start, column=1, value="Definisi yang gagal dan tidak diekspor:").font = Font(bold=True)
        for n, path in enumerate(failed, start=1):
            summary.cell(row=start + n, column=1, value=n)
            summary.cell(row=start + n, column=2, value=display_path(path))
    return xlsx.to_bytes(wb)
