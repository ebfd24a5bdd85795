"""Predict how LibreOffice wraps text in a table cell, with Liberation Sans metrics."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from PIL import ImageFont

from sopdoc.errors import ToolMissing

_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/liberation2"))
_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
_MEASURE_SIZE = 100
# Measured text can be a hair narrower than LibreOffice's; wrapping earlier is safe.
WIDTH_SAFETY = 0.99


@functools.cache
def font_path(bold: bool = False) -> Path:
    """Return the Liberation Sans file, or raise :class:`ToolMissing`."""
    for folder in _FONT_DIRS:
        if (folder / _FILES[bold]).is_file():
            return folder / _FILES[bold]
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", f"Liberation Sans:{'bold' if bold else 'regular'}"],
                               capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        found = ""
    if found.endswith(_FILES[bold]):
        return Path(found)
    raise ToolMissing("Font Liberation Sans tidak ditemukan. Pasang dengan: sudo apt-get install fonts-liberation")


@functools.cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), _MEASURE_SIZE)


@functools.lru_cache(maxsize=65536)
def width(text: str, size: float, bold: bool = False) -> float:
    """Return the width of *text* in points at *size* points."""
    return _font(bold).getlength(text) * size / _MEASURE_SIZE


def wrap(text: str, avail: float, size: float, bold: bool = False) -> list[str]:
    """Return *text* broken into lines no wider than *avail* points, as LibreOffice breaks it."""
    limit = avail * WIDTH_SAFETY
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if width(candidate, size, bold) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while width(word, size, bold) > limit:
                cut = _fit_chars(word, limit, size, bold)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _fit_chars(word: str, limit: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and width(word[: cut + 1], size, bold) <= limit:
        cut += 1
    return cut


def line_count(text: str, avail: float, size: float, bold: bool = False) -> int:
    return len(wrap(text, avail, size, bold))
