"""Write a unit's SOPs as one workbook that looks like the printed SOP.

Each SOP sheet has the identity block on top (label in A, value in B, merged across
the grid's width) and the flowchart grid below it: a two-row header ("Pelaksana"
and "Mutu Baku" over their columns), the pelaksana keys in a small "Kunci" row, then
one row per kegiatan with its mark in the pelaksana's column. Every text goes in as
text, never as a formula; dates and NIPs are formatted as the document prints them.
"""

from __future__ import annotations

import datetime
import json

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sopdoc.authoring.yamlwrite import sop_data, symbol_ids, tanggal_value, unit_data
from sopdoc.definition import fields, names
from sopdoc.definition.model import KAPSUL, Exit, Kegiatan, Langkah, Sop, Tanggal, Target, Unit
from sopdoc.definition.tree import UNIT_FILE
from sopdoc.excel import guide, labels
from sopdoc.office import paper, xlsx
from sopdoc.office.style import FONT

FONT_SIZE = xlsx.FONT_SIZE
DATE_FORMAT = "[$-421]d mmmm yyyy"   # 421 = Indonesian: "22 Desember 2023", as the document prints it
TEXT_FORMAT = "@"
SPARE_ROWS = 30           # rows below the grid that keep its dropdowns, for rows people add
WIDTHS = {"label": 16, labels.KEGIATAN: 40, "pelaksana": 11, "Kelengkapan": 18, "Waktu": 10, "Output": 18,
          "Keterangan": 14, "Lanjut ke": 8, "Jika Ya": 8, "Jika Tidak": 8, "Label Ya": 9, "Label Tidak": 9, "Id": 10}

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_READ_ONLY_FILL = xlsx.HEADER_FILL      # grey as the document's header cells: not for typing in
_BODY = xlsx.BODY
_BOLD = xlsx.BOLD
_QUIET = Font(name=FONT, size=8, italic=True, color="808080")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")


def workbook_name(unit: Unit) -> str:
    """Return a unit's workbook file name: sop-<unit folder path with dashes>.xlsx (``sopdoc excel`` and the studio)."""
    return f"sop-{unit.key.replace('/', '-') or unit.folder.name}.xlsx"


def ordered(sops: list[Sop]) -> list[Sop]:
    """Return *sops* in the order their sheets follow in a unit's workbook: by number, then name."""
    return sorted(sops, key=lambda s: (s.nomor or "", s.nama))


def unit_workbook(unit: Unit, sops: list[Sop]) -> bytes:
    """Return the XLSX bytes of *unit*'s workbook: Unit, Petunjuk, then one sheet per SOP."""
    book = Workbook()
    _unit_sheet(book.active, unit)
    xlsx.fit_page(book.active, unit.kertas, "landscape")
    guide.write(book.create_sheet(labels.GUIDE_SHEET), _BODY, _BOLD, _height)
    xlsx.fit_page(book[labels.GUIDE_SHEET], unit.kertas, "portrait")
    taken = xlsx.SheetTitles(labels.UNIT_SHEET, labels.GUIDE_SHEET, labels.SOURCE_SHEET)
    formulas: list[Cell] = []
    for sop in sops:
        title = names.free_name(xlsx.sheet_title(sop.nama, "SOP"), taken, xlsx.numbered_title)
        taken.add(title)
        _sop_sheet(book.create_sheet(title), sop, formulas)
    book.calculation.fullCalcOnLoad = True     # the references show their row's current No when opened
    recorded = [sop for sop in sops if sop.source.is_file()]     # not the example of a blank workbook
    if recorded:
        _source_sheet(book.create_sheet(labels.SOURCE_SHEET), unit, recorded)
    return xlsx.to_bytes(book, formulas)


SOURCE_CHUNK = 30_000       # characters per cell (Excel holds at most 32,767)


def made_from(data: dict) -> str:
    """Return an SOP's or unit's *data* as the workbook records it was made from: JSON, keys sorted, ASCII only."""
    return json.dumps(data, sort_keys=True, default=str, ensure_ascii=True)


def _source_sheet(sheet: Worksheet, unit: Unit, sops: list[Sop]) -> None:
    """Record the unit's and each SOP's file name and data (made_from) on the very hidden sheet labels.SOURCE_SHEET."""
    sheet.sheet_state = "veryHidden"
    put(sheet, 1, 1, labels.BERKAS)
    put(sheet, 1, 2, "Isi saat buku kerja ini dibuat (diisi sopdoc untuk mengenali buku kerja lama)")
    records = [(sop.source.name, sop_data(sop)) for sop in sops]
    if (unit.folder / UNIT_FILE).is_file():
        records.insert(0, (UNIT_FILE, unit_data(unit)))
    for row, (name, data) in enumerate(records, start=2):
        put(sheet, row, 1, name)
        text = made_from(data)
        for column, start in enumerate(range(0, len(text), SOURCE_CHUNK), start=2):
            put(sheet, row, column, text[start:start + SOURCE_CHUNK])


