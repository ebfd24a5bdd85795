"""yamlwrite: plain data of a model, new files that read like the scaffold, edits that keep every other byte.

The oracle throughout is the reader (which shares no code with the writer) and
texts written here by hand.
"""

import dataclasses
import datetime
import os
import random
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEFINITIONS, FIXTURES
from generate import sop_data as generated_sop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopdoc.authoring import yamlwrite
from sopdoc.definition import reader
from sopdoc.errors import SopdocError

EXAMPLE_FILES = sorted(p for root in (DEFINITIONS, FIXTURES / "render") for p in root.rglob("*.yaml")
                       if p.name != "unit.yaml")
UNIT = "pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\n"


def _plain_model(sop):
    """Return *sop* without what depends on where its files lie."""
    unit = dataclasses.replace(sop.unit, folder=Path("."), key="", files=())
    return dataclasses.replace(sop, source=Path(sop.source.name), unit=unit)


def _read_one(path: Path):
    result = reader.read([path])
    assert result.errors == [], [str(p) for p in result.errors]
    (sop,) = result.sops
    return sop


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "unit.yaml").exists():
        (folder / "unit.yaml").write_text(UNIT, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_unchanged_model_gives_back_identical_text(path):
    sop = _read_one(path)
    text = path.read_text(encoding="utf-8")
    assert yamlwrite.updated_text(text, yamlwrite.sop_data(sop)) == text


def test_unchanged_unit_gives_back_identical_text():
    for path in (FIXTURES / "render" / "kasus-f4" / "unit.yaml", FIXTURES / "render" / "kasus-a4-potret" / "unit.yaml"):
        sop = _read_one(next(p for p in path.parent.glob("*.yaml") if p.name != "unit.yaml"))
        text = path.read_text(encoding="utf-8")
        assert yamlwrite.updated_text(text, yamlwrite.unit_data(sop.unit)) == text


@pytest.mark.parametrize("verifikasi", ["verifikasi: true\n", "verifikasi:\n  url: https://sop.contoh.go.id/cek/{kode}\n"])
def test_a_unit_written_back_keeps_its_verification(unit_dir, verifikasi):
    """unit_data named its keys by hand and left verifikasi out, so writing a unit back removed it."""
    path = unit_dir / "unit.yaml"
    path.write_text(path.read_text(encoding="utf-8") + verifikasi, encoding="utf-8")
    shutil.copy(DEFINITIONS / "kab-way-kanan" / "diskominfo" / "monitoring-evaluasi-kinerja.yaml", unit_dir)
    sop = _read_one(unit_dir / "monitoring-evaluasi-kinerja.yaml")
    text = path.read_text(encoding="utf-8")
    assert yamlwrite.updated_text(text, yamlwrite.unit_data(sop.unit)) == text


@pytest.mark.parametrize("folder", sorted({p.parent for p in EXAMPLE_FILES}), ids=lambda p: p.name)
def test_new_text_reads_back_to_the_same_model(folder, tmp_path):
    first = reader.read([folder])
    originals = first.sops
    target = tmp_path / "u"
    target.mkdir()
    (target / "unit.yaml").write_text(yamlwrite.new_text(yamlwrite.unit_data(originals[0].unit), "unit"))
    for sop in originals:
        (target / sop.source.name).write_text(yamlwrite.new_text(yamlwrite.sop_data(sop)), encoding="utf-8")
    result = reader.read([target])
    # The text written says what the original says: the same warnings (kasus-f4 keeps sopdoc's example NIP).
    assert [(p.key, p.message, p.severity) for p in result.problems] == \
        [(p.key, p.message, p.severity) for p in first.problems]
    assert not result.errors
    assert sorted(map(_plain_model, result.sops), key=lambda s: s.slug) == \
        sorted(map(_plain_model, originals), key=lambda s: s.slug)


def test_new_text_follows_the_scaffold():
    data = {
        "nama": "Penerimaan Surat Masuk", "nomor": "800/   /SET/2024", "status": "berlaku",
        "tanggal_pembuatan": datetime.date(2024, 1, 15), "tanggal_efektif": "Maret 2024", "revisi": [],
        "disahkan_oleh": {"jabatan": "Sekretaris Dinas", "nip": "197001011990011001"},
        "peralatan_perlengkapan": ["Komputer"],
        "dasar_hukum": ["Peraturan Menteri PAN RB Nomor 35 Tahun 2012"],
        "pelaksana": {"kepala": "Kepala Dinas", "staf": "Staf Pelaksana"},
        "kegiatan": [
            {"uraian": "Menerima surat", "pelaksana": "staf", "waktu": "15 menit"},
            {"id": "periksa", "uraian": "Memeriksa surat", "pelaksana": ["kepala", "staf"]},
            {"uraian": "Memutuskan", "pelaksana": "kepala",
             "keputusan": {"ya": "berikutnya", "tidak": "periksa", "label": ["Lengkap", "Tidak lengkap"]}},
            {"uraian": "Mengarsipkan", "pelaksana": "staf"},
        ],
    }
    c = " " * 10
    assert yamlwrite.new_text(data) == f"""\
# Definisi satu SOP. Baris yang diawali '#' adalah keterangan dan tidak dibaca sopdoc.

nomor: "800/   /SET/2024"                # nomor SOP, ditulis persis (spasi kosong tetap)
nama: Penerimaan Surat Masuk             # Nama / Judul SOP
status: berlaku                          # draf (tidak masuk buku dan ekspor), berlaku, diganti, atau dicabut
tanggal_pembuatan: 2024-01-15            # tanggal selesai dibuat; juga boleh 2 Januari 2024, 02/01/2024, Maret 2024
tanggal_efektif: Maret 2024              # tanggal mulai berlaku
revisi: []                               # riwayat revisi; isi lewat: sopdoc revise
disahkan_oleh:
  jabatan: Sekretaris Dinas
  nip: "197001011990011001"

dasar_hukum:                             # satu peraturan per butir
  - Peraturan Menteri PAN RB Nomor 35 Tahun 2012
peralatan_perlengkapan:
  - Komputer

pelaksana:                               # kolom pelaksana dari kiri ke kanan -> kunci: nama jabatan
  kepala: Kepala Dinas
  staf: Staf Pelaksana

kegiatan:                                # baris dari atas ke bawah; nomor diberikan otomatis
  - uraian: Menerima surat                       {c}# kata kerja, tanpa subjek
    pelaksana: staf                              {c}# salah satu kunci di 'pelaksana'
    waktu: 15 menit                              {c}# detik, menit, jam, hari, hari kerja, minggu, bulan
  - id: periksa                                  {c}# id hanya perlu bila ada lompatan ke sini
    uraian: Memeriksa surat
    pelaksana: [kepala, staf]
  - uraian: Memutuskan
    pelaksana: kepala
    keputusan:                                   {c}# menjadikan baris ini belah ketupat
      ya: berikutnya                             {c}# id tujuan, atau 'berikutnya'
      tidak: periksa
      label: [Lengkap, Tidak lengkap]            {c}# boleh dihapus: bawaannya Ya / Tidak
  - uraian: Mengarsipkan
    pelaksana: staf
"""


@pytest.mark.parametrize("tricky", ["yes", "No", "on", "2023-02-30", "2024-01-15", "1.5", "12", "0x1F", "a: b",
                                    "#x", "x #y", " lead", "trail ", "=SUM(A1)", "null", "~", "@x", "`x", "[a]",
                                    "{a}", "- a", "-", "'q'", '"dq"', "baris 1\nbaris 2", "é ✓ №"])
def test_text_reads_back_as_the_same_text(tricky):
    data = {"nama": tricky, "pelaksana": {"a": tricky}, "kegiatan": [{"uraian": tricky, "pelaksana": "a"}]}
    loaded = yaml.safe_load(yamlwrite.new_text(data))
    assert loaded["nama"] == tricky
    assert loaded["pelaksana"] == {"a": tricky}
    assert loaded["kegiatan"][0]["uraian"] == tricky



def _both_readers(text: str) -> tuple:
    """Return *text* as PyYAML's safe_load (YAML 1.1) and ruamel.yaml's safe loader (YAML 1.2) read it."""
    from ruamel.yaml import YAML
    return yaml.safe_load(text), YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize("tricky", ["no", "yes", "on", "Off", "y", "N", "1e3", "0o17", "1_000", "+12", "12"])
def test_a_key_or_text_either_yaml_reads_otherwise_is_quoted(tricky):
    data = {"nama": tricky, "judul": {"no": "No.", "kegiatan": "Uraian"}, "pelaksana": {tricky: "Staf"},
            "kegiatan": [{"uraian": tricky, "pelaksana": tricky}]}
    text = yamlwrite.new_text(data)
    assert '\n  "no": No.\n' in text and f'\n  "{tricky}": Staf\n' in text
    for loaded in _both_readers(text):
        assert loaded["judul"] == {"no": "No.", "kegiatan": "Uraian"}
        assert loaded["pelaksana"] == {tricky: "Staf"}
        assert loaded["nama"] == tricky and loaded["kegiatan"][0] == {"uraian": tricky, "pelaksana": tricky}


def test_a_judul_no_added_to_a_file_is_written_quoted(unit_dir):
    sop = _read_one(_write(unit_dir, "sop.yaml", OLD))
    data = yamlwrite.sop_data(sop)
    data["judul"] = {"no": "Nomor Urut"}
    text = yamlwrite.updated_text(OLD, data)
    assert 'judul:\r\n    "no": Nomor Urut\r\n' in text
    for loaded in _both_readers(text):
        assert loaded["judul"] == {"no": "Nomor Urut"}

OLD = """\
# Komentar di awal tetap ada.\r
nomor: '800/   /UJI/2024'     # kutip tunggal tetap\r
nama: Contoh\r
tanggal_pembuatan: "22 Desember 2023"\r
disahkan_oleh:\r
    jabatan: Sekretaris\r
    nip: 196609211986031004\r
pelaksana:\r
    kepala: Kepala Dinas      # indentasi empat spasi\r
    staf: Staf\r
kegiatan:\r
    -   uraian: Menerima\r
        pelaksana: [staf]\r
        simbol: kapsul\r
    -   id: periksa\r
        uraian: Memeriksa\r
        pelaksana: kepala\r
        keputusan: {ya: simpan, tidak: tolak, label: [Ya, Tidak]}\r
    -   id: simpan\r
        uraian: Menyimpan     # baris ini tetap\r
        pelaksana: staf\r
        lanjut: akhir\r
    -   id: tolak\r
        uraian: Menolak\r
        pelaksana: staf\r
    -   id: akhir\r
        uraian: Menutup\r
        pelaksana: kepala\r
"""


def test_equivalent_spellings_are_kept_byte_for_byte(unit_dir):
    sop = _read_one(_write(unit_dir, "sop.yaml", OLD))
    # The model's data says status: berlaku, ya: berikutnya, pelaksana: staf, a date and no
    # simbol or label; the file says the same in other words, so nothing changes.
    data = yamlwrite.sop_data(sop)
    assert data["status"] == "berlaku" and data["kegiatan"][1]["keputusan"] == {"ya": "berikutnya", "tidak": "tolak"}
    assert yamlwrite.updated_text(OLD, data) == OLD


def test_one_changed_value_changes_one_line(unit_dir):
    sop = _read_one(_write(unit_dir, "sop.yaml", OLD))
    data = yamlwrite.sop_data(sop)
    data["kegiatan"][2]["uraian"] = "Menyimpan surat"
    data["nomor"] = "800/  1/UJI/2024"
    expected = OLD.replace("uraian: Menyimpan     # baris", "uraian: Menyimpan surat # baris") \
                  .replace("nomor: '800/   /UJI/2024'", "nomor: '800/  1/UJI/2024'")
    assert yamlwrite.updated_text(OLD, data) == expected


def test_rows_added_removed_and_moved_keep_the_other_lines(unit_dir):
    sop = _read_one(_write(unit_dir, "sop.yaml", OLD))
    data = yamlwrite.sop_data(sop)
    rows = data["kegiatan"]
    rows[0]["waktu"] = "15 menit"
    rows.insert(1, {"uraian": "Mencatat", "pelaksana": "staf"})
    del rows[4]  # Menolak: the decision's 'tidak' now goes to the last row
    rows[2]["keputusan"]["tidak"] = "akhir"
    after = yamlwrite.updated_text(OLD, data)
    # waktu goes where the format orders it: before simbol.
    assert after == OLD.replace(
        "        simbol: kapsul\r\n",
        "        waktu: 15 menit\r\n        simbol: kapsul\r\n    -   uraian: Mencatat\r\n        pelaksana: staf\r\n",
    ).replace("tidak: tolak", "tidak: akhir").replace(
        "    -   id: tolak\r\n        uraian: Menolak\r\n        pelaksana: staf\r\n", "")


def test_changes_in_words():
    old = {"nama": "Contoh", "tanggal_pembuatan": datetime.date(2023, 12, 22), "dasar_hukum": ["A", "B"],
           "pelaksana": {"kepala": "Kepala Dinas", "staf": "Staf"},
           "kegiatan": [{"uraian": "Menerima", "pelaksana": "staf"},
                        {"uraian": "Memeriksa", "pelaksana": "kepala", "waktu": "1 jam"},
                        {"id": "simpan", "uraian": "Menyimpan", "pelaksana": "staf"},
                        {"uraian": "Menolak", "pelaksana": "staf"},
                        {"uraian": "Menutup", "pelaksana": "kepala"}]}
    new = {"nama": "Contoh Baru", "status": "berlaku", "tanggal_pembuatan": "22 Desember 2023",
           "dasar_hukum": ["A", "B2", "C"], "pelaksana": {"kepala": "Kepala Dinas", "staf": "Staf Umum"},
           "kegiatan": [{"uraian": "Menerima", "pelaksana": ["staf"]},
                        {"uraian": "Mencatat", "pelaksana": "staf"},
                        {"id": "simpan", "uraian": "Menyimpan", "pelaksana": "staf"},
                        {"uraian": "Memeriksa", "pelaksana": "kepala", "waktu": "2 jam",
                         "keputusan": {"ya": "berikutnya", "tidak": "simpan"}},
                        {"uraian": "Menutup", "pelaksana": "kepala"}]}
    assert yamlwrite.changes(old, new) == [
        'Nama SOP: "Contoh" menjadi "Contoh Baru"',
        'Dasar Hukum: butir dihapus "B"',
        'Dasar Hukum: butir baru "B2"',
        'Dasar Hukum: butir baru "C"',
        'Pelaksana: "Staf" menjadi "Staf Umum"',
        "Kegiatan 4 lama dihapus: Menolak",
        "Kegiatan 2 baru: Mencatat",
        "Kegiatan 2 dipindah menjadi kegiatan 4: Memeriksa",
        'Kegiatan 4 (Mutu Baku: Waktu): "1 jam" menjadi "2 jam"',
        "Kegiatan 4 (Alur): lanjut ke kegiatan 3 menjadi Ya ke kegiatan 5, Tidak ke kegiatan 3",
    ]
    assert yamlwrite.changes(old, old) == []


def test_sop_data_names_jump_targets_and_nothing_else(unit_dir):
    sop = _read_one(_write(unit_dir, "sop.yaml", OLD))
    # A model made elsewhere (the studio) may jump to a row that has no id yet.
    rows = [dataclasses.replace(row, langkah=tuple(dataclasses.replace(symbol, id=None) for symbol in row.langkah))
            for row in sop.kegiatan]
    data = yamlwrite.sop_data(dataclasses.replace(sop, kegiatan=tuple(rows)))
    assert [row.get("id") for row in data["kegiatan"]] == [None, None, None, "baris-4", "baris-5"]
    assert data["kegiatan"][1]["keputusan"] == {"ya": "berikutnya", "tidak": "baris-4"}
    assert data["kegiatan"][2]["lanjut"] == "baris-5"
    assert data["tanggal_pembuatan"] == datetime.date(2023, 12, 22)
    assert data["disahkan_oleh"] == {"jabatan": "Sekretaris", "nip": "196609211986031004"}


def test_month_year_dates_stay_text(unit_dir):
    path = _write(unit_dir, "sop.yaml", OLD.replace('"22 Desember 2023"', "Maret 2021"))
    assert yamlwrite.sop_data(_read_one(path))["tanggal_pembuatan"] == "Maret 2021"


def test_save_keeps_bom_line_ends_and_a_backup(unit_dir):
    path = unit_dir / "sop.yaml"
    original = ("\ufeff" + OLD).encode("utf-8")
    path.write_bytes(original)
    data = yamlwrite.sop_data(_read_one(path))
    assert yamlwrite.save(path, data) == []
    assert path.read_bytes() == original and not (unit_dir / "sop.yaml.bak").exists()
    data["nama"] = "Contoh Baru"
    assert yamlwrite.save(path, data) == ['Nama SOP: "Contoh" menjadi "Contoh Baru"']
    assert path.read_bytes() == original.replace(b"nama: Contoh\r", b"nama: Contoh Baru\r")
    assert (unit_dir / "sop.yaml.bak").read_bytes() == original


def test_save_writes_a_new_file_like_the_scaffold(unit_dir):
    path = unit_dir / "baru.yaml"
    data = {"nama": "Baru", "pelaksana": {"a": "A", "b": "B"},
            "kegiatan": [{"uraian": "Mulai", "pelaksana": "a"}, {"uraian": "Selesai", "pelaksana": "b"}]}
    assert yamlwrite.save(path, data) == []
    assert path.read_text(encoding="utf-8") == yamlwrite.new_text(data)
    assert _read_one(path).nama == "Baru"


# Edits a person makes in a workbook or the studio, applied to generated SOPs.
_EDITS = st.lists(st.tuples(st.sampled_from(["waktu", "uraian", "insert", "delete", "move", "pelaksana", "drop-id"]),
                            st.integers(0, 10**6)), min_size=1, max_size=5)


def _edit(data: dict, edits, rng: random.Random) -> None:
    rows = data["kegiatan"]
    for kind, n in edits:
        i = n % len(rows)
        if kind == "waktu":
            rows[i]["waktu"] = f"{n % 50 + 1} menit"
        elif kind == "uraian":
            rows[i]["uraian"] = f"Menyunting baris {n % 97}"
        elif kind == "insert":
            rows.insert(i, {"uraian": f"Menambah langkah {n % 89}", "pelaksana": rng.choice(list(data["pelaksana"]))})
        elif kind == "delete" and len(rows) > 3:
            del rows[i]
        elif kind == "move":
            rows.insert(n % 7 % len(rows), rows.pop(i))
        elif kind == "pelaksana":
            rows[i]["pelaksana"] = sorted(data["pelaksana"])[: n % 2 + 1]
        elif kind == "drop-id":
            rows[i].pop("id", None)


def _outcome(path: Path):
    result = reader.read([path])
    problems = sorted((p.key, p.message) for p in result.problems)
    return [_plain_model(s) for s in result.sops], problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), edits=_EDITS)
