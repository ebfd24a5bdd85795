"""Lay out the flowchart of an SOP: a flat list of named phases over a flow graph (as dagre's runLayout).

The layout's input is the flow graph (graph.py), not the SOP: ``layout(sop)``
turns the SOP into its graph and runs the phases in order, each reading and
writing the one ``State``:

1. columns: room before routes: lanes get the width their symbols and routes
   need, the text columns share the rest by what they hold;
2. header: the header's lines and heights;
3. exits: each decision exit's vertex, and its label's forms;
4. rows: each row's height, from its text and its symbols (and room it was given);
5. pages: rows into pages, a row taller than a page continued on the next;
6. symbols: each node's symbols in their lanes;
7. connectors: the links of each page, with off-page connectors and end capsules
   in line with their flow (a row without room for them goes back to *pages*
   with room over or under its symbols);
8. route: every link routed, negotiating (rip-up and reroute);
9. labels: each exit's label beside its own exit;
10. check: the pages read back against drawing rules 1-16; the rows of a link
    without a route, of a label without a place, or of a broken rule get more
    room and the layout goes back to *rows* (a label without a place keeps its
    room clear of other lines from then on); a link or a label still without a
    way after a few rounds (or after one, when taller rows left the very same
    ones without a way), or a rule still broken, gets wider lanes (the text columns giving
    way; where they cannot, narrower symbols), and the layout goes back to
    *columns*, the rows keeping the room they were given; what still fails is
    drawn plainly and named in a warning, never drawn wrong in silence, from
    the round that failed least. A skip to a later page whose line found no
    way down to its connector at the page's foot gets its connector level
    beside its source, and the layout goes back to *pages*.

``run(chart, timings)`` adds each phase's time to *timings* when given a dict.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sopdoc.definition.model import Sop
from sopdoc.flowchart import check, connectors, exits, graph, labels, route, symbols, table
from sopdoc.flowchart.graph import Chart
from sopdoc.flowchart.plan import MM, Arrow, Column, HeaderStyle, Layout, Page
from sopdoc.flowchart.table import BREAK_PARAGRAPH, PAGE_SLACK, RowNeed, SymbolSize
from sopdoc.office.paper import MARGIN, page_size

PLACEMENTS = 6                  # rounds of pagination for connectors' room
ATTEMPTS = 4                    # rounds of routing, rows growing where it failed
GROW = 3.0 * MM                 # more height for a row where a route or a label found no way, per round
CROWDED = table.CONNECTOR + 6 * MM   # room over or under the symbols of a row too crowded for its connectors
ROOM_SHARE = 0.5                # a row's symbols and the room given them take at most this share of a page
MERGE_ROOM = 6 * MM             # room over a symbol a link found no way into, per round
FORK_ROOM = 8 * MM              # more height for a row with a fork
WIDEN = 4.0 * MM                # wider lanes (or symbols sized for narrower ones) for what found no way, per round
WIDENINGS = 3                   # rounds of wider lanes at most
WIDEN_FAILS = 3                 # links and labels without a way, at most, for wider lanes to be worth a round


@dataclass
class State:
    """What the phases read and write."""

    chart: Chart
    width: float = 0.0
    height: float = 0.0
    columns: list[Column] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    lane: float = 0.0
    least: float = 0.0              # the lane width asked for after routes found no way in narrower lanes
    symbol_lane: float = 0.0        # the lane width symbols are sized for: wider lanes give their room to routes,
                                    # and symbols narrow when the lanes cannot widen
    title_size: float = 0.0
    header: HeaderStyle | None = None
    body: tuple[float, float] = (0.0, 0.0)
    symbol_size: SymbolSize | None = None
    heading: tuple[str, ...] = ()
    capacity: float = 0.0
    plans: dict = field(default_factory=dict)
    text: tuple | None = None       # each row's text cells as set in lines, and the columns they were set for
    needs: list[RowNeed] = field(default_factory=list)
    lean: list[RowNeed] = field(default_factory=list)         # the same without the room a fork is given at first
    grown: dict[int, float] = field(default_factory=dict)     # more height per row, given after a failed round
    below: dict[int, float] = field(default_factory=dict)     # room under a row's symbols for its connectors
    above: dict[int, float] = field(default_factory=dict)     # and over them
    pages: list[Page] = field(default_factory=list)
    flows: connectors.Flows | None = None
    routed: dict[int, list[route.Link]] = field(default_factory=dict)   # each page's link per arrow
    failed: list[tuple[Page, route.Link]] = field(default_factory=list)
    unlabelled: list[tuple[Page, route.Link]] = field(default_factory=list)
    problems: list[tuple[Page, check.Problem]] = field(default_factory=list)
    keep: set[tuple[str, int]] = field(default_factory=set)   # exits whose label's room others keep clear of
    level: set[tuple[str, str]] = field(default_factory=set)  # skips to a later page whose connector stands level
    turns: dict[str, int] = field(default_factory=dict)       # decisions whose exits take their next-best vertices
    rounds: dict[str, int] = field(default_factory=dict)
    routes: dict[str, tuple] = field(default_factory=dict)     # each page's routes, by what the page holds
    best: tuple[tuple[int, ...], dict] | None = None   # the round that left the fewest failures (_failures), what it made
    failing: frozenset | None = None        # the links and labels the round before left without a way
    # Pages whose routes keep rules 1-16 only: the rounds could not keep sopdoc's own rules there too (None: no
    # page yet; the pages that kept every rule keep their routes).
    relaxed: frozenset[int] | None = None


@dataclass(frozen=True)
class Phase:
    name: str
    run: Callable[[State], str | None]    # returns the name of a phase to go back to, or None to go on


def _columns(state: State) -> None:
    chart = state.chart
    state.width, state.height = page_size(chart.paper, chart.orientation)
    state.lanes = [key for key, _ in chart.lanes]
    state.columns, state.lane, state.title_size = table.columns_for(chart, state.width - 2 * MARGIN, state.least)
    state.body = table.body_size(state.columns)
    state.symbol_lane = state.symbol_lane or state.lane
    state.symbol_size = table.symbol_size(min(state.lane, state.symbol_lane))
    state.heading = table.heading(chart.title, state.width - 2 * MARGIN)


def _header(state: State) -> None:
    state.header = table.header_style(state.columns, state.title_size)
    state.capacity = state.height - 2 * MARGIN - sum(state.header.heights) - PAGE_SLACK - BREAK_PARAGRAPH


def _exits(state: State) -> None:
    state.plans = exits.plan(state.chart, state.lanes, state.lane, state.symbol_size, state.turns)


def _rows(state: State) -> None:
    chart, (size, line) = state.chart, state.body
    columns = {c.key: c for c in state.columns}
    nodes = chart.nodes
    downs = {flow.source for flow in chart.flows
             if any(nodes[t].row == nodes[flow.source].row + 1 for t in flow.targets)}
    forks = {flow.source for flow in chart.flows if len(flow.targets) > 1}
    state.needs, state.lean = [], []
    # The text is set again only when the columns changed: rounds of taller rows keep it.
    if state.text is None or state.text[0] != (tuple(state.columns), size):
        state.text = ((tuple(state.columns), size),
                      [{key: table.cell_lines(row.cells.get(key), columns[key], size) for key, _ in chart.columns}
                       for row in chart.rows])
    for n, row in enumerate(chart.rows):
        lines = state.text[1][n]
        room = table.symbol_height([node.kind for node in row.nodes], state.symbol_size)
        room = room + _label_room(state, row) + state.grown.get(n, 0.0)
        down = any(node.name in downs for node in row.nodes)
        # A fork splits where its line has run clear of its symbol: room for that below the symbol.
        fork = FORK_ROOM if any(node.name in forks for node in row.nodes) else 0.0
        state.needs.append(RowNeed(lines, min(room + fork, state.capacity * ROOM_SHARE), line, down))
        state.lean.append(RowNeed(lines, min(room, state.capacity * ROOM_SHARE), line, down))


def _label_room(state: State, row: graph.Row) -> float:
    """Return the height a decision row needs beyond its symbol's for its exits' labels."""
    size = state.symbol_size
    need = 0.0
    for node in row.nodes:
        for (name, _), plan in state.plans.items():
            if name != node.name or not plan.forms:
                continue
            h = plan.narrow[2] if plan.port.side == "B" else min(form[2] for form in plan.forms)
            if plan.port.side == "B":
                need = max(need, 2 * (exits.LABEL_GAP + h + exits.BOTTOM_RUN + route.ARROW_ROOM - table.SYMBOL_GAP))
            else:
                need = max(need, 2 * (exits.LABEL_GAP + h + 1.0 * MM - size.diamond_h / 2 - table.SYMBOL_GAP))
    return max(need, 0.0)


def _pages(state: State) -> None:
    heading = table.heading_height(state.heading)
    pages = table.paginate(state.needs, state.capacity, heading, state.below, state.above)
    if len(pages) > 1 and state.lean != state.needs:
        # The room a fork is given at first is not worth a page: it gets room where its routes find no way.
        lean = table.paginate(state.lean, state.capacity, heading, state.below, state.above)
        if len(lean) < len(pages):
            pages = lean
    state.pages = [Page(n, rows) for n, rows in enumerate(pages, start=1)]


def _symbols(state: State) -> None:
    for page in state.pages:
        symbols.place(state.chart, page, state.lanes, state.lane, state.symbol_size)


def _connectors(state: State) -> str | None:
    state.flows = connectors.links(state.chart, state.pages, state.plans, state.lanes, state.lane, state.keep,
                                   state.level)
    if state.flows.crowded and _again(state, "connectors", PLACEMENTS):
        for index, where in state.flows.crowded.items():
            room = state.above if where == "above" else state.below
            room[index] = min(room.get(index, 0.0) + CROWDED, state.capacity * ROOM_SHARE / 2)
        return "pages"
    return None


def _route(state: State) -> None:
    state.failed, state.routed = [], {}
    for page in state.pages:
        links = state.flows.links[page.number]
        # A page a round left as it was (rows, symbols, links) keeps the routes it had.
        relaxed = state.relaxed is not None and page.number in state.relaxed
        key = repr((page.rows, page.symbols, page.joins, links, relaxed))
        if key not in state.routes:
            failed, routed = route.route_page(page, links, len(state.lanes), state.lane, relaxed)
            state.routes[key] = (list(page.arrows), list(page.junctions), failed, routed)   # before labels
        arrows, junctions, failed, routed = state.routes[key]
        page.arrows, page.junctions = list(arrows), list(junctions)
        state.failed += [(page, link) for link in failed]
        state.routed[page.number] = routed


def _labels(state: State) -> None:
    state.unlabelled = []
    for page in state.pages:
        failed = labels.place(page, state.routed[page.number], state.lane, len(state.lanes))
        state.unlabelled += [(page, link) for link in failed]


def _check(state: State) -> str | None:
    state.problems = [(page, p) for page in state.pages for p in check.problems(page, state.lane, state.lanes)]
    # A line that found no way down to a connector at its page's foot: the connector stands level beside its
    # source instead, and the page is laid out again (its rows need no more room for that).
    feet = {state.flows.feet[link.dst] for _, link in state.failed if link.dst in state.flows.feet}
    if feet - state.level:
        state.level |= feet
        return "pages"
    rows: set[int] = set()
    for _, link in state.failed + state.unlabelled:
        rows |= set(range(min(link.rows), max(link.rows) + 1))
    for _, link in state.unlabelled:
        state.keep.add(link.exit)
    turning = {link.exit[0] for _, link in state.failed if link.exit is not None}
    for name in turning:
        state.turns[name] = state.turns.get(name, 0) + 1
    for _, link in state.failed:
        # Its target may have no side left: room over it lets the line that comes in at its top run
        # long enough for this one to join it.
        target = link.rows[1]
        state.above[target] = min(state.above.get(target, 0.0) + MERGE_ROOM, state.capacity * ROOM_SHARE / 2)
    turned = False
    for _, problem in state.problems:
        if problem.decision is not None:
            # The decision's exits leave by the next way of choosing its vertices (rule 26: its exits crossed), in a
            # round that left every link and label a way: other vertices may find none, and a link or label without
            # a way is worse than a crossing (such a round gives rows room and moves the exits of failed links on).
            if not state.failed and not state.unlabelled and problem.decision not in turning:
                turning.add(problem.decision)
                state.turns[problem.decision] = state.turns.get(problem.decision, 0) + 1
                turned = True
        else:
            rows |= problem.rows
    _keep_best(state)
    # A round whose taller rows left the very same links and labels without a way shows that height is not
    # what they lack: the lanes widen at once, when they can, rather than after the last round of growing. (A
    # broken rule, a crossing near an arrowhead most often, is mended by a second round of growing as often.)
    failing = _failing(state)
    stuck = bool(failing) and failing == state.failing
    state.failing = failing
    widened = bool(rows) and stuck and _widen(state)
    if (rows or turned) and not widened and _again(state, "check", ATTEMPTS - 1):
        for index in rows:
            state.grown[index] = state.grown.get(index, 0.0) + GROW
        state.rounds.pop("connectors", None)
        return "exits"
    if widened or (rows and _widen(state)):
        # The rows keep the room they were given: the wider lanes add to it, and the links that still find no
        # way get a round more of growing.
        state.above.clear()
        state.below.clear()
        state.rounds["check"] = ATTEMPTS - 2
        state.rounds.pop("connectors", None)
        state.failing = None
        return "columns"
    _restore_best(state)
    # The rounds end with a rule of the format broken: the pages of the best round that broke one are routed once
    # more keeping the format's rules only (sopdoc's own rules 17, 22 and 23 can ask for more room than a page
    # has); the other pages keep their routes.
    broken = {page.number for page, _ in state.failed + state.unlabelled} | \
        {page.number for page, p in state.problems if p.rule <= 16}
    if state.relaxed is None and broken:
        state.relaxed = frozenset(broken)
        return "route"
    return None


# What a round of the layout made, from its columns to its checked pages (each round makes new pages).
_MADE = ("width", "height", "columns", "lanes", "lane", "title_size", "header", "body", "symbol_size", "heading",
         "pages", "flows", "failed", "unlabelled", "problems")


def _failing(state: State) -> frozenset[tuple[str, str]]:
    """Return the links and labels this round left without a way, by their ends."""
    return frozenset((link.src, link.dst) for _, link in state.failed + state.unlabelled)


def _failures(state: State) -> tuple[int, int, int, int, int]:
    """Return what this round left broken: links and labels without a way and broken rules of the format; of those,
    the links without a way; then broken rules of sopdoc's own; of those, the ones only other exit vertices mend,
    and the lines on a symbol's axis or merging just out of a symbol (rules 27 and 28, which a page has many of
    where its rows are tight). A round is better for fewer of the first, then of the second (a link without a way is
    drawn plainly, across several rules; a label without room breaks one), then of the third."""
    own = sum(1 for _, p in state.problems if p.rule > 16)
    vertices = sum(1 for _, p in state.problems if p.decision is not None)
    tight = sum(1 for _, p in state.problems if p.rule in (27, 28))
    return (len(state.failed) + len(state.unlabelled) + len(state.problems) - own, len(state.failed), own, vertices,
            tight)


def _keep_best(state: State) -> None:
    """Remember this round's layout when it left fewer failures than any round before."""
    if state.best is None or _failures(state) < state.best[0]:
        state.best = (_failures(state), {name: getattr(state, name) for name in _MADE})