# --- cells -------------------------------------------------------------------------

def put(sheet: Worksheet, row: int, column: int, value, font: Font = _BODY, alignment: Alignment = _WRAP):
    """Write *value* to a cell as data (xlsx.to_bytes stores text as text, even when it starts with '=')."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    cell.font, cell.alignment = font, alignment
    return cell


def _put_date(sheet: Worksheet, row: int, column: int, tanggal: Tanggal | None):
    value = tanggal_value(tanggal)
    cell = put(sheet, row, column, value, alignment=_LEFT)
    cell.number_format = DATE_FORMAT if isinstance(value, datetime.date) else TEXT_FORMAT
    return cell


def _lines(items) -> str:
    """Return list items one per line, numbered like the document (the importer drops the numbers)."""
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def _revisions(sop: Sop) -> str:
    return "\n".join(f"{r.tanggal}: {r.catatan}" if r.catatan else str(r.tanggal) for r in sop.revisi)


def _height(texts: list[tuple[str, float]], bold: bool = False) -> float:
    """Return a row height that shows every (text, width) pair whole when wrapped."""
    return xlsx.row_height(texts, FONT_SIZE, bold)


# --- the Unit sheet ----------------------------------------------------------------

_UNIT_HINTS = {
    "Kertas": "F4, A4, Letter atau Legal",
    labels.KOP: "kop lembar identitas ditulis utuh, satu baris per baris (boleh kosong)",
    labels.JUDUL: "judul yang diganti, satu per baris: Kelengkapan: Persyaratan/Perlengkapan (boleh kosong)",
    labels.KOLOM_KETERANGAN: "tidak: tabel bagan alir tanpa kolom Keterangan (boleh kosong)", "Orientasi": "lanskap atau potret (orientasi bagan alir)",
    "Disahkan oleh - NIP": "ketik sebagai teks, spasi boleh: 19700101 199001 1 001",
    "Tahun": "tahun pada sampul buku SOP (boleh kosong)",
    labels.FOLDER: "folder unit di definitions/ (diisi sopdoc; boleh kosong)",
}


def _unit_sheet(sheet: Worksheet, unit: Unit) -> None:
    sheet.title = labels.UNIT_SHEET
    values = {
        "Pemerintah": unit.pemerintah, "Unit": unit.unit, "Sub unit": unit.sub_unit, "Alamat": unit.alamat,
        "Kertas": unit.kertas, "Orientasi": unit.orientasi, "Tahun": unit.tahun, labels.FOLDER: unit.key,
        **_print_values(unit.kop, unit.judul, unit.kolom_keterangan),
    }
    signer = unit.disahkan_oleh
    for label, path in labels.SIGNER_LABELS:
        values[label] = getattr(signer, path[-1]) if signer else None
    for row, label in enumerate(_written(labels.UNIT_LABELS, values), start=1):
        put(sheet, row, 1, label, _BOLD).fill = _LABEL_FILL
        cell = put(sheet, row, 2, values.get(label))
        if label == "Disahkan oleh - NIP":
            cell.number_format = TEXT_FORMAT
        put(sheet, row, 3, _UNIT_HINTS.get(label), _QUIET)
        for column in (1, 2):
            sheet.cell(row=row, column=column).border = _BOX
    for column, width in zip("ABC", (26, 60, 50)):
        sheet.column_dimensions[column].width = width
    _choices(sheet, ",".join(sorted(paper.PAPER)), f"B{_unit_row('Kertas')}")
    _choices(sheet, f"{paper.LANSKAP},{paper.POTRET}", f"B{_unit_row('Orientasi')}")


def _written(known: tuple, values: dict) -> list[str]:
    """Return the labels a sheet shows: all of the contract's, and sopdoc's print settings only where set
    (a person adds such a row by hand, with its label, where a unit or an SOP needs it)."""
    optional = {label for label, _ in labels.PRINT_LABELS} | ({"Kertas", "Orientasi"} if known == labels.SOP_LABELS
                                                               else set())
    return [label for label, _ in known if label not in optional or values.get(label) not in (None, "")]


def _print_values(kop: tuple[str, ...], judul: tuple[tuple[str, str], ...], column: bool | None) -> dict:
    """Return the cells of what a unit or an SOP sets for its printing: the kop's lines, headings, Keterangan."""
    defaults = {key.name: key.default for key in fields.JUDUL_KEYS}
    return {labels.KOP: "\n".join(kop), labels.JUDUL: "\n".join(f"{defaults[key]}: {text}" for key, text in judul),
            labels.KOLOM_KETERANGAN: {True: "ya", False: "tidak"}.get(column)}


