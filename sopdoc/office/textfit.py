"""Predict how LibreOffice wraps text in a table cell, with Liberation Sans metrics.

A word wider than its column is never cut at an arbitrary letter: :func:`breakable`
gives it soft hyphens at Indonesian syllable boundaries (pyphen's id_ID patterns),
or break points after the slashes of a path or address, and :func:`wrap` breaks
lines the way LibreOffice does with them: greedily, at the last break point whose
piece (plus its hyphen) still fits the line. A space before a comma or another
closing mark becomes a no-break space, so no line starts with one.

An e-mail address, a web address, a telephone number, a number or a code (any
word with a digit) is never hyphenated: :func:`unbroken` turns its hyphens into
no-break hyphens (LibreOffice would break after them; the PDF's text still reads
"-"), and one wider than its column breaks only after its own / . @ marks, or
between characters, with no hyphen added.
"""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import pyphen
from PIL import ImageFont

from sopdoc.errors import ToolMissing
from sopdoc.office.paper import MM

_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/liberation2"))
_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
_MEASURE_SIZE = 100
# Measured text can be a hair narrower than LibreOffice's; wrapping earlier is safe.
WIDTH_SAFETY = 0.99
ASCENT, DESCENT = 0.905, 0.212  # above and below the baseline, as a fraction of the font size
CELL_PAD_X = 1.4 * MM           # left and right cell margins of every DOCX table
CELL_PAD_Y = 2.5                # LibreOffice keeps ~1.45 pt above and below cell text

SOFT_HYPHEN = "\u00ad"      # LibreOffice breaks here, printing a hyphen
BREAK = "\u200b"            # LibreOffice may break here, printing nothing
NO_BREAK_SPACE = "\u00a0"
NO_BREAK_HYPHEN = "\u2011"  # a hyphen LibreOffice never breaks after
_BREAKS = SOFT_HYPHEN + BREAK
_SPACES = re.compile(r"[ \t]+")
_CLOSING = re.compile(r" +([,.;:!?)\]])")
_PATH_BREAK = re.compile(r"(?<=[/_.=&?@])(?=\w)")
# Words that are never hyphenated: an address (e-mail or web), or anything holding a digit (a number, a code,
# a date, a telephone number).
_ADDRESS = re.compile(r"@|://|^www\.|\.(?:go\.id|ac\.id|co\.id|or\.id|id|com|org|net)\b", re.I)
_DIGIT = re.compile(r"\d")
# A telephone number written with spaces between its groups: (0721) 123 456, +62 812 3456 7890.
_TELEPHONE = re.compile(r"(?:\+\d{1,3}|\(0\d{2,4}\)|\b0\d{2,4})(?:[ -]\d{2,5}){1,4}\b")
_SHORTEST_PIECE = 2
# Every character str.splitlines breaks at: the shaper refuses them inside a line (raqm_layout() failed), so a
# line measured or wrapped here never holds one.
_PARAGRAPHS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


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


def line_height(size: float) -> float:
    """Return the line height LibreOffice gives *size*-point Liberation Sans (single spacing)."""
    return round(size * 1.2, 1)


@functools.cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), _MEASURE_SIZE)


@functools.lru_cache(maxsize=65536)
def width(text: str, size: float, bold: bool = False) -> float:
    """Return the width of *text* in points at *size* points (break marks take no room)."""
    plain = text.translate(_INVISIBLE).replace(NO_BREAK_SPACE, " ")
    return max(_font(bold).getlength(line) for line in _PARAGRAPHS.split(plain)) * size / _MEASURE_SIZE


def one_newline(text: str) -> str:
    """Return *text* with Windows' line break (CR LF) and an old Mac's (CR) made "\\n", the only one documents use.

    A CR alone is invisible in every editor and in Excel, yet ends a line in the
    shaper and in LibreOffice: read as a line break, it is what the person saw.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


_INVISIBLE = {ord(SOFT_HYPHEN): None, ord(BREAK): None}


@functools.cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="id_ID")


def breakable(text: str, avail: float, size: float, bold: bool = False) -> str:
    """Return *text* with break points in every word wider than *avail* points, ready for the cell."""
    text = unbroken(_CLOSING.sub(NO_BREAK_SPACE + r"\1", text))
    limit = avail * WIDTH_SAFETY
    out = []
    for part in re.split(r"([ \t\n]+)", text):
        if part and not part.isspace() and width(part, size, bold) > limit:
            part = _break_word(part, limit, size, bold)
        out.append(part)
    return "".join(out)


def unbroken(text: str) -> str:
    """Return *text* with the hyphens and spaces inside addresses, numbers, codes and telephone numbers made
    no-break ones, so that no line ends inside them at a hyphen or between a telephone number's groups."""
    text = _TELEPHONE.sub(lambda m: m.group().replace(" ", NO_BREAK_SPACE), text)
    return "".join(part.replace("-", NO_BREAK_HYPHEN) if _kept_whole(part) else part
                   for part in re.split(r"([ \t\n]+)", text))


def _kept_whole(word: str) -> bool:
    """Say whether *word* is never hyphenated: an address, or a word holding a digit."""
    return bool(_ADDRESS.search(word) or _DIGIT.search(word))


