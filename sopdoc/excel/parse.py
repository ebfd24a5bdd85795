"""Read a workbook into definition data, remembering the cell every value came from.

Tolerant of what people do in Excel (merged cells, blank rows, trailing spaces,
numbers stored as numbers, dates as text or as Excel dates, marks in any accepted
form); every problem is recorded against its cell. What only the definition reader
can judge (dates, waktu, flow) is left to it: the importer maps its findings back
to the cells recorded here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900
from openpyxl.worksheet.worksheet import Worksheet

from sopdoc.definition import fields, names
from sopdoc.errors import format_key_path
from sopdoc.excel import guide, labels
from sopdoc.excel.opening import Opened, SheetScan
from sopdoc.excel.problems import CellProblem, warning
from sopdoc.office.textfit import one_newline

_ITEM_PREFIX = re.compile(r"^\s*(?:\d+[.)]|[-•*])\s+")
MAX_FOLDER_DEPTH = 8
# Excel writes a control character in a cell as _xHHHH_ (a CR pasted from Windows as _x000D_); openpyxl
# leaves it as it is. Read back, a CR becomes a line break and any other control character is refused by cell.
_EXCEL_CONTROL = re.compile(r"_x00([01][0-9A-Fa-f])_")
# Excel's date 60 is 29 February 1900, a day Lotus 1-2-3 invented and Excel kept; openpyxl reads it as the 28th.
_LEAP_BUG = 60
# A row lower than this (points) or a column narrower than this (characters) shows nothing of its cells.
_VISIBLE_POINTS = 2
_VISIBLE_CHARACTERS = 0.5
_LISTED = 5             # cells named in one message
_ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
_ALIASES = {"judul sop": labels.NAMA, "tanggal pengesahan": "Tanggal Efektif", "uraian kegiatan": labels.KEGIATAN,
            "persyaratan/kelengkapan": "Kelengkapan", "kelengkapan/persyaratan": "Kelengkapan", "ket.": "Keterangan"}


@dataclass
class Draft:
    """Definition data read from one sheet, and the cell of each key path (as ``kegiatan[3].waktu``)."""

    sheet: str
    data: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    slug: str | None = None

    def cell_of(self, key: str) -> str | None:
        """Return the cell of *key*, or of the nearest key above it that has one."""
        while key:
            if key in self.cells:
                return self.cells[key]
            parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", key)
            key = parent if parent != key else ""
        return None


@dataclass
class Parsed:
    """What a workbook holds: the unit, its SOPs, and every problem found on the way."""

    unit: Draft | None
    sops: list[Draft]
    folder: str | None
    problems: list[CellProblem]
    made_from: dict[str, str] = field(default_factory=dict)    # SOP file name -> its data when the workbook was made


def normal_label(text: Any) -> str:
    """Return a label as compared: lower case, one space, dashes and slashes without spaces."""
    if not isinstance(text, str):
        return ""
    text = re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-")).strip().lower()
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return normal_label(_ALIASES[text]) if text in _ALIASES else text


def _listed(names: list[str]) -> str:
    """Return the first few of *names* for a message, saying how many more there are."""
    more = f" dan {len(names) - _LISTED} lainnya" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more


def parse(opened: Opened, path: Path) -> Parsed:
    """Read every sheet of *opened*; SOP sheets are those with a Nama SOP or a kegiatan grid."""
    reader = _Reader(opened, path)
    unit_sheet = next((s for s in opened.workbook.worksheets if s.title.strip().lower() == labels.UNIT_SHEET.lower()),
                      None)
    unit = reader.unit(unit_sheet)
    source = next((s for s in opened.workbook.worksheets if s.title == labels.SOURCE_SHEET), None)
    sops = [draft for sheet in opened.workbook.worksheets
            if sheet is not unit_sheet and sheet is not source and (draft := reader.sop(sheet))]
    if not sops and not any(p.is_error for p in reader.problems):
        reader.problems.append(CellProblem(path, None, None, "", "tidak ada lembar SOP (lembar dengan 'Nama SOP' "
                                                                  "dan tabel 'No | Kegiatan'); tidak ada yang diimpor"))
    return Parsed(unit, sops, reader.folder, reader.problems, reader.made_from(source) if source else {})


class _Reader:
    """Read cells as data: cached values, merged ranges, formulas and types checked."""

    def __init__(self, opened: Opened, path: Path):
        self.opened = opened
        self.path = path
        self.problems: list[CellProblem] = []
        self.folder: str | None = None
        self.sheet: Worksheet | None = None
        self.scan = SheetScan()
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}

    # --- cells ---

    def use(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.scan = self.opened.scan(sheet)
        self.merged = {}
        for cells in sheet.merged_cells.ranges:
            for row in range(cells.min_row, cells.max_row + 1):
                for column in range(cells.min_col, cells.max_col + 1):
                    self.merged[(row, column)] = (cells.min_row, cells.min_col)

    def made_from(self, sheet: Worksheet) -> dict[str, str]:
        """Return what the sheet labels.SOURCE_SHEET records: each SOP file name, and its data (JSON, in pieces)."""
        self.use(sheet)
        rows: dict[int, dict[int, Any]] = {}
        for row, column in self.scan.filled:
            if row > 1:
                rows.setdefault(row, {})[column] = sheet.cell(row=row, column=column).value
        return {cells[1]: "".join(value for column, value in sorted(cells.items()) if column > 1 and isinstance(value, str))
                for cells in rows.values() if isinstance(cells.get(1), str)}

    def error(self, cell: str | None, key: tuple, message: str) -> None:
        self.problems.append(CellProblem(self.path, self.sheet.title, cell, format_key_path(key), message))

    def warn(self, cell: str | None, key: tuple, message: str) -> None:
        self.problems.append(warning(self.path, self.sheet.title, cell, format_key_path(key), message))

    def cell(self, row: int, column: int):
        """Return the cell at (*row*, *column*) if it holds anything, else None (never making one)."""
        # Asking openpyxl for an empty cell makes it; a scan over a sheet's whole width would fill memory.
        return self.sheet.cell(row=row, column=column) if (row, column) in self.scan.filled else None

    def label(self, row: int, column: int) -> str:
        """Return a cell's text as a label is compared, without judging the cell."""
        cell = self.cell(row, column)
        return normal_label(cell.value) if cell else ""

    def raw(self, row: int, column: int, key: tuple, fill_merged: bool = True) -> Any:
        """Return a cell's value (a merged range's value in each of its cells), or None after a problem."""
        origin = self.merged.get((row, column), (row, column)) if fill_merged else (row, column)
        cell = self.cell(*origin)
        if cell is None:
            return None
        formula = self.scan.formulas.get(cell.coordinate)
        if formula is not None and (cell.value is None or cell.data_type == "e" or cell.value in _ERROR_VALUES):
            shown = "tanpa nilai tersimpan" if cell.value is None else f"yang menghasilkan {cell.value}"
            self.error(_ref(row, column), key, f"sel ini berisi rumus '{formula}' {shown}; sopdoc tidak menghitung "
                                               "rumus: tulis nilainya langsung")
            return None
        if cell.data_type == "e":
            number = self.scan.numbers.get(cell.coordinate)
            self.error(_ref(row, column), key, _not_a_date(number) if number is not None else
                       f"sel ini berisi galat Excel {cell.value}; tulis nilainya langsung")
            return None
        value = cell.value
        if isinstance(value, str):
            value = one_newline(_EXCEL_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), value)).strip()
            return value or None
        return value

    def text(self, row: int, column: int, key: tuple, fill_merged: bool = True) -> str | None:
        value = self.raw(row, column, key, fill_merged)
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return None if value is None else str(value)

    def date(self, row: int, column: int, key: tuple) -> Any:
        """Return a date as the definition takes it: a date, or text the reader will judge."""
        value = self.raw(row, column, key)
        origin = self.merged.get((row, column), (row, column))
        number = self.scan.numbers.get(_ref(*origin))
        # Excel counts days from 1900-01-01 = 1: below 1 is a time of day (or nothing), not a date.
        if isinstance(value, datetime.time) or (isinstance(value, datetime.datetime) and float(number or 1) < 1):
            self.error(_ref(row, column), key, _not_a_date(number))
            return None
        if isinstance(value, datetime.datetime) and number is not None and int(float(number)) == _LEAP_BUG \
                and self.opened.workbook.epoch == CALENDAR_WINDOWS_1900:
            self.error(_ref(row, column), key, "29 Februari 1900 tidak ada di kalender (Excel menganggap 1900 tahun "
                                               f"kabisat; nilai sel: {number}); tulis tanggal yang benar")
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        return value        # text: the reader reads it as every typed date is read (values.read_date)

    def nip(self, row: int, column: int, key: tuple) -> str | None:
        value = self.raw(row, column, key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error(_ref(row, column), key, "NIP tersimpan sebagai angka, sehingga angka di belakangnya bisa hilang "
                                               "(Excel hanya menyimpan 15 angka); ketik ulang NIP sebagai teks: format "
                                               "sel sebagai Teks, atau awali dengan tanda petik '")
            return None
        return value if value is None else str(value)

    # --- label blocks ---

    def labelled(self, last_row: int | None, known: tuple) -> dict[str, int]:
        """Return the row of each known label in column A (down to *last_row*); report doubles."""
        wanted = {normal_label(name): name for name, _ in known}
        rows: dict[str, int] = {}
        for row in self.scan.rows(1):
            if last_row is not None and row > last_row:
                break
            name = wanted.get(self.label(row, 1))
            if name is None:
                continue
            if name in rows:
                self.error(f"A{row}", (), f"label '{name}' ditulis dua kali (pertama di A{rows[name]}); "
                                          "hapus salah satunya")
                continue
            rows[name] = row
        return rows

    def block(self, rows: dict[str, int], known: tuple, draft: Draft) -> None:
        """Read the labelled values into *draft*: texts, dates, NIP, lists, revisions."""
        for name, path in known:
            if path is None or name not in rows:
                continue
            row = rows[name]
            draft.cells[format_key_path(path)] = f"B{row}"
            value = self._value(row, path)
            if value not in (None, [], ""):
                _put(draft.data, path, value)

    def _value(self, row: int, path: tuple) -> Any:
        key = path[-1]
        if key == "nip":
            return self.nip(row, 2, path)
        if key in labels.DATE_KEYS:
            return self.date(row, 2, path)
        if key in labels.LIST_KEYS:
            return _items(self.text(row, 2, path))
        if key == "revisi":
            return _revisions(self.text(row, 2, path))
        if key == "tahun":
            value = self.text(row, 2, path)
            return int(value) if value and value.isdigit() else value
        if key == "judul":
            return self._headings(row, path)
        if key == "kolom_keterangan":
            value = self.text(row, 2, path)
            return labels.YES_NO.get(value.strip().lower(), value) if value else None
        return self.text(row, 2, path)

    def _headings(self, row: int, path: tuple) -> dict | None:
        """Return the headings renamed in a cell, one per line: "Kelengkapan: Persyaratan/Perlengkapan"."""
        known = {normal_label(key.default): key.name for key in fields.JUDUL_KEYS}
        known.update({normal_label(key.name): key.name for key in fields.JUDUL_KEYS})
        found = {}
        for line in (self.text(row, 2, path) or "").split("\n"):
            if not line.strip():
                continue
            heading, colon, text = line.partition(":")
            key = known.get(normal_label(heading))
            if not colon or key is None:
                self.error(f"B{row}", path, f"baris '{line.strip()}' tidak dikenal: tulis satu judul per baris, judul "
                                            "bawaannya, titik dua, lalu teks penggantinya (misalnya Kelengkapan: "
                                            "Persyaratan/Perlengkapan)")
                continue
            found[key] = text.strip()
        return found or None

    # --- the Unit sheet ---

    def unit(self, sheet: Worksheet | None) -> Draft | None:
        if sheet is None:
            self.problems.append(CellProblem(self.path, None, None, "", f"tidak ada lembar '{labels.UNIT_SHEET}' "
                                                                          "(data pemerintah, unit dan penandatangan)"))
            return None
        self.use(sheet)
        draft = Draft(sheet.title)
        rows = self.labelled(None, labels.UNIT_LABELS)
        self.block(rows, labels.UNIT_LABELS, draft)
        folder = draft.data.pop("folder", None)
        if folder is not None:
            self.folder = self._check_folder(folder, f"B{rows[labels.FOLDER]}")
        return draft

    def _check_folder(self, folder: str, cell: str) -> str | None:
        """Return the folder path typed in *cell*, or None after reporting what is wrong with it."""
        parts = folder.rstrip("/").split("/")
        if folder.startswith("/") or not all(names.SLUG.match(part) for part in parts):
            problem = (f"'{folder}' bukan nama folder yang sah: pakai huruf kecil, angka dan '-', dipisah '/' "
                       "(misalnya kab-contoh/diskominfo), atau kosongkan")
        elif len(parts) > MAX_FOLDER_DEPTH:
            problem = (f"folder terlalu dalam ({len(parts)} tingkat; paling banyak {MAX_FOLDER_DEPTH}); tulis jalur "
                       "yang lebih pendek, misalnya kab-contoh/diskominfo")
        else:
            problem = next(filter(None, (names.name_problem(part, "folder") for part in parts)), None)
        if problem:
            self.error(cell, ("folder",), problem)
            return None
        return "/".join(parts)

    # --- SOP sheets ---

    def sop(self, sheet: Worksheet) -> Draft | None:
        """Return the SOP on *sheet*; a sheet without one is the guide, or reported as skipped."""
        self.use(sheet)
        header = self._header_row()
        rows = self.labelled(header - 1 if header else None, labels.SOP_LABELS)
        if header is None and labels.NAMA not in rows:
            if self.label(1, 1) != normal_label(guide.TITLE):
                self.warn(None, (), "lembar ini dilewati: tidak ada 'Nama SOP' dan tabel 'No | Kegiatan'")
            return None
        if sheet.sheet_state != "visible":
            # Nobody who filled in or checked the workbook saw this SOP: it must not slip into the definitions.
            how = ("klik kanan tab lembar > Tampilkan (Unhide)" if sheet.sheet_state == "hidden" else
                   "lembar ini 'sangat tersembunyi' dan tidak dapat ditampilkan dari menu Excel: salin isinya ke "
                   "lembar baru")
            self.error(None, (), f"SOP di lembar tersembunyi tidak diimpor: tampilkan lembarnya lebih dulu ({how}) "
                                 "dan periksa isinya, atau hapus lembar itu")
        elif not self._tabs_shown() and sheet is not self.opened.workbook.active:
            self.error(None, (), "SOP di lembar yang tabnya tidak tampil tidak diimpor: tab lembar buku kerja ini "
                                 "disembunyikan (File > Options > Advanced > Show sheet tabs); tampilkan tabnya, "
                                 "periksa isi setiap lembar, lalu impor lagi")
        self._hidden_cells()
        draft = Draft(sheet.title)
        self.block(rows, labels.SOP_LABELS, draft)
        draft.slug = self._slug(draft, rows)
        self._check_revision_date(rows, draft)
        if header is None:
            self.error(None, ("kegiatan",), f"tidak ada tabel kegiatan: tulis baris judul dengan '{labels.NO}' di "
                                            f"kolom A dan '{labels.KEGIATAN}' di kolom B")
            return draft
        _Grid(self, draft, header).read()
        return draft

    def _tabs_shown(self) -> bool:
        views = self.opened.workbook.views
        return not views or views[0].showSheetTabs is not False

    def _hidden_cells(self) -> None:
        """Refuse what a sheet holds in rows or columns nobody sees: hidden, collapsed, or zero high or wide."""
        rows = {row for row, dim in self.sheet.row_dimensions.items()
                if dim.hidden or (dim.customHeight and dim.ht is not None and dim.ht < _VISIBLE_POINTS)}
        columns = {column for dim in self.sheet.column_dimensions.values()
                   if dim.hidden or (dim.customWidth and dim.width is not None and dim.width < _VISIBLE_CHARACTERS)
                   for column in range(dim.min or 0, (dim.max or 0) + 1)}
        unseen = sorted((row, column) for row, column in self.scan.filled if row in rows or column in columns)
        if not unseen:
            return
        parts = [f"{what} {_listed(found)}" for what, found in (
            ("baris", [str(row) for row in sorted({row for row, _ in unseen if row in rows})]),
            ("kolom", [get_column_letter(column) for column in sorted({column for _, column in unseen
                                                                       if column in columns})])) if found]
        self.error(_ref(*unseen[0]), (), f"{' dan '.join(parts)} tersembunyi tetapi berisi data, sehingga tidak "
                                         "terlihat saat buku kerja diperiksa; tampilkan lebih dulu (blok baris atau "
                                         "kolom di sekitarnya, klik kanan > Unhide, atau klik tanda + "
                                         "pengelompokan), periksa isinya, lalu impor lagi")

    def _check_revision_date(self, rows: dict[str, int], draft: Draft) -> None:
        """Warn when Tanggal Revisi is typed without a history: it is shown, never read."""
        row = rows.get(labels.TANGGAL_REVISI)
        if row and not draft.data.get("revisi") and self.raw(row, 2, ()) is not None:
            self.warn(f"B{row}", (), f"'{labels.TANGGAL_REVISI}' hanya ditampilkan dan tidak dibaca; catat revisi di "
                                     f"'{labels.RIWAYAT}' (satu baris: tanggal: catatan) atau dengan sopdoc revise")

    def _header_row(self) -> int | None:
        for row in self.scan.rows(1):
            if self.label(row, 1) == normal_label(labels.NO) and self.label(row, 2) == normal_label(labels.KEGIATAN):
                return row
        return None

    def _slug(self, draft: Draft, rows: dict[str, int]) -> str | None:
        slug = draft.data.pop("berkas", None)
        if slug is None:
            made = names.slugify(draft.data.get("nama") or "")
            problem = made and names.name_problem(made)
            if problem:
                self.error(draft.cells.get("nama"), ("nama",), f"nama berkas yang dibuat dari Nama SOP tidak dapat "
                                                              f"dipakai: {problem}; isi kolom {labels.BERKAS}")
                return None
            return made
        problem = None if names.SLUG.match(slug) else (
            f"'{slug}' bukan nama berkas yang sah: pakai huruf kecil, angka dan '-' (misalnya "
            f"{names.slugify(slug) or 'surat-masuk'}), atau kosongkan agar dibuat dari Nama SOP")
        problem = problem or names.name_problem(slug)
        if problem:
            self.error(f"B{rows[labels.BERKAS]}", ("berkas",), problem)
            return None
        return slug


@dataclass
class _Symbol:
    """One symbol of the grid as read: its sheet row, its kegiatan and place there, and its cells."""

    row: int                    # the sheet row
    kegiatan: int               # the index of its kegiatan
    n: int                      # its place among its kegiatan's symbols
    path: tuple = ()            # its key path: the kegiatan's, or its langkah item's
    data: dict = field(default_factory=dict)
    word: str | None = None     # the symbol word of its mark (Mulai, Proses, Keputusan, Selesai)
    flow: dict = field(default_factory=dict)   # column name -> (text or None, formula or None, cell)


class _Grid:
    """Read the kegiatan grid of one sheet below its header row.

    A row with text in Kegiatan starts a kegiatan; a row below it with marks but
    no Kegiatan (and no No) is another symbol of that kegiatan. Jumps name their
    target by a reference to its row (=A17, which Excel moves with the row), by
    the number in No, by an id, or as berikutnya / selesai; several, separated by
    commas (or joined with &), are a fork.
    """

    def __init__(self, reader: _Reader, draft: Draft, header: int):
        self.r = reader
        self.draft = draft
        self.header = header
        self.columns: dict[str, int] = {}
        self.end = 3                                    # the first column after the pelaksana columns
        self.actors: list[tuple[int, str, str]] = []   # (column, key, jabatan)
        self.symbols: list[_Symbol] = []
        self.at: dict[int, _Symbol] = {}               # sheet row -> the symbol it holds

    def read(self) -> None:
        self._columns()
        first = self.header + 1
        keys_row = self.r.label(first, 1) == normal_label(labels.KEYS_ROW)
        self._actors(first if keys_row else None, first + keys_row)
        self.draft.cells["kegiatan"] = f"B{first + keys_row}"
        groups = self._groups(first + keys_row)
        if not groups:
            self.r.error(f"B{first + keys_row}", ("kegiatan",), "tabel kegiatan kosong: tulis setiap kegiatan di kolom "
                                                                f"'{labels.KEGIATAN}', satu baris per kegiatan")
            return
        built = [self._kegiatan(i, rows) for i, rows in enumerate(groups)]
        numbers = self._printed([row for row, _ in built], groups)
        self._flow(built, numbers)
        self.draft.data["kegiatan"] = [row for row, _ in built]

    def _columns(self) -> None:
        wanted = {normal_label(name): key for name, key in labels.AFTER_PELAKSANA}
        for column in self.r.scan.columns(self.header):
            key = wanted.get(self.r.label(self.header, column))
            if column >= 3 and key and key not in self.columns:
                self.columns[key] = column
        last = max((column for row, column in self.r.scan.filled if row >= self.header), default=2)
        self.end = min(self.columns.values(), default=last + 1)

    def _actors(self, keys_row: int | None, first_row: int) -> None:
        """Read the pelaksana columns: jabatan from the header, key from the Kunci row (or made up)."""
        taken: set[str] = set()
        pelaksana = {}
        marked = {column for row, column in self.r.scan.filled if row >= first_row}
        for column in range(3, self.end):
            name = self.r.text(self.header, column, ("pelaksana",), fill_merged=False)
            if name is None:
                if column in marked:
                    self.r.error(_ref(self.header, column), ("pelaksana",),
                                 "kolom pelaksana ini berisi tanda tetapi tidak punya nama jabatan di judulnya")
                continue
            key = self.r.text(keys_row, column, (), fill_merged=False) if keys_row else None
            if key is None or not names.ID.match(key) or key in taken:
                key = names.actor_key(name, taken)
            taken.add(key)
            pelaksana[key] = name
            self.actors.append((column, key, name))
            self.draft.cells[format_key_path(("pelaksana", key))] = _ref(self.header, column)
        self.draft.cells["pelaksana"] = f"C{self.header}:{get_column_letter(max(self.end - 1, 3))}{self.header}"
        if pelaksana:
            self.draft.data["pelaksana"] = pelaksana

    # --- rows ---------------------------------------------------------------------------

    def _groups(self, first_row: int) -> list[list[int]]:
        """Return the sheet rows of each kegiatan: its own row, then the rows of its other symbols."""
        symbol_columns = [column for column, _, _ in self.actors] + [self.columns[name] for name in _SYMBOL_COLUMNS
                                                                     if name in self.columns]
        text_columns = [self.columns[name] for name in _TEXT_COLUMNS if name in self.columns]
        groups: list[list[int]] = []
        for row in sorted({row for row, _ in self.r.scan.filled if row >= first_row}):
            if self.r.text(row, 2, (), fill_merged=False):
                groups.append([row])
                continue
            filled = [column for column in symbol_columns if (row, column) in self.r.scan.filled]
            texts = [column for column in text_columns if (row, column) in self.r.scan.filled]
            if not filled and not texts:
                continue        # an empty row, or one numbered ahead of its kegiatan
            if not groups or texts or (row, 1) in self.r.scan.filled:
                cell = _ref(row, texts[0] if texts else filled[0])
                self.r.error(cell, ("kegiatan",), _NO_KEGIATAN)
                continue
            groups[-1].append(row)
        return groups

    def _kegiatan(self, i: int, rows: list[int]) -> tuple[dict, list[_Symbol]]:
        """Return a kegiatan's data (without its flow) and its symbols."""
        key = ("kegiatan", i)
        cells = self.draft.cells
        row = rows[0]
        cells[format_key_path(key)] = cells[format_key_path(key + ("uraian",))] = f"B{row}"
        data: dict[str, Any] = {"uraian": self.r.text(row, 2, key + ("uraian",), fill_merged=False)}
        for name in ("kelengkapan", "waktu", "output", "keterangan"):
            if name in self.columns:
                cells[format_key_path(key + (name,))] = _ref(row, self.columns[name])
                value = self.r.text(row, self.columns[name], key + (name,))
                if value is not None:
                    data[name] = value
        symbols = []
        for n, at in enumerate(rows):
            path = key + ("langkah", n) if len(rows) > 1 else key
            symbol = _Symbol(at, i, n, path)
            self._marks(symbol)
            if "id" in self.columns:
                cells[format_key_path(path + ("id",))] = _ref(at, self.columns["id"])
                symbol.data["id"] = self.r.text(at, self.columns["id"], path + ("id",))
            symbol.flow = {name: self._flow_cell(at, self.columns[name], path)
                           for name in (*labels.JUMP_COLUMNS, "label_ya", "label_tidak") if name in self.columns}
            if "label_ya" in symbol.flow:
                cells[format_key_path(path + ("keputusan", "label"))] = symbol.flow["label_ya"][2]
            symbols.append(symbol)
            self.at[at] = symbol
        if len(rows) > 1:
            cells[format_key_path(key + ("langkah",))] = f"B{row}"
        self.symbols += symbols
        return data, symbols

    def _flow_cell(self, row: int, column: int, path: tuple) -> tuple[str | None, str | None, str]:
        """Return a flow cell's text, or its formula of references to rows (never computed), and the cell.

        Any other formula is read as every cell's is (EXCEL-FORMAT): its cached value; without one it is
        refused, saying how a target is written.
        """
        cell = _ref(row, column)
        formula = self.r.scan.formulas.get(cell)
        if formula is not None and (_references(formula, self.r.sheet.title) is not None
                                    or not _cached(self.r.cell(row, column))):
            return None, formula, cell
        return self.r.text(row, column, path, fill_merged=False), None, cell

    def _marks(self, symbol: _Symbol) -> None:
        """Read who does *symbol* and its symbol word, reporting bad and missing marks."""
        key = symbol.path + ("pelaksana",)
        who, word_at, refused = [], None, False
        for column, actor, _ in self.actors:
            mark, cell = self.r.text(symbol.row, column, key), _ref(symbol.row, column)
            if mark is None:
                continue
            word = next((w for w in labels.SYMBOL_WORDS if w.lower() == mark.lower()), None)
            problem = self._mark_problem(mark, word, word_at)
            if problem:
                self.r.error(cell, key, problem)
                refused = True
                continue
            word_at = word_at or ((word, cell) if word else None)
            self.draft.cells.setdefault(format_key_path(key), cell)
            self.draft.cells[format_key_path(key + (len(who),))] = cell
            who.append(actor)
        if word_at:
            self.draft.cells[format_key_path(symbol.path + ("simbol",))] = word_at[1]
            symbol.word = word_at[0]
        if not who and not refused and self.actors:
            span = f"{_ref(symbol.row, self.actors[0][0])}:{_ref(symbol.row, self.actors[-1][0])}"
            self.draft.cells[format_key_path(key)] = span
            self.r.error(span, key, "tidak ada tanda pelaksana di baris ini; beri tanda ✓ di kolom pelaksana yang "
                                    "mengerjakan kegiatan ini")
        if who:
            symbol.data["pelaksana"] = who[0] if len(who) == 1 else who

    @staticmethod
    def _mark_problem(mark: str, word: str | None, earlier: tuple[str, str] | None) -> str | None:
        """Return what is wrong with one mark, given the symbol word met earlier in its row."""
        if mark not in labels.CHECK_MARKS and word is None:
            return (f"tanda '{mark}' tidak dikenal; pakai {' '.join(labels.CHECK_MARKS)}, atau Mulai, Proses, "
                    "Keputusan, Selesai")
        if word and earlier and labels.SYMBOL_WORDS[word] != labels.SYMBOL_WORDS[earlier[0]]:
            return f"simbol '{word}' berbeda dengan '{earlier[0]}' di {earlier[1]}; satu kegiatan memakai satu simbol"
        return None

    def _printed(self, rows: list[dict], groups: list[list[int]]) -> list[str]:
        """Read the No column: the number each kegiatan prints (typed, or automatic when empty)."""
        printed: list[str] = []
        for i, (data, group) in enumerate(zip(rows, groups)):
            automatic = names.automatic_number(printed)
            key = ("kegiatan", i, "nomor")
            self.draft.cells[format_key_path(key)] = f"A{group[0]}"
            value = self.r.text(group[0], 1, key, fill_merged=False)
            if value is None or value.strip() == automatic:
                printed.append(automatic)
                continue
            text = "" if value.strip().lower() == labels.UNNUMBERED else value.strip()
            if text.isdigit():
                self.r.warn(f"A{group[0]}", key, f"nomor {text} dicetak apa adanya, padahal urutannya {automatic}; "
                                                 f"bila Anda menyisipkan baris, nomori ulang kolom {labels.NO} (atau "
                                                 "kosongkan agar sopdoc menomorinya)")
            data["nomor"] = text
            printed.append(text)
        return printed

    # --- flow ---------------------------------------------------------------------------

    def _flow(self, built: list[tuple[dict, list[_Symbol]]], numbers: list[str]) -> None:
        """Turn the flow columns into ids and decisions; give ids to the symbols jumped to by name."""
        count = len(built)
        for symbol in self.symbols:
            value = symbol.data.pop("id", None)
            problem = value and names.id_problem(value)
            if problem:
                self.r.error(self.draft.cells[format_key_path(symbol.path + ("id",))], symbol.path + ("id",), problem)
            taken = [other.data.get("id") for other in self.symbols]
            symbol.data["id"] = value if value and not problem and value not in taken else None
        ids = {symbol.data["id"]: symbol for symbol in self.symbols if symbol.data["id"]}
        targets = {id(symbol): {name: found for name in labels.JUMP_COLUMNS
                                if (found := self._targets(symbol, name, numbers, ids, built)) is not None}
                   for symbol in self.symbols}
        for symbol in self.symbols:
            for found in targets[id(symbol)].values():
                for target in found:
                    if isinstance(target, _Symbol) and target.data["id"] is None and not _next_alone(symbol, found,
                                                                                                      target):
                        target.data["id"] = names.row_id(target.kegiatan, [s.data["id"] for s in self.symbols],
                                                         target.n)
        starts = self._starts(built, targets)
        for data, symbols in built:
            for symbol in symbols:
                self._decide(symbol, targets[id(symbol)], count, symbol.kegiatan == 0 and symbol.n in starts)
            if len(symbols) > 1:
                data["langkah"] = [symbol.data for symbol in symbols]
            else:
                data.update(symbols[0].data)

    def _targets(self, symbol: _Symbol, name: str, numbers: list[str], ids: dict[str, _Symbol],
                 built: list[tuple[dict, list[_Symbol]]]) -> list[_Symbol | str] | None:
        """Return where a flow cell sends the flow: symbols, or [selesai]; None when empty or refused."""
        text, formula, cell = symbol.flow.get(name, (None, None, None))
        key = symbol.path + (("keputusan", name) if name in ("ya", "tidak") else ("lanjut",))
        self.draft.cells[format_key_path(key)] = cell or self.draft.cells[format_key_path(symbol.path[:2])]
        if formula is not None:
            return self._referenced(formula, cell, key)
        if text is None:
            return None
        parts = [part.strip() for part in text.split(",") if part.strip()]
        found: list[_Symbol | str] = []
        for part in parts:
            target = self._named(part, symbol, numbers, ids, built, cell, key)
            if target is None:
                return None
            found.append(target)
        if labels.END_FLOW in found and len(found) > 1:
            self.r.error(cell, key, f"'{labels.END_FLOW}' tidak dapat menjadi salah satu tujuan percabangan; akhiri "
                                    "alur di simbol tujuannya")
            return None
        return found or None

    def _named(self, part: str, symbol: _Symbol, numbers: list[str], ids: dict[str, _Symbol],
               built: list[tuple[dict, list[_Symbol]]], cell: str, key: tuple) -> _Symbol | str | None:
        """Return the symbol one word of a flow cell names: berikutnya, selesai, a No, or an id."""
        if part.lower() == labels.NEXT_ROW:
            if symbol.kegiatan + 1 >= len(built):
                return labels.NEXT_ROW      # the reader says there is no row after the last
            return built[symbol.kegiatan + 1][1][0]
        if part.lower() == labels.END_FLOW:
            return labels.END_FLOW
        if part in ids:
            return ids[part]
        number = part[:-2] if part.endswith(".0") else part
        found = [i for i, printed in enumerate(numbers) if printed == number]
        if len(found) == 1:
            symbols = built[found[0]][1]
            if len(symbols) == 1:
                return symbols[0]
            self.r.error(cell, key, f"kegiatan bernomor {number} memuat {len(symbols)} simbol; rujuk baris simbol "
                                    f"tujuannya (misalnya =A{symbols[0].row}) atau tulis id-nya dari kolom Id")
            return None
        if not found and not number.isdigit() and not names.ID.match(part):
            self.r.error(cell, key, f"'{part}' bukan nomor baris; tulis nomor di kolom {labels.NO} baris tujuan, "
                                    f"'{labels.NEXT_ROW}', atau '{labels.END_FLOW}'")
            return None
        known = ", ".join(n for n in numbers if n) or "belum ada: isi kolom No"
        if found:
            self.r.error(cell, key, f"kegiatan bernomor {number} dipakai lebih dari satu baris (nomor di kolom "
                                    f"{labels.NO}: {known})")
        elif number.isdigit():
            self.r.error(cell, key, f"kegiatan bernomor {number} tidak ada (nomor di kolom {labels.NO}: {known})")
        else:
            self.r.error(cell, key, f"tidak ada kegiatan bernomor atau ber-id '{part}' (nomor di kolom {labels.NO}: "
                                    f"{known})")
        return None

    def _referenced(self, formula: str, cell: str, key: tuple) -> list[_Symbol | str] | None:
        """Return the symbols a formula refers to by their rows (=A17, =A17&", "&A19), never computing it."""
        rows = _references(formula, self.r.sheet.title)
        if rows is None:
            self.r.error(cell, key, f"rumus '{formula}' tidak dibaca: tulis rujukan ke baris tujuan (misalnya =A17), "
                                    f"nomornya, '{labels.NEXT_ROW}', atau '{labels.END_FLOW}'")
            return None
        found: list[_Symbol | str] = []
        for row in rows:
            if row not in self.at:
                self.r.error(cell, key, f"rumus '{formula}' merujuk baris {row}, yang bukan baris kegiatan; rujuk "
                                        "baris tujuan di tabel kegiatan")
                return None
            found.append(self.at[row])
        return found

    def _starts(self, built: list[tuple[dict, list[_Symbol]]], targets: dict[int, dict]) -> set[int]:
        """Return the places of the first kegiatan's symbols that no symbol of that kegiatan flows into."""
        first = built[0][1]
        reached = {target.n for symbol in first for found in targets[id(symbol)].values() for target in found
                   if isinstance(target, _Symbol) and target.kegiatan == 0 and target is not symbol}
        return {symbol.n for symbol in first} - reached

    def _decide(self, symbol: _Symbol, targets: dict[str, list], count: int, is_start: bool) -> None:
        """Write *symbol*'s flow and symbol into its data, as a definition says them."""
        def reference(found: list | None) -> str | list[str]:
            if not found:
                return labels.NEXT_ROW
            if found == [labels.END_FLOW]:
                return labels.END_FLOW
            if len(found) > 1:
                return [target.data["id"] if isinstance(target, _Symbol) else target for target in found]
            target = found[0]
            if not isinstance(target, _Symbol):
                return target
            return labels.NEXT_ROW if _next_alone(symbol, found, target) else target.data["id"]

        data = symbol.data
        if data.get("id") is None:
            data.pop("id", None)
        flow = symbol.flow
        asked = any(flow.get(name, (None, None))[0:2] != (None, None) for name in ("ya", "tidak"))
        is_decision = symbol.word == "Keputusan" or asked
        if is_decision:
            decision = {"ya": reference(targets.get("ya")), "tidak": reference(targets.get("tidak"))}
            given = [flow.get(name, (None,))[0] for name in ("label_ya", "label_tidak")]
            if any(given):
                decision["label"] = ["" if (label or "").lower() == labels.UNLABELLED else label or default
                                     for label, default in zip(given, names.DEFAULT_LABELS)]
            data["keputusan"] = decision
        jump = targets.get("lanjut")
        if jump and reference(jump) != labels.NEXT_ROW:
            data["lanjut"] = reference(jump)
        ends = not is_decision and (data.get("lanjut") == labels.END_FLOW
                                    or "lanjut" not in data and symbol.kegiatan == count - 1)
        if symbol.word and labels.SYMBOL_WORDS[symbol.word] != names.default_symbol(is_decision, is_start, ends):
            data["simbol"] = labels.SYMBOL_WORDS[symbol.word]


# The columns that hold a symbol's own cells, and those that hold its kegiatan's text.
_SYMBOL_COLUMNS = (*labels.JUMP_COLUMNS, "label_ya", "label_tidak", "id")
_TEXT_COLUMNS = ("kelengkapan", "waktu", "output", "keterangan")
_NO_KEGIATAN = (f"baris ini berisi isian tetapi kolom '{labels.KEGIATAN}'-nya kosong; tulis uraian kegiatannya. Simbol "
                "kedua sebuah kegiatan ditulis di baris tepat di bawahnya dengan kolom No, Kegiatan dan mutu baku "
                "kosong")
_REFERENCE = re.compile(r"^(?:(?:'((?:[^']|'')+)'|([^'!]+))!)?\$?[A-Z]{1,3}\$?(\d+)$")
_PIECE = re.compile(r'"(?:[^"]|"")*"|[^&]+')


def _cached(cell) -> bool:
    """Say whether a formula's *cell* holds a value Excel or LibreOffice stored when it was last calculated."""
    return cell is not None and cell.value is not None and cell.data_type != "e" and cell.value not in _ERROR_VALUES


def _references(formula: str, sheet: str) -> list[int] | None:
    """Return the rows a formula of references refers to (=A17, =$A$17, =A17&", "&A19), or None for any other."""
    rows = []
    for piece in _PIECE.findall(formula.removeprefix("=")):
        piece = piece.strip()
        if piece.startswith('"') or not piece:
            continue
        match = _REFERENCE.match(piece)
        named = match and (match.group(1) or match.group(2) or "").replace("''", "'")
        if not match or named and named != sheet:
            return None
        rows.append(int(match.group(3)))
    return rows or None


def _next_alone(symbol: _Symbol, found: list, target: _Symbol) -> bool:
    """Say whether a definition writes *target* as berikutnya: the next kegiatan's first symbol, reached alone."""
    return len(found) == 1 and target.kegiatan == symbol.kegiatan + 1 and target.n == 0


def _put(data: dict, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _items(text: str | None) -> list[str]:
    """Return one item per line of *text*, a leading "1." or "-" dropped."""
    if not text:
        return []
    return [item for line in text.split("\n") if (item := _ITEM_PREFIX.sub("", line, count=1).strip())]


def _revisions(text: str | None) -> list[dict]:
    revisions = []
    for line in (text or "").split("\n"):
        line = _ITEM_PREFIX.sub("", line, count=1).strip()
        if not line:
            continue
        tanggal, _, catatan = line.partition(":")
        entry = {"tanggal": tanggal.strip()}
        if catatan.strip():
            entry["catatan"] = catatan.strip()
        revisions.append(entry)
    return revisions


def _not_a_date(number: str | None) -> str:
    shown = number if number is not None else "jam saja"
    return (f"bukan tanggal (nilai sel: {shown}); tulis tanggalnya, misalnya 22 Desember 2023 atau 2023-12-22, atau "
            "format sel sebagai Tanggal")


def _ref(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"
