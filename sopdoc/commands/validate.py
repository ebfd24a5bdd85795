"""sopdoc validate: check definitions and report every problem."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc.commands.terminal import Terminal
from sopdoc.definition import reader
from sopdoc.errors import SopdocError


def run(paths: list[Path], strict: bool, table: bool) -> reader.Result:
    """Validate *paths*; raise :class:`SopdocError` when an error (or, strict, a warning) is found."""
    for path in paths:
        if not path.exists():
            raise SopdocError(f"Folder atau berkas '{path}' tidak ada; tulis jalur ke folder definisi SOP.")
    result = reader.read(paths)
    Terminal().problems(result.problems)
    if table and result.sops:
        click.echo(summary_table(result))
    checked = len(result.sops) + len(result.failed)
    errors, warnings = len(result.errors), len(result.warnings)
    click.echo(f"{checked} SOP diperiksa: {len(result.sops)} sah, {len(result.failed)} bermasalah; "
               f"{errors} galat, {warnings} peringatan.")
    if checked == 0 and not result.problems:
        raise SopdocError("Tidak ada definisi SOP (*.yaml) di jalur yang diberikan.")
    if errors:
        raise SopdocError("Dibatalkan: perbaiki galat di atas, lalu jalankan lagi.")
    if strict and warnings:
        raise SopdocError("Dibatalkan: ada peringatan dan --strict dipakai.")
    return result


def summary_table(result: reader.Result) -> str:
    """Return a text table with one line per valid SOP: its unit (its folder below the definitions), status, size."""
    header = ("Unit", "SOP", "Status", "Baris", "Pelaksana", "Total waktu")
    rows = [
        (sop.unit.key, sop.slug, sop.status, str(len(sop.kegiatan)), str(len(sop.pelaksana)), sop.total_waktu()[0])
        for sop in result.sops
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