def test_edited_text_means_what_a_new_file_would(tmp_path, seed, edits):
    rng = random.Random(seed)
    old = generated_sop(rng, rng.randint(3, 12), rng.randint(2, 4), rng.randint(0, 3))
    old_text = yamlwrite.new_text(old)
    new = yaml.safe_load(old_text)
    _edit(new, edits, rng)
    edited = _write(tmp_path / "a", "sop.yaml", yamlwrite.updated_text(old_text, new))
    fresh = _write(tmp_path / "b", "sop.yaml", yamlwrite.new_text(new))
    assert _outcome(edited) == _outcome(fresh)


def test_a_revision_note_edited_in_place_keeps_its_comment():
    old = ("nama: Contoh\nrevisi:\n  - tanggal: 2024-03-01   # pertama\n    catatan: Awal\n"
           "pelaksana: {a: A, b: B}\nkegiatan:\n  - {uraian: Mulai, pelaksana: a}\n  - {uraian: Selesai, pelaksana: b}\n")
    data = yaml.safe_load(old)
    data["revisi"][0]["catatan"] = "Awal: diperbaiki"
    assert yamlwrite.updated_text(old, data) == old.replace("catatan: Awal", 'catatan: "Awal: diperbaiki"')


def test_rows_the_caller_pairs_keep_their_comments_when_moved_and_edited():
    old = ("nama: Uji\npelaksana:\n  a: A\n  b: B\nkegiatan:\n"
           "  - uraian: Mulai\n    pelaksana: a\n"
           "  - uraian: Memeriksa surat  # dicek kasubag\n    pelaksana: b\n"
           "  - uraian: Selesai\n    pelaksana: a\n")
    data = {"nama": "Uji", "pelaksana": {"a": "A", "b": "B"},
            "kegiatan": [{"uraian": "Mulai", "pelaksana": "a"}, {"uraian": "Selesai", "pelaksana": "a"},
                         {"uraian": "Memeriksa surat masuk", "pelaksana": "b"}]}
    moved = ("nama: Uji\npelaksana:\n  a: A\n  b: B\nkegiatan:\n"
             "  - uraian: Mulai\n    pelaksana: a\n"
             "  - uraian: Selesai\n    pelaksana: a\n"
             "  - uraian: Memeriksa surat masuk # dicek kasubag\n    pelaksana: b\n")   # the comment keeps its column
    assert yamlwrite.updated_text(old, data, rows={0: 0, 1: 2, 2: 1}) == moved
    # Unpaired, the edited row reads as a new one and its comment goes with the old.
    assert "# dicek kasubag" not in yamlwrite.updated_text(old, data)
    assert yamlwrite.changes(yaml.safe_load(old), data, {0: 0, 1: 2, 2: 1}) == [
        "Kegiatan 2 dipindah menjadi kegiatan 3: Memeriksa surat masuk",
        'Kegiatan 3: "Memeriksa surat" menjadi "Memeriksa surat masuk"']


