"""Each decision exit leaves its diamond by the vertex facing its target (issue 18, visual review 3).

Read from the geometry export alone (GEOMETRY-FORMAT.md): the vertex an exit leaves by is where its
first point lies on the diamond's box; "straight below" is a target whose centre stands on the
diamond's vertical axis, lower on the page, with no symbol between them on that axis. Nothing here
asks the layout which vertex it chose.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from sopdoc.cli import main

REAL = FIXTURES / "real" / "bps-bengkulu"

# A decision whose "Ya" skips one row straight down its own lane, the row between drawn in another lane
# (the shape of SOP 005 rows 8-10, reviewed as S-1), in a middle lane and in the last lane.
SKIP = """\
nama: Lompat lurus ke bawah
pelaksana: {a: Operator, b: Layanan, c: Penyetuju}
kegiatan:
  - {uraian: Mulai, pelaksana: a}
  - {uraian: Menyusun laporan, pelaksana: LANE}
  - {uraian: Memeriksa laporan, pelaksana: LANE, keputusan: {ya: setujui, tidak: berikutnya}}
  - {uraian: Memperbaiki laporan, pelaksana: a, lanjut: setujui}
  - {id: setujui, uraian: Menyetujui laporan, pelaksana: LANE}
  - {uraian: Selesai, pelaksana: a}
"""


def _side(symbol: dict, point: list[float]) -> str:
    x, y = point
    if abs(y - symbol["y1"]) < 0.3:
        return "B"
    if abs(y - symbol["y0"]) < 0.3:
        return "T"
    return "L" if abs(x - symbol["x0"]) < 0.3 else "R"


def _exits(doc: dict):
    """Yield (page, decision, target, side, points) for each arrow leaving a diamond."""
    for page in doc["pages"]:
        symbols = {s["id"]: s for s in page["symbols"]}
        for arrow in page["arrows"]:
            source, target = symbols.get(arrow["from"]), symbols.get(arrow["to"])
            if source and target and source["kind"] == "decision":
                yield page, source, target, _side(source, arrow["points"][0]), arrow["points"]


def _straight_below(page: dict, source: dict, target: dict) -> bool:
    axis = (source["x0"] + source["x1"]) / 2
    if abs((target["x0"] + target["x1"]) / 2 - axis) > 0.5 or target["y0"] <= source["y1"]:
        return False
    return not any(s is not source and s is not target and s["x0"] < axis < s["x1"]
                   and s["y0"] >= source["y1"] - 0.1 and s["y1"] <= target["y0"] + 0.1 for s in page["symbols"])


def _render(folder: Path, out: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["render", str(folder), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.geometri.json"))]


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> dict[str, dict]:
    docs = _render(REAL, tmp_path_factory.mktemp("real"))
    return {doc["sop"]["nama"] if isinstance(doc.get("sop"), dict) else str(i): doc for i, doc in enumerate(docs)}


def test_every_exit_to_a_target_straight_below_leaves_by_the_bottom_vertex_in_the_real_sops(real):
    wrong = [(page["page"], source["id"], target["id"], side) for doc in real.values()
             for page, source, target, side, _ in _exits(doc)
             if side != "B" and _straight_below(page, source, target)]
    assert wrong == []


def test_sop_005_draws_ya_of_rows_8_and_12_straight_down_as_the_signed_original(real):
    doc = next(d for d in real.values() if any(s["id"] == "r12" for p in d["pages"] for s in p["symbols"])
               and "persediaan" in json.dumps(d["sop"]).lower())
    sides = {(source["id"], target["id"]): (side, points) for _, source, target, side, points in _exits(doc)}
    for decision, target in (("r8", "r10"), ("r12", "r14")):
        side, points = sides[(decision, target)]
        assert side == "B"
        # Down within the diamond's width all the way: never out to a side and back across "Tidak".
        source = next(s for p in doc["pages"] for s in p["symbols"] if s["id"] == decision)
        assert all(source["x0"] < x < source["x1"] for x, _ in points), points


@pytest.mark.parametrize("lane", ["b", "c"])
def test_an_exit_skipping_a_row_of_another_lane_goes_straight_down_and_never_back_past_its_diamond(tmp_path, lane):
    (tmp_path / "sop").mkdir()
    (tmp_path / "sop" / "lompat.yaml").write_text(SKIP.replace("LANE", lane), encoding="utf-8")
    (tmp_path / "sop" / "unit.yaml").write_bytes((FIXTURES / "fidelity" / "u" / "unit.yaml").read_bytes())
    (doc,) = _render(tmp_path / "sop", tmp_path / "out")
    found = 0
    for page, source, target, side, points in _exits(doc):
        axis = (source["x0"] + source["x1"]) / 2
        if _straight_below(page, source, target):
            found += 1
            assert side == "B", (source["id"], target["id"])
        if side in "LR":                         # a side exit never crosses back over its diamond's axis
            sign = 1 if side == "R" else -1
            assert all(sign * (x - axis) >= -0.1 for x, _ in points), (source["id"], target["id"], points)
    assert found == 1


# A decision fed from the lane to its right whose "Tidak" goes back two rows in its own lane (the shape of
# fidelity uji-f4-lanskap/sop-01 rows 3-7, reviewed as R-7): the way up on the right is crossed by the rows'
# arrows, the one on the left is free.
LOOP = """\
nama: Kembali di lajur sendiri
pelaksana: {a: Operator, b: Pemeriksa, c: Penyusun, d: Penyetuju}
kegiatan:
  - {uraian: Mulai, pelaksana: a}
  - {id: konsep, uraian: Menyusun konsep, pelaksana: b}
  - {uraian: Melengkapi lampiran, pelaksana: c}
  - {uraian: Memeriksa konsep, pelaksana: b, keputusan: {ya: berikutnya, tidak: konsep, label: [Lengkap, Tidak lengkap]}}
  - {uraian: Menyetujui konsep, pelaksana: d}
  - {uraian: Selesai, pelaksana: d}
