"""Show that a change to the layout draws exactly what BASE drew: python benchmarks/same_layout.py [BASE]

Lays out a fixed set with the code of commit BASE (default: main) and with this tree's, each in a
separate process: the benchmark's 200 SOPs (bench_layout.py, the four papers in turn), then
quality_layout.py's generated SOPs and flow graphs of seed 3 (40 and 10). Compares each layout's
geometry export (sopdoc.document.geometry) and warnings byte for byte and prints how many were
compared, how many are identical and which differ. For changes meant to make the layout faster
without changing one drawn line; the generators are this tree's in both runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lays out the fixed set with the sopdoc package on sys.path (the folder it runs in) and prints one JSON line each.
_DUMPER = """
import json, random, sys, tempfile
from pathlib import Path
generators = Path(sys.argv[1])
sys.path[1:1] = [str(generators / "benchmarks"), str(generators / "tests")]
import bench_layout as bench
import quality_layout as quality
from cases import PAPERS
from flowgraphs import chart, stub
from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout

def show(name, sop, plan):
    exported = geometry.dumps(geometry.document(sop, plan, geometry.predicted_frames(plan)))
    warnings = [w for page in plan.pages for w in page.warnings]
    print(json.dumps({"name": name, "geometry": exported, "warnings": warnings}), flush=True)

with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    for n, path in enumerate(bench._write_sops(tmp / "definitions" / "bench", bench.COUNT, bench.ROWS, seed=11)):
        sop = bench._on_paper(path, bench.PAPERS[n % len(bench.PAPERS)])
        show(f"bench SOP {n}", sop, layout.layout(sop))
    seed, count = 3, 40
    for n, unit in enumerate(quality.write_sops(tmp / "quality", seed, count)):
        sop = reader.read([unit / "s.yaml"]).sops[0]
        show(f"quality SOP {n}", sop, layout.layout(sop))
    rng = random.Random(seed)
    for n in range(count // 4):
        rows, actors = rng.randint(8, 40), rng.randint(2, 8)
        drawn = chart(random.Random(rng.random()), rows, actors, PAPERS[n % len(PAPERS)], **quality.GRAPHS)
        show(f"graph {n}", stub(), layout.finish(layout.run(drawn)))
"""


def lay_out(code: Path) -> list[str]:
    """Return the JSON line of each layout of the fixed set, made by the sopdoc package under *code*."""
    # Run in *code*'s folder: a script given with -c imports from the working folder first.
    done = subprocess.run([sys.executable, "-c", _DUMPER, str(ROOT)], capture_output=True, text=True, cwd=code,
                          env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"}, check=True)
    return done.stdout.splitlines()


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "main"
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "base"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", base, "sopdoc", "templates"],
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        before, after = lay_out(tree), lay_out(ROOT)
    differ = [json.loads(a)["name"] for a, b in zip(before, after) if a != b]
    print(f"{len(before)} layouts compared with {base}: {len(before) - len(differ)} identical, {len(differ)} differ")
    for name in differ:
        print(f"  differs: {name}")
    sys.exit(1 if differ or len(before) != len(after) else 0)


if __name__ == "__main__":
    main()
