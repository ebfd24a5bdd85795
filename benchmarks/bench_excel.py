"""Benchmark `sopdoc excel` and `sopdoc import` on generated SOPs.

Two corpora: one unit of 30 SOPs x 30 rows (a typical dinas), and one SOP of
2000 rows (the size the reader is tested with). For each, prints the median wall
time of the real commands run as a user runs them (a new process each): export,
import into an empty folder, and a re-import that changes nothing.
Run with: make bench-excel
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_text  # noqa: E402

CORPORA = {"30 SOP x 30 baris": (30, 30), "1 SOP x 2000 baris": (1, 2000)}
RUNS = 3


def make_unit(root: Path, sops: int, rows: int) -> Path:
    rng = random.Random(7)
    unit = root / "definitions" / "dinas-uji"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
    for s in range(sops):
        (unit / f"sop-{s:03d}.yaml").write_text(sop_text(rng, rows, rng.randint(3, 7), rng.randint(0, 4)),
                                                encoding="utf-8")
    return root / "definitions"


def median_of(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sopdoc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "sopdoc", *args], check=True, capture_output=True)


def main() -> None:
    for name, (sops, rows) in CORPORA.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            definitions = make_unit(root, sops, rows)
            book = root / "sop.xlsx"
            export = median_of(lambda book=book, definitions=definitions:
                               sopdoc("excel", str(definitions), "--out", str(book)))
            size = book.stat().st_size / 1024

            def fresh(book: Path = book) -> None:
                target = Path(tempfile.mkdtemp(dir=tmp))
                sopdoc("import", str(book), "--to", str(target))

            first = median_of(fresh)
            again = median_of(lambda book=book, definitions=definitions:
                              sopdoc("import", str(book), "--to", str(definitions)))
            print(f"{name}: excel {export:.2f} s ({size:.0f} KB), import baru {first:.2f} s, "
                  f"impor ulang tanpa perubahan {again:.2f} s (median {RUNS} kali)")


if __name__ == "__main__":
    main()
