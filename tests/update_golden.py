"""Regenerate the golden layout files after an intended layout change: make golden"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases import GOLDEN, golden_path, load_cases  # noqa: E402

from sopdoc.flowchart import layout  # noqa: E402


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for case, sop in sorted(load_cases().items()):
        path = golden_path(case)
        path.write_text(json.dumps(layout.layout(sop).as_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written {path.relative_to(GOLDEN.parent.parent)}")


if __name__ == "__main__":
    main()
