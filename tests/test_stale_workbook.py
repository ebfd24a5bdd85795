# ruff: noqa: F811 - the fixtures of test_studio_http are parameters here
"""A workbook made before its SOP file was edited: importing it would undo that edit, so the import says so
(CLI and studio) and writes only when told to overwrite; a workbook imported twice raises no false alarm."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS
from openpyxl import load_workbook
from test_studio_http import MONEV, TOKEN, client, root  # noqa: F401

from sopdoc.cli import main
from sopdoc.definition import reader

SHEET = "Mekanisme Monitoring dan Evalua"      # the sheet of monitoring-evaluasi-kinerja
EDITED = datetime.datetime(2026, 12, 7, 10, 15)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def defs(tmp_path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return target


def _workbook(defs: Path, tmp_path: Path) -> Path:
    book = tmp_path / "diskominfo.xlsx"
    assert run("excel", defs / "kab-way-kanan" / "diskominfo", "--out", book).exit_code == 0
    return book


def _edit_cell(book: Path, label: str, value: str) -> None:
    """Set the value beside *label* on the SOP's sheet, as a person would in Excel."""
    workbook = load_workbook(book)
    sheet = workbook[SHEET]
    (row,) = [r for r in range(1, 30) if sheet.cell(row=r, column=1).value == label]
    sheet.cell(row=row, column=2).value = value
    workbook.save(book)


def _edit_file(path: Path, old: str, new: str) -> None:
    """Edit the definition after the workbook was made, at a known time."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, (EDITED.timestamp(), EDITED.timestamp()))


def _warning(path: str, words: str) -> str:
    return (f"PERINGATAN: buku kerja ini dibuat sebelum berkas {path} diubah pada 7 Desember 2026 pukul 10.15; impor "
            f"akan membatalkan perubahan itu ({words}). Timpa hanya bila memang itu yang Anda inginkan; bila tidak, "
            "buat buku kerja baru dari definisi sekarang dan isi lagi perubahan Anda di sana.")


def test_an_older_workbook_is_named_before_it_undoes_a_later_edit_and_writes_only_with_timpa(defs, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    path = defs / f"{MONEV}.yaml"
    _edit_file(path, "waktu: 2 Jam", "waktu: 3 Jam")                  # a later edit of the file
    _edit_file(path, "nama: Mekanisme Monitoring dan Evaluasi Kinerja", "nama: Monitoring Kinerja Triwulanan")
    _edit_cell(book, "Nomor SOP", "830/ 7 /IV.16-WK/2021")             # the edit made in the workbook
    before = path.read_bytes()
    asked = run("import", book, "--to", "definitions")
    assert asked.exit_code == 3
    warning = _warning(f"definitions/{MONEV}.yaml", "Nama SOP, tabel kegiatan")
    assert asked.stderr.splitlines()[0] == warning
    assert "menjadi \"830/ 7 /IV.16-WK/2021\"" in asked.output
    assert path.read_bytes() == before                                 # nothing written
    done = run("import", book, "--to", "definitions", "--timpa")
    assert done.exit_code == 0, done.output
    assert warning in done.stderr
    (sop,) = reader.read([path]).sops
    assert (sop.nomor, sop.nama) == ("830/ 7 /IV.16-WK/2021", "Mekanisme Monitoring dan Evaluasi Kinerja")


def test_a_workbook_imported_again_after_more_edits_raises_no_alarm(defs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    _edit_cell(book, "Nomor SOP", "830/ 7 /IV.16-WK/2021")
    first = run("import", book, "--to", "definitions", "--timpa")
    assert first.exit_code == 0, first.output
    _edit_cell(book, "Nama SOP", "Monitoring Kinerja Triwulanan")
    again = run("import", book, "--to", "definitions")
    assert again.exit_code == 3
    assert "PERINGATAN" not in again.output and "membatalkan" not in again.output
    assert "Nama SOP: \"Mekanisme Monitoring dan Evaluasi Kinerja\" menjadi \"Monitoring Kinerja Triwulanan\"" in again.output


def test_the_record_is_a_very_hidden_sheet_and_an_untouched_workbook_imports_unchanged(defs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    workbook = load_workbook(book)
    assert workbook["sopdoc-sumber"].sheet_state == "veryHidden"
    assert [row[0].value for row in workbook["sopdoc-sumber"].iter_rows(min_row=2)] == [
        "unit.yaml", "monitoring-evaluasi-kinerja.yaml", "pengumpulan-data-kinerja.yaml"]
    result = run("import", book, "--to", "definitions")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""                              # the hidden sheet is neither skipped aloud nor an SOP
    assert f"definitions/{MONEV}.yaml: tidak berubah" in result.output


def test_a_workbook_without_the_record_imports_as_before(defs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    workbook = load_workbook(book)
    del workbook["sopdoc-sumber"]
    workbook.save(book)
    _edit_file(defs / f"{MONEV}.yaml", "waktu: 2 Jam", "waktu: 3 Jam")
    result = run("import", book, "--to", "definitions")
    assert result.exit_code == 3 and "PERINGATAN" not in result.output
    assert "akan berubah" in result.output


def test_the_studio_import_shows_the_warning_before_timpa(client, root, tmp_path):  # noqa: F811
    book = tmp_path / "sop-kab-way-kanan-diskominfo.xlsx"
    book.write_bytes(client.get("/unit/kab-way-kanan/diskominfo/excel").content)
    _edit_file(root / f"{MONEV}.yaml", "waktu: 2 Jam", "waktu: 3 Jam")
    _edit_cell(book, "Nomor SOP", "830/ 7 /IV.16-WK/2021")
    before = (root / f"{MONEV}.yaml").read_bytes()
    asked = client.post("/impor", content=book.read_bytes(),
                        headers={"X-Sopdoc-Token": TOKEN, "X-Sopdoc-Berkas": book.name}).json()
    warning = _warning(f"{MONEV}.yaml", "tabel kegiatan")
    assert asked["berhasil"] is False and asked["menunggu"] is True
    assert [line.replace(f"{root}/", "") for line in asked["lama"]] == [warning]
    assert any(line.replace(f"{root}/", "") == warning for line in asked["baris"])
    assert (root / f"{MONEV}.yaml").read_bytes() == before


def test_an_older_workbook_that_would_undo_an_edit_of_the_unit_file_says_so(defs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    unit_file = defs / "kab-way-kanan" / "diskominfo" / "unit.yaml"
    _edit_file(unit_file, "sub_unit: Kepala Sub Bagian Perencanaan dan Keuangan", "sub_unit: Sub Bagian Keuangan")
    text = unit_file.read_text(encoding="utf-8")
    asked = run("import", book, "--to", "definitions")
    assert asked.exit_code == 3
    assert asked.stderr.splitlines()[0] == _warning("definitions/kab-way-kanan/diskominfo/unit.yaml", "Sub unit")
    assert unit_file.read_text(encoding="utf-8") == text        # the later edit is still there


@pytest.mark.parametrize("record", ["[" * 30000, '{"nama": ', "42"])
def test_a_record_that_is_not_what_sopdoc_wrote_is_ignored(defs, tmp_path, monkeypatch, record):
    monkeypatch.chdir(tmp_path)
    book = _workbook(defs, tmp_path)
    workbook = load_workbook(book)
    workbook["sopdoc-sumber"]["B3"] = record
    workbook.save(book)
    _edit_file(defs / f"{MONEV}.yaml", "waktu: 2 Jam", "waktu: 3 Jam")
    result = run("import", book, "--to", "definitions")
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit), result.exception   # no traceback
    assert "PERINGATAN" not in result.output and "akan berubah" in result.output
