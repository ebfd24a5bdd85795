"""One date rule: every way a person writes a date is read the same in YAML, Excel, the studio's save and revise.

The oracle is the calendar date each form names, written out by hand here
(Tanggal(2024, 1, 15)), and the YAML a save writes, read by PyYAML.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DEFINITIONS
from openpyxl import Workbook
from starlette.testclient import TestClient
from studioform import form_pairs, replaced

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.definition.model import Tanggal
from sopdoc.studio.app import create_app

DAY_FORMS = ["2024-01-15", "15 Januari 2024", "15 januari 2024", "15/01/2024", "15-01-2024", "15/1/2024",
             "15.01.2024", "2024-1-15"]
MONTH_FORMS = ["Maret 2021", "maret 2021", "2021-03"]
FORMS = [(typed, Tanggal(2024, 1, 15)) for typed in DAY_FORMS] + \
        [(typed, Tanggal(2021, 3)) for typed in MONTH_FORMS]

BODY = """\
nama: Contoh tanggal
tanggal_pembuatan: 2020-01-01
tanggal_efektif: "{typed}"
pelaksana:
  kepala: Kepala Dinas
  staf: Staf Pelaksana
kegiatan:
  - uraian: Memberikan disposisi
    pelaksana: kepala
  - uraian: Menyusun konsep
    pelaksana: staf
"""


@pytest.mark.parametrize(("typed", "meant"), FORMS)
def test_yaml_reads_every_form_as_its_date(unit_dir, typed, meant):
    path = unit_dir / "contoh.yaml"
    path.write_text(BODY.format(typed=typed), encoding="utf-8")
    result = reader.read([path])
    assert result.problems == []
    assert result.sops[0].tanggal_efektif == meant


@pytest.mark.parametrize(("typed", "meant"), FORMS)
def test_excel_reads_every_form_typed_as_text_as_its_date(tmp_path, typed, meant):
    book = Workbook()
    unit = book.active
    unit.title = "Unit"
    for row in (("Pemerintah", "Pemerintah Kabupaten Uji"), ("Unit", "Dinas Uji")):
        unit.append(row)
    sheet = book.create_sheet("Contoh")
    for row in (("Nama SOP", "Contoh tanggal"), ("Tanggal Pembuatan", "1 Januari 2020"), ("Tanggal Efektif", typed),
                (), ("No", "Kegiatan", "Kepala Dinas", "Staf Pelaksana"),
                (1, "Memberikan disposisi", "✓"), (2, "Menyusun konsep", None, "✓")):
        sheet.append(row)
    sheet["B3"].number_format = "@"
    book.save(tmp_path / "isian.xlsx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "isian.xlsx"), "--to", str(tmp_path / "defs")])
    assert result.exit_code == 0, result.output
    (sop,) = reader.read([tmp_path / "defs"]).sops
    assert sop.tanggal_efektif == meant


@pytest.fixture
def studio(tmp_path: Path):
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    token = "uji-tanggal"
    with TestClient(create_app(root, tmp_path / "output", token), base_url=f"http://127.0.0.1:8765/{token}") as c:
        c.headers["X-Sopdoc-Token"] = token
        yield c, root


@pytest.mark.parametrize(("typed", "meant"), FORMS)
def test_the_studio_saves_every_form_as_its_date(studio, typed, meant):
    client, root = studio
    key = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
    page = client.get(f"/sop/{key}").text
    version = page.split('data-versi="')[1].split('"')[0]
    fields = replaced(form_pairs(page), "tanggal_efektif", typed)
    response = client.post(f"/sop/{key}/simpan", json={"isian": fields, "versi": version})
    assert response.status_code == 200, response.text
    path = root / f"{key}.yaml"
    written = yaml.safe_load(path.read_text(encoding="utf-8"))["tanggal_efektif"]
    # A day is written as a YAML date whichever way it was typed; a month alone as its words.
    assert written == (datetime.date(2024, 1, 15) if meant.hari else typed)
    assert reader.read([path]).sops[0].tanggal_efektif == meant


@pytest.mark.parametrize(("typed", "meant"), FORMS)
def test_revise_reads_every_form_as_its_date(unit_dir, typed, meant):
    path = unit_dir / "contoh.yaml"
    path.write_text(BODY.format(typed="2020-01-01"), encoding="utf-8")
    result = CliRunner().invoke(main, ["revise", str(path), "--tanggal", typed, "--catatan", "Uji"])
    assert result.exit_code == 0, result.output
    assert reader.read([path]).sops[0].revisi[-1].tanggal == meant
