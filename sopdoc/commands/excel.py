"""sopdoc excel: write each unit's SOPs as one workbook (or a blank workbook to fill in)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from sopdoc.authoring import scaffold
from sopdoc.commands.terminal import Terminal
from sopdoc.definition import names, reader
from sopdoc.definition.model import Sop, Unit
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import writer
from sopdoc.fsutil import write_atomic

SUFFIX = ".xlsx"


def run(paths: list[Path], out: Path, blank: str | None) -> None:
    """Write one workbook per unit under *paths* into *out* (a folder, or one .xlsx for one unit)."""
    if blank is not None:
        unit, sops = _example(blank)
        _write(_target(out, unit, single=True), unit, sops)
        return
    result = reader.read(paths)
    Terminal().problems(result.problems)
    units: dict[Path, tuple[Unit, list[Sop]]] = {}
    for sop in result.sops:
        units.setdefault(sop.unit.folder, (sop.unit, []))[1].append(sop)
    if not units:
        raise SopdocError("Tidak ada SOP yang sah untuk ditulis ke Excel; perbaiki galat di atas.")
    if out.suffix.lower() == SUFFIX and len(units) > 1:
        raise SopdocError(f"--out {out} adalah satu berkas, tetapi ada {len(units)} unit; beri nama folder, "
                          "dan setiap unit mendapat buku kerjanya sendiri.")
    targets = _targets(out, [unit for unit, _ in units.values()])
    for (unit, sops), target in zip(units.values(), targets):
        _write(target, unit, sorted(sops, key=lambda s: (s.nomor or "", s.nama)))
    click.echo(f"{len(units)} buku kerja ditulis, {len(result.failed)} SOP gagal dibaca.")
    if result.failed:
        raise SopdocError(f"{len(result.failed)} SOP tidak masuk buku kerja karena galat di atas.")


def workbook_name(unit: Unit) -> str:
    """Return the workbook's file name: sop-<unit folder path with dashes>.xlsx."""
    return f"sop-{unit.key.replace('/', '-') or unit.folder.name}{SUFFIX}"


def _targets(out: Path, units: list[Unit]) -> list[Path]:
    """Return each unit's workbook, refusing two units whose workbooks would be one file."""
    targets = [_target(out, unit, single=len(units) == 1) for unit in units]
    first: dict[str, Unit] = {}
    for unit, target in zip(units, targets):
        # Compared without case: on Windows and macOS, Sop-A.xlsx and sop-a.xlsx are one file.
        other = first.setdefault(target.name.lower(), unit)
        if other is not unit:
            raise SopdocError(f"unit {display_path(other.folder)} dan unit {display_path(unit.folder)} sama-sama akan "
                              f"ditulis ke {display_path(target)}, dan yang satu menimpa yang lain; tulis keduanya ke "
                              "--out yang berbeda, atau ganti nama salah satu folder. Tidak ada buku kerja yang ditulis.")
    return targets


def _target(out: Path, unit: Unit, single: bool) -> Path:
    if out.suffix.lower() == SUFFIX and single:
        return out
    return out / workbook_name(unit)


def _write(path: Path, unit: Unit, sops: list[Sop]) -> None:
    write_atomic(path, writer.unit_workbook(unit, sops))   # its WriteError says what went wrong, in Indonesian
    click.echo(f"{display_path(path)}: {len(sops)} SOP, unit {unit.unit}")


def _example(name: str) -> tuple[Unit, list[Sop]]:
    """Return a unit called *name* and the scaffold's example SOP, read as any definition is."""
    folder_name = names.slugify(name) or "unit"
    title = name if name != folder_name else name.replace("-", " ").title()
    result = reader.read_given(Path(folder_name), {
        reader.UNIT_FILE: scaffold.unit_text(title),
        "contoh-sop.yaml": scaffold.sop_text(scaffold.EXAMPLE_NAMA, "contoh-sop.yaml", datetime.date.today()),
    })
    if not result.sops:
        # The files were never written: name the key, not the file.
        raise SopdocError("Contoh SOP bawaan tidak terbaca: " + "; ".join(f"{p.key}: {p.message}" for p in result.errors))
    return result.sops[0].unit, result.sops
