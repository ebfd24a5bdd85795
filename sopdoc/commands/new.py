"""sopdoc new: start a new SOP file (and its unit.yaml when the unit is new)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from sopdoc.authoring import scaffold, yamlwrite
from sopdoc.definition import names, placeholders
from sopdoc.definition.tree import UNIT_FILE, chain
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import write_atomic


def run(root: Path, name: str) -> None:
    """Create ROOT/UNIT/SLUG.yaml from the scaffold."""
    parts = name.strip("/").split("/")
    if len(parts) < 2 or not all(names.SLUG.match(p) for p in parts):
        raise SopdocError(
            f"'{name}' tidak sah: tulis UNIT/NAMA-SOP dengan huruf kecil, angka dan tanda '-', "
            "misalnya  sopdoc new diskominfo/surat-masuk"
        )
    for part, what in zip(parts, ["folder"] * (len(parts) - 1) + ["berkas"]):
        if problem := names.name_problem(part, what):
            shown = name if len(name) <= 60 else name[:60] + "..."
            # A name too long is usually a title typed as a file name; a device name is not.
            title = "" if names.device_name(part) else " (judul lengkap SOP ditulis di kunci nama)"
            raise SopdocError(f"'{shown}' tidak sah: {problem}{title}")
    if root.exists() and not root.is_dir():
        raise SopdocError(f"--root {display_path(root)} adalah berkas, bukan folder definisi; tulis jalur ke folder "
                          "definisi SOP (bawaan: definitions)")
    parts = _below_root(root, parts)
    unit_dir = root.joinpath(*parts[:-1])
    sop_file = unit_dir / f"{parts[-1]}.yaml"
    if sop_file.exists():
        raise SopdocError(f"{sop_file} sudah ada; pilih nama lain atau sunting berkas itu.")
    unit_file = unit_dir / UNIT_FILE
    if not unit_file.exists():
        title = placeholders.unit_guess(parts[-2])
        write_atomic(unit_file, yamlwrite.new_unit_text(title, nested=len(chain(unit_dir)) > 1))
        click.echo(f"Dibuat: {unit_file} (isi data unit Anda)")
    title = parts[-1].replace("-", " ").capitalize()
    write_atomic(sop_file, scaffold.sop_text(title, str(sop_file), datetime.date.today()))
    click.echo(f"Dibuat: {sop_file} (berstatus draf: tidak masuk buku dan ekspor sampai statusnya berlaku)")
    click.echo(f"Sunting berkas itu, lalu periksa dengan: sopdoc validate --strict {sop_file}")


def _below_root(root: Path, parts: list[str]) -> list[str]:
    """Return the UNIT/NAMA-SOP parts of *parts* below *root*, refusing a name that starts with another folder.

    A user often names the SOP from where they stand (``definitions/dinkes/surat``): the root's own name is
    then dropped. A first part that is a folder here but not in the root (``defs/dinkes/surat`` beside a
    ``definitions`` root) would start a second tree inside the root, which no book or export of ``defs`` reads.
    """
    here = Path(parts[0])
    if len(parts) > 2 and here.is_dir() and here.resolve() == root.resolve():
        return parts[1:]
    if root.is_dir() and here.is_dir() and not (root / parts[0]).exists() and here.resolve() != root.resolve():
        rest = "/".join(parts[1:])
        raise SopdocError(f"'{parts[0]}' adalah folder di sini, bukan unit di folder definisi {display_path(root)}; "
                          f"SOP baru ditulis di bawah folder definisi. Tulis  sopdoc new --root {parts[0]} {rest}  "
                          f"untuk menulisnya di {parts[0]}, atau pilih nama unit lain.")
    return parts

