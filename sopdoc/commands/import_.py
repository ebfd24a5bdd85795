"""sopdoc import: turn workbooks into definition folders, changing only what changed.

Each workbook is read and checked whole before anything is written. A workbook
with errors, or one that would overwrite an existing SOP without ``--timpa``,
writes nothing; the next workbook is still imported, and a count ends the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from sopdoc.definition import reader, yamlsafe, yamlwrite
from sopdoc.definition.datadiff import same
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import importer

_UNIT_KEYS = ("pemerintah", "unit", "sub_unit", "alamat", "kertas", "orientasi", "disahkan_oleh", "tahun")


@dataclass
class _Plan:
    """What importing one workbook writes: (path, data, kind) per file, and what changes."""

    folder: Path
    writes: list[tuple[Path, dict, str]] = field(default_factory=list)
    changed: dict[Path, list[str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)


def run(files: list[Path], root: Path, overwrite: bool) -> None:
    """Import every workbook in *files* into the definitions folder *root*."""
    done, failed = 0, 0
    for path in files:
        if _import_one(path, root, overwrite):
            done += 1
        else:
            failed += 1
    click.echo(f"{done} buku kerja diimpor, {failed} gagal.")
    if failed:
        raise SopdocError(f"{failed} buku kerja tidak diimpor karena masalah di atas; tidak ada berkasnya yang ditulis.")


def _import_one(path: Path, root: Path, overwrite: bool) -> bool:
    imported = importer.read_workbook(path)
    for problem in imported.problems:
        click.echo(str(problem), err=True)
    if imported.errors:
        click.echo(f"{display_path(path)}: {len(imported.errors)} galat; tidak ada berkas yang ditulis.", err=True)
        return False
    plan = _plan(imported, root)
    for message in plan.refused:
        click.echo(message, err=True)
    if plan.refused:
        return False
    if any(plan.changed.values()) and not overwrite:
        _show_changes(plan, prefix="akan berubah")
        click.echo(f"{display_path(path)}: SOP yang sudah ada akan berubah; tidak ada berkas yang ditulis. "
                   "Jalankan lagi dengan --timpa untuk menimpanya (versi lama disimpan sebagai .bak).", err=True)
        return False
    _write(plan)
    return True


def _plan(imported: importer.Imported, root: Path) -> _Plan:
    """Decide every file to write, refusing any path outside *root*."""
    folder = root / imported.folder
    plan = _Plan(folder)
    if not folder.resolve().is_relative_to(root.resolve()):
        plan.refused.append(f"{display_path(imported.path)}: folder unit '{imported.folder}' berada di luar "
                            f"{display_path(root)}; tidak ada berkas yang ditulis.")
        return plan
    planned = _government_files(folder, root, imported.unit)
    plan.writes.extend((path, data, yamlwrite.UNIT) for path, data in planned.items())
    unit_file = folder / reader.UNIT_FILE
    unit_data = _unit_file_data(unit_file, root, imported.unit, planned)
    plan.writes.append((unit_file, unit_data, yamlwrite.UNIT))
    if unit_file.exists():
        plan.changed[unit_file] = yamlwrite.changes(_own_data(unit_file), unit_data)
    for slug, data in imported.sops.items():
        target = folder / f"{slug}.yaml"
        plan.writes.append((target, data, yamlwrite.SOP))
        if target.exists():
            plan.changed[target] = _sop_changes(target, data, plan)
    return plan


def _sop_changes(target: Path, data: dict, plan: _Plan) -> list[str]:
    old = reader.read([target])
    if old.errors or not old.sops:
        plan.refused.append(f"{display_path(target)} sudah ada tetapi memuat galat; perbaiki atau pindahkan berkas "
                            "itu dulu, lalu impor lagi.")
        return []
    return yamlwrite.changes(yamlwrite.sop_data(old.sops[0]), data)


def _own_data(path: Path) -> dict:
    try:
        data = yamlsafe.load(path).data
    except yamlsafe.YamlLoadError:
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
        if not unit_file.exists():
            files[unit_file] = {"pemerintah": wanted.get("pemerintah")}
    return files


def _unit_file_data(unit_file: Path, root: Path, wanted: dict, planned: dict[Path, dict]) -> dict:
    """Return what this folder's unit.yaml must say so that, merged with those above, the unit is *wanted*.

    Nested unit files merge top-down, the deeper one winning (DEFINITION-FORMAT):
    only values that differ from what the folders above already give are written here.
    """
    inherited: dict = {}
    for above in reversed(unit_file.parent.parents):
        if not above.resolve().is_relative_to(root.resolve()):
            continue
        if (above / reader.UNIT_FILE) in planned:
            inherited.update(planned[above / reader.UNIT_FILE])
        elif (above / reader.UNIT_FILE).is_file():
            inherited.update(_own_data(above / reader.UNIT_FILE))
    own = _own_data(unit_file) if unit_file.exists() else {}
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


def _show_changes(plan: _Plan, prefix: str) -> None:
    for path, lines in plan.changed.items():
        if lines:
            click.echo(f"{display_path(path)} {prefix}:")
            for line in lines:
                click.echo(f"  - {line}")


def _write(plan: _Plan) -> None:
    for path, data, kind in plan.writes:
        existed = path.exists()
        try:
            yamlwrite.save(path, data, kind)
        except OSError as exc:
            raise SopdocError(f"{display_path(path)} tidak dapat ditulis: {exc.strerror}") from None
        lines = plan.changed.get(path, [])
        if not existed:
            click.echo(f"{display_path(path)}: baru")
        elif lines:
            click.echo(f"{display_path(path)}: diubah (versi lama: {display_path(yamlwrite.backup_path(path))})")
            for line in lines:
                click.echo(f"  - {line}")
        else:
            click.echo(f"{display_path(path)}: tidak berubah")