"""


def _never_back_past(doc: dict) -> list:
    """Return the side exits whose line crosses back over their own diamond's vertical axis."""
    wrong = []
    for page, source, target, side, points in _exits(doc):
        axis, sign = (source["x0"] + source["x1"]) / 2, 1 if side == "R" else -1
        if side in "LR" and any(sign * (x - axis) < -0.1 for x, _ in points):
            wrong.append((page["page"], source["id"], target["id"], side))
    return wrong


def test_a_loop_back_to_its_own_lane_goes_up_on_the_side_the_rows_arrows_leave_free(tmp_path):
    (tmp_path / "sop").mkdir()
    (tmp_path / "sop" / "kembali.yaml").write_text(LOOP, encoding="utf-8")
    (tmp_path / "sop" / "unit.yaml").write_bytes((FIXTURES / "fidelity" / "u" / "unit.yaml").read_bytes())
    (doc,) = _render(tmp_path / "sop", tmp_path / "out")
    ((source, side),) = [(s, side) for _, s, t, side, _ in _exits(doc) if t["y1"] < s["y0"]]
    assert side == "L"
    assert _never_back_past(doc) == []


@pytest.mark.parametrize("folder", ["uji-f4-lanskap", "uji-a4-lanskap"])
def test_no_decision_exit_of_the_wide_lane_fidelity_sops_crosses_back_over_its_diamond(tmp_path, folder):
    docs = _render(FIXTURES / "fidelity" / folder, tmp_path)
    assert [wrong for doc in docs for wrong in _never_back_past(doc)] == []


# A decision whose two exits go to the lane on its right, one to the next row and one past it (fidelity
# uji-f4-potret/sop-03 rows 15-17, reviewed as R-5, and generated A4 potret sop-05 rows 26-28, R-3): the
# exit to the next row takes the side vertex, the other goes down first and turns below it.
SAME_SIDE = """\
nama: Dua cabang ke kanan
pelaksana: {a: Operator, b: Pemeriksa, c: Penyusun, d: Penyetuju}
kegiatan:
  - {uraian: Mulai, pelaksana: a}
  - {uraian: Menyusun konsep, pelaksana: a}
  - {uraian: Memeriksa konsep, pelaksana: b, keputusan: {ya: berikutnya, tidak: tolak, label: [Sesuai, Tidak sesuai]}}
  - {uraian: Menyetujui konsep, pelaksana: c, lanjut: akhir}
  - {id: tolak, uraian: Mengembalikan konsep, pelaksana: c}
  - {id: akhir, uraian: Selesai, pelaksana: d}
"""


def _turns_back(points: list[list[float]]) -> bool:
    """Say whether a line, once it went one way across the page, later runs the other way."""
    steps = [b[0] - a[0] for a, b in zip(points, points[1:]) if abs(b[0] - a[0]) > 0.1]
    return any(s * t < 0 for s, t in zip(steps, steps[1:]))


def _forward_turning_back(doc: dict) -> list:
    return [(page["page"], source["id"], target["id"]) for page, source, target, _, points in _exits(doc)
            if target["y0"] > source["y1"] and _turns_back(points)]


def test_two_exits_to_the_same_side_nest_without_a_zigzag(tmp_path):
    (tmp_path / "sop").mkdir()
    (tmp_path / "sop" / "cabang.yaml").write_text(SAME_SIDE, encoding="utf-8")
    (tmp_path / "sop" / "unit.yaml").write_bytes((FIXTURES / "fidelity" / "u" / "unit.yaml").read_bytes())
    (doc,) = _render(tmp_path / "sop", tmp_path / "out")
    assert len(list(_exits(doc))) == 2
    assert _forward_turning_back(doc) == []


def test_no_forward_exit_of_fidelity_f4_potret_sop_03_runs_back_the_way_it_came(tmp_path):
    (tmp_path / "sop").mkdir()
    for name in ("sop-03.yaml", "unit.yaml"):
        (tmp_path / "sop" / name).write_bytes((FIXTURES / "fidelity" / "uji-f4-potret" / name).read_bytes())
    (doc,) = _render(tmp_path / "sop", tmp_path / "out")
    assert _forward_turning_back(doc) == []
