"""Every example value the scaffold writes is recognised as one: warned about, refused by --strict, named by
an export of an SOP not in draft; and a real value that merely looks official is never taken for one."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from pdfcheck import page_texts

from sopdoc.authoring import scaffold
from sopdoc.cli import main
from sopdoc.definition import placeholders, reader

DAY = datetime.date(2026, 1, 2)


def run(*args):
    return CliRunner().invoke(main, list(args))


def _scaffolded(folder: Path, status: str = "berlaku") -> Path:
    """Write the scaffold's unit (named after its folder, as sopdoc new does) and SOP, the SOP set to *status*."""
    folder.mkdir(parents=True)
    (folder / "unit.yaml").write_text(scaffold.unit_text(placeholders.unit_guess(folder.name)), encoding="utf-8")
    text = scaffold.sop_text("Surat keluar", "x.yaml", DAY).replace("status: draf ", f"status: {status} ")
    (folder / "surat-keluar.yaml").write_text(text, encoding="utf-8")
    return folder


def _values(text: str) -> dict:
    """Return every scalar the YAML *text* holds, by key path (the oracle: what the scaffold wrote, read by PyYAML)."""
    found = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (str(key),))
        elif not isinstance(value, list):
            found[".".join(path)] = value
    walk(yaml.safe_load(text), ())
    return found


def test_every_example_in_the_scaffold_s_unit_file_is_warned_about(tmp_path):
    folder = _scaffolded(tmp_path / "definitions" / "dinkes")
    written = _values((folder / "unit.yaml").read_text(encoding="utf-8"))
    # What the scaffold writes that is not an example: the paper, which every unit may keep.
    examples = {key for key in written if key not in ("kertas", "orientasi")}
    result = reader.read([folder])
    warned = {p.key for p in result.problems if p.file.name == "unit.yaml" and placeholders.is_example(p.message)}
    assert warned == examples == {"pemerintah", "unit", "disahkan_oleh.jabatan", "disahkan_oleh.nama",
                                  "disahkan_oleh.pangkat", "disahkan_oleh.nip"}
    assert written["unit"] == "Dinkes (tulis nama lengkap unit)"


def test_strict_refuses_the_scaffold_s_pangkat_jabatan_and_unit_after_the_rest_is_filled_in(tmp_path):
    folder = _scaffolded(tmp_path / "definitions" / "dinkes")
    unit = (folder / "unit.yaml").read_text(encoding="utf-8")
    unit = unit.replace(placeholders.PEMERINTAH, "Pemerintah Kabupaten Way Kanan")
    unit = unit.replace(placeholders.NAMA, "Budi Santoso, S.Sos.").replace(placeholders.NIP, "19751212 200003 1 002")
    (folder / "unit.yaml").write_text(unit, encoding="utf-8")
    strict = run("validate", "--strict", str(folder))
    assert strict.exit_code == 1
    lines = [re.sub(r"^.*?unit\.yaml:\d+ ", "", line) for line in strict.output.splitlines() if "unit.yaml" in line]
    assert lines == [
        "unit: 'Dinkes (tulis nama lengkap unit)' masih contoh dari sopdoc (dibuat dari nama folder); tulis nama "
        "lengkap unit, misalnya Dinas Kesehatan (peringatan)",
        "disahkan_oleh.jabatan: 'Jabatan Penandatangan' masih contoh dari sopdoc; tulis jabatan penandatangan, "
        "misalnya Kepala Dinas Kesehatan (peringatan)",
        "disahkan_oleh.pangkat: 'Pangkat, Golongan' masih contoh dari sopdoc; tulis pangkat dan golongan "
        "penandatangan, misalnya Pembina Utama Muda, IV/c (peringatan)"]
    assert "Dibatalkan: ada peringatan dan --strict dipakai." in strict.output


def test_a_real_pangkat_jabatan_and_unit_are_not_taken_for_examples(tmp_path):
    folder = tmp_path / "definitions" / "dinas-kesehatan"
    _scaffolded(folder)
    (folder / "unit.yaml").write_text(
        "pemerintah: Pemerintah Kabupaten Way Kanan\nunit: Dinas Kesehatan\ndisahkan_oleh:\n"
        "  jabatan: Kepala Dinas Kesehatan\n  nama: Budi Santoso, S.Sos.\n  pangkat: Pembina Utama Muda, IV/c\n"
        "  nip: \"19751212 200003 1 002\"\n", encoding="utf-8")
    result = reader.read([folder])
    assert [p.key for p in result.problems if p.file.name == "unit.yaml"] == []


