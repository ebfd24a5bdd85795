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
