"""sopdoc revise keeps every other byte of the file, and refuses a bad revision."""

import datetime
import re
import stat
import zipfile

import pytest
import yaml
from click.testing import CliRunner

from sopdoc.authoring import revise, scaffold, yamlwrite
from sopdoc.cli import main

HEAD = """# Komentar di awal berkas tetap ada.
nomor: "800/   /UJI/2024"   # nomor dengan spasi kosong
nama: Contoh revisi
tanggal_pembuatan: 2024-01-15
"""
TAIL = """pelaksana:
    kepala: Kepala Dinas        # indentasi empat spasi, sengaja
    staf: 'Staf Pelaksana'
kegiatan:
    -   uraian: Memberikan disposisi
        pelaksana: kepala
        waktu: 15 menit

    -   uraian: Menyusun konsep    # baris kosong di atas tetap
        pelaksana: staf
"""


def _write(unit_dir, text, name="contoh.yaml", newline="\n"):
    path = unit_dir / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def _added_lines(before: str, after: str) -> list[str]:
    """Return the lines of *after* that are not in *before*, asserting the rest is unchanged and in order."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added, i = [], 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), "a line of the original file was changed or lost"
    return added


def test_empty_flow_list_becomes_a_block_list_keeping_its_comment(unit_dir):
    original = HEAD + "revisi: []    # riwayat revisi\n" + TAIL
    path = _write(unit_dir, original)
    sop = revise.revise(path, datetime.date(2024, 6, 10), "Pelaksana langkah 2 diganti")
    after = path.read_text(encoding="utf-8")
    assert after == original.replace("revisi: []    # riwayat revisi\n",
                                     "revisi:    # riwayat revisi\n"
                                     "    - tanggal: 2024-06-10\n      catatan: Pelaksana langkah 2 diganti\n")
    assert str(sop.tanggal_revisi) == "10 Juni 2024"
    assert (unit_dir / "contoh.yaml.bak").read_text(encoding="utf-8") == original


def test_block_list_gets_one_entry_and_nothing_else_changes(unit_dir):
    original = HEAD + "revisi:\n  - tanggal: 2024-03-01   # pertama\n    catatan: 'Awal: uji'\n\n" + TAIL
    path = _write(unit_dir, original)
    revise.revise(path, datetime.date(2024, 6, 10), "Catatan: dengan titik dua # dan pagar")
    after = path.read_text(encoding="utf-8")
    assert _added_lines(original, after) == [
        "  - tanggal: 2024-06-10\n",
        '    catatan: "Catatan: dengan titik dua # dan pagar"\n',
    ]
    assert after.index("2024-06-10") > after.index("'Awal: uji'")


def test_missing_revisi_key_is_added_after_the_dates(unit_dir):
    original = HEAD + TAIL
    path = _write(unit_dir, original)
    revise.revise(path, datetime.date(2024, 2, 1), "Revisi pertama")
    after = path.read_text(encoding="utf-8")
    assert _added_lines(original, after) == [
        "revisi:\n", "    - tanggal: 2024-02-01\n", "      catatan: Revisi pertama\n"]
    assert after.index("revisi:") > after.index("tanggal_pembuatan")


def test_crlf_file_keeps_crlf(unit_dir):
    original = HEAD + "revisi: []\n" + TAIL
    path = _write(unit_dir, original, newline="\r\n")
    revise.revise(path, datetime.date(2024, 6, 10), "CRLF")
    after = path.read_bytes().decode("utf-8")
    assert "\n" not in after.replace("\r\n", "")
    assert after.replace("\r\n", "\n") == original.replace(
        "revisi: []\n", "revisi:\n    - tanggal: 2024-06-10\n      catatan: CRLF\n")


def test_revision_before_the_last_one_is_refused_and_the_file_untouched(unit_dir):
    original = HEAD + "revisi:\n  - tanggal: 2024-06-10\n" + TAIL
    path = _write(unit_dir, original)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-05-01", "--catatan", "Mundur"])
    assert result.exit_code == 1
    assert ("tanggal revisi 1 Mei 2024 lebih awal dari revisi terakhir (10 Juni 2024); revisi ditulis berurutan, "
            "yang terbaru paling bawah. Berkas tidak diubah.") in result.output
    assert path.read_text(encoding="utf-8") == original
    assert not (unit_dir / "contoh.yaml.bak").exists()


def test_revision_before_creation_is_refused(unit_dir):
    path = _write(unit_dir, HEAD + TAIL)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2023-12-31", "--catatan", "Terlalu awal"])
    assert result.exit_code == 1
    assert "lebih awal dari tanggal pembuatan (15 Januari 2024)" in result.output


def test_revision_dated_in_the_future_is_refused(unit_dir):
    original = HEAD + TAIL
    path = _write(unit_dir, original)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", tomorrow.isoformat(), "--catatan", "Nanti"])
    assert result.exit_code == 1
    assert "belum tiba (hari ini" in result.output and "Berkas tidak diubah." in result.output
    assert path.read_text(encoding="utf-8") == original
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "9999-12-31", "--catatan", "Jauh"])
    assert result.exit_code == 1 and path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("typed", ["2024-06-10", "10 Juni 2024", "10 juni 2024", "10/06/2024", "10-06-2024",
                                   "10/6/2024"])
def test_every_date_form_records_the_same_revision(unit_dir, typed):
    """The one date rule: what a definition, the studio and Excel read as 10 June 2024, revise reads so too."""
    path = _write(unit_dir, HEAD + TAIL)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", typed, "--catatan", "x"])
    assert result.exit_code == 0, result.output
    assert "- tanggal: 2024-06-10\n" in path.read_text(encoding="utf-8")
    assert result.output.startswith("Revisi 10 Juni 2024 ditambahkan ke ")


def test_a_month_alone_is_recorded_as_the_definition_writes_it(unit_dir):
    path = _write(unit_dir, HEAD + TAIL)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "Juni 2024", "--catatan", "x"])
    assert result.exit_code == 0, result.output
    assert "- tanggal: Juni 2024\n" in path.read_text(encoding="utf-8")
    assert "Tanggal Revisi kini: Juni 2024;" in result.output


@pytest.mark.parametrize(("typed", "message"), [
    ("kemarin", "'kemarin' bukan tanggal; tulis misalnya 15 Januari 2024, 15/01/2024, 15-01-2024 atau 2024-01-15; "
                "bila harinya tidak ada, bulan dan tahun: Maret 2021"),
    ("31/06/2024", "'31/06/2024' bukan tanggal yang ada di kalender; periksa hari dan bulannya"),
    ("06/31/2024", "'06/31/2024' bukan tanggal yang ada di kalender; periksa hari dan bulannya"),
])
def test_bad_date_is_a_usage_error(unit_dir, typed, message):
    path = _write(unit_dir, HEAD + TAIL)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", typed, "--catatan", "x"])
    assert result.exit_code == 2
    assert f"Nilai tidak sah untuk '--tanggal': {message}" in " ".join(result.output.split())
    assert path.read_text(encoding="utf-8") == HEAD + TAIL


def test_invalid_definition_is_not_revised(unit_dir):
    original = HEAD.replace("nama: Contoh revisi\n", "") + TAIL
    path = _write(unit_dir, original)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "x"])
    assert result.exit_code == 1
    assert "memuat galat; perbaiki dulu" in result.output and "nama: wajib diisi" in result.output
    assert path.read_text(encoding="utf-8") == original


def test_revise_with_render_prints_the_new_date_and_history(unit_dir, tmp_path):
    path = _write(unit_dir, HEAD + "revisi:\n  - tanggal: 2024-03-01\n    catatan: Pertama\n" + TAIL)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "Kedua",
                                       "--render", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Tanggal Revisi kini: 10 Juni 2024; riwayat memuat 2 revisi." in result.output
    with zipfile.ZipFile(out / "dinas-uji" / "contoh.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "10 Juni 2024" in xml and "Riwayat Revisi" in xml and "Kedua" in xml
    assert (out / "dinas-uji" / "contoh.pdf").is_file()


# The revise cases of the reliability review (6.x); each test is named after its scenario.

def test_revise_reads_a_tab_after_colon_like_validate(unit_dir):
    """6.5: validate accepted 'nama:<TAB>...', revise crashed with yaml.scanner.ScannerError."""
    original = HEAD.replace("nama: Contoh revisi", "nama:\tContoh revisi") + TAIL
    path = _write(unit_dir, original)
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "Tab"])
    assert result.exit_code == 0, result.output
    assert _added_lines(original, path.read_text(encoding="utf-8")) == [
        "revisi:\n", "    - tanggal: 2024-06-10\n", "      catatan: Tab\n"]


FLOW = """revisi: [   # riwayat
  {tanggal: '2024-02-01', catatan: "Pertama, dengan koma"},   # revisi pertama
  # komentar di dalam daftar
  {tanggal: 2024-03-01, catatan: 'Kedua: titik dua'}
]  # akhir
"""


def test_revise_keeps_comments_inside_a_flow_style_revisi_list(unit_dir):
    """6.7: '# riwayat', '# revisi pertama' and '# komentar di dalam daftar' were deleted."""
    original = HEAD + FLOW + TAIL
    path = _write(unit_dir, original)
    sop = revise.revise(path, datetime.date(2024, 6, 10), "Ketiga, lagi")
    after = path.read_text(encoding="utf-8")
    assert after == original.replace("{tanggal: 2024-03-01, catatan: 'Kedua: titik dua'}\n",
                                     "{tanggal: 2024-03-01, catatan: 'Kedua: titik dua'},\n"
                                     '  {tanggal: 2024-06-10, catatan: "Ketiga, lagi"}\n')
    assert [r.catatan for r in sop.revisi] == ["Pertama, dengan koma", "Kedua: titik dua", "Ketiga, lagi"]


def test_revise_adds_to_a_one_line_flow_list_on_its_line(unit_dir):
    """6.6 (passed): a one-line flow list gets the entry; the old one is kept."""
    original = HEAD + "revisi: [{tanggal: 2024-03-01, catatan: x}]  # satu baris\n" + TAIL
    path = _write(unit_dir, original)
    revise.revise(path, datetime.date(2024, 6, 10), "y")
    assert path.read_text(encoding="utf-8") == original.replace(
        "catatan: x}]", 'catatan: x}, {tanggal: 2024-06-10, catatan: "y"}]')


def test_revise_after_a_block_scalar_catatan_inserts_in_the_list(unit_dir):
    """6.9: the entry landed under the next key (dasar_hukum) and the revision was refused."""
    block = "revisi:\n  - tanggal: 2024-02-15\n    catatan: |\n      Penambahan langkah\n      penggandaan laporan\n"
    original = HEAD + block + "dasar_hukum:\n  - Peraturan\n" + TAIL
    path = _write(unit_dir, original)
    sop = revise.revise(path, datetime.date(2024, 6, 10), "Sesudah blok")
    assert _added_lines(original, path.read_text(encoding="utf-8")) == [
        "  - tanggal: 2024-06-10\n", "    catatan: Sesudah blok\n"]
    assert path.read_text(encoding="utf-8").index("Sesudah blok") < path.read_text(encoding="utf-8").index("dasar")
    assert sop.dasar_hukum == ("Peraturan",)


def test_revise_after_a_folded_nama_without_revisi(unit_dir):
    """6.9: with no revisi and 'nama: >' last of the keys revise inserts after, the new key went inside the fold."""
    original = "nama: >\n  Nama yang\n  dilipat\n" + TAIL
    path = _write(unit_dir, original)
    sop = revise.revise(path, datetime.date(2024, 6, 10), "Pertama")
    assert _added_lines(original, path.read_text(encoding="utf-8")) == [
        "revisi:\n", "    - tanggal: 2024-06-10\n", "      catatan: Pertama\n"]
    assert sop.nama == "Nama yang dilipat"


@pytest.mark.parametrize("catatan", ["baris\u2028pemisah", "NEL\x85di tengah", "tab\tdan \"kutip\" 'tunggal'",
                                     "# pagar", "- strip", "yes", "2024-01-01", "[a] {b}"])
def test_difficult_catatan_round_trips_exactly(unit_dir, catatan):
    """6.8 (note): NEL (U+0085) was read back as a space."""
    path = _write(unit_dir, HEAD + TAIL)
    sop = revise.revise(path, datetime.date(2024, 6, 10), catatan)
    assert sop.revisi[-1].catatan == catatan


_VALUE = re.compile(r'^\s*-?\s*(?:nama|catatan): ("(?:[^"\\]|\\.)*"|.*?)(?:\s+#.*)?$')


def _spelled(text: str, key: str) -> str:
    """Return how the last line of *text* with *key* spells its value (its comment left off)."""
    line = [line for line in text.splitlines() if line.strip().lstrip("- ").startswith(f"{key}:")][-1]
    return _VALUE.match(line).group(1)


@pytest.mark.parametrize("text, spelled", [
    ("Surat Masuk", "Surat Masuk"),
    ("Surat#1 masuk", "Surat#1 masuk"),        # '#' starts a comment only after a space
    ("Surat #1 masuk", '"Surat #1 masuk"'),
    ("Catatan: titik dua", '"Catatan: titik dua"'),
    ("yes", '"yes"'),
    ("2024-01-01", '"2024-01-01"'),
    ("NEL\x85di tengah", '"NEL\\Ndi tengah"'),
])
def test_the_scaffold_revise_and_yamlwrite_quote_a_text_alike(unit_dir, text, spelled):
    """One quoting rule: revise used to quote any text holding '#', the others only what would read back wrong."""
    path = _write(unit_dir, HEAD + TAIL)
    revise.revise(path, datetime.date(2024, 6, 10), text)
    assert _spelled(path.read_text(encoding="utf-8"), "catatan") == spelled
    assert _spelled(scaffold.sop_text(text, "x.yaml", datetime.date(2024, 1, 2)), "nama") == spelled
    assert _spelled(yamlwrite.new_text({"nama": text}), "nama") == spelled
    assert yaml.safe_load(f"x: {spelled}") == {"x": text}


def test_revise_on_a_read_only_folder_gives_a_message(unit_dir, monkeypatch):
    """6.13: PermissionError traceback when the SOP's folder could not be written."""
    import errno

    from sopdoc import fsutil

    original = HEAD + TAIL
    path = _write(unit_dir, original)

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fsutil.tempfile, "mkstemp", refused)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "x"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("contoh.yaml.bak; periksa izin foldernya atau pilih folder lain. Berkas SOP tidak diubah."
            in result.output)
    assert path.read_text(encoding="utf-8") == original


