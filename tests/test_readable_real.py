"""Same-row and same-lane flows of real signed SOPs drawn as straight as the signed originals draw them.

The signed original of SOP 336 (komponen-ekspor) draws row 4 with a straight arrow from the Staff box to the
decision of the Ketua Tim left of it, and SOP 005 (pelaporan-persediaan) draws each "Ya" of rows 8 and 12
straight down into the box two rows below, the box of the row between joining it. Read from the geometry
export only (the router's own rules are not used here).
"""

import pytest
from conftest import FIXTURES

from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout

REAL = FIXTURES / "real" / "bps-bengkulu"


def _exported(slug: str) -> dict:
    (sop,) = reader.read([REAL / f"{slug}.yaml"]).sops
    plan = layout.layout(sop)
    return geometry.document(sop, plan, geometry.predicted_frames(plan))


def _arrows(doc: dict, source: tuple[int, str], target: tuple[int, str]) -> list[list]:
    """Return the points of every arrow from the symbol in row/lane *source* to the one in *target* (lane names
    as printed in the header)."""
    found = []
    for page in doc["pages"]:
        names = {h["actor"]: " ".join(h["text"].split()) for h in page["header"]}
        at = {(s["no"], names.get(s["actor"])): s["id"] for s in page["symbols"] if s["kind"] != "connector"}
        ends = at.get(source), at.get(target)
        found += [a["points"] for a in page["arrows"] if (a["from"], a["to"]) == ends]
    return found


def test_the_flow_on_to_the_next_symbol_of_a_row_is_one_straight_arrow():
    doc = _exported("komponen-ekspor")
    (points,) = _arrows(doc, (4, "Staff"), (4, "Ketua Tim Neraca Wilayah"))
    assert len(points) == 2 and abs(points[0][1] - points[1][1]) < 0.01 and points[1][0] < points[0][0], points


@pytest.mark.parametrize("row", [8, 12])
def test_a_decisions_way_down_its_lane_is_one_straight_line_the_row_between_joining_it(row):
    doc = _exported("pelaporan-persediaan")
    lane = "Tim Laporan Persediaan (Approver )"
    (points,) = _arrows(doc, (row, lane), (row + 2, lane))
    assert len(points) == 2 and abs(points[0][0] - points[1][0]) < 0.01 and points[1][1] > points[0][1], points
