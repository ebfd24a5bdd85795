"""The flow graph the layout draws: rows of symbols in lanes, and the flows between them.

The layout reads this graph, never the SOP: the adapter (``chart``) is the one
place that knows how a definition says its rows, symbols and flows. A row holds
one or several symbols (*nodes*), each in its own lane, a joint node spanning
the lanes of several pelaksana (the first of them takes the arrows). A *flow*
leaves one node for one target, or for several (a fork: one line that splits),
or for none (the flow stops there: the layout draws an end capsule for it). A
decision's flows carry their labels ("" for a decision printed without them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, Sop
from sopdoc.flowchart.plan import DECISION, PROCESS, TERMINATOR

KINDS = {KAPSUL: TERMINATOR, BELAH_KETUPAT: DECISION}
MEMBER_SUFFIX = "bcdefgh"
# The text columns of the table, in print order; the lanes stand between Kegiatan and Kelengkapan.
COLUMNS = (("no", "No"), ("kegiatan", "Kegiatan"), ("kelengkapan", "Kelengkapan"), ("waktu", "Waktu"),
           ("output", "Output"), ("keterangan", "Keterangan"))
BEFORE_LANES = ("no", "kegiatan")


@dataclass(frozen=True)
class Node:
    """One symbol of a row: its id, kind and lanes (a joint symbol has several; the first takes the arrows)."""

    name: str
    row: int                    # index of its row, from 0
    lanes: tuple[str, ...]
    kind: str
    text: str = ""              # what a terminator says ("Mulai", "Selesai")

    def member(self, n: int) -> str:
        """Return the id of the symbol drawn in the node's *n*-th lane: r4, then r4b, r4c."""
        return self.name + (MEMBER_SUFFIX[n - 1] if n else "")


@dataclass(frozen=True)
class Flow:
    """A flow out of one node: to one target, to several (a fork), or to none (an end the layout draws)."""

    source: str
    targets: tuple[str, ...]
    label: str | None = None    # a decision exit's label; "" when the decision is printed without labels


@dataclass(frozen=True)
class Row:
    """One row of the table: its printed number, the text of each text column, and its symbols."""

    nomor: str
    cells: dict[str, str | None]
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Chart:
    """Everything the flowchart pages print: the flow graph and the table's text."""

    title: str
    paper: str
    orientation: str
    lanes: tuple[tuple[str, str], ...]      # (pelaksana key, printed name), left to right
    columns: tuple[tuple[str, str], ...]    # the text columns (key, title), in print order
    rows: tuple[Row, ...]
    flows: tuple[Flow, ...]

    @cached_property
    def nodes(self) -> dict[str, Node]:
        return {node.name: node for row in self.rows for node in row.nodes}


def node_name(nomor: int) -> str:
    """Return the id of the symbol of row *nomor* (its first, when a row holds several)."""
    return f"r{nomor}"


def chart(sop: Sop) -> Chart:
    """Return the flow graph of *sop*: one node per row, its exits as flows."""
    last = len(sop.kegiatan) - 1
    rows, flows = [], []
    for row in sop.kegiatan:
        kind = KINDS.get(row.simbol, PROCESS)
        text = ("Mulai" if row.index == 0 else "Selesai" if row.index == last else "") if kind == TERMINATOR else ""
        node = Node(node_name(row.nomor), row.index, tuple(row.pelaksana), kind, text)
        cells = {"no": str(row.nomor), "kegiatan": row.uraian, "kelengkapan": row.kelengkapan,
                 "waktu": row.waktu.teks if row.waktu else None, "output": row.output, "keterangan": row.keterangan}
        rows.append(Row(str(row.nomor), cells, (node,)))
        flows += [Flow(node.name, (node_name(exit_.target + 1),), exit_.label) for exit_ in row.exits]
    return Chart(sop.title, sop.unit.kertas, sop.unit.orientasi, tuple(sop.pelaksana), COLUMNS, tuple(rows),
                 tuple(flows))
