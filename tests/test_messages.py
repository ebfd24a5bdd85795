"""Messages in the user's words: the changes an import or a save reports name fields as the document prints
them, rows by their No and pelaksana by jabatan; paths below an absolute folder the user named are shown
relative to it.

The expected lines are written out by hand from the example definitions and the printed headings
(PERMENPAN-FORMAT.md), never computed with the labels the code uses.
"""

import shutil

from click.testing import CliRunner
from conftest import DEFINITIONS
from openpyxl import load_workbook
from starlette.testclient import TestClient
from studioform import form_pairs, replaced

from sopdoc.cli import main
from sopdoc.studio.app import create_app

DATA = "kab-way-kanan/diskominfo/pengumpulan-data-kinerja.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _grid(sheet):
    """Return the header row of the flowchart grid and each label's column."""
    header = next(r for r in range(1, sheet.max_row + 1)
                  if sheet.cell(row=r, column=1).value == "No" and sheet.cell(row=r, column=2).value == "Kegiatan")
    columns = {}
    for r in (header, header + 1):
        for c in range(1, sheet.max_column + 1):
            if sheet.cell(row=r, column=c).value is not None:
                columns.setdefault(str(sheet.cell(row=r, column=c).value), c)
    return header, columns


def _row(sheet, header: int, number: int) -> int:
    return next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == number)


def test_an_import_names_the_changes_as_printed_and_paths_below_the_folder_named(tmp_path):
    out = tmp_path / "excel"
    assert run("excel", DEFINITIONS, "--out", out).exit_code == 0
    book = load_workbook(out / "sop-kab-way-kanan-diskominfo.xlsx")
    sheet = book["Mekanisme Pengumpulan Data Kine"]
    header, columns = _grid(sheet)
    third = _row(sheet, header, 3)
    sheet.cell(row=third, column=columns["Waktu"]).value = "7 Menit"
    # Row 4 moves from Staf Penyusun Evaluasi Kinerja to Kepala Seksi: the mark changes column.
    fourth = _row(sheet, header, 4)
    staf = next(c for c in range(3, columns["Kelengkapan"]) if sheet.cell(row=fourth, column=c).value)
    kasi = next(c for c in range(3, columns["Kelengkapan"]) if sheet.cell(row=third, column=c).value)
    sheet.cell(row=fourth, column=kasi).value, sheet.cell(row=fourth, column=staf).value = "✓", None
    edited = tmp_path / "sunting.xlsx"
    book.save(edited)
    copy = tmp_path / "definisi"
    shutil.copytree(DEFINITIONS, copy)

    refused = run("import", edited, "--to", copy)
    assert refused.exit_code == 3          # a preview: neither imported (0) nor failed (1)
    assert refused.output.splitlines() == [
        f"{DATA} akan berubah:",
        '  - Kegiatan 3 (Mutu Baku: Waktu): "5 Menit" menjadi "7 Menit"',
        '  - Kegiatan 4 (Pelaksana): "Staf Penyusun Evaluasi Kinerja" menjadi "Kepala Seksi"',
        f"{edited}: SOP yang sudah ada akan berubah; tidak ada berkas yang ditulis. Jalankan lagi dengan --timpa "
        "untuk menimpanya (versi lama disimpan sebagai .bak).",
        "Pratinjau: 1 buku kerja akan mengubah 1 berkas; tidak ada yang ditulis. Jalankan lagi dengan --timpa "
        "untuk menulisnya."]
    # A failed workbook beside the preview: the failure wins the exit code, and both are said.
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    mixed = run("import", broken, edited, "--to", copy)
    assert mixed.exit_code == 1
    assert mixed.stdout.splitlines()[-2:] == [
        "0 buku kerja diimpor, 1 gagal.",
        "Pratinjau: 1 buku kerja akan mengubah 1 berkas; berkasnya belum ditulis. Jalankan lagi dengan --timpa "
        "untuk menulisnya."]
    assert mixed.stderr.splitlines()[-1] == ("1 buku kerja tidak diimpor karena masalah di atas; tidak ada berkasnya "
                                             "yang ditulis.")
    assert run("import", edited, "--to", copy, "--timpa").exit_code == 0


