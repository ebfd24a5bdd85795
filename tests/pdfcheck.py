"""Read rendered PDFs as a person would: their text, page by page, with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """Return the text of *pdf* (pages *first* to *last*); *raw* keeps each table cell's lines together."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-raw" if raw else "-layout", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_info(pdf: Path) -> dict[str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


def page_texts(pdf: Path) -> list[str]:
    return [pdf_text(pdf, n, n) for n in range(1, page_count(pdf) + 1)]


def joined_words(text: str) -> set[str]:
    """Return the words of *text*, a word broken with a hyphen at a line's end joined again.

    A line may also end at a word's own hyphen (masing-masing): both joins count.
    """
    words = set()
    for joined in (re.sub(r"(\w)-\n(\w)", r"\1\2", text), re.sub(r"(\w)-\n(\w)", r"\1-\2", text)):
        words |= {w.strip(".,;:()/\"'").lower() for w in re.split(r"[\s/]+", joined) if w.strip(".,;:()/\"'")}
    return words


def images(pdf: Path) -> list[int]:
    """Return the page number of every image poppler's pdfimages finds in *pdf*."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()]


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """Return each font poppler's pdffonts lists in *pdf*, with whether it is embedded."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    # The columns after the name: type (one or two words), encoding, emb, sub, uni, object, generation.
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows if row.strip()]


def outline_boxes(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    """Return the bounding box of every painted path on *page*, in mm from the top-left corner.

    Read with pypdf from the page's content stream: path operators (m, l, c, v, y, re)
    collect points through the current matrix, painting operators (S, s, f, F, f*,
    B, B*, b, b*) take their bounding box, n drops the path.
    """
    reader = PdfReader(pdf)
    sheet = reader.pages[page - 1]
    height = float(sheet.mediabox.height)
    boxes, path = [], []

    def point(m, x, y):
        return (m[0] * x + m[2] * y + m[4]) * MM, (height - (m[1] * x + m[3] * y + m[5])) * MM

    def visit(op, args, cm, tm):
        nonlocal path
        if op in (b"m", b"l", b"c", b"v", b"y"):
            path += [point(cm, float(args[i]), float(args[i + 1])) for i in range(0, len(args) - 1, 2)]
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            path += [point(cm, x, y), point(cm, x + w, y + h)]
        elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
            if path and op != b"n":
                xs, ys = [p[0] for p in path], [p[1] for p in path]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
            path = []

    sheet.extract_text(visitor_operand_before=visit)
    return boxes


MM = 25.4 / 72