def test_an_export_names_the_sop_in_force_that_still_holds_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scaffolded(tmp_path / "definitions" / "dinkes")
    result = run("export", "definitions/dinkes", "--out", "output")
    assert result.exit_code == 1, result.output
    assert ("Peringatan: 1 SOP yang diekspor (bukan draf) masih memuat contoh dari sopdoc (lihat peringatan di awal): "
            "definitions/dinkes/surat-keluar.yaml. Ganti contohnya dengan isi sebenarnya sebelum diunggah; periksa "
            "dengan sopdoc validate --strict") in result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("Selesai dalam ") and summary.endswith("; 0 gagal; 1 SOP masih memuat contoh dari sopdoc.")
    assert result.stderr.strip().splitlines()[-1] == (
        "Hasil BELUM SIAP diunggah: 1 SOP masih memuat contoh dari sopdoc: definitions/dinkes/surat-keluar.yaml. "
        "Ganti contohnya dengan isi sebenarnya (sopdoc validate --strict menunjukkannya), lalu jalankan ekspor lagi.")
    assert sorted(path.name for path in (tmp_path / "output").glob("*.zip")) == ["ekspor-sop-MASIH-CONTOH.zip"]
    with zipfile.ZipFile(tmp_path / "output" / "ekspor-sop-MASIH-CONTOH.zip") as archive:
        note = archive.read("MASIH-CONTOH.txt").decode("utf-8")
    assert note.startswith("EKSPOR INI BELUM SIAP DIUNGGAH.\r\n")
    assert "\r\n- definitions/dinkes/surat-keluar.yaml\r\n" in note
    assert ("ZIP output/ekspor-sop-MASIH-CONTOH.zip memuat SOP yang masih berisi contoh dari sopdoc "
            "(MASIH-CONTOH.txt di dalamnya menyebutnya). Jangan diunggah sebelum contohnya diganti.") in result.stderr
    sheet = load_workbook(tmp_path / "output" / "indeks-sop.xlsx").worksheets[1]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("Keterangan") + 1).value == (
        "masih memuat contoh dari sopdoc; ganti isinya sebelum diunggah (sopdoc validate --strict)")


def test_the_book_of_an_sop_with_examples_warns_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scaffolded(tmp_path / "definitions" / "dinkes")
    result = run("book", "definitions/dinkes", "--out", "output")
    assert result.exit_code == 1, result.output
    assert "Peringatan: 1 SOP yang diekspor (bukan draf) masih memuat contoh dari sopdoc" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Hasil BELUM SIAP diunggah: 1 SOP masih memuat contoh")
    (book_pdf,) = (tmp_path / "output").rglob("buku-sop-*.pdf")
    texts = [" ".join(text.split()) for text in page_texts(book_pdf)]
    marked = [n for n, text in enumerate(texts, start=1)
              if "MEMUAT CONTOH DARI SOPDOC: 1 SOP belum diisi lengkap (surat-keluar.yaml)" in text]
    front = [n for n, text in enumerate(texts, start=1) if "DAFTAR ISI" in text or "PENJELASAN SINGKAT" in text]
    assert len(front) == 2 and marked == list(range(1, max(front) + 1)) and len(texts) > max(front)


def test_strict_export_and_book_refuse_an_sop_in_force_with_examples_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scaffolded(tmp_path / "definitions" / "dinkes")
    for command in ("export", "book"):
        result = run(command, "definitions/dinkes", "--out", "output", "--strict")
        assert result.exit_code == 1, result.output
        assert result.stderr.strip().splitlines()[-1] == (
            "Dibatalkan: 1 SOP masih memuat contoh dari sopdoc dan --strict dipakai: "
            "definitions/dinkes/surat-keluar.yaml. Ganti contohnya dengan isi sebenarnya (lihat peringatan di atas); "
            "tidak ada yang ditulis.")
        assert not (tmp_path / "output").exists()


def test_strict_export_passes_a_draft_left_out_and_exits_0(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scaffolded(tmp_path / "definitions" / "dinkes", status="draf")
    result = run("export", "definitions/dinkes", "--out", "output", "--strict")
    assert result.exit_code == 0, result.output
    assert "Dibatalkan" not in result.output


def test_the_help_of_export_and_book_names_the_exit_code_of_examples():
    for command in ("export", "book"):
        text = " ".join(run(command, "--help").output.split())
        assert "--strict" in text
        assert "masih memuat contoh dari sopdoc" in text


def test_a_draft_left_out_of_an_export_is_not_named_for_its_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _scaffolded(tmp_path / "definitions" / "dinkes", status="draf")
    result = run("book", "definitions/dinkes", "--out", "output")
    assert "masih memuat contoh dari sopdoc (lihat" not in result.output


def test_an_export_made_ready_again_replaces_the_examples_zip_with_the_plain_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _scaffolded(tmp_path / "definitions" / "dinkes")
    assert run("export", "definitions/dinkes", "--out", "output").exit_code == 1
    # Every example replaced by a real value (the scaffold's rows stay: their uraian are replaced one by one).
    unit = (folder / "unit.yaml").read_text(encoding="utf-8")
    for example, real in ((placeholders.PEMERINTAH, "Pemerintah Kabupaten Way Kanan"),
                          ("Dinkes (tulis nama lengkap unit)", "Dinas Kesehatan"),
                          (placeholders.JABATAN, "Kepala Dinas Kesehatan"), (placeholders.NAMA, "Budi Santoso, S.Sos."),
                          (placeholders.PANGKAT, "Pembina Utama Muda, IV/c"), (placeholders.NIP, "19751212 200003 1 002")):
        unit = unit.replace(example, real)
    (folder / "unit.yaml").write_text(unit, encoding="utf-8")
    sop = (folder / "surat-keluar.yaml").read_text(encoding="utf-8").replace("000/   /2026", "800/12/2026")
    for n, uraian in enumerate(placeholders.URAIAN, start=1):
        sop = sop.replace(uraian, f"Langkah nyata ke-{n}")
    (folder / "surat-keluar.yaml").write_text(sop, encoding="utf-8")
    result = run("export", "definitions/dinkes", "--out", "output")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "output").glob("*.zip")) == ["ekspor-sop.zip"]
    assert "contoh dari sopdoc" not in result.output
    (book_pdf,) = (tmp_path / "output").rglob("buku-sop-*.pdf")
    assert not any("CONTOH DARI SOPDOC" in text for text in page_texts(book_pdf))
