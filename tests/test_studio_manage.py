# ruff: noqa: F811 - the fixtures of test_studio_http are parameters here
"""The studio's token kept per definitions folder, and managing SOP files from the studio (issue 20)."""

from __future__ import annotations

import base64
import io
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pyhanko.pdf_utils.reader import PdfFileReader
from starlette.testclient import TestClient
from test_sign import PASSWORD, SIGNER, certificate_file

from sopdoc import fsutil
from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.excel import importer
from sopdoc.studio.guard import folder_token


def test_the_token_of_a_folder_is_the_same_on_every_start_and_private(tmp_path):
    state, root = tmp_path / "state", tmp_path / "definitions"
    root.mkdir()
    first = folder_token(root, state)
    assert folder_token(root, state) == first
    (kept,) = (state / "studio-token").iterdir()
    assert kept.read_text() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE((state / "studio-token").stat().st_mode) == 0o700
    other = tmp_path / "lain"
    other.mkdir()
    assert folder_token(other, state) != first      # another folder, another token


def test_a_token_file_others_could_read_is_not_trusted(tmp_path):
    state, root = tmp_path / "state", tmp_path / "definitions"
    root.mkdir()
    first = folder_token(root, state)
    (kept,) = (state / "studio-token").iterdir()
    os.chmod(kept, 0o644)
    second = folder_token(root, state)
    assert second != first
    assert kept.read_text() == second and stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_token_file_that_is_a_link_or_malformed_is_replaced(tmp_path):
    state, root = tmp_path / "state", tmp_path / "definitions"
    root.mkdir()
    first = folder_token(root, state)
    (kept,) = (state / "studio-token").iterdir()
    planted = tmp_path / "ditanam"
    planted.write_text("A" * 32)
    os.chmod(planted, 0o600)
    kept.unlink()
    kept.symlink_to(planted)
    assert folder_token(root, state) not in (first, "A" * 32)
    kept.write_text("pendek")
    assert len(folder_token(root, state)) == 32


# --- managing SOP files over HTTP ---------------------------------------------------------------

# The studio, its tree and its requests as test_studio_http.py makes them.
from test_studio_http import MONEV, TOKEN, client, post, root  # noqa: E402, F401