def _unit_row(label: str) -> int:
    return [name for name, _ in labels.UNIT_LABELS].index(label) + 1


def _choices(sheet: Worksheet, items: str, cells: str, prompt: str | None = None) -> None:
    """Add a dropdown of *items*; other values stay allowed (the importer checks them)."""
    validation = DataValidation(type="list", formula1=f'"{items}"', allow_blank=True, showErrorMessage=False)
    if prompt:
        validation.showInputMessage, validation.prompt = True, prompt
    sheet.add_data_validation(validation)
    validation.add(cells)


# --- an SOP sheet ------------------------------------------------------------------

class _Grid:
    """Where the columns of one SOP sheet are."""

    def __init__(self, sop: Sop):
        self.actors = [key for key, _ in sop.pelaksana]
        first_after = 3 + len(self.actors)
        self.column = {key: first_after + i for i, (_, key) in enumerate(labels.AFTER_PELAKSANA)}
        self.last = first_after + len(labels.AFTER_PELAKSANA) - 1

    def actor_column(self, key: str) -> int:
        return 3 + self.actors.index(key)

    def widths(self) -> list[float]:
        after = [WIDTHS[name] for name, _ in labels.AFTER_PELAKSANA]
        return [WIDTHS["label"], WIDTHS[labels.KEGIATAN]] + [WIDTHS["pelaksana"]] * len(self.actors) + after


def _sop_sheet(sheet: Worksheet, sop: Sop, formulas: list[Cell]) -> None:
    grid = _Grid(sop)
    widths = grid.widths()
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    identity_end = _identity(sheet, sop, grid, sum(widths[1:]))
    header = identity_end + 3
    _header(sheet, sop, grid, header)
    first = header + 2
    # A row of several symbols takes one sheet row per symbol: its own, then one below it for each other.
    at, r = {}, first
    for row in sop.kegiatan:
        for n in range(len(row.langkah)):
            at[Target(row.index, n)] = r
            r += 1
    ids = symbol_ids(sop.kegiatan)
    for row in sop.kegiatan:
        _kegiatan(sheet, sop, grid, row, _Places(at, ids, grid), widths, formulas)
    _validations(sheet, sop, grid, first, r - 1)
    _page_setup(sheet, sop, header)
    # Keep the No and Kegiatan columns in view. Rows are not frozen: the identity block above the grid is
    # taller than a laptop's screen (589 pt for a plain SOP), so freezing down to the grid's header would
    # leave no room to scroll; the header prints on every page instead, and the identity rows fold away.
    sheet.freeze_panes = "C1"
    sheet.row_dimensions.group(1, identity_end, outline_level=1, hidden=False)


def _identity(sheet: Worksheet, sop: Sop, grid: _Grid, value_width: float) -> int:
    """Write the identity block; return its last row."""
    signer = sop.disahkan_oleh
    values = {
        labels.BERKAS: sop.slug, "Nomor SOP": sop.nomor, labels.NAMA: sop.nama, "Status": sop.status,
        "Diganti oleh": sop.diganti_oleh, labels.RIWAYAT: _revisions(sop),
        "Disahkan oleh - Jabatan": signer.jabatan if signer else None,
        "Disahkan oleh - Nama": signer.nama if signer else None,
        "Disahkan oleh - Pangkat": signer.pangkat if signer else None,
        "Disahkan oleh - NIP": signer.nip if signer else None,
    }
    for label, path in labels.SOP_LABELS:
        if path and path[0] in labels.LIST_KEYS and path[0] != "kop":
            values[label] = _lines(getattr(sop, path[0]))
    values.update({"Kertas": sop.kertas, "Orientasi": sop.orientasi,
                   **_print_values(sop.kop, sop.judul, sop.kolom_keterangan)})
    dates = {"Tanggal Pembuatan": sop.tanggal_pembuatan, labels.TANGGAL_REVISI: sop.tanggal_revisi,
             "Tanggal Efektif": sop.tanggal_efektif}
    written = _written(labels.SOP_LABELS, values)
    for row, label in enumerate(written, start=1):
        put(sheet, row, 1, label, _BOLD).fill = _LABEL_FILL
        cell = _put_date(sheet, row, 2, dates[label]) if label in dates else put(sheet, row, 2, values.get(label))
        if label in ("Nomor SOP", "Disahkan oleh - NIP"):
            cell.number_format = TEXT_FORMAT
        if label == labels.TANGGAL_REVISI:
            cell.fill = _READ_ONLY_FILL
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=grid.last)
        for column in range(1, grid.last + 1):
            sheet.cell(row=row, column=column).border = _BOX
        sheet.row_dimensions[row].height = _height([(label, WIDTHS["label"]), (cell.value or "", value_width)])
    _choices(sheet, ",".join(fields.STATUS), f"B{_sop_row('Status')}")
    return len(written)


