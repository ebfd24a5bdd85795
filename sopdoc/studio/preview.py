"""The live preview: unsaved definition data checked, laid out and drawn as the DOCX is.

The flowchart pages come from the same plan (``layout.layout``) and the same
pictures (``drawing.page_svg``) the DOCX writer uses; the page template only
places them: an HTML table with the plan's column widths and row heights in
points, the page's lane picture laid over the lane cells.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import fields, reader, rows
from sopdoc.definition.model import Sop
from sopdoc.document import identity as identity_sheet
from sopdoc.document.docx_writer import HEADER_SIZE, draft_mark, page_title, total_line
from sopdoc.errors import ERROR, Problem, SopdocError, display_path, shown
from sopdoc.flowchart import drawing, graph, layout, table
from sopdoc.flowchart.plan import Layout, Page, RowBox
from sopdoc.flowchart.table import TOTAL_LINE, heading_height
from sopdoc.office import paper
from sopdoc.office.style import HEADER_FILL, MARK_RED
from sopdoc.office.textfit import CELL_PAD_X
from sopdoc.studio import faults

LOGO_LIMIT = 2 * 1024 * 1024
_ROW_IN_WARNING = re.compile(r"kegiatan (\d+)")
# The reader's remedies that name YAML syntax, as they are done in the form.
_IN_FORM = {rows.half_labels(): rows.half_labels("kosongkan kedua kotak labelnya")}
_SVG_PROLOGUE = re.compile(rb"^.*?(?=<svg)", re.S)


@dataclass
class Note:
    """One problem as the editor shows it: beside the input named *key* ('' for the whole SOP)."""

    key: str
    message: str
    severity: str = ERROR
    name: str = ""          # the key as the person reads it (fields.in_words): "Kegiatan 5, cabang Tidak"


@dataclass
class Preview:
    """What the preview pane shows: the pages, or why there are none, and every note."""

    sop: Sop | None = None
    plan: Layout | None = None
    pictures: list[str] = field(default_factory=list)     # a data: URI of each page's lane picture
    notes: list[Note] = field(default_factory=list)
    layout_error: str | None = None
    linked: dict[str, str] = field(default_factory=dict)  # keterkaitan slug -> SOP name

    @property
    def errors(self) -> int:
        return sum(1 for n in self.notes if n.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.notes) - self.errors


def build(path: Path, data: dict) -> Preview:
    """Return the preview of *data* as the content of the SOP file *path*."""
    result = reader.check_data(path, data)
    preview = Preview(notes=[_note(p, path, data) for p in result.problems])
    if not result.sops:
        return preview
    preview.sop = sop = result.sops[0]
    preview.linked = identity_sheet.sop_names([sop], result.siblings)[sop.unit.folder]
    try:
        preview.plan = layout.layout(sop)
        preview.pictures = [_picture(preview.plan, page) for page in preview.plan.pages]
    except SopdocError as exc:
        preview.layout_error = exc.message
    except Exception as exc:  # a fault of sopdoc's own: the editor stays usable, the terminal has the details
        faults.log("pratinjau", exc)
        preview.layout_error = "bagan alir tidak dapat digambar karena galat di sopdoc sendiri (rinciannya di terminal)"
    if preview.plan:
        preview.notes += [_layout_note(w) for w in preview.plan.warnings]
    return preview


def _note(problem: Problem, path: Path, data: dict) -> Note:
    """Return *problem* found in checking *data* as the content of *path*, its key named in the person's words."""
    if problem.file != path:
        return Note("", other_file(problem), problem.severity)
    return Note(problem.key, _IN_FORM.get(problem.message, problem.message), problem.severity,
                fields.in_words(problem.key, data) if problem.key else "")


def other_file(problem: Problem) -> str:
    """Return a problem of another file than the one edited (its unit.yaml) as one line, its key in words."""
    where = display_path(problem.file) + (f":{problem.line}" if problem.line else "")
    key = f" {shown(fields.in_words(problem.key))}:" if problem.key else ":"
    return f"{where}{key} {problem.message}"


def _layout_note(warning: str) -> Note:
    """Return a layout warning, beside the row it names first."""
    match = _ROW_IN_WARNING.search(warning)
    return Note(f"kegiatan[{match.group(1)}]" if match else "", f"tata letak kurang rapi, {warning}", "peringatan",
                f"Kegiatan {match.group(1)}" if match else "")


def _picture(plan: Layout, page: Page) -> str:
    """Return the page's lane picture; its white ground made clear, so the table's row borders show as in the DOCX."""
    svg = _SVG_PROLOGUE.sub(b"", drawing.page_svg(plan, page), count=1)
    svg = svg.replace(b'<polygon fill="white" stroke="transparent"', b'<polygon fill="none" stroke="transparent"', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# --- what the page template reads ---------------------------------------------------------

def page_view(plan: Layout, sop: Sop) -> dict:
    """Return the numbers the flowchart pages are drawn with, all in points."""
    columns = plan.columns
    lanes = [c for c in columns if c.key.startswith("lane:")]
    return {
        "page_width": plan.page_width, "page_height": plan.page_height, "margin": plan.margin,
        "columns": columns, "lanes": lanes, "lanes_x": plan.lanes_x, "lanes_width": plan.lanes_width,
        "table_width": sum(c.width for c in columns), "header": plan.header,
        "header_height": sum(plan.header.heights), "heading": plan.heading,
        "heading_height": heading_height(plan.heading),
        "pad_x": CELL_PAD_X, "size": plan.body_size, "line": plan.body_line, "fill": HEADER_FILL,
        "running_head": page_title(sop, plan.page_width - 2 * plan.margin), "running_size": HEADER_SIZE,
        "draft_mark": draft_mark(sop), "mark_red": MARK_RED,
        "total_line": TOTAL_LINE,
        "total": total_line(sop),
        # The headings the DOCX prints: the text columns' own, Pelaksana and Mutu Baku from judul.
        "titles": {**{c.key: c.title for c in columns if not c.key.startswith("lane:")},
                   "pelaksana": sop.headings["pelaksana"], "mutu_baku": sop.headings["mutu_baku"]},
    }


def row_cells(plan: Layout, sop: Sop, box: RowBox) -> dict[str, str]:
    """Return the text of each text cell of a row (or of the part of a row on this page), as the DOCX has it."""
    by_key = {c.key: c for c in plan.columns}
    texts = box.texts or graph.row_cells(sop, sop.kegiatan[box.index])
    return {key: table.cell_text(text, by_key[key], plan.body_size) for key, text in texts.items()}


def identity(sop: Sop, linked: dict[str, str]) -> dict:
    """Return the identity sheet as the page template places it: the DOCX's content on the unit's paper."""
    width, height = paper.page_size(*sop.paper)
    sheet = identity_sheet.build(sop, linked)
    return {
        "page_width": width, "page_height": height, "margin": paper.MARGIN, "fill": HEADER_FILL,
        "sheet": sheet, "logo": _logo(sheet.logo),
        "qr": sheet.verifikasi.svg_uri() if sheet.verifikasi else None,
        "own_template": sop.unit.template is not None,
    }


def _logo(path: Path | None) -> str | None:
    if path is None or not path.is_file() or path.stat().st_size > LOGO_LIMIT:
        return None
    kind = "png" if path.suffix.lower() == ".png" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
