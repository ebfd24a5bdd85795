"""Hostile or broken files fail cleanly, fast, and with a message."""

import time

from conftest import problem_lines

from sopdoc.definition import reader

VALID_ROWS = """nama: Contoh
pelaksana:
  kasubag: Kepala Sub Bagian Umum
  staf: Staf Pelaksana
kegiatan:
  - uraian: Memberikan disposisi
    pelaksana: kasubag
  - uraian: Menyusun konsep
    pelaksana: staf
"""


def _read(unit_dir, name, content):
    path = unit_dir / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    result = reader.read([path])
    return result, time.perf_counter() - started


def test_alias_bomb_is_refused_quickly(unit_dir):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    result, seconds = _read(unit_dir, "bom.yaml", "\n".join(lines) + "\n")
    assert problem_lines(result) == [
        "bom.yaml:None : berkas memuat lebih dari 50000 nilai (mungkin alias '*' yang berlipat ganda); "
        "tulis nilainya langsung tanpa alias"
    ]
    assert seconds < 5  # a guard against hanging, not a speed measurement


def test_huge_file_is_refused_without_parsing(unit_dir):
    result, _ = _read(unit_dir, "besar.yaml", "a: " + "x" * (50 * 1024 * 1024) + "\n")
    assert problem_lines(result) == [
        "besar.yaml:None : berkas terlalu besar (50.1 MB; batas 2 MB); definisi SOP adalah berkas teks biasa, "
        "biasanya di bawah 50 KB: periksa apakah ini berkas yang benar"
    ]


def test_binary_file_is_refused(unit_dir):
    result, _ = _read(unit_dir, "gambar.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problem_lines(result) == [
        "gambar.yaml:None : berkas ini bukan teks (berisi data biner); simpan definisi sebagai teks YAML"
    ]


def test_non_utf8_file_names_the_line(unit_dir):
    result, _ = _read(unit_dir, "latin1.yaml", "nama: Contoh\nnomor: Pemerintah Daerah \xe9\n".encode("latin-1"))
    assert problem_lines(result) == [
        "latin1.yaml:2 : berkas bukan teks UTF-8; simpan ulang dengan pengodean UTF-8 "
        "(di Notepad: Simpan Sebagai > Encoding: UTF-8)"
    ]


def test_object_constructing_tag_is_refused(unit_dir):
    result, _ = _read(unit_dir, "tag.yaml", 'nama: !!python/object/apply:os.system ["echo dimiliki"]\n')
    assert problem_lines(result) == [
        "tag.yaml:1 : tag YAML '!!python/object/apply:os.system' tidak diizinkan; definisi SOP hanya memuat teks, "
        "angka, tanggal, daftar dan pemetaan"
    ]


def test_logo_outside_the_definitions_tree_is_an_error(unit_dir):
    (unit_dir / "unit.yaml").write_text(
        "pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\nlogo: ../../../etc/passwd\n", encoding="utf-8")
    result, _ = _read(unit_dir, "contoh.yaml", VALID_ROWS)
    root = unit_dir  # the folder named (through the file), which is also the topmost with a unit.yaml
    assert problem_lines(result) == [
        f"unit.yaml:3 logo: berkas '../../../etc/passwd' berada di luar folder definisi {root}; salin berkasnya "
        "ke dalam folder itu dan tulis jalurnya relatif terhadap unit.yaml"
    ]
    assert result.sops == [] and [f.name for f in result.failed] == ["contoh.yaml"]


def test_missing_logo_is_a_warning(unit_dir):
    (unit_dir / "unit.yaml").write_text(
        "pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\nlogo: logo.png\n", encoding="utf-8")
    result, _ = _read(unit_dir, "contoh.yaml", VALID_ROWS)
    assert problem_lines(result) == [
        f"unit.yaml:3 logo: berkas 'logo.png' tidak ditemukan (dicari di {unit_dir / 'logo.png'}); "
        "dokumen dibuat tanpa berkas ini (peringatan)"
    ]
    assert [s.slug for s in result.sops] == ["contoh"]


def test_sop_without_unit_file(tmp_path):
    (tmp_path / "lepas.yaml").write_text(VALID_ROWS, encoding="utf-8")
    result = reader.read([tmp_path / "lepas.yaml"])
    assert problem_lines(result) == [
        f"lepas.yaml:None : tidak ada unit.yaml di folder {tmp_path}; setiap folder unit memerlukan unit.yaml "
        "(buat dengan: sopdoc new NAMA-UNIT/NAMA-SOP)"
    ]


def test_nested_unit_files_merge_deeper_wins(tmp_path):
    gov = tmp_path / "definitions" / "kab-uji"
    unit = gov / "dinas"
    unit.mkdir(parents=True)
    (gov / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\nkertas: A4\nunit: Umum\n", encoding="utf-8")
    (unit / "unit.yaml").write_text("unit: Dinas Uji\norientasi: potret\n", encoding="utf-8")
    (unit / "contoh.yaml").write_text(VALID_ROWS, encoding="utf-8")
    result = reader.read([tmp_path / "definitions"])
    assert result.problems == []
    (sop,) = result.sops
    assert (sop.unit.pemerintah, sop.unit.unit, sop.unit.kertas, sop.unit.orientasi) == (
        "Pemerintah Kabupaten Uji", "Dinas Uji", "A4", "potret")


def test_two_files_with_one_slug_in_a_unit_are_refused(unit_dir):
    (unit_dir / "contoh.yaml").write_text(VALID_ROWS, encoding="utf-8")
    (unit_dir / "contoh.yml").write_text(VALID_ROWS, encoding="utf-8")
    result = reader.read([unit_dir])
    assert problem_lines(result) == [
        "contoh.yml:None : nama SOP 'contoh' sudah dipakai oleh contoh.yaml di folder yang sama; "
        "ganti nama salah satu berkas"
    ]
    assert [s.source.name for s in result.sops] == ["contoh.yaml"]
