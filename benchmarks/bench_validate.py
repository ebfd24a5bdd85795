"""Benchmark `sopdoc validate` on 300 generated SOPs of 30 rows (10 units).

Prints the wall time of the real command (a new process, as a user runs it) and,
as a baseline in the same run, the time to merely parse the same files with
PyYAML's fastest safe loader. Run with: make bench-validate
"""

from __future__ import annotations

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

UNITS, PER_UNIT, ROWS = 10, 30, 30


def make_corpus(root: Path) -> list[Path]:
    rng = random.Random(7)
    files = []
    for u in range(UNITS):
        unit = root / "definitions" / f"unit-{u:02d}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Uji\nunit: Dinas {u}\n", encoding="utf-8")
        for s in range(PER_UNIT):
            path = unit / f"sop-{s:03d}.yaml"
            path.write_text(sop_text(rng, ROWS, rng.randint(3, 7), rng.randint(0, 4)), encoding="utf-8")
            files.append(path)
    return files


def median_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = make_corpus(Path(tmp))
        sopdoc = [sys.executable, "-m", "sopdoc", "validate", str(Path(tmp) / "definitions"), "--strict"]

        def validate() -> None:
            subprocess.run(sopdoc, check=True, capture_output=True)

        def parse_only() -> None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            for path in files:
                yaml.load(path.read_text(encoding="utf-8"), Loader=loader)

        baseline = median_of(5, parse_only)
        total = median_of(5, validate)
        print(f"corpus: {len(files)} SOP x {ROWS} baris, {UNITS} unit")
        print(f"sopdoc validate --strict (proses baru, median 5): {total:.3f} s")
        print(f"baseline yaml.load CSafeLoader saja (median 5):   {baseline:.3f} s")
        print(f"rasio validate / baseline: {total / baseline:.1f}x")


if __name__ == "__main__":
    main()
