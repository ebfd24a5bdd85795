"""Measure how the router draws generated SOPs: make quality-layout [SEED=5] [COUNT=400]

For COUNT generated SOPs (8-40 rows, 2-8 pelaksana, long names half the time, loops,
skips, shared rows; the four papers in turn) prints, for this tree's router and for the
router of BASELINE (the commit before the readability rules, run from that commit's code
in a separate process, judged by this tree's oracle), how many SOPs break a drawing rule
and how often each of rules 1-24 is broken (tests/oracle, written from GEOMETRY-FORMAT.md
alone), how many carry a layout warning, the crossings, bends and total length of all
arrows, and the layout time. Then the same for COUNT / 4 generated flow graphs with the
constructs of real SOPs the definitions cannot say yet (several symbols in a row, forks,
ends anywhere, unlabelled decisions: tests/flowgraphs.py), for this tree's router only.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cases import PAPERS  # noqa: E402
from flowgraphs import chart, stub  # noqa: E402
from generate import sop_data  # noqa: E402
from oracle.drawcheck import check  # noqa: E402

from sopdoc.document import geometry  # noqa: E402
from sopdoc.flowchart import layout  # noqa: E402

BASELINE = "263341a"            # the router before the readability rules (issue 18)
LAST_RULE = 28                  # the format's rules 1-16 and sopdoc's own 17-28 (rule 0: a malformed export)
BASELINE_TIMEOUT = 1800
GRAPHS = {"several": 0.15, "forks": 0.05, "ends": 0.05, "joint": 0.05}   # how often each construct shows

# Lays out every SOP named on stdin and prints its geometry export and layout time, one JSON line each.
_RUNNER = """
import json, sys, time
from pathlib import Path
from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout
for line in sys.stdin:
    sop = reader.read([Path(line.strip())]).sops[0]
    started = time.perf_counter()
    plan = layout.layout(sop)
    took = time.perf_counter() - started
    exported = geometry.document(sop, plan, geometry.predicted_frames(plan))
    print(json.dumps({"geometry": exported, "seconds": took, "warnings": len(plan.warnings)}), flush=True)
"""


def write_sops(folder: Path, seed: int, count: int) -> list[Path]:
    """Write *count* generated SOPs, each in its own unit on one of the four papers in turn."""
    rng = random.Random(seed)
    units = []
    for n in range(count):
        paper, orientation = PAPERS[n % len(PAPERS)]
        unit = folder / f"u{n}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Uji\nunit: Uji\nkertas: {paper}\norientasi: {orientation}\n",
                                        encoding="utf-8")
        rows = rng.randint(8, 40)
        data = sop_data(rng, rows, rng.randint(2, 8), rng.randint(0, rows // 5), skips=rng.randint(0, 3),
                        long_names=rng.random() < 0.5, together=rng.randint(0, 2))
        (unit / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        units.append(unit)
    return units


def run(units: list[Path], code: Path) -> list[dict]:
    """Lay out every unit's SOP with the sopdoc package under *code*, in a separate process."""
    # Run in *code*'s folder: a script given with -c imports from the working folder first.
    done = subprocess.run([sys.executable, "-c", _RUNNER], input="".join(f"{u}\n" for u in units),
                          capture_output=True, text=True, timeout=BASELINE_TIMEOUT, cwd=code,
                          env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"}, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def baseline_tree(tmp: Path) -> Path | None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "sopdoc", "templates"], capture_output=True)
    if archive.returncode:
        return None
    tree = tmp / "baseline"
    tree.mkdir()
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def summary(name: str, results: list[dict]) -> None:
    per_rule: Counter = Counter()
    broken = warned = crossings = bends = 0
    length = 0.0
    for result in results:
        report = check(result["geometry"])
        broken += bool(report.defects)
        warned += bool(result["warnings"])
        per_rule.update(d.rule for d in report.defects)
        crossings += report.total_crossings
        for page in result["geometry"]["pages"]:
            for arrow in page["arrows"]:
                points = arrow["points"]
                bends += sum(1 for a, b, c in zip(points, points[1:], points[2:])
                             if (a[0] == b[0]) != (b[0] == c[0]))
                length += sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:]))
    times = sorted(r["seconds"] for r in results)
    count = len(results)
    print(f"{name}: {broken} of {count} SOP melanggar aturan gambar, {warned} berperingatan")
    print("  pelanggaran per aturan: " +
          ", ".join(f"{rule}: {per_rule.get(rule, 0)}" for rule in range(0, LAST_RULE + 1)))
    print(f"  semua panah: {crossings} persilangan, {bends} belokan, {length / 1000:.1f} m")
    print(f"  tata letak: p50 {statistics.median(times):.4f} s, p95 {times[int(count * 0.95)]:.4f} s, "
          f"maks {times[-1]:.4f} s")


def main(seed: int, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units = write_sops(tmp / "definitions", seed, count)
        print(f"{count} SOP bangkitan (benih {seed}), empat kertas bergiliran")
        started = time.perf_counter()
        summary("sekarang", run(units, ROOT))
        print(f"  ({time.perf_counter() - started:.0f} s)")
        tree = baseline_tree(tmp)
        if tree is None:
            print(f"sebelum ({BASELINE}): commit itu tidak ada di riwayat repositori ini")
            return
        summary(f"sebelum ({BASELINE})", run(units, tree))
    graphs = []
    rng = random.Random(seed)
    for n in range(max(count // 4, 1)):
        rows, actors = rng.randint(8, 40), rng.randint(2, 8)
        drawn = chart(random.Random(rng.random()), rows, actors, PAPERS[n % len(PAPERS)], **GRAPHS)
        started = time.perf_counter()
        plan = layout.finish(layout.run(drawn))
        took = time.perf_counter() - started
        graphs.append({"geometry": geometry.document(stub(), plan, geometry.predicted_frames(plan)), "seconds": took,
                       "warnings": len(plan.warnings)})
    summary(f"graf alir bangkitan ({len(graphs)}: baris berisi beberapa simbol, percabangan, akhir di mana saja)",
            graphs)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, int(sys.argv[2]) if len(sys.argv) > 2 else 400)
