"""sopdoc new: start a new SOP file (and its unit.yaml when the unit is new)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import click

from sopdoc.authoring import scaffold
from sopdoc.definition.tree import UNIT_FILE
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import device_name_problem, write_atomic

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# File systems allow 255 bytes a name, and the staging file adds to it; a file name is not a title.
MAX_NAME = 100


def run(root: Path, name: str) -> None:
    """Create ROOT/UNIT/SLUG.yaml from the scaffold."""
    parts = name.strip("/").split("/")
    if len(parts) < 2 or not all(_SLUG.match(p) for p in parts):
        raise SopdocError(
            f"'{name}' tidak sah: tulis UNIT/NAMA-SOP dengan huruf kecil, angka dan tanda '-', "
            "misalnya  sopdoc new diskominfo/surat-masuk"
        )
    for part, what in zip(parts, ["folder"] * (len(parts) - 1) + ["berkas"]):
        if device := device_name_problem(part, what):
            raise SopdocError(f"'{name}' tidak sah: {device}")
    if any(len(p) > MAX_NAME for p in parts):
        raise SopdocError(f"'{name[:60]}...' terlalu panjang: nama unit dan nama SOP masing-masing paling banyak "
                          f"{MAX_NAME} karakter; pakai nama berkas yang pendek (judul lengkapnya ditulis di kunci "
                          "nama)")
    if root.exists() and not root.is_dir():
        raise SopdocError(f"--root {display_path(root)} adalah berkas, bukan folder definisi; tulis jalur ke folder "
                          "definisi SOP (bawaan: definitions)")
    unit_dir = root.joinpath(*parts[:-1])
    sop_file = unit_dir / f"{parts[-1]}.yaml"
    if sop_file.exists():
        raise SopdocError(f"{sop_file} sudah ada; pilih nama lain atau sunting berkas itu.")
    unit_file = unit_dir / UNIT_FILE
    if not unit_file.exists() and not any((p / UNIT_FILE).exists() for p in unit_dir.parents):
        title = parts[-2].replace("-", " ").title()
        write_atomic(unit_file, scaffold.unit_text(title))
        click.echo(f"Dibuat: {unit_file} (isi data unit Anda)")
    title = parts[-1].replace("-", " ").capitalize()
    write_atomic(sop_file, scaffold.sop_text(title, str(sop_file), datetime.date.today()))
    click.echo(f"Dibuat: {sop_file}")
    click.echo(f"Sunting berkas itu, lalu periksa dengan: sopdoc validate {sop_file}")
