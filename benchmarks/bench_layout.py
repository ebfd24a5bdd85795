"""Benchmark the flowchart layout (routing included): make bench-layout

Prints p50, p95 and max layout time over 200 generated SOPs of 32 rows, 7
pelaksana and 6 decisions (the four papers in turn), the cost per row at 16, 32,
64 and 128 rows, and, as a baseline in the same run, the router sopdoc had before
the readability rules (issue 18) on a 20-SOP sample of the same definitions, run
from that commit's code in a separate process.
"""

from __future__ import annotations

import dataclasses
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from generate import sop_text  # noqa: E402

from sopdoc.definition import reader  # noqa: E402
from sopdoc.flowchart import layout  # noqa: E402
from sopdoc.office import textfit  # noqa: E402

COUNT, ROWS, ACTORS, DECISIONS, SAMPLE = 200, 32, 7, 6, 20
PAPERS = [("F4", "lanskap"), ("F4", "potret"), ("A4", "lanskap"), ("A4", "potret")]
OLD_ROUTER = "263341a"          # the last commit with the router before the readability rules (issue 18)
OLD_TIMEOUT = 120

_OLD_RUNNER = """
import dataclasses, json, sys, time
from pathlib import Path
from sopdoc.definition import reader
from sopdoc.flowchart import layout
for line in sys.stdin:
    path, paper, orientation = json.loads(line)
    sop = reader.read([Path(path)]).sops[0]
    sop = dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper, orientasi=orientation))
    layout.layout(sop)          # the first layout loads the fonts and the hyphenation dictionary: not timed
    started = time.perf_counter()
    layout.layout(sop)
    print(json.dumps(time.perf_counter() - started), flush=True)
"""


def _write_sops(folder: Path, count: int, rows: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
    files = []
    for n in range(count):
        path = folder / f"sop-{n:03d}.yaml"
        path.write_text(sop_text(rng, rows, ACTORS, DECISIONS * rows // ROWS, long_names=True), encoding="utf-8")
        files.append(path)
    return files


def _on_paper(path: Path, paper: tuple[str, str]):
    sop = reader.read([path]).sops[0]
    return dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper[0], orientasi=paper[1]))


def _time_layout(sop) -> float:
    started = time.perf_counter()
    layout.layout(sop)
    return time.perf_counter() - started


def _old_router(files: list[Path], papers: list[tuple[str, str]], tmp: Path) -> list[float | None]:
    """Return the old router's layout time per file, None when it timed out or could not run."""
    old = tmp / "old"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_ROUTER, "sopdoc", "templates"],
                             capture_output=True)
    if archive.returncode:
        return []
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    times: list[float | None] = []
    for path, paper in zip(files, papers):
        line = json.dumps([str(path), *paper]) + "\n"
        try:
            # Run in the old code's folder: a script given with -c imports from the working folder first.
            done = subprocess.run([sys.executable, "-c", _OLD_RUNNER], input=line, capture_output=True, text=True,
                                  timeout=OLD_TIMEOUT, cwd=old, env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"})
            times.append(json.loads(done.stdout) if done.returncode == 0 else None)
        except subprocess.TimeoutExpired:
            times.append(None)
    return times


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    # Load the fonts and the hyphenation dictionary before timing: the first SOP with a word wider than its column
    # would pay for the dictionary (0.1 s), once per process.
    textfit.breakable("pertanggungjawaban", 1.0, 9.0)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = _write_sops(tmp / "definitions" / "bench", COUNT, ROWS, seed=11)
        papers = [PAPERS[n % len(PAPERS)] for n in range(COUNT)]
        sops = [_on_paper(path, paper) for path, paper in zip(files, papers)]
        _time_layout(sops[0])
        times = [_time_layout(sop) for sop in sops]
        print(f"layout, {COUNT} SOPs of {ROWS} rows, {ACTORS} pelaksana, {DECISIONS} decisions (4 papers):")
        print(f"  p50 {statistics.median(times):.4f} s   p95 {_quantile(times, 0.95):.4f} s   max {max(times):.4f} s")
        old = _old_router(files[:SAMPLE], papers[:SAMPLE], tmp)
        if old:
            finished = [(o, n) for o, n in zip(old, times[:SAMPLE]) if o is not None]
            timed_out = sum(1 for o in old if o is None)
            old_p50 = statistics.median(o for o, _ in finished) if finished else float("nan")
            new_p50 = statistics.median(n for _, n in finished) if finished else float("nan")
            print(f"old router on the first {SAMPLE} of them (commit {OLD_ROUTER[:7]}), {timed_out} stopped after "
                  f"{OLD_TIMEOUT} s:")
            print(f"  p50 {old_p50:.4f} s   max {max(o for o, _ in finished):.4f} s   "
                  f"sum {sum(o for o, _ in finished):.2f} s; new router on the same: p50 {new_p50:.4f} s, "
                  f"sum {sum(n for _, n in finished):.2f} s; ratio of sums {sum(o for o, _ in finished) / sum(n for _, n in finished):.1f}x")
        else:
            print("old router: its commit is not in this repository's history; no baseline")
        print("cost per row (F4 landscape, 10 SOPs each):")
        for rows in (16, 32, 64, 128):
            sized = [_on_paper(p, ("F4", "lanskap")) for p in _write_sops(tmp / "definitions" / f"r{rows}", 10, rows,
                                                                            seed=rows)]
            per_row = statistics.median(_time_layout(sop) / rows for sop in sized)
            print(f"  {rows:4d} rows: {per_row * 1000:.2f} ms per row, {per_row * rows:.3f} s per SOP")


if __name__ == "__main__":
    main()