def _restore_best(state: State) -> None:
    """Take back the round that left the fewest failures, when a later one (more room, other exits) did worse."""
    if state.best is not None and state.best[0] < _failures(state):
        for name, value in state.best[1].items():
            setattr(state, name, value)


def _widen(state: State) -> bool:
    """Give the routes more room after taller rows were not enough; return whether the layout changed.

    The lanes ask WIDEN more than now, as far as the text columns can give it; where they cannot, the
    symbols are sized for lanes WIDEN narrower. A page with many links or labels without a way gains
    nothing worth the rounds from a few millimetres (counted in the round that failed least: a round of taller
    rows may fail more than the one before it).
    """
    broken, _, own, vertices, tight = min(_failures(state), state.best[0] if state.best else _failures(state))
    fewest = broken + own - vertices - tight
    if fewest > WIDEN_FAILS or not _again(state, "widen", WIDENINGS):
        return False
    least = state.lane + WIDEN
    _, lane, _ = table.columns_for(state.chart, state.width - 2 * MARGIN, least)
    if lane >= state.lane + 0.5 * MM:
        state.least = least
    else:
        narrower = min(state.lane, state.symbol_lane) - WIDEN
        if table.symbol_size(narrower).w >= state.symbol_size.w:
            return False
        state.symbol_lane = narrower
    return True


