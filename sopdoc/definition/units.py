"""Units: each ``unit.yaml`` read once, and the chain of unit files that makes a folder's unit.

Nested ``unit.yaml`` files are merged top-down, the deeper one winning.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sopdoc.definition import attachments, fields, names, placeholders, tree, yamlsafe
from sopdoc.definition.model import Unit
from sopdoc.definition.tree import UNIT_FILE, chain
from sopdoc.definition.values import FileReader, Result
from sopdoc.errors import Problem, display_path
from sopdoc.fsutil import LOOP, inside, resolved


class Units:
    """Read each ``unit.yaml`` once and merge the chain above each unit folder.

    With *given_only*, only the unit files given as texts are read (definitions
    in memory): a folder's unit is its own unit file alone.
    """

    def __init__(self, result: Result, texts: dict[Path, str | yamlsafe.Document], given_only: bool = False):
        self.result = result
        self.texts = texts
        self.given_only = given_only
        self.files: dict[tuple[Path, Path], tuple[dict, bool]] = {}
        self.units: dict[Path, Unit | None] = {}
        self.keys: dict[str, tuple[str, Path]] = {}    # unit key, case folded -> (key, folder)
        self.opened: dict[Path, str | None] = {}

    def for_sop(self, sop_file: Path, root: Path) -> Unit | None:
        folder = sop_file.parent
        if not (folder / UNIT_FILE in self.texts or not self.given_only and (folder / UNIT_FILE).is_file()):
            self.result.problems.append(Problem(
                sop_file, None, "",
                f"tidak ada {UNIT_FILE} di folder {folder}; setiap folder unit memerlukan {UNIT_FILE} "
                "(buat dengan: sopdoc new NAMA-UNIT/NAMA-SOP)",
            ))
            return None
        return self.unit_of(folder, root)

    def check(self, unit_file: Path, root: Path) -> None:
        """Read *unit_file* (and those above it) for problems, whether or not SOPs follow."""
        folders = self._chain(unit_file.parent)
        for unit_folder in folders:
            self._read(unit_folder / UNIT_FILE, _containment(folders, root))

    def unit_of(self, folder: Path, root: Path) -> Unit | None:
        """Return the merged unit of *folder*, or None when a unit file has errors."""
        if folder in self.units:
            return self.units[folder]
        folders = self._chain(folder)
        merged: dict[str, Any] = {}
        ok = True
        for unit_folder in reversed(folders):
            values, file_ok = self._read(unit_folder / UNIT_FILE, _containment(folders, root))
            merged.update(values)
            ok = ok and file_ok
        merged["files"] = tuple(f / UNIT_FILE for f in reversed(folders))
        key = key_of(folder, folders[-1])
        unit = self._build(folder, key, merged) if ok and self._own_key(folder, key) else None
        self.units[folder] = unit
        return unit

    def _chain(self, folder: Path) -> list[Path]:
        return [folder] if self.given_only else chain(folder)

    def _own_key(self, folder: Path, key: str) -> bool:
        """Refuse a second unit folder whose outputs would go where another's go (two trees, one unit path)."""
        first_key, first = self.keys.setdefault(names.same_name(key), (key, folder))
        if first.resolve() == folder.resolve():
            return True
        if first_key != key:
            self.result.problems.append(Problem(
                folder / UNIT_FILE, None, "",
                f"unit '{key}' dan unit '{first_key}' ({display_path(first)}) {names.how_alike(first_key, key)}; "
                f"{names.CASE_ONLY}: ganti nama salah satu folder"))
            return False
        self.result.problems.append(Problem(
            folder / UNIT_FILE, None, "",
            f"unit ini dan {display_path(first)} sama-sama bernama '{key}', sehingga dokumennya akan saling menimpa "
            "di folder hasil; ekspor kedua folder itu ke --out yang berbeda, atau ganti nama salah satu folder"))
        return False

    def _read(self, file: Path, root: Path) -> tuple[dict, bool]:
        if (file, root) in self.files:
            return self.files[(file, root)]
        # A unit file linked outside the tree is refused by the walk; it must not be read on an SOP's behalf either.
        if file not in self.texts and (why := tree.outside(file, root)):
            refused = Problem(file, None, "", why)
            if refused not in self.result.problems:
                self.result.problems.append(refused)
            self.files[(file, root)] = ({}, False)
            return self.files[(file, root)]
        reader = FileReader(file, self.result, self.texts.get(file))
        data = reader.load()
        values: dict[str, Any] = {}
        if reader.ok and data is not None and reader.mapping((), data, fields.UNIT_KEYS) is not None:
            for key in fields.UNIT_KEYS:
                if key.name not in data:
                    continue        # a key left out takes the value of the unit file above, or the model's default
                if key.kind == fields.BERKAS:
                    values[key.name] = self._attachment(reader, key.name, data[key.name], file.parent, root)
                else:
                    values[key.name] = reader.value(key, data[key.name], ())
            for path, message in [*placeholders.in_unit(values.get("pemerintah"), values.get("unit")),
                                  *placeholders.in_signer(("disahkan_oleh",), values.get("disahkan_oleh"))]:
                reader.warn(path, message)
        self.files[(file, root)] = (values, reader.ok)
        return self.files[(file, root)]

    def _attachment(self, reader: FileReader, key: str, value: Any, base: Path, root: Path) -> Path | None:
        """Return the logo or template file *value* names, opened once to see that it can be used.

        A missing logo is a warning (the document is made without it); a missing template is an error.
        """
        target = _contained_path(reader, (key,), value, base, root, must_exist=key == "template")
        if target is None:
            return None
        if target not in self.opened:
            check = attachments.logo_problem if key == "logo" else attachments.template_problem
            self.opened[target] = check(target)
        if self.opened[target]:
            reader.error((key,), f"berkas '{reader.text((key,), value)}': {self.opened[target]}")
            return None
        return target

    def _build(self, folder: Path, key: str, merged: dict) -> Unit | None:
        # A unit that gives its kop whole (an agency without a "Pemerintah ..." line) needs no pemerintah.
        missing = [k for k in ("pemerintah", "unit") if not merged.get(k) and not (k == "pemerintah" and merged.get("kop"))]
        for name in missing:
            self.result.problems.append(Problem(
                folder / UNIT_FILE, None, name,
                f"wajib diisi di {UNIT_FILE} ini atau di {UNIT_FILE} folder di atasnya"
                + (" (atau tulis kop utuh dengan 'kop')" if name == "pemerintah" else ""),
            ))
        if missing:
            return None
        values = {k: v for k, v in merged.items() if v is not None}
        return Unit(folder=folder, key=key, **{"pemerintah": None, **values})



