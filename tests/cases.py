"""The SOPs every rendering test covers: the five seeds, the render fixtures and the fidelity reproductions."""

from pathlib import Path

from sopdoc.definition import reader

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "definitions", ROOT / "tests" / "fixtures" / "render", ROOT / "tests" / "fixtures" / "fidelity"]
GOLDEN = ROOT / "tests" / "golden"
PAPERS = [("F4", "lanskap"), ("F4", "potret"), ("A4", "lanskap"), ("A4", "potret")]


def load_cases():
    result = reader.read(SOURCES)
    assert not result.errors, result.errors
    return {f"{sop.unit.key}/{sop.slug}": sop for sop in result.sops}


def golden_path(case: str) -> Path:
    return GOLDEN / (case.replace("/", "__") + ".json")
