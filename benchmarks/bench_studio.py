"""Benchmark sopdoc studio: time from an edit to the updated preview, in the browser: make bench-studio

Generated SOPs of 10, 30 and 60 rows are opened in Debian's Chromium (Playwright)
against a real `sopdoc studio`. Each edit types a new uraian into a row and the
clock stops when the preview shows the redrawn document (the time includes the
page's 120 ms pause that gathers keystrokes, and the decoding of the pictures).
Prints p50 and max per size.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from generate import sop_text  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from studioserver import CHROMIUM, CHROMIUM_ARGS, Studio  # noqa: E402

SIZES = (10, 30, 60)
EDITS = 15
TARGET = 1.0

# Type into the row's uraian as a person does (an input event), then wait for the preview counter to move.
_EDIT = """async ([name, text]) => {
  const preview = document.querySelector('[data-pratinjau]');
  const before = Number(preview.dataset.pratinjau);
  const field = document.querySelector(`[name="${name}"]`);
  const start = performance.now();
  field.value = text;
  field.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(resolve => {
    const check = () => (Number(preview.dataset.pratinjau) > before && preview.dataset.keadaan === 'siap')
      ? resolve() : requestAnimationFrame(check);
    check();
  });
  // Shown means drawn: wait until the browser has decoded every page's picture.
  await Promise.all([...preview.querySelectorAll('img.gambar-lajur')].map(img => img.decode()));
  return (performance.now() - start) / 1000;
}"""


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        unit = Path(tmp) / "definitions" / "dinas-bench"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
        for rows in SIZES:
            (unit / f"sop-{rows}.yaml").write_text(sop_text(rng, rows, 6, rows // 8), encoding="utf-8")
        studio = Studio(unit.parent, Path(tmp) / "output")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(studio.address)
                print(f"Dari suntingan sampai pratinjau diperbarui, {EDITS} suntingan per SOP (detik):")
                for rows in SIZES:
                    page.goto(f"{studio.base}/sop/dinas-bench/sop-{rows}")
                    pages = page.locator("[data-lembar^='bagan-']").count()
                    times = []
                    for n in range(EDITS):
                        row = rng.randint(2, rows - 1)
                        times.append(page.evaluate(_EDIT, [f"kegiatan[{row}].uraian",
                                                           f"Memeriksa dokumen hasil suntingan nomor {n}"]))
                    p50, worst = statistics.median(times), max(times)
                    verdict = "di bawah" if p50 < TARGET else "MELEBIHI"
                    print(f"  {rows:2d} baris ({pages} halaman bagan alir): p50 {p50:.3f}  maks {worst:.3f}  "
                          f"({verdict} target {TARGET:.0f} s)")
                browser.close()
        finally:
            studio.stop()


if __name__ == "__main__":
    main()