def test_a_new_order_of_pelaksana_is_written_with_their_comments():
    old = "nama: Uji\npelaksana:\n  a: A  # kiri\n  b: B\nkegiatan: []\n"
    data = {"nama": "Uji", "pelaksana": {"b": "B", "a": "A"}, "kegiatan": []}
    assert yamlwrite.updated_text(old, data) == "nama: Uji\npelaksana:\n  b: B\n  a: A  # kiri\nkegiatan: []\n"
    assert yamlwrite.changes(yaml.safe_load(old), data) == ['Pelaksana: urutan kolom menjadi "B", "A"']


def test_a_removed_key_leaves_the_comment_lines_below_it():
    old = ("nama: Contoh\npelaksana: {a: A, b: B}\nkegiatan:\n  - uraian: Mulai\n    pelaksana: a\n"
           "    output: Disposisi\n  # Rapat: dua pelaksana bersama.\n  - uraian: Rapat\n    pelaksana: [a, b]\n"
           "  - uraian: Selesai\n    pelaksana: b\n")
    data = yaml.safe_load(old)
    del data["kegiatan"][0]["output"]
    assert yamlwrite.updated_text(old, data) == old.replace("    output: Disposisi\n", "")


def test_save_refuses_a_pipe_named_like_a_definition_instead_of_hanging(tmp_path):
    pipe = tmp_path / "surat.yaml"
    os.mkfifo(pipe)
    with pytest.raises(SopdocError, match="surat.yaml: .*bukan berkas biasa"):
        yamlwrite.save(pipe, {"nama": "Surat"})
