from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFINITIONS = ROOT / "definitions"


def problem_lines(result) -> list[str]:
    """Return each problem as 'file:line key: message' with the file's bare name."""
    return [
        f"{p.file.name}:{p.line} {p.key}: {p.message}" + (" (peringatan)" if p.severity == "peringatan" else "")
        for p in sorted(result.problems, key=lambda p: (p.file.name, p.line or 0))
    ]


@pytest.fixture
def unit_dir(tmp_path: Path) -> Path:
    """Return an empty unit folder with a valid unit.yaml."""
    folder = tmp_path / "definitions" / "dinas-uji"
    folder.mkdir(parents=True)
    (folder / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\n", encoding="utf-8")
    return folder
