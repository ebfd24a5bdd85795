"""Open a workbook as data, never as code, refusing what is too big before loading it whole.

The checks run from cheapest to dearest: the file name; its bytes, read once
from a regular file (a pipe or a device is refused, not read forever); the
ZIP's table of contents (macros, uncompressed sizes); then one streaming pass
over each sheet's XML that measures the cells it really holds (a sheet's
``<dimension>`` is only what its writer claims), the ranges openpyxl would
fill cell by cell, and keeps each cell's formula and raw number. Only then is
the workbook loaded whole, with cached values in place of formulas.
The XML is parsed through defusedxml (a dependency), so entity tricks fail.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import iterparse
from openpyxl import load_workbook
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import COMMENTS_NS

from sopdoc import fsutil
from sopdoc.excel.problems import CellProblem

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB      # an SOP workbook is well under 1 MB
MAX_PART_BYTES = 10 * MB      # one part (a sheet, the shared strings) once unzipped
MAX_TOTAL_BYTES = 40 * MB     # all parts once unzipped
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_SHEETS = 100
MAX_CELLS = 200_000           # cells in all sheets, empty formatted ones too: each costs time and memory to load
MAX_SPREAD_CELLS = 100_000    # cells of merged ranges, hyperlinks and comments, which openpyxl fills one by one
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_SAVE_AS_XLSX = "simpan ulang di Excel sebagai 'Buku Kerja Excel (*.xlsx)'"
_FORBIDDEN_IN_TITLES = "[]:*?/\\"


@dataclass
class SheetScan:
    """What one sheet's XML holds: where its values lie, each formula, and each number as written."""

    filled: set[tuple[int, int]] = field(default_factory=set)    # (row, column) of cells with a value or formula
    cells: int = 0                                               # <c> elements, empty ones too
    formulas: dict[str, str] = field(default_factory=dict)       # coordinate -> "=..."
    numbers: dict[str, str] = field(default_factory=dict)        # coordinate -> the number as stored

    def rows(self, column: int) -> list[int]:
        """Return the rows whose cell in *column* holds something, top to bottom."""
        return sorted(row for row, col in self.filled if col == column)

    def columns(self, row: int) -> list[int]:
        """Return the columns whose cell in *row* holds something, left to right."""
        return sorted(col for r, col in self.filled if r == row)


@dataclass
class Opened:
    """A workbook loaded with cached values, and what the streaming pass found in each of its sheets."""

    workbook: Workbook
    scans: list[SheetScan] = field(default_factory=list)    # one per worksheet, in the workbook's order

    def scan(self, sheet: Worksheet) -> SheetScan:
        return self.scans[self.workbook.worksheets.index(sheet)]


class Refused(Exception):
    """The workbook cannot be read; its problems say why."""

    def __init__(self, problems: list[CellProblem]):
        super().__init__(problems)
        self.problems = problems


def open_workbook(path: Path) -> Opened:
    """Return the workbook at *path*, or raise :class:`Refused` naming every reason."""
    with warnings.catch_warnings():
        # openpyxl warns in English (dates out of range, odd parts); what matters is reported by cell.
        warnings.simplefilter("ignore")
        return _open(path)


