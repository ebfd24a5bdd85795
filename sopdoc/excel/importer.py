"""Read a workbook and check it the way a definition is checked, every problem named by its cell.

The workbook's data is given to the definition reader as the unit's files, so a
workbook obeys exactly the rules a YAML file does; each of the reader's findings
is mapped back to the cell it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string

from sopdoc.authoring import scaffold, yamlwrite
from sopdoc.definition import names, reader, rows
from sopdoc.errors import Problem
from sopdoc.excel import labels, opening, parse
from sopdoc.excel.parse import Draft, Parsed
from sopdoc.excel.problems import CellProblem, warning

_ROW_KEY = re.compile(r"^kegiatan\[\d+\]$")
# The reader's remedies that name YAML syntax, as they are done in a workbook.
_IN_WORKBOOK = {rows.half_labels(): rows.half_labels(f"tulis '{labels.UNLABELLED}' di Label Ya dan Label Tidak")}


@dataclass
class Imported:
    """A workbook read and checked: the unit's folder and data, and each SOP's data by file name."""

    path: Path
    folder: str | None = None
    unit: dict = field(default_factory=dict)
    sops: dict[str, dict] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    made_from: dict[str, str] = field(default_factory=dict)    # SOP file name -> its data when the workbook was made

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.is_error]


def read_workbook(path: Path) -> Imported:
    """Return what the workbook at *path* defines, with every problem found in it."""
    try:
        opened = opening.open_workbook(path)
    except opening.Refused as refused:
        return Imported(path, problems=refused.problems)
    parsed = parse.parse(opened, path)
    imported = Imported(path, problems=list(parsed.problems), made_from=parsed.made_from)
    drafts = _named(parsed, imported)
    if parsed.unit is None:
        return imported
    imported.folder = _folder(parsed, imported)
    _validate(parsed.unit, drafts, imported)
    order = {name: i for i, name in enumerate(opened.workbook.sheetnames)}
    imported.problems.sort(key=lambda p: (order.get(p.sheet, -1), *_position(p.cell)))
    return imported


def _position(cell: str | None) -> tuple[int, int]:
    """Return a cell's (row, column) for sorting problems as a person reads the sheet."""
    match = re.match(r"([A-Z]+)(\d+)", cell or "")
    if not match:
        return (0, 0)
    return int(match.group(2)), column_index_from_string(match.group(1))


def _named(parsed: Parsed, imported: Imported) -> list[Draft]:
    """Return the SOP drafts that have a file name of their own; report those that do not."""
    named: dict[str, Draft] = {}
    for draft in parsed.sops:
        if draft.data.get("nama") == scaffold.EXAMPLE_NAMA:
            imported.problems.append(warning(imported.path, draft.sheet, draft.cell_of("nama"), "nama", _EXAMPLE))
            continue
        has_errors = any(p.is_error and p.sheet == draft.sheet for p in imported.problems)
        if not draft.slug:
            if not has_errors:
                imported.problems.append(CellProblem(imported.path, draft.sheet, draft.cell_of("nama"), "nama",
                                                     _unnamed(draft)))
            continue
        if draft.slug == Path(reader.UNIT_FILE).stem:
            imported.problems.append(CellProblem(
                imported.path, draft.sheet, draft.cell_of("berkas") or draft.cell_of("nama"), "berkas",
                f"nama berkas '{draft.slug}' dipakai oleh {reader.UNIT_FILE}; isi 'Berkas' dengan nama lain"))
            continue
        if draft.slug in named:
            imported.problems.append(CellProblem(
                imported.path, draft.sheet, draft.cell_of("berkas") or draft.cell_of("nama"), "berkas",
                f"nama berkas '{draft.slug}' sudah dipakai lembar '{named[draft.slug].sheet}'; isi 'Berkas' dengan "
                "nama lain"))
            continue
        named[draft.slug] = draft
    return list(named.values())


_EXAMPLE = ("lembar contoh dari sopdoc excel --kosong tidak diimpor; untuk SOP baru, salin lembar ini dan ganti "
            "Nama SOP serta isinya")


def _unnamed(draft: Draft) -> str:
    """Say why *draft* has no file name: no Nama SOP, or one with no letter or digit to make it from."""
    nama = draft.data.get("nama")
    if nama:
        return f"Nama '{nama}' tidak menghasilkan nama berkas; isi kolom {labels.BERKAS}"
    return "wajib diisi: Nama / Judul SOP (nama berkasnya dibuat darinya)"


def _folder(parsed: Parsed, imported: Imported) -> str | None:
    """Return the unit's folder: typed, else made from the unit's name or the workbook's; report an unusable one."""
    if parsed.folder:
        return parsed.folder
    folder = names.slugify(parsed.unit.data.get("unit") or "") or names.slugify(imported.path.stem)
    problem = names.name_problem(folder, "folder") if folder else "tidak ada huruf atau angka"
    if problem:
        imported.problems.append(CellProblem(imported.path, parsed.unit.sheet, parsed.unit.cell_of("unit"), "unit",
                                             f"folder unit yang dibuat dari nama unit tidak dapat dipakai: {problem}; "
                                             f"isi '{labels.FOLDER}'"))
        return None
    return folder


def _validate(unit: Draft, drafts: list[Draft], imported: Imported) -> None:
    """Check the drafts with the definition reader; keep the models of the SOPs that pass."""
    drafts_by_name = {reader.UNIT_FILE: unit, **{f"{draft.slug}.yaml": draft for draft in drafts}}
    folder = Path(imported.folder or "unit")
    result = reader.read_given(folder, {name: draft.data for name, draft in drafts_by_name.items()})
    files = {folder / name: draft for name, draft in drafts_by_name.items()}
    for problem in result.problems:
        draft = files.get(problem.file, unit)
        if not _derived(problem, draft, imported.problems):
            message = _IN_WORKBOOK.get(problem.message, problem.message)
            imported.problems.append(CellProblem(imported.path, draft.sheet, draft.cell_of(problem.key), problem.key,
                                                 message, problem.severity, labels.in_words(problem.key, draft.data)))
    if imported.errors:
        return
    for sop in result.sops:
        imported.sops[sop.slug] = yamlwrite.sop_data(sop)
    imported.unit = yamlwrite.unit_data(result.sops[0].unit) if result.sops else unit.data


def _derived(problem: Problem, draft: Draft, found: list[CellProblem]) -> bool:
    """Say whether the reader's *problem* only follows from one already reported on the sheet."""
    keys = [p.key for p in found if p.is_error and p.sheet == draft.sheet]
    if not keys:
        return False
    if _ROW_KEY.match(problem.key):
        return True     # a flow check on rows whose marks or jumps were already refused
    return any(_related(problem.key, key) for key in keys)


def _related(a: str, b: str) -> bool:
    """Say whether key paths *a* and *b* are one inside the other."""
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith(short + ".") or long.startswith(short + "[")