def _again(state: State, name: str, limit: int) -> bool:
    """Return whether phase *name* may send the layout back once more (it has done so fewer than *limit* times)."""
    done = state.rounds.get(name, 0)
    state.rounds[name] = done + 1
    return done < limit


PHASES = (Phase("columns", _columns), Phase("header", _header), Phase("exits", _exits), Phase("rows", _rows),
          Phase("pages", _pages), Phase("symbols", _symbols), Phase("connectors", _connectors),
          Phase("route", _route), Phase("labels", _labels), Phase("check", _check))


def run(chart: Chart, timings: dict[str, float] | None = None, phases: tuple[Phase, ...] = PHASES) -> State:
    """Run *phases* over *chart*; add each phase's time (seconds, all its rounds) to *timings* when given."""
    state = State(chart)
    names = [p.name for p in phases]
    at = 0
    while at < len(phases):
        phase = phases[at]
        started = time.perf_counter()
        back = phase.run(state)
        if timings is not None:
            timings[phase.name] = timings.get(phase.name, 0.0) + time.perf_counter() - started
        at = names.index(back) if back else at + 1
    return state


def layout(sop: Sop, timings: dict[str, float] | None = None) -> Layout:
    """Return the complete layout of the flowchart part of *sop*."""
    return finish(run(graph.chart(sop), timings))