def test_revise_on_unit_yaml_says_it_is_not_a_sop(unit_dir):
    """6.16: the message gave an empty list of reasons."""
    result = CliRunner().invoke(main, ["revise", str(unit_dir / "unit.yaml"), "--tanggal", "2024-06-10",
                                       "--catatan", "x"])
    assert result.exit_code == 1
    assert result.output.strip().endswith("unit.yaml berisi data unit, bukan SOP; revise dipakai untuk berkas SOP "
                                          "(misalnya  sopdoc revise definitions/unit/nama-sop.yaml ...)")


def test_revise_keeps_the_definition_mode(unit_dir):
    """6.12, 7.17: a 0644 definition became 0600 after revise."""
    path = _write(unit_dir, HEAD + TAIL)
    path.chmod(0o640)
    revise.revise(path, datetime.date(2024, 6, 10), "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE((unit_dir / "contoh.yaml.bak").stat().st_mode) == 0o640


def test_revise_refuses_a_read_only_definition(unit_dir):
    """6.12: a read-only 0444 definition was replaced by a writable 0600 file."""
    original = HEAD + TAIL
    path = _write(unit_dir, original)
    path.chmod(0o444)
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "x"])
    assert result.exit_code == 1
    assert "contoh.yaml hanya-baca (izin 444), jadi tidak direvisi; bila memang akan direvisi, buka izinnya dulu: " \
           "chmod u+w" in result.output
    assert path.read_text(encoding="utf-8") == original and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_revise_right_after_a_save_keeps_both_earlier_versions(unit_dir):
    """Nothing lost: the save's backup moves back to .bak.1 instead of being replaced by the revise's."""
    first = HEAD + TAIL
    path = _write(unit_dir, first)
    data = yamlwrite.sop_data(revise._read_valid(path))
    data["nama"] = "Contoh revisi kedua"
    yamlwrite.save(path, data)                                   # the studio's save
    second = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "x"])
    assert result.exit_code == 0, result.output
    assert (unit_dir / "contoh.yaml.bak").read_text(encoding="utf-8") == second
    assert (unit_dir / "contoh.yaml.bak.1").read_text(encoding="utf-8") == first
    assert f"(versi sebelumnya: {unit_dir / 'contoh.yaml.bak'})" in result.output


