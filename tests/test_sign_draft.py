# ruff: noqa: F811 - the fixtures of test_studio_http are parameters here
"""A draft (status draf) is never signed: sopdoc sign, export --sign and the studio refuse it in one place."""

from __future__ import annotations

import base64
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS
from pypdf import PdfReader
from test_sign import PASSWORD, _sign, pki  # noqa: F401 - the certificates of test_sign
from test_studio_http import MONEV, client, post, root  # noqa: F401
from test_studio_manage import p12  # noqa: F401

from sopdoc.cli import main

DRAFT_MESSAGE = ("SOP ini masih berstatus draf; ubah status menjadi berlaku, lalu buat ulang PDF-nya sebelum "
                 "ditandatangani")


def _set_status(path: Path, status: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^status:.*\n", "", text)
    path.write_text(f"status: {status}\n" + text, encoding="utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The PDFs of one unit where one SOP is a draft: each SOP rendered, and the book made with --draf."""
    work = tmp_path_factory.mktemp("draf")
    unit = work / "definitions" / "diskominfo"
    shutil.copytree(DEFINITIONS / "kab-way-kanan" / "diskominfo", unit)
    shutil.copy(DEFINITIONS / "kab-way-kanan" / "unit.yaml", work / "definitions" / "unit.yaml")
    sops = sorted(p for p in unit.glob("*.yaml") if p.name != "unit.yaml")
    _set_status(sops[0], "draf")
    out = work / "output"
    runner = CliRunner()
    rendered = runner.invoke(main, ["render", str(unit), "--format", "pdf", "--out", str(out)])
    assert rendered.exit_code == 0, rendered.output
    booked = runner.invoke(main, ["book", str(unit), "--draf", "--out", str(out)])
    assert booked.exit_code == 0, booked.output
    pdfs = {p.stem: p for p in out.rglob("*.pdf")}
    return {"unit": unit, "draft": pdfs[sops[0].stem], "final": pdfs[sops[1].stem], "draft_slug": sops[0].stem,
            "book": next(p for p in out.rglob("buku-sop-*.pdf"))}


def test_the_pdf_of_a_draft_carries_draf_in_its_mark_and_a_final_one_does_not(made):
    assert f"draf={made['draft_slug']}" in PdfReader(made["draft"]).metadata["/Keywords"]
    assert "draf=" not in PdfReader(made["final"]).metadata["/Keywords"]


def test_sopdoc_sign_refuses_a_draft_counts_it_and_signs_the_rest(made, pki):  # noqa: F811
    result = _sign(pki, made["draft"], made["final"])
    assert result.exit_code == 1
    assert f"{made['draft'].name}: {DRAFT_MESSAGE}" in " ".join(result.output.split())
    assert "1 PDF ditandatangani, 1 gagal (1 di antaranya berstatus draf)." in result.output
    assert not made["draft"].with_name(made["draft"].stem + ".ttd.pdf").exists()
    assert made["final"].with_name(made["final"].stem + ".ttd.pdf").exists()


def test_a_book_holding_a_draft_is_refused_naming_the_draft(made, pki):  # noqa: F811
    result = _sign(pki, made["book"])
    assert result.exit_code == 1
    assert (f"buku ini memuat SOP berstatus draf ({made['draft_slug']}); ubah statusnya menjadi berlaku, lalu buat "
            "ulang bukunya (tanpa --draf) sebelum ditandatangani") in " ".join(result.output.split())
    assert "0 PDF ditandatangani, 1 gagal (1 di antaranya berstatus draf)." in result.output
    assert not list(made["book"].parent.glob("buku-sop-*.ttd.pdf"))


def test_the_studio_refuses_to_sign_a_draft_and_writes_no_signed_file(client, root, p12, tmp_path):  # noqa: F811
    _set_status(root / f"{MONEV}.yaml", "draf")
    sent = base64.b64encode(p12.read_bytes()).decode()
    job = post(client, f"/sop/{MONEV}/tandatangan", {"sertifikat": sent, "nama_sertifikat": "baik.p12",
                                                      "sandi": PASSWORD}).json()
    deadline = time.monotonic() + 300
    while job["status"] in ("menunggu", "berjalan") and time.monotonic() < deadline:
        time.sleep(0.5)
        job = client.get(f"/tugas/{job['id']}").json()
    assert job["status"] == "gagal", job
    assert f"monitoring-evaluasi-kinerja.pdf: {DRAFT_MESSAGE}" in " ".join(str(job).split())
    assert not list((tmp_path / "output").rglob("*.ttd.pdf"))


def test_export_draf_sign_signs_the_final_sops_and_refuses_the_draft_by_the_same_rule(made, pki, tmp_path):  # noqa: F811
    unit = made["unit"]
    out = tmp_path / "ekspor"
    folder = pki["folder"]
    result = CliRunner().invoke(main, ["export", str(unit), "--draf", "--out", str(out), "--sign", "--cert",
                                       str(folder / "baik.p12"), "--password-file", str(folder / "sandi.txt")])
    assert result.exit_code == 1
    assert f"{made['draft'].name}: {DRAFT_MESSAGE}" in " ".join(result.output.split())
    signed = sorted(p.name for p in out.rglob("*.ttd.pdf"))
    assert signed == [made["final"].stem + ".ttd.pdf"]     # neither the draft nor the book that holds it
