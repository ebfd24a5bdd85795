"""sopdoc import: turn workbooks into definition folders, changing only what changed.

Each workbook is read and checked whole before anything is written. A workbook
with errors, or one that would overwrite an existing SOP without ``--timpa``,
writes nothing; so does one whose files cannot all be written (fsutil.write_all
puts the tree back as it was). The next workbook is still imported, and a count
ends the run. A workbook whose writing a kill cut short is reported, and its
staging files removed, by the next import into the same folder.

Without ``--timpa`` a workbook that would change existing SOPs is a preview: its
changes are printed and nothing of it is written. The exit code tells a script
which it was: 0 every workbook imported (or nothing to change), 1 a workbook
failed (this wins), PREVIEW_EXIT a preview left changes unwritten.
"""

from __future__ import annotations

from pathlib import Path

import click

from sopdoc import fsutil
from sopdoc.errors import SopdocError, display_path
from sopdoc.excel import imports

# Neither success (0), failure (1) nor click's usage error (2): a preview whose changes are not written yet.
PREVIEW_EXIT = 3


def run(files: list[Path], root: Path, overwrite: bool) -> None:
    """Import every workbook in *files* into the definitions folder *root*."""
    _report_interrupted(root)
    done, failed, previews = 0, 0, []
    written: dict[Path, Path] = {}      # file written in this run -> the workbook it came from
    for path in files:
        try:
            outcome = _import_one(path, root, overwrite, written)
        except SopdocError as exc:
            click.echo(f"{exc.message}; tidak ada berkas dari {display_path(path)} yang ditulis.", err=True)
            outcome = imports.Outcome()
        if outcome.waiting:
            previews.append(outcome)
        else:
            done, failed = done + outcome.ok, failed + (not outcome.ok)
    if done or failed or not previews:
        click.echo(f"{done} buku kerja diimpor, {failed} gagal.")
    if previews:
        click.echo(_preview_line(previews, alone=not (done or failed)))
    if failed:
        raise SopdocError(f"{failed} buku kerja tidak diimpor karena masalah di atas; tidak ada berkasnya yang ditulis.")
    if previews:
        raise click.exceptions.Exit(PREVIEW_EXIT)


def _preview_line(previews: list[imports.Outcome], alone: bool) -> str:
    """Say what the workbooks held back for --timpa would write, in one line."""
    changing, making = sum(o.changing for o in previews), sum(o.making for o in previews)
    files = f"mengubah {changing} berkas" + (f" dan membuat {making} berkas baru" if making else "")
    written = "tidak ada yang ditulis" if alone else "berkasnya belum ditulis"
    return (f"Pratinjau: {len(previews)} buku kerja akan {files}; {written}. "
            "Jalankan lagi dengan --timpa untuk menulisnya.")


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


def _import_one(path: Path, root: Path, overwrite: bool, written: dict[Path, Path]) -> imports.Outcome:
    outcome = imports.import_workbook(path, root, overwrite, written)
    for text, err in outcome.said:
        click.echo(text, err=err)
    return outcome