def _sop_row(label: str) -> int:
    return [name for name, _ in labels.SOP_LABELS].index(label) + 1


def _header(sheet: Worksheet, sop: Sop, grid: _Grid, row: int) -> None:
    """Write the two header rows (groups above, column names below) and the Kunci row."""
    group = row - 1
    names = [labels.NO, labels.KEGIATAN, *(name for _, name in sop.pelaksana),
             *(name for name, _ in labels.AFTER_PELAKSANA)]
    for column, name in enumerate(names, start=1):
        put(sheet, row, column, name, _BOLD, _CENTER)
    spans = ((labels.GROUP_PELAKSANA, 3, 2 + len(grid.actors)),
             (labels.GROUP_MUTU_BAKU, grid.column["kelengkapan"], grid.column["output"]),
             (labels.GROUP_ALUR, grid.column["lanjut"], grid.column["label_tidak"]))
    for name, start, end in spans:
        put(sheet, group, start, name, _BOLD, _CENTER)
        sheet.merge_cells(start_row=group, start_column=start, end_row=group, end_column=end)
    for column in range(1, grid.last + 1):
        for r in (group, row):
            cell = sheet.cell(row=r, column=column)
            cell.fill, cell.border = _HEAD_FILL, _BOX
    sheet.row_dimensions[row].height = _height([(name, WIDTHS["pelaksana"]) for _, name in sop.pelaksana]
                                               + [("Kelengkapan", WIDTHS["Kelengkapan"])], bold=True)
    sheet.row_dimensions[group].height = _height([(labels.GROUP_ALUR, 5 * WIDTHS["Jika Ya"])], bold=True)
    put(sheet, row + 1, 1, labels.KEYS_ROW, _QUIET)
    for key in grid.actors:
        put(sheet, row + 1, grid.actor_column(key), key, _QUIET, _CENTER)
    sheet.row_dimensions[row + 1].height = 12


class _Places:
    """Where each symbol's sheet row is, and how a flow cell refers to it."""

    def __init__(self, at: dict[Target, int], ids: dict[Target, str | None], grid: _Grid):
        self.at, self.ids, self.grid = at, ids, grid

    def reference(self, target: Target) -> str:
        """Return the formula that refers to *target*'s row: its No cell, or for a row's other symbols its Id
        cell (Excel moves the reference when rows are inserted, and shows the current No or id)."""
        column = "A" if target.item == 0 else get_column_letter(self.grid.column["id"])
        return f"={column}{self.at[target]}"

    def targets(self, targets: tuple[Target, ...]) -> str:
        """Return the formula of a flow to *targets*: one reference, or a fork's joined by commas."""
        return '&", "&'.join(self.reference(t).removeprefix("=") for t in targets).join(("=", ""))


def _kegiatan(sheet: Worksheet, sop: Sop, grid: _Grid, row: Kegiatan, places: _Places, widths: list[float],
              formulas: list[Cell]) -> None:
    count = len(sop.kegiatan)
    for n, langkah in enumerate(row.langkah):
        place = Target(row.index, n)
        values = {grid.column["id"]: places.ids[place]}
        if n == 0:
            values.update({1: _number(row.nomor_cetak), 2: row.uraian,
                           grid.column["kelengkapan"]: row.kelengkapan,
                           grid.column["waktu"]: row.waktu.teks if row.waktu else None, grid.column["output"]: row.output,
                           grid.column["keterangan"]: row.keterangan})
        flow = _flow_cells(grid, place, langkah, places, count)
        values.update(flow)
        for key in langkah.pelaksana:
            values[grid.actor_column(key)] = _mark(langkah, row.index, count)
        r = places.at[place]
        for column in range(1, grid.last + 1):
            centered = column == 1 or 3 <= column < grid.column["kelengkapan"] or column >= grid.column["lanjut"]
            cell = put(sheet, r, column, values.get(column), _BODY, _CENTER if centered else _WRAP)
            cell.border = _BOX
            if column in (grid.column["waktu"], grid.column["id"]) or column == 1 and isinstance(cell.value, str):
                cell.number_format = TEXT_FORMAT
            if isinstance(values.get(column), str) and values[column].startswith("=") and column in flow:
                formulas.append(cell)
        shown = {c: v for c, v in values.items() if v and not (c in flow and str(v).startswith("="))}
        sheet.row_dimensions[r].height = _height([(v, widths[c - 1]) for c, v in shown.items()])


