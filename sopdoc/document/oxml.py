"""WordprocessingML fragments for the flowchart table; every XML trick lives here.

Lengths arrive in points and leave as twips (1/20 pt) or EMU (12700 per pt).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from lxml import etree

from sopdoc.office import textfit
from sopdoc.office.style import FONT

BORDER_WIDTH = 0.5      # points: every border of the flowchart table
BORDER = f'<w:{{side}} w:val="single" w:sz="{round(BORDER_WIDTH * 8)}" w:space="0" w:color="000000"/>'
SHY = "\u00ad"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def twips(points: float) -> int:
    return round(points * 20)


def emu(points: float) -> int:
    return round(points * 12700)


def run(text: str, size: float, bold: bool = False) -> str:
    """Return a run of *text*; a soft hyphen becomes Word's optional hyphen, a newline a line break."""
    lines = ("<w:softHyphen/>".join(f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in line.split(SHY))
             for line in text.split("\n"))
    return f'<w:r>{run_props(size, bold)}{"<w:br/>".join(lines)}</w:r>'


def run_props(size: float, bold: bool = False) -> str:
    return (f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>{"<w:b/>" if bold else ""}'
            f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>')


def paragraph(text: str = "", size: float = 9, line: float = 11, bold: bool = False, align: str = "left",
              page_break: bool = False, before: float = 0, extra: str = "") -> str:
    """Return a paragraph with exact line spacing, so its height is predictable."""
    brk = "<w:pageBreakBefore/>" if page_break else ""
    return (f'<w:p><w:pPr>{brk}<w:spacing w:before="{twips(before)}" w:after="0" w:line="{twips(line)}" '
            f'w:lineRule="exact"/><w:jc w:val="{align}"/></w:pPr>{run(text, size, bold) if text else ""}{extra}</w:p>')


def cell(width: float, content: str, span: int = 1, vmerge: str | None = None, valign: str = "center",
         fill: str | None = None, margins: tuple[float, float] | None = None, rotated: bool = False) -> str:
    props = f'<w:tcW w:w="{twips(width)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    if margins is not None:
        left, right = margins
        props += (f'<w:tcMar><w:left w:w="{twips(left)}" w:type="dxa"/>'
                  f'<w:right w:w="{twips(right)}" w:type="dxa"/></w:tcMar>')
    if rotated:
        props += '<w:textDirection w:val="btLr"/>'
    props += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def row(cells: list[str], height: float, header: bool = False) -> str:
    """Return a row *height* tall that never splits across pages.

    The height is a minimum, so text a user adds in Word makes the row grow
    instead of being cut off. Word and LibreOffice 25 add the row's border to a
    minimum height (measured: a minimum of the height less the border prints
    exactly like that exact height), so the border is taken off here;
    LibreOffice 7.4 does not add it, and converts a copy with exact heights
    (:func:`for_libreoffice`).
    """
    head = "<w:tblHeader/>" if header else ""
    return (f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{twips(height - BORDER_WIDTH)}" w:hRule="atLeast"/>'
            f'{head}</w:trPr>{"".join(cells)}</w:tr>')


def table(widths: list[float], rows: list[str], pad_x: float):
    """Return a fixed-layout, fully bordered table element."""
    borders = "".join(BORDER.format(side=s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths)
    xml = (f'<w:tbl {NS}><w:tblPr><w:tblW w:w="{sum(twips(w) for w in widths)}" w:type="dxa"/>'
           f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{twips(pad_x)}" w:type="dxa"/>'
           f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{twips(pad_x)}" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
    return parse_xml(xml)


def element(xml: str):
    """Return the element of a fragment that uses the w: namespace."""
    return parse_xml(xml.replace("<w:p>", f"<w:p {NS}>", 1) if xml.startswith("<w:p>") else xml)


def anchored_picture(rel_id: str, width: float, height: float, shape_id: int, name: str, description: str = "",
                     svg_rel_id: str | None = None) -> str:
    """Return a run holding a picture that floats behind the text of its table cell.

    Anchored (not inline) so that LibreOffice neither clips it to the cell nor
    pads it; positioned relative to the cell's column and paragraph, at its top
    left corner. *description* is its alternative text. With *svg_rel_id* the
    picture is vector (Word 2019 and later); *rel_id* is then the PNG that
    older programs show instead.
    """
    cx, cy = emu(width), emu(height)
    names = f'id="{shape_id}" name="{escape(name)}" descr="{escape(description, _QUOTE)}"'
    vector = (f'<a:extLst><a:ext uri="{SVG_BLIP_EXT}"><asvg:svgBlip xmlns:asvg="{SVG_NS}" r:embed="{svg_rel_id}"/>'
              f'</a:ext></a:extLst>' if svg_rel_id else "")
    return (
        f'<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{shape_id}" behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr {names}/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr {names}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}">{vector}</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f'</wp:anchor></w:drawing></w:r>'
    )


# Office 2016's extension that gives a picture an SVG beside its PNG (a:blip's extLst).
SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_QUOTE = {'"': "&quot;", "\n": "&#10;"}
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"


def for_libreoffice(document_xml: bytes) -> bytes | None:
    """Return *document_xml* as LibreOffice should print its flowchart; None if it has none.

    Each picture that has an SVG shows that SVG alone (LibreOffice 7.4 shows the
    PNG of a picture that carries both, and draws an SVG given as the picture
    itself as vector), and the rows of the tables holding such pictures get
    their exact heights (see :func:`row`). Word would not show such a picture,
    so only a temporary copy is made this way.
    """
    root = parse_xml(document_xml)
    tables = set()
    for svg in list(root.iter(f"{{{SVG_NS}}}svgBlip")):
        blip = next(svg.iterancestors(f"{_A}blip"))
        blip.set(_R_EMBED, svg.get(_R_EMBED))
        blip.remove(next(svg.iterancestors(f"{_A}extLst")))
        tables.add(next(blip.iterancestors(f"{_W}tbl")))
    for height in (h for tbl in tables for h in tbl.iter(f"{_W}trHeight") if h.get(f"{_W}hRule") == "atLeast"):
        height.set(f"{_W}val", str(int(height.get(f"{_W}val")) + twips(BORDER_WIDTH)))
        height.set(f"{_W}hRule", "exact")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if tables else None


def fit_table_width(tbl, width: float) -> None:
    """Scale a template table's columns so the table spans *width* points, fixed layout."""
    grid = tbl.find(f"{_W}tblGrid")
    cols = grid.findall(f"{_W}gridCol")
    total = sum(int(c.get(f"{_W}w")) for c in cols)
    if not total:
        return
    factor = twips(width) / total
    for col in cols:
        col.set(f"{_W}w", str(round(int(col.get(f"{_W}w")) * factor)))
    for tc_w in tbl.iter(f"{_W}tcW"):
        if tc_w.get(f"{_W}type") == "dxa":
            tc_w.set(f"{_W}w", str(round(int(tc_w.get(f"{_W}w")) * factor)))
    props = tbl.find(f"{_W}tblPr")
    for old in props.findall(f"{_W}tblW") + props.findall(f"{_W}tblLayout"):
        props.remove(old)
    props.append(parse_xml(f'<w:tblW {NS} w:w="{twips(width)}" w:type="dxa"/>'))
    props.append(parse_xml(f'<w:tblLayout {NS} w:type="fixed"/>'))
    # In the schema's order, also what the template had out of it (buku.docx's decree tables did).
    for child in sorted(props, key=lambda c: _TBLPR_ORDER.index(_local(c)) if _local(c) in _TBLPR_ORDER else 99):
        props.append(child)


# The schema's order of tblPr children; Word rejects a file whose children are out of order.
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription")


def _local(element) -> str:
    return element.tag.split("}")[1]


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_styles_with_effects(document) -> None:
    """Drop Word 2010's second copy of the styles (python-docx's template carries one).

    Word reads styles.xml; when the copy disagrees with it (styles added since,
    other document defaults) Word reports the file as needing repair.
    """
    part = document.part
    for rel_id in [r for r, rel in part.rels.items() if rel.reltype == STYLES_WITH_EFFECTS]:
        part.drop_rel(rel_id)


def _field(name: str, props: str = "") -> str:
    """Return the runs of a Word field (PAGE, NUMPAGES) showing 1 until it is updated."""
    return (f'<w:r {NS}>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r {NS}>{props}<w:instrText xml:space="preserve"> {name} </w:instrText></w:r>'
            f'<w:r {NS}>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r {NS}>{props}<w:t>1</w:t></w:r>'
            f'<w:r {NS}>{props}<w:fldChar w:fldCharType="end"/></w:r>')


def page_number_footer(footer) -> None:
    """Fill *footer* with a centred 'Halaman <PAGE>' field."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER     # in the paragraph's own properties: one pPr only
    p = paragraph._p
    field = f'<w:r {NS}><w:t xml:space="preserve">Halaman </w:t></w:r>' + _field("PAGE")
    for run_xml in re.findall(r"<w:r .*?</w:r>", field):
        p.append(parse_xml(run_xml))


def running_head(header, title: str, size: float, width: float, mark: str = "", mark_colour: str = "000000") -> None:
    """Fill a section's *header* with *title* on the left and 'Halaman x dari y' on the right.

    A *mark* goes before the title, bold in *mark_colour*.
    """
    header.is_linked_to_previous = False
    p = header.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    props = run_props(size)
    fields = _field("PAGE", props) + f'<w:r {NS}>{props}<w:t xml:space="preserve"> dari </w:t></w:r>' + \
        _field("NUMPAGES", props)
    xml = (f'<w:p {NS}><w:pPr><w:tabs><w:tab w:val="right" w:pos="{twips(width)}"/></w:tabs>'
           f'<w:spacing w:before="0" w:after="0"/></w:pPr>'
           f'{_mark_run(mark, size, mark_colour)}'
           f'<w:r>{props}<w:t xml:space="preserve">{escape(title)}</w:t></w:r><w:r>{props}<w:tab/></w:r>'
           f'<w:r>{props}<w:t xml:space="preserve">Halaman </w:t></w:r>{fields}</w:p>')
    new = parse_xml(xml)
    p.addprevious(new)
    p.getparent().remove(p)


def mark_head(header, mark: str, size: float, colour: str) -> None:
    """Fill a section's *header* with *mark* alone, bold in *colour*."""
    header.is_linked_to_previous = False
    p = header.paragraphs[0]._p
    new = parse_xml(f'<w:p {NS}><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
                    f'{_mark_run(mark, size, colour)}</w:p>')
    p.addprevious(new)
    p.getparent().remove(p)


# Word's own watermark: a VML text path behind the page's text, centred on the page and turned 45 degrees.
# LibreOffice reads it as Fontwork and keeps it in the PDF (it draws the letters, so they are not text).
_WATERMARK = (
    '<w:r {w}><w:rPr><w:noProof/></w:rPr><w:pict {v}>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" '
    'shapetype="t"/></v:shapetype>'
    '<v:shape id="sopdoc-tanda-air" type="#_x0000_t136" style="position:absolute;'
    'margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;rotation:315;z-index:-251657216;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#{colour}" stroked="f">'
    '<v:fill opacity=".35"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    '</v:shape></w:pict></w:r>')


def watermark(header, text: str, colour: str, width: float) -> None:
    """Put *text* across every page of *header*'s section, large, faint and behind the text, *width* points long."""
    run = _WATERMARK.format(w=f'xmlns:w="{W_NS}"', v='xmlns:v="urn:schemas-microsoft-com:vml" '
                            'xmlns:o="urn:schemas-microsoft-com:office:office"', width=round(width),
                            height=round(width / 3), colour=colour, font=FONT, text=escape(text, {'"': "&quot;"}))
    header.paragraphs[0]._p.append(parse_xml(run))


def _mark_run(mark: str, size: float, colour: str) -> str:
    if not mark:
        return ""
    props = run_props(size, bold=True).replace("<w:sz ", f'<w:color w:val="{colour}"/><w:sz ')  # schema order
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(mark)}</w:t></w:r>'


# --- how tall a template's content is ------------------------------------------------------------------
# LibreOffice sets single-spaced Liberation Sans (Arial's metrics) lines 1.149 times their size apart (its
# ascent, descent and line gap; measured 11.5 pt at 10 pt on the identity sheet), and gives a table cell
# Word's default margins of 0.08 inch left and right.
LINE_FACTOR = 1.149
_CELL_MARGINS = 2 * 5.4
_ROW_BORDER = 0.75
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def estimated_height(elements, width: float) -> float:
    """Return about how tall LibreOffice sets *elements* (body paragraphs and tables) across *width* points.

    Meant to tell whether a page holds them; it errs a little on the tall side
    (it wraps a hair earlier than LibreOffice). Rows of merged cells count only
    their other cells.
    """
    total = 0.0
    for element in elements:
        if element.tag == f"{_W}tbl":
            total += sum(_row_height(row) for row in element.findall(f"{_W}tr"))
        elif element.tag == f"{_W}p":
            total += _paragraph_height(element, width)
    return total


def _row_height(row) -> float:
    tallest = 0.0
    for cell in row.findall(f"{_W}tc"):
        if cell.find(f"{_W}tcPr/{_W}vMerge") is not None:
            continue
        width = int(cell.find(f"{_W}tcPr/{_W}tcW").get(f"{_W}w")) / 20 - _CELL_MARGINS
        tallest = max(tallest, sum(_paragraph_height(p, width) for p in cell.findall(f"{_W}p")))
    return tallest + _ROW_BORDER


def _paragraph_height(paragraph, width: float) -> float:
    text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t"))
    size, bold = _run_font(paragraph)
    indent = paragraph.find(f"{_W}pPr/{_W}ind")
    width -= int(indent.get(f"{_W}left", 0)) / 20 if indent is not None else 0
    picture = max((int(extent.get("cy")) / 12700 for extent in paragraph.iter(f"{_WP}extent")), default=0.0)
    lines = len(textfit.wrap(text, width, size, bold)) if text else 1
    return max(lines * size * LINE_FACTOR, picture)


def _run_font(paragraph) -> tuple[float, bool]:
    """Return the size and weight of a paragraph's first run (10 pt, the templates' Normal, when it sets none)."""
    props = paragraph.find(f"{_W}r/{_W}rPr")
    size = props.find(f"{_W}sz") if props is not None else None
    return (int(size.get(f"{_W}val")) / 2 if size is not None else 10.0,
            props is not None and props.find(f"{_W}b") is not None)


def set_font_size(element, size: float) -> None:
    """Give every run inside *element* the size *size* (points)."""
    for run_props in element.iter(f"{_W}rPr"):
        for old in run_props.findall(f"{_W}sz") + run_props.findall(f"{_W}szCs"):
            old.set(f"{_W}val", str(round(size * 2)))
