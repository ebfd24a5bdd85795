"""Generate flow graphs the layout draws, with the constructs of real SOPs the definitions cannot say yet.

Several symbols in one row (in different lanes), joint symbols of several pelaksana, several starts in
the first row, ends anywhere (a symbol that flows nowhere, a decision exit to an end the layout draws),
forks (one flow to several targets), decisions printed without labels, loops and skips.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

from sopdoc.flowchart.graph import COLUMNS, Chart, Flow, Node, Row
from sopdoc.flowchart.plan import DECISION, PROCESS, TERMINATOR

LABELS = [("Ya", "Tidak"), ("Lengkap", "Tidak lengkap"), ("Setuju", "Perlu perbaikan"), ("", "")]
VERBS = ["Menyusun", "Memeriksa", "Mengirim", "Menerima", "Mengolah", "Menandatangani"]


def chart(rng: random.Random, rows: int, actors: int, paper: tuple[str, str] = ("F4", "lanskap"),
          several: float = 0.3, forks: float = 0.15, ends: float = 0.1, joint: float = 0.1, decisions: float = 0.25
          ) -> Chart:
    """Return a flow graph of *rows* rows over *actors* lanes.

    A row holds several symbols with chance *several*; a flow forks with chance *forks*; a row's
    symbol ends the flow (or a decision exit does) with chance *ends*; a symbol is joint with
    chance *joint*; a row is a decision with chance *decisions*. Every flow goes to a later row, but decisions may
    loop back one to four rows.
    """
    lanes = [f"p{i}" for i in range(actors)]
    built: list[list[Node]] = []
    for n in range(rows):
        count = 1 + (rng.random() < several and actors > 1) + (rng.random() < several / 3 and actors > 2)
        chosen = rng.sample(lanes, min(count, actors))
        nodes = []
        for k, lane in enumerate(chosen):
            name = f"r{n + 1}" + (f"-{k + 1}" if k else "")
            members = (lane,)
            free = [x for x in lanes if x not in chosen]
            if free and rng.random() < joint and len(chosen) == 1:
                members = (lane, rng.choice(free))
            if n == 0:
                kind, text = TERMINATOR, "Mulai"
            elif n == rows - 1:
                kind, text = TERMINATOR, "Selesai"
            elif 1 < n < rows - 2 and rng.random() < decisions and len(members) == 1:
                kind, text = DECISION, ""
            else:
                kind, text = PROCESS, ""
            nodes.append(Node(name, n, members, kind, text))
        built.append(nodes)
    flows = []
    for n, nodes in enumerate(built[:-1]):
        for node in nodes:
            later = [m for row in built[n + 1:n + 4] for m in row]
            following = built[n + 1]
            if node.kind == TERMINATOR and n:
                continue
            if node.kind != DECISION and n and rng.random() < ends:
                built[n][built[n].index(node)] = node = Node(node.name, n, node.lanes, TERMINATOR, "Selesai")
                continue
            if node.kind == DECISION:
                yes, no = rng.choice(LABELS)
                back = [m for row in built[max(1, n - 4):n] for m in row if m.kind != TERMINATOR]
                first = rng.choice(following).name
                second_choices = [m.name for m in later + back if m.name != first]
                if rng.random() < ends:
                    flows += [Flow(node.name, (first,), yes), Flow(node.name, (), no)]
                else:
                    flows += [Flow(node.name, (first,), yes), Flow(node.name, (rng.choice(second_choices),), no)]
                continue
            targets = [rng.choice(following).name]
            if rng.random() < forks:
                others = [m.name for m in later if m.name not in targets]
                if others:
                    targets.append(rng.choice(others))
            flows.append(Flow(node.name, tuple(targets)))
    rows_built = tuple(Row(str(n + 1), {"no": str(n + 1), "kegiatan": f"{rng.choice(VERBS)} berkas tahap {n + 1}",
                                         "kelengkapan": None, "waktu": "1 hari", "output": None, "keterangan": None},
                           tuple(nodes)) for n, nodes in enumerate(built))
    return Chart("Uji graf alir", paper[0], paper[1], tuple((k, f"Pelaksana {k.upper()}") for k in lanes), COLUMNS,
                 rows_built, tuple(flows))


def stub(name: str = "graf"):
    """Return what the geometry export reads of an SOP (its unit's key and its slug), for a flow graph."""
    return SimpleNamespace(unit=SimpleNamespace(key="uji"), slug=name)
