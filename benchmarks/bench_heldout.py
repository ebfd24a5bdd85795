"""Benchmark `sopdoc render --format docx,pdf,json` on SOPs like the held-out ones: make bench-heldout

20 generated SOPs of 20-40 rows, 5-8 pelaksana with long jabatan names, rework
loops, forward skips and rows done together, spread over the four papers (one
unit per paper). Prints, per SOP:

- layout + drawing + DOCX (the part sopdoc itself does), timed in this process;
- the whole render, DOCX, PDF and geometry, as one `sopdoc render` process over
  all 20 SOPs (LibreOffice converts them in batches);
- and, as the baseline in the same run, one `sopdoc render` process per SOP on a
  sample, which pays for Python and LibreOffice starting each time.
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

from sopdoc.definition import reader  # noqa: E402
from sopdoc.document import docx_writer  # noqa: E402
from sopdoc.flowchart import drawing, layout  # noqa: E402

COUNT, SAMPLE = 20, 4
PAPERS = [("F4", "lanskap"), ("F4", "potret"), ("A4", "lanskap"), ("A4", "potret")]
SOPDOC = Path(sys.executable).with_name("sopdoc")


def _definitions(root: Path) -> list[Path]:
    rng = random.Random(11)
    files = []
    for number, (paper, orientation) in enumerate(PAPERS):
        unit = root / f"dinas-{number}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Uji\nunit: Dinas Uji {number}\nkertas: {paper}\n"
                                        f"orientasi: {orientation}\n", encoding="utf-8")
        for n in range(COUNT // len(PAPERS)):
            rows = rng.randint(20, 40)
            text = sop_text(rng, rows, rng.randint(5, 8), rows // 8, skips=2, long_names=True, together=2)
            files.append(unit / f"sop-{n:02d}.yaml")
            files[-1].write_text(text, encoding="utf-8")
    return files


def _render(arguments: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(SOPDOC), "render", *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sopdoc render gagal:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "definitions"
        files = _definitions(root)
        own = []
        for sop in reader.read([root]).sops:
            started = time.perf_counter()
            plan = layout.layout(sop)
            docx_writer.write(sop, plan, drawing.draw(plan), {})
            own.append(time.perf_counter() - started)
        batch = _render([str(root), "--format", "docx,pdf,json", "--out", str(Path(tmp) / "batch")])
        single = [_render([str(f), "--format", "docx,pdf,json", "--out", str(Path(tmp) / "single")])
                  for f in files[::len(files) // SAMPLE][:SAMPLE]]

    print(f"{COUNT} SOP, 20-40 baris, 5-8 pelaksana bernama panjang, 4 ukuran kertas:")
    print(f"  tata letak + gambar + DOCX: p50 {statistics.median(own):.3f} s, maks {max(own):.3f} s per SOP")
    print(f"  satu proses 'sopdoc render --format docx,pdf,json' untuk {COUNT} SOP: {batch:.2f} s, "
          f"{batch / COUNT:.3f} s per SOP")
    print(f"  dasar pembanding, satu proses per SOP ({SAMPLE} SOP): p50 {statistics.median(single):.2f} s, "
          f"maks {max(single):.2f} s; rasio per SOP {statistics.median(single) / (batch / COUNT):.1f}x")


if __name__ == "__main__":
    main()
