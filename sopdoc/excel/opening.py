"""Open a workbook as data, never as code, refusing what is too big before loading it whole.

The checks run from cheapest to dearest: the file name and size, the ZIP's table
of contents (macros, uncompressed sizes), then a read-only openpyxl pass that
reads each sheet's ``<dimension>`` and streams its cells once to find formulas.
Only then is the workbook loaded whole, with cached values in place of formulas.
openpyxl parses the XML through defusedxml (a dependency), so entity tricks fail.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from sopdoc.excel.problems import CellProblem

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB      # an SOP workbook is well under 1 MB
MAX_PART_BYTES = 10 * MB      # one part (a sheet, the shared strings) once unzipped
MAX_TOTAL_BYTES = 40 * MB     # all parts once unzipped
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_SHEETS = 100
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_SAVE_AS_XLSX = "simpan ulang di Excel sebagai 'Buku Kerja Excel (*.xlsx)'"


@dataclass
class Opened:
    """A workbook loaded with cached values, and the formula of every cell that holds one."""

    workbook: Workbook
    formulas: dict[str, dict[str, str]] = field(default_factory=dict)


class Refused(Exception):
    """The workbook cannot be read; its problems say why."""

    def __init__(self, problems: list[CellProblem]):
        super().__init__(problems)
        self.problems = problems


def open_workbook(path: Path) -> Opened:
    """Return the workbook at *path*, or raise :class:`Refused` naming every reason."""
    _check_file(path)
    with zipfile.ZipFile(path) as archive:
        _check_parts(path, archive)
    formulas = _scan(path)
    try:
        workbook = load_workbook(path, data_only=True, keep_links=False, keep_vba=False, rich_text=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input is a broken file
        raise Refused([_file_problem(path, f"berkas tidak dapat dibaca ({type(exc).__name__}); {_SAVE_AS_XLSX}")]) from None
    return Opened(workbook, formulas)


def _file_problem(path: Path, message: str, sheet: str | None = None) -> CellProblem:
    return CellProblem(path, sheet, None, "", message)


def _check_file(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise Refused([_file_problem(path, f"buku kerja bermakro ({suffix}) ditolak: sopdoc hanya membaca data; "
                                           f"{_SAVE_AS_XLSX}, tanpa makro")])
    if suffix == ".xls":
        raise Refused([_file_problem(path, f"format lama .xls tidak didukung; {_SAVE_AS_XLSX}")]) from None
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Refused([_file_problem(path, f"berkas tidak dapat dibaca: {exc.strerror}")]) from None
    if size > MAX_FILE_BYTES:
        raise Refused([_file_problem(path, f"berkas terlalu besar ({size / MB:.1f} MB; batas {MAX_FILE_BYTES // MB} MB); "
                                           "buku kerja SOP biasanya di bawah 1 MB: periksa apakah ini berkas yang benar")])
    if not zipfile.is_zipfile(path):
        raise Refused([_file_problem(path, f"bukan buku kerja Excel .xlsx yang utuh; {_SAVE_AS_XLSX}")]) from None


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse macros and parts that would be too big once unzipped, reading only the ZIP's directory."""
    parts = archive.infolist()
    if any(part.filename.lower().endswith("vbaproject.bin") for part in parts):
        raise Refused([_file_problem(path, "buku kerja ini memuat makro (vbaProject.bin) dan ditolak: sopdoc hanya "
                                           f"membaca data; {_SAVE_AS_XLSX}, tanpa makro")])
    big = [part for part in parts if part.file_size > MAX_PART_BYTES]
    total = sum(part.file_size for part in parts)
    problems = [_part_problem(path, archive, part) for part in big]
    if total > MAX_TOTAL_BYTES and not problems:
        problems.append(_file_problem(path, f"isi buku kerja terlalu besar setelah dibuka ({total / MB:.0f} MB; batas "
                                            f"{MAX_TOTAL_BYTES // MB} MB)"))
    if problems:
        raise Refused(problems)


def _part_problem(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> CellProblem:
    sheet = _sheet_names(archive).get(part.filename)
    what = "lembar ini" if sheet else f"bagian '{part.filename}'"
    return _file_problem(path, f"{what} terlalu besar setelah dibuka ({part.file_size / MB:.0f} MB; batas "
                               f"{MAX_PART_BYTES // MB} MB) dan tidak dibaca; hapus baris dan kolom yang tidak "
                               "dipakai, atau salin isinya ke buku kerja baru", sheet)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each worksheet part's sheet name, reading only the workbook's small parts."""
    try:
        parser = WorkbookParser(archive, "xl/workbook.xml", keep_links=False)
        parser.parse()
        return {rel.target.lstrip("/"): sheet.name for sheet, rel in parser.find_sheets()}
    except Exception:  # noqa: BLE001 - without names the part's path is reported instead
        return {}


def _scan(path: Path) -> dict[str, dict[str, str]]:
    """Check each sheet's size from its <dimension>, then stream it once to find its formulas."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input is a broken file
        raise Refused([_file_problem(path, f"berkas tidak dapat dibaca ({type(exc).__name__}); {_SAVE_AS_XLSX}")]) from None
    try:
        if len(workbook.worksheets) > MAX_SHEETS:
            raise Refused([_file_problem(path, f"{len(workbook.worksheets)} lembar; paling banyak {MAX_SHEETS}")])
        sized = [(sheet, sheet.max_row or 0, sheet.max_column or 0) for sheet in workbook.worksheets]
        problems = [_size_problem(path, sheet.title, rows, cols) for sheet, rows, cols in sized
                    if rows > MAX_ROWS or cols > MAX_COLUMNS]
        if problems:
            raise Refused(problems)
        return {sheet.title: _formulas(path, sheet) for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _size_problem(path: Path, sheet: str, rows: int, columns: int) -> CellProblem:
    corner = f"{get_column_letter(min(max(columns, 1), 16384))}{rows}"
    return _file_problem(path, f"lembar ini terpakai sampai sel {corner} ({rows} baris x {columns} kolom; batas "
                               f"{MAX_ROWS} baris dan {MAX_COLUMNS} kolom); hapus baris dan kolom kosong yang "
                               "terformat, atau salin isinya ke buku kerja baru", sheet)


def _formulas(path: Path, sheet) -> dict[str, str]:
    """Return the formula of each cell that holds one; refuse a sheet larger than its <dimension> said."""
    found = {}
    rows = columns = 0
    for row in sheet.iter_rows():
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                found[cell.coordinate] = str(cell.value)
            if getattr(cell, "value", None) is not None:
                rows, columns = max(rows, cell.row), max(columns, cell.column)
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise Refused([_size_problem(path, sheet.title, rows, columns)])
    return found
