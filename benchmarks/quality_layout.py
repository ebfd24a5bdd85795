"""Measure how the router draws generated SOPs: make quality-layout [SEED=5] [COUNT=400]

For COUNT generated SOPs (8-40 rows, 2-8 pelaksana, long names half the time, loops,
skips, shared rows; the four papers in turn) prints how many break a drawing rule
(tests/oracle, written from GEOMETRY-FORMAT.md alone), how many carry a layout
warning, how many arrows double back beside themselves (a hairpin: antiparallel legs
closer than 3 mm over more than 3 mm), and the crossings, bends and total length of
all arrows, with the layout time.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_data  # noqa: E402
from oracle.drawcheck import check  # noqa: E402
from test_paper import PAPERS, doublings_back  # noqa: E402

from sopdoc.definition import reader  # noqa: E402
from sopdoc.document import geometry  # noqa: E402
from sopdoc.flowchart import layout  # noqa: E402

MM = 72 / 25.4


def main(seed: int, count: int) -> None:
    rng = random.Random(seed)
    broken = warned = hairpins = crossings = bends = 0
    length = 0.0
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(count):
            paper, orientation = PAPERS[n % len(PAPERS)]
            unit = Path(tmp) / f"u{n}"
            unit.mkdir()
            (unit / "unit.yaml").write_text(f"pemerintah: Uji\nunit: Uji\nkertas: {paper}\norientasi: {orientation}\n",
                                            encoding="utf-8")
            rows = rng.randint(8, 40)
            data = sop_data(rng, rows, rng.randint(2, 8), rng.randint(0, rows // 5), skips=rng.randint(0, 3),
                            long_names=rng.random() < 0.5, together=rng.randint(0, 2))
            (unit / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            sop = reader.read([unit]).sops[0]
            started = time.perf_counter()
            plan = layout.layout(sop)
            times.append(time.perf_counter() - started)
            exported = geometry.document(sop, plan, geometry.predicted_frames(plan))
            broken += bool(check(exported).defects)
            warned += bool(plan.warnings)
            for page in plan.pages:
                crossings += page.crossings
                for arrow in page.arrows:
                    bends += len(arrow.points) - 2
                    length += sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(arrow.points, arrow.points[1:]))
            hairpins += sum(bool(doublings_back(a["points"], 3.0, 3.0)) for p in exported["pages"] for a in p["arrows"])
    times.sort()
    print(f"{count} SOP bangkitan (benih {seed}): {broken} melanggar aturan gambar, {warned} berperingatan, "
          f"{hairpins} panah berbalik di samping dirinya")
    print(f"  semua panah: {crossings} persilangan, {bends} belokan, {length / MM / 1000:.1f} m")
    print(f"  tata letak: p50 {statistics.median(times):.4f} s, p95 {times[int(count * 0.95)]:.4f} s, "
          f"maks {times[-1]:.4f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, int(sys.argv[2]) if len(sys.argv) > 2 else 400)
