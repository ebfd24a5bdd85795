"""Benchmark `sopdoc excel` and `sopdoc import` on generated SOPs.

Two corpora: one unit of 30 SOPs x 30 rows (a typical dinas), and one SOP of
2000 rows (the size the reader is tested with). For each, prints the median wall
time of the real commands run as a user runs them (a new process each): export,
import into an empty folder, and a re-import that changes nothing.
Then two hostile workbooks: a 5 KB one with one formatted empty cell at XFD1048576
outside its declared <dimension> (refused), and the largest one still read (about
200,000 formatted empty cells); for each, the wall time and peak memory of import.
Run with: make bench-excel
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

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
                               sopdoc("excel", str(definitions), "--out", str(book), "--timpa"))
            size = book.stat().st_size / 1024

            def fresh(book: Path = book) -> None:
                target = Path(tempfile.mkdtemp(dir=tmp))
                sopdoc("import", str(book), "--to", str(target))

            first = median_of(fresh)
            again = median_of(lambda book=book, definitions=definitions:
                              sopdoc("import", str(book), "--to", str(definitions)))
            print(f"{name}: excel {export:.2f} s ({size:.0f} KB), import baru {first:.2f} s, "
                  f"impor ulang tanpa perubahan {again:.2f} s (median {RUNS} kali)")


def hostile(path: Path, extra_rows: str) -> Path:
    """Write a small workbook (Unit and one SOP sheet) whose SOP sheet ends with *extra_rows* of raw XML."""
    book = Workbook()
    book.active.title = "Unit"
    book.active.append(("Pemerintah", "Pemerintah Uji"))
    book.active.append(("Unit", "Dinas Uji"))
    sheet = book.create_sheet("SOP")
    for row in (("Nama SOP", "Uji"), (), ("No", "Kegiatan", "Kepala"), (1, "Mulai", "Mulai"), (2, "Selesai", "Selesai")):
        sheet.append(row)
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    part = "xl/worksheets/sheet2.xml"
    parts[part] = parts[part].replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


_MEASURED = """
import resource, sys
from sopdoc.cli import main
try:
    main(sys.argv[1:])
except SystemExit as end:
    code = end.code
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def measured_import(book: Path, target: Path) -> tuple[float, float, int]:
    """Return the wall time (s), the peak memory (MB) and the exit code of one import in a new process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, "import", str(book), "--to", str(target)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    code, peak = done.stderr.split()[-2:]
    return seconds, int(peak) / 1024, int(code)


def main_hostile() -> None:
    columns = [get_column_letter(c) for c in range(1, 99)]
    cases = {
        "sel terformat di XFD1048576 (ditolak)": '<row r="1048576"><c r="XFD1048576" s="0"/></row>',
        "~198.000 sel kosong terformat (terbaca)": "".join(
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in columns) + "</row>" for r in range(10, 2030)),
    }
    for name, rows in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            book = hostile(Path(tmp) / "uji.xlsx", rows)
            seconds, peak, code = measured_import(book, Path(tmp) / "defs")
            print(f"{name}: {book.stat().st_size / 1024:.0f} KB, impor {seconds:.2f} s, puncak memori "
                  f"{peak:.0f} MB, kode keluar {code}")


if __name__ == "__main__":
    main()
    main_hostile()
