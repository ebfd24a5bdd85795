"""The SOPs every rendering test covers: the five seeds and the render fixtures."""

from pathlib import Path

from sopdoc.definition import reader

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "definitions", ROOT / "tests" / "fixtures" / "render"]
GOLDEN = ROOT / "tests" / "golden"


def load_cases():
    result = reader.read(SOURCES)
    assert not result.errors, result.errors
    return {f"{sop.unit.key}/{sop.slug}": sop for sop in result.sops}


def golden_path(case: str) -> Path:
    return GOLDEN / (case.replace("/", "__") + ".json")