def test_a_deleted_sop_goes_to_the_trash_is_not_read_and_comes_back(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_bytes()
    reply = post(client, f"/sop/{MONEV}/hapus", {})
    assert reply.status_code == 200
    assert reply.json()["pesan"] == ("monitoring-evaluasi-kinerja.yaml dipindahkan ke Sampah (.sampah di folder "
                                     "definisi); pulihkan dari halaman Sampah bila perlu.")
    assert not path.exists()
    (kept,) = (root / ".sampah").rglob("*.yaml")
    assert kept.read_bytes() == text and kept.relative_to(root / ".sampah").parts[1:] == Path(f"{MONEV}.yaml").parts
    # Not read: neither validate nor the list sees it, and the list links to the trash.
    assert path not in {s.source for s in reader.read([root]).sops}
    assert all(sop.source.parts[-4:] != kept.parts[-4:] for sop in reader.read([root]).sops)
    listing = client.get("/").text
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" not in listing and f"/{TOKEN}/sampah" in listing
    trash = client.get("/sampah").text
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" in trash and f"<code>{MONEV}.yaml</code>" in trash
    key = kept.relative_to(root / ".sampah").with_suffix("").as_posix()
    back = post(client, "/sampah/pulihkan", {"kunci": key})
    assert back.json() == {"alamat": f"/{TOKEN}/sop/{MONEV}", "pesan": "monitoring-evaluasi-kinerja.yaml dipulihkan."}
    assert path.read_bytes() == text
    assert list((root / ".sampah").iterdir()) == []


def test_a_restore_never_overwrites_and_never_leaves_the_trash(client, root):
    path = root / f"{MONEV}.yaml"
    post(client, f"/sop/{MONEV}/hapus", {})
    (kept,) = (root / ".sampah").rglob("*.yaml")
    key = kept.relative_to(root / ".sampah").with_suffix("").as_posix()
    path.write_text("nama: SOP lain di tempat yang sama\n", encoding="utf-8")
    refused = post(client, "/sampah/pulihkan", {"kunci": key})
    assert refused.status_code == 400
    assert refused.json()["galat"].startswith("berkas: ") and "sudah ada; ganti dulu nama berkas SOP itu" in \
        refused.json()["galat"]
    assert path.read_text(encoding="utf-8") == "nama: SOP lain di tempat yang sama\n" and kept.is_file()
    for hostile in ("../../luar", f"{key.split('/')[0]}/../../{MONEV}", "20240101-000000/../x", ".sampah/x", ""):
        assert post(client, "/sampah/pulihkan", {"kunci": hostile}).status_code == 404, hostile
    assert post(client, "/sop/.sampah/x/hapus", {}).status_code == 404


SETDA = "kab-pesisir-selatan/setda"


def _units_listed(client) -> dict[str, str]:
    """Return each unit section of the list page by the unit key it shows."""
    sections = client.get("/").text.split('<section class="unit">')[1:]
    return {section.split("<code>", 1)[1].split("</code>", 1)[0]: section for section in sections}


def _settle(root: Path) -> None:
    """Date every file a minute back, each a different time, so the list trusts its time stamps (its cache)."""
    when = time.time() - 60
    for number, path in enumerate(sorted(root.rglob("*.yaml"))):
        os.utime(path, (when + number, when + number))


def test_a_unit_whose_sops_were_all_deleted_stays_listed_with_its_new_sop_action(client, root):
    _settle(root)
    assert SETDA in _units_listed(client)
    assert post(client, f"/sop/{SETDA}/pemantauan-kinerja/hapus", {}).status_code == 200
    _settle(root)
    section = _units_listed(client)[SETDA]
    assert "<h2>Sekretariat Daerah Kabupaten Pesisir Selatan</h2>" in section
    assert "Pemerintah Kabupaten Pesisir Selatan &middot;" in section
    assert f'href="/{TOKEN}/baru?unit=kab-pesisir-selatan/setda">SOP baru di unit ini</a>' in section
    assert "Belum ada SOP di unit ini." in section
    # A government folder, whose unit file only names the pemerintah, is still not a unit.
    assert set(_units_listed(client)) == {"kab-balangan/diskominfo", SETDA, "kab-way-kanan/diskominfo",
                                          "prov-kalbar/dppesdm"}
    # Edits outside the studio, each seen by the next list (the list reads again only what changed).
    (kept,) = (root / ".sampah").rglob("*.yaml")
    os.replace(kept, root / SETDA / "pemantauan-kinerja.yaml")
    _settle(root)
    assert "Belum ada SOP di unit ini." not in _units_listed(client)[SETDA]
    (root / SETDA / "pemantauan-kinerja.yaml").unlink()
    _settle(root)
    assert "Belum ada SOP di unit ini." in _units_listed(client)[SETDA]
    unit_file = root / SETDA / "unit.yaml"
    unit_file.write_text(unit_file.read_text().replace("unit: Sekretariat Daerah", "unit: Sekretariat Dewan"))
    _settle(root)
    assert "<h2>Sekretariat Dewan Kabupaten Pesisir Selatan</h2>" in _units_listed(client)[SETDA]
    (root / "kab-balangan/bappeda").mkdir()
    (root / "kab-balangan/bappeda/unit.yaml").write_text("unit: Bappeda\n")
    _settle(root)
    assert "<h2>Bappeda</h2>" in _units_listed(client)["kab-balangan/bappeda"]
    # A nested unit folder whose unit file names no unit is listed with its error, so that it can be mended.
    (root / "kab-balangan/bappeda/unit.yaml").write_text("kertas: A4\n")
    _settle(root)
    assert "1 galat di unit.yaml" in _units_listed(client)["kab-balangan/bappeda"]
    # A search lists only the units with an SOP that matches.
    assert SETDA not in client.get("/", params={"cari": "monitoring"}).text


def test_a_copy_is_a_new_sop_without_the_original_s_revisions(client, root):
    source = root / "kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml"
    before = reader.read([source]).sops[0]
    reply = post(client, "/sop/kab-balangan/diskominfo/monitoring-evaluasi-internal/salin",
                 {"nama": "Monitoring Evaluasi Eksternal", "berkas": ""})
    assert reply.json()["alamat"] == f"/{TOKEN}/sop/kab-balangan/diskominfo/monitoring-evaluasi-eksternal"
    copy = reader.read([root / "kab-balangan/diskominfo/monitoring-evaluasi-eksternal.yaml"])
    assert copy.errors == []
    sop = copy.sops[0]
    assert sop.nama == "Monitoring Evaluasi Eksternal" and sop.revisi == ()
    assert [r.uraian for r in sop.kegiatan] == [r.uraian for r in before.kegiatan]
    again = post(client, "/sop/kab-balangan/diskominfo/monitoring-evaluasi-internal/salin",
                 {"nama": "Monitoring Evaluasi Eksternal", "berkas": ""})
    assert again.status_code == 400
    assert again.json()["galat"].endswith("monitoring-evaluasi-eksternal.yaml sudah ada; pilih nama berkas lain")


def test_a_renamed_sop_keeps_its_bytes_and_refuses_a_bad_or_taken_name(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_bytes()
    for bad, message in (("Monev Baru", "berkas: nama berkas 'Monev Baru' tidak sah: pakai huruf kecil, angka dan "
                                        "tanda '-'"),
                         ("../luar", "berkas: nama berkas '../luar' tidak sah: pakai huruf kecil, angka dan tanda '-'"),
                         ("pengumpulan-data-kinerja", None)):
        reply = post(client, f"/sop/{MONEV}/ganti-nama", {"berkas": bad})
        assert reply.status_code == 400
        if message:
            assert reply.json()["galat"] == message
        else:
            assert reply.json()["galat"].endswith("pengumpulan-data-kinerja.yaml sudah ada; pilih nama berkas lain")
    assert path.read_bytes() == text
    reply = post(client, f"/sop/{MONEV}/ganti-nama", {"berkas": "monev-kinerja"})
    assert reply.json()["alamat"] == f"/{TOKEN}/sop/kab-way-kanan/diskominfo/monev-kinerja"
    assert not path.exists() and (root / "kab-way-kanan/diskominfo/monev-kinerja.yaml").read_bytes() == text


def test_a_unit_is_made_from_its_name(client, root):
    assert 'value="kab-way-kanan"' in client.get("/baru").text     # a government folder to put it under
    reply = post(client, "/baru", {"unit": "", "unit_nama": "Dinas Kesehatan", "induk": "kab-way-kanan",
                                   "nama": "Rujukan Pasien", "berkas": ""})
    assert reply.json() == {"alamat": f"/{TOKEN}/sop/kab-way-kanan/dinas-kesehatan/rujukan-pasien"}
    sop = reader.read([root / "kab-way-kanan/dinas-kesehatan"]).sops[0]
    assert sop.unit.unit == "Dinas Kesehatan" and sop.unit.pemerintah == "Pemerintah Kabupaten Way Kanan"
    for nama, message in (("  ", "unit_nama: tulis nama unit, misalnya Dinas Kesehatan"),
                          ("***", "unit_nama: nama unit '***' tidak memuat huruf atau angka untuk nama foldernya")):
        refused = post(client, "/baru", {"unit": "", "unit_nama": nama, "induk": "kab-way-kanan", "nama": "X",
                                         "berkas": ""})
        assert (refused.status_code, refused.json()) == (400, {"galat": message})
    outside = post(client, "/baru", {"unit": "", "unit_nama": "Dinas Luar", "induk": "../..", "nama": "X", "berkas": ""})
    assert outside.status_code == 400 and not (root.parent.parent / "dinas-luar").exists()


def test_the_unit_s_workbook_downloads_as_sopdoc_excel_writes_it(client, root, tmp_path):
    reply = client.get("/unit/kab-way-kanan/diskominfo/excel")
    assert reply.status_code == 200
    assert reply.headers["content-disposition"] == 'attachment; filename="sop-kab-way-kanan-diskominfo.xlsx"'
    saved = tmp_path / "unduhan.xlsx"
    saved.write_bytes(reply.content)
    imported = importer.read_workbook(saved)      # the oracle: the importer reads back what the studio gave
    assert imported.errors == [] and imported.folder == "kab-way-kanan/diskominfo"
    assert sorted(imported.sops) == ["monitoring-evaluasi-kinerja", "pengumpulan-data-kinerja"]
    assert imported.sops["monitoring-evaluasi-kinerja"]["nama"] == "Mekanisme Monitoring dan Evaluasi Kinerja"
    nothing = root / "kab-way-kanan/kosong"
    nothing.mkdir()
    (nothing / "unit.yaml").write_text("unit: Kosong\n", encoding="utf-8")
    empty = client.get("/unit/kab-way-kanan/kosong/excel")
    assert empty.status_code == 400 and "belum punya SOP yang sah untuk ditulis ke Excel" in empty.text


def _upload(client: TestClient, path: Path, replace: bool = False):
    return client.post("/impor" + ("?timpa=1" if replace else ""), content=path.read_bytes(),
                       headers={"X-Sopdoc-Token": TOKEN, "X-Sopdoc-Berkas": path.name})


def test_a_workbook_imported_in_the_studio_asks_before_changing_an_sop_and_keeps_a_backup(client, root, tmp_path):
    book = tmp_path / "sop-kab-way-kanan-diskominfo.xlsx"
    book.write_bytes(client.get("/unit/kab-way-kanan/diskominfo/excel").content)
    workbook = load_workbook(book)
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row
             if c.value == "Mekanisme Monitoring dan Evaluasi Kinerja"]
    assert len(cells) == 1
    cells[0].value = "Monitoring dan Evaluasi Kinerja Triwulanan"
    workbook.save(book)
    path = root / f"{MONEV}.yaml"
    text = path.read_bytes()
    asked = _upload(client, book).json()
    assert asked["berhasil"] is False and asked["menunggu"] is True
    assert asked["baris"][-1] == ("sop-kab-way-kanan-diskominfo.xlsx: SOP yang sudah ada akan berubah; tidak ada berkas "
                                  "yang ditulis. Tekan Timpa untuk menimpanya (versi lama disimpan sebagai .bak).")
    assert any("Monitoring dan Evaluasi Kinerja Triwulanan" in line for line in asked["baris"])
    assert path.read_bytes() == text
    done = _upload(client, book, replace=True).json()
    assert done["berhasil"] is True
    assert reader.read([path]).sops[0].nama == "Monitoring dan Evaluasi Kinerja Triwulanan"
    assert (root / f"{MONEV}.yaml.bak").read_bytes() == text
    assert not list(tmp_path.parent.glob("sopdoc-impor-*"))        # the upload is not left anywhere


def test_a_broken_workbook_shows_the_same_errors_as_sopdoc_import(client, root, tmp_path):
    book = tmp_path / "rusak.xlsx"
    book.write_bytes(client.get("/unit/kab-way-kanan/diskominfo/excel").content)
    workbook = load_workbook(book)
    unit_sheet = workbook.worksheets[0]
    for row in unit_sheet.iter_rows():
        for cell in row:
            if cell.value == "F4":
                cell.value = "B5"
    workbook.save(book)
    shown = _upload(client, book).json()
    assert shown["berhasil"] is False and shown["menunggu"] is False
    cli = CliRunner().invoke(main, ["import", str(book), "--to", str(root)])
    expected = [line.replace(f"{book.parent}{os.sep}", "") for line in cli.stderr.splitlines()
                if line and "tidak diimpor" not in line]
    assert shown["baris"] == expected and any("B5" in line for line in expected)
    # Only a plain file name is kept for the upload, inside the studio's own temporary folder.
    for hostile, kept in (("../../luar.xlsx", "luar.xlsx"), ("a\\b.xlsx", "b.xlsx"), ("con.txt", "buku-kerja.xlsx"),
                          ("..xlsx", "buku-kerja.xlsx")):
        reply = client.post("/impor", content=book.read_bytes(), headers={"X-Sopdoc-Token": TOKEN,
                                                                         "X-Sopdoc-Berkas": hostile})
        assert reply.json()["baris"][-1] == f"{kept}: 1 galat; tidak ada berkas yang ditulis.", hostile
    assert not (root.parent.parent / "luar.xlsx").exists()


# --- signing with a certificate chosen in the page -------------------------------------------------

@pytest.fixture
def p12(tmp_path: Path) -> Path:
    """A signing certificate, as test_sign issues it, outside the definitions folder."""
    return certificate_file(tmp_path)


def test_an_sop_s_pdf_is_signed_with_a_certificate_chosen_in_the_page(client, root, p12):
    sent = base64.b64encode(p12.read_bytes()).decode()
    wrong = post(client, f"/sop/{MONEV}/tandatangan", {"sertifikat": sent, "nama_sertifikat": "baik.p12",
                                                        "sandi": "salah"})
    assert wrong.status_code == 400
    assert wrong.json()["galat"].startswith("baik.p12: kata sandi salah, atau berkas ini bukan sertifikat PKCS#12")
    job = post(client, f"/sop/{MONEV}/tandatangan", {"sertifikat": sent, "nama_sertifikat": "baik.p12",
                                                      "sandi": PASSWORD}).json()
    deadline = time.monotonic() + 300
    while job["status"] in ("menunggu", "berjalan") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = client.get(f"/tugas/{job['id']}").json()
    assert (job["status"], job["berkas"]) == ("selesai", "monitoring-evaluasi-kinerja.ttd.pdf"), job
    signed = client.get(f"/tugas/{job['id']}/berkas").content
    signatures = PdfFileReader(io.BytesIO(signed)).embedded_signatures      # pyHanko reads what was signed
    assert len(signatures) == 1 and signatures[0].signer_cert.subject.native["common_name"] == SIGNER
    # Neither the certificate nor its password is kept anywhere the studio writes.
    assert not [p for p in root.rglob("*") if p.suffix in (".p12", ".pfx")]
    assert all(PASSWORD.encode() not in p.read_bytes() for p in root.rglob("*") if p.is_file())
    assert not list(Path(tempfile.gettempdir()).glob(f"{fsutil.temp_prefix('ttd')}*"))   # its copy is removed