def _open(path: Path) -> Opened:
    _check_name(path)
    data = _read(path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_parts(path, archive)
    scans = _scan(path, data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False, rich_text=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input is a broken file
        raise _unreadable(path, exc) from None
    if len(workbook.worksheets) != len(scans):
        raise Refused([_file_problem(path, f"susunan lembar buku kerja ini tidak dapat dibaca; {_SAVE_AS_XLSX}")])
    return Opened(workbook, scans)


def _file_problem(path: Path, message: str, sheet: str | None = None) -> CellProblem:
    return CellProblem(path, sheet, None, "", message)


def _unreadable(path: Path, exc: Exception) -> Refused:
    return Refused([_file_problem(path, f"berkas tidak dapat dibaca ({_why_unreadable(exc)}); {_SAVE_AS_XLSX}")])


def _why_unreadable(exc: Exception) -> str:
    """Return, in words, what a parser's failure on a workbook means (its class name means nothing to a user)."""
    name = type(exc).__name__
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "arsip ZIP di dalamnya rusak"
    if any(word in name for word in ("Entit", "DTD", "External")):
        return "bagian XML-nya memuat deklarasi DTD atau entitas, yang tidak pernah ditulis Excel"
    if any(word in name for word in ("XML", "Parse", "Expat")):
        return "bagian XML di dalamnya rusak"
    return "susunannya tidak seperti buku kerja Excel"


def _check_name(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise Refused([_file_problem(path, f"buku kerja bermakro ({suffix}) ditolak: sopdoc hanya membaca data; "
                                           f"{_SAVE_AS_XLSX}, tanpa makro")])
    if suffix == ".xls":
        raise Refused([_file_problem(path, f"format lama .xls tidak didukung; {_SAVE_AS_XLSX}")])


def _read(path: Path) -> bytes:
    """Return the workbook's bytes, read once; a pipe, a device or a file over the limit is refused unread."""
    try:
        data = fsutil.read_regular(path, MAX_FILE_BYTES, "buku kerja SOP biasanya di bawah 1 MB: periksa apakah "
                                                         "ini berkas .xlsx yang benar")
    except fsutil.ReadRefused as refused:
        raise Refused([_file_problem(path, refused.message)]) from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused([_file_problem(path, f"bukan buku kerja Excel .xlsx yang utuh; {_SAVE_AS_XLSX}")])
    return data


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
        problems.append(_file_problem(path, f"isi buku kerja terlalu besar setelah dibuka ({fsutil.megabytes(total)}; "
                                            f"batas {MAX_TOTAL_BYTES // MB} MB)"))
    if problems:
        raise Refused(problems)


def _part_problem(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> CellProblem:
    sheet = _sheet_names(archive).get(part.filename)
    what = "lembar ini" if sheet else f"bagian '{part.filename}'"
    return _file_problem(path, f"{what} terlalu besar setelah dibuka ({fsutil.megabytes(part.file_size)}; batas "
                               f"{MAX_PART_BYTES // MB} MB) dan tidak dibaca; hapus baris dan kolom yang tidak "
                               "dipakai, atau salin isinya ke buku kerja baru", sheet)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each worksheet part's sheet name, reading only the workbook's small parts."""
    small = {part.filename for part in archive.infolist() if part.file_size <= MAX_PART_BYTES}
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= small:
        return {}
    try:
        parser = WorkbookParser(archive, "xl/workbook.xml", keep_links=False)
        parser.parse()
        return {rel.target.lstrip("/"): sheet.name for sheet, rel in parser.find_sheets()}
    except Exception:  # noqa: BLE001 - without names the part's path is reported instead
        return {}


# --- the streaming pass ----------------------------------------------------------------

def _scan(path: Path, data: bytes) -> list[SheetScan]:
    """Return what each worksheet holds, refusing bad names and absurd extents before the whole load."""
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_workbook()
        # The worksheets openpyxl will load, in its order: chartsheets and missing parts are skipped.
        sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input is a broken file
        raise _unreadable(path, exc) from None
    with reader.archive:
        if len(sheets) > MAX_SHEETS:
            raise Refused([_file_problem(path, f"{len(sheets)} lembar; paling banyak {MAX_SHEETS}")])
        problems = _title_problems(path, [name for name, _ in sheets])
        if problems:
            raise Refused(problems)
        scans: list[SheetScan] = []
        for name, part in sheets:
            scans.append(_scan_sheet(path, reader.archive, name, part, MAX_CELLS - sum(s.cells for s in scans)))
        return scans


def _scan_sheet(path: Path, archive: zipfile.ZipFile, name: str, part: str, allowance: int) -> SheetScan:
    scan = SheetScan()
    try:
        _cells(archive, part, scan, allowance)
        _comments(archive, part)
    except _TooFar as far:
        raise Refused([_file_problem(path, far.message, name)]) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input is a broken file
        raise _unreadable(path, exc) from None
    return scan


def _title_problems(path: Path, names: list[str]) -> list[CellProblem]:
    """Name each sheet Excel itself would refuse: a forbidden character, no name, or a name used twice."""
    problems, seen = [], {}
    for name in names:
        bad = sorted({c for c in name if c in _FORBIDDEN_IN_TITLES})
        if bad or not name.strip():
            what = f"memuat {' '.join(bad)}" if bad else "kosong"
            problems.append(_file_problem(path, f"nama lembar '{name}' tidak sah di Excel ({what}; tanda "
                                                f"{' '.join(_FORBIDDEN_IN_TITLES)} tidak boleh dipakai); ganti nama "
                                                "lembar itu di Excel"))
        elif name.lower() in seen:
            problems.append(_file_problem(path, f"dua lembar bernama '{seen[name.lower()]}' dan '{name}'; Excel "
                                                "tidak membedakan huruf besar dan kecil pada nama lembar: ganti nama "
                                                "salah satunya"))
        seen.setdefault(name.lower(), name)
    return problems


class _TooFar(Exception):
    """A cell or range lies beyond the limits; the message names it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _too_far(cell: str, rows: int, columns: int) -> _TooFar:
    return _TooFar(f"lembar ini terpakai sampai sel {cell} ({rows} baris x {columns} kolom; batas {MAX_ROWS} baris "
                   f"dan {MAX_COLUMNS} kolom); hapus baris dan kolom kosong yang terformat, atau salin isinya ke "
                   "buku kerja baru")


def _too_wide(ref: str) -> _TooFar:
    return _TooFar(f"sel gabungan, tautan atau komentar di {ref[:40]} terlalu luas (batas {MAX_ROWS} baris, "
                   f"{MAX_COLUMNS} kolom, dan {MAX_SPREAD_CELLS} sel semuanya); pisahkan gabungan selnya atau hapus "
                   "tautan dan komentarnya")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _cells(archive: zipfile.ZipFile, part: str, scan: SheetScan, allowance: int) -> None:
    """Stream the sheet's XML: record filled cells, formulas and numbers; refuse a cell or range too far, or too many."""
    row = column = spread = 0
    with archive.open(part) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row, column = _row_number(element.get("r"), row), 0
            elif tag == "c":
                row, column = _position(element.get("r"), row, column)
                _cell(element, row, column, scan)
                element.clear()
                scan.cells += 1
                if scan.cells > allowance:
                    raise _TooFar(f"buku kerja ini memuat lebih dari {MAX_CELLS} sel (terhitung sampai sel "
                                  f"{get_column_letter(column)}{row} lembar ini), termasuk sel kosong yang "
                                  "terformat; hapus baris dan kolom kosong yang terformat, atau salin isinya ke buku "
                                  "kerja baru")
            elif tag == "row":
                element.clear()
            elif tag in ("mergeCell", "hyperlink"):
                spread += _spread(element.get("ref") or "")
                if spread > MAX_SPREAD_CELLS:
                    raise _too_wide(element.get("ref"))


def _row_number(text: str | None, previous: int) -> int:
    """Return a row's number as openpyxl reads it: its r, else the one after the previous row."""
    if text is None:
        return previous + 1
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"row {text}")
    return int(number)


def _position(ref: str | None, row: int, column: int) -> tuple[int, int]:
    """Return a cell's (row, column): its r, else the next column of its row; refuse it beyond the limits."""
    if ref:
        row, column = coordinate_to_tuple(ref)
    else:
        column += 1
    if row > MAX_ROWS or column > MAX_COLUMNS:
        raise _too_far(f"{get_column_letter(min(column, 18278))}{row}", row, column)
    return row, column


def _cell(element, row: int, column: int, scan: SheetScan) -> None:
    """Record what the cell holds as openpyxl will read it: a value or formula, and a number as written."""
    kind = element.get("t", "n")
    value = formula = None
    for child in element:
        name = _local(child.tag)
        if name == "v" and kind != "inlineStr":
            value = child.text or None
        elif name == "is" and kind == "inlineStr":
            value = "".join(child.itertext())
        elif name == "f":
            formula = "=" + (child.text or "")
    if value is None and formula is None:
        return
    scan.filled.add((row, column))
    coordinate = f"{get_column_letter(column)}{row}"
    if formula is not None:
        scan.formulas[coordinate] = formula
    if kind == "n" and value is not None:
        scan.numbers[coordinate] = value


def _spread(ref: str) -> int:
    """Return how many cells openpyxl makes for a merged range, hyperlink or comment at *ref*; refuse one too far."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0    # openpyxl fails on it too, and the whole load reports the file as unreadable
    if None in (min_col, min_row, max_col, max_row) or max_row > MAX_ROWS or max_col > MAX_COLUMNS:
        raise _too_wide(ref)
    return (max_row - min_row + 1) * (max_col - min_col + 1)


def _comments(archive: zipfile.ZipFile, part: str) -> None:
    """Refuse comments whose refs span too much: openpyxl would make every cell of a range."""
    rels = get_rels_path(part)
    if rels not in archive.namelist():
        return
    for rel in get_dependents(archive, rels).find(COMMENTS_NS):
        if rel.target not in archive.namelist():
            continue
        spread = 0
        with archive.open(rel.target) as source:
            for _, element in iterparse(source):
                if _local(element.tag) == "comment":
                    spread += _spread(element.get("ref") or "")
                    if spread > MAX_SPREAD_CELLS:
                        raise _too_wide(element.get("ref"))
                    element.clear()
