"""Each construct of real, signed SOPs on its own: laid out on four papers, and through the workbook and back.

One small SOP per construct, written here by hand as an Ortala would. The layout's
oracle is the independent drawing checker (tests/oracle/drawcheck.py); the
workbook's oracle is the YAML written here, read as data: `sopdoc excel` writes the
workbook, `sopdoc import` reads it back, and the files it writes must hold the same
data as the hand-written ones (never compared with the reader's output of the same
writer).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cases import PAPERS, kept_rule_defects
from click.testing import CliRunner
from oracle import drawcheck

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout

UNIT = {"pemerintah": "Pemerintah Kabupaten Uji", "unit": "Dinas Uji"}
ACTORS = "pelaksana: {loket: Petugas Loket, kasi: Kepala Seksi, kabid: Kepala Bidang}\n"

# construct -> (unit.yaml additions, the SOP as written by hand)
CONSTRUCTS: dict[str, tuple[dict, str]] = {
    "langkah": ({}, """nama: Beberapa Simbol Sebaris
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan di loket atau lewat surat
    langkah:
      - pelaksana: loket
      - pelaksana: kasi
  - uraian: Memeriksa dan menilai permohonan
    waktu: 10 menit
    langkah:
      - id: periksa
        pelaksana: loket
        lanjut: nilai
      - id: nilai
        pelaksana: kabid
        keputusan: {ya: berikutnya, tidak: periksa}
  - uraian: Menyampaikan hasil
    langkah:
      - pelaksana: kasi
        lanjut: tutup
      - id: tutup
        pelaksana: kabid
"""),
    "selesai": ({}, """nama: Berakhir Di Tengah
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa kelengkapan
    pelaksana: kasi
    keputusan: {ya: berikutnya, tidak: selesai}
  - uraian: Menilai permohonan
    pelaksana: loket
    keputusan: {ya: arsip, tidak: berikutnya}
  - uraian: Mengembalikan permohonan
    pelaksana: kasi
    lanjut: selesai
  - id: arsip
    uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "percabangan": ({}, """nama: Percabangan
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Meneruskan permohonan
    pelaksana: kasi
    lanjut: [catat, arsip]
  - id: catat
    uraian: Mencatat permohonan
    pelaksana: loket
    lanjut: selesai
  - id: arsip
    uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "percabangan-keputusan": ({}, """nama: Percabangan Keputusan
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: [arsip, kabar], tidak: berikutnya}
  - id: catat
    uraian: Mencatat permohonan
    pelaksana: loket
    lanjut: selesai
  - id: arsip
    uraian: Mengarsipkan permohonan
    pelaksana: kabid
    lanjut: selesai
  - id: kabar
    uraian: Mengabarkan hasil
    pelaksana: kasi
"""),
    "tanpa-label": ({}, """nama: Keputusan Tanpa Label
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - id: periksa
    uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: berikutnya, tidak: periksa-ulang, label: ["", ""]}
  - uraian: Menyetujui permohonan
    pelaksana: kabid
    lanjut: selesai
  - id: periksa-ulang
    uraian: Memeriksa ulang permohonan
    pelaksana: loket
"""),
    "nomor": ({}, """nama: Nomor Tercetak
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - nomor: 1a
    uraian: Mencatat permohonan
    pelaksana: kasi
  - nomor: ""
    uraian: Memeriksa permohonan
    pelaksana: kabid
  - uraian: Mengarsipkan permohonan
    pelaksana: loket
"""),
    "judul": ({"judul": {"kelengkapan": "Persyaratan/Perlengkapan"}}, """nama: Judul Diganti
judul:
  waktu: Lama
  tanggal_efektif: Tanggal Pengesahan
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
    kelengkapan: Formulir
  - uraian: Memeriksa permohonan
    pelaksana: kasi
  - uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "tanpa-keterangan": ({"kolom_keterangan": False}, """nama: Tanpa Kolom Keterangan
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa permohonan
    pelaksana: kasi
  - uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "kop": ({"kop": ["BADAN PUSAT STATISTIK", "PROVINSI UJI"]}, """nama: Kop Utuh
kop: [BADAN PUSAT STATISTIK, KABUPATEN UJI]
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa permohonan
    pelaksana: kasi
  - uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "kertas": ({"kertas": "Letter"}, """nama: Kertas Sendiri
kertas: Legal
orientasi: potret
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa permohonan
    pelaksana: kasi
  - uraian: Mengarsipkan permohonan
    pelaksana: kabid
"""),
    "waktu": ({}, """nama: Satuan Waktu
""" + ACTORS + """kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
    waktu: 2 menit/berkas
  - uraian: Memeriksa permohonan
    pelaksana: kasi
    waktu: 3 hari kerja
  - uraian: Mengarsipkan permohonan
    pelaksana: kabid
    waktu: 14 hari kalender
  - uraian: Mengabarkan hasil
    pelaksana: loket
    waktu: 5 menit per dokumen
"""),
}


