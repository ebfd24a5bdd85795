"""Import a workbook into a definitions folder, changing only what changed: ``sopdoc import`` and the studio.

A workbook is read and checked whole before anything is written. A workbook
with errors, or one that would overwrite an existing SOP without *overwrite*,
writes nothing; so does one whose files cannot all be written (fsutil.write_all
puts the tree back as it was).

A workbook made by sopdoc records each SOP as it was then (labels.SOURCE_SHEET).
A value the workbook leaves as it was but the definition has changed since is a
later edit the import would undo: the import says so, file by file, before the
changes it lists, and writes only with *overwrite*.
"""

from __future__ import annotations

import datetime
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc import fsutil
from sopdoc.authoring import yamlwrite
from sopdoc.authoring.datadiff import same
from sopdoc.definition import reader, yamlsafe
from sopdoc.definition.model import BULAN
from sopdoc.definition.tree import chain
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import importer, labels

# The unit's keys a workbook holds (its Unit sheet); the others in unit.yaml are left as they are.
_UNIT_KEYS = tuple(dict.fromkeys(path[0] for _, path in labels.UNIT_LABELS if path[0] != "folder"))


@dataclass
class Outcome:
    """What importing one workbook did and said: its lines in order (each for the error stream or not)."""

    ok: bool = False
    waiting: bool = False       # refused only because existing SOPs would change without overwrite
    changing: int = 0           # while waiting: the existing files it would change
    making: int = 0             # while waiting: the new files it would write
    undone: list[str] = field(default_factory=list)     # the warnings that the workbook would undo later edits
    said: list[tuple[str, bool]] = field(default_factory=list)

    def line(self, text: str, err: bool = False) -> None:
        self.said.append((text, err))

    def error(self, text: str) -> None:
        self.said.append((text, True))


@dataclass
class _Existing:
    """A definition file as the import found it, read once: the file written (a link's target), bytes, mode, data.

    *raw* is None when there is no file yet; *document* is None when the file cannot be read as YAML.
    """

    target: Path
    raw: bytes | None = None
    mode: int = 0o666 & ~fsutil.UMASK
    document: yamlsafe.Document | None = None

    @property
    def data(self) -> dict:
        data = self.document.data if self.document else None
        return data if isinstance(data, dict) else {}


@dataclass
class _Entry:
    """One definition file of the import: its new bytes (None: it already says the same) and its old (None: new)."""

    path: Path
    target: Path
    new: bytes | None
    old: bytes | None
    mode: int