def finish(state: State) -> Layout:
    """Return the layout the phases made, drawing plainly (and naming) what they could not route."""
    for page, link in state.failed:
        _draw_plainly(page, link)
    for page, link in state.unlabelled:
        page.warnings.append(f"label cabang kegiatan {link.rows[0] + 1} tidak mendapat tempat; periksa gambarnya")
    for page in state.pages:
        # sopdoc's own rule (a U-turn through a short run) asks for room while there are rounds; a page that
        # keeps the format's rules 1-16 without it is not worth a warning.
        page.warnings += check.warnings([p for owner, p in state.problems if owner is page and p.rule <= 16])
    chart = state.chart
    return Layout(chart.paper, chart.orientation, state.width, state.height, MARGIN, state.columns, state.lanes,
                  state.lane, state.body[0], state.body[1], state.header, state.pages, state.heading)


def _draw_plainly(page: Page, link: route.Link) -> None:
    """Draw an arrow no rule-abiding route was found for, straight to its target, and say so."""
    src, dst = page.symbol(link.src), page.symbol(link.dst)
    a = (src.x, src.y + src.h / 2)
    b = (dst.x, dst.y - dst.h / 2)
    middle = (a[1] + b[1]) / 2
    points = tuple(p for n, p in enumerate((a, (a[0], middle), (b[0], middle), b)) if n in (0, 3) or a[0] != b[0])
    page.arrows.append(Arrow(src.name, dst.name, points))
    page.warnings.append(f"panah kegiatan {link.rows[0] + 1} ke {link.rows[1] + 1} tidak dapat digambar menurut "
                         "aturan; periksa gambarnya (kurangi lompatan yang melintasi baris ini atau pakai kertas "
                         "lebih lebar)")
