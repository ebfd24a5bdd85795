"""Benchmark the studio's SOP list: .venv/bin/python benchmarks/bench_studio_list.py [SOPS]

A tree of SOPS generated SOPs (200 by default, 4 units, 10 to 30 rows each) is
listed by the studio's first page (GET /, in process through Starlette's test
client). Prints the first list, the median of 10 lists of an unchanged tree,
the list after one SOP was edited outside the studio, and after one SOP was
added, each in milliseconds.
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
from starlette.testclient import TestClient  # noqa: E402

from sopdoc.studio.app import create_app  # noqa: E402

TOKEN = "bench-token-bench-token-0001"
UNITS = 4


def make_tree(root: Path, sops: int) -> list[Path]:
    rng = random.Random(11)
    made = []
    for u in range(UNITS):
        unit = root / "kab-uji" / f"dinas-{u}"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text(f"pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji {u}\n",
                                        encoding="utf-8")
        for s in range(sops // UNITS):
            path = unit / f"sop-{s:03d}.yaml"
            path.write_text(sop_text(rng, rng.randint(10, 30), rng.randint(3, 7), rng.randint(0, 4)), encoding="utf-8")
            made.append(path)
    return made


def timed(client: TestClient) -> float:
    started = time.perf_counter()
    response = client.get("/")
    assert response.status_code == 200, response.text[:300]
    return (time.perf_counter() - started) * 1000


def main() -> None:
    sops = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    work = Path(tempfile.mkdtemp(prefix="bench-list-"))
    made = make_tree(work / "definitions", sops)
    app = create_app(work / "definitions", work / "out", TOKEN)
    with TestClient(app, base_url=f"http://127.0.0.1:8765/{TOKEN}") as client:
        first = timed(client)
        again = [timed(client) for _ in range(10)]
        time.sleep(2.1)     # older than the window in which a file's time stamp is not trusted
        again = [timed(client) for _ in range(10)]
        edited = made[len(made) // 2]
        edited.write_text(edited.read_text(encoding="utf-8").replace("nama: ", "nama: Diubah ", 1), encoding="utf-8")
        after_edit = timed(client)
        assert "Diubah" in client.get("/").text
        extra = made[0].with_name("sop-baru.yaml")
        extra.write_text(made[0].read_text(encoding="utf-8"), encoding="utf-8")
        after_add = timed(client)
    print(f"{len(made)} SOP in {UNITS} units: first list {first:.0f} ms; unchanged p50 {statistics.median(again):.0f} ms "
          f"(min {min(again):.0f}, max {max(again):.0f}); after an outside edit of 1 SOP {after_edit:.0f} ms; "
          f"after 1 SOP added {after_add:.0f} ms")


if __name__ == "__main__":
    main()
