"""Benchmark sopdoc render per stage on generated 15-row SOPs: make bench

Prints the median seconds per SOP for layout, drawing, DOCX and PDF (batched,
two LibreOffice processes), and, as a baseline in the same run, PDF conversion
done the naive way (one soffice call per document) on a sample.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_text  # noqa: E402

from sopdoc import workers  # noqa: E402
from sopdoc.definition import reader  # noqa: E402
from sopdoc.document import docx_writer, identity, outputs, pdf  # noqa: E402
from sopdoc.flowchart import drawing, layout  # noqa: E402

COUNT, ROWS, NAIVE_SAMPLE = 20, 15, 4


def main() -> None:
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        unit = Path(tmp) / "definitions" / "dinas-bench"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
        for n in range(COUNT):
            (unit / f"sop-{n:02d}.yaml").write_text(sop_text(rng, ROWS, rng.randint(3, 6), rng.randint(1, 3)),
                                                    encoding="utf-8")
        sops = reader.read([unit]).sops
        names = identity.sop_names(sops)[unit]
        out = Path(tmp) / "output"
        stages = {"layout": [], "drawing": [], "docx": []}
        files = []
        for sop in sops:
            t0 = time.perf_counter()
            plan = layout.layout(sop)
            t1 = time.perf_counter()
            slices = drawing.draw(plan)
            t2 = time.perf_counter()
            target = outputs.sop_file(out, sop, ".docx")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(docx_writer.write(sop, plan, slices, names))
            t3 = time.perf_counter()
            for stage, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2)):
                stages[stage].append(seconds)
            files.append(target)
        started = time.perf_counter()
        pdf.convert(files, jobs=workers.default_jobs())
        batched = (time.perf_counter() - started) / len(files)
        started = time.perf_counter()
        for file in files[:NAIVE_SAMPLE]:
            pdf.convert([file], jobs=1)
        naive = (time.perf_counter() - started) / NAIVE_SAMPLE

    medians = {stage: statistics.median(values) for stage, values in stages.items()}
    print(f"{COUNT} SOP x {ROWS} baris; median detik per SOP:")
    for stage, value in medians.items():
        print(f"  {stage:<8} {value:.3f}")
    print(f"  layout + drawing + docx: {sum(medians.values()):.3f}")
    print(f"  pdf (batch, {workers.default_jobs()} proses LibreOffice): {batched:.3f} per SOP")
    print(f"  pdf (naif, 1 panggilan soffice per berkas, {NAIVE_SAMPLE} berkas): {naive:.3f} per SOP")
    print(f"  rasio naif / batch: {naive / batched:.1f}x")


if __name__ == "__main__":
    main()
