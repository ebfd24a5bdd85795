"""sopdoc excel: write each unit's SOPs as one workbook (or a blank workbook to fill in)."""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.authoring import scaffold
from sopdoc.commands.terminal import Terminal
from sopdoc.definition import names, reader
from sopdoc.definition.model import Sop, Unit
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import writer
from sopdoc.excel.opening import MAX_FILE_BYTES
from sopdoc.fsutil import ReadRefused, read_regular, write_atomic

SUFFIX = ".xlsx"


def run(paths: list[Path], out: Path, blank: str | None, replace: bool = False) -> None:
    """Write one workbook per unit under *paths* into *out* (a folder, or one .xlsx for one unit).

    A workbook already there may have been filled in since: it is kept, and
    not written, unless *replace* says so (then the old one is kept as .bak).
    """
    if blank is not None:
        unit, sops = _example(blank)
        if not _write(_target(out, unit, single=True), unit, sops, replace):
            raise SopdocError("Buku kerja tidak ditulis.")
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
    kept = [target for (unit, sops), target in zip(units.values(), targets)
            if not _write(target, unit, writer.ordered(sops), replace)]
    click.echo(f"{len(units) - len(kept)} buku kerja ditulis, {len(kept)} tidak ditimpa, {len(result.failed)} SOP "
               "gagal dibaca." if kept else f"{len(units)} buku kerja ditulis, {len(result.failed)} SOP gagal dibaca.")
    if result.failed or kept:
        reasons = [f"{len(result.failed)} SOP tidak masuk buku kerja karena galat di atas"] if result.failed else []
        reasons += [f"{len(kept)} buku kerja yang sudah ada tidak ditimpa"] if kept else []
        raise SopdocError("; ".join(reasons) + ".")


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
    return out / writer.workbook_name(unit)


def _write(path: Path, unit: Unit, sops: list[Sop], replace: bool) -> bool:
    """Write the workbook of *unit* at *path*; return False when one is there and *replace* is not given."""
    if not os.path.lexists(path):
        write_atomic(path, writer.unit_workbook(unit, sops))   # its WriteError says what went wrong, in Indonesian
    elif not replace:
        click.echo(f"{display_path(path)} sudah ada dan tidak ditimpa: mungkin sudah diisi. Impor dulu isinya "
                   "dengan sopdoc import, pindahkan berkas itu, atau jalankan lagi dengan --timpa (buku kerja lama "
                   f"disimpan sebagai {fsutil.backup_path(path).name}).", err=True)
        return False
    else:
        old, mode = _old(path)
        # The old workbook becomes the newest numbered backup, the older ones move back: all or nothing.
        fsutil.write_all([*fsutil.backups(path, path, old, mode),
                          fsutil.Change(path, path, writer.unit_workbook(unit, sops), mode)])
    click.echo(f"{display_path(path)}: {len(sops)} SOP, unit {unit.unit}")
    return True


def _old(path: Path) -> tuple[bytes, int]:
    """Return the bytes and mode of the workbook at *path*, about to be replaced."""
    try:
        old = read_regular(path, MAX_FILE_BYTES, "pindahkan berkas itu, lalu jalankan lagi")
    except ReadRefused as exc:
        raise SopdocError(f"{display_path(path)} tidak ditimpa: {exc.message}") from None
    return old, stat.S_IMODE(os.stat(path).st_mode)


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
