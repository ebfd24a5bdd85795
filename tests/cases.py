"""The SOPs every rendering test covers: the five seeds, the render fixtures and the fidelity reproductions."""

from pathlib import Path

from sopdoc.definition import reader

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "definitions", ROOT / "tests" / "fixtures" / "render", ROOT / "tests" / "fixtures" / "fidelity"]
GOLDEN = ROOT / "tests" / "golden"
PAPERS = [("F4", "lanskap"), ("F4", "potret"), ("A4", "lanskap"), ("A4", "potret")]
# sopdoc's own rules the oracle checks that the router does not keep yet on every page (crossings by a junction
# or bend, arrows across joins, twin arrows, jumps to a later page beside their source, crossings near a tip,
# S-bends, lines end to end 5-8 mm apart, and U-turns through a short run where no way without one keeps rules
# 1-16): the tests of the router's output leave them out until it does; benchmarks/quality_layout.py counts them.
NOT_YET_KEPT = frozenset({17, 18, 19, 21, 22, 23, 24, 25, 26})


def kept_rule_defects(report) -> list:
    """Return the oracle's defects on rules the router keeps (all but NOT_YET_KEPT)."""
    return [d for d in report.defects if d.rule not in NOT_YET_KEPT]


def load_cases():
    result = reader.read(SOURCES)
    assert not result.errors, result.errors
    return {f"{sop.unit.key}/{sop.slug}": sop for sop in result.sops}


def golden_path(case: str) -> Path:
    return GOLDEN / (case.replace("/", "__") + ".json")