def _break_word(word: str, limit: float, size: float, bold: bool) -> str:
    kept_whole = _kept_whole(word)
    if "/" in word or "://" in word or "_" in word or kept_whole:
        pieces = _PATH_BREAK.split(word)
        marked = BREAK.join(pieces)
    else:
        marked = _syllables(word)
    # A piece still wider than the line breaks between letters: with hyphens in a word, with none in a code.
    join = BREAK if kept_whole else SOFT_HYPHEN
    out = []
    for piece in re.split(f"([{_BREAKS}])", marked):
        if piece in _BREAKS or width(piece + "-", size, bold) <= limit:
            out.append(piece)
            continue
        out.append(join.join(_letters_that_fit(piece, limit, size, bold)))
    return "".join(out)


def _syllables(word: str) -> str:
    """Return *word* with soft hyphens at its syllable boundaries (no piece shorter than two letters).

    A boundary is one that pyphen's id_ID patterns give and that the spelling rules allow as well
    (:func:`spelling_breaks`): the patterns alone print "Rekapit-ulasi" and "tran-s-krip".
    """
    allowed = spelling_breaks(word)
    positions, last = [], 0
    for at in _dictionary().positions(word):
        if allowed is not None and at not in allowed:
            continue
        if at - last >= _SHORTEST_PIECE and len(word) - at >= _SHORTEST_PIECE:
            positions.append(at)
            last = at
    bounds = [0, *positions, len(word)]
    return SOFT_HYPHEN.join(word[a:b] for a, b in zip(bounds, bounds[1:]))


_VOWELS = frozenset("aeiou")
# Vowel pairs never split: the diphthongs, and "ai" of a word such as "main" with them (no break is safer).
_DIPHTHONGS = frozenset({"ai", "au", "ei", "oi"})
# Consonant pairs written as one sound, never split.
_DIGRAPHS = frozenset({"kh", "ng", "ny", "sy"})
_PLAIN_WORD = re.compile(r"[a-z]+")


def spelling_breaks(word: str) -> frozenset[int] | None:
    """Return where *word* may be hyphenated by the spelling rules of its base word (PUEBI, pemenggalan kata),
    as offsets into *word*, or None for a word that is not plain letters a-z.

    Between two vowels that are not a diphthong: ma-af. One consonant between vowels goes with the second:
    ba-pak, de-ngan (ng, ny, kh and sy count as one consonant). Two are split: man-di, makh-luk. Of three or
    more, the first stays: in-stru-men, bang-krut.
    """
    lower = word.lower()
    if not _PLAIN_WORD.fullmatch(lower):
        return None
    units, at = [], 0                       # (offset, letters) of each sound
    while at < len(lower):
        step = 2 if lower[at:at + 2] in _DIGRAPHS else 1
        units.append((at, lower[at:at + step]))
        at += step
    vowels = [n for n, (_, letters) in enumerate(units) if letters in _VOWELS]
    breaks = set()
    for left, right in zip(vowels, vowels[1:]):
        between = right - left - 1          # consonant sounds between the two vowels
        if between == 0:
            if units[left][1] + units[right][1] not in _DIPHTHONGS:
                breaks.add(units[right][0])
        else:
            breaks.add(units[left + 1 + (between > 1)][0])
    return frozenset(breaks)


def _letters_that_fit(piece: str, limit: float, size: float, bold: bool) -> list[str]:
    chunks = []
    while piece:
        cut = len(piece)
        while cut > 1 and width(piece[:cut] + "-", size, bold) > limit:
            cut -= 1
        chunks.append(piece[:cut])
        piece = piece[cut:]
    return chunks


def wrap(text: str, avail: float, size: float, bold: bool = False) -> list[str]:
    """Return *text* broken into lines no wider than *avail* points, as LibreOffice breaks it.

    *text* is what the cell holds, with the break points :func:`breakable` put in;
    a line that ends at a soft hyphen shows the hyphen.
    """
    limit = avail * WIDTH_SAFETY
    lines: list[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        current = ""
        for word in _SPACES.split(paragraph.strip(" \t")):
            current = _place(word, current, lines, limit, size, bold)
        lines.append(current)
    return [line.translate(_INVISIBLE) for line in lines]


def _place(word: str, current: str, lines: list[str], limit: float, size: float, bold: bool) -> str:
    """Add *word* after *current*, pushing full lines to *lines*; return the line being filled."""
    while word:
        lead = f"{current} " if current else ""
        if width(lead + word, size, bold) <= limit:
            return lead + word
        cut = _last_break(word, lead, limit, size, bold)
        if cut is not None:
            shown = word[:cut] + ("-" if word[cut] == SOFT_HYPHEN else "")
            lines.append(lead + shown)
            current, word = "", word[cut + 1:]
        elif current:
            lines.append(current)
            current = ""
        else:
            # Nothing fits on an empty line: LibreOffice breaks between letters.
            cut = max(1, len(_letters_that_fit(word, limit, size, bold)[0]))
            lines.append(word[:cut])
            word = word[cut:]
    return current


def _last_break(word: str, lead: str, limit: float, size: float, bold: bool) -> int | None:
    best = None
    for at, char in enumerate(word):
        if char in _BREAKS:
            shown = word[:at] + ("-" if char == SOFT_HYPHEN else "")
            if width(lead + shown, size, bold) > limit:
                break
            best = at
    return best


def line_count(text: str, avail: float, size: float, bold: bool = False) -> int:
    return len(wrap(text, avail, size, bold))