def _unit(extra: dict) -> dict:
    return {**UNIT, **extra}


def _read(construct: str, folder: Path):
    extra, text = CONSTRUCTS[construct]
    (folder / "unit.yaml").write_text(yaml.safe_dump(_unit(extra), allow_unicode=True), encoding="utf-8")
    (folder / f"{construct}.yaml").write_text(text, encoding="utf-8")
    result = reader.read([folder])
    assert result.errors == [], [str(p) for p in result.errors]
    return result


# --- layout: every construct on F4, A4, Letter and Legal, landscape and portrait --------------------

# The papers of every rendering test, and the two that signed SOPs are also printed on.
_PAPERS = [*PAPERS, ("Letter", "lanskap"), ("Letter", "potret"), ("Legal", "lanskap"), ("Legal", "potret")]


def _layout_cases():
    for construct in sorted(CONSTRUCTS):
        for kertas, orientasi in _PAPERS:
            yield pytest.param(construct, kertas, orientasi, id=f"{construct}-{kertas}-{orientasi}")


@pytest.mark.parametrize(("construct", "kertas", "orientasi"), list(_layout_cases()))
def test_each_construct_is_laid_out_within_the_drawing_rules(construct, kertas, orientasi, tmp_path):
    extra, text = CONSTRUCTS[construct]
    _read(construct, tmp_path)
    own = "".join(line + "\n" for line in text.splitlines() if not line.startswith(("kertas:", "orientasi:")))
    (tmp_path / f"{construct}.yaml").write_text(f"kertas: {kertas}\norientasi: {orientasi}\n{own}", encoding="utf-8")
    (sop,) = reader.read([tmp_path]).sops
    plan = layout.layout(sop)
    doc = geometry.document(sop, plan, geometry.predicted_frames(plan))
    assert (doc["paper"]["name"], doc["paper"]["orientation"]) == (kertas, orientasi)
    report = drawcheck.check(doc)
    assert kept_rule_defects(report) == [], [str(d) for d in kept_rule_defects(report)]
    assert plan.warnings == []
    # A fork is one line that splits at a junction dot (DEFINITION-FORMAT.md, Forks): a dot names each forking symbol.
    forking = {f"r{r + 1}" if len(row.langkah) == 1 else f"r{r + 1}-{i + 1}"
               for r, row in enumerate(sop.kegiatan) for i, symbol in enumerate(row.langkah)
               if any(len(e.targets) > 1 for e in symbol.exits)}
    dots = {j.get("from") for page in doc["pages"] for j in page["junctions"]}
    assert forking <= dots, f"percabangan tanpa titik cabang: {sorted(forking - dots)}"


# --- the workbook: out and back -----------------------------------------------------------------------

def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _data(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_each_construct_comes_back_from_the_workbook_as_written(construct, tmp_path):
    source = tmp_path / "asal" / "dinas-uji"
    source.mkdir(parents=True)
    _read(construct, source)
    result = _run("excel", source, "--out", tmp_path / "uji.xlsx")
    assert result.exit_code == 0, result.output
    result = _run("import", tmp_path / "uji.xlsx", "--to", tmp_path / "kembali")
    assert result.exit_code == 0, result.output
    (sop_file,) = (tmp_path / "kembali").rglob(f"{construct}.yaml")
    # The importer writes the two keys every SOP sheet has a cell for, at their defaults.
    assert _data(sop_file) == {"status": "berlaku", "revisi": [], **yaml.safe_load(CONSTRUCTS[construct][1])}
    assert _data(sop_file.with_name("unit.yaml")) == _unit(CONSTRUCTS[construct][0])