def _mark(langkah: Langkah, index: int, count: int) -> str:
    """Return the mark that gives a symbol its shape: a symbol word where it says more than ✓."""
    if langkah.is_decision:
        return "Keputusan"
    if langkah.simbol == KAPSUL:
        if langkah.mulai or langkah.is_end:
            return "Mulai" if langkah.mulai else "Selesai"
        return "Mulai" if index < count / 2 else "Selesai"
    ends = not langkah.exits or langkah.exits == (Exit(()),)
    if names.default_symbol(False, langkah.mulai, ends) != langkah.simbol:
        return "Proses"
    return labels.CHECK


def _number(printed: str) -> int | str:
    """Return what the No cell holds: a whole number as a number (as people type it), other text as text."""
    if not printed:
        return labels.UNNUMBERED
    return int(printed) if printed.isdigit() and printed == str(int(printed)) else printed


def _flow_cells(grid: _Grid, place: Target, langkah: Langkah, places: _Places, count: int) -> dict[int, object]:
    """Return the flow columns of a symbol: references to its targets' rows, 'berikutnya' for a decision's next
    row, 'selesai' for an end."""
    def written(exit: Exit) -> str:
        if not exit.targets:
            return labels.END_FLOW
        if exit.targets == (Target(place.row + 1),):
            return labels.NEXT_ROW
        return places.targets(exit.targets)

    if langkah.is_decision:
        yes, no = langkah.exits
        cells = {grid.column["ya"]: written(yes), grid.column["tidak"]: written(no)}
        if (yes.label, no.label) == ("", ""):
            cells[grid.column["label_ya"]] = cells[grid.column["label_tidak"]] = labels.UNLABELLED
        elif (yes.label, no.label) != names.DEFAULT_LABELS:
            cells[grid.column["label_ya"]], cells[grid.column["label_tidak"]] = yes.label, no.label
        return cells
    if langkah.exits == (Exit(()),) or not langkah.exits and place.row < count - 1:
        return {grid.column["lanjut"]: labels.END_FLOW}
    if langkah.exits and langkah.exits[0].targets != (Target(place.row + 1),):
        return {grid.column["lanjut"]: written(langkah.exits[0])}
    return {}


def _validations(sheet: Worksheet, sop: Sop, grid: _Grid, first: int, last_row: int) -> None:
    last = last_row + SPARE_ROWS
    marks = ",".join([labels.CHECK, "x", *labels.SYMBOL_WORDS])
    actors = f"C{first}:{get_column_letter(2 + len(grid.actors))}{last}"
    _choices(sheet, marks, actors, "Beri tanda ✓ (atau v, x, 1) di kolom pelaksana yang mengerjakan kegiatan ini, "
                                   "atau tulis Mulai, Proses, Keputusan, Selesai.")
    numbers = ",".join([labels.NEXT_ROW, labels.END_FLOW, *(str(n) for n in range(1, len(sop.kegiatan) + 11))])
    flow = [f"{get_column_letter(grid.column[name])}{first}:{get_column_letter(grid.column[name])}{last}"
            for name in labels.JUMP_COLUMNS]
    # A list typed into the rule holds at most 255 characters; longer SOPs point at the No column.
    source = f'"{numbers}"' if len(numbers) <= 250 else f"$A${first}:$A${last}"
    validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False, showInputMessage=True,
                                prompt="Baris tujuan: rujukan =A17 (tetap benar bila baris disisipkan), nomor di kolom "
                                       "No, 'berikutnya', atau 'selesai'. Kosong = baris berikutnya.")
    sheet.add_data_validation(validation)
    for cells in flow:
        validation.add(cells)


def _page_setup(sheet: Worksheet, sop: Sop, header: int) -> None:
    xlsx.fit_page(sheet, sop.paper[0], "landscape", (header - 1, header))