def test_a_problem_below_an_absolute_folder_named_is_shown_relative_to_it(tmp_path, monkeypatch):
    copy = tmp_path / "definisi"
    shutil.copytree(DEFINITIONS, copy)
    path = copy / DATA
    path.write_text(path.read_text(encoding="utf-8").replace("nama: ", "nama_sop: ", 1), encoding="utf-8")
    for named, shown in ((copy, DATA), (copy / "kab-way-kanan", DATA.split("/", 1)[1])):
        result = run("validate", named)
        assert result.exit_code == 1
        assert result.output.splitlines()[:2] == [
            f"{shown}:1 nama: wajib diisi: Nama / Judul SOP.",
            f"{shown}:3 nama_sop: kunci 'nama_sop' tidak dikenal; mungkin maksud Anda 'nama'?"], result.output
    # A folder named relative to where the command runs is shown as it was named.
    monkeypatch.chdir(tmp_path)
    result = run("validate", "definisi")
    assert result.output.splitlines()[0] == f"definisi/{DATA}:1 nama: wajib diisi: Nama / Judul SOP."


def test_a_studio_save_names_its_changes_as_printed(tmp_path):
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    monev = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
    with TestClient(create_app(root, tmp_path / "out", "t"), base_url="http://127.0.0.1:8765/t") as client:
        page = client.get(f"/sop/{monev}").text
        version = page.split('data-versi="')[1].split('"')[0]
        fields = replaced(replaced(replaced(form_pairs(page), "kegiatan[2].pelaksana", "tim"),
                                   "kegiatan[2].waktu", "3 Jam"), "pelaksana.kabid", "Kepala Bidang")
        reply = client.post(f"/sop/{monev}/simpan", json={"isian": fields, "versi": version},
                            headers={"X-Sopdoc-Token": "t"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["perubahan"] == [
        'Pelaksana: "KABID, KASI DAN STAF" menjadi "Kepala Bidang"',
        'Kegiatan 2 (Pelaksana): "Sekretaris Dinas/Ketua Tim Monitoring dan Evaluasi" menjadi '
        '"Tim Monitoring dan Evaluasi"',
        'Kegiatan 2 (Mutu Baku: Waktu): "2 Jam" menjadi "3 Jam"']


def test_an_item_moved_in_a_list_is_one_line_not_a_deletion_and_an_addition():
    from sopdoc.authoring import yamlwrite

    old = {"urutan": ["surat-masuk", "surat-keluar", "arsip"], "dasar_hukum": ["UU 1", "PP 2"]}
    new = {"urutan": ["arsip", "surat-masuk", "surat-keluar"], "dasar_hukum": ["PP 2", "UU 1", "Perda 3"]}
    assert yamlwrite.changes(old, new) == [
        'Urutan SOP: butir "arsip" dipindah menjadi butir 1',
        'Dasar Hukum: butir "PP 2" dipindah menjadi butir 1',
        'Dasar Hukum: butir baru "Perda 3"']


def test_a_decision_branch_emptied_is_said_to_be_empty_not_to_go_to_the_next_row():
    """Usability pass 3, P1: a save with the Tidak target emptied said 'Tidak ke kegiatan 6'; the file had none."""
    from sopdoc.authoring import yamlwrite

    rows = [{"id": "mulai", "uraian": "Menerima", "pelaksana": "a"},
            {"uraian": "Memeriksa", "pelaksana": "a", "keputusan": {"ya": "berikutnya", "tidak": "mulai"}},
            {"uraian": "Mengarsipkan", "pelaksana": "a"}]
    emptied = [*rows[:1], {**rows[1], "keputusan": {"ya": "berikutnya"}}, *rows[2:]]
    assert yamlwrite.changes({"kegiatan": rows}, {"kegiatan": emptied}) == [
        "Kegiatan 2 (Alur): Ya ke kegiatan 3, Tidak ke kegiatan 1 menjadi Ya ke kegiatan 3, Tidak ke (belum diisi)"]