def test_backups_stop_at_ten_versions_the_oldest_going_first(unit_dir):
    path = _write(unit_dir, HEAD + TAIL)
    versions = [path.read_bytes()]
    for day in range(1, 13):
        assert CliRunner().invoke(main, ["revise", str(path), "--tanggal", f"2024-06-{day:02d}",
                                         "--catatan", f"revisi {day}"]).exit_code == 0
        versions.append(path.read_bytes())
    kept = sorted(p.name for p in unit_dir.iterdir() if ".bak" in p.name)
    assert kept == ["contoh.yaml.bak", *(f"contoh.yaml.bak.{n}" for n in range(1, 10))]
    # .bak is the version the last revise replaced, .bak.9 the tenth before the file as it is now.
    for age in range(10):
        suffix = f".bak.{age}" if age else ".bak"
        assert (unit_dir / f"contoh.yaml{suffix}").read_bytes() == versions[-2 - age]


def test_a_backup_that_is_a_link_is_neither_read_nor_moved_back(unit_dir, tmp_path):
    path = _write(unit_dir, HEAD + TAIL)
    outside = tmp_path / "rahasia.txt"
    outside.write_text("rahasia", encoding="utf-8")
    (unit_dir / "contoh.yaml.bak").symlink_to(outside)
    assert CliRunner().invoke(main, ["revise", str(path), "--tanggal", "2024-06-10", "--catatan", "x"]).exit_code == 0
    assert not (unit_dir / "contoh.yaml.bak.1").exists()
    assert (unit_dir / "contoh.yaml.bak").read_text(encoding="utf-8") == HEAD + TAIL
    assert outside.read_text(encoding="utf-8") == "rahasia"
