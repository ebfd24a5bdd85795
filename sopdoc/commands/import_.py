"""sopdoc import: turn workbooks into definition folders, changing only what changed.

Each workbook is read and checked whole before anything is written. A workbook
with errors, or one that would overwrite an existing SOP without ``--timpa``,
writes nothing; so does one whose files cannot all be written: every file is
staged beside its target first, then all are renamed into place, and on any
failure the tree is left as it was. The next workbook is still imported, and
a count ends the run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.authoring import yamlwrite
from sopdoc.authoring.datadiff import same
from sopdoc.authoring.revise import backup_path
from sopdoc.definition import reader, yamlsafe
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import importer

_UNIT_KEYS = ("pemerintah", "unit", "sub_unit", "alamat", "kertas", "orientasi", "disahkan_oleh", "tahun")
_BACKUP_LIMIT = yamlsafe.MAX_BYTES


@dataclass
class _File:
    """One file an import writes: the path shown, the file written (a link's target), its bytes and mode.

    *old* is what the file held before (None: it is new), kept to undo a failed import.
    """

    path: Path
    target: Path
    data: bytes
    mode: int
    old: bytes | None = None


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


def run(files: list[Path], root: Path, overwrite: bool) -> None:
    """Import every workbook in *files* into the definitions folder *root*."""
    done, failed = 0, 0
    written: dict[Path, Path] = {}      # file written in this run -> the workbook it came from
    for path in files:
        try:
            ok = _import_one(path, root, overwrite, written)
        except SopdocError as exc:
            click.echo(f"{exc.message}; tidak ada berkas dari {display_path(path)} yang ditulis.", err=True)
            ok = False
        done, failed = done + ok, failed + (not ok)
    click.echo(f"{done} buku kerja diimpor, {failed} gagal.")
    if failed:
        raise SopdocError(f"{failed} buku kerja tidak diimpor karena masalah di atas; tidak ada berkasnya yang ditulis.")


def _import_one(path: Path, root: Path, overwrite: bool, written: dict[Path, Path]) -> bool:
    imported = importer.read_workbook(path)
    for problem in imported.problems:
        click.echo(str(problem), err=True)
    if imported.errors:
        click.echo(f"{display_path(path)}: {len(imported.errors)} galat; tidak ada berkas yang ditulis.", err=True)
        return False
    plan = _plan(imported, root)
    plan.refused += [f"{display_path(e.path)} sudah ditulis dari {display_path(written[e.target])} dalam impor ini; "
                     "dua buku kerja tidak boleh mengisi berkas yang sama: impor salah satunya saja"
                     for e in plan.entries if e.new is not None and e.target in written]
    for message in plan.refused:
        click.echo(message, err=True)
    if plan.refused:
        click.echo(f"{display_path(path)}: tidak ada berkas yang ditulis.", err=True)
        return False
    if any(plan.changed.values()) and not overwrite:
        _show_changes(plan, prefix="akan berubah")
        click.echo(f"{display_path(path)}: SOP yang sudah ada akan berubah; tidak ada berkas yang ditulis. "
                   "Jalankan lagi dengan --timpa untuk menimpanya (versi lama disimpan sebagai .bak).", err=True)
        return False
    _commit(_to_write(plan))
    written.update((e.target, path) for e in plan.entries if e.new is not None)
    _show_written(plan)
    return True


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
    unit_data = _unit_file_data(unit_file, root, imported.unit, planned, plan)
    if _add(plan, root, unit_file, unit_data, yamlwrite.UNIT):
        plan.changed[unit_file] = yamlwrite.changes(_own_data(unit_file, root, plan), unit_data)
    for slug, data in imported.sops.items():
        target = folder / f"{slug}.yaml"
        if _add(plan, root, target, data, yamlwrite.SOP):
            plan.changed[target] = _sop_changes(target, data, plan)
    return plan


def _add(plan: _Plan, root: Path, path: Path, data: dict, kind: str) -> bool:
    """Plan *path* to say *data*; return whether it exists already and is planned. A refusal is noted in the plan."""
    try:
        target = fsutil.write_target(path, root)
    except SopdocError as exc:
        plan.refused.append(exc.message)
        return False
    if not os.path.lexists(target):
        plan.entries.append(_Entry(path, target, yamlwrite.edited(target, None, data, kind)[0], None,
                                   0o666 & ~fsutil.UMASK))
        return False
    try:
        raw = yamlsafe.read_bytes(target)
    except yamlsafe.YamlLoadError as exc:
        plan.refused.append(f"{display_path(path)}: {exc.message}; berkas itu tidak ditimpa.")
        return False
    except OSError as exc:      # a folder where the file should be
        plan.refused.append(fsutil.write_error(exc, path).message)
        return False
    new, _ = yamlwrite.edited(target, raw, data, kind)
    mode = stat.S_IMODE(target.stat().st_mode)
    if new is not None and not mode & stat.S_IWUSR:
        plan.refused.append(f"{display_path(path)} hanya-baca (izin {mode:o}), jadi tidak ditimpa; bila memang akan "
                            f"diganti, buka izinnya dulu: chmod u+w {display_path(target)}")
        return False
    plan.entries.append(_Entry(path, target, new, raw, mode))
    return True


def _to_write(plan: _Plan) -> list[_File]:
    """Return the files to write, backups first: a definition is never replaced before its old text is kept."""
    changed = [entry for entry in plan.entries if entry.new is not None]
    backups = [_File(backup_path(e.path), backup_path(e.target), e.old, e.mode, _previous(backup_path(e.target)))
               for e in changed if e.old is not None]
    return backups + [_File(e.path, e.target, e.new, e.mode, e.old) for e in changed]


def _previous(path: Path) -> bytes | None:
    """Return what a backup about to be replaced holds, to put it back if the import fails."""
    try:
        return fsutil.read_regular(path, _BACKUP_LIMIT, "")
    except (fsutil.ReadRefused, OSError):   # not a regular file (a folder, say): its rename fails, nothing to keep
        return None


def _sop_changes(path: Path, data: dict, plan: _Plan) -> list[str]:
    old = reader.read([path])
    if old.errors or not old.sops:
        plan.refused.append(f"{display_path(path)} sudah ada tetapi memuat galat; perbaiki atau pindahkan berkas "
                            "itu dulu, lalu impor lagi.")
        return []
    return yamlwrite.changes(yamlwrite.sop_data(old.sops[0]), data)


def _own_data(path: Path, root: Path, plan: _Plan) -> dict:
    """Return the data of the unit file *path*; one linked from outside *root* is refused, not read."""
    try:
        data = yamlsafe.load(fsutil.write_target(path, root)).data
    except SopdocError as exc:
        if exc.message not in plan.refused:
            plan.refused.append(exc.message)
        return {}
    except (yamlsafe.YamlLoadError, OSError):     # unreadable: planning the file itself says why
        return {}
    return data if isinstance(data, dict) else {}


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


def _unit_file_data(unit_file: Path, root: Path, wanted: dict, planned: dict[Path, dict], plan: _Plan) -> dict:
    """Return what this folder's unit.yaml must say so that, merged with those above, the unit is *wanted*.

    Nested unit files merge top-down, the deeper one winning (DEFINITION-FORMAT):
    only values that differ from what the folders above already give are written here.
    """
    inherited: dict = {}
    for above in reversed(unit_file.parent.parents):
        if not fsutil.inside(above, root):
            continue
        if (above / reader.UNIT_FILE) in planned:
            inherited.update(planned[above / reader.UNIT_FILE])
        elif (above / reader.UNIT_FILE).is_file():
            inherited.update(_own_data(above / reader.UNIT_FILE, root, plan))
    own = _own_data(unit_file, root, plan) if unit_file.exists() else {}
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


# --- writing all or nothing ----------------------------------------------------------------

def _commit(files: list[_File]) -> None:
    """Write every file or none: stage each beside its target, then rename all; on failure undo what was done."""
    made: list[Path] = []
    staged: list[tuple[Path, _File]] = []
    done: list[_File] = []
    current = None
    try:
        for current in files:
            made += _make_folders(current.target.parent)
            staged.append((_stage(current), current))
        for tmp, current in staged:
            os.replace(tmp, current.target)
            done.append(current)
    except OSError as exc:
        _undo(done, [tmp for tmp, file in staged if file not in done], made)
        raise fsutil.write_error(exc, current.path) from None


def _make_folders(folder: Path) -> list[Path]:
    """Create *folder* and the folders above it that are missing; return those created, top first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    if not folder.is_dir():
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    made = []
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
    return made


def _stage(file: _File) -> Path:
    """Write *file*'s bytes and mode to a new staging file beside its target; return the staging file."""
    fd, name = tempfile.mkstemp(dir=file.target.parent, prefix=f".{file.target.name}.", suffix=fsutil.STAGING_SUFFIX)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(file.data)
            handle.flush()
            os.fchmod(handle.fileno(), file.mode)
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _undo(done: list[_File], staged: list[Path], made: list[Path]) -> None:
    """Put back what a failed import changed: old contents, no staging files, no new folders."""
    for tmp in staged:
        with contextlib.suppress(OSError):
            tmp.unlink()
    for file in reversed(done):
        with contextlib.suppress(OSError):
            if file.old is None:
                file.target.unlink()
            else:
                fsutil.write_atomic(file.target, file.old, file.mode)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


# --- telling what happened ------------------------------------------------------------------

def _show_changes(plan: _Plan, prefix: str) -> None:
    for path, lines in plan.changed.items():
        if lines:
            click.echo(f"{display_path(path)} {prefix}:")
            for line in lines:
                click.echo(f"  - {line}")


def _show_written(plan: _Plan) -> None:
    for entry in plan.entries:
        if entry.old is None:
            click.echo(f"{display_path(entry.path)}: baru")
        elif entry.new is None:
            click.echo(f"{display_path(entry.path)}: tidak berubah")
        else:
            click.echo(f"{display_path(entry.path)}: diubah (versi lama: {display_path(backup_path(entry.path))})")
            for line in plan.changed.get(entry.path, []):
                click.echo(f"  - {line}")
