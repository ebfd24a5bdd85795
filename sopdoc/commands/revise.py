"""sopdoc revise: record a revision in the SOP file, then optionally re-render it."""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc import fsutil, workers
from sopdoc.authoring import revise
from sopdoc.commands import render
from sopdoc.definition.model import Tanggal
from sopdoc.errors import display_path


def run(path: Path, tanggal: Tanggal, catatan: str, render_after: bool, out: Path) -> None:
    sop = revise.revise(path, tanggal, catatan)
    click.echo(f"Revisi {tanggal} ditambahkan ke {display_path(path)} "
               f"(versi sebelumnya: {display_path(fsutil.backup_path(path.resolve()))}).")
    click.echo(f"Tanggal Revisi kini: {sop.tanggal_revisi}; riwayat memuat {len(sop.revisi)} revisi.")
    if render_after:
        render.run([path], ("docx", "pdf"), out, strict=False, jobs=workers.default_jobs())
