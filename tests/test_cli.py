"""The command line: exit codes, messages, scaffold and schema."""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import DEFINITIONS, FIXTURES, ROOT

from sopdoc.authoring import scaffold
from sopdoc.cli import main
from sopdoc.definition import fields, reader


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_seeds_strict_exits_0():
    result = run("validate", str(DEFINITIONS), "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("5 SOP diperiksa: 5 sah, 0 bermasalah; 0 galat, 0 peringatan.")


def test_validate_invalid_exits_1_with_file_and_line():
    result = run("validate", str(FIXTURES / "invalid" / "id-ganda.yaml"))
    assert result.exit_code == 1
    assert "id-ganda.yaml:9 kegiatan[2].id: id 'awal' sudah dipakai oleh kegiatan nomor 1" in result.output
    assert result.output.strip().endswith("Dibatalkan: perbaiki galat di atas, lalu jalankan lagi.")
    assert "Traceback" not in result.output


def test_warnings_fail_only_with_strict():
    path = str(FIXTURES / "warnings" / "satu-pelaksana.yaml")
    assert run("validate", path).exit_code == 0
    strict = run("validate", path, "--strict")
    assert strict.exit_code == 1
    assert "Dibatalkan: ada peringatan dan --strict dipakai." in strict.output
    assert ("1 SOP diperiksa: 0 sah, 1 dengan peringatan yang dianggap galat oleh --strict, 0 bermasalah; "
            "0 galat, 1 peringatan.") in strict.stdout.splitlines()
    # Beside a clean SOP, only the one with a warning is set apart; without warnings --strict counts as before.
    both = run("validate", path, str(DEFINITIONS / "kab-way-kanan"), "--strict")
    assert ("3 SOP diperiksa: 2 sah, 1 dengan peringatan yang dianggap galat oleh --strict, 0 bermasalah; "
            "0 galat, 1 peringatan.") in both.stdout.splitlines()
    clean = run("validate", str(DEFINITIONS / "kab-way-kanan"), "--strict")
    assert clean.exit_code == 0 and clean.stdout.splitlines()[-1] == ("2 SOP diperiksa: 2 sah, 0 bermasalah; "
                                                                      "0 galat, 0 peringatan.")


def test_usage_errors_exit_2_in_indonesian():
    missing = run("validate", "tidak-ada-di-sini")
    assert missing.exit_code == 2
    assert "Jalur 'tidak-ada-di-sini' tidak ada." in missing.output
    bogus = run("validate", "--entah")
    assert bogus.exit_code == 2 and "Pilihan tidak dikenal: '--entah'" in bogus.output


def test_help_is_indonesian():
    for command in main.commands:
        output = run(command, "--help").output
        assert "Pemakaian:" in output and "Tampilkan bantuan ini lalu keluar." in output, command
        for english in ("Usage:", "Show this message", "[required]", "default:", " TEXT", " INTEGER", " RANGE"):
            assert english not in output, (command, english)


def test_click_messages_are_indonesian():
    typo = run("exprt")
    assert typo.exit_code == 2 and "Maksud Anda 'export'?" in typo.output
    jobs = run("render", "--jobs", "x")
    assert jobs.exit_code == 2 and "'x' bukan bilangan bulat yang sah" in jobs.output
    assert "0 di luar rentang" in run("render", "--jobs", "0").output


def test_table_lists_each_valid_sop():
    result = run("validate", str(DEFINITIONS / "kab-way-kanan"), "--tabel")
    lines = result.output.splitlines()
    row = next(line for line in lines if "monitoring-evaluasi-kinerja" in line).split()
    # 7 rows, 5 actors; 15 min + 2 h + 1 d + 10 d + 1 d + 1 d + 1 d.
    assert row == ["kab-way-kanan/diskominfo", "monitoring-evaluasi-kinerja", "berlaku", "7", "5", "14", "hari", "2",
                   "jam", "15", "menit"]


def test_the_table_shows_a_draft_as_draf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("new", "dinas-baru/surat-masuk").exit_code == 0
    result = run("validate", "--tabel")
    row = next(line for line in result.output.splitlines() if line.startswith("dinas-baru ")).split()
    assert row[:3] == ["dinas-baru", "surat-masuk", "draf"]


def test_validate_inside_a_nested_unit_folder_reads_the_unit_files_above(monkeypatch):
    """`cd unit && sopdoc validate .` once stopped the unit chain at '.', whose parent is '.' again: the
    government's name in the unit.yaml above was reported missing."""
    monkeypatch.chdir(DEFINITIONS / "kab-way-kanan" / "diskominfo")
    for named in (".", "../diskominfo", "monitoring-evaluasi-kinerja.yaml"):
        result = run("validate", named, "--tabel")
        assert result.exit_code == 0, result.output
        assert "pemerintah" not in result.output
        assert "kab-way-kanan/diskominfo  monitoring-evaluasi-kinerja" in result.output
    book_input = reader.read([Path(".")]).sops[0].unit
    assert (book_input.pemerintah, book_input.key) == ("Pemerintah Kabupaten Way Kanan", "kab-way-kanan/diskominfo")


def test_new_scaffold_is_a_valid_draft_whose_examples_strict_refuses(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    created = run("new", "dinas-baru/surat-masuk")
    assert created.exit_code == 0, created.output
    assert (tmp_path / "definitions" / "dinas-baru" / "unit.yaml").is_file()
    sop = reader.read([tmp_path / "definitions"]).sops[0]
    assert sop.status == "draf"
    checked = run("validate")
    assert checked.exit_code == 0, checked.output
    assert "1 SOP diperiksa: 1 sah, 0 bermasalah; 0 galat, 8 peringatan." in checked.output
    year = datetime.date.today().year
    assert checked.stderr.splitlines() == [
        f"definitions/dinas-baru/surat-masuk.yaml:4 nomor: nomor '000/   /{year}' masih contoh dari sopdoc; tulis "
        "nomor SOP menurut tata naskah unit Anda (peringatan)",
        "definitions/dinas-baru/surat-masuk.yaml:40 kegiatan: kegiatan 1, 2, 3, 4 masih contoh dari sopdoc; tulis "
        "kegiatan SOP Anda sendiri (peringatan)",
        "definitions/dinas-baru/unit.yaml:4 pemerintah: 'Pemerintah Kabupaten Contoh' masih contoh dari sopdoc; tulis "
        "nama pemerintah daerah Anda, misalnya Pemerintah Kabupaten Way Kanan (peringatan)",
        "definitions/dinas-baru/unit.yaml:5 unit: 'Dinas Baru (tulis nama lengkap unit)' masih contoh dari sopdoc "
        "(dibuat dari nama folder); tulis nama lengkap unit, misalnya Dinas Kesehatan (peringatan)",
        "definitions/dinas-baru/unit.yaml:18 disahkan_oleh.jabatan: 'Jabatan Penandatangan' masih contoh dari "
        "sopdoc; tulis jabatan penandatangan, misalnya Kepala Dinas Kesehatan (peringatan)",
        "definitions/dinas-baru/unit.yaml:19 disahkan_oleh.nama: 'Nama Lengkap, S.Sos., M.M.' masih contoh dari "
        "sopdoc; tulis nama lengkap penandatangan dengan gelarnya (peringatan)",
        "definitions/dinas-baru/unit.yaml:20 disahkan_oleh.pangkat: 'Pangkat, Golongan' masih contoh dari sopdoc; "
        "tulis pangkat dan golongan penandatangan, misalnya Pembina Utama Muda, IV/c (peringatan)",
        "definitions/dinas-baru/unit.yaml:21 disahkan_oleh.nip: NIP '19700101 199001 1 001' masih contoh dari sopdoc; "
        "tulis NIP penandatangan (peringatan)",
    ]
    strict = run("validate", "--strict")
    assert strict.exit_code == 1
    # The count says why it stopped: under --strict an SOP with a warning (its own or its unit's) is not valid.
    assert strict.stdout.splitlines()[-1] == ("1 SOP diperiksa: 0 sah, 1 dengan peringatan yang dianggap galat oleh "
                                              "--strict, 0 bermasalah; 0 galat, 8 peringatan.")
    assert strict.stderr.splitlines()[-1] == "Dibatalkan: ada peringatan dan --strict dipakai."
    again = run("new", "dinas-baru/surat-masuk")
    assert again.exit_code == 1 and "sudah ada" in again.output
    bad = run("new", "Surat Masuk")
    assert bad.exit_code == 1 and "tulis UNIT/NAMA-SOP" in bad.output


def test_scaffold_mentions_every_key():
    text = scaffold.SOP
    for key in (*fields.SOP_KEYS, *fields.ROW_KEYS, *fields.DECISION_KEYS, *fields.SIGNER_KEYS):
        assert f"{key.name}:" in text, key.name
    for key in (*fields.UNIT_KEYS, *fields.DECREE_KEYS):
        if key.name != "template":
            assert f"{key.name}:" in scaffold.UNIT, key.name


@pytest.mark.parametrize("nama", ["Uji", "Penerimaan dan Pendistribusian Surat Masuk Dinas", "Surat: Masuk #2"])
def test_scaffold_comments_stay_in_one_column_whatever_the_name(nama):
    # Columns counted by hand in the scaffold: top-level keys 41, kegiatan keys 59, unit.yaml 48.
    def columns(text):
        found = {}
        for line in text.splitlines():
            if not line.startswith("#") and "  # " in line:
                value = line.rpartition("  # ")[0].rstrip()
                found[value] = line.rindex("  # ") + 2
        return found
    sop = columns(scaffold.sop_text(nama, "d/x.yaml", datetime.date(2026, 1, 2)))
    assert sop["nomor: \"000/   /2026\""] == 41 and sop["tanggal_pembuatan: 2026-01-02"] == 41
    assert all(column == max(41, len(value) + 2) for value, column in sop.items() if not value.startswith(" "))
    assert {column for value, column in sop.items() if value.startswith(" ")} == {59}
    unit = columns(scaffold.unit_text(nama))
    assert {column for value, column in unit.items() if len(value) < 46} == {48}


def test_reference_page_documents_every_key():
    page = (ROOT / "docs" / "definisi.md").read_text(encoding="utf-8")
    for key in (*fields.SOP_KEYS, *fields.ROW_KEYS, *fields.DECISION_KEYS, *fields.SIGNER_KEYS,
                *fields.UNIT_KEYS, *fields.REVISION_KEYS, *fields.DECREE_KEYS, *fields.LANGKAH_KEYS,
                *fields.JUDUL_KEYS):
        assert f"`{key.name}`" in page, key.name


def _as_json(value):
    """Return YAML data as the YAML language server sees it (dates are strings)."""
    return json.loads(json.dumps(value, default=str))


def test_schema_accepts_seeds_and_valid_fixtures_and_rejects_bad_keys(tmp_path):
    result = run("schema", "--out", str(tmp_path / "schema"))
    assert result.exit_code == 0, result.output
    sop_schema = json.loads((tmp_path / "schema" / "sop.schema.json").read_text(encoding="utf-8"))
    unit_schema = json.loads((tmp_path / "schema" / "unit.schema.json").read_text(encoding="utf-8"))
    files = [*DEFINITIONS.rglob("*.yaml"), *(FIXTURES / "warnings").glob("*.yaml"), *(FIXTURES / "real").rglob("*.yaml")]
    assert len(files) > 10
    for path in files:
        data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
        jsonschema.validate(data, unit_schema if path.name == "unit.yaml" else sop_schema)
    for scenario in ("kunci-tidak-dikenal", "tipe-salah", "nama-tidak-ada"):
        data = _as_json(yaml.safe_load((FIXTURES / "invalid" / f"{scenario}.yaml").read_text(encoding="utf-8")))
        assert not jsonschema.Draft7Validator(sop_schema).is_valid(data), scenario


@pytest.mark.parametrize("name", ["dinas-baru/" + "a" * 245, "b" * 300 + "/surat-masuk"])
def test_new_with_a_very_long_name_is_refused_and_writes_nothing(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    result = run("new", name)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)   # a message, not a traceback
    assert "terlalu panjang (paling banyak 223 huruf" in result.output
    assert not (tmp_path / "definitions").exists()



def test_new_named_from_where_the_user_stands_writes_into_the_root_and_refuses_a_second_tree(tmp_path, monkeypatch):
    """Usability pass 3, P2: 'sopdoc new defs/dinkes/x' quietly wrote definitions/defs/dinkes/x.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "definitions").mkdir()
    (tmp_path / "defs").mkdir()
    assert run("new", "definitions/dinkes/surat-masuk").exit_code == 0
    assert (tmp_path / "definitions" / "dinkes" / "surat-masuk.yaml").is_file()
    assert not (tmp_path / "definitions" / "definitions").exists()
    refused = run("new", "defs/dinkes/surat-keluar")
    assert refused.exit_code == 1
    assert ("'defs' adalah folder di sini, bukan unit di folder definisi definitions; SOP baru ditulis di bawah folder "
            "definisi. Tulis  sopdoc new --root defs dinkes/surat-keluar  untuk menulisnya di defs, atau pilih nama "
            "unit lain.") in refused.output
    assert not (tmp_path / "definitions" / "defs").exists() and not list((tmp_path / "defs").iterdir())
    assert run("new", "--root", "defs", "dinkes/surat-keluar").exit_code == 0
    assert (tmp_path / "defs" / "dinkes" / "surat-keluar.yaml").is_file()

def test_new_in_a_root_whose_name_holds_a_line_break_still_validates(tmp_path):
    root = tmp_path / "definisi\nnomor: 9"
    assert run("new", "dinas-baru/surat-masuk", "--root", str(root)).exit_code == 0
    text = (root / "dinas-baru" / "surat-masuk.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["nomor"].startswith("000/")
    checked = run("validate", str(root))
    assert checked.exit_code == 0, checked.output
    assert "1 SOP diperiksa: 1 sah, 0 bermasalah; 0 galat, 8 peringatan." in checked.output


def test_messages_name_files_as_the_user_named_them_and_actors_by_jabatan(tmp_path, monkeypatch):
    """A folder named relative to a sibling (../defs) printed as a whole path from the disk's root."""
    defs, work = tmp_path / "defs", tmp_path / "kerja"
    defs.mkdir()
    work.mkdir()
    for name in ("unit.yaml", "pelaksana-tidak-dipakai.yaml"):
        (defs / name).write_bytes((FIXTURES / "warnings" / name).read_bytes())
    monkeypatch.chdir(work)
    result = run("validate", "../defs")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "../defs/pelaksana-tidak-dipakai.yaml:5 pelaksana.arsiparis: pelaksana Arsiparis tidak pernah dipakai di "
        "kegiatan mana pun; pakai di sebuah kegiatan, atau hapus baris ini (peringatan)"]
