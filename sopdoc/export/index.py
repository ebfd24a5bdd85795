"""The index workbook of an export: one row per SOP, a sheet per unit, and a summary.

Every SOP of the tree is listed with what became of it: its status and files
when it was exported, "draf" when it was left out, "gagal" (with why) when its
definition or its documents failed, never its status with no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter

from sopdoc.definition import fields, names
from sopdoc.definition.model import Sop, Unit
from sopdoc.errors import display_path
from sopdoc.export.manifest import sop_key
from sopdoc.office import xlsx

FAILED = "gagal"
# Widths in Excel's characters, chosen so that a unit's sheet fits F4 landscape at about 80 %: 8 pt print.
COLUMNS = (("No", 4), ("Unit", 15), ("Nomor SOP", 15), ("Nama SOP", 28), ("Tanggal Pembuatan", 11),
           ("Tanggal Revisi", 11), ("Tanggal Efektif", 11), ("Status", 8), ("Diganti oleh", 10),
           ("Jumlah Kegiatan", 9), ("Jumlah Pelaksana", 10), ("Total Waktu", 13), ("Berkas DOCX", 21),
           ("Berkas PDF", 21), ("Keterangan", 20))
SUMMARY_WIDTHS = (5, 32, 30, *(9 for _ in fields.STATUS), 9, 9, 40)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


EXAMPLES_NOTE = "masih memuat contoh dari sopdoc; ganti isinya sebelum diunggah (sopdoc validate --strict)"


@dataclass
class Listed:
    """What the index lists of one unit: its SOPs read, and its definitions that failed (file, why)."""

    unit: Unit
    sops: list[Sop] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)      # manifest key of an SOP whose documents failed -> why
    broken: list[tuple[Path, str]] = field(default_factory=list)  # definition files that could not be read
    examples: set[Path] = field(default_factory=set)          # SOP files exported with examples of sopdoc left in


def _row(n: int, sop: Sop, entry, listed: Listed, out: Path) -> list:
    total, free = sop.total_waktu()
    if free:
        total += " + " + "; ".join(free)
    key = sop_key(sop)
    if entry:
        files, status = [entry.docx.relative_to(out).as_posix(), entry.pdf.relative_to(out).as_posix()], sop.status
        note = EXAMPLES_NOTE if sop.source in listed.examples else ""
    elif key in listed.failed:
        files, status, note = ["-", "-"], FAILED, f"dokumen gagal dibuat: {listed.failed[key]}"
    else:       # left out: a draft not asked for
        files, status = ["-", "-"], sop.status
        note = "draf: tidak diekspor (ekspor dengan --draf untuk menyertakannya)" if sop.status == fields.DRAFT else ""
    return [n, sop.unit.unit, sop.nomor or "-", sop.nama, str(sop.tanggal_pembuatan or "-"),
            str(sop.tanggal_revisi or "-"), str(sop.tanggal_efektif or "-"), status, sop.diganti_oleh or "-",
            len(sop.kegiatan), len(sop.pelaksana), total, *files, note]


def _broken_row(n: int, unit: Unit, path: Path, why: str) -> list:
    return [n, unit.unit, "-", path.name, "-", "-", "-", FAILED, "-", "-", "-", "-", "-", "-", why]


def _table(sheet, header: list[str], rows: list[list], widths: list[int]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, cells in enumerate(sheet.iter_rows(min_row=1, max_row=len(rows) + 1, max_col=len(header)), start=1):
        for cell in cells:
            cell.border, cell.font = _BOX, xlsx.BOLD if number == 1 else xlsx.BODY
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.row_dimensions[number].height = xlsx.row_height([(c.value, w) for c, w in zip(cells, widths)],
                                                              bold=number == 1)
    for cell in sheet[1]:
        cell.fill = xlsx.HEADER_FILL
    sheet.freeze_panes = "A2"
    xlsx.fit_page(sheet, fields.DEFAULTS["kertas"], "landscape", header_rows=1)


def workbook(units: dict[Path, Listed], entries: dict, books: dict, incomplete: dict[Path, list[str]],
             broken: list[tuple[Path, str]], out: Path) -> bytes:
    """Return the XLSX bytes of the export's index.

    *units* lists each unit's SOPs, *entries* the documents made by manifest key,
    *books* each unit's book, *incomplete* what each unit's book is missing, and
    *broken* every definition that could not be read, with why.
    """
    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    taken = xlsx.SheetTitles(summary.title)
    counts = []
    for folder, listed in sorted(units.items(), key=lambda item: item[1].unit.key):
        unit, sops = listed.unit, listed.sops
        title = names.free_name(xlsx.sheet_title(unit.unit, "Unit"), taken, xlsx.numbered_title)
        taken.add(title)
        sheet = wb.create_sheet(title)
        rows = [_row(n, sop, entries.get(sop_key(sop)), listed, out)
                for n, sop in enumerate(sorted(sops, key=lambda s: (s.nomor or "", s.nama)), start=1)]
        rows += [_broken_row(len(rows) + n, unit, path, why) for n, (path, why) in enumerate(listed.broken, start=1)]
        _table(sheet, [c for c, _ in COLUMNS], rows, [w for _, w in COLUMNS])
        failed = [s for s in sops if sop_key(s) in listed.failed]
        by_status = [sum(1 for s in sops if s.status == status and s not in failed) for status in fields.STATUS]
        book_file = books[folder].pdf.relative_to(out).as_posix() if folder in books else "-"
        if folder in incomplete and folder in books:
            book_file += " (TIDAK LENGKAP)"
        counts.append([len(counts) + 1, unit.unit, unit.pemerintah or "", *by_status, len(failed) + len(listed.broken),
                       len(sops) + len(listed.broken), book_file])
    header = ["No", "Unit", "Pemerintah", *(s.capitalize() for s in fields.STATUS), FAILED.capitalize(),
              "Jumlah SOP", "Buku SOP"]
    sums = len(fields.STATUS) + 2
    total = ["", "Jumlah", "", *(sum(row[3 + i] for row in counts) for i in range(sums)), ""]
    _table(summary, header, counts + [total], list(SUMMARY_WIDTHS))
    summary.cell(row=len(counts) + 2, column=2).font = xlsx.BOLD
    if broken:
        start = len(counts) + 4
        summary.cell(row=start, column=1, value="Definisi yang gagal dan tidak diekspor:").font = xlsx.BOLD
        for n, (path, why) in enumerate(broken, start=1):
            cells = [summary.cell(row=start + n, column=1, value=n),
                     summary.cell(row=start + n, column=2, value=display_path(path)),
                     summary.cell(row=start + n, column=3, value=why)]
            for cell in cells:
                cell.font, cell.alignment = xlsx.BODY, Alignment(vertical="top", wrap_text=True)
            summary.row_dimensions[start + n].height = xlsx.row_height(
                [(cell.value, width) for cell, width in zip(cells, SUMMARY_WIDTHS)])
    return xlsx.to_bytes(wb)
