"""Benchmark `sopdoc validate` on 300 and on 3,000 generated SOPs of 30 rows, in one run.

Prints, for both sizes, the wall time and the CPU time (user + system) of the
real command (a new process, as a user runs it), and as a baseline the time to
merely parse the same files with PyYAML's fastest safe loader; then the ratio
3,000 / 300, which must stay at most 12 (validate grows linearly). The ratio is
judged on CPU time, which other programs on a busy machine do not inflate as
they do wall time. The 3,000 SOPs sit 300 to a unit folder, so listing the
folder once per SOP would show as a ratio far above 10.
Run with: make bench-validate
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_text  # noqa: E402

ROWS = 30
SIZES = ((10, 30), (10, 300))      # (units, SOPs per unit): 300 and 3,000 SOPs
LIMIT = 12


def make_corpus(root: Path, units: int, per_unit: int) -> list[Path]:
    rng = random.Random(7)
    files = []
    for u in range(units):
        unit = root / "definitions" / f"unit-{u:02d}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Uji\nunit: Dinas {u}\n", encoding="utf-8")
        for s in range(per_unit):
            path = unit / f"sop-{s:03d}.yaml"
            path.write_text(sop_text(rng, ROWS, rng.randint(3, 7), rng.randint(0, 4)), encoding="utf-8")
            files.append(path)
    return files


def median_of(runs: int, action) -> tuple[float, float]:
    """Return the median wall time and the median CPU time (this process and its children) of *action*."""
    walls, cpus = [], []
    for _ in range(runs):
        before, started = os.times(), time.perf_counter()
        action()
        after = os.times()
        walls.append(time.perf_counter() - started)
        cpus.append(sum(after[:4]) - sum(before[:4]))
    return statistics.median(walls), statistics.median(cpus)


def measure(units: int, per_unit: int, runs: int) -> tuple[int, tuple[float, float], tuple[float, float]]:
    """Return the number of SOPs, and the times of validate on them and of parsing them only."""
    with tempfile.TemporaryDirectory() as tmp:
        files = make_corpus(Path(tmp), units, per_unit)
        sopdoc = [sys.executable, "-m", "sopdoc", "validate", str(Path(tmp) / "definitions"), "--strict"]

        def validate() -> None:
            subprocess.run(sopdoc, check=True, capture_output=True)

        def parse_only() -> None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            for path in files:
                yaml.load(path.read_text(encoding="utf-8"), Loader=loader)

        return len(files), median_of(runs, validate), median_of(runs, parse_only)


def main() -> None:
    results = [measure(units, per_unit, runs=5) for units, per_unit in SIZES]
    for count, (wall, cpu), (base_wall, _) in results:
        print(f"{count:>5} SOP x {ROWS} baris: sopdoc validate --strict {wall:7.3f} s (CPU {cpu:7.3f} s; proses "
              f"baru, median 5); yaml.load CSafeLoader saja {base_wall:6.3f} s; rasio {wall / base_wall:.1f}x")
    (small, (small_wall, small_cpu), _), (large, (large_wall, large_cpu), _) = results
    ratio = large_cpu / small_cpu
    verdict = "linier" if ratio <= LIMIT else f"TERLALU LAMBAT (batas {LIMIT}x)"
    print(f"{large} SOP / {small} SOP: {ratio:.1f}x waktu CPU (waktu nyata {large_wall / small_wall:.1f}x) "
          f"untuk {large // small}x SOP: {verdict}")


if __name__ == "__main__":
    main()
