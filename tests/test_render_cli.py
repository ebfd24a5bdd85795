"""sopdoc render from the command line: outputs, failures, missing programs."""

import shutil

from click.testing import CliRunner
from conftest import FIXTURES
from pdfcheck import page_texts

from sopdoc.cli import main
from sopdoc.flowchart import route

GOOD = FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml"


def test_render_writes_docx_only_and_names_outputs_by_unit(tmp_path):
    result = CliRunner().invoke(main, ["render", str(GOOD), "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kasus-f4" / "keputusan-kembali.docx").is_file()
    assert not (tmp_path / "kasus-f4" / "keputusan-kembali.pdf").exists()
    assert result.output.strip().endswith("1 SOP dibuat, 0 gagal.")


def test_a_broken_sop_is_reported_and_the_others_still_render(tmp_path, unit_dir):
    shutil.copy(GOOD, unit_dir / "baik.yaml")
    (unit_dir / "rusak.yaml").write_text("nama: Rusak\nkegiatan: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(unit_dir), "--format", "docx", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "rusak.yaml" in result.output and "pelaksana: wajib diisi" in result.output
    assert "1 SOP dibuat, 1 gagal." in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "o" / "dinas-uji" / "baik.docx").is_file()
    assert not list((tmp_path / "o").rglob("rusak*"))


def test_unknown_format_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["render", str(GOOD), "--format", "html", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "'html': pilih dari docx, pdf, json" in result.output


def test_missing_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name in ("soffice", "libreoffice") else real_which(name))
    result = CliRunner().invoke(main, ["render", str(GOOD), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "LibreOffice tidak ditemukan" in result.output
    assert "sudo apt-get install libreoffice-writer-nogui fonts-liberation" in result.output
    assert "Traceback" not in result.output and not list(tmp_path.rglob("*.docx"))


def test_missing_graphviz_says_what_to_install(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "dot" else real_which(name))
    result = CliRunner().invoke(main, ["render", str(GOOD), "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Program graphviz (dot) tidak ditemukan. Pasang dengan: sudo apt-get install graphviz" in result.output


def _fake_soffice(tmp_path, monkeypatch, body: str) -> None:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    from sopdoc.document import pdf

    monkeypatch.setattr(pdf, "soffice_binary", lambda: str(script))


def test_libreoffice_failure_is_reported_with_its_last_words(tmp_path, monkeypatch):
    _fake_soffice(tmp_path, monkeypatch, 'echo "Error: source file could not be loaded" >&2; exit 1')
    result = CliRunner().invoke(main, ["render", str(GOOD), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "keputusan-kembali.yaml: LibreOffice gagal membuat PDF: Error: source file could not be loaded" in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "o").rglob("*.pdf"))


def test_libreoffice_timeout_is_reported(tmp_path, monkeypatch):
    from sopdoc.document import pdf

    _fake_soffice(tmp_path, monkeypatch, "sleep 30")
    monkeypatch.setattr(pdf, "BASE_SECONDS", 1)
    monkeypatch.setattr(pdf, "SECONDS_PER_FILE", 0)
    monkeypatch.setattr(pdf, "SECONDS_PER_MB", 0)
    result = CliRunner().invoke(main, ["render", str(GOOD), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "LibreOffice tidak selesai dalam 1 detik untuk 1 berkas" in result.output


def test_a_row_taller_than_a_page_continues_on_the_next(tmp_path, unit_dir):
    words = " ".join(f"Menyusun konsep jawaban surat permohonan bagian {n}" for n in range(120))
    text = GOOD.read_text(encoding="utf-8").replace("uraian: Menyusun konsep jawaban surat permohonan",
                                                   "uraian: " + words)
    (unit_dir / "panjang.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(unit_dir), "--format", "docx,pdf", "--out",
                                       str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    pages = page_texts(next((tmp_path / "o").rglob("panjang.pdf")))
    flowchart = [" ".join(text.split()) for text in pages[1:]]
    # Row 2's text runs from one page onto the next, whole and in order.
    first = next(n for n, text in enumerate(flowchart) if "bagian 0 " in text)
    last = next(n for n, text in enumerate(flowchart) if "bagian 119" in text)
    assert last > first
    assert all(f"bagian {n} " in " ".join(flowchart) + " " for n in range(120))


def test_quotes_and_backslashes_in_labels_and_names_render(tmp_path, unit_dir):
    (unit_dir / "kutip.yaml").write_text("""nama: Kutip
pelaksana: {a: 'Kepala\\\\Sub "Bagian"', b: Staf}
kegiatan:
  - {uraian: Memulai, pelaksana: a}
  - {id: x, uraian: Menyusun, pelaksana: b}
  - uraian: Memeriksa
    pelaksana: a
    keputusan: {ya: berikutnya, tidak: x, label: ['Ya "benar"', 'Tidak \\\\ salah']}
  - {uraian: Mengakhiri, pelaksana: b}
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(unit_dir), "--format", "docx", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    from sopdoc.definition import reader
    from sopdoc.flowchart import drawing, layout

    (sop,) = reader.read([unit_dir]).sops
    plan = layout.layout(sop)
    source = drawing.page_source(plan, plan.pages[0])
    assert 'label="Ya \\"benar\\""' in source and 'label="Tidak \\\\\\\\ salah"' in source


def test_an_arrow_no_rule_abiding_route_exists_for_is_drawn_and_named_as_a_warning(tmp_path, monkeypatch):
    # Stand-in for a page that truly cannot be drawn: the router finds a route for no link.
    def route_nothing(page, links, lanes, lane_width, relaxed=False):
        page.arrows.clear()
        return list(links), []

    monkeypatch.setattr(route, "route_page", route_nothing)
    result = CliRunner().invoke(main, ["render", str(GOOD), "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # keputusan-kembali.yaml: row 1 flows to row 2; its decision (row 3) sends "tidak" back to row 2.
    assert "keputusan-kembali.yaml" in result.output
    assert "panah kegiatan 1 ke 2 tidak dapat digambar menurut aturan" in result.output
    assert "panah kegiatan 3 ke 2 tidak dapat digambar" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "kasus-f4" / "keputusan-kembali.docx").is_file()
