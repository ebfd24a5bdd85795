"""Read rendered PDFs as a person would: their text, page by page, with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


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
