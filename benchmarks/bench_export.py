"""Benchmark sopdoc export on 300 generated SOPs in 10 units: make bench-export

Three runs in one process: a cold export, the same export again with nothing
changed, and, as the baseline, PDF conversion the naive way (one soffice call
per document) on a sample, to print the ratio against the batched conversion.
Peak memory is the largest resident size of this process and its children.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_text  # noqa: E402

from sopdoc import workers  # noqa: E402
from sopdoc.commands import export  # noqa: E402
from sopdoc.document import pdf  # noqa: E402

UNITS, PER_UNIT, NAIVE_SAMPLE = 10, 30, 6


def corpus(root: Path) -> Path:
    rng = random.Random(11)
    definitions = root / "definitions"
    for u in range(UNITS):
        unit = definitions / f"unit-{u:02d}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji {u + 1}\n",
                                        encoding="utf-8")
        for s in range(PER_UNIT):
            text = sop_text(rng, rng.randint(8, 30), rng.randint(3, 7), rng.randint(0, 3))
            (unit / f"sop-{s:02d}.yaml").write_text(text, encoding="utf-8")
    return definitions


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        definitions = corpus(Path(tmp))
        out = Path(tmp) / "output"
        started = time.perf_counter()
        summary = export.run([definitions], out, workers.default_jobs())
        cold = time.perf_counter() - started
        started = time.perf_counter()
        export.run([definitions], out, workers.default_jobs())
        warm = time.perf_counter() - started
        sample = sorted(out.rglob("sop-0[0-5].docx"))[:NAIVE_SAMPLE]
        started = time.perf_counter()
        for docx in sample:
            pdf.convert([docx], jobs=1)
        naive = (time.perf_counter() - started) / len(sample)
        started = time.perf_counter()
        pdf.convert(sample, jobs=workers.default_jobs())
        batched = (time.perf_counter() - started) / len(sample)
    total = summary.sops
    print(f"korpus: {total} SOP dalam {UNITS} unit (8-30 baris, 3-7 pelaksana)")
    print(f"ekspor dingin: {cold:.1f} s = {total / cold:.2f} SOP/detik (DOCX + PDF + buku + indeks + ZIP)")
    print(f"ekspor ulang tanpa perubahan: {warm:.2f} s")
    print(f"PDF naif (1 soffice per berkas, {len(sample)} berkas): {naive:.2f} s/berkas; "
          f"batch {workers.default_jobs()} proses: {batched:.2f} s/berkas; rasio {naive / batched:.1f}x")
    print(f"memori puncak (proses ini atau satu anaknya): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
