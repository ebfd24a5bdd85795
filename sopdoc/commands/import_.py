"""sopdoc import: turn workbooks into definition folders, changing only what changed.

Each workbook is read and checked whole before anything is written. A workbook
with errors, or one that would overwrite an existing SOP without ``--timpa``,
writes nothing; so does one whose files cannot all be written (fsutil.write_all
puts the tree back as it was). The next workbook is still imported, and a count
ends the run. A workbook whose writing a kill cut short is reported, and its
staging files removed, by the next import into the same folder.
"""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import imports


def run(files: list[Path], root: Path, overwrite: bool) -> None:
    """Import every workbook in *files* into the definitions folder *root*."""
    _report_interrupted(root)
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


def _report_interrupted(root: Path) -> None:
    """Tell what an import into *root* that was killed while it wrote had written (its staging files are gone)."""
    for found in fsutil.interrupted(root):
        if not found.written:
            click.echo(f"Impor {found.label} sebelumnya terhenti sebelum berkasnya ditulis; tidak ada yang berubah, "
                       "dan berkas sementaranya sudah dihapus.", err=True)
        elif len(found.written) < len(found.files):
            click.echo(f"Impor {found.label} sebelumnya terhenti di tengah penulisan: {len(found.written)} dari "
                       f"{len(found.files)} berkasnya sudah ditulis, sisanya belum (berkas sementaranya sudah "
                       "dihapus):", err=True)
            for path in found.files:
                click.echo(f"  - {display_path(path)}: {'sudah' if path in found.written else 'belum'}", err=True)
            click.echo(f"Impor lagi {found.label} agar semua berkasnya tertulis.", err=True)


def _import_one(path: Path, root: Path, overwrite: bool, written: dict[Path, Path]) -> bool:
    outcome = imports.import_workbook(path, root, overwrite, written)
    for text, err in outcome.said:
        click.echo(text, err=err)
    return outcome.ok
