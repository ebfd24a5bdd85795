"""A unit's chain of unit.yaml files has one owner: the reader, the studio's unit page and import agree on it.

The tree has a gap: kab-atas holds a unit.yaml, its folder bidang holds none, and
the unit bidang/dinas holds its own. Nested unit files merge top-down only while
each folder holds one (docs/definisi.md), so nothing of kab-atas reaches dinas.
Oracles: the unit.yaml texts written here and what they say, never the chain code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DEFINITIONS
from openpyxl import load_workbook
from starlette.testclient import TestClient

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.studio.app import create_app

TOKEN = "uji-token"
ABOVE = ("pemerintah: Pemerintah Kabupaten Atas\nunit: Bagian Atas\nkertas: A4\n"
         "disahkan_oleh:\n  jabatan: Bupati Atas\n")
OWN = "pemerintah: Pemerintah Kota Bawah\nunit: Dinas Bawah\ndisahkan_oleh:\n  jabatan: Kepala Dinas Bawah\n"
SOP = DEFINITIONS / "kab-way-kanan" / "diskominfo" / "monitoring-evaluasi-kinerja.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def defs(tmp_path: Path, monkeypatch) -> Path:
    """Return the tree defs/kab-atas/bidang/dinas with no unit.yaml in bidang; the working folder is its parent."""
    monkeypatch.chdir(tmp_path)
    dinas = tmp_path / "defs" / "kab-atas" / "bidang" / "dinas"
    dinas.mkdir(parents=True)
    (tmp_path / "defs" / "kab-atas" / "unit.yaml").write_text(ABOVE, encoding="utf-8")
    (dinas / "unit.yaml").write_text(OWN, encoding="utf-8")
    shutil.copy(SOP, dinas / SOP.name)
    return Path("defs")


def test_reader_studio_unit_page_and_import_agree_on_a_chain_with_a_gap(defs, tmp_path):
    dinas = defs / "kab-atas" / "bidang" / "dinas"
    (sop,) = reader.read([dinas]).sops
    assert sop.unit.files == (dinas / "unit.yaml",)
    assert (sop.unit.pemerintah, sop.unit.kertas, sop.unit.disahkan_oleh.jabatan) == \
        ("Pemerintah Kota Bawah", "F4", "Kepala Dinas Bawah")
    assert sop.unit.key == "dinas"

    with TestClient(create_app(defs, tmp_path / "out", TOKEN), base_url=f"http://127.0.0.1:8765/{TOKEN}") as studio:
        page = studio.get("/unit/kab-atas/bidang/dinas").text
    assert "Yang dikosongkan diambil dari" not in page
    assert "(bawaan: F4)" in page and "(bawaan: A4)" not in page
    assert "Pemerintah Kabupaten Atas" not in page and "Bupati Atas" not in page

    # The workbook names the unit's folder by its key ("dinas"): imported back where it came from, nothing changes.
    assert run("excel", dinas, "--out", "dinas.xlsx").exit_code == 0
    same = run("import", "dinas.xlsx", "--to", defs / "kab-atas" / "bidang", "--timpa")
    assert same.exit_code == 0, same.output
    assert f"{dinas / 'unit.yaml'}: tidak berubah" in same.output
    assert (dinas / "unit.yaml").read_text(encoding="utf-8") == OWN


def test_import_below_a_gap_it_cannot_fill_writes_what_the_reader_needs(defs):
    """bidang's unit.yaml is a link to a file since deleted: no file, so the chain stops there as at any gap.

    The new unit in the workbook has kab-atas's government, paper and signer. Import used to merge every
    folder above, left those out of the new unit.yaml, and the reader then found no pemerintah.
    """
    bidang = defs / "kab-atas" / "bidang"
    (bidang / "unit.yaml").symlink_to("dihapus.yaml")
    dinas = bidang / "dinas"
    (dinas / "unit.yaml").write_text(ABOVE, encoding="utf-8")
    assert run("excel", dinas, "--out", "baru.xlsx").exit_code == 0
    book = load_workbook("baru.xlsx")
    book["Unit"]["B2"], book["Unit"]["B12"] = "Dinas Baru", "kab-atas/bidang/dinas-baru"
    book.save("baru.xlsx")
    result = run("import", "baru.xlsx", "--to", defs)
    assert result.exit_code == 0, result.output
    assert f"{bidang / 'dinas-baru' / 'unit.yaml'}: baru" in result.output
    (sop,) = reader.read([bidang / "dinas-baru"]).sops
    assert (sop.unit.pemerintah, sop.unit.unit, sop.unit.kertas, sop.unit.disahkan_oleh.jabatan) == \
        ("Pemerintah Kabupaten Atas", "Dinas Baru", "A4", "Bupati Atas")


def test_new_writes_a_unit_file_that_joins_the_chain_or_starts_one_after_a_gap(defs):
    """sopdoc new wrote no unit.yaml in a new unit folder when any folder above held one, so the reader refused
    the new SOP (every unit folder needs its own); across a gap it would have lacked pemerintah as well."""
    joined = run("new", "kab-atas/dinas-dua/surat-masuk", "--root", defs)
    assert joined.exit_code == 0, joined.output
    own = (defs / "kab-atas" / "dinas-dua" / "unit.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(own) == {"unit": "Dinas Dua (tulis nama lengkap unit)"}
    after_gap = run("new", "kab-atas/bidang/dinas-tiga/surat-masuk", "--root", defs)
    assert after_gap.exit_code == 0, after_gap.output
    result = reader.read([defs / "kab-atas" / "dinas-dua", defs / "kab-atas" / "bidang" / "dinas-tiga"])
    assert result.errors == [], [str(p) for p in result.errors]
    assert [(sop.unit.key, sop.unit.pemerintah, sop.unit.unit) for sop in result.sops] == [
        ("kab-atas/dinas-dua", "Pemerintah Kabupaten Atas", "Dinas Dua (tulis nama lengkap unit)"),
        ("dinas-tiga", "Pemerintah Kabupaten Contoh", "Dinas Tiga (tulis nama lengkap unit)")]