@dataclass
class _Plan:
    """What importing one workbook does: each definition file, and what changes in those that exist."""

    folder: Path
    entries: list[_Entry] = field(default_factory=list)
    changed: dict[Path, list[str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    read: dict[Path, _Existing | None] = field(default_factory=dict)
    undone: dict[Path, list[str]] = field(default_factory=dict)    # SOP file -> keys edited after the workbook


OVERWRITE_HINT = "Jalankan lagi dengan --timpa untuk menimpanya"


def import_workbook(path: Path, root: Path, overwrite: bool, written: dict[Path, Path],
                    overwrite_hint: str = OVERWRITE_HINT) -> Outcome:
    """Import the workbook at *path* into the definitions folder *root*: all its files, or none.

    What the import has to say is kept in the outcome, in order, for the CLI to print
    and the studio to show. *written* maps each file written so far in this run to its
    workbook; two workbooks of one run may not fill the same file. *overwrite_hint*
    tells how to overwrite, in the words of the caller's screen.
    """
    said = Outcome()
    imported = importer.read_workbook(path)
    for problem in imported.problems:
        said.error(str(problem))
    if imported.errors:
        said.error(f"{display_path(path)}: {len(imported.errors)} galat; tidak ada berkas yang ditulis.")
        return said
    plan = _plan(imported, root)
    plan.refused += [f"{display_path(e.path)} sudah ditulis dari {display_path(written[e.target])} dalam impor ini; "
                     "dua buku kerja tidak boleh mengisi berkas yang sama: impor salah satunya saja"
                     for e in plan.entries if e.new is not None and e.target in written]
    for message in plan.refused:
        said.error(message)
    if plan.refused:
        said.error(f"{display_path(path)}: tidak ada berkas yang ditulis.")
        return said
    for path, keys in plan.undone.items():
        said.undone.append(_undone_message(path, plan.read[path].target, keys))
        said.error(said.undone[-1])
    if any(plan.changed.values()) and not overwrite:
        _show_changes(said, plan, prefix="akan berubah")
        said.waiting = True
        said.changing = sum(e.new is not None and e.old is not None for e in plan.entries)
        said.making = sum(e.old is None for e in plan.entries)
        said.error(f"{display_path(path)}: SOP yang sudah ada akan berubah; tidak ada berkas yang ditulis. "
                   f"{overwrite_hint} (versi lama disimpan sebagai .bak).")
        return said
    fsutil.write_all(_to_write(plan), root, display_path(path))
    written.update((e.target, path) for e in plan.entries if e.new is not None)
    _show_written(said, plan)
    said.ok = True
    return said


# --- deciding what to write -------------------------------------------------------------

def _plan(imported: importer.Imported, root: Path) -> _Plan:
    """Decide every file to write and its bytes, refusing any path outside *root* and any read-only file."""
    folder = root / imported.folder
    plan = _Plan(folder)
    if not fsutil.inside(folder, root):    # a link out of the tree, or a link loop
        plan.refused.append(f"{display_path(imported.path)}: folder unit '{imported.folder}' berada di luar "
                            f"{display_path(root)}.")
        return plan
    planned = _government_files(folder, root, imported.unit)
    for path, data in planned.items():
        _add(plan, root, path, data, yamlwrite.UNIT)
    unit_file = folder / reader.UNIT_FILE
    own = _existing(plan, root, unit_file)
    if own is not None:
        unit_data = _unit_file_data(own.data, _inherited(plan, root, folder, planned), imported.unit)
        _add(plan, root, unit_file, unit_data, yamlwrite.UNIT)
    sops = {folder / f"{slug}.yaml": data for slug, data in imported.sops.items()}
    olds = _old_sops(plan, root, sops)
    for path, data in sops.items():
        if _add(plan, root, path, data, yamlwrite.SOP, keep_changes=False):
            plan.changed[path] = _sop_changes(path, data, olds, plan)
            old = next((sop for sop in olds.sops if sop.source == path), None)
            if plan.changed[path] and old and (undone := _undone(yamlwrite.sop_data(old), data,
                                                                  imported.made_from.get(path.name))):
                plan.undone[path] = undone
    current = next(iter(olds.sops), None)       # the unit as its files say now, merged as the reader merges them
    if plan.changed.get(unit_file) and current and (undone := _undone(
            yamlwrite.unit_data(current.unit), imported.unit, imported.made_from.get(reader.UNIT_FILE), _UNIT_KEYS)):
        plan.undone[unit_file] = undone
    return plan


def _existing(plan: _Plan, root: Path, path: Path) -> _Existing | None:
    """Return the file at *path* as it is, read once; None (the refusal noted in the plan) when it cannot be used.

    A link that leads outside *root* is refused, not read.
    """
    if path in plan.read:
        return plan.read[path]
    plan.read[path] = None
    try:
        target = fsutil.write_target(path, root)
    except SopdocError as exc:
        plan.refused.append(exc.message)
        return None
    if not os.path.lexists(target):
        plan.read[path] = _Existing(target)
        return plan.read[path]
    try:
        raw = yamlsafe.read_bytes(target)
    except yamlsafe.YamlLoadError as exc:
        plan.refused.append(f"{display_path(path)}: {exc.message}; berkas itu tidak ditimpa.")
        return None
    except OSError as exc:      # a folder where the file should be
        plan.refused.append(fsutil.write_error(exc, path).message)
        return None
    try:
        document = yamlsafe.decode(raw, path)
    except yamlsafe.YamlLoadError:
        document = None         # written anew; an SOP is refused when the reader sees its error
    plan.read[path] = _Existing(target, raw, stat.S_IMODE(target.stat().st_mode), document)
    return plan.read[path]


def _add(plan: _Plan, root: Path, path: Path, data: dict, kind: str, keep_changes: bool = True) -> bool:
    """Plan *path* to say *data*; return whether it exists already and is planned. A refusal is noted in the plan.

    The changes to a file that exists are kept in the plan unless the caller judges them itself.
    """
    existing = _existing(plan, root, path)
    if existing is None:
        return False
    new, changes = yamlwrite.edited(existing.target, existing.raw, data, kind, old=existing.document)
    if existing.raw is None:
        plan.entries.append(_Entry(path, existing.target, new, None, existing.mode))
        return False
    refused = new is not None and fsutil.read_only(path, existing.mode, "ditimpa", "diganti", existing.target)
    if refused:
        plan.refused.append(refused)
        return False
    plan.entries.append(_Entry(path, existing.target, new, existing.raw, existing.mode))
    if keep_changes:
        plan.changed[path] = changes
    return True


def _to_write(plan: _Plan) -> list[fsutil.Change]:
    """Return the files to write, backups first: a definition is never replaced before its old text is kept."""
    changed = [entry for entry in plan.entries if entry.new is not None]
    backups = [change for e in changed if e.old is not None for change in fsutil.backups(e.path, e.target, e.old, e.mode)]
    return backups + [fsutil.Change(e.path, e.target, e.new, e.mode) for e in changed]


def _old_sops(plan: _Plan, root: Path, sops: dict[Path, dict]) -> reader.Result:
    """Return the SOPs of *sops* that exist, read once with the unit files the plan has read (none read again)."""
    existing = [path for path in sops if (found := _existing(plan, root, path)) is not None and found.raw is not None]
    texts = {path: found.document for path, found in plan.read.items() if found is not None and found.document}
    return reader.read(existing, texts) if existing else reader.Result()


def _sop_changes(path: Path, data: dict, olds: reader.Result, plan: _Plan) -> list[str]:
    old = next((sop for sop in olds.sops if sop.source == path), None)
    if old is None:
        plan.refused.append(f"{display_path(path)} sudah ada tetapi memuat galat; perbaiki atau pindahkan berkas "
                            "itu dulu, lalu impor lagi.")
        return []
    return yamlwrite.changes(yamlwrite.sop_data(old), data)


def _undone(now: dict, data: dict, recorded: str | None, keys: tuple[str, ...] | None = None) -> list[str]:
    """Return the keys edited in a definition after the workbook was made that importing *data* would undo.

    Such a key says one thing in the definition (*now*), and in the workbook what
    it said when the workbook was made (*recorded*, as writer.made_from wrote it).
    *keys* limits the keys compared (those a workbook holds of a unit).
    """
    try:
        original = json.loads(recorded) if recorded else None
    except (ValueError, RecursionError):     # not what sopdoc wrote (a workbook is anyone's to edit)
        return []
    if not isinstance(original, dict):
        return []
    return [key for key in (keys or dict.fromkeys([*now, *data]))
            if _canonical(now.get(key)) != _canonical(data.get(key))
            and _canonical(data.get(key)) == _canonical(original.get(key))]


def _canonical(value) -> str:
    """Return *value* as writer.made_from records it, so that the three versions of a key compare alike."""
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=True)


# The words a person knows each SOP key by: the workbook's labels, and the table and its columns.
_KEY_WORDS = {**{path[0]: label for label, path in (*labels.UNIT_LABELS, *labels.SOP_LABELS) if path and len(path) == 1},
              "disahkan_oleh": "Disahkan oleh", "kegiatan": "tabel kegiatan", "pelaksana": "pelaksana (kolom jabatan)"}


def _undone_message(path: Path, target: Path, keys: list[str]) -> str:
    """Say that the workbook is older than the definition at *path* and which of its edits the import would undo."""
    try:
        changed = datetime.datetime.fromtimestamp(target.stat().st_mtime)
        when = f" pada {changed.day} {BULAN[changed.month - 1]} {changed.year} pukul {changed:%H.%M}"
    except (OSError, ValueError, OverflowError):
        when = ""
    words = ", ".join(_KEY_WORDS.get(key, key) for key in keys)
    return (f"PERINGATAN: buku kerja ini dibuat sebelum berkas {display_path(path)} diubah{when}; impor akan "
            f"membatalkan perubahan itu ({words}). Timpa hanya bila memang itu yang Anda inginkan; bila tidak, buat "
            "buku kerja baru dari definisi sekarang dan isi lagi perubahan Anda di sana.")


def _government_files(folder: Path, root: Path, wanted: dict) -> dict[Path, dict]:
    """Return the unit.yaml to create in each folder between *root* and a nested unit *folder* that lacks one.

    A nested unit's outputs are named by the chain of folders holding unit.yaml
    (``kab-way-kanan/diskominfo``); without a unit.yaml above it, two regencies'
    ``diskominfo`` would collide. The folder above holds what a government shares.
    """
    files: dict[Path, dict] = {}
    for above in folder.relative_to(root).parents:
        if above == Path("."):
            continue
        unit_file = root / above / reader.UNIT_FILE
        if not os.path.lexists(unit_file):
            files[unit_file] = {"pemerintah": wanted.get("pemerintah")}
    return files


def _inherited(plan: _Plan, root: Path, folder: Path, planned: dict[Path, dict]) -> dict:
    """Return what the unit files above *folder* will give its unit, merged as the reader merges them.

    The chain is the reader's (tree.chain), with the unit files this import creates.
    """
    merged: dict = {}
    for above in reversed(chain(folder, planned)[1:]):
        unit_file = above / reader.UNIT_FILE
        if unit_file in planned:
            merged.update(planned[unit_file])
        elif fsutil.inside(above, root):
            found = _existing(plan, root, unit_file)
            merged.update(found.data if found else {})
        else:
            merged.update(_outside_data(unit_file))
    return merged


def _outside_data(unit_file: Path) -> dict:
    """Return the data of a unit file above the folder imported into (the reader merges it too); {} if unreadable."""
    try:
        data = yamlsafe.load(unit_file).data
    except yamlsafe.YamlLoadError:
        return {}
    return data if isinstance(data, dict) else {}


def _unit_file_data(own: dict, inherited: dict, wanted: dict) -> dict:
    """Return what a unit.yaml now saying *own* must say so that, merged with *inherited*, the unit is *wanted*.

    Nested unit files merge top-down, the deeper one winning (DEFINITION-FORMAT):
    only values that differ from what the folders above already give are written here.
    """
    merged = {**inherited, **own}
    data = dict(own)
    for key in _UNIT_KEYS:
        value = wanted.get(key)
        if same((key,), merged.get(key), value, None):
            continue
        if value is None and key not in inherited:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# --- telling what happened ------------------------------------------------------------------

def _show_changes(said: Outcome, plan: _Plan, prefix: str) -> None:
    for path, lines in plan.changed.items():
        if lines:
            said.line(f"{display_path(path)} {prefix}:")
            for line in lines:
                said.line(f"  - {line}")


def _show_written(said: Outcome, plan: _Plan) -> None:
    for entry in plan.entries:
        if entry.old is None:
            said.line(f"{display_path(entry.path)}: baru")
        elif entry.new is None:
            said.line(f"{display_path(entry.path)}: tidak berubah")
        else:
            said.line(f"{display_path(entry.path)}: diubah (versi lama: {display_path(fsutil.backup_path(entry.path))})")
            for line in plan.changed.get(entry.path, []):
                said.line(f"  - {line}")
