"""Every paper and orientation lays out cleanly; a unit's logo and own template are used."""

import dataclasses
import shutil
import zipfile

import pytest
from cases import PAPERS, kept_rule_defects, load_cases
from conftest import DEFINITIONS, FIXTURES
from oracle.drawcheck import check
from PIL import Image

from sopdoc.definition import reader
from sopdoc.document import geometry, render
from sopdoc.flowchart import layout, table
from sopdoc.office.paper import MARGIN, page_size

CASES = load_cases()


@pytest.mark.parametrize("paper,orientation", PAPERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_fits_every_paper_and_keeps_the_drawing_rules(case, paper, orientation):
    sop = CASES[case]
    sop = dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper, orientasi=orientation))
    plan = layout.layout(sop)
    width, height = page_size(paper, orientation)
    assert sum(c.width for c in plan.columns) == pytest.approx(width - 2 * MARGIN)
    usable = height - 2 * MARGIN
    for page in plan.pages:
        heading = table.heading_height(plan.heading) if page.number == 1 else 0
        assert sum(plan.header.heights) + page.height + heading <= usable
    assert sorted(r.index for p in plan.pages for r in p.rows) == list(range(len(sop.kegiatan)))
    # The rules do not depend on where the page sits on the paper: the predicted frame will do.
    report = check(geometry.document(sop, plan, geometry.predicted_frames(plan)))
    assert kept_rule_defects(report) == [], "\n".join(str(d) for d in report.defects)
    assert plan.warnings == []


def _unit(tmp_path, extra=""):
    unit = tmp_path / "definitions" / "dinas"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Uji\nunit: Dinas Uji\n{extra}", encoding="utf-8")
    shutil.copy(FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml", unit)
    return unit


def _docx_parts(path):
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_logo_is_printed_on_the_identity_sheet(tmp_path):
    unit = _unit(tmp_path, "logo: lambang.png\n")
    Image.new("RGB", (120, 140), (200, 30, 30)).save(unit / "lambang.png")
    (sop,) = reader.read([unit]).sops
    item = render.render_docx(sop, tmp_path / "out", {})
    parts = _docx_parts(item.docx)
    logo = (unit / "lambang.png").read_bytes()
    assert any(data == logo for name, data in parts.items() if name.startswith("word/media/"))


def test_a_units_own_template_is_used(tmp_path):
    unit = _unit(tmp_path, "template: identitas-kami.docx\n")
    from docx import Document

    template = Document(str(render.docx_writer.DEFAULT_TEMPLATE))
    template.paragraphs[-1].insert_paragraph_before("Disusun oleh Bagian Organisasi Kabupaten Uji")
    template.save(str(unit / "identitas-kami.docx"))
    (sop,) = reader.read([unit]).sops
    assert sop.unit.template == (unit / "identitas-kami.docx").resolve()
    item = render.render_docx(sop, tmp_path / "out", {})
    xml = _docx_parts(item.docx)["word/document.xml"].decode("utf-8")
    assert "Disusun oleh Bagian Organisasi Kabupaten Uji" in xml and "Keputusan dengan perbaikan berulang" in xml


def test_seed_definitions_folder_is_what_the_cases_cover():
    assert {c.split("/")[0] for c in CASES} >= {p.name for p in DEFINITIONS.iterdir() if p.is_dir()}


def doublings_back(points: list[list[float]], closer_than: float, longer_than: float) -> list[tuple]:
    """Return where a polyline turns back the way it came, beside itself, reading as a double line.

    That is a leg shorter than *closer_than* mm between two antiparallel legs that run
    beside each other for more than *longer_than* mm (a short jog is not a double line).
    """
    found = []
    for a, b, c, d in zip(points, points[1:], points[2:], points[3:]):
        axis = 0 if a[1] == b[1] else 1             # the coordinate the first leg runs along
        first, last = b[axis] - a[axis], d[axis] - c[axis]
        if c[1 - axis] == d[1 - axis] and first * last < 0:
            beside = min(max(a[axis], b[axis]), max(c[axis], d[axis])) - max(min(a[axis], b[axis]),
                                                                              min(c[axis], d[axis]))
            if abs(c[1 - axis] - b[1 - axis]) < closer_than and beside > longer_than:
                found.append((b, c))
    return found


@pytest.mark.parametrize("paper,orientation", PAPERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_arrow_doubles_back_beside_itself(case, paper, orientation):
    sop = CASES[case]
    sop = dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper, orientasi=orientation))
    plan = layout.layout(sop)
    exported = geometry.document(sop, plan, geometry.predicted_frames(plan))
    for page in exported["pages"]:
        for arrow in page["arrows"]:
            assert doublings_back(arrow["points"], 3.0, 3.0) == [], (page["page"], arrow["from"], arrow["to"])