def key_of(folder: Path, top: Path) -> str:
    """Return the key of the unit in *folder* whose chain ends at *top*: its path below the folder above *top*."""
    base = Path(os.path.abspath(top)).parent
    return Path(os.path.abspath(folder)).relative_to(base).as_posix()


def _containment(chain: list[Path], named: Path) -> Path:
    """Return the folder a unit's logo and template must lie in.

    That is the folder the user named, or the topmost folder with a unit file
    when the user named a folder below it; never a folder above both.
    """
    top = chain[-1]
    return named if top.resolve().is_relative_to(named.resolve()) else top


def _contained_path(reader: FileReader, path: tuple, value: Any, base: Path, root: Path, must_exist: bool) -> Path | None:
    """Return the file *value* names relative to *base*, refusing one outside *root*."""
    text = reader.text(path, value)
    if text is None:
        return None
    target = resolved(base / text)
    if target is None:
        reader.error(path, f"berkas '{text}' adalah {LOOP}, jadi tidak dapat dibaca; tulis jalur berkas yang "
                           "sebenarnya")
        return None
    if not inside(target, root):
        reader.error(path, f"berkas '{text}' berada di luar folder definisi {root}; "
                           "salin berkasnya ke dalam folder itu dan tulis jalurnya relatif terhadap unit.yaml")
        return None
    if not target.is_file():
        message = f"berkas '{text}' tidak ditemukan (dicari di {target})"
        if must_exist:
            reader.error(path, message)
            return None
        reader.warn(path, message + "; dokumen dibuat tanpa berkas ini")
        return None
    return target

